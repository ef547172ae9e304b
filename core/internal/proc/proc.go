//go:build !js

// Package proc lets tests look at a process by its id, through Linux's
// /proc: whether it still runs, or has exited and waits to be reaped (a
// zombie, which a pool of worker processes must never leave behind).
//
// Where there is no /proc (off Linux, or in a sandbox without it) every
// probe panics, naming the reason: a probe that answered "not running"
// there would let every test of stopped processes pass without looking.
package proc

import (
	"os"
	"strconv"
	"strings"
	"sync"
)

// available panics unless /proc can describe this process.
var available = sync.OnceValue(func() error {
	_, err := os.ReadFile("/proc/self/stat")
	return err
})

func mustProbe() {
	if err := available(); err != nil {
		panic("proc: cannot probe processes here, no readable /proc (Linux only): " + err.Error())
	}
}

// Zombie reports whether pid is a process that has exited and not been
// reaped.
func Zombie(pid int) bool {
	mustProbe()
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false // gone altogether
	}
	// The state follows the command's closing parenthesis.
	s := string(stat)
	return strings.HasPrefix(s[strings.LastIndexByte(s, ')')+1:], " Z")
}

// Running reports whether pid is a live process.
func Running(pid int) bool {
	mustProbe()
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil && !Zombie(pid)
}

//go:build !js

// Package proc lets tests look at a process by its id, through Linux's
// /proc: whether it still runs, or has exited and waits to be reaped (a
// zombie, which a pool of worker processes must never leave behind).
package proc

import (
	"os"
	"strconv"
	"strings"
)

// Zombie reports whether pid is a process that has exited and not been
// reaped.
func Zombie(pid int) bool {
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
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil && !Zombie(pid)
}

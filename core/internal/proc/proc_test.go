//go:build !js

package proc

import (
	"os"
	"os/exec"
	"testing"
)

func TestStates(t *testing.T) {
	if !Running(os.Getpid()) || Zombie(os.Getpid()) {
		t.Fatal("this process should be running, not a zombie")
	}
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	for Running(pid) { // exits at once; until reaped it is a zombie
	}
	if !Zombie(pid) {
		t.Fatalf("pid %d exited unreaped: want a zombie", pid)
	}
	cmd.Wait()
	if Zombie(pid) || Running(pid) {
		t.Fatalf("pid %d reaped: want gone", pid)
	}
}

// TestProbesFailWithoutProc: where /proc cannot be read the probes panic
// instead of answering "not running" for every process.
func TestProbesFailWithoutProc(t *testing.T) {
	defer func(f func() error) { available = f }(available)
	available = func() error { return os.ErrNotExist }
	for name, probe := range map[string]func(int) bool{"Running": Running, "Zombie": Zombie} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s answered without /proc", name)
				}
			}()
			probe(os.Getpid())
		}()
	}
}

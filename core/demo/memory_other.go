//go:build !linux

package demo

import "lanes/core/report"

// probeThreads measures OS threads only on Linux, from /proc; in a
// browser a Go instance has one thread, and other systems are not
// measured.
func probeThreads(*report.Memory) {}

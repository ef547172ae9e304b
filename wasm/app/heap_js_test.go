package main

import (
	"runtime/debug"
	"testing"
)

// TestHeapWarmer checks that a heapWarmer leaves the heap memory it has
// touched and lets go, which the allocations after it take before new
// memory: the page's Go holds hardly more (the new objects' bookkeeping)
// after 16 MB are made than before.
func TestHeapWarmer(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // its last step sets it
	before := heldMemory()
	var h heapWarmer
	for h.step() {
	}
	warmed := heldMemory()
	if warmed-before < warmMB<<20 {
		t.Fatalf("heapWarmer: the heap holds %d MB more, want at least %d", (warmed-before)>>20, warmMB)
	}
	var kept [][]byte
	for range warmMB / 2 {
		kept = append(kept, make([]byte, 1<<20))
	}
	if after := heldMemory(); after-warmed > 1<<20 {
		t.Errorf("%d MB made after the heapWarmer grew the heap by %d KB: want it to take the warmed memory", len(kept), (after-warmed)>>10)
	}
}

// TestHeapWarmerSteps checks that a step touches a megabyte, not more: a
// step is one task of a page that stays responsive.
func TestHeapWarmerSteps(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var h heapWarmer
	for i := range 3 {
		before := heldMemory()
		if !h.step() {
			t.Fatalf("step %d: none left", i)
		}
		if grew := heldMemory() - before; grew > 3<<19 {
			t.Errorf("step %d grew the heap by %d KB, want about 1 MB", i, grew>>10)
		}
	}
}

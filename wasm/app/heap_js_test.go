package main

import (
	"runtime/debug"
	"testing"
)

// TestWarmHeap checks that warmHeap leaves the heap memory it has touched
// and lets go, which the allocations after it take before new memory: the
// page's Go holds hardly more (the new objects' bookkeeping) after 16 MB
// are made than before.
func TestWarmHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // warmHeap sets it
	before := heldMemory()
	warmHeap(func() bool { return true })
	warmed := heldMemory()
	if warmed-before < warmMB<<20 {
		t.Fatalf("warmHeap: the heap holds %d MB more, want at least %d", (warmed-before)>>20, warmMB)
	}
	var kept [][]byte
	for range warmMB / 2 {
		kept = append(kept, make([]byte, 1<<20))
	}
	if after := heldMemory(); after-warmed > 1<<20 {
		t.Errorf("%d MB made after warmHeap grew the heap by %d KB: want it to take the warmed memory", len(kept), (after-warmed)>>10)
	}
}

// TestWarmHeapStops checks that warmHeap touches nothing while the page
// is not idle.
func TestWarmHeapStops(t *testing.T) {
	before := heldMemory()
	warmHeap(func() bool { return false })
	if grew := heldMemory() - before; grew >= 1<<20 {
		t.Errorf("warmHeap grew the heap by %d KB while the page was busy", grew>>10)
	}
}

package report

import "slices"

// ByID holds values by IDs, such as a run's task IDs or lane numbers: in a
// slice while the IDs are small numbers from 0 up, as a run's are, else
// in a map. A map of a run's 10,000 tasks cost the page's main thread
// tens of milliseconds in wasm: the lookups for a run's answer, the
// report's figures. Its zero value is empty and ready; a nil one holds
// nothing.
type ByID[T any] struct {
	slot   []T // the value of ID i, where has[i]
	has    []bool
	n      int // the values put
	expect int // IDs under it go in the slice, however few were put (Expect)
	more   map[int]T
}

// Expect says that IDs from 0 to n−1 are to come, in any order: they go
// in the slice from the first, where otherwise an ID far past the values
// put so far goes in the map.
func (s *ByID[T]) Expect(n int) { s.expect = max(s.expect, n) }

// Put keeps v under id, in place of an earlier value.
func (s *ByID[T]) Put(id int, v T) {
	s.n++
	if id < 0 || id >= max(4*s.n, s.expect)+1024 { // an odd numbering
		if s.more == nil {
			s.more = map[int]T{}
		}
		s.more[id] = v
		return
	}
	if id >= len(s.slot) {
		// Grown as append grows, without a slice made for the gap: a
		// run's tasks mostly come one ID past the last. The IDs expected
		// get their slots at once, so that their Puts leave the slices
		// alone (a write barrier each, and a copy at each growth).
		n := id + 1
		if id < s.expect {
			n = s.expect
		}
		s.slot = slices.Grow(s.slot, n-len(s.slot))[:n]
		s.has = slices.Grow(s.has, n-len(s.has))[:n]
	}
	s.slot[id], s.has[id] = v, true
}

// Get is the value last put under id.
func (s *ByID[T]) Get(id int) (T, bool) {
	if s == nil {
		var zero T
		return zero, false
	}
	if id >= 0 && id < len(s.slot) && s.has[id] {
		return s.slot[id], true // put after any of the map's: the slots' range only grows
	}
	v, ok := s.more[id]
	return v, ok
}

// Has reports whether a value was put under id.
func (s *ByID[T]) Has(id int) bool {
	_, ok := s.Get(id)
	return ok
}

// All yields each ID and its value, in no set order.
func (s *ByID[T]) All(yield func(id int, v T) bool) {
	if s == nil {
		return
	}
	for id, ok := range s.has {
		if ok && !yield(id, s.slot[id]) {
			return
		}
	}
	for id, v := range s.more {
		if id >= 0 && id < len(s.has) && s.has[id] {
			continue // put again since, in a slot
		}
		if !yield(id, v) {
			return
		}
	}
}

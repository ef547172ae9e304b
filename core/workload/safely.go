package workload

import "fmt"

// Safely calls f and returns what it returns, or, when f panics, the
// error "panic: " and the panic's value. It is Lanes' one panic policy (a
// panicking task fails alone, with the panic's text, and the run goes
// on), used wherever a task or a call runs: in a lane, in a worker, in a
// worker's message handler.
func Safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero T
			v, err = zero, fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
}

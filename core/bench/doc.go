// Package bench holds benchmarks that compare Lanes' strategies side by
// side on the CPU demos' workloads, natively: one goroutine, a goroutine per
// task, and K worker processes. Run them with `make bench`, or
//
//	go test -run '^$' -bench . -benchtime 3x -count 5 ./core/bench/ -sumsq-size 2e9
//
// The sizes default to about half a second of sequential work each.
package bench

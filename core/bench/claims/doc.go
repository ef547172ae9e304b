// Package claims benchmarks every demo's claim natively: each demo at its
// defaults with every strategy it has, the CPU demos five times
// interleaved, checked strictly (a 15% margin: prime counting on this
// machine's 2 vCPUs reaches 1.8–1.9×, not 2×) and its figures reported.
// Run it with `make bench`, or
//
//	go test -run '^$' -bench . -benchtime 1x ./core/bench/claims/
package claims

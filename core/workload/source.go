package workload

import "embed"

// Files holds this package's Go source, so the page can show the code a
// demo runs exactly as it is.
//
//go:embed sumsq.go primes.go hash.go spec.go u128.go
var Files embed.FS

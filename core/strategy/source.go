package strategy

import "embed"

// Files holds this package's Go source, so the page can show the code a
// demo runs exactly as it is.
//
//go:embed strategy.go hybrid.go
var Files embed.FS

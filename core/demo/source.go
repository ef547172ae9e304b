package demo

import (
	"embed"
	"io/fs"

	"lanes/core/strategy"
	"lanes/core/workload"
)

//go:embed race.go tasks.go memory.go
var files embed.FS

// sources reads the named files of the workload ("workload/…"), strategy
// ("strategy/…") and demo ("demo/…") packages.
func sources(names ...string) []Source {
	var out []Source
	for _, name := range names {
		var fsys fs.FS
		var file string
		switch {
		case len(name) > 9 && name[:9] == "workload/":
			fsys, file = workload.Files, name[9:]
		case len(name) > 9 && name[:9] == "strategy/":
			fsys, file = strategy.Files, name[9:]
		default:
			fsys, file = files, name[5:]
		}
		code, err := fs.ReadFile(fsys, file)
		if err != nil {
			panic("demo: no embedded source " + name)
		}
		out = append(out, Source{File: "core/" + name, Code: string(code)})
	}
	return out
}

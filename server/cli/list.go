// Package cli is the native command line: `lanes list` and `lanes run`,
// which run demos with real OS threads and processes and print a table, a
// timeline drawn in the terminal, or the report JSON.
package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"lanes/core/demo"
)

// List prints every demo with its strategies and parameters.
func List(w io.Writer, args []string) error {
	if len(args) > 0 {
		return usageErr("list takes no arguments, got %q", strings.Join(args, " "))
	}
	for _, d := range demo.All() {
		fmt.Fprintf(w, "%s — %s\n", d.ID, d.Title)
		fmt.Fprintf(w, "  python:     %s\n", d.Python)
		fmt.Fprintln(w, hang("  shows:      ", d.Claim(), 80))
		fmt.Fprintf(w, "  strategies: %s (default %s)\n", strings.Join(d.Strategies, ", "), strings.Join(d.Default, ","))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range d.Params {
			fmt.Fprintf(tw, "  --%s\t%s\t%s (%s)\n", p.Name, p.Format(p.Default), p.Help, strings.TrimPrefix(p.Bounds(), "want "))
		}
		if d.Targets {
			fmt.Fprintf(tw, "  --target\tbuilt-in\tURLs to download, comma separated\n")
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	return nil
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// ExitCode is the exit status for an error Run or List returned: 2 for a
// bad command line, 1 otherwise.
func ExitCode(err error) int {
	if _, ok := err.(usageError); ok {
		return 2
	}
	return 1
}

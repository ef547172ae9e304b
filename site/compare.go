package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"lanes/core/report"
	"lanes/core/trace"
)

// Comparison is a native report set beside the browser's.
type Comparison struct {
	Native     *report.Report // the native run to compare with
	NativeFrom string         // where Native came from
	NativeErr  string
	NativeBusy bool
}

// CompareNative asks the server to run the same config natively, and
// shows its report beside the browser's.
func (c *Root) CompareNative() {
	if c.NativeBusy {
		return
	}
	c.NativeBusy, c.NativeErr = true, ""
	cfg := c.Cfg
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		rep, err := c.Backend.Native(ctx, cfg)
		c.Events.Lock()
		defer c.Events.UnlockRender()
		c.NativeBusy = false
		if err != nil {
			c.NativeErr = "The native run failed: " + err.Error()
			return
		}
		c.Native, c.NativeFrom = &rep, "the server's native Go"
	}()
}

// loadTimeout bounds reading a report file.
var loadTimeout = 30 * time.Second

// LoadReport reads a report saved with `lanes run --json` from the file
// input that fired the event: a native report goes beside the browser's,
// a browser report replaces it.
func (c *Root) LoadReport(input any) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		data, err := c.Backend.ReadFile(ctx, input)
		var rep report.Report
		if err == nil {
			rep, err = ParseReport(data)
		}
		c.Events.Lock()
		defer c.Events.UnlockRender()
		if err != nil {
			c.NativeErr = "That file is not a Lanes report: " + err.Error()
			return
		}
		c.NativeErr = ""
		if rep.Platform.Kind == "browser" && !c.Running() {
			c.Report = &rep
			c.Status = "done"
			return
		}
		c.Native, c.NativeFrom = &rep, "a saved report"
	}()
}

// ParseReport reads a lanes.report/v1 document.
func ParseReport(data []byte) (report.Report, error) {
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return rep, err
	}
	if rep.Schema != report.Schema {
		return rep, fmt.Errorf("schema %q, want %q", rep.Schema, report.Schema)
	}
	if len(rep.Runs) == 0 {
		return rep, errors.New("it has no runs")
	}
	return rep, nil
}

// DownloadReport offers the browser's report as a JSON file.
func (c *Root) DownloadReport() {
	if c.Report == nil {
		return
	}
	data, err := json.MarshalIndent(c.Report, "", "  ")
	if err != nil {
		c.NativeErr = err.Error()
		return
	}
	c.Backend.Download(fmt.Sprintf("lanes-%s-browser.json", c.Report.Demo), "application/json", data)
}

// DownloadTrace offers the browser's last report as a trace in the Chrome
// Trace Event Format, which Perfetto and chrome://tracing open.
func (c *Root) DownloadTrace() {
	if c.Report == nil {
		return
	}
	var buf bytes.Buffer
	if err := trace.Write(&buf, *c.Report); err != nil {
		c.NativeErr = err.Error()
		return
	}
	c.Backend.Download(fmt.Sprintf("lanes-%s-browser.trace.json", c.Report.Demo), "application/json", buf.Bytes())
}

// A Row compares one strategy's run in the browser and natively.
type Row struct {
	Strategy      string
	Browser       string // wall time
	Native        string
	Ratio         string // browser wall over native wall
	BrowserResult string
	NativeResult  string
	Same          bool
}

// Comparison lines up the browser's runs with the native report's.
func (c *Root) Rows() []Row {
	if c.Native == nil {
		return nil
	}
	var rows []Row
	for _, n := range c.Native.Runs {
		row := Row{Strategy: n.Strategy, Native: FormatMs(n.WallMs), NativeResult: n.Result, Browser: "–", Ratio: "–"}
		if c.Report != nil {
			for _, b := range c.Report.Runs {
				if b.Strategy == n.Strategy {
					row.Browser, row.BrowserResult = FormatMs(b.WallMs), b.Result
					row.Same = b.Result == n.Result && !b.Partial && !n.Partial
					if n.WallMs > 0 {
						row.Ratio = FormatRatio(b.WallMs / n.WallMs)
					}
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// NativePlatform describes where the native report ran.
func (c *Root) NativePlatform() string {
	if c.Native == nil {
		return ""
	}
	p := c.Native.Platform
	return fmt.Sprintf("%s, %s/%s, %d CPUs, GOMAXPROCS %d (%s)", p.Go, p.OS, p.Arch, p.CPUs, p.GOMAXPROCS, c.NativeFrom)
}

package site

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vugu/vugu/js"

	"lanes/core/demo"
	"lanes/core/protocol"
)

// The user's own task: "Edit" on a demo that has starting code opens it in
// an editor, as the demo "task" (demo.TaskID) with the demo's knobs; Run
// has the server's build service build it into a Web Worker module and
// runs it under the chosen strategies on that module's workers, exactly as
// a built-in demo's work runs. The code travels in the page's links in the
// URL's fragment (fragment.go), and a link's code runs only on a click.

// BuildInfo is what the build service can do (GET /api/build), as the
// page reads it.
type BuildInfo struct {
	// Enabled says builds can be asked for; when false the editor is
	// read-only and Reason says why.
	Enabled   bool          `json:"enabled"`
	State     string        `json:"state"`
	Reason    string        `json:"reason"`
	Go        string        `json:"go"`
	MaxSource int           `json:"max_source"`
	Signature string        `json:"signature"`
	Starters  []StarterInfo `json:"starters"`
}

// StarterInfo names a demo's starting code: its URL, and the tasks its
// answer is the demo's with.
type StarterInfo struct {
	Demo  string `json:"demo"`
	Tasks int    `json:"tasks"`
	URL   string `json:"url"`
}

// A Diagnostic is a build error at its place in the source: Line and
// Column 1-based, the column in bytes as the Go compiler counts them; Line
// 0 is the file as a whole.
type Diagnostic struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// String is the diagnostic as the page lists it.
func (d Diagnostic) String() string {
	if d.Line <= 0 {
		return d.Message
	}
	return fmt.Sprintf("line %d:%d: %s", d.Line, d.Column, d.Message)
}

// A BuildError is a build the service refused or could not make: its
// HTTP status, its message, the diagnostics on the source's lines (422),
// and when to ask again (429, 503 with Retry-After).
type BuildError struct {
	Status      int
	Message     string
	Diagnostics []Diagnostic
	RetryAfter  time.Duration
}

func (e *BuildError) Error() string { return e.Message }

// A TaskBackend builds users' tasks and edits their code: the server's
// build service, Web Workers of a built module, the browser's compression
// streams and the code editor. wasm/app implements it.
type TaskBackend interface {
	// Info asks the build service what it can do.
	Info(ctx context.Context) (BuildInfo, error)
	// Starter fetches a demo's starting code from its URL (BuildInfo's).
	Starter(ctx context.Context, url string) (string, error)
	// Build has source built and readies the Web Workers of its module:
	// from then on the Backend's RunOne runs the demo "task" on them. It
	// tells each step it begins ("Building…") to step. A refusal, or
	// source that does not build, is a *BuildError, unwrapped.
	Build(ctx context.Context, source string, step func(string)) error
	// Pack compresses data as raw DEFLATE (RFC 1951); Unpack inflates it,
	// reading at most limit bytes.
	Pack(ctx context.Context, data []byte) ([]byte, error)
	Unpack(ctx context.Context, data []byte, limit int) ([]byte, error)
	CodeEditor
}

// A CodeEditor is the code editor, loaded when it is first shown.
type CodeEditor interface {
	// Mount shows the editor in box (an element the page leaves alone),
	// holding doc, unless it is already there.
	Mount(box any, doc string)
	// SetDoc replaces the text.
	SetDoc(doc string)
	// Doc is the text, and whether an editor is open to give it.
	Doc() (string, bool)
	SetReadOnly(on bool)
	// SetDiagnostics marks each diagnostic at its line and column.
	SetDiagnostics(ds []Diagnostic)
	// Focus puts the keyboard's focus in the editor (once it is open).
	Focus()
}

// UserTask is the page's state of the user's own task.
type UserTask struct {
	Tasks    TaskBackend // nil: no editor
	Info     *BuildInfo  // what the build service can do, once known
	InfoErr  string      // why it is not known
	From     string      // the demo whose starting code the code began as
	Code     string      // the code, as last read from the editor
	Loading  bool        // the code is on its way
	FromLink bool        // the code came with the page's link
	BuildErr string      // why the last build or run could not start
	Diags    []Diagnostic

	packed  string // Code packed for the URL's fragment; "" when it could not be
	runCode string // the code Start took, which run builds
	autorun bool   // start once the code is in (an embed's autorun=1, a Run meanwhile)
}

// maxBuildWait bounds how long a build is asked for again while the
// service says it is busy (429, 503 with Retry-After).
const maxBuildWait = time.Minute

// IsTask reports whether the page shows the user's own task.
func (c *Root) IsTask() bool { return c.Demo != nil && c.Demo.ID == demo.TaskID }

// CanEdit reports whether the demo shown offers "Edit": it has starting
// code, and the page is not an embed.
func (c *Root) CanEdit() bool {
	return !c.Embed && c.Tasks != nil && !c.IsTask() && c.Demo != nil && c.starterURL(c.Demo.ID) != ""
}

func (c *Root) starterURL(id string) string {
	if c.Info == nil {
		return ""
	}
	for _, s := range c.Info.Starters {
		if s.Demo == id {
			return s.URL
		}
	}
	return ""
}

// taskConfig is the task demo's config that carries over what prev
// chose: the strategies the task has, and each knob of the same name
// within the task's bounds.
func taskConfig(prev demo.Config) demo.Config {
	d, err := demo.Lookup(demo.TaskID)
	if err != nil {
		panic("site: " + err.Error()) // the task demo is built in
	}
	cfg := d.Defaults()
	values := map[string]string{"demo": demo.TaskID}
	var ids []string
	for _, s := range prev.Strategies {
		if slices.Contains(d.Strategies, s) {
			ids = append(ids, s)
		}
	}
	if len(ids) > 0 {
		values["strategy"] = strings.Join(ids, ",")
	}
	old := prev.Values()
	for _, p := range d.Params {
		if v, ok := old[p.Name]; ok {
			values[p.Name] = v
			if next, err := demo.Parse(values); err == nil {
				cfg = next
			} else {
				delete(values, p.Name)
			}
		}
	}
	if next, err := demo.Parse(values); err == nil {
		cfg = next
	}
	return cfg
}

// EditTask opens the demo's starting code in the editor — or the code
// last edited from it — as the task demo, with the demo's strategies
// and knobs.
func (c *Root) EditTask() {
	if !c.CanEdit() || c.Running() {
		return
	}
	from := c.Demo.ID
	c.Cfg = taskConfig(c.Cfg)
	c.Demo, _ = demo.Lookup(demo.TaskID)
	c.Report, c.Live, c.Status = nil, nil, ""
	c.Native, c.NativeErr = nil, ""
	c.BuildErr, c.Diags = "", nil
	if from != c.From || c.Code == "" {
		c.From, c.Code, c.packed, c.FromLink = from, "", "", false
		c.Loading = true
		go c.loadStarter(from)
	}
	c.Tasks.Focus()
	c.changed()
}

// CloseEditor goes back to the demo the code began from; the code is
// kept for the next "Edit" of that demo.
func (c *Root) CloseEditor() {
	if !c.IsTask() || c.Running() {
		return
	}
	c.choose(c.From)
	c.Report, c.Live, c.Status = nil, nil, ""
	c.changed()
}

// CanClose reports whether the editor offers a way back to a demo.
func (c *Root) CanClose() bool { return !c.Embed && c.From != "" }

// CanReset reports whether the demo's starting code can be put back.
func (c *Root) CanReset() bool { return c.starterURL(c.From) != "" }

// ResetCode puts the demo's starting code back in the editor.
func (c *Root) ResetCode() {
	if c.Loading || c.From == "" {
		return
	}
	c.Loading = true
	go c.loadStarter(c.From)
}

// loadStarter fetches the starting code of the demo from and shows it.
func (c *Root) loadStarter(from string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.Events.Lock()
	url := c.starterURL(from)
	c.Events.UnlockOnly()
	var code, packed string
	var err error
	if url == "" {
		err = fmt.Errorf("%s has no starting code", from)
	} else if code, err = c.Tasks.Starter(ctx, url); err == nil {
		packed, _ = c.pack(ctx, code)
	}
	c.Events.Lock()
	defer c.Events.UnlockRender()
	c.Loading = false
	if err != nil {
		c.autorun = false
		c.BuildErr = "The demo's code could not be fetched: " + err.Error()
		return
	}
	if c.From == from {
		c.setCode(code, packed)
	}
	c.loaded()
}

// loaded starts the run asked for while the code was on its way. The
// caller holds the event lock.
func (c *Root) loaded() {
	if c.autorun && c.IsTask() && !c.Loading {
		c.autorun = false
		c.Start()
	}
}

// setCode shows code, packed for links as packed, in the editor.
func (c *Root) setCode(code, packed string) {
	c.Code, c.packed = code, packed
	c.BuildErr, c.Diags = "", nil
	c.Tasks.SetDoc(code)
	c.Tasks.SetDiagnostics(nil)
	c.changed()
}

// MountEditor shows the editor in its box, at every render of the
// editor panel.
func (c *Root) MountEditor(box js.Value) {
	if c.Tasks != nil {
		c.Tasks.Mount(box, c.Code)
	}
}

// CodeEdited takes the editor's text after an edit: the code links
// carry. It is called from a goroutine, without the event lock; the page
// renders the new links unless a run is under way.
func (c *Root) CodeEdited(doc string) {
	c.Events.Lock()
	same := doc == c.Code
	c.Events.UnlockOnly()
	if same {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	packed, _ := c.pack(ctx, doc) // unpacked, links carry no code
	c.Events.Lock()
	c.Code, c.packed = doc, packed
	c.changed()
	if c.Running() {
		c.Events.UnlockOnly()
		return
	}
	c.Events.UnlockRender()
}

// readyToStart says whether Start may run: always for a built-in demo;
// for a task, once its code is in and the build service takes builds,
// the code to build being the editor's text at this moment. A run is
// the click a link's code waits for.
func (c *Root) readyToStart() bool {
	if !c.IsTask() {
		return true
	}
	switch {
	case c.Tasks == nil:
		return false
	case c.Loading: // an embed's run message as the page opens, a quick click
		c.autorun = true
		return false
	case c.Info == nil:
		c.BuildErr = "This code cannot run here: the build service could not be reached."
		return false
	case !c.Info.Enabled:
		c.BuildErr = "This code cannot run here: " + c.Info.Reason
		return false
	}
	code := c.Code
	if doc, ok := c.Tasks.Doc(); ok {
		code = doc
	}
	if strings.TrimSpace(code) == "" {
		c.BuildErr = "There is no code to run."
		return false
	}
	c.runCode, c.FromLink = code, false
	return true
}

// buildTask builds the code Start took and readies its workers, before
// the task's runs. When that fails it ends the run — failed, with the
// build's error and diagnostics, or stopped — and returns false.
func (c *Root) buildTask(ctx context.Context) bool {
	c.Events.Lock()
	code := c.runCode
	c.Preparing, c.BuildErr, c.Diags = "Building…", "", nil
	c.Tasks.SetDiagnostics(nil)
	c.Events.UnlockRender()
	err := c.buildRetrying(ctx, code)
	c.Events.Lock()
	defer c.Events.UnlockRender()
	c.Preparing = ""
	if err == nil {
		return true
	}
	c.Report, c.Live = nil, nil
	stopped := ctx.Err() != nil
	c.cancel()
	if stopped {
		c.Status = "stopped"
		return false
	}
	c.Status = "failed"
	msg := err.Error()
	if be, ok := err.(*BuildError); ok { // the service's own words
		c.Diags = be.Diagnostics
		c.BuildErr = sentence(msg)
	} else {
		c.BuildErr = "The task could not be built: " + msg
	}
	c.Tasks.SetDiagnostics(c.Diags)
	c.Backend.Post(protocol.Failure("build: " + msg))
	return false
}

// buildRetrying builds code, asking again while the service says it is
// busy and when to come back, for up to maxBuildWait.
func (c *Root) buildRetrying(ctx context.Context, code string) error {
	step := func(s string) {
		c.Events.Lock()
		c.Preparing = s
		c.Events.UnlockRender()
	}
	giveUp := time.Now().Add(maxBuildWait)
	for {
		err := c.Tasks.Build(ctx, code, step)
		// A BuildError comes as it is (errors.As would bring reflection
		// into app.wasm, 28 KB of it).
		be, ok := err.(*BuildError)
		if !ok || be.RetryAfter <= 0 || time.Now().Add(be.RetryAfter).After(giveUp) {
			return err
		}
		step(fmt.Sprintf("%s: building again in %s…", be.Message, be.RetryAfter))
		select {
		case <-time.After(be.RetryAfter):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// EditorTitle heads the editor panel.
func (c *Root) EditorTitle() string {
	if d, err := demo.Lookup(c.From); err == nil && c.From != demo.TaskID {
		return "Your task, from the code of " + d.Title
	}
	return "Your task"
}

// EditorNote says what the editor cannot do, or where its code came from.
func (c *Root) EditorNote() string {
	var notes []string
	switch {
	case c.Loading:
		notes = append(notes, "Loading the code…")
	case c.InfoErr != "":
		notes = append(notes, "The build service could not be reached ("+c.InfoErr+"): the code can be read, not run.")
	case c.Info != nil && !c.Info.Enabled:
		notes = append(notes, "Read only: "+c.Info.Reason)
	}
	if c.FromLink {
		notes = append(notes, "This code came with the link that opened the page: it runs only when you press Run, so read it first.")
	}
	return strings.Join(notes, " ")
}

// BuildError says why the last build failed, or "".
func (c *Root) BuildError() string { return c.BuildErr }

// DiagLines lists the last build's diagnostics.
func (c *Root) DiagLines() []string {
	var out []string
	for _, d := range c.Diags {
		out = append(out, d.String())
	}
	return out
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

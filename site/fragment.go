package site

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"lanes/core/demo"
)

// A link to a task carries its code in the URL's fragment, which the
// browser never sends to a server, so the code stays out of every log:
//
//	/?demo=task&strategy=…&tasks=8#code=BASE64URL&from=cpu-sumsq
//
// code is the source, UTF-8, compressed as raw DEFLATE (RFC 1951: the
// browser's CompressionStream("deflate-raw"), Go's compress/flate) and
// written in unpadded base64url (RFC 4648 §5); from names the demo whose
// starting code it began as ("Reset to the demo's code"). A link with
// code shows the task demo, whatever its query's demo. Its code never
// runs without a click on the page (autorun=1 is ignored there, being a
// stranger's code); an embed's autorun=1 runs it, its author having put
// it there.

// MaxCode bounds a link's code once inflated: the build service's cap on
// a source.
const MaxCode = 64 << 10

// maxPacked bounds the fragment's code as written: base64url of DEFLATE,
// which never adds more than a few bytes to what it compresses.
const maxPacked = (MaxCode + 1024) * 4 / 3

// parseFragment reads the code and its demo from a URL's fragment
// ("#code=…&from=…"). A fragment without code= is someone's anchor, and
// not an error.
func parseFragment(hash string) (packed, from string, err error) {
	frag := strings.TrimPrefix(hash, "#")
	if frag == "" {
		return "", "", nil
	}
	vals, err := url.ParseQuery(frag)
	if err != nil || vals["code"] == nil {
		if strings.HasPrefix(frag, "code=") || strings.Contains(frag, "&code=") {
			return "", "", errors.New("its fragment is not name=value pairs")
		}
		return "", "", nil
	}
	codes := vals["code"]
	switch {
	case len(codes) != 1:
		return "", "", fmt.Errorf("code is given %d times", len(codes))
	case codes[0] == "":
		return "", "", errors.New("its code is empty")
	case len(codes[0]) > maxPacked:
		return "", "", fmt.Errorf("its code is over %d characters", maxPacked)
	}
	if from = vals.Get("from"); from != "" {
		if d, err := demo.Lookup(from); err != nil || d.ID == demo.TaskID {
			return "", "", fmt.Errorf("from=%q is no demo", from)
		}
	}
	return codes[0], from, nil
}

// unpackCode reads a fragment's code.
func unpackCode(ctx context.Context, t TaskBackend, packed string) (string, error) {
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(packed, "="))
	if err != nil {
		return "", fmt.Errorf("its code is not base64url (%v)", err)
	}
	code, err := t.Unpack(ctx, data, MaxCode+1)
	switch {
	case err != nil:
		return "", fmt.Errorf("its code does not inflate (%v)", err)
	case len(code) > MaxCode:
		return "", fmt.Errorf("its code is over %d KiB", MaxCode>>10)
	case !utf8.Valid(code):
		return "", errors.New("its code is not UTF-8 text")
	case len(code) == 0:
		return "", errors.New("its code is empty")
	}
	return string(code), nil
}

// pack writes code as a fragment carries it.
func (c *Root) pack(ctx context.Context, code string) (string, error) {
	data, err := c.Tasks.Pack(ctx, []byte(code))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(data), nil
}

// Fragment is the URL's fragment of the page's state: the task's code,
// when it shows a task, or "".
func (c *Root) Fragment() string {
	if !c.IsTask() || c.packed == "" {
		return ""
	}
	f := "#code=" + c.packed
	if c.From != "" {
		f += "&from=" + c.From
	}
	return f
}

// SetupTask reads the task's code from the page's fragment, after
// Setup read its query, and returns the autorun to act on at once: none
// for a task, whose code is not in yet — an embed's autorun=1 waits for
// LoadTask, and a page's is dropped, its link's code running only on a
// click.
func (c *Root) SetupTask(hash string, autorun bool) bool {
	packed, from, err := parseFragment(hash)
	if err != nil {
		c.notice("The link's code could not be read (" + err.Error() + "), so the demo's own code is shown.")
	}
	if packed != "" && !c.IsTask() {
		if from == "" && c.Demo != nil {
			from = c.Demo.ID
		}
		c.Cfg = taskConfig(c.Cfg)
		c.Demo, _ = demo.Lookup(demo.TaskID)
	}
	if !c.IsTask() {
		return autorun
	}
	if from == "" {
		from = DefaultDemo
	}
	c.From, c.packed, c.FromLink = from, packed, packed != ""
	c.Loading = true
	c.autorun = autorun && c.Embed && err == nil
	if autorun && !c.Embed {
		c.notice("This link asks to run its code at once; code from a link runs only when you press Run.")
	}
	return false
}

func (c *Root) notice(s string) {
	if c.Notice != "" {
		c.Notice += " "
	}
	c.Notice += s
}

// LoadTask asks the build service what it can do — which demos offer
// "Edit", whether the editor is read-only — and, on a task's page, loads
// its code: the link's, or else the starting code of its demo. It runs
// once, in a goroutine, once the page renders; an embed's autorun=1
// starts the run when the code is in.
func (c *Root) LoadTask(ctx context.Context) {
	if c.Tasks == nil {
		return
	}
	c.Events.Lock()
	need := !c.Embed || c.IsTask()
	packed, from := c.packed, c.From
	c.Events.UnlockOnly()
	if !need {
		return
	}
	info, infoErr := c.Tasks.Info(ctx)
	code, codeErr := "", error(nil)
	if packed != "" {
		code, codeErr = unpackCode(ctx, c.Tasks, packed)
	}

	c.Events.Lock()
	if infoErr != nil {
		c.InfoErr = infoErr.Error()
	} else {
		c.Info = &info
	}
	c.Tasks.SetReadOnly(infoErr != nil || !info.Enabled)
	if codeErr != nil {
		c.notice("The link's code could not be read (" + codeErr.Error() + "), so the demo's own code is shown.")
		c.FromLink, c.packed, c.autorun = false, "", false
	}
	task := c.IsTask() && c.From == from && c.Loading
	switch {
	case !task:
	case code != "":
		c.Loading = false
		c.setCode(code, packed)
		c.loaded()
	default:
		c.Events.UnlockRender()
		c.loadStarter(from) // and, once in, its run
		return
	}
	c.Events.UnlockRender()
}

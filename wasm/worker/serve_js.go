package worker

import (
	"sync"

	"github.com/hack-pad/safejs"

	"lanes/core/remote"
	"lanes/core/report"
)

// Main attaches the export table to worker.js and waits. worker.js hands
// every message (a JSON string) to the attached function and, on "close",
// calls the detach function, which ends the wait and releases both.
func Main() {
	self := safejs.Global()
	post := func(data []byte) {
		_, _ = self.Call("postMessage", string(data))
	}
	platform := report.Here("browser")
	if nav, err := self.Get("navigator"); err == nil {
		if ua, err := nav.Get("userAgent"); err == nil {
			platform.UserAgent, _ = ua.String()
		}
	}
	mux := remote.NewMux(exports(platform), post)
	receive, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			s, err := args[0].String()
			if err != nil {
				s = "" // answered as malformed
			}
			mux.Receive([]byte(s))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	done := make(chan struct{})
	var once sync.Once
	detach, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		once.Do(func() { close(done) })
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Warm up before saying ready: a first run that shared this one
	// thread with the warm-up would look slower than it is, and sequential
	// would seem to lose to goroutines on the very lesson it teaches.
	warmUp()
	if _, err := self.Call("lanesAttach", receive.Value(), detach.Value()); err != nil {
		panic(err)
	}
	<-done
	mux.Wait()
	receive.Release()
	detach.Release()
}

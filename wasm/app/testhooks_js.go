package main

import (
	"context"
	"encoding/json"
	"runtime/metrics"
	"syscall/js"
	"time"

	"lanes/wasm/pool"
)

// installTestHooks gives the browser tests and the benchmark what the page
// does not show: window.lanesTest with
//
//	poolStatus()   a promise of the coordinator's pool: {size, ready, busy}
//	failWorker(n)  arms CPU worker n to crash on its next call
//	lastReport()   the last report posted, as JSON ("" before the first)
//	crash()        panics in a goroutine of the page's Go program
//	collections()  how many times the page's Go has collected its garbage
//
// Only a page the tests' server marked (lanes serve --test-hooks) installs
// them. They live as long as the page, so they are never released.
func installTestHooks(b *backend, c *pool.Coordinator) {
	hooks := js.Global().Get("Object").New()
	hooks.Set("poolStatus", promised(func(ctx context.Context) (any, error) {
		st, err := c.Status(ctx)
		return map[string]any{"size": st.Size, "ready": st.Ready, "busy": st.Busy}, err // js.ValueOf takes no structs
	}))
	hooks.Set("failWorker", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			n := args[0].Int()
			go func() { _ = c.Fail(context.Background(), n) }()
		}
		return nil
	}))
	hooks.Set("lastReport", js.FuncOf(func(js.Value, []js.Value) any {
		b.mu.Lock()
		rep := b.lastReport
		b.mu.Unlock()
		if rep == nil {
			return ""
		}
		data, err := json.Marshal(rep)
		if err != nil {
			return ""
		}
		return string(data)
	}))
	hooks.Set("crash", js.FuncOf(func(js.Value, []js.Value) any {
		go panic("lanes test: crash asked for")
		return nil
	}))
	hooks.Set("collections", js.FuncOf(func(js.Value, []js.Value) any {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}))
	installTaskHooks(b, hooks)
	js.Global().Set("lanesTest", hooks)
}

// promised wraps f as a JavaScript function that returns a Promise of
// f's value, computed in a goroutine (a callback must not wait).
func promised(f func(context.Context) (any, error)) js.Func {
	return js.FuncOf(func(js.Value, []js.Value) any {
		var executor js.Func
		executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
			resolve, reject := args[0], args[1]
			executor.Release()
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				v, err := f(ctx)
				if err != nil {
					reject.Invoke(err.Error())
					return
				}
				resolve.Invoke(v)
			}()
			return nil
		})
		return js.Global().Get("Promise").New(executor)
	})
}

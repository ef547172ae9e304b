package main

import (
	"context"
	"syscall/js"

	"lanes/wasm/pool"
)

// installTestHooks gives the browser tests and the benchmark what the page
// does not show: window.lanesTest with
//
//	poolStatus()   a promise of the coordinator's pool: {size, ready, busy}
//	failWorker(n)  arms CPU worker n to crash on its next call
//	lastReport()   the last report posted, as JSON ("" before the first)
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
		defer b.mu.Unlock()
		return b.lastReport
	}))
	js.Global().Set("lanesTest", hooks)
}

package promise

import (
	"context"
	"errors"

	"github.com/hack-pad/safejs"
)

// Await waits for a JavaScript promise from a goroutine (never from a
// callback: the promise settles only when Go yields to the event loop),
// or until ctx is done. Its callbacks are released when the promise
// settles, even after Await has given up on it. A rejection is an error
// with the reason's text.
func Await(ctx context.Context, promise safejs.Value) (safejs.Value, error) {
	type settled struct {
		v   safejs.Value
		err error
	}
	ch := make(chan settled, 1) // one of the callbacks sends, without waiting
	var then, catch safejs.Func
	release := func() {
		then.Release()
		catch.Release()
	}
	then, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settled{v: arg(args)}
		release()
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	catch, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		msg := "promise rejected"
		if s, err := arg(args).Call("toString"); err == nil {
			msg, _ = s.String()
		}
		ch <- settled{err: errors.New(msg)}
		release()
		return nil
	})
	if err != nil {
		then.Release()
		return safejs.Undefined(), err
	}
	if _, err := promise.Call("then", then.Value(), catch.Value()); err != nil {
		release()
		return safejs.Undefined(), err
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return safejs.Undefined(), ctx.Err()
	}
}

func arg(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}

// Ignore marks p's rejection as handled, for a promise whose outcome
// nobody waits for: an unhandled rejection is an error in the console,
// and under Node it ends the process. The handler is JavaScript's own
// Boolean, which takes the reason and drops it, so that no Go function
// has to outlive the promise (or this Go instance).
func Ignore(p safejs.Value) {
	if handler, err := safejs.Global().Get("Boolean"); err == nil {
		_, _ = p.Call("catch", handler)
	}
}

package workload

import (
	"context"
	"sync"
)

// MaxHeld is the most body bytes the process holds at once, summed over
// every download whose body is kept for more work (a fetch-hash of more
// than one round, the hybrid's bodies on their way to a worker): without
// it, 1000 tasks could hold 1000 bodies of up to MaxBody each. A download
// that would go over waits, honouring its context, until others give
// their bytes back.
const MaxHeld = 256 << 20

// held is the process's budget of held body bytes.
var held = newBudget(MaxHeld)

// A budget is a count of bytes that downloads take and give back.
type budget struct {
	mu       sync.Mutex
	left     int64
	returned chan struct{} // closed, and replaced, when bytes come back
}

func newBudget(n int64) *budget {
	return &budget{left: n, returned: make(chan struct{})}
}

// take takes n bytes, waiting until there are that many; when ctx is done
// first it takes nothing and returns ctx.Err(). n must not exceed the
// whole budget.
func (b *budget) take(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if n <= b.left {
			b.left -= n
			b.mu.Unlock()
			return nil
		}
		returned := b.returned
		b.mu.Unlock()
		select {
		case <-returned:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// give gives n bytes back.
func (b *budget) give(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.left += n
	close(b.returned)
	b.returned = make(chan struct{})
}

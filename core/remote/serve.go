package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"lanes/core/workload"
)

// Serve is a worker's main loop over a stream: it reads one JSON Request a
// line from in and writes one JSON Response a line to out. Each request is
// handled in its own goroutine and answered exactly once. Serve returns nil
// when in ends, or ctx.Err().
func Serve(ctx context.Context, runner workload.Runner, in io.Reader, out io.Writer) error {
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	var wg sync.WaitGroup
	defer wg.Wait()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 2*workload.MaxBody)
	for sc.Scan() {
		var req Request
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("remote: bad request: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := Handle(ctx, runner, req)
			mu.Lock()
			defer mu.Unlock()
			_ = enc.Encode(resp) // a closed pipe means the parent has gone
		}()
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

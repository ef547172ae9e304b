package workload

import (
	"context"
	"fmt"
)

// defaultClient stands in, in the browser, for the Client a Runner was
// not given: core never calls JavaScript (it does not import syscall/js),
// so the browser's programs give their Runners wasm/fetch's Client, which
// calls the Fetch API. Without one, a download fails saying so.
var defaultClient Client = noClient{}

type noClient struct{}

func (noClient) Get(_ context.Context, url string) (*Response, error) {
	return nil, fmt.Errorf("GET %s: no workload.Client to download with in this build (wasm/fetch has the browser's)", url)
}

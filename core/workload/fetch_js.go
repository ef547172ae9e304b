package workload

import "net/http"

// defaultClient downloads for a Runner without a Client: in the browser,
// the Fetch API behind http.DefaultClient (the Runner's Timeout bounds it).
var defaultClient = http.DefaultClient

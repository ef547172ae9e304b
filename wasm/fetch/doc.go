// Package fetch sends HTTP requests with the browser's Fetch API, for the
// page and its Web Workers: its Client is the workload.Client of every
// download in the browser, and Do serves the page's other requests.
//
// It stands in for net/http, which in a browser calls the same API but
// brings crypto/tls, crypto/x509 and the rest of a native HTTP stack into
// the wasm binary with it: with them app.wasm was 13.1 MB, 2.41 MB
// brotli; without, 5.9 MB and 1.19 MB. wasm/app's tests keep them out.
package fetch

// Package pool runs Lanes' work in Web Workers from the page: a Pool of
// workers, each its own Go instance instantiated from one compiled
// app.wasm, implements remote.Pool for the strategies that use remote
// workers, and runs the other strategies whole inside one worker, so that
// no CPU work ever runs on the page's main thread.
//
// A worker can only be stopped by terminating it: a stopped or crashed
// worker fails its calls and is replaced from the cached module at once.
package pool

package report

// Where a run's lanes ran: Run.Where.
const (
	WhereLocal  = "local"  // goroutines in the Go instance that ran the strategy
	WhereRemote = "remote" // worker processes, or Web Workers
	WhereHybrid = "hybrid" // I/O in local goroutines, CPU on remote workers
)

// What kind of work a run's tasks were: Run.Work.
const (
	WorkCPU      = "cpu"       // computing
	WorkFetch    = "fetch"     // downloading
	WorkWait     = "wait"      // waiting a known time
	WorkFetchCPU = "fetch+cpu" // downloading, then computing
	// WorkTask is a user's own task (the demo task): computing, waiting or
	// both, which only its measurement tells. Its capacity is CPU work's,
	// and a speedup beyond it is the tasks waiting (see Verdict).
	WorkTask = "task"
)

// ConnsPerHost is how many HTTP connections a browser opens to one host at
// once. In the browser every download goes to the page's own origin (the
// built-in targets, or the proxy), so it caps a run's downloads in flight.
const ConnsPerHost = 6

// Capacity returns how many of run's lanes can really make progress at once
// on platform p, from the report's data alone, so the page and the command
// line compute it alike:
//
//   - CPU work in goroutines: natively min(lanes, GOMAXPROCS); in the browser
//     1, because in-process strategies run inside one Web Worker, one thread;
//   - CPU work on worker processes or Web Workers: min(lanes, CPUs), CPUs
//     being the browser's navigator.hardwareConcurrency in a browser report;
//     for the hybrid, min(RemoteLanes, CPUs);
//   - waits: every lane, they need no CPU;
//   - downloads (alone or followed by CPU work): every lane natively, and at
//     most ConnsPerHost in the browser.
//
// A run without Work (a report from before it existed) counts as CPU work
// in goroutines. The result is at least 1.
func Capacity(p Platform, run Run) int {
	lanes := max(run.Lanes, 1)
	browser := p.Kind == "browser"
	switch run.Work {
	case WorkWait:
		return lanes
	case WorkFetch, WorkFetchCPU:
		if browser {
			return min(lanes, ConnsPerHost)
		}
		return lanes
	}
	cpus := max(p.CPUs, 1)
	switch run.Where {
	case WhereRemote:
		return min(lanes, cpus)
	case WhereHybrid:
		return min(max(run.RemoteLanes, 1), cpus)
	}
	if browser {
		return 1
	}
	procs := p.GOMAXPROCS
	if procs < 1 {
		procs = cpus
	}
	return min(lanes, procs)
}

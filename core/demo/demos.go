package demo

import (
	"sync"

	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

var cpuStrategies = []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Semaphore, strategy.Workers, strategy.Partition}

var demos = []*Demo{
	{
		ID:    "io-download",
		Title: "Downloading: I/O-bound work",
		Explain: "Each task downloads a page and counts its bytes. The time goes to waiting on the network, " +
			"not to the CPU, so anything that overlaps the waits — a pool, a goroutine per task, a semaphore — " +
			"finishes in about the time of the slowest batch, even on one core. In the browser, at most six " +
			"connections go to one server at a time, which shows as a stair-step.",
		Python:     "concurrent.futures.ThreadPoolExecutor(max_workers=K).map(download, sites) / asyncio.gather(*downloads)",
		Params:     []Param{tasksParam(20, 1000), workersParam(4), latencyParam("delay of each built-in target before its first byte", 100, 0), timeoutParam(0, 0), runsParam()},
		Targets:    true,
		Strategies: []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Semaphore, strategy.Workers},
		Default:    []string{strategy.Sequential, strategy.Pool, strategy.Goroutines},
		Sources:    sources("workload/spec.go", "strategy/strategy.go"),
		work: tasksOnly(func(cfg Config, env Env) ([]strategy.Task, error) {
			return downloads(cfg, env, workload.KindFetch, 0)
		}),
	},
	{
		ID:    "connections",
		Title: "Ten thousand connections: a goroutine per wait",
		Explain: "Each task is one connection waiting on the network for the latency — a simulated round trip, " +
			"no CPU — that answers k², so the total is exact. A goroutine per connection parks every one of them " +
			"at once: the run takes about one latency, and a parked goroutine costs a few KiB of stack. A pool " +
			"of K lanes (Python's thread pool: a thread a lane) waits on K at a time, ⌈N/K⌉ rounds of the " +
			"latency. A semaphore of K keeps a goroutine per connection but lets only K wait at once: as slow " +
			"as the pool, with every goroutine's memory. Each run's report says what a lane cost in memory: a " +
			"parked goroutine's stack, and natively an OS thread's memory for comparison.",
		Python: "asyncio.gather(*(fetch(c) for c in conns))  vs  ThreadPoolExecutor(max_workers=K).map(fetch, conns)  " +
			"vs  async with asyncio.Semaphore(K)",
		Params: []Param{tasksParam(10_000, 10_000).WithHelp("connections, one task each").WithServerMax(10_000),
			knob(KnobWorkers).Param(1000, 1, 10_000).WithHelp("K: the pool's lanes, or the semaphore's permits").WithServerMax(10_000),
			latencyParam("each connection's wait, a simulated round trip", 200, 1), timeoutParam(0, 0), runsParam()},
		Strategies: []string{strategy.Pool, strategy.Goroutines, strategy.Semaphore},
		Default:    []string{strategy.Pool, strategy.Goroutines},
		Sources:    sources("demo/tasks.go", "demo/memory.go", "strategy/strategy.go"),
		work: func(cfg Config, _ Env, _ string) (work, error) {
			return work{tasks: connections(cfg), watch: func() func(*report.Run) { return watchMemory(cfg.Latency) }}, nil
		},
	},
	{
		ID:    "cpu-sumsq",
		Title: "Sum of squares: CPU-bound work",
		Explain: "Each task adds up i² over its slice of [0, size), exactly, beyond 64 bits. The time goes to " +
			"the CPU, so only as many tasks make progress at once as there are cores running them: goroutines " +
			"speed it up natively, but inside one browser Go instance (one thread, like Python's GIL) they take " +
			"turns, and only separate workers — processes, Web Workers — run in parallel.",
		Python:     "multiprocessing.Pool(K).map(sum_squares, chunks)  vs  ThreadPoolExecutor (no faster under the GIL)",
		Params:     []Param{tasksParam(8, 10_000), workersParam(2), sizeParam("sum i² for 0 ≤ i < size", 1_000_000_000, workload.MaxSumSquaresHi, 1_000_000_000), timeoutParam(0, 0), runsParam()},
		Strategies: cpuStrategies,
		Default:    []string{strategy.Sequential, strategy.Goroutines, strategy.Workers},
		Sources:    sources("workload/sumsq.go", "workload/u128.go"),
		work:       splitting(workload.KindSumSquares),
	},
	{
		ID:    "cpu-primes",
		Title: "Counting primes: CPU-bound work",
		Explain: "Each task counts the primes in its slice of [0, size) with a segmented sieve. Like the sum of " +
			"squares it is all CPU, with a different mix of memory and arithmetic: compare how much the browser " +
			"loses to native here and there.",
		Python:     "ProcessPoolExecutor(K).map(count_primes, ranges)",
		Params:     []Param{tasksParam(8, 10_000), workersParam(2), sizeParam("count primes below size", 1_000_000_000, workload.MaxPrimesHi, 1_000_000_000), timeoutParam(0, 0), runsParam()},
		Strategies: cpuStrategies,
		Default:    []string{strategy.Sequential, strategy.Goroutines, strategy.Workers},
		Sources:    sources("workload/primes.go"),
		work:       splitting(workload.KindPrimes),
	},
	{
		ID:    "order",
		Title: "Results in order, or as they complete",
		Explain: "The tasks take very different times. Delivered in submission order, a quick result waits " +
			"behind every slow one submitted before it; delivered as they complete, each arrives the moment it " +
			"is ready. Both finish together — what changes is when you can use each result. Watch the marks " +
			"where results are delivered.",
		Python:     "executor.map(f, items)  vs  for fut in as_completed(futures)",
		Params:     []Param{tasksParam(8, 100), workersParam(3), latencyParam("one unit of task length; tasks last 1 to 7 units", 50, 1), timeoutParam(0, 0), runsParam()},
		Strategies: []string{"ordered", "as-completed"},
		Default:    []string{"ordered", "as-completed"},
		Sources:    sources("strategy/strategy.go", "demo/tasks.go"),
		variants: map[string]variant{
			"ordered":      {strategy: strategy.Pool, ordered: true},
			"as-completed": {strategy: strategy.Pool},
		},
		work: tasksOnly(func(cfg Config, env Env) ([]strategy.Task, error) {
			return waits(cfg), nil
		}),
	},
	{
		ID:    "skew",
		Title: "Skewed tasks: static split vs dynamic queue vs chunks",
		Explain: "Every fourth task is eight times the others, as when the input is sorted or grouped. A static " +
			"split (task k to worker k mod K) fixes who does what before anyone knows the costs: with 2 workers, " +
			"worker 0 gets every heavy task and worker 1 sits idle for most of the run. A dynamic queue hands out " +
			"the next task to whoever is free; chunks of tasks cut the messages but can bring some of the " +
			"imbalance back.",
		Python:     "pool.map(f, items, chunksize=c)  vs  pool.imap_unordered(f, items)  vs  items[i::K]",
		Params:     []Param{tasksParam(32, 10_000), workersParam(2), sizeParam("sum i² for 0 ≤ i < size, in skewed slices", 400_000_000, workload.MaxSumSquaresHi, 1_000_000_000), chunkParam(4), timeoutParam(0, 0), runsParam()},
		Strategies: []string{strategy.Partition, strategy.Pool, strategy.Chunked},
		Default:    []string{strategy.Partition, strategy.Pool, strategy.Chunked},
		Sources:    sources("demo/tasks.go", "strategy/strategy.go"),
		variants: map[string]variant{
			strategy.Pool: {strategy: strategy.Workers}, // a dynamic queue over the same remote workers
		},
		work: tasksOnly(func(cfg Config, env Env) ([]strategy.Task, error) {
			return splitSkewed(cfg.Size, cfg.Tasks), nil
		}),
	},
	{
		ID:    "pipeline",
		Title: "Download, then compute: the hybrid",
		Explain: "Each task downloads a page, then hashes it size times — I/O, then CPU. Threads overlap the " +
			"downloads but not the hashing; processes do both but pay to start and to ship data. The hybrid " +
			"downloads with goroutines and hands each body to a worker for the CPU part, which is what " +
			"asyncio with run_in_executor on a process pool does.",
		Python:     "await loop.run_in_executor(process_pool, crunch, await fetch(url))",
		Params:     []Param{tasksParam(20, 1000), workersParam(2), sizeParam("hashing rounds over each body", 500, 100_000, 5_000), latencyParam("delay of each built-in target before its first byte", 100, 0), timeoutParam(0, 0), runsParam()},
		Targets:    true,
		Strategies: []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Workers, strategy.Hybrid},
		Default:    []string{strategy.Sequential, strategy.Goroutines, strategy.Workers, strategy.Hybrid},
		Sources:    sources("workload/hash.go", "strategy/hybrid.go"),
		work: tasksOnly(func(cfg Config, env Env) ([]strategy.Task, error) {
			return downloads(cfg, env, workload.KindFetchHash, int(cfg.Size))
		}),
	},
	{
		ID:    "race",
		Title: "A shared counter: races and locks",
		Explain: "Every task adds 1 to one shared counter, size times. Read-then-write without a lock loses the " +
			"updates that land in between — counted here, never hidden. A mutex, an atomic add, or a single " +
			"owner fed by messages all keep every update, at different costs. Inside one browser Go instance " +
			"nothing runs between the read and the write, so even the unsafe counter may lose nothing there: " +
			"the bug is still in the code.",
		Python:     "counter += 1 in threads  vs  with lock: counter += 1  vs  multiprocessing.Value / a Queue",
		Params:     []Param{tasksParam(4, 64).WithHelp("goroutines sharing the counter"), sizeParam("increments per task", 100_000, 10_000_000, 1_000_000), timeoutParam(0, 0), runsParam()},
		Strategies: []string{RaceUnsafe, RaceMutex, RaceAtomic, RaceChannel},
		Default:    []string{RaceUnsafe, RaceMutex, RaceAtomic, RaceChannel},
		Sources:    sources("demo/race.go"),
		// Every variant runs a goroutine per task, sharing one counter.
		variants: map[string]variant{
			RaceUnsafe: {strategy: strategy.Goroutines}, RaceMutex: {strategy: strategy.Goroutines},
			RaceAtomic: {strategy: strategy.Goroutines}, RaceChannel: {strategy: strategy.Goroutines},
		},
		work: func(cfg Config, env Env, id string) (work, error) { return raceWork(cfg, id, new(sync.Mutex)), nil },
	},
	{
		ID:    "cancel",
		Title: "Cancellation: stopping long tasks",
		Explain: "Long CPU tasks run under a deadline (or until you press Stop). Goroutines check their context " +
			"and stop where they are; a worker process or Web Worker busy in a loop can only be killed and " +
			"replaced. What finished keeps its exact value; what was cut is reported as cut, and the total as partial.",
		Python:     "future.cancel() / asyncio.wait_for(task, timeout) / pool.terminate()",
		Params:     []Param{tasksParam(8, 1000), workersParam(2), sizeParam("sum i² for 0 ≤ i < size, split into tasks", workload.MaxSumSquaresHi, workload.MaxSumSquaresHi, 0), timeoutParam(500, 1), runsParam()},
		Strategies: []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Workers},
		Default:    []string{strategy.Sequential, strategy.Pool, strategy.Workers},
		Sources:    sources("workload/sumsq.go", "strategy/strategy.go"),
		work:       splitting(workload.KindSumSquares),
	},
}

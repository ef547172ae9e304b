package demo

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"

	"lanes/core/report"
)

// threadProbe is how many OS threads probeThreads starts.
const threadProbe = 100

// probeThreads measures what an OS thread costs, as a pool of threads
// (Python's ThreadPoolExecutor) pays for each lane: it starts threadProbe
// goroutines that each lock themselves to an OS thread of their own
// (runtime.LockOSThread) and park, so the runtime starts a thread for
// each, reads /proc before and while they are parked, then lets them end,
// which ends their threads. The cost per thread is each difference over
// the threads /proc counted (the runtime may also start a spare one). It
// first returns every free page to the system (debug.FreeOSMemory), so
// that the runtime does not give memory back while the probe counts. A
// figure that came out negative — memory given back all the same, or,
// for the kernel's stacks, counted machine-wide, another process's
// threads ending — is left out.
func probeThreads(m *report.Memory) {
	debug.FreeOSMemory()
	before, err := readProc()
	if err != nil {
		return
	}
	release := make(chan struct{})
	var ready, done sync.WaitGroup
	for range threadProbe {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			ready.Done()
			<-release
		}()
	}
	ready.Wait()
	during, err := readProc()
	close(release)
	done.Wait()
	n := during.threads - before.threads
	if err != nil || n <= 0 {
		return
	}
	each := func(kB int64) float64 { return float64(max(kB, 0)*1024) / float64(n) }
	m.Threads = int(n)
	m.ThreadRSSBytes = each(during.rss - before.rss)
	m.ThreadKernelBytes = each(during.kernelStack + during.pageTables - before.kernelStack - before.pageTables)
	m.ThreadReservedBytes = each(during.vm - before.vm)
}

// proc is what probeThreads reads from /proc, sizes in kB.
type proc struct {
	threads, rss, vm, pageTables, kernelStack int64
}

func readProc() (proc, error) {
	var p proc
	fields := []struct {
		file, key string
		into      *int64
	}{
		{"/proc/self/status", "Threads", &p.threads},
		{"/proc/self/status", "VmSize", &p.vm},
		{"/proc/self/status", "VmPTE", &p.pageTables},
		{"/proc/self/smaps_rollup", "Rss", &p.rss}, // exact, where status's VmRSS may lag
		{"/proc/meminfo", "KernelStack", &p.kernelStack},
	}
	read := map[string][]byte{}
	for _, f := range fields {
		data, ok := read[f.file]
		if !ok {
			var err error
			if data, err = os.ReadFile(f.file); err != nil {
				return p, err
			}
			read[f.file] = data
		}
		*f.into = procValue(data, f.key)
	}
	return p, nil
}

// procValue reads the number after "key:" on a line of a /proc file, 0
// when there is none.
func procValue(data []byte, key string) int64 {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || string(k) != key {
			continue
		}
		f := bytes.Fields(v)
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(string(f[0]), 10, 64)
		return n
	}
	return 0
}

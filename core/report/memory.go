package report

import "fmt"

// Memory is what a run's lanes cost in memory, measured around the run
// (the connections demo measures it): what a parked goroutine added to
// the Go runtime's stacks, and natively on Linux, for comparison, what an
// OS thread adds to the process and the kernel. Each figure is a count
// and a cost per lane, in bytes; a figure that could not be measured is
// absent (zero). They are differences in what the process holds, so in a
// process doing other work meanwhile (a server running two demos at
// once) they take in some of that work's too.
type Memory struct {
	// Goroutines is how many more goroutines were alive at the moment the
	// run had the most than before it started, and GoroutineStackBytes the
	// stack memory they added, each (the runtime's
	// /memory/classes/heap/stacks:bytes). Stacks only: a goroutine's
	// record on the heap (a few hundred bytes) is not counted. Set when
	// the run parked at least MinGoroutines, below which the runtime's
	// caches of free stacks blur the figure.
	Goroutines          int     `json:"goroutines,omitempty"`
	GoroutineStackBytes float64 `json:"goroutine_stack_bytes,omitempty"`
	// Threads is how many OS threads a probe after the run started, each
	// holding a parked goroutine (runtime.LockOSThread); ThreadRSSBytes
	// the process's resident memory each added (/proc/self/smaps_rollup),
	// ThreadKernelBytes what each added in the kernel, its stack and page
	// tables (/proc/meminfo's KernelStack, counted machine-wide, and
	// /proc/self/status's VmPTE), and ThreadReservedBytes the address
	// space each reserved, most of it a stack never touched (VmSize).
	Threads             int     `json:"threads,omitempty"`
	ThreadRSSBytes      float64 `json:"thread_rss_bytes,omitempty"`
	ThreadKernelBytes   float64 `json:"thread_kernel_bytes,omitempty"`
	ThreadReservedBytes float64 `json:"thread_reserved_bytes,omitempty"`
}

// MinGoroutines is the fewest goroutines over which Memory gives a cost
// per goroutine: the runtime keeps up to 64 exited goroutines' stacks for
// reuse on each P, which a few hundred new goroutines may take instead of
// new stack memory.
const MinGoroutines = 1000

// ThreadBytes is what an OS thread cost in memory actually used: its
// resident memory and its kernel memory.
func (m Memory) ThreadBytes() float64 { return m.ThreadRSSBytes + m.ThreadKernelBytes }

// Summary says in words what a lane cost, or "" when nothing was
// measured: "10001 goroutines at once: 2.0 KiB of stack each (19.5 MiB);
// an OS thread: 35.0 KiB (15.0 KiB resident, 20.0 KiB in the kernel) and
// 7.8 MiB of address space, over 100 threads".
func (m Memory) Summary() string {
	var parts []string
	if m.Goroutines > 0 && m.GoroutineStackBytes > 0 {
		parts = append(parts, fmt.Sprintf("%d goroutines at once: %s of stack each (%s)",
			m.Goroutines, FormatBytes(m.GoroutineStackBytes), FormatBytes(m.GoroutineStackBytes*float64(m.Goroutines))))
	}
	if m.Threads > 0 && m.ThreadBytes() > 0 {
		s := fmt.Sprintf("an OS thread: %s (%s resident, %s in the kernel)",
			FormatBytes(m.ThreadBytes()), FormatBytes(m.ThreadRSSBytes), FormatBytes(m.ThreadKernelBytes))
		if m.ThreadReservedBytes > 0 {
			s += fmt.Sprintf(" and %s of address space", FormatBytes(m.ThreadReservedBytes))
		}
		parts = append(parts, s+fmt.Sprintf(", over %d threads", m.Threads))
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return parts[0] + "; " + parts[1]
}

// FormatBytes writes a size in bytes as the summaries show it: "512 B",
// "2.0 KiB", "19.5 MiB".
func FormatBytes(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// Package timeline draws a run as the page shows it: a lane per worker or
// goroutine, each task's states on its lane, and under the time axis a
// strip that counts the tasks off their lanes (queued, waiting for a
// permit, done but not yet delivered) beside those running. When there
// are more lanes than fit, lanes are grouped into density rows, each
// shading the share of its lanes in each state at every column.
//
// A Model is built once per run; drawing it at a View (a window of time,
// for zoom and pan) fills an RGBA Image, which the page puts on a canvas,
// and writes the text (lane names, the axis) as SVG markup laid over it.
// Hit testing, moving between tasks with the keys and each task's details
// are here too, so that everything but the DOM is tested natively.
package timeline

import (
	"cmp"
	"math"
	"slices"

	"lanes/core/report"
)

// A Model is a run prepared for drawing at any view.
type Model struct {
	run    report.Run
	span   float64 // the full time scale, in ms
	own    float64 // the run's own extent
	lanes  []int   // the lanes drawn, in order
	perRow int     // lanes a row holds: 1, or more in density rows
	rows   int
	room   int     // the rows laid out: rows, or a live run's rows to come (Sketch)
	items  []item  // the drawn tasks, by row then start
	rowAt  []int32 // items of row r: items[rowAt[r]:rowAt[r+1]]
	segs   []seg   // the stretches of the items on their lanes
	strip  []seg   // the stretches the strip counts
	most   int     // the most tasks the strip counts at once
	mostOf [numKinds]int
	sketch bool    // most and mostOf are read off the drawing (Sketch), not counted (Reset)
	has    uint32  // the kinds present, by bit
	failed bool    // a drawn task failed
	marks  bool    // some result was delivered
	laneIx []int32 // each lane's place, by lane; nil when lanes are sparse

	// What is read of the run's tasks so far, in their order: a run under
	// way is read again only from where the last Sketch stopped.
	read     int     // the tasks read
	found    []item  // the items of the tasks read, in the tasks' order
	tasksEnd float64 // the latest time of the tasks read

	next        []int32 // memory kept for the next arrangement
	keys, spare []uint64

	// Reset in steps (Begin, Step): the next step, and the time scale
	// asked for.
	step  step
	asked float64
}

// A step is what Step does next.
type step int8

const (
	made      step = iota // nothing: the model is made
	reading               // the next readStep tasks
	arranging             // the lanes and rows
	ending                // the keys of the stretches' ends, to count
	sorting               // the keys, in time order
	sweeping              // over them, counting the most tasks at once
)

// readStep is the tasks a Step or a Sketch reads: a tenth of the making
// of a model of 10,000 tasks, in which reading them, arranging them and
// counting them take about 4, 1 and 5 parts, the counting in three steps:
// in one, it made a fresh page's task of 21.5 ms.
const readStep = 2500

// An item is a drawn task.
type item struct {
	task       int32 // index in run.Tasks
	lane       int32 // the task's lane
	row        int32
	s0, s1     int32 // its stretches: segs[s0:s1]
	start, end float64
	delivered  float64
	failed     bool
}

// A seg is a stretch of time of one kind.
type seg struct {
	kind       Kind
	start, end float64
}

// Layout limits, in CSS pixels.
const (
	maxLaneH = 22.0  // the tallest a lane gets
	minLaneH = 5.0   // below it, lanes are grouped into density rows
	rowH     = 12.0  // a density row's height, at least
	lanesH   = 220.0 // the most room all lanes take together
)

// New prepares run for drawing at the time scale spanMs, or at the run's
// own extent where that is larger.
func New(run report.Run, spanMs float64) *Model {
	m := &Model{}
	m.Reset(run, spanMs)
	return m
}

// Reset is New into m, reusing its memory.
func (m *Model) Reset(run report.Run, spanMs float64) {
	m.Begin(run, spanMs)
	for m.Step() {
	}
}

// Begin starts Reset(run, spanMs) in steps, for a page that keeps its
// tasks short: Step takes each, and m is made when it reports none left.
// A model of 10,000 tasks took 11–30 ms in one task of a fresh page.
func (m *Model) Begin(run report.Run, spanMs float64) {
	m.forget(run)
	m.run, m.asked, m.step = run, spanMs, reading
}

// Step takes the next step of what Begin started — reading up to
// readStep tasks, arranging them, or a third of counting them — and
// reports whether one is left.
func (m *Model) Step() bool {
	switch m.step {
	case reading:
		m.readTasks(m.run, m.read+readStep)
		if m.read == len(m.run.Tasks) {
			m.step = arranging
		}
	case arranging:
		m.arrange(m.run, m.asked)
		m.step = ending
	case ending:
		m.ends()
		m.step = sorting
	case sorting:
		m.keys, m.spare = radixSort(m.keys, m.spare)
		m.step = sweeping
	case sweeping:
		m.sweep()
		m.sketch = false
		m.step = made
	}
	return m.step != made
}

// Sketch is Reset for a run under way, drawn once — the live drawing,
// several times a second: the strip's scale and its most tasks at once
// are read off the drawn columns (an average over each column's time, a
// little under the most at an instant) rather than counted exactly,
// which takes a sort of every stretch's ends. When run is the run m last
// sketched, grown by tasks at its end, only those are read: the tasks of
// a run under way arrive in order and do not change. It reads readStep
// tasks at most, and leaves the rest to the next: 10,000 goroutines'
// waits end at once, and their drawing took a task of 17 ms.
func (m *Model) Sketch(run report.Run, spanMs float64) {
	if !m.grew(run) {
		m.forget(run)
	}
	m.readTasks(run, m.read+readStep)
	m.arrange(run, spanMs)
	_, rows := rowsOf(run.Lanes)
	m.room = max(m.rows, rows)
	m.sketch, m.step = true, made
}

// grew reports whether run is the run m last sketched with tasks added at
// its end: the same strategy, and the same first and last tasks read.
func (m *Model) grew(run report.Run) bool {
	if !m.sketch || m.read == 0 || m.read > len(run.Tasks) || run.Strategy != m.run.Strategy {
		return false
	}
	same := func(a, b *report.Task) bool {
		return a.ID == b.ID && a.Lane == b.Lane && a.StartMs == b.StartMs && a.EndMs == b.EndMs && len(a.Phases) == len(b.Phases)
	}
	last := m.read - 1
	return same(&run.Tasks[0], &m.run.Tasks[0]) && same(&run.Tasks[last], &m.run.Tasks[last])
}

// Reserve makes room for a run that will grow to n tasks, so that the
// live drawing of it, made again as it grows, finds its memory ready:
// room for three stretches a task on the lanes and three under the axis
// (room: exactly that the first time, and twice what a run needs after).
// What m has read so far stays where it has the room already.
func (m *Model) Reserve(n int) {
	if cap(m.found) >= n && cap(m.items) >= n && cap(m.segs) >= 3*n && cap(m.strip) >= 3*n {
		return
	}
	m.found, m.items = room(m.found, n), room(m.items, n)
	m.segs, m.strip = room(m.segs, 3*n), room(m.strip, 3*n)
	m.read = 0
}

// forget empties what m read of a run, keeping its memory, with room for
// all of run at once: growing by appends copies ten thousand tasks'
// stretches over and over, and a first drawing paid 10 ms for it.
func (m *Model) forget(run report.Run) {
	phases := 0
	for i := range run.Tasks {
		phases += len(run.Tasks[i].Phases)
	}
	n := len(run.Tasks)
	m.found = room(m.found, n)
	m.segs = room(m.segs, n+phases)
	m.strip = room(m.strip, n+phases)
	m.read, m.tasksEnd = 0, 0
	m.has, m.failed, m.marks = 0, false, false
}

// readTasks reads the tasks of run that m has not read yet, up to the
// first upto, in proportion to them: no comparison sort (wasm calls a
// comparison, not inlined, for every step of one, which took 16 ms for
// 10,000 tasks).
func (m *Model) readTasks(run report.Run, upto int) {
	m.run = run
	upto = min(upto, len(run.Tasks))
	for i := m.read; i < upto; i++ {
		t := &run.Tasks[i]
		m.tasksEnd = larger(m.tasksEnd, larger(t.EndMs, t.DeliveredMs))
		// The strip counts a task on its lane as running, and its
		// off-lane states as they are, whether it reached a lane or not.
		on := t.Lane >= 0
		s0 := len(m.segs)
		for _, p := range t.Phases {
			m.tasksEnd = larger(m.tasksEnd, p.EndMs)
			k := stateKind(p.State)
			switch {
			case !k.OnLane():
				m.addStrip(seg{k, p.StartMs, larger(p.EndMs, p.StartMs)})
			case on && p.EndMs >= p.StartMs:
				m.segs = append(m.segs, seg{k, p.StartMs, p.EndMs})
				m.has |= 1 << k
			}
		}
		if !on {
			continue
		}
		it := item{task: int32(i), lane: int32(t.Lane), start: t.StartMs, end: larger(t.EndMs, t.StartMs),
			delivered: t.DeliveredMs, failed: t.Error != "", s0: int32(s0)}
		if len(m.segs) == s0 { // no states on the lane: one plain stretch
			m.segs = append(m.segs, seg{Ran, it.start, it.end})
			m.has |= 1 << Ran
		}
		// A remote task is handed over before its worker starts it: its
		// lane holds it from then.
		it.start = smaller(it.start, m.segs[s0].start)
		m.addStrip(seg{Running, it.start, it.end})
		it.s1 = int32(len(m.segs))
		m.failed = m.failed || it.failed
		m.marks = m.marks || it.delivered > 0
		m.found = append(m.found, it)
	}
	m.read = max(m.read, upto)
}

// arrange places the items read on their lanes and rows, at the time
// scale spanMs or the run's own extent, whichever is larger.
func (m *Model) arrange(run report.Run, spanMs float64) {
	m.own = larger(m.tasksEnd, run.WallMs)
	m.span = max(m.own, spanMs, 1e-3)
	m.placeLanes()
	m.sortItems()
}

// placeLanes finds the lanes tasks were placed on, numbers them in
// order, and groups them into density rows when they do not fit.
func (m *Model) placeLanes() {
	m.lanes = m.lanes[:0]
	top := int32(-1)
	for i := range m.found {
		top = max(top, m.found[i].lane)
	}
	if int(top) >= 4*len(m.run.Tasks)+1024 { // sparse: a saved report's odd numbering
		seen := map[int]bool{}
		for i := range m.found {
			if l := int(m.found[i].lane); !seen[l] {
				seen[l] = true
				m.lanes = append(m.lanes, l)
			}
		}
		slices.Sort(m.lanes)
		m.laneIx = nil
	} else {
		m.laneIx = room(m.laneIx, int(top)+1)[:top+1]
		for i := range m.laneIx {
			m.laneIx[i] = -1
		}
		for i := range m.found {
			m.laneIx[m.found[i].lane] = 0
		}
		for l, seen := range m.laneIx {
			if seen == 0 {
				m.laneIx[l] = int32(len(m.lanes))
				m.lanes = append(m.lanes, l)
			}
		}
	}
	m.perRow, m.rows = rowsOf(len(m.lanes))
	m.room = m.rows
}

// rowsOf is how n lanes are drawn: a row each, or perRow lanes to a
// density row when they do not fit.
func rowsOf(n int) (perRow, rows int) {
	if n <= 0 || min(maxLaneH, lanesH/float64(n)) >= minLaneH {
		return 1, max(n, 0)
	}
	most := int(math.Floor(lanesH / rowH)) // density rows that fit
	perRow = (n + most - 1) / most
	return perRow, (n + perRow - 1) / perRow
}

// lane is lane l's place among the lanes.
func (m *Model) lane(l int) int32 {
	if m.laneIx != nil {
		return m.laneIx[l]
	}
	i, _ := slices.BinarySearch(m.lanes, l)
	return int32(i)
}

// sortItems puts the items found in order of their rows, keeping the
// tasks' order within a row, and on lanes in order of their starts (which
// tasks run one after another on a lane mostly are already).
func (m *Model) sortItems() {
	m.rowAt = room(m.rowAt, m.rows+1)[:m.rows+1]
	clear(m.rowAt)
	for i := range m.found {
		it := &m.found[i]
		it.row = m.lane(int(it.lane)) / int32(m.perRow)
		m.rowAt[it.row+1]++
	}
	for r := range m.rows {
		m.rowAt[r+1] += m.rowAt[r]
	}
	m.items = room(m.items, len(m.found))[:len(m.found)]
	m.next = append(m.next[:0], m.rowAt[:m.rows]...)
	next := m.next
	for _, it := range m.found {
		m.items[next[it.row]] = it
		next[it.row]++
	}
	if m.Dense() {
		return
	}
	for r := range m.rows {
		row := m.items[m.rowAt[r]:m.rowAt[r+1]]
		for i := 1; i < len(row); i++ {
			if row[i].start < row[i-1].start {
				slices.SortStableFunc(row, func(a, b item) int { return cmp.Compare(a.start, b.start) })
				break
			}
		}
	}
}

// larger and smaller are max and min for times and shares, which are
// never NaN: in wasm the builtins call the runtime, for NaN and signed
// zeros, on every step of the loops that make and draw 10,000 tasks (a
// tenth of a drawing's time, under Node).
func larger[T ~float32 | ~float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func smaller[T ~float32 | ~float64](a, b T) T {
	if a < b {
		return a
	}
	return b
}

// room returns s emptied, with room for n: its own memory when that is
// enough, else new memory, for twice n when s had some already. A live
// run's model is made again several times a second as its run grows;
// growing by a quarter at a time, as append does, had it allocate
// megabytes in most frames, and a frame that allocates while the
// collector marks pays for the marking (a live drawing of 10,000
// goroutines took 18–26 ms). The live drawing reserves room for the
// whole run at once (Reserve).
func room[T any](s []T, n int) []T {
	switch {
	case n <= cap(s):
		return s[:0]
	case cap(s) == 0:
		return make([]T, 0, n)
	}
	return make([]T, 0, 2*n)
}

func (m *Model) addStrip(s seg) {
	m.strip = append(m.strip, s)
	m.has |= 1 << s.kind
}

// The most tasks the strip counts at once, in all and of each kind, are
// counted by a sweep over the stretches' ends in time order (an end
// before a start at the same moment): ends makes their keys, which are
// sorted (radixSort), and sweep counts. A key is the end's time in
// microseconds (a report's precision), then whether it starts a stretch,
// then the stretch's kind.
func (m *Model) ends() {
	m.keys = room(m.keys, 2*len(m.strip))
	for _, s := range m.strip {
		k := uint64(s.kind - Running)
		m.keys = append(m.keys, us(s.start)<<3|4|k, us(s.end)<<3|k)
	}
}

// sweep counts the most tasks at once over the sorted keys (ends).
func (m *Model) sweep() {
	var now [numKinds]int
	all := 0
	m.most, m.mostOf = 0, [numKinds]int{}
	for _, key := range m.keys {
		k := Running + Kind(key&3)
		d := -1
		if key&4 != 0 {
			d = 1
		}
		now[k] += d
		all += d
		m.most = max(m.most, all)
		m.mostOf[k] = max(m.mostOf[k], now[k])
	}
}

// us is a time in ms as whole microseconds, none below 0, for a key.
func us(ms float64) uint64 {
	return uint64(larger(0, math.Round(ms*1e3)))
}

// radixSort sorts keys, a byte at a time, with spare (grown as need be)
// as the other buffer; it returns the sorted keys and the other buffer.
// A byte that is the same in every key is skipped, found in one pass
// over the keys rather than one a byte: most of a key's high bytes are.
func radixSort(keys, spare []uint64) (sorted, other []uint64) {
	spare = room(spare, len(keys))[:len(keys)]
	and, or := ^uint64(0), uint64(0)
	for _, k := range keys {
		and, or = and&k, or|k
	}
	for shift := 0; shift < 64; shift += 8 {
		if (and^or)>>shift&255 == 0 {
			continue // one digit for all: the order stands
		}
		var at [257]int
		for _, k := range keys {
			at[(k>>shift)&255+1]++
		}
		for i := 1; i < 257; i++ {
			at[i] += at[i-1]
		}
		for _, k := range keys {
			d := (k >> shift) & 255
			spare[at[d]] = k
			at[d]++
		}
		keys, spare = spare, keys
	}
	return keys, spare
}

// Span is the time scale's full extent, in ms.
func (m *Model) Span() float64 { return m.span }

// Len is the number of drawn tasks (those that reached a lane).
func (m *Model) Len() int { return len(m.items) }

// Lanes is the number of lanes drawn.
func (m *Model) Lanes() int { return len(m.lanes) }

// Rows is the number of rows drawn: the lanes, or their density rows.
func (m *Model) Rows() int { return m.rows }

// Dense reports whether lanes are grouped into density rows.
func (m *Model) Dense() bool { return m.perRow > 1 }

// Has reports whether the drawing shows kind k.
func (m *Model) Has(k Kind) bool { return m.has&(1<<k) != 0 }

// Shows is what the legend shows, as a number that changes when it does:
// the kinds present, a failed task, delivery marks, density rows.
func (m *Model) Shows() uint32 {
	s := m.has
	if m.failed {
		s |= 1 << 29
	}
	if m.marks {
		s |= 1 << 30
	}
	if m.Dense() {
		s |= 1 << 31
	}
	return s
}

// Task is the drawn task i (0 ≤ i < Len).
func (m *Model) Task(i int) report.Task { return m.run.Tasks[m.items[i].task] }

// rowLanes is the first and last lane of row r.
func (m *Model) rowLanes(r int) (first, last int) {
	return m.lanes[r*m.perRow], m.lanes[min((r+1)*m.perRow, len(m.lanes))-1]
}

// rowSize is the number of lanes in row r.
func (m *Model) rowSize(r int) int {
	return min((r+1)*m.perRow, len(m.lanes)) - r*m.perRow
}

// A View is the window of time drawn, in ms: all of the run, or a part
// zoomed into.
type View struct{ From, To float64 }

// Whole is the view of the whole run.
func (m *Model) Whole() View { return View{0, m.span} }

// Width is the view's length of time.
func (v View) Width() float64 { return v.To - v.From }

// shows reports whether v shows some of the stretch of time [a, b): a
// stretch that only touches it, ending where v begins or beginning where
// it ends, is out of view; a moment (a = b) is in view from v's start to
// its end.
func (v View) shows(a, b float64) bool {
	if a == b {
		return v.From <= a && a <= v.To
	}
	return a < v.To && b > v.From
}

// minWidth is the narrowest view: a hundred-thousandth of the run, and
// never under a microsecond.
func (m *Model) minWidth() float64 { return max(m.span/1e5, 1e-3) }

// Clamp keeps v inside the run and no narrower than the narrowest view,
// keeping its width where it can.
func (m *Model) Clamp(v View) View {
	if !(v.Width() > 0) || math.IsNaN(v.From) { // nothing, or not a number
		return m.Whole()
	}
	w := math.Min(math.Max(v.Width(), m.minWidth()), m.span)
	from := math.Min(math.Max(v.From, 0), m.span-w)
	return View{from, from + w}
}

// Zoom narrows v by factor (below 1 zooms in, above 1 out), keeping the
// moment at keeps its place on the screen.
func (m *Model) Zoom(v View, factor, at float64) View {
	w := math.Min(math.Max(v.Width()*factor, m.minWidth()), m.span)
	share := 0.5
	if v.Width() > 0 {
		share = (at - v.From) / v.Width()
	}
	return m.Clamp(View{at - share*w, at - share*w + w})
}

// Pan moves v by share of its width (negative: to earlier times).
func (m *Model) Pan(v View, share float64) View {
	d := share * v.Width()
	return m.Clamp(View{v.From + d, v.To + d})
}

package timeline

import (
	"encoding/binary"
	"math"
	"slices"
)

// Geometry is where the parts of a drawing go, in CSS pixels: the lane
// names on the left, the rows of lanes, the time axis under them and the
// strip under the axis.
type Geometry struct {
	W, H         float64 // the whole drawing
	PlotL, PlotW float64 // the plot's left edge and width
	RowH         float64 // a row's height: a lane's, or a density row's
	LanesH       float64 // all rows'
	StripTop     float64
	StripH       float64
}

// The fixed parts of a drawing, in CSS pixels.
const (
	charW    = 6.4 // a digit of the words' 11 px type
	rightPad = 10.0
	axisH    = 26.0 // the time axis
	stripH   = 46.0 // the strip of counts
	stripPad = 5.0  // room above and below the strip's stack
)

// Layout places the drawing in width CSS pixels. The lane names take as
// much room as the longest needs (a phone has none to spare).
func (m *Model) Layout(width float64) Geometry {
	chars := len(m.stripMax())
	if m.rows > 0 {
		chars = max(chars, len([]rune(m.rowName(m.rows-1))))
	}
	label := math.Max(36, charW*float64(chars)+10)
	g := Geometry{W: width, PlotL: label, PlotW: math.Max(width-label-rightPad, 40)}
	rows := float64(max(m.room, 1))
	g.RowH = math.Min(maxLaneH, lanesH/rows) // density rows: 14 to 18 of them, each under maxLaneH
	g.LanesH = g.RowH * rows
	g.StripTop = g.LanesH + axisH
	g.StripH = stripH
	g.H = g.StripTop + g.StripH
	g.W = g.PlotL + g.PlotW + rightPad
	return g
}

// X is where the moment ms is drawn at view v.
func (g Geometry) X(v View, ms float64) float64 {
	return g.PlotL + g.PlotW*(ms-v.From)/v.Width()
}

// Ms is the moment drawn at x, at view v.
func (g Geometry) Ms(v View, x float64) float64 {
	return v.From + (x-g.PlotL)/g.PlotW*v.Width()
}

// An Image is an RGBA drawing in device pixels, as a canvas's ImageData
// holds it. Its memory is kept from one drawing to the next.
type Image struct {
	W, H  int     // in device pixels
	Scale float64 // device pixels per CSS pixel
	Pix   []byte  // RGBA, row by row

	tiles *tiles    // the palette's, for this width and scale
	acc   []float32 // coverage per column, for density rows and the strip
	diff  []float32
}

// Resize makes img w×h device pixels at scale device pixels per CSS
// pixel.
func (img *Image) Resize(w, h int, scale float64) {
	img.W, img.H, img.Scale = w, h, scale
	img.Pix = slices.Grow(img.Pix[:0], 4*w*h)[:4*w*h]
}

// SizeFor resizes img for the geometry g at scale.
func (img *Image) SizeFor(g Geometry, scale float64) {
	img.Resize(int(math.Round(g.W*scale)), int(math.Round(g.H*scale)), scale)
}

// tiles are each ink's pattern as whole rows of a drawing's width, one
// per row of the pattern's period: filling a stretch of a row is one copy.
type tiles [numInks][][]byte

// tileKey is what tiles are made for: a width and a scale.
type tileKey struct {
	w     int
	scale float64
}

// Prepare gives img the tiles of pal for its width and scale, which its
// first drawing at that size would make.
func (img *Image) Prepare(pal *Palette) {
	img.tiles = pal.tiles(img.W, img.Scale)
}

// tiles returns the palette's tiles for drawings w device pixels wide at
// scale, made once for all the drawings of that size (a page's
// timelines mostly share one).
func (pal *Palette) tiles(w int, scale float64) *tiles {
	key := tileKey{w, scale}
	if t, ok := pal.made[key]; ok {
		return t
	}
	if pal.made == nil || len(pal.made) >= 8 {
		pal.made = map[tileKey]*tiles{}
	}
	p := max(4, int(math.Round(6*scale))) // the period: 6 CSS pixels
	t := max(1, p/3)                      // lines a third of it thick
	ts := &tiles{}
	for ink := range numInks {
		pt := solid
		if ink < int(numKinds) {
			pt = kinds[ink].pattern
		}
		n := p
		if pt == solid {
			n = 1
		}
		rows := make([][]byte, n)
		for y := range rows {
			row := make([]byte, 4*w)
			// One period across (of every pattern: p, and a checker's
			// 2·(p/2)), then copies of what is done, doubling.
			period := min(w, p*2*max(p/2, 1))
			for x := range period {
				c := pal.shade[ink]
				if pt.on(x, y, p, t) {
					c = pal.ink[ink]
				}
				copy(row[4*x:], c[:])
			}
			for done := 4 * period; done < len(row); done *= 2 {
				copy(row[done:], row[:done])
			}
			rows[y] = row
		}
		ts[ink] = rows
	}
	pal.made[key] = ts
	return ts
}

// on reports whether the pattern draws its lines' colour at (x, y), for
// a period p and lines t thick.
func (pt pattern) on(x, y, p, t int) bool {
	switch pt {
	case diagonal:
		return (x+y)%p < t
	case antidiagonal:
		return (x-y%p+p)%p < t
	case crosshatch:
		return (x+y)%p < t || (x-y%p+p)%p < t
	case vertical:
		return x%p < t
	case horizontal:
		return y%p < t
	case dots:
		return x%p < p/2 && y%p < p/2
	case checker:
		h := max(p/2, 1)
		return (x/h+y/h)%2 == 0
	case grid:
		return x%p < t || y%p < t
	}
	return true
}

// fill fills the device pixels [x0, x1) × [y0, y1) with an ink.
func (img *Image) fill(ink, x0, y0, x1, y1 int) {
	x0, x1 = max(x0, 0), min(x1, img.W)
	y0, y1 = max(y0, 0), min(y1, img.H)
	if x0 >= x1 {
		return
	}
	tile := img.tiles[ink]
	for y := y0; y < y1; y++ {
		o := 4 * y * img.W
		copy(img.Pix[o+4*x0:o+4*x1], tile[y%len(tile)][4*x0:4*x1])
	}
}

// clear makes the device pixels [x0, x1) × [y0, y1) transparent.
func (img *Image) clear(x0, y0, x1, y1 int) {
	x0, x1 = max(x0, 0), min(x1, img.W)
	y0, y1 = max(y0, 0), min(y1, img.H)
	for y := y0; y < y1 && x0 < x1; y++ {
		o := 4 * y * img.W
		clear(img.Pix[o+4*x0 : o+4*x1])
	}
}

// dev rounds a CSS length to device pixels.
func (img *Image) dev(css float64) int { return int(math.Round(css * img.Scale)) }

// Draw draws the model at view v into img, which SizeFor sized for g.
func (m *Model) Draw(img *Image, g Geometry, v View, pal *Palette) {
	img.Prepare(pal)
	clear(img.Pix)
	s := img.Scale
	px0, px1 := img.dev(g.PlotL), img.dev(g.PlotL+g.PlotW)
	// A moment ms is drawn at device x = xa + xb·ms.
	xb := g.PlotW / v.Width() * s
	xa := g.PlotL*s - xb*v.From
	for r := 1; r < m.rows; r += 2 {
		img.fill(inkBand, px0, img.dev(float64(r)*g.RowH), px1, img.dev(float64(r+1)*g.RowH))
	}
	if m.Dense() {
		m.drawDensity(img, g, v, xa, xb, px0, px1)
	} else {
		m.drawLanes(img, g, v, xa, xb, px0, px1)
	}
	m.drawStrip(img, g, v, xa, xb, px0, px1)
}

// span is the device columns [c0, c1) that draw the moments [a, b),
// clipped to the plot's [px0, px1) and at least one column wide; ok is
// false when v does not show it (View.shows: a stretch that ends where
// the view begins is not a column over the next one's). That is decided
// in time, not pixels: the plot's edges, PlotL·scale, need not fall on
// a pixel's.
func span(a, b float64, v View, xa, xb float64, px0, px1 int) (c0, c1 int, ok bool) {
	if !v.shows(a, b) {
		return 0, 0, false
	}
	x0, x1 := xa+xb*a, xa+xb*b
	// Plain comparisons: wasm calls math.Max, its NaN cases and all.
	if x0 < float64(px0) {
		x0 = float64(px0)
	}
	if x1 > float64(px1) {
		x1 = float64(px1)
	}
	c0, c1 = int(x0+0.5), int(x1+0.5)
	if c1 <= c0 {
		c1 = c0 + 1
	}
	if c1 > px1 {
		c0, c1 = px1-1, px1
	}
	return c0, c1, true
}

// narrow is the width, in device pixels, under which a stretch on a lane
// is not filled on its own but added to its column's shares, drawn
// stacked like a density row's: ten thousand tasks on one lane would
// otherwise be drawn over each other, the last one's state hiding the
// rest, at the cost of a fill each.
const narrow = 2.0

// drawLanes draws every task on its lane: each state in its own ink, a
// gap where a task starts, a failed task's outline and the mark where
// its result was delivered. Stretches under narrow pixels wide are drawn
// as their columns' shares.
func (m *Model) drawLanes(img *Image, g Geometry, v View, xa, xb float64, px0, px1 int) {
	pad := math.Min(2, g.RowH*0.15)
	edge := max(1, img.dev(1.5)) // a failed task's outline
	cols, n := px1-px0, len(laneOrder)
	stride := cols + 1
	var acc, diff []float32
	shared := make([]bool, m.rows) // rows with shares to draw
	ys := make([]int, 2*m.rows)    // each row's top and bottom, in device pixels
	for r := range m.rows {
		ys[2*r], ys[2*r+1] = img.dev(float64(r)*g.RowH+pad), img.dev(float64(r+1)*g.RowH-pad)
	}
	for _, it := range m.items {
		if !v.shows(it.start, it.end) {
			continue
		}
		y0, y1 := ys[2*it.row], ys[2*it.row+1]
		for _, sg := range m.segs[it.s0:it.s1] {
			x0, x1 := xa+xb*sg.start, xa+xb*sg.end
			if x1-x0 < narrow {
				if acc == nil {
					acc, diff = img.coverage(m.rows*n, cols)
				}
				o := (int(it.row)*n + laneSlot[sg.kind]) * stride
				cover(acc[o:o+stride], diff[o:o+stride], x0-float64(px0), x1-float64(px0))
				shared[it.row] = true
				continue
			}
			if c0, c1, ok := span(sg.start, sg.end, v, xa, xb, px0, px1); ok {
				img.fill(int(sg.kind), c0, y0, c1, y1)
			}
		}
		if xb*(it.end-it.start) < 4 && !it.failed {
			continue // under 5 columns: no gap, and no outline
		}
		c0, c1, _ := span(it.start, it.end, v, xa, xb, px0, px1) // in view: shows, above
		if c1-c0 >= 5 && xa+xb*it.start >= float64(px0) {
			img.clear(c0, y0, c0+1, y1) // consecutive tasks on a lane stay apart
		}
		if it.failed {
			img.fill(inkFailed, c0, y0, c1, y0+edge)
			if c1-c0 > 2*edge {
				img.fill(inkFailed, c0, y1-edge, c1, y1)
				img.fill(inkFailed, c0, y0, c0+edge, y1)
				img.fill(inkFailed, c1-edge, y0, c1, y1)
			}
		}
	}
	var st stackOf
	for r, ok := range shared {
		if !ok {
			continue
		}
		m.totals(acc, diff, r, stride)
		m.stack(img, st.of(m, laneOrder[:], acc, r*n, stride), img.dev(float64(r)*g.RowH+pad), img.dev(float64(r+1)*g.RowH-pad), px0, cols, 1, true)
	}
	if m.marks {
		m.drawMarks(img, g, v, xa, xb, px0, px1)
	}
}

// drawMarks draws the marks where results were delivered, over the
// tasks: a result held behind others is mostly delivered while its lane
// runs a later task, which would hide its mark, and its own task may be
// out of view. A mark is drawn only where it says something: on a task
// wide enough to carry it, or after the task's end, where the result
// waited.
func (m *Model) drawMarks(img *Image, g Geometry, v View, xa, xb float64, px0, px1 int) {
	mark := max(1, img.dev(2))
	for _, it := range m.items {
		if it.delivered <= 0 || !v.shows(it.delivered, it.delivered) {
			continue
		}
		xd := xa + xb*it.delivered
		if xd-(xa+xb*it.end) < 1.5*img.Scale { // not after its task: on it, if it is wide enough
			if xb*(it.end-it.start) < 3 {
				continue // under 4 columns
			}
			if c0, c1, ok := span(it.start, it.end, v, xa, xb, px0, px1); !ok || c1-c0 < 4 {
				continue
			}
		}
		x := int(xd) - mark/2
		img.fill(inkDelivered, max(x, px0), img.dev(float64(it.row)*g.RowH), min(x+mark, px1), img.dev(float64(it.row+1)*g.RowH))
	}
}

// coverage sizes img's coverage arrays for n series of cols columns, all
// zero.
func (img *Image) coverage(n, cols int) (acc, diff []float32) {
	size := n * (cols + 1)
	if cap(img.acc) < size {
		img.acc, img.diff = make([]float32, size), make([]float32, size)
	}
	img.acc, img.diff = img.acc[:size], img.diff[:size]
	clear(img.acc)
	clear(img.diff)
	return img.acc, img.diff
}

// cover adds the device columns [x0, x1) (fractional, from the plot's
// first column) to a series: each column gets the share of it covered.
// Whole columns go through diff, a running sum that total adds up.
func cover(acc, diff []float32, x0, x1 float64) {
	if x0 < 0 {
		x0 = 0
	}
	if cols := float64(len(acc) - 1); x1 > cols {
		x1 = cols
	}
	if x1 <= x0 {
		return
	}
	c0, c1 := int(x0), int(x1)
	acc[c0] += float32(float64(c0+1) - x0)
	acc[c1] += float32(x1 - float64(c1))
	diff[c0+1]++
	diff[c1]--
}

// total adds a series' running sum of whole columns to its partial ones.
func total(acc, diff []float32) {
	var run float32
	for c := range acc {
		run += diff[c]
		acc[c] += run
	}
}

// totals totals row r's series of lane kinds, those the run has.
func (m *Model) totals(acc, diff []float32, r, stride int) {
	for i, k := range laneOrder {
		if m.Has(k) {
			o := (r*len(laneOrder) + i) * stride
			total(acc[o:o+stride], diff[o:o+stride])
		}
	}
}

// laneSlot and stripSlot are each kind's place in laneOrder and
// stripOrder.
var laneSlot, stripSlot = slots(laneOrder[:]), slots(stripOrder[:])

func slots(order []Kind) (slot [numKinds]int) {
	for i, k := range order {
		slot[k] = i
	}
	return slot
}

// drawDensity draws each density row as a stack, in every column, of the
// shares of the row's lanes in each state, shaded by how many are busy.
func (m *Model) drawDensity(img *Image, g Geometry, v View, xa, xb float64, px0, px1 int) {
	cols := px1 - px0
	n := len(laneOrder)
	acc, diff := img.coverage(m.rows*n, cols)
	stride := cols + 1
	for _, it := range m.items {
		if !v.shows(it.start, it.end) {
			continue
		}
		for _, sg := range m.segs[it.s0:it.s1] {
			o := (int(it.row)*n + laneSlot[sg.kind]) * stride
			cover(acc[o:o+stride], diff[o:o+stride], xa+xb*sg.start-float64(px0), xa+xb*sg.end-float64(px0))
		}
	}
	for r := range m.rows {
		m.totals(acc, diff, r, stride)
	}
	gap := 0
	if g.RowH*img.Scale >= 6 {
		gap = 1 // rows stay apart
	}
	var st stackOf
	for r := range m.rows {
		top, bottom := img.dev(float64(r)*g.RowH)+gap, img.dev(float64(r+1)*g.RowH)
		m.stack(img, st.of(m, laneOrder[:], acc, r*n, stride), top, bottom, px0, cols, float32(m.rowSize(r)), true)
	}
}

// stack draws, in each of cols columns from device x px0, the series of
// acc (one per kind of order, each stride long) stacked from bottom
// towards top, on the scale of full.
//
// Stacked as counts (the strip), a sum of full fills the whole height.
// Stacked as shares (fade: the lanes' states in a density row, or in a
// lane's column too narrow for its tasks), the states split the whole
// height in proportion, and the column's busy share — their sum over
// full — sets its shade: its square root as the opacity (a tenth of the
// lanes busy shows at a third), so that a row of 556 lanes with 20 busy
// stays visible without looking full.
//
// Neighbouring columns alike are drawn together, a row of pixels at a
// time: the data of a drawing mostly changes slowly from one column to
// the next, and one copy for many pixels is what keeps ten thousand
// tasks under a frame.
func (m *Model) stack(img *Image, st *stackOf, top, bottom, px0, cols int, full float32, fade bool) {
	h := float32(bottom - top)
	n := len(st.kinds)
	if n == 0 {
		return
	}
	var run, col [maxStack + 1]int // each kind's top, then the opacity
	start := -1
	for c := 0; c <= cols; c++ {
		if c < cols {
			scale, alpha := 1/full, 255
			if fade {
				var busy float32
				for _, s := range st.series {
					busy += s[c]
				}
				if busy > 0 {
					scale = 1 / busy
					// 16 shades: neighbouring columns alike are drawn together.
					alpha = int(larger(math.Sqrt(float64(smaller(busy/full, 1))), 0.12)*15+0.5) * 17
				}
			}
			var cum float32
			same := start >= 0
			for i, s := range st.series {
				if share := s[c]; share > 0 {
					cum = smaller(cum+share*scale, 1)
				}
				col[i] = bottom - int(cum*h+0.5)
				same = same && col[i] == run[i]
			}
			col[n] = alpha
			if same && alpha == run[n] {
				continue
			}
		}
		if start >= 0 && run[n-1] < bottom {
			img.stackRun(st.kinds, run[:n+1], bottom, px0+start, px0+c)
		}
		start, run = c, col
	}
}

// maxStack is the most kinds a stack has: the lane kinds.
const maxStack = len(laneOrder)

// A stackOf is what a stack stacks: kinds, and their series of coverage
// by column. Kinds a run does not have are left out (a density row of
// 10,000 goroutines stacks 2 of the 7), which is most of a stack's work.
type stackOf struct {
	kinds  []Kind
	series [][]float32
}

// of sets st to the kinds of order the model has, with their series:
// series i of the first at acc[(first+i)·stride:], each stride long.
func (st *stackOf) of(m *Model, order []Kind, acc []float32, first, stride int) *stackOf {
	st.kinds, st.series = st.kinds[:0], st.series[:0]
	for i, k := range order {
		if m.Has(k) {
			o := (first + i) * stride
			st.kinds = append(st.kinds, k)
			st.series = append(st.series, acc[o:o+stride])
		}
	}
	return st
}

// stackRun draws the device columns [x0, x1) of a stack: kind order[i]
// from tops[i] down to the kind below's top, or bottom; tops[len(order)]
// is the opacity.
func (img *Image) stackRun(order []Kind, tops []int, bottom, x0, x1 int) {
	n := len(order)
	alpha := tops[n]
	if x1-x0 == 1 {
		img.stackColumn(order, tops, bottom, x0)
		return
	}
	y := bottom
	for i, k := range order {
		if yt := tops[i]; yt < y {
			img.fill(int(k), x0, yt, x1, y)
			y = yt
		}
	}
	if alpha < 255 {
		a := byte(alpha)
		pix, w := img.Pix, img.W
		for yy := y; yy < bottom; yy++ {
			for o := 4*(yy*w+x0) + 3; o < 4*(yy*w+x1); o += 4 {
				pix[o] = a
			}
		}
	}
}

// stackColumn is stackRun for one column, a word a pixel with its
// opacity: ten thousand tasks on a pool's lanes are a run a column, and
// copied a byte at a time, with the opacity set after, their pixels took
// a third of the drawing.
func (img *Image) stackColumn(order []Kind, tops []int, bottom, x int) {
	n := len(order)
	keep, set := uint32(0xffffffff), uint32(0) // the pattern's opacity, or the run's
	if alpha := tops[n]; alpha < 255 {
		keep, set = 0x00ffffff, uint32(alpha)<<24
	}
	pix, w, o := img.Pix, img.W, 4*x
	y := bottom
	for i, k := range order {
		yt := tops[i]
		if yt >= y {
			continue
		}
		tile := img.tiles[k]
		p := len(tile)
		j := yt % p
		for yy := yt; yy < y; yy++ {
			v := binary.LittleEndian.Uint32(tile[j][o:])&keep | set
			binary.LittleEndian.PutUint32(pix[4*(yy*w+x):], v)
			if j++; j == p {
				j = 0
			}
		}
		y = yt
	}
}

// drawStrip draws the strip under the axis: in each column, the tasks on
// a lane, waiting for a permit, queued and undelivered, stacked, on the
// scale of the most at once.
func (m *Model) drawStrip(img *Image, g Geometry, v View, xa, xb float64, px0, px1 int) {
	if len(m.strip) == 0 {
		return
	}
	cols := px1 - px0
	n := len(stripOrder)
	acc, diff := img.coverage(n, cols)
	stride := cols + 1
	for _, sg := range m.strip {
		if !v.shows(sg.start, sg.end) {
			continue
		}
		o := stripSlot[sg.kind] * stride
		cover(acc[o:o+stride], diff[o:o+stride], xa+xb*sg.start-float64(px0), xa+xb*sg.end-float64(px0))
	}
	for i := range n {
		total(acc[i*stride:(i+1)*stride], diff[i*stride:(i+1)*stride])
	}
	if m.sketch {
		m.readCounts(acc, stride, cols)
	}
	if m.most == 0 {
		return
	}
	top, bottom := img.dev(g.StripTop+stripPad), img.dev(g.StripTop+g.StripH-stripPad)
	var st stackOf
	m.stack(img, st.of(m, stripOrder[:], acc, 0, stride), top, bottom, px0, cols, float32(m.most), false)
}

// readCounts reads a sketch's most tasks at once off the strip's columns,
// in all and of each kind.
func (m *Model) readCounts(acc []float32, stride, cols int) {
	var most float32
	m.mostOf = [numKinds]int{}
	for c := range cols {
		var all float32
		for i, k := range stripOrder {
			v := acc[i*stride+c]
			all += v
			m.mostOf[k] = max(m.mostOf[k], int(v+0.5))
		}
		most = larger(most, all)
	}
	m.most = int(most + 0.5)
	if most > 0 && m.most == 0 {
		m.most = 1 // a glimpse of a task still shows
	}
}

// DrawSwatch fills img with what the legend shows for an ink: a kind's
// pattern, a failed task's outline or a delivery mark.
func DrawSwatch(img *Image, ink int, pal *Palette) {
	img.Prepare(pal)
	clear(img.Pix)
	switch ink {
	case inkFailed:
		e := max(1, img.dev(1.5))
		img.fill(inkFailed, 0, 0, img.W, e)
		img.fill(inkFailed, 0, img.H-e, img.W, img.H)
		img.fill(inkFailed, 0, 0, e, img.H)
		img.fill(inkFailed, img.W-e, 0, img.W, img.H)
	case inkDelivered:
		w := max(1, img.dev(2))
		img.fill(inkDelivered, img.W/2-w/2, 0, img.W/2-w/2+w, img.H)
	default:
		img.fill(ink, 0, 0, img.W, img.H)
	}
}

package timeline

import (
	"strconv"
	"strings"
)

// A Color is a non-premultiplied RGBA colour, as an ImageData holds it.
type Color [4]byte

// A Palette is the colours the drawing takes from the page's style sheet,
// so that it follows the theme: each kind's colour (--tl-KEY), a failed
// task's outline (--tl-failed), a delivery mark (--tl-delivered), the
// lanes' bands (--tl-band) and the card the drawing sits on (--panel),
// which the patterns' lighter shade is mixed with. It keeps the pattern
// tiles it made for drawings of each size, so it is not safe for
// concurrent use.
type Palette struct {
	ink   [numInks]Color
	shade [numInks]Color // the background of a patterned kind
	made  map[tileKey]*tiles
}

// The light theme's colours, for when the style sheet says nothing (and
// for tests): style.css has the same, and its dark theme's.
var lightColors = map[string]string{
	"ran": "#2f81f7", "dispatch": "#a0529a", "io-wait": "#2b8cc4", "transfer": "#00875f",
	"compute": "#0b4f8a", "lock": "#c24e00", "cancelled": "#6e7781",
	"running": "#7891b0", "permit": "#b07800", "queued": "#7d6bb3", "undelivered": "#8a7a00",
	"failed": "#cf222e", "delivered": "#1a7f37", "band": "rgba(127, 127, 127, 0.07)", "panel": "#f6f8fa",
}

// NewPalette reads the drawing's colours with get, which is given a
// custom property's name (such as "--tl-compute") and returns its value;
// a colour it cannot read keeps the light theme's.
func NewPalette(get func(name string) string) *Palette {
	read := func(key, name string) Color {
		if c, ok := ParseColor(get(name)); ok {
			return c
		}
		c, _ := ParseColor(lightColors[key])
		return c
	}
	p := &Palette{}
	panel := read("panel", "--panel")
	for k := range numKinds {
		p.ink[k] = read(k.Key(), "--tl-"+k.Key())
		p.shade[k] = p.ink[k]
		if kinds[k].pattern != solid {
			p.shade[k] = mix(p.ink[k], panel, 0.3)
		}
	}
	p.ink[inkFailed] = read("failed", "--tl-failed")
	p.ink[inkDelivered] = read("delivered", "--tl-delivered")
	p.ink[inkBand] = read("band", "--tl-band")
	for i := int(numKinds); i < numInks; i++ {
		p.shade[i] = p.ink[i]
	}
	return p
}

// DefaultPalette is the light theme's palette.
func DefaultPalette() *Palette {
	return NewPalette(func(string) string { return "" })
}

// Ink is the colour the palette draws kind k's lines (or whole fill) in.
func (p *Palette) Ink(k Kind) Color { return p.ink[k] }

// mix is a with the share w of it and 1-w of b, opaque.
func mix(a, b Color, w float64) Color {
	var c Color
	for i := range 3 {
		c[i] = byte(float64(a[i])*w + float64(b[i])*(1-w) + 0.5)
	}
	c[3] = 255
	return c
}

// ParseColor reads a CSS colour written as #rgb, #rrggbb, rgb(r, g, b) or
// rgba(r, g, b, a), the forms the style sheet uses for the drawing.
func ParseColor(s string) (Color, bool) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "#"):
		hex := s[1:]
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if len(hex) != 6 {
			return Color{}, false
		}
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			return Color{}, false
		}
		return Color{byte(n >> 16), byte(n >> 8), byte(n), 255}, true
	case strings.HasPrefix(s, "rgb(") || strings.HasPrefix(s, "rgba("):
		inner := s[strings.IndexByte(s, '(')+1:]
		inner, ok := strings.CutSuffix(inner, ")")
		if !ok {
			return Color{}, false
		}
		parts := strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) != 3 && len(parts) != 4 {
			return Color{}, false
		}
		c := Color{3: 255}
		for i, part := range parts {
			v, err := strconv.ParseFloat(part, 64)
			if err != nil || v < 0 {
				return Color{}, false
			}
			if i == 3 {
				c[3] = byte(min(v, 1)*255 + 0.5)
				continue
			}
			c[i] = byte(min(v, 255) + 0.5)
		}
		return c, true
	}
	return Color{}, false
}

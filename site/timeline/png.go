package timeline

// A swatch's picture as a data: URL, written here rather than by a
// canvas: a canvas's toDataURL took the page 5–11 ms for the swatches,
// in the first drawing when the page was not idle before it.

import (
	"encoding/base64"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
)

// SwatchURL is ink's swatch (DrawSwatch) at scale device pixels per CSS
// pixel, 24×12 CSS pixels, as a data: URL of a PNG.
func SwatchURL(ink int, scale float64, pal *Palette) string {
	var img Image
	img.Resize(int(24*scale), int(12*scale), scale)
	DrawSwatch(&img, ink, pal)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(storedPNG(&img))
}

// storedPNG is img as a PNG of 8-bit RGBA whose pixels are stored, not
// compressed (a zlib stream of stored blocks): a swatch is a few
// kilobytes either way, and this takes microseconds.
func storedPNG(img *Image) []byte {
	// The pixels as PNG rows: each after its filter, 0 (none).
	row := 4 * img.W
	raw := make([]byte, 0, (row+1)*img.H)
	for y := range img.H {
		raw = append(raw, 0)
		raw = append(raw, img.Pix[y*row:(y+1)*row]...)
	}
	// A zlib stream: its header (deflate, a 32 KB window, no
	// dictionary), blocks of at most 65,535 bytes stored as they are,
	// and the Adler-32 of the bytes.
	z := []byte{0x78, 0x01}
	for rest := raw; ; {
		n := min(len(rest), 0xffff)
		final := byte(0)
		if n == len(rest) {
			final = 1
		}
		z = append(z, final)
		z = binary.LittleEndian.AppendUint16(z, uint16(n))
		z = binary.LittleEndian.AppendUint16(z, ^uint16(n))
		z = append(z, rest[:n]...)
		rest = rest[n:]
		if final == 1 {
			break
		}
	}
	z = binary.BigEndian.AppendUint32(z, adler32.Checksum(raw))

	out := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		start := len(out)
		out = append(out, kind...)
		out = append(out, data...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	var head []byte
	head = binary.BigEndian.AppendUint32(head, uint32(img.W))
	head = binary.BigEndian.AppendUint32(head, uint32(img.H))
	head = append(head, 8, 6, 0, 0, 0) // 8 bits a channel, RGBA; deflate, filters by row, no interlace
	chunk("IHDR", head)
	chunk("IDAT", z)
	chunk("IEND", nil)
	return out
}

package static

// Accepts reports whether an Accept-Encoding header accepts the coding
// enc ("br", "gzip"), as this package's own answers negotiate it: for
// other handlers that serve precompressed files (server/build).
func Accepts(acceptEncoding, enc string) bool {
	return acceptEncoding != "" && acceptQ(acceptEncoding)(enc) > 0
}

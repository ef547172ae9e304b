package strategy

// RecordPhases turns the recording of phases on or off, for the benchmark
// that measures what it costs, and returns a function that puts it back.
func RecordPhases(on bool) (restore func()) {
	was := recordPhases
	recordPhases = on
	return func() { recordPhases = was }
}

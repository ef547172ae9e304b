package report

// Verdict returns one sentence saying what run shows, computed from the
// measurement in rep.
func Verdict(rep Report, run Run) string { return "" }

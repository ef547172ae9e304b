package testkit

// mainIfWorker does nothing in the browser: there are no worker processes.
func mainIfWorker() {}

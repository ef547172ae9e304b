package remote_test

// mainIfWorker does nothing in the browser: there are no worker processes.
func mainIfWorker() {}

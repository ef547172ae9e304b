//go:build !js

package remote_test

import "lanes/core/remote"

func mainIfWorker() { remote.MainIfWorker() }

//go:build !js

package strategy_test

import "lanes/core/remote"

func mainIfWorker() { remote.MainIfWorker() }

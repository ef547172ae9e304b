package demo_test

import (
	"testing"

	"lanes/core/internal/testkit"
)

// leakOptions: this package's pools of worker processes may outlive a test.
var leakOptions = testkit.WithPools

func TestMain(m *testing.M) { testkit.Main(m, leakOptions) }

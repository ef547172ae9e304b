package remote_test

import (
	"testing"

	"lanes/core/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m, testkit.Ignored) }

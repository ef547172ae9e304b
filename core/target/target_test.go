package target

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBodyIsDeterministicAndPrefixed(t *testing.T) {
	a := Body(BigName, BigBytes)
	require.Len(t, a, BigBytes)
	assert.Equal(t, a, Body(BigName, BigBytes), "same name and length, same body")
	assert.Equal(t, a[:SmallBytes], Body(BigName, SmallBytes), "a shorter body is a prefix")
	assert.NotEqual(t, a[:SmallBytes], Body(SmallName, SmallBytes), "names differ, bodies differ")
	for _, c := range a {
		require.Contains(t, alphabet, string(c))
	}
	assert.Empty(t, Body("x", 0))
}

func ExampleURL() {
	fmt.Println(URL(BigName, BigBytes, 100*time.Millisecond))
	// Output: /t/jython?bytes=10394&delay=100ms
}

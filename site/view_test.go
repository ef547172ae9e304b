package site

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormats(t *testing.T) {
	assert.Equal(t, "12.5 ms", FormatMs(12.5))
	assert.Equal(t, "1.94×", FormatRatio(1.94))
	assert.Equal(t, "90%", FormatPercent(0.9))
}

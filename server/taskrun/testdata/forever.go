// A user's task whose task 0 loops forever and never looks at ctx; the
// others give i² at once.
package task

import (
	"context"
	"strconv"
)

var spin uint64

func Task(ctx context.Context, i, n int) (string, error) {
	if i == 0 {
		for {
			spin++
		}
	}
	return strconv.Itoa(i * i), nil
}

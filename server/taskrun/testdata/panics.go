// A user's task whose task 3 panics; the others give i².
package task

import (
	"context"
	"strconv"
)

func Task(ctx context.Context, i, n int) (string, error) {
	if i == 3 {
		var m map[string]int
		m["boom"]++ // assignment to entry in nil map
	}
	return strconv.Itoa(i * i), nil
}

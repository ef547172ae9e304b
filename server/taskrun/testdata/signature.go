package task

import "context"

// Task forgot n.
func Task(ctx context.Context, i int) (string, error) {
	return "", nil
}

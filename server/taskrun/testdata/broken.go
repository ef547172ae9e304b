package task

import "context"

func Task(ctx context.Context, i, n int) (string, error) {
	x := 1
	return y, nil
}

package main

import (
	"context"
	"io"
)

func runReshard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	io.WriteString(stderr, "bot reshard: not implemented yet\n")
	return 2
}

package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// app is the running bot, for tests.
type app struct{}

func serveDiscord(ctx context.Context, cfg Config, log *slog.Logger, svc *quiz.Service, st *boltstore.Store, h hooks) error {
	return errors.New("the Discord adapter is not built yet: unset DISCORD_TOKEN to use the console")
}

func runReshard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	io.WriteString(stderr, "bot reshard: not implemented yet\n")
	return 2
}

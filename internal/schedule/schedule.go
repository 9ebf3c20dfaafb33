// Package schedule decides when periodic work runs: a table of named tasks, each run on its own
// interval until the context ends. One task failing does not stop the others.
package schedule

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Clock is the time source; tests inject a manual one.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the system clock.
type RealClock struct{}

func (RealClock) Now() time.Time                         { return time.Now() }
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Task is one named periodic job.
type Task struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Run runs every task once at start, then every Every, until ctx is done. It returns when all
// tasks have stopped. Errors are logged with the task's name.
func Run(ctx context.Context, clock Clock, log *slog.Logger, tasks []Task) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Go(func() {
			for {
				start := clock.Now()
				if err := t.Run(ctx); err != nil && ctx.Err() == nil {
					log.Error("scheduled task failed", "task", t.Name, "err", err)
				}
				wait := t.Every - clock.Now().Sub(start)
				if wait < 0 {
					wait = 0
				}
				select {
				case <-ctx.Done():
					return
				case <-clock.After(wait):
				}
			}
		})
	}
	wg.Wait()
}

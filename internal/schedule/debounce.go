package schedule

import (
	"context"
	"log/slog"
	"time"
)

// Debounced runs a job soon after it is asked for, but at most once per Every: Trigger asks
// (it never blocks), Loop runs. The first Trigger after a quiet spell runs the job at once;
// Triggers during a run or within Every of its start are answered together by one run, Every
// after the last run began. So the run that answers a Trigger starts after it, within Every.
type Debounced struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) error
	kick  chan struct{}
}

// NewDebounced returns a Debounced job; name labels its log lines.
func NewDebounced(name string, every time.Duration, run func(ctx context.Context) error) *Debounced {
	return &Debounced{name: name, every: every, run: run, kick: make(chan struct{}, 1)}
}

// Trigger asks for a run; it returns at once.
func (d *Debounced) Trigger() {
	select {
	case d.kick <- struct{}{}:
	default: // a run is already asked for
	}
}

// Loop runs the job when asked until ctx ends; errors are logged. A run asked for and not yet
// started when ctx ends still runs, without waiting for Every and with ctx's values but not its
// cancellation, so that a Trigger just before shutdown is answered.
func (d *Debounced) Loop(ctx context.Context, clock Clock, log *slog.Logger) {
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			d.final(ctx, log)
			return
		case <-d.kick:
		}
		if !last.IsZero() {
			if wait := d.every - clock.Now().Sub(last); wait > 0 {
				select {
				case <-ctx.Done():
					d.Trigger() // still asked for: answered by final
					d.final(ctx, log)
					return
				case <-clock.After(wait):
				}
			}
		}
		// This run answers every Trigger so far.
		select {
		case <-d.kick:
		default:
		}
		last = clock.Now()
		d.do(ctx, log)
	}
}

func (d *Debounced) final(ctx context.Context, log *slog.Logger) {
	select {
	case <-d.kick:
		d.do(context.WithoutCancel(ctx), log)
	default:
	}
}

func (d *Debounced) do(ctx context.Context, log *slog.Logger) {
	if err := d.run(ctx); err != nil {
		log.Error("job failed", "job", d.name, "err", err)
	}
}

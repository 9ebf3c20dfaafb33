package schedule

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestDebounced: the first Trigger runs the job at once; Triggers during a run or within Every
// of its start are answered by one run, Every after the last start; a Trigger left when ctx
// ends still runs before Loop returns.
func TestDebounced(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ran := make(chan time.Time, 10)
	release := make(chan struct{})
	d := NewDebounced("test", 10*time.Minute, func(ctx context.Context) error {
		ran <- clock.Now()
		<-release
		return nil
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		d.Loop(ctx, clock, slog.New(slog.DiscardHandler))
		close(done)
	}()
	start := clock.Now()
	d.Trigger()
	if got := <-ran; !got.Equal(start) {
		t.Fatalf("first run at %v; want at once (%v)", got, start)
	}
	// Three triggers during the run: one more run, 10 minutes after the first began.
	d.Trigger()
	d.Trigger()
	d.Trigger()
	release <- struct{}{}
	<-clock.Waiting()
	clock.Advance(9 * time.Minute)
	select {
	case got := <-ran:
		t.Fatalf("ran again at %v, within Every", got)
	default:
	}
	clock.Advance(time.Minute)
	if got := <-ran; !got.Equal(start.Add(10 * time.Minute)) {
		t.Fatalf("second run at %v; want %v", got, start.Add(10*time.Minute))
	}
	release <- struct{}{}
	select {
	case got := <-ran:
		t.Fatalf("a third run at %v: the triggers were not answered together", got)
	case <-time.After(20 * time.Millisecond):
	}

	// A trigger, then shutdown before Every has passed: it runs anyway, then Loop returns.
	d.Trigger()
	<-clock.Waiting()
	cancel()
	<-ran
	release <- struct{}{}
	<-done
}

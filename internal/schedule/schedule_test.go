package schedule

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestRun: every task runs at start and then on its interval of the injected clock; a failing
// task does not stop the others; cancelling the context stops them all and Run returns.
func TestRun(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var a, b atomic.Int32
	ran := make(chan string, 100)
	tasks := []Task{
		{Name: "a", Every: time.Minute, Run: func(context.Context) error { a.Add(1); ran <- "a"; return nil }},
		{Name: "b", Every: time.Hour, Run: func(context.Context) error { b.Add(1); ran <- "b"; return errors.New("boom") }},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		Run(ctx, clock, slog.New(slog.DiscardHandler), tasks)
		close(done)
	}()
	<-ran
	<-ran
	waitIdle := func(n int) {
		for range n {
			<-clock.Waiting()
		}
	}
	waitIdle(2)
	clock.Advance(time.Minute)
	if got := <-ran; got != "a" {
		t.Fatalf("after a minute %s ran; want a", got)
	}
	waitIdle(1)
	clock.Advance(59 * time.Minute)
	got := map[string]bool{<-ran: true, <-ran: true}
	if !got["a"] || !got["b"] {
		t.Fatalf("after an hour ran %v; want both (b's error must not stop it)", got)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if a.Load() != 3 || b.Load() != 2 {
		t.Fatalf("a ran %d times, b %d; want 3 and 2", a.Load(), b.Load())
	}
}

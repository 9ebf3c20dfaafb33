package quiz_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestScheduleSM2: the ease and interval after each grade, from SM-2's formula:
// ease += 0.1 - (5-q)(0.08 + (5-q)0.02), with q = 1, 3, 4, 5 for Again, Hard, Good, Easy, and at
// least 1.3.
func TestScheduleSM2(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		card     quiz.Card
		g        quiz.Grade
		ease     float64
		interval int
		lapses   int
		due      time.Duration
	}{
		{"new, good", quiz.Card{}, quiz.Good, 2.5, 1, 0, day},
		{"new, easy", quiz.Card{}, quiz.Easy, 2.6, 4, 0, 4 * day},
		{"new, hard", quiz.Card{}, quiz.Hard, 2.36, 1, 0, day},
		{"new, again: no lapse yet", quiz.Card{}, quiz.Again, 2.3, 0, 0, 10 * time.Minute},
		{"learnt, again: a lapse", quiz.Card{Reps: 1, Interval: 1, Ease: 2.5}, quiz.Again, 2.3, 0, 1, 10 * time.Minute},
		{"second review, hard", quiz.Card{Reps: 1, Interval: 1, Ease: 2.5}, quiz.Hard, 2.36, 3, 0, 3 * day},
		{"second review, good", quiz.Card{Reps: 1, Interval: 1, Ease: 2.5}, quiz.Good, 2.5, 6, 0, 6 * day},
		{"later, good: interval x ease", quiz.Card{Reps: 2, Interval: 6, Ease: 2.5}, quiz.Good, 2.5, 15, 0, 15 * day},
		{"later, easy: x ease x 1.3", quiz.Card{Reps: 2, Interval: 6, Ease: 2.5}, quiz.Easy, 2.6, 20, 0, 20 * day},
		{"later, hard: x 1.2", quiz.Card{Reps: 2, Interval: 10, Ease: 2.5}, quiz.Hard, 2.36, 12, 0, 12 * day},
		{"short interval, hard: still grows by a day", quiz.Card{Reps: 2, Interval: 2, Ease: 2.5}, quiz.Hard, 2.36, 3, 0, 3 * day},
		{"lowest ease, good: grows by a day", quiz.Card{Reps: 2, Interval: 1, Ease: 1.3}, quiz.Good, 1.3, 2, 0, 2 * day},
		{"ease floor", quiz.Card{Reps: 2, Interval: 5, Ease: 1.35}, quiz.Hard, 1.3, 6, 0, 6 * day},
	} {
		c := quiz.SM2{}.Review(tc.card, tc.g, now, quiz.DefaultRetention)
		if math.Abs(c.Ease-tc.ease) > 1e-9 || c.Interval != tc.interval || c.Lapses != tc.lapses || !c.Due.Equal(now.Add(tc.due)) || c.LastGrade != tc.g {
			t.Errorf("%s: ease %.4f interval %d lapses %d due +%v grade %s; want %.4f, %d, %d, +%v",
				tc.name, c.Ease, c.Interval, c.Lapses, c.Due.Sub(now), c.LastGrade, tc.ease, tc.interval, tc.lapses, tc.due)
		}
	}
}

// TestRevealGraceBoundary: a reveal exactly the grace period late is posted; later it is
// skipped (the session stays open for Close), and nothing is left queued.
func TestRevealGraceBoundary(t *testing.T) {
	for _, tc := range []struct {
		late   time.Duration
		posted int
	}{{quiz.DefaultGrace, 1}, {quiz.DefaultGrace + time.Second, 0}} {
		e := newEnv(t, testBank(t, 3, "tcp"))
		pub := &publisher{}
		e.use(pub)
		s, _ := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
		e.app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900)
		e.clock.Add(quiz.DefaultRevealAfter + tc.late)
		if n, err := e.app.Daily.RunDue(ctx); n != tc.posted || err != nil {
			t.Errorf("reveal %v late: posted %d, %v; want %d", tc.late, n, err, tc.posted)
		}
		if q := queued(t, e); q != 0 {
			t.Errorf("reveal %v late: %d due entries left; want none", tc.late, q)
		}
		if tc.posted == 0 {
			if err := e.close(member(1), s.Session.ID); err != nil || len(pub.reveals) != 1 {
				t.Errorf("Close after a skipped reveal = %v (%d reveals); want it posted", err, len(pub.reveals))
			}
		}
	}
}

// TestRevealRetryIsScheduled: a transient failure queues one retry a minute later, not at once;
// a success leaves nothing queued.
func TestRevealRetryIsScheduled(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{fail: errors.New("503"), failN: 1}
	e.use(pub)
	s, _ := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	e.app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900)
	e.clock.Add(quiz.DefaultRevealAfter)
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 || queued(t, e) != 1 {
		t.Fatalf("after a transient failure: posted %d, %d queued; want 0 and 1", n, queued(t, e))
	}
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 || len(pub.reveals) != 0 {
		t.Fatalf("the retry ran at once (%d posted); want it a minute later", n)
	}
	e.clock.Add(time.Minute)
	if n, _ := e.app.Daily.RunDue(ctx); n != 1 || queued(t, e) != 0 {
		t.Fatalf("retry: posted %d, %d queued; want 1 and none", n, queued(t, e))
	}
}

// queued counts the due reveals at any time.
func queued(t *testing.T, e *env) int {
	t.Helper()
	var due []quiz.Due
	err := e.store.View(ctx, func(tx quiz.Tx) error {
		var err error
		due, err = tx.DueUntil(e.clock.Now().Add(1000*time.Hour), 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(due)
}

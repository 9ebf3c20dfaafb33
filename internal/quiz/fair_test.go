package quiz_test

import (
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestRunDueFairAcrossServers: server 1 has 1,200 reveals due before server 2's only one.
// RunDue posts server 2's second (round-robin by server), and server 1's backlog beyond one
// batch waits for the next run instead of crowding server 2 out.
func TestRunDueFairAcrossServers(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{}
	e.use(pub)
	now := e.clock.Now()
	err := e.store.Update(ctx, func(tx quiz.Tx) error {
		put := func(g quiz.GuildID, sid quiz.SessionID, at time.Time) error {
			s := quiz.Session{Guild: g, ID: sid, QuestionID: "tcp-q0", Channel: 5, Message: 6, OpenedAt: at.Add(-time.Minute),
				RevealAt: at, State: quiz.SessionOpen}
			if err := tx.PutSession(s); err != nil {
				return err
			}
			return tx.PutDue(quiz.Due{At: at, Guild: g, Session: sid})
		}
		for i := range 1200 {
			if err := put(1, quiz.SessionID(i+1), now.Add(-time.Hour+time.Duration(i)*time.Millisecond)); err != nil {
				return err
			}
		}
		return put(2, 1, now.Add(-time.Minute))
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.app.Daily.RunDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 101 {
		t.Fatalf("RunDue posted %d; want 101: server 2's and one batch (100) of server 1's", n)
	}
	var order []quiz.GuildID
	for _, r := range pub.reveals {
		order = append(order, r.Guild)
	}
	if order[0] != 1 || order[1] != 2 {
		t.Errorf("reveals posted in server order %v…; want 1, 2, 1, … (round-robin)", order[:min(5, len(order))])
	}
	total, runs := n, 1
	for m := n; m > 0; runs++ {
		if m, err = e.app.Daily.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		total += m
	}
	if total != 1201 || runs > 14 {
		t.Errorf("%d runs posted %d; want all 1,201 in batches of 100 per server", runs, total)
	}
}

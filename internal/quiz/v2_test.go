package quiz_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/fsrs"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// newFSRSEnv is newEnv with FSRS, as bot/ wires it.
func newFSRSEnv(t testing.TB, b *quiz.Bank) *env {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	st := quiztest.NewMemStore()
	i := 0
	out := &forwarder{Publisher: &publisher{}}
	app := quiz.New(st, b, quiz.Options{Now: c.Now, Intn: func(n int) int { i++; return i % n }, Scheduler: fsrs.New(), Publisher: out})
	return &env{app: app, store: st, clock: c, bank: b, out: out}
}

func TestGradeWithFSRSAndRetention(t *testing.T) {
	e := newFSRSEnv(t, testBank(t, 5, "tcp"))
	a, b := member(1), member(2)
	if r, err := e.app.Members.SetRetention(ctx, b, "97%"); err != nil || r != 0.97 {
		t.Fatalf("SetRetention(97%%) = %v, %v", r, err)
	}
	var dues []time.Duration
	for _, m := range []quiz.Actor{a, b} {
		asked, err := e.app.Practice.Ask(ctx, m, quiz.AskRequest{Topic: "tcp"})
		if err != nil {
			t.Fatal(err)
		}
		ans, err := e.app.Practice.Answer(ctx, m, asked.Session.ID, "SYN")
		if err != nil {
			t.Fatal(err)
		}
		iv := ans.Intervals
		if len(iv) != 4 || !(iv[quiz.Again] < iv[quiz.Hard] && iv[quiz.Hard] < iv[quiz.Good] && iv[quiz.Good] < iv[quiz.Easy]) {
			t.Fatalf("Answered.Intervals = %v; want four, growing with the grade", iv)
		}
		again, err := e.app.Practice.Intervals(ctx, m, asked.Session.ID)
		if err != nil || again[quiz.Good] != iv[quiz.Good] {
			t.Errorf("Intervals = %v, %v; want %v", again, err, iv)
		}
		g, err := e.app.Practice.Grade(ctx, m, asked.Session.ID, quiz.Easy)
		if err != nil {
			t.Fatal(err)
		}
		if g.Card.State != quiz.CardReview || g.Card.Stability <= 0 || g.Card.Due.Sub(e.clock.Now()) != iv[quiz.Easy] {
			t.Errorf("graded card %+v; want FSRS state, due in %v", g.Card, iv[quiz.Easy])
		}
		dues = append(dues, g.Card.Due.Sub(e.clock.Now()))
	}
	if !(dues[1] < dues[0]) {
		t.Errorf("97%% retention schedules in %v, default in %v; want sooner", dues[1], dues[0])
	}
	for _, bad := range []string{"0.5", "99%", "soon"} {
		if _, err := e.app.Members.SetRetention(ctx, a, bad); quiz.ErrorCode(err) != quiz.EINVALID {
			t.Errorf("SetRetention(%q) = %v; want EINVALID", bad, err)
		}
	}
	if r, err := e.app.Members.SetRetention(ctx, b, "default"); err != nil || r != quiz.DefaultRetention {
		t.Errorf("SetRetention(default) = %v, %v", r, err)
	}
}

func TestHintsAndChecklist(t *testing.T) {
	e := newFSRSEnv(t, testBank(t, 3, "tcp"))
	a := member(1)
	a.Locale = "zh-CN"
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	if err != nil {
		t.Fatal(err)
	}
	sid := asked.Session.ID
	h, err := e.app.Practice.Hint(ctx, a, sid)
	if err != nil || h.Hints != 1 || !slices.Equal(h.Points, []string{"甲"}) || h.Left != 1 {
		t.Fatalf("first Hint = %+v, %v", h, err)
	}
	if h, err = e.app.Practice.Hint(ctx, a, sid); err != nil || h.Hints != 2 || h.Left != 0 {
		t.Fatalf("second Hint = %+v, %v", h, err)
	}
	if _, err := e.app.Practice.Hint(ctx, a, sid); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Fatalf("third Hint (3 key points) = %v; want ECONFLICT", err)
	}
	if _, err := e.app.Practice.Grade(ctx, a, sid, quiz.Good); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("Grade after hints only = %v; want EINVALID", err)
	}
	if _, err := e.app.Practice.Check(ctx, a, sid, []int{0}); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("Check before answering = %v; want EINVALID", err)
	}
	if res, err := e.app.Practice.Answer(ctx, a, sid, "SYN then ACK"); err != nil || res.Hints != 2 {
		t.Fatalf("Answer after 2 hints = Hints %d, %v; want 2 (shown with the reference answer)", res.Hints, err)
	}
	if _, err := e.app.Practice.Hint(ctx, a, sid); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Errorf("Hint after answering = %v; want ECONFLICT", err)
	}
	if _, err := e.app.Practice.Check(ctx, a, sid, []int{0, 3}); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("Check(key point 4 of 3) = %v; want EINVALID", err)
	}
	// 3 of 3 key points, 2 hints: 1 − 2×0.15 = 0.70 → Good.
	sug, err := e.app.Practice.Check(ctx, a, sid, []int{2, 0, 1, 2})
	if err != nil || sug.Grade != quiz.Good || !slices.Equal(sug.Covered, []int{0, 1, 2}) || sug.Hints != 2 || sug.Total != 3 || sug.Lang != quiz.Chinese {
		t.Fatalf("Check = %+v, %v; want Good for 3/3 with 2 hints", sug, err)
	}
	// Checking again replaces; answering again keeps hints and checklist.
	if sug, err = e.app.Practice.Check(ctx, a, sid, []int{1}); err != nil || sug.Grade != quiz.Again {
		t.Fatalf("second Check = %+v, %v; want Again for 1/3 with 2 hints", sug, err)
	}
	if _, err := e.app.Practice.Answer(ctx, a, sid, "SYN, SYN-ACK, ACK"); err != nil {
		t.Fatal(err)
	}
	g, err := e.app.Practice.Grade(ctx, a, sid, quiz.Hard)
	if err != nil || g.Suggested != quiz.Again {
		t.Fatalf("Grade = %+v, %v; want the suggestion Again carried", g, err)
	}
	if _, err := e.app.Practice.Check(ctx, a, sid, []int{0}); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Errorf("Check after grading = %v; want ECONFLICT", err)
	}
	exp, err := e.app.Members.ExportMember(ctx, a)
	if err != nil || len(exp.Attempts) != 1 {
		t.Fatal(exp, err)
	}
	at := exp.Attempts[0]
	if at.Hints != 2 || !slices.Equal(at.Covered, []int{1}) || at.Suggested != quiz.Again || at.Grade != quiz.Hard || at.Text != "SYN, SYN-ACK, ACK" {
		t.Errorf("attempt after hints, checks, answers and grading: %+v", at)
	}
	if _, err := e.app.Practice.Hint(ctx, a, 999); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("Hint(unknown session) = %v; want ENOTFOUND", err)
	}
}

func TestProgressAndWeakTopic(t *testing.T) {
	e := newFSRSEnv(t, testBank(t, 4, "tcp", "redis", "go"))
	a := member(1)
	if _, err := e.app.Members.SetTimezone(ctx, a, "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	// Day 1: two tcp questions, remembered well. Day 3: one redis question, forgotten.
	practise := func(topic string, g quiz.Grade) {
		t.Helper()
		asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: topic})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Practice.Answer(ctx, a, asked.Session.ID, "x"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, g); err != nil {
			t.Fatal(err)
		}
	}
	practise("tcp", quiz.Easy)
	practise("tcp", quiz.Easy)
	e.clock.Add(48 * time.Hour)
	practise("redis", quiz.Again)
	e.clock.Add(20 * 24 * time.Hour)

	p, err := e.app.Members.Progress(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	today := quiz.DayOf(e.clock.Now(), mustZone(t, "Asia/Shanghai"))
	if p.To != today || p.From != today-quiz.ProgressWeeks*7+1 || p.Zone != "Asia/Shanghai" || p.Name != "user1" {
		t.Errorf("Progress calendar %v..%v in %s for %q", p.From, p.To, p.Zone, p.Name)
	}
	if p.Answered != 3 || p.Daily[today-22] != 2 || p.Daily[today-20] != 1 || len(p.Daily) != 2 {
		t.Errorf("Progress answers %d, daily %v", p.Answered, p.Daily)
	}
	if p.Due != 3 {
		t.Errorf("Progress.Due = %d; want all 3 cards due after 20 days", p.Due)
	}
	var slugs []string
	for _, tp := range p.Topics {
		slugs = append(slugs, tp.Topic.Slug)
	}
	if !slices.Equal(slugs, []string{"redis", "tcp", "go"}) || p.Topics[1].Seen != 2 || p.Topics[1].Total != 4 ||
		p.Topics[1].Graded != 2 || !(p.Topics[0].Recall < p.Topics[1].Recall) || p.Topics[2].Seen != 0 {
		t.Errorf("Progress topics %+v; want redis (forgotten), tcp, then go (never practised)", p.Topics)
	}

	// /interview weak asks from redis; /review still serves what is due first.
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: quiz.TopicWeak})
	if err != nil || asked.Question.Topic != "redis" || asked.Session.Topic != "redis" {
		t.Fatalf("Ask(weak) = %s in %s, %v; want redis", asked.Question.ID, asked.Session.Topic, err)
	}
	rev, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true})
	if err != nil || rev.Question.ID != "redis-q"+rev.Question.ID[len(rev.Question.ID)-1:] || rev.Due != 2 {
		t.Fatalf("Ask(review) = %+v, %v", rev, err)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPrune(t *testing.T) {
	e := newFSRSEnv(t, testBank(t, 50, "tcp"))
	a := member(1)
	start := e.clock.Now()
	var public, private []quiz.SessionID
	for i := range 600 {
		r := quiz.AskRequest{Channel: 5}
		if i%2 == 1 {
			r = quiz.AskRequest{Private: true}
		}
		asked, err := e.app.Practice.Ask(ctx, quiz.Actor{Guild: 10, User: quiz.UserID(1 + i%7)}, r)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := e.app.Practice.SetSessionMessage(ctx, 10, asked.Session.ID, 5, quiz.MessageID(100+i)); err != nil {
				t.Fatal(err)
			}
			public = append(public, asked.Session.ID)
		} else {
			private = append(private, asked.Session.ID)
		}
		if i == 0 {
			if _, err := e.app.Practice.Answer(ctx, quiz.Actor{Guild: 10, User: 1}, asked.Session.ID, "kept"); err != nil {
				t.Fatal(err)
			}
		}
		e.clock.Add(time.Minute)
	}
	if _, err := e.app.Practice.Ask(ctx, quiz.Actor{Guild: 11, User: 1}, quiz.AskRequest{}); err != nil {
		t.Fatal(err)
	}
	// Nothing is a week old yet.
	rep, err := e.app.Daily.Prune(ctx, e.clock.Now())
	if err != nil || rep.Sessions != 0 || rep.Transactions != 0 {
		t.Fatalf("Prune before a week = %+v, %v", rep, err)
	}
	// A week after the first 300 were opened (+10 min for the public reveals), the private
	// ones among them and the public ones revealed by then go, in ≤ 500-key transactions.
	now := start.Add(quiz.SessionKeep + 300*time.Minute)
	rep, err = e.app.Daily.Prune(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	gone := 0
	err = e.store.View(ctx, func(tx quiz.Tx) error {
		for _, ids := range [][]quiz.SessionID{public, private} {
			for _, id := range ids {
				s, ok, err := tx.Session(10, id)
				if err != nil {
					return err
				}
				if want := !sessionGone(s, now); ok != want && ok {
					t.Errorf("session %d: kept %v at %v (opened %v, reveal %v)", id, ok, now, s.OpenedAt, s.RevealAt)
				}
				if !ok {
					gone++
				}
			}
		}
		due, err := tx.DueUntil(now.Add(time.Hour), 1000)
		for _, d := range due {
			if _, ok, _ := tx.Session(d.Guild, d.Session); !ok {
				t.Errorf("due entry %+v outlived its session", d)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sessions != gone || gone < 280 || gone > 300 || rep.Transactions < 2 {
		t.Errorf("Prune = %+v; %d sessions gone", rep, gone)
	}
	// The member's history stays; the pruned session's buttons say it is gone.
	exp, _ := e.app.Members.ExportMember(ctx, a)
	if len(exp.Attempts) != 1 || exp.Attempts[0].Text != "kept" {
		t.Errorf("attempts after Prune: %+v", exp.Attempts)
	}
	if _, err := e.app.Practice.Answer(ctx, a, public[0], "late"); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("Answer to a pruned session = %v; want ENOTFOUND", err)
	}
	// Much later, everything goes; a cancelled context stops at once.
	if _, err := e.app.Daily.Prune(canceled(), now.Add(30*24*time.Hour)); err == nil {
		t.Error("Prune with a cancelled context succeeded")
	}
	rep, err = e.app.Daily.Prune(ctx, now.Add(30*24*time.Hour))
	if err != nil || rep.Sessions != 601-gone {
		t.Errorf("final Prune = %+v, %v; want %d sessions", rep, err, 601-gone)
	}
}

func sessionGone(s quiz.Session, now time.Time) bool {
	end := s.RevealAt
	if end.IsZero() {
		end = s.OpenedAt
	}
	return !end.Add(quiz.SessionKeep).After(now)
}

func canceled() context.Context {
	c, cancel := context.WithCancel(ctx)
	cancel()
	return c
}

func TestDeleteMemberErasesReports(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a, b := member(1), member(2)
	asked, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	if err := e.app.Practice.Report(ctx, a, asked.Session.ID, "the answer misses TIME_WAIT"); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Practice.Report(ctx, b, asked.Session.ID, "typo in the question"); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Members.DeleteMember(ctx, a); err != nil {
		t.Fatal(err)
	}
	err := e.store.View(ctx, func(tx quiz.Tx) error {
		rs, err := tx.Reports(10)
		if len(rs) != 2 || rs[0].By != 0 || rs[0].Reason != "" || !rs[0].Erased || rs[0].QuestionID == "" ||
			rs[1].By != 2 || rs[1].Erased || rs[1].Reason != "typo in the question" {
			t.Errorf("reports after /privacy delete: %+v", rs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

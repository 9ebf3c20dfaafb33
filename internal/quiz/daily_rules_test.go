package quiz_test

import (
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// dailyAt sets up guild g's daily post at hh:mm UTC, as of the env's clock.
func dailyAt(t *testing.T, e *env, g quiz.GuildID, at string, reveal time.Duration) {
	t.Helper()
	a := quiz.Actor{Guild: g, User: 99, Manager: true}
	if _, err := e.app.Daily.Setup(ctx, a, quiz.DailyRequest{Channel: 77, At: at, TZ: "UTC", RevealAfter: reveal}); err != nil {
		t.Fatal(err)
	}
}

func post(t *testing.T, e *env, g quiz.GuildID, day quiz.Day) quiz.Post {
	t.Helper()
	var p quiz.Post
	var ok bool
	err := e.store.View(ctx, func(tx quiz.Tx) error {
		var err error
		p, ok, err = tx.Post(g, day)
		return err
	})
	if err != nil || !ok {
		t.Fatalf("post %d/%s: found %v, %v", g, day, ok, err)
	}
	return p
}

func runDaily(t *testing.T, e *env, want quiz.DailyReport) {
	t.Helper()
	rep, err := e.app.Daily.RunDaily(ctx, 4)
	if err != nil || rep != want {
		t.Fatalf("RunDaily at %v = %+v, %v; want %+v", e.clock.Now(), rep, err, want)
	}
}

// TestDailyLateYesterdayWithinGrace: a post due late yesterday (UTC 23:30), checked after
// midnight, is still sent, for yesterday.
func TestDailyLateYesterdayWithinGrace(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	dailyAt(t, e, 10, "23:30", 0)
	e.clock.Set(time.Date(2026, 3, 3, 0, 30, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	runDaily(t, e, quiz.DailyReport{Posted: 1})
	if yesterday := quiz.Date(2026, 3, 2); pub.posts[0].Day != yesterday || post(t, e, 10, yesterday).State != quiz.PostSent {
		t.Errorf("posted day %s; want %s, sent", pub.posts[0].Day, yesterday)
	}
}

// TestDailyGraceBoundary: a post exactly the grace period (2 h) late is sent; a minute more
// and it is skipped, with the reason recorded.
func TestDailyGraceBoundary(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	dailyAt(t, e, 10, "09:00", 0)
	dailyAt(t, e, 11, "08:59", 0)
	e.clock.Set(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	runDaily(t, e, quiz.DailyReport{Posted: 1, Skipped: 1})
	today := quiz.Date(2026, 3, 2)
	if p := post(t, e, 10, today); p.State != quiz.PostSent {
		t.Errorf("2 h late: %s; want sent", p.State)
	}
	if p := post(t, e, 11, today); p.State != quiz.PostSkipped || !strings.Contains(p.Note, "missed by 2h1m") || !strings.Contains(p.Note, "grace") {
		t.Errorf("2 h 1 min late: %s %q; want skipped, missed by 2h1m, more than the grace period", p.State, p.Note)
	}
}

// TestDailySkippedThenPostedNow: /daily skip makes the run skip today (noted as the
// moderator's), /daily now still posts it, and a second /daily now is refused.
func TestDailySkippedThenPostedNow(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	dailyAt(t, e, 10, "09:00", 0)
	if _, err := e.app.Daily.Skip(ctx, mod); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	runDaily(t, e, quiz.DailyReport{Skipped: 1})
	today := quiz.Date(2026, 3, 2)
	if p := post(t, e, 10, today); p.State != quiz.PostSkipped || p.Note != "skipped by a moderator" {
		t.Errorf("skipped post = %s %q; want skipped by a moderator", p.State, p.Note)
	}
	p, err := e.app.Daily.PostNow(ctx, mod)
	if err != nil || p.State != quiz.PostSent || len(pub.posts) != 1 {
		t.Fatalf("/daily now after a skip = %+v, %v (%d posts); want it posted", p, err, len(pub.posts))
	}
	if _, err := e.app.Daily.PostNow(ctx, mod); quiz.ErrorCode(err) != quiz.ECONFLICT || len(pub.posts) != 1 {
		t.Errorf("second /daily now = %v (%d posts); want a conflict and no post", err, len(pub.posts))
	}
	runDaily(t, e, quiz.DailyReport{}) // today is settled
	if len(pub.posts) != 1 {
		t.Errorf("%d posts after a later run; want 1", len(pub.posts))
	}
}

// TestDailyRetryAfterFailureNewNonce: a permanent failure pauses the schedule and tells the
// moderator; after /daily resume the post is retried with a new attempt number and nonce
// (Discord may still remember the first nonce).
func TestDailyRetryAfterFailureNewNonce(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	dailyAt(t, e, 10, "09:00", 0)
	e.clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	pub := &publisher{fail: quiz.Errorf(quiz.EFORBIDDEN, "The bot may not post there."), failN: 1}
	e.use(pub)
	runDaily(t, e, quiz.DailyReport{Failed: 1})
	today := quiz.Date(2026, 3, 2)
	first := post(t, e, 10, today)
	if first.State != quiz.PostFailed || first.Attempt != 0 || len(pub.notified) != 1 || !strings.HasPrefix(pub.notified[0], "10/99: ") {
		t.Fatalf("after the failure: %+v, notified %q; want failed, attempt 0, the moderator told", first, pub.notified)
	}
	runDaily(t, e, quiz.DailyReport{}) // paused: nothing to do
	if _, err := e.app.Daily.Pause(ctx, mod, false); err != nil {
		t.Fatal(err)
	}
	runDaily(t, e, quiz.DailyReport{Posted: 1})
	second := post(t, e, 10, today)
	if second.State != quiz.PostSent || second.Attempt != 1 || second.Nonce == first.Nonce || pub.posts[0].Nonce != second.Nonce {
		t.Errorf("retry = %+v (first nonce %q); want sent, attempt 1, a new nonce", second, first.Nonce)
	}
}

// TestDailyLegacyScheduleSpeaksEnglish: a schedule stored before it had a language posts in
// English.
func TestDailyLegacyScheduleSpeaksEnglish(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	err := e.store.Update(ctx, func(tx quiz.Tx) error {
		return tx.PutGuild(quiz.Guild{ID: 10, Daily: quiz.Daily{Enabled: true, Channel: 77, At: "09:00", TZ: "UTC",
			SetAt: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	runDaily(t, e, quiz.DailyReport{Posted: 1})
	if pub.posts[0].Lang != quiz.English || pub.posts[0].Session.Lang != quiz.English {
		t.Errorf("legacy schedule posted in %q; want en", pub.posts[0].Lang)
	}
}

// TestDailyRevealTime: the answer follows reveal_after after the scheduled time (12 h by
// default), and at the latest a minute before the next day's post.
func TestDailyRevealTime(t *testing.T) {
	for _, tc := range []struct {
		reveal time.Duration
		want   time.Time
	}{
		{0, time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)},
		{3 * time.Hour, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)},
		{24 * time.Hour, time.Date(2026, 3, 3, 8, 59, 0, 0, time.UTC)},
	} {
		e := newEnv(t, testBank(t, 5, "tcp"))
		e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		dailyAt(t, e, 10, "09:00", tc.reveal)
		e.clock.Set(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)) // a late run: counted from 09:00
		pub := &publisher{}
		e.use(pub)
		runDaily(t, e, quiz.DailyReport{Posted: 1})
		if got := pub.posts[0].Session.RevealAt; !got.Equal(tc.want) {
			t.Errorf("reveal_after %v: reveal at %v; want %v", tc.reveal, got, tc.want)
		}
	}
}

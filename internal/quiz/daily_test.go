package quiz_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

var mod = quiz.Actor{Guild: 10, User: 99, Manager: true}

// setupDaily sets a schedule up as of 2026-01-01 (days before setup are never posted).
func setupDaily(t *testing.T, e *env, a quiz.Actor, at, tz string) {
	t.Helper()
	if e.clock.Now().After(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		e.clock.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	if _, err := e.app.Daily.Setup(ctx, a, quiz.DailyRequest{Channel: 77, At: at, TZ: tz}); err != nil {
		t.Fatal(err)
	}
}

// TestDailyExactlyOnceAcrossAYear ticks a clock through 2026 every 10 minutes for servers in
// several zones (with a time that falls in the spring-forward gap) and checks one post per
// local day, each at the first tick at or after its local time.
func TestDailyExactlyOnceAcrossAYear(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of ticks")
	}
	type server struct {
		g      quiz.GuildID
		at, tz string
		hh, mm int
	}
	servers := []server{
		{1, "09:00", "America/New_York", 9, 0},
		{2, "02:30", "America/New_York", 2, 30}, // skipped on 2026-03-08
		{6, "01:30", "America/New_York", 1, 30}, // happens twice on 2026-11-01
		{7, "00:00", "America/Santiago", 0, 0},  // midnight itself is skipped on 2026-09-06
		{3, "02:30", "Europe/Berlin", 2, 30},
		{4, "23:45", "Australia/Sydney", 23, 45},
		{5, "00:00", "Asia/Shanghai", 0, 0},
	}
	e := newEnv(t, testBank(t, 400, "tcp"))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e.clock.Set(start)
	for _, s := range servers {
		setupDaily(t, e, quiz.Actor{Guild: s.g, User: 1, Manager: true}, s.at, s.tz)
	}
	pub := &publisher{}
	e.use(pub)
	posted := map[quiz.GuildID]map[quiz.Day]time.Time{}
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	const tick = 10 * time.Minute
	for now := start; now.Before(end); now = now.Add(tick) {
		e.clock.Set(now)
		before := len(pub.posts)
		if _, err := e.app.Daily.RunDaily(ctx, 4); err != nil {
			t.Fatal(err)
		}
		for _, p := range pub.posts[before:] {
			if posted[p.Guild] == nil {
				posted[p.Guild] = map[quiz.Day]time.Time{}
			}
			if _, dup := posted[p.Guild][p.Day]; dup {
				t.Fatalf("guild %d posted twice for %s", p.Guild, p.Day)
			}
			posted[p.Guild][p.Day] = now
		}
	}
	for _, s := range servers {
		loc, _ := time.LoadLocation(s.tz)
		first, last := quiz.DayOf(start, loc), quiz.DayOf(end.Add(-time.Nanosecond), loc)
		for d := first; d <= last; d++ {
			want := d.At(s.hh, s.mm, loc)
			got, ok := posted[s.g][d]
			if want.Before(start) || !want.Before(end) {
				continue
			}
			if !ok {
				t.Errorf("%s %s: no post for %s (due %s)", s.tz, s.at, d, want)
				continue
			}
			if got.Before(want) || got.Sub(want) >= tick {
				t.Errorf("%s %s: %s posted at %s; due %s", s.tz, s.at, d, got.In(loc), want.In(loc))
			}
		}
	}
	ny, _ := time.LoadLocation("America/New_York")
	if got := posted[2][quiz.Date(2026, 3, 8)].In(ny).Format("15:04 MST"); got != "03:00 EDT" {
		t.Errorf("02:30 on the spring-forward day posted at %s; want 03:00 EDT", got)
	}
	if got := posted[6][quiz.Date(2026, 11, 1)].In(ny).Format("15:04 MST"); got != "01:30 EDT" {
		t.Errorf("01:30 on the fall-back day posted at %s; want the first 01:30 (EDT)", got)
	}
}

func TestDailyNoRepeatUntilExhausted(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	pub := &publisher{}
	e.use(pub)
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	seen := map[string]bool{}
	for day := range 5 {
		if _, err := e.app.Daily.RunDaily(ctx, 1); err != nil {
			t.Fatal(err)
		}
		id := pub.posts[len(pub.posts)-1].Question.ID
		if seen[id] {
			t.Fatalf("day %d repeated %s before the bank was exhausted", day, id)
		}
		seen[id] = true
		e.clock.Add(24 * time.Hour)
	}
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 6 || pub.posts[5].Question.ID == pub.posts[4].Question.ID {
		t.Fatalf("the sixth day repeated the fifth day's question")
	}
}

// TestDailyCrashBetweenClaimAndRecord: the post is claimed, sent, but the bot dies before it
// records the message (the publisher's answer is lost). The next run re-sends with the same
// nonce, which Discord answers with the existing message: one post in total.
func TestDailyCrashBetweenClaimAndRecord(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &lossyPublisher{}
	e.use(pub)
	pub.loseNext = true
	rep, _ := e.app.Daily.RunDaily(ctx, 1)
	if rep.Posted != 0 {
		t.Fatalf("report %+v; the lost answer must not count as posted", rep)
	}
	e.clock.Add(time.Minute)
	rep, _ = e.app.Daily.RunDaily(ctx, 1)
	if rep.Posted != 1 || pub.created != 1 || pub.sends != 2 {
		t.Fatalf("after retry: report %+v, messages created %d, sends %d; want 1 message from 2 sends", rep, pub.created, pub.sends)
	}
	e.clock.Add(time.Hour)
	e.app.Daily.RunDaily(ctx, 1)
	if pub.sends != 2 {
		t.Fatalf("a recorded post was sent again")
	}
	st, _ := e.app.Daily.Show(ctx, mod)
	if st.Last == nil || st.Last.State != quiz.PostSent || st.Last.Message == 0 {
		t.Fatalf("last post = %+v", st.Last)
	}
}

// lossyPublisher creates a message per new nonce (like Discord's enforce_nonce) and can lose
// the answer to a send, as a crash right after sending would.
type lossyPublisher struct {
	publisher
	loseNext bool
	sends    int
	created  int
	nonces   map[string]quiz.MessageID
}

func (p *lossyPublisher) PostQuestion(_ context.Context, q quiz.QuestionPost) (quiz.MessageID, error) {
	p.sends++
	if p.nonces == nil {
		p.nonces = map[string]quiz.MessageID{}
	}
	id, ok := p.nonces[q.Nonce]
	if !ok {
		p.created++
		id = quiz.MessageID(5000 + p.created)
		p.nonces[q.Nonce] = id
	}
	if p.loseNext {
		p.loseNext = false
		return 0, errors.New("connection reset after the request was sent")
	}
	return id, nil
}

func TestDailyGrace(t *testing.T) {
	for _, tt := range []struct {
		name     string
		downtime time.Duration
		posts    int
	}{
		{"missed by less than the grace is sent late", 90 * time.Minute, 1},
		{"missed by more than the grace is skipped", 3 * time.Hour, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, testBank(t, 5, "tcp"))
			setupDaily(t, e, mod, "09:00", "Europe/Berlin")
			pub := &publisher{}
			e.use(pub)
			e.clock.Set(time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC).Add(tt.downtime)) // 09:00 CEST = 07:00 UTC
			rep, err := e.app.Daily.RunDaily(ctx, 1)
			if err != nil || len(pub.posts) != tt.posts {
				t.Fatalf("after %s down: %d posts (%+v, %v); want %d", tt.downtime, len(pub.posts), rep, err, tt.posts)
			}
			e.clock.Add(time.Hour)
			e.app.Daily.RunDaily(ctx, 1)
			if len(pub.posts) != tt.posts {
				t.Fatalf("a later run changed the count to %d", len(pub.posts))
			}
		})
	}
}

func TestDailyDeletedChannelPausesAndTells(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &publisher{fail: quiz.Errorf(quiz.ENOTFOUND, "Channel <#77> no longer exists."), failN: 100}
	e.use(pub)
	rep, _ := e.app.Daily.RunDaily(ctx, 1)
	if rep.Failed != 1 || len(pub.notified) != 1 {
		t.Fatalf("report %+v, notified %v; want one failure and one message to the moderator", rep, pub.notified)
	}
	st, _ := e.app.Daily.Show(ctx, mod)
	if !st.Daily.Paused || st.Daily.PauseReason == "" {
		t.Fatalf("schedule after a deleted channel = %+v; want paused with a reason", st.Daily)
	}
	e.clock.Add(24 * time.Hour)
	rep, _ = e.app.Daily.RunDaily(ctx, 1)
	if rep.Failed+rep.Posted != 0 || len(pub.notified) != 1 {
		t.Fatalf("a paused schedule kept trying: %+v", rep)
	}
}

func TestDailyValidation(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	for name, r := range map[string]quiz.DailyRequest{
		"bad time":  {Channel: 1, At: "25:00", TZ: "UTC"},
		"bad zone":  {Channel: 1, At: "09:00", TZ: "Mars/Base"},
		"bad topic": {Channel: 1, At: "09:00", TZ: "UTC", Topics: "tcp, nope"},
		"bad days":  {Channel: 1, At: "09:00", TZ: "UTC", Days: "funday"},
	} {
		if _, err := e.app.Daily.Setup(ctx, mod, r); quiz.ErrorCode(err) == "" || quiz.ErrorCode(err) == quiz.EINTERNAL {
			t.Errorf("%s: SetupDaily = %v; want a clear error", name, err)
		}
	}
	if _, err := e.app.Daily.Setup(ctx, member(1), quiz.DailyRequest{Channel: 1, At: "09:00", TZ: "UTC"}); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("a member without rights: %v; want EFORBIDDEN", err)
	}
}

func TestDailyWeekdaysAndSkip(t *testing.T) {
	e := newEnv(t, testBank(t, 20, "tcp"))
	e.clock.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := e.app.Daily.Setup(ctx, mod, quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "UTC", Days: "weekdays"}); err != nil {
		t.Fatal(err)
	}
	pub := &publisher{}
	e.use(pub)
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) // a Monday
	if _, err := e.app.Daily.Skip(ctx, mod); err != nil {
		t.Fatal(err)
	}
	for range 14 * 24 {
		e.clock.Add(time.Hour)
		e.app.Daily.RunDaily(ctx, 1)
	}
	// Two weeks of weekdays is 10, minus the skipped Monday.
	if len(pub.posts) != 9 {
		t.Fatalf("%d posts; want 9", len(pub.posts))
	}
	for _, p := range pub.posts {
		if wd := p.Day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("posted on %s", wd)
		}
	}
}

func TestDailyRevealAfter(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	pub := &publisher{}
	e.use(pub)
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	e.app.Daily.RunDaily(ctx, 1)
	sess := pub.posts[0].Session
	if _, err := e.app.Practice.Answer(ctx, member(1), sess.ID, "x"); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(11 * time.Hour)
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 {
		t.Fatal("revealed before 12 hours")
	}
	e.clock.Add(time.Hour)
	if n, _ := e.app.Daily.RunDue(ctx); n != 1 || pub.reveals[0].Answers != 1 {
		t.Fatalf("reveal after 12 h: %d, %+v", n, pub.reveals)
	}
}

func TestDailyNow(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "18:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	p, err := e.app.Daily.PostNow(ctx, mod)
	if err != nil || p.State != quiz.PostSent || len(pub.posts) != 1 {
		t.Fatalf("PostDailyNow = %+v, %v; %d posts", p, err, len(pub.posts))
	}
	if _, err := e.app.Daily.PostNow(ctx, mod); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Fatalf("second PostDailyNow = %v; want ECONFLICT", err)
	}
	e.clock.Set(time.Date(2026, 3, 1, 18, 5, 0, 0, time.UTC))
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 1 {
		t.Fatalf("the scheduled post went out after /daily now: %d posts", len(pub.posts))
	}
	if _, err := e.app.Daily.PostNow(ctx, member(1)); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Fatalf("a member's PostDailyNow = %v", err)
	}
}

// TestDailyClaimedNotSent: the process stops after the claim, before anything is sent (here the
// first send fails before reaching Discord). The next run sends it, once.
func TestDailyClaimedNotSent(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &publisher{fail: errors.New("dial tcp: connection refused"), failN: 1}
	e.use(pub)
	if rep, _ := e.app.Daily.RunDaily(ctx, 1); rep.Posted != 0 {
		t.Fatalf("posted despite the failure")
	}
	st, _ := e.app.Daily.Show(ctx, mod)
	if st.Last == nil || st.Last.State != quiz.PostClaimed {
		t.Fatalf("after a failed send the post is %+v; want claimed", st.Last)
	}
	e.clock.Add(time.Minute)
	e.app.Daily.RunDaily(ctx, 1)
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 1 {
		t.Fatalf("%d posts; want 1", len(pub.posts))
	}
}

// TestDailyFailedThenResumed: a post that failed for good (no permission) pauses the schedule;
// once a moderator fixes it and resumes, the same day's post goes out, with a new nonce.
func TestDailyFailedThenResumed(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &publisher{fail: quiz.Errorf(quiz.EFORBIDDEN, "no permission"), failN: 1}
	e.use(pub)
	e.app.Daily.RunDaily(ctx, 1)
	st, _ := e.app.Daily.Show(ctx, mod)
	if !st.Daily.Paused || st.Last.State != quiz.PostFailed {
		t.Fatalf("after a 403: %+v", st)
	}
	firstNonce := st.Last.Nonce
	e.clock.Add(30 * time.Minute)
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 0 {
		t.Fatal("a paused schedule posted")
	}
	if _, err := e.app.Daily.Pause(ctx, mod, false); err != nil {
		t.Fatal(err)
	}
	e.app.Daily.RunDaily(ctx, 1)
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 1 || pub.posts[0].Nonce == firstNonce {
		t.Fatalf("after resume: %d posts (nonce reused: %v)", len(pub.posts), len(pub.posts) > 0 && pub.posts[0].Nonce == firstNonce)
	}
}

func TestDailySkipAfterTodaysPost(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	pub := &publisher{}
	e.use(pub)
	e.app.Daily.RunDaily(ctx, 1)
	e.clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	day, err := e.app.Daily.Skip(ctx, mod)
	if err != nil || day.String() != "2026-03-03" {
		t.Fatalf("SkipDaily after today's post = %s, %v; want tomorrow", day, err)
	}
	st, _ := e.app.Daily.Show(ctx, mod)
	if got := st.Next.UTC().Format(time.DateTime); got != "2026-03-04 09:00:00" {
		t.Fatalf("next post after the skip = %s", got)
	}
}

func TestDailyNoFalseSkipBeforeSetup(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) // yesterday's 20:00 is before setup
	if _, err := e.app.Daily.Setup(ctx, mod, quiz.DailyRequest{Channel: 77, At: "20:00", TZ: "UTC"}); err != nil {
		t.Fatal(err)
	}
	e.app.Daily.RunDaily(ctx, 1)
	st, _ := e.app.Daily.Show(ctx, mod)
	if st.Last != nil {
		t.Fatalf("a day before setup was recorded: %+v", st.Last)
	}
}

// TestDailySetupAgainAfterFailure: the channel was deleted; a moderator runs /daily setup with
// a new channel the same day, and today's post goes out there.
func TestDailySetupAgainAfterFailure(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	setupDaily(t, e, mod, "09:00", "UTC")
	e.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	pub := &publisher{fail: quiz.Errorf(quiz.ENOTFOUND, "gone"), failN: 1}
	e.use(pub)
	e.app.Daily.RunDaily(ctx, 1)
	e.clock.Add(20 * time.Minute)
	if _, err := e.app.Daily.Setup(ctx, mod, quiz.DailyRequest{Channel: 78, At: "09:00", TZ: "UTC"}); err != nil {
		t.Fatal(err)
	}
	e.app.Daily.RunDaily(ctx, 1)
	if len(pub.posts) != 1 || pub.posts[0].Channel != 78 {
		t.Fatalf("after setting up again: %d posts", len(pub.posts))
	}
}

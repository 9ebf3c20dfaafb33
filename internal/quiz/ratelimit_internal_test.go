package quiz

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterTake: table of steps against one limiter: member bucket 2 per 10 s, server bucket
// 3 per 1 s, for ask; report unlimited.
func TestLimiterTake(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	l := newLimiter(RateLimits{ActAsk: {Member: Rate{2, 10 * time.Second}, Server: Rate{3, time.Second}}}, 100)
	steps := []struct {
		at         time.Duration
		act        Action
		g          GuildID
		u          UserID
		wait       time.Duration
		serverWait bool
	}{
		{0, ActAsk, 1, 1, 0, false},
		{0, ActAsk, 1, 1, 0, false},
		{0, ActAsk, 1, 1, 10 * time.Second, false},              // member bucket empty
		{5 * time.Second, ActAsk, 1, 1, 5 * time.Second, false}, // half a token back
		{0, ActReport, 1, 1, 0, false},                          // another action: unlimited here
		{5 * time.Second, ActAsk, 1, 2, 0, false},               // another member: their own bucket
		{5 * time.Second, ActAsk, 1, 3, 0, false},               // the server's 3 are spent (refilled 2 since t0)
		{5 * time.Second, ActAsk, 1, 4, 0, false},
		{5 * time.Second, ActAsk, 1, 5, time.Second, true}, // the server is out: its wait, its message
		{5 * time.Second, ActAsk, 2, 5, 0, false},          // another server is not
		{10 * time.Second, ActAsk, 1, 1, 0, false},         // refilled: one token again
		{10 * time.Second, ActAsk, 1, 1, 10 * time.Second, false},
	}
	for i, s := range steps {
		wait, server := l.take(s.act, s.g, s.u, t0.Add(s.at))
		if wait != s.wait || server != s.serverWait {
			t.Errorf("step %d: take(%s, %d, %d, +%s) = %s, %v; want %s, %v", i, s.act, s.g, s.u, s.at, wait, server, s.wait, s.serverWait)
		}
	}
}

// TestLimiterRefusalSpendsNothing: a member refused by their own bucket leaves the server's
// tokens for the others.
func TestLimiterRefusalSpendsNothing(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	l := newLimiter(RateLimits{ActAsk: {Member: Rate{1, time.Minute}, Server: Rate{2, time.Hour}}}, 100)
	l.take(ActAsk, 1, 1, t0)
	for range 5 {
		if w, _ := l.take(ActAsk, 1, 1, t0); w == 0 {
			t.Fatal("an empty member bucket gave a token")
		}
	}
	if w, _ := l.take(ActAsk, 1, 2, t0); w != 0 {
		t.Errorf("another member waits %s; the refused member's tries must not spend the server's tokens", w)
	}
}

// TestLimiterMemoryBounded: idle buckets (full again) are dropped at the next sweep, and the
// map never holds more than its bound.
func TestLimiterMemoryBounded(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	l := newLimiter(RateLimits{ActAsk: {Member: Rate{2, time.Second}, Server: Rate{1000, time.Millisecond}}}, 50)
	for u := range 20 {
		l.take(ActAsk, 1, UserID(u+1), t0)
	}
	if n := len(l.buckets); n != 21 {
		t.Fatalf("%d buckets after 20 members; want 21 (20 members and the server)", n)
	}
	l.take(ActAsk, 2, 1, t0.Add(2*time.Minute)) // a sweep: everyone else has refilled
	if n := len(l.buckets); n != 2 {
		t.Errorf("%d buckets after the sweep; want 2 (the new member and their server)", n)
	}
	for u := range 500 {
		l.take(ActAsk, 3, UserID(u+1), t0.Add(3*time.Minute))
		if n := len(l.buckets); n > 50 {
			t.Fatalf("%d buckets; the bound is 50", n)
		}
	}
}

// TestAllowMessage: the refusal names the wait in whole seconds, rounded up, in both languages.
func TestAllowMessage(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	c := newCore(nil, nil, Options{Now: func() time.Time { return now },
		RateLimits: RateLimits{ActAnswer: {Member: Rate{1, 2500 * time.Millisecond}, Server: Rate{2, time.Hour}}}})
	a := Actor{Guild: 1, User: 1}
	if err := c.allow(a, ActAnswer); err != nil {
		t.Fatal(err)
	}
	err := c.allow(a, ActAnswer)
	if ErrorCode(err) != ERATELIMIT || ErrorMessage(err) != "You're doing that too often. Try again in 3 s." {
		t.Errorf("allow = %v; want ERATELIMIT, try again in 3 s", err)
	}
	if got := ErrorMessageIn(err, Chinese); got != "操作太频繁了，请 3 秒后再试。" {
		t.Errorf("Chinese = %q", got)
	}
	if err := c.allow(Actor{Guild: 1, User: 2}, ActAnswer); err != nil {
		t.Fatal(err)
	}
	err = c.allow(Actor{Guild: 1, User: 3}, ActAnswer)
	if got := ErrorMessage(err); got != "This server is doing that too often right now. Try again in 3600 s." {
		t.Errorf("server refusal = %q", got)
	}
}

func TestParseRateLimits(t *testing.T) {
	def := DefaultRateLimits()
	custom := DefaultRateLimits()
	custom[ActAsk] = Limit{Rate{3, time.Minute}, Rate{50, time.Second}}
	for _, c := range []struct {
		in      string
		want    RateLimits
		wantErr bool
	}{
		{"", def, false},
		{"off", RateLimits{}, false},
		{"ask=3/1m:50/1s", custom, false},
		{def.String(), def, false},
		{"ask=3/1m", nil, true},
		{"dance=3/1m:5/1s", nil, true},
		{"ask=0/1m:5/1s", nil, true},
		{"ask=3/-1m:5/1s", nil, true},
	} {
		got, err := ParseRateLimits(c.in)
		if (err != nil) != c.wantErr || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("ParseRateLimits(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.wantErr)
		}
	}
}

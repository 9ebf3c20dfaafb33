package quiz

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Action names what a rate limit counts.
type Action string

// The rate-limited actions.
const (
	ActAsk      Action = "ask"      // /interview, /review and Next
	ActAnswer   Action = "answer"   // submitting an answer
	ActReport   Action = "report"   // reporting a question
	ActProgress Action = "progress" // /progress
	ActExport   Action = "export"   // /privacy export and /bank export
	ActImport   Action = "import"   // /bank import previews
)

// Rate is a token bucket: it holds at most Burst tokens and gains one every Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// Limit is the rate of one action for each member and for each server as a whole.
type Limit struct{ Member, Server Rate }

// RateLimits maps each limited action to its limit; an action left out is not limited.
type RateLimits map[Action]Limit

// DefaultRateLimits: a member may burst a little and then keep a steady pace no person
// practising needs to exceed; a server's bucket bounds what all its members together cost
// the other servers on the shard.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		ActAsk:      {Member: Rate{10, 6 * time.Second}, Server: Rate{120, 250 * time.Millisecond}},
		ActAnswer:   {Member: Rate{10, 6 * time.Second}, Server: Rate{120, 250 * time.Millisecond}},
		ActReport:   {Member: Rate{3, 5 * time.Minute}, Server: Rate{30, 20 * time.Second}},
		ActProgress: {Member: Rate{5, 10 * time.Second}, Server: Rate{60, time.Second}},
		ActExport:   {Member: Rate{2, 10 * time.Minute}, Server: Rate{10, time.Minute}},
		ActImport:   {Member: Rate{5, time.Minute}, Server: Rate{20, 30 * time.Second}},
	}
}

// String writes limits in the form ParseRateLimits reads, in a fixed order.
func (l RateLimits) String() string {
	var parts []string
	for _, act := range []Action{ActAsk, ActAnswer, ActReport, ActProgress, ActExport, ActImport} {
		if lim, ok := l[act]; ok {
			parts = append(parts, fmt.Sprintf("%s=%d/%s:%d/%s", act, lim.Member.Burst, lim.Member.Every, lim.Server.Burst, lim.Server.Every))
		}
	}
	return strings.Join(parts, ",")
}

// ParseRateLimits reads "ask=10/6s:120/250ms,report=3/5m0s:30/20s" (action=member burst/every
// : server burst/every) over the defaults; "off" turns every limit off.
func ParseRateLimits(s string) (RateLimits, error) {
	out := DefaultRateLimits()
	s = strings.TrimSpace(s)
	if s == "off" {
		return RateLimits{}, nil
	}
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, spec, ok := strings.Cut(strings.TrimSpace(part), "=")
		if _, known := out[Action(name)]; !ok || !known {
			return nil, fmt.Errorf("rate limit %q: want action=burst/every:burst/every with action one of ask, answer, report, progress, export, import", part)
		}
		ms, ss, ok := strings.Cut(spec, ":")
		member, err1 := parseRate(ms)
		server, err2 := parseRate(ss)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("rate limit %q: want member burst/every:server burst/every, e.g. 10/6s:120/250ms", part)
		}
		out[Action(name)] = Limit{member, server}
	}
	return out, nil
}

func parseRate(s string) (Rate, error) {
	b, e, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(b)
	if !ok || err != nil || burst < 1 {
		return Rate{}, fmt.Errorf("bad burst in %q", s)
	}
	every, err := time.ParseDuration(e)
	if err != nil || every <= 0 {
		return Rate{}, fmt.Errorf("bad interval in %q", s)
	}
	return Rate{burst, every}, nil
}

// limiter holds the token buckets. Memory stays bounded: a bucket that has refilled is the
// same as no bucket, so idle ones are dropped on each sweep, and past maxBuckets the sweep
// drops others too (their owners get a fresh burst: the price of the bound).
type limiter struct {
	mu         sync.Mutex
	limits     RateLimits
	buckets    map[bucketKey]bucket
	maxBuckets int
	swept      time.Time
}

// bucketKey names one bucket; user 0 is the server's.
type bucketKey struct {
	act   Action
	guild GuildID
	user  UserID
}

type bucket struct {
	tokens float64
	at     time.Time
}

const (
	defaultMaxBuckets = 100_000
	sweepEvery        = time.Minute
)

func newLimiter(l RateLimits, maxBuckets int) *limiter {
	return &limiter{limits: l, buckets: map[bucketKey]bucket{}, maxBuckets: maxBuckets}
}

// level is b's tokens at now under r.
func (b bucket) level(r Rate, now time.Time) float64 {
	return math.Min(float64(r.Burst), b.tokens+float64(now.Sub(b.at))/float64(r.Every))
}

// take spends one token of act from u's and g's buckets, or none if either is empty; then it
// returns how long until both have one.
func (l *limiter) take(act Action, g GuildID, u UserID, now time.Time) (wait time.Duration, server bool) {
	lim, ok := l.limits[act]
	if !ok {
		return 0, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	mk, sk := bucketKey{act, g, u}, bucketKey{act, g, 0}
	mb, sb := l.get(mk, lim.Member, now), l.get(sk, lim.Server, now)
	mw, sw := mb.wait(lim.Member), sb.wait(lim.Server)
	if mw > 0 || sw > 0 {
		return max(mw, sw), sw > mw
	}
	l.buckets[mk] = bucket{mb.tokens - 1, now}
	l.buckets[sk] = bucket{sb.tokens - 1, now}
	return 0, false
}

// get returns the bucket under k refilled to now; a missing one is full.
func (l *limiter) get(k bucketKey, r Rate, now time.Time) bucket {
	b, ok := l.buckets[k]
	if !ok {
		return bucket{float64(r.Burst), now}
	}
	return bucket{b.level(r, now), now}
}

// wait is how long until b holds a whole token.
func (b bucket) wait(r Rate) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - b.tokens) * float64(r.Every)))
}

// sweep drops full buckets once a minute, or at once when there are too many; if that is not
// enough it drops any until under the bound.
func (l *limiter) sweep(now time.Time) {
	if len(l.buckets) < l.maxBuckets && now.Sub(l.swept) < sweepEvery {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		r := l.limits[k.act].Member
		if k.user == 0 {
			r = l.limits[k.act].Server
		}
		if b.level(r, now) >= float64(r.Burst) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) <= l.maxBuckets-2 { // room for the two buckets take adds
			break
		}
		delete(l.buckets, k)
	}
}

// The refusals; N is whole seconds, at least 1.
const (
	msgRateMember = "You're doing that too often. Try again in %d s."
	msgRateServer = "This server is doing that too often right now. Try again in %d s."
)

// allow returns ERATELIMIT, saying when to try again, if a has used up act.
func (c *core) allow(a Actor, act Action) error {
	wait, server := c.limiter.take(act, a.Guild, a.User, c.now())
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	if server {
		return Errorf(ERATELIMIT, msgRateServer, secs)
	}
	return Errorf(ERATELIMIT, msgRateMember, secs)
}

func init() {
	zhErrors[msgRateMember] = "操作太频繁了，请 %d 秒后再试。"
	zhErrors[msgRateServer] = "本服务器当前操作太频繁，请 %d 秒后再试。"
}

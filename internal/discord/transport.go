package discord

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// rewriteTransport sends requests for https://discord.com/… to another base URL, keeping the
// path: discordgo builds every endpoint from package variables with no setter, so a REST proxy
// (or a test fake) is reached by rewriting at the transport.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func newRewriteTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return nil, err
	}
	if next == nil {
		next = http.DefaultTransport
	}
	if u.Host == "discord.com" && u.Scheme == "https" && u.Path == "" {
		return next, nil
	}
	return &rewriteTransport{base: u, next: next}, nil
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "discord.com" {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme = t.base.Scheme
	r.URL.Host = t.base.Host
	r.URL.Path = t.base.Path + r.URL.Path
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}

// limiter spaces the REST calls the bot starts on its own (channel posts, edits, direct
// messages) to stay under Discord's global limit of 50 requests per second. Interaction
// callbacks are exempt from that limit and do not pass through it. Each call reserves the next
// free slot, so a late timer never delays the calls after it and the average rate is exact.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(perSecond int) *limiter {
	return &limiter{interval: time.Second / time.Duration(perSecond)}
}

// wait blocks until the caller's slot, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	slot := l.next
	if slot.Before(now) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()
	return sleep(ctx, time.Until(slot))
}

// sleep waits d, or until ctx ends, and says which: ctx's error, or nil once d has passed.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

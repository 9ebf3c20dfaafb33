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

// limiter is a token bucket shared by every REST call the bot starts on its own (channel posts,
// edits, direct messages), keeping it under Discord's global limit of 50 requests per second.
// Interaction callbacks are exempt from that limit and do not pass through it.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newLimiter(perSecond int) *limiter {
	// A burst of one spaces requests evenly, so no one-second window sees more than the rate.
	return &limiter{rate: float64(perSecond), burst: 1, tokens: 1}
}

// wait blocks until a request may go, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		if !l.last.IsZero() {
			l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		}
		l.last = now
		if l.tokens >= 1 {
			l.tokens--
			l.mu.Unlock()
			return nil
		}
		delay := time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		l.mu.Unlock()
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// The interaction client.
//
// Requests addressed by an interaction's token (the callback, @original, follow-ups) go through
// ixClient, not through discordgo's Session.Request. discordgo's rate limiter keeps one bucket
// per URL forever (issue #1333), and these URLs carry the token: each interaction would leave
// about 450 bytes and its token in memory. It also puts every non-file PATCH, GET and DELETE of
// @original in one shared bucket, held for the whole request, so one stuck edit would stall
// every deferred reply. Discord exempts these routes from the global limit and limits each
// token on its own, so ixClient sends them straight through the bot's HTTP transport, honours
// each route's 429 (and an exhausted bucket's reset) for as long as the route is in use, and
// forgets the route afterwards. The requests left to discordgo (posts, edits and deletes of
// channel messages, channel and command-permission reads) have buckets named by a channel or
// server id, never a token or message id: they grow with the servers the bot is in, not with
// its uptime.
//
// The bodies are what discordgo sends (its structs marshalled with encoding/json, and
// discordgo.MultipartBodyWithJSON for files), and errors are discordgo's types: a
// *discordgo.RESTError for an HTTP error (match .Message.Code), a *discordgo.RateLimitError for
// a 429 that was not retried. As in discordgo, a 502 is retried up to 3 times at once, and
// other 5xx are not. No Authorization header is sent: the token in the path authenticates.

// ixRetries502 is how many times a request answered 502 is sent again (discordgo's MaxRestRetries).
const ixRetries502 = 3

// ixMaxRoutes caps the routes ixClient remembers a wait for; each entry goes once its wait is
// over, so only a flood of distinct rate-limited tokens within one reset reaches it.
const ixMaxRoutes = 4096

// ixMax429 bounds the 429 retries of one request (each waits as Discord asks, within ctx).
const ixMax429 = 5

type ixClient struct {
	hc        *http.Client
	userAgent string
	// limited is called on every 429 with the route's pattern (no token) and the wait.
	limited func(route string, wait time.Duration)

	mu    sync.Mutex
	until map[string]time.Time // route (method and path) -> when it may be used again
	swept time.Time
}

func newIXClient(hc *http.Client, userAgent string, limited func(string, time.Duration)) *ixClient {
	return &ixClient{hc: hc, userAgent: userAgent, limited: limited, until: map[string]time.Time{}}
}

// ixRequest is one request about an interaction.
type ixRequest struct {
	method string
	url    string // https://discord.com/api/v9/… with the token in the path
	query  string // without "?"
	body   any    // JSON; nil for none
	files  []*discordgo.File
	token  string // redacted from errors
	// noRetry429: a 429 returns a *discordgo.RateLimitError at once (the callback: a retry
	// would miss the 3-second window anyway).
	noRetry429 bool
}

// do sends rq and returns the response body of a 2xx.
func (c *ixClient) do(ctx context.Context, rq ixRequest) ([]byte, error) {
	var (
		payload     []byte
		contentType string
		err         error
	)
	switch {
	case len(rq.files) > 0:
		contentType, payload, err = discordgo.MultipartBodyWithJSON(rq.body, rq.files)
	case rq.body != nil:
		contentType = "application/json"
		payload, err = json.Marshal(rq.body)
	}
	if err != nil {
		return nil, fmt.Errorf("discord: encode %s: %w", rq.method, err)
	}
	route := rq.method + " " + rq.url
	target := rq.url
	if rq.query != "" {
		target += "?" + rq.query
	}
	tries502, tries429 := 0, 0
	for {
		if err := c.wait(ctx, route); err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, rq.method, target, bytesReader(payload))
		if err != nil {
			return nil, redactErr(err, rq.token)
		}
		if payload != nil {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("User-Agent", c.userAgent)
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, redactErr(err, rq.token)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, redactErr(err, rq.token)
		}
		c.note(route, resp.Header)
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return body, nil
		case resp.StatusCode == http.StatusBadGateway && tries502 < ixRetries502:
			tries502++
			continue
		case resp.StatusCode == http.StatusTooManyRequests:
			var tm discordgo.TooManyRequests
			_ = json.Unmarshal(body, &tm) // discordgo's type reads retry_after as seconds
			wait := max(tm.RetryAfter, 0)
			c.limited(routePattern(rq), wait)
			c.block(route, time.Now().Add(wait))
			if rq.noRetry429 || tries429 >= ixMax429 || !fits(ctx, wait) {
				return nil, &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &tm, URL: redact(target, rq.token)}}
			}
			tries429++
			continue
		}
		re := &discordgo.RESTError{Request: req, Response: resp, ResponseBody: body}
		var msg discordgo.APIErrorMessage
		if json.Unmarshal(body, &msg) == nil {
			re.Message = &msg
		}
		return nil, re
	}
}

func bytesReader(b []byte) io.Reader {
	if b == nil {
		return nil
	}
	return bytes.NewReader(b)
}

// fits reports whether a wait of d ends before ctx's deadline.
func fits(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Now().Add(d).Before(dl)
}

// wait blocks while route is rate limited, or until ctx ends.
func (c *ixClient) wait(ctx context.Context, route string) error {
	c.mu.Lock()
	until, ok := c.until[route]
	c.mu.Unlock()
	if !ok {
		return ctx.Err()
	}
	d := time.Until(until)
	if d <= 0 {
		c.mu.Lock()
		if c.until[route] == until {
			delete(c.until, route)
		}
		c.mu.Unlock()
	}
	return sleep(ctx, d)
}

// note reads a response's bucket headers: an exhausted bucket makes the route wait for its reset.
func (c *ixClient) note(route string, h http.Header) {
	if h.Get("X-RateLimit-Remaining") != "0" {
		return
	}
	after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if err != nil || after <= 0 {
		return
	}
	c.block(route, time.Now().Add(time.Duration(after*float64(time.Second))))
}

// block makes route wait until t. Expired entries are swept (at most once a second, and
// whenever the map is full); if it is still full, the new wait is not recorded (the next request may meet a 429, which it honours).
func (c *ixClient) block(route string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if _, ok := c.until[route]; !ok && (len(c.until) >= ixMaxRoutes || now.Sub(c.swept) > time.Second) {
		c.swept = now
		for k, u := range c.until {
			if !u.After(now) {
				delete(c.until, k)
			}
		}
		if len(c.until) >= ixMaxRoutes {
			return
		}
	}
	if t.After(c.until[route]) {
		c.until[route] = t
	}
}

// routes returns how many routes have a wait recorded (tests).
func (c *ixClient) routes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.until)
}

// routePattern names a request's route without its token, for metrics and logs.
func routePattern(rq ixRequest) string {
	u := redact(rq.url, rq.token)
	if i := strings.Index(u, "/api/v9/"); i >= 0 {
		u = u[i+len("/api/v9"):]
	}
	return rq.method + " " + u
}

func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[token]")
}

// redactErr removes the token from a transport error's URL, keeping its type (a *url.Error
// still unwraps to context.DeadlineExceeded and the like).
func redactErr(err error, token string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redact(ue.URL, token), Err: ue.Err}
	}
	if token != "" && strings.Contains(err.Error(), token) {
		return errors.New(redact(err.Error(), token))
	}
	return err
}

// The requests about one interaction.

func (r *responder) appID() string {
	if r.i.AppID != "" {
		return r.i.AppID
	}
	return r.b.appID
}

// respond sends the initial response (POST …/callback); query "with_response=true" asks for
// the message created.
func (r *responder) respond(ctx context.Context, resp *discordgo.InteractionResponse, query string) ([]byte, error) {
	var files []*discordgo.File
	if resp.Data != nil {
		files = resp.Data.Files
	}
	return r.b.ix.do(ctx, ixRequest{method: http.MethodPost, url: discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token),
		query: query, body: resp, files: files, token: r.i.Token, noRetry429: true})
}

// editOriginal edits the response (PATCH @original).
func (r *responder) editOriginal(ctx context.Context, e *discordgo.WebhookEdit) error {
	_, err := r.b.ix.do(ctx, ixRequest{method: http.MethodPatch, url: discordgo.EndpointWebhookMessage(r.appID(), r.i.Token, "@original"),
		body: e, files: e.Files, token: r.i.Token})
	return err
}

// deleteOriginal deletes the response (DELETE @original).
func (r *responder) deleteOriginal(ctx context.Context) error {
	_, err := r.b.ix.do(ctx, ixRequest{method: http.MethodDelete, url: discordgo.EndpointWebhookMessage(r.appID(), r.i.Token, "@original"), token: r.i.Token})
	return err
}

// original reads the response's message (GET @original).
func (r *responder) original(ctx context.Context) (*discordgo.Message, error) {
	raw, err := r.b.ix.do(ctx, ixRequest{method: http.MethodGet, url: discordgo.EndpointWebhookMessage(r.appID(), r.i.Token, "@original"), token: r.i.Token})
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("discord: decode @original: %w", err)
	}
	return &m, nil
}

// createFollowup sends a follow-up message (POST /webhooks/{app}/{token}?wait=true).
func (r *responder) createFollowup(ctx context.Context, p *discordgo.WebhookParams) error {
	_, err := r.b.ix.do(ctx, ixRequest{method: http.MethodPost, url: discordgo.EndpointWebhookToken(r.appID(), r.i.Token),
		query: "wait=true", body: p, files: p.Files, token: r.i.Token})
	return err
}

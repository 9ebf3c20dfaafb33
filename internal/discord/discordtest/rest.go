package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const apiPrefix = "/api/v9"

// route is one REST endpoint of the fake. pattern is the spec path (v9 and
// v10 paths are the same below the prefix).
type route struct {
	method      string
	pattern     string
	segs        []string
	interaction bool // interaction endpoints: exempt from the global limit, auth optional
	limit       int  // per-bucket requests per second
	handle      func(*Server, *restReq) reply
}

var routes = buildRoutes()

func buildRoutes() []*route {
	rs := []*route{
		{method: "GET", pattern: "/gateway", handle: (*Server).getGateway},
		{method: "GET", pattern: "/gateway/bot", handle: (*Server).getGatewayBot},
		{method: "GET", pattern: "/users/@me", handle: (*Server).getMe},
		{method: "GET", pattern: "/applications/@me", handle: (*Server).getApplication},
		{method: "POST", pattern: "/users/@me/channels", handle: (*Server).createDM},
		{method: "GET", pattern: "/channels/{channel_id}", handle: (*Server).getChannel},
		{method: "GET", pattern: "/channels/{channel_id}/messages", handle: (*Server).listMessages},
		{method: "POST", pattern: "/channels/{channel_id}/messages", limit: 5, handle: (*Server).createMessage},
		{method: "GET", pattern: "/channels/{channel_id}/messages/{message_id}", handle: (*Server).getMessage},
		{method: "PATCH", pattern: "/channels/{channel_id}/messages/{message_id}", handle: (*Server).editMessage},
		{method: "DELETE", pattern: "/channels/{channel_id}/messages/{message_id}", handle: (*Server).deleteMessage},
		{method: "GET", pattern: "/guilds/{guild_id}", handle: (*Server).getGuild},
		{method: "GET", pattern: "/guilds/{guild_id}/members/{user_id}", handle: (*Server).getMember},
		{method: "GET", pattern: "/guilds/{guild_id}/roles", handle: (*Server).getRoles},
		{method: "PUT", pattern: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", handle: (*Server).memberRole},
		{method: "DELETE", pattern: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", handle: (*Server).memberRole},
		{method: "POST", pattern: "/channels/{channel_id}/threads", handle: (*Server).createThread},
		{method: "PUT", pattern: "/channels/{channel_id}/thread-members/{user_id}", handle: (*Server).addThreadMember},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/permissions", handle: (*Server).getGuildCommandPermissions},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions", handle: (*Server).getCommandPermissions},
		{method: "PUT", pattern: "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions", handle: (*Server).putCommandPermissions},
		{method: "GET", pattern: "/applications/{application_id}/commands", handle: (*Server).getCommands},
		{method: "PUT", pattern: "/applications/{application_id}/commands", handle: (*Server).putCommands},
		{method: "GET", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", handle: (*Server).getCommands},
		{method: "PUT", pattern: "/applications/{application_id}/guilds/{guild_id}/commands", handle: (*Server).putCommands},
		{method: "POST", pattern: "/interactions/{interaction_id}/{interaction_token}/callback", interaction: true, handle: (*Server).callback},
		{method: "POST", pattern: "/webhooks/{webhook_id}/{webhook_token}", interaction: true, handle: (*Server).followup},
		{method: "GET", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", interaction: true, handle: (*Server).getWebhookMessage},
		{method: "PATCH", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", interaction: true, handle: (*Server).editWebhookMessage},
		{method: "DELETE", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", interaction: true, handle: (*Server).deleteWebhookMessage},
		{method: "GET", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", interaction: true, handle: (*Server).getWebhookMessage},
		{method: "PATCH", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", interaction: true, handle: (*Server).editWebhookMessage},
		{method: "DELETE", pattern: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", interaction: true, handle: (*Server).deleteWebhookMessage},
	}
	for _, r := range rs {
		r.segs = strings.Split(strings.Trim(r.pattern, "/"), "/")
		if r.limit == 0 {
			r.limit = 50
		}
	}
	return rs
}

// matchRoute finds the route for method and path (below /api/v9). Literal
// segments win over parameters because literal routes come first.
func matchRoute(method, rel string) (rt *route, params map[string]string, pathKnown bool) {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	for _, r := range routes {
		p, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if r.method == method {
			return r, p, true
		}
	}
	return nil, nil, pathKnown
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	p := map[string]string{}
	for i, ps := range pattern {
		if strings.HasPrefix(ps, "{") {
			if segs[i] == "" || segs[i] == "@original" && ps == "{message_id}" {
				return nil, false
			}
			p[strings.Trim(ps, "{}")] = segs[i]
			continue
		}
		if ps != segs[i] {
			return nil, false
		}
	}
	return p, true
}

type restReq struct {
	method    string
	path      string // full path, with /api/v9
	rel       string // path below /api/v9
	query     url.Values
	params    map[string]string
	body      []byte
	multipart bool
	files     int // file parts of a multipart body: they make a message non-empty
	uploads   []Upload
	auth      string
	hasAuth   bool
	route     *route
	// arrived is when the request reached the fake, before its body was read: Discord's clock
	// (a callback's 3 seconds, Interaction.Latency) stops when a request arrives, not after
	// the fake has parsed and checked it.
	arrived time.Time
}

// obj decodes the body as a JSON object; nil if it is not one.
func (rq *restReq) obj() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(rq.body, &m) != nil {
		return nil
	}
	return m
}

type reply struct {
	status int
	body   []byte
	hdr    http.Header
}

func jsonReply(status int, v any) reply {
	return reply{status: status, body: mustJSON(v)}
}

func noContent() reply { return reply{status: http.StatusNoContent} }

// errReply is Discord's JSON error body.
func errReply(status, code int, msg string) reply {
	return jsonReply(status, map[string]any{"message": msg, "code": code})
}

// formError is 400 Invalid Form Body (50035) with the details.
func formError(details []string) reply {
	errs := []any{}
	for _, d := range details {
		errs = append(errs, map[string]any{"code": "DISCORDTEST_INVALID", "message": d})
	}
	return jsonReply(http.StatusBadRequest, map[string]any{
		"code": 50035, "message": "Invalid Form Body",
		"errors": map[string]any{"_errors": errs},
	})
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	arrived := s.now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// The client went away mid-request (a killed bot): Discord never sees a truncated
		// body, so neither does the fake. Nothing was received, nothing is answered.
		return
	}
	rq := &restReq{method: r.Method, path: r.URL.Path, query: r.URL.Query(), arrived: arrived}
	rq.auth = r.Header.Get("Authorization")
	_, rq.hasAuth = r.Header["Authorization"]
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		rq.multipart = true
		rq.uploads = s.recordUploads(r.Method, r.URL.Path, ct, body)
		rq.files = len(rq.uploads)
		body = payloadJSON(ct, body)
	}
	rq.body = body

	rep, proceed := s.admit(rq)
	if proceed {
		var schemaErr error
		if s.spec != nil && !s.noSchema.Load() && !rq.multipart {
			schemaErr = s.spec.validate(rq)
		}
		rep = s.handle(rq, schemaErr, rep.hdr)
	}
	if s.checkReplies && s.spec != nil && !s.noSchema.Load() && rq.route != nil && rep.status < 300 {
		if err := s.spec.validateResponse(rq, rep); err != nil {
			s.mu.Lock()
			s.respErrs = append(s.respErrs, fmt.Sprintf("%s %s -> %d: %s", rq.method, rq.route.pattern, rep.status, summarise(err)))
			s.mu.Unlock()
		}
	}
	s.finish(rq, rep)
	if rep.status == 0 {
		// An injected network failure: hang up without answering.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		rep.status = http.StatusBadGateway
	}

	for k, vs := range rep.hdr {
		w.Header()[k] = vs
	}
	if len(rep.body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

func payloadJSON(ct string, body []byte) []byte {
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil
		}
		if p.FormName() == "payload_json" {
			b, _ := io.ReadAll(p)
			return b
		}
	}
}

// admit runs the checks that come before the body: route, auth, injected
// faults and rate limits. It returns the reply so far (headers) and whether
// to go on.
func (s *Server) admit(rq *restReq) (reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.HasPrefix(rq.path, apiPrefix+"/") {
		s.violate("rest: %s %s: not under %s", rq.method, rq.path, apiPrefix)
		return errReply(404, 0, "404: Not Found"), false
	}
	rq.rel = strings.TrimPrefix(rq.path, apiPrefix)
	rt, params, pathKnown := matchRoute(rq.method, rq.rel)
	if rt == nil {
		if pathKnown {
			s.violate("rest: %s %s: method not supported by the fake", rq.method, rq.rel)
			return errReply(405, 0, "405: Method Not Allowed"), false
		}
		s.violate("rest: %s %s: route not supported by the fake", rq.method, rq.rel)
		return errReply(404, 0, "404: Not Found"), false
	}
	rq.route, rq.params = rt, params

	if (!rt.interaction || rq.hasAuth) && rq.auth != "Bot "+s.cfg.token {
		s.violate("rest: %s %s: bad Authorization header", rq.method, rt.pattern)
		return errReply(401, 0, "401: Unauthorized"), false
	}
	if rep, ok := s.injectFault(rq); ok {
		return rep, false
	}
	now := time.Now()
	if !rt.interaction && s.cfg.globalRate > 0 {
		if now.Sub(s.global.start) >= time.Second {
			s.global = window{start: now}
		}
		if s.global.count >= s.cfg.globalRate {
			return globalLimited(s.global.start.Add(time.Second).Sub(now)), false
		}
		s.global.count++
	}
	key := rq.method + " " + bucketKey(rt, params)
	b := s.buckets[key]
	if b == nil {
		b = &bucket{limit: rt.limit, hash: hashKey(key)}
		s.buckets[key] = b
	}
	if !now.Before(b.reset) {
		b.remaining = b.limit
		b.reset = now.Add(time.Second)
	}
	hdr := http.Header{}
	if b.remaining <= 0 {
		b.headers(hdr, now)
		wait := secs(b.reset.Sub(now))
		hdr.Set("X-RateLimit-Scope", "user")
		hdr.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait))))
		return reply{status: 429, hdr: hdr, body: mustJSON(map[string]any{
			"message": "You are being rate limited.", "retry_after": wait, "global": false,
		})}, false
	}
	b.remaining--
	b.headers(hdr, now)
	return reply{hdr: hdr}, true
}

// handle runs the route's handler after schema validation.
func (s *Server) handle(rq *restReq, schemaErr error, hdr http.Header) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rep reply
	if schemaErr != nil {
		short := summarise(schemaErr)
		s.violate("openapi: %s %s: %s", rq.method, rq.route.pattern, short)
		s.logLine(map[string]any{"openapi_error": truncate(schemaErr.Error(), 8000)})
		rep = formError([]string{"openapi: " + short})
	} else if big, ok := s.oversized(rq); ok {
		rep = big
	} else {
		s.cur = rq // the files a handler's message gets (attachUploads)
		rep = rq.route.handle(s, rq)
		s.cur = nil
		if rep.status < 300 {
			var lost bool
			if rep, lost = s.injectAfter(rq, rep); lost {
				if i := s.inters[rq.params["interaction_id"]]; i != nil {
					i.replyLost = true
				}
			}
		}
	}
	if rep.hdr == nil {
		rep.hdr = http.Header{}
	}
	for k, vs := range hdr {
		rep.hdr[k] = vs
	}
	return rep
}

func (s *Server) finish(rq *restReq, rep reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.now()
	quiet := s.quiet.Load()
	if !quiet {
		s.requests = append(s.requests, Request{
			Method: rq.method, Path: rq.path, Body: rawJSON(rq.body), Status: rep.status, At: at,
		})
	}
	if rep.status == 429 {
		s.rateLimited++
	}
	if rep.status == 401 || rep.status == 403 || rep.status == 429 && rep.hdr.Get("X-RateLimit-Scope") != "shared" {
		s.invalid = append(s.invalid, at)
		if n := s.countInvalid(at); n == invalidLimit {
			s.violate("rest: %d invalid requests (401, 403, 429) in %v: Discord bans the IP for a while", n, invalidWindow)
		}
	}
	if quiet {
		s.notify()
		return
	}
	ex := map[string]any{"method": rq.method, "path": redactPath(rq), "status": rep.status}
	if q := rq.query.Encode(); q != "" {
		ex["query"] = q
	}
	if len(rq.body) > 0 {
		ex["req"] = rawJSON(rq.body)
	}
	if len(rep.body) > 0 {
		ex["resp"] = rawJSON(rep.body)
	}
	s.logLine(map[string]any{"rest": ex})
	s.notify()
}

func redactPath(rq *restReq) string {
	p := rq.path
	for _, k := range []string{"interaction_token", "webhook_token"} {
		if tok := rq.params[k]; tok != "" {
			p = strings.Replace(p, "/"+tok, "/[token]", 1)
		}
	}
	return p
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ---- rate limits ----

type bucket struct {
	limit, remaining int
	reset            time.Time
	hash             string
}

type window struct {
	start time.Time
	count int
}

func (b *bucket) headers(h http.Header, now time.Time) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(b.remaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(b.reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs(b.reset.Sub(now)), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", b.hash)
}

func secs(d time.Duration) float64 {
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return math.Round(d.Seconds()*1000) / 1000
}

func globalLimited(wait time.Duration) reply {
	w := secs(wait)
	h := http.Header{}
	h.Set("X-RateLimit-Global", "true")
	h.Set("X-RateLimit-Scope", "global")
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(w))))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(w, 'f', 3, 64))
	return reply{status: 429, hdr: h, body: mustJSON(map[string]any{
		"message": "You are being rate limited.", "retry_after": w, "global": true,
	})}
}

// bucketKey is the route with its major parameters filled in.
func bucketKey(rt *route, params map[string]string) string {
	k := rt.pattern
	for _, p := range []string{"channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id"} {
		if v, ok := params[p]; ok {
			k = strings.Replace(k, "{"+p+"}", v, 1)
		}
	}
	return k
}

func hashKey(k string) string {
	h := fnv.New64a()
	h.Write([]byte(k))
	return fmt.Sprintf("%016x", h.Sum64())
}

// ---- injected faults ----

type fault struct {
	method string
	segs   []string // nil matches any path
	status int
	n      int
	after  bool // FailNextAfter: the request takes effect, then its reply is replaced
}

// FailNext makes the next n requests matching route fail with status.
// route is "METHOD /path-pattern" below /api/v9, where "*" matches one path
// segment or any method, e.g. "POST /channels/*/messages",
// "POST /interactions/*/*/callback"; "*" alone matches every request.
// A 429 carries retry_after 0.05 s, X-RateLimit-* headers and global:false
// (discordgo retries it); status 0 closes the connection without an answer
// (the client sees a network error); other statuses carry a JSON error
// body. Keep n finite: discordgo retries 429s forever and 502s up to 3 times.
func (s *Server) FailNext(route string, status int, n int) {
	f := &fault{method: "*", status: status, n: n}
	if route = strings.TrimSpace(route); route != "*" {
		method, path, ok := strings.Cut(route, " ")
		if !ok {
			method, path = "*", route
		}
		path = strings.TrimPrefix(strings.TrimSpace(path), apiPrefix)
		f.method = strings.ToUpper(method)
		f.segs = strings.Split(strings.Trim(path, "/"), "/")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// FailNextAfter makes the next n requests matching route take effect as
// usual and then answer status instead of their real reply, with a JSON
// error body: Discord's edge answering 502 after the API had done the work.
// route is as for FailNext. A second interaction callback after such a
// reply (a client's retry) is answered 400 40060, as on Discord, and is
// not a violation: the client could not know the first one had counted.
func (s *Server) FailNextAfter(route string, status int, n int) {
	s.FailNext(route, status, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[len(s.faults)-1].after = true
}

func (f *fault) match(method, rel string) bool {
	if f.method != "*" && f.method != method {
		return false
	}
	if f.segs == nil {
		return true
	}
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	if len(segs) != len(f.segs) {
		return false
	}
	for i, p := range f.segs {
		if p != "*" && p != segs[i] {
			return false
		}
	}
	return true
}

func (s *Server) injectFault(rq *restReq) (reply, bool) {
	for _, f := range s.faults {
		if f.after || f.n <= 0 || !f.match(rq.method, rq.rel) {
			continue
		}
		f.n--
		if f.status == 429 {
			now := time.Now()
			h := http.Header{}
			h.Set("X-RateLimit-Limit", "5")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(50*time.Millisecond).UnixMilli())/1000, 'f', 3, 64))
			h.Set("X-RateLimit-Reset-After", "0.050")
			h.Set("X-RateLimit-Bucket", hashKey("fault "+rq.rel))
			h.Set("X-RateLimit-Scope", "user")
			h.Set("Retry-After", "1")
			return reply{status: 429, hdr: h, body: mustJSON(map[string]any{
				"message": "You are being rate limited.", "retry_after": 0.05, "global": false,
			})}, true
		}
		if f.status == 0 {
			return reply{status: 0}, true
		}
		return errReply(f.status, 0, fmt.Sprintf("%d: %s", f.status, http.StatusText(f.status))), true
	}
	return reply{}, false
}

// injectAfter replaces the reply of a request that took effect, if a
// FailNextAfter fault matches it; lost reports whether it did. Call with s.mu held.
func (s *Server) injectAfter(rq *restReq, rep reply) (reply, bool) {
	for _, f := range s.faults {
		if !f.after || f.n <= 0 || !f.match(rq.method, rq.rel) {
			continue
		}
		f.n--
		return errReply(f.status, 0, fmt.Sprintf("%d: %s", f.status, http.StatusText(f.status))), true
	}
	return rep, false
}

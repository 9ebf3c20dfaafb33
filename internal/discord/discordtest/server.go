package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a running fake Discord. All methods are safe for concurrent use.
type Server struct {
	attachments map[string]attachment // guarded by mu
	uploads     []Upload              // guarded by mu
	cur         *restReq              // the request being handled, guarded by mu

	t    testing.TB
	cfg  config
	hs   *httptest.Server
	base *url.URL
	spec *spec // nil when the OpenAPI description is absent
	wg   sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool
	nextID  uint64

	guilds   []*Guild
	channels map[string]*channelState
	dmByUser map[string]string // user id -> DM channel id
	users    map[string]userSeen
	msgs     map[string]*msgRec
	order    []*msgRec
	nonces   map[string]nonceRec

	commands   map[string][]json.RawMessage // guild id ("" = global) -> last overwrite
	commandIDs map[string]string            // scope/type/name -> id
	overwrites int

	inters  map[string]*Interaction
	byToken map[string]*Interaction

	memberRoles map[string][]string                       // guild/user -> role ids
	cmdPerms    map[string]map[string][]CommandPermission // guild -> command or app id -> overrides
	invalid     []time.Time                               // 401/403/429 replies (clock time)

	requests    []Request
	respErrs    []string // the fake's own replies that fail the spec (checkReplies)
	violations  []string
	expected    []string
	transcript  bytes.Buffer
	faults      []*fault
	buckets     map[string]*bucket
	global      window
	rateLimited int

	// gateway state
	shardSess  map[int]*gwSession // shard id -> its current session (IDENTIFY or RESUME)
	sessions   map[string]*gwSession
	conns      map[*gwConn]struct{}
	pending    []pendingDispatch
	identifies int
	resumes    int
	heartbeats int
	intents    int
	identifyAt map[int]time.Time // rate-limit key -> last accepted IDENTIFY (clock time)
	rejected   int               // IDENTIFYs answered with op 9 by the concurrency limit

	checkReplies bool // validate the fake's replies too (its own tests)

	noSchema atomic.Bool // SetSchemaValidation(false): requests are not checked against the spec
	quiet    atomic.Bool // SetRecording(false): no transcript, no request log
}

type config struct {
	token            string
	appID            string
	globalRate       int
	callbackDeadline time.Duration
	tokenTTL         time.Duration
	heartbeat        time.Duration
	now              func() time.Time
	commandPerms     bool // WithCommandPermissions
	maxConcurrency   int  // reported in GET /gateway/bot
	identifyLimit    bool // WithIdentifyConcurrency
	uploadLimit      int  // WithAttachmentSizeLimit
}

// Option configures New.
type Option func(*config)

// WithToken sets the bot token the fake accepts (default "test-token").
// REST requests must carry "Authorization: Bot <token>" (else 401) and the
// gateway IDENTIFY/RESUME must carry it (else close 4004).
func WithToken(tok string) Option { return func(c *config) { c.token = tok } }

// WithApplicationID sets the application (and bot user) id (default "100000000000000001").
func WithApplicationID(id string) Option { return func(c *config) { c.appID = id } }

// WithGlobalRateLimit sets the global limit shared by all non-interaction
// REST routes, in requests per second (default 50).
func WithGlobalRateLimit(perSecond int) Option { return func(c *config) { c.globalRate = perSecond } }

// WithCallbackDeadline sets how long after delivery an interaction accepts
// its initial callback (default 3s).
func WithCallbackDeadline(d time.Duration) Option {
	return func(c *config) { c.callbackDeadline = d }
}

// WithTokenTTL sets the life of interaction (webhook) tokens used for
// follow-ups and @original edits (default 15m).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithHeartbeatInterval sets the heartbeat_interval sent in HELLO (default 41250ms).
func WithHeartbeatInterval(d time.Duration) Option { return func(c *config) { c.heartbeat = d } }

// WithClock sets the clock used for interaction deadlines, token lives,
// nonce windows and timestamps (default time.Now). Rate-limit windows always
// use real time, because discordgo sleeps in real time.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithIdentifyConcurrency enforces Discord's IDENTIFY rate: per 5 seconds
// of the WithClock clock, one IDENTIFY per rate-limit bucket, the bucket of
// a shard being shard_id % maxConcurrency (events/gateway.mdx, "Max
// Concurrency"; "max_concurrency: the number of identify requests allowed per
// 5 seconds"). An excess IDENTIFY is answered with op 9 Invalid Session
// (d=false) and counted (IdentifyRejections); discordgo then re-identifies at
// once, so advance the clock. GET /gateway/bot reports maxConcurrency.
// Off by default: a restart or an op 9 re-IDENTIFY in the bot's tests comes
// well within 5 seconds of the previous IDENTIFY.
func WithIdentifyConcurrency(maxConcurrency int) Option {
	return func(c *config) {
		c.identifyLimit = true
		c.maxConcurrency = max(maxConcurrency, 1)
	}
}

// WithAttachmentSizeLimit sets the upload limit in bytes (default 10 MiB, what Discord allows
// a server without boosts): interactions carry it as attachment_size_limit, and a request
// uploading a larger file is refused with 413 Request entity too large (40005) and recorded
// as a violation.
func WithAttachmentSizeLimit(n int) Option { return func(c *config) { c.uploadLimit = n } }

// New starts a fake Discord on 127.0.0.1. t.Cleanup closes it and fails t
// if unexpected violations were recorded; on failure the transcript is
// written to t.TempDir()/transcript.jsonl and its tail is logged.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		token:            "test-token",
		appID:            "100000000000000001",
		globalRate:       50,
		callbackDeadline: 3 * time.Second,
		tokenTTL:         15 * time.Minute,
		heartbeat:        41250 * time.Millisecond,
		now:              time.Now,
		maxConcurrency:   1,
		uploadLimit:      10 << 20,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		t:           t,
		cfg:         cfg,
		changed:     make(chan struct{}),
		nextID:      1300000000000000000,
		channels:    map[string]*channelState{},
		dmByUser:    map[string]string{},
		users:       map[string]userSeen{},
		msgs:        map[string]*msgRec{},
		nonces:      map[string]nonceRec{},
		commands:    map[string][]json.RawMessage{},
		commandIDs:  map[string]string{},
		inters:      map[string]*Interaction{},
		byToken:     map[string]*Interaction{},
		buckets:     map[string]*bucket{},
		sessions:    map[string]*gwSession{},
		shardSess:   map[int]*gwSession{},
		conns:       map[*gwConn]struct{}{},
		identifyAt:  map[int]time.Time{},
		memberRoles: map[string][]string{},
		cmdPerms:    map[string]map[string][]CommandPermission{},
	}
	var note string
	s.spec, note = loadSpec()
	if s.spec == nil && os.Getenv(requireSpecEnv) != "" {
		t.Fatalf("discordtest: %s is set (CI), but: %s", requireSpecEnv, specNote)
	}
	if note != "" {
		t.Log("discordtest: " + note)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gw", s.serveGateway)
	mux.HandleFunc("/gw/", s.serveGateway)
	mux.HandleFunc("/attachments/", s.serveAttachment)
	mux.HandleFunc("/", s.serveREST)
	s.hs = httptest.NewServer(mux)
	s.base, _ = url.Parse(s.hs.URL)
	t.Cleanup(s.close)
	return s
}

// URL returns the HTTP base of the fake, e.g. "http://127.0.0.1:PORT"
// (the value for DISCORD_API_URL). REST lives under URL()+"/api/v9".
func (s *Server) URL() string { return s.hs.URL }

// Transport returns a RoundTripper that sends requests for discord.com (or
// discordapp.com) to the fake, keeping the path. Install it on
// Session.Client.Transport; the gateway URL comes from GET /api/v9/gateway.
func (s *Server) Transport() http.RoundTripper {
	return &rewriteTransport{base: s.base, next: s.hs.Client().Transport}
}

// TransportTo is Transport for a client in another process, which has only the fake's URL.
func TransportTo(fakeURL string) (http.RoundTripper, error) {
	u, err := url.Parse(fakeURL)
	if err != nil {
		return nil, err
	}
	return &rewriteTransport{base: u, next: http.DefaultTransport}, nil
}

// Client returns an *http.Client using Transport, for Session.Client.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: s.Transport(), Timeout: 20 * time.Second}
}

type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (rt *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch strings.ToLower(req.URL.Hostname()) {
	case "discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com":
		r2 := req.Clone(req.Context())
		r2.URL.Scheme = rt.base.Scheme
		r2.URL.Host = rt.base.Host
		r2.Host = ""
		req = r2
	}
	return rt.next.RoundTrip(req)
}

func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*gwConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.NetConn().Close()
	}
	s.hs.Close()
	s.wg.Wait()

	s.mu.Lock()
	var unexpected []string
	for _, v := range s.violations {
		if !s.isExpected(v) {
			unexpected = append(unexpected, v)
		}
	}
	s.mu.Unlock()
	if len(unexpected) > 0 {
		s.t.Errorf("discordtest: %d unexpected violation(s):\n\t%s", len(unexpected), strings.Join(unexpected, "\n\t"))
	}
	if s.t.Failed() {
		s.dumpTranscript()
	}
}

func (s *Server) dumpTranscript() {
	tr := s.Transcript()
	p := filepath.Join(s.t.TempDir(), "transcript.jsonl")
	if err := os.WriteFile(p, []byte(tr), 0o600); err != nil {
		s.t.Logf("discordtest: writing transcript: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(tr), "\n")
	const tail = 40
	if len(lines) > tail {
		lines = lines[len(lines)-tail:]
	}
	s.t.Logf("discordtest: transcript written to %s; last %d lines:\n%s", p, len(lines), strings.Join(lines, "\n"))
}

func (s *Server) isExpected(v string) bool {
	for _, e := range s.expected {
		if strings.Contains(v, e) {
			return true
		}
	}
	return false
}

// Violations returns the rule breaks seen so far, oldest first.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// ExpectViolation marks violations containing substr as expected, so they
// do not fail the test at cleanup. Use it in tests that break a rule on purpose.
func (s *Server) ExpectViolation(substr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected = append(s.expected, substr)
}

// Transcript returns the gateway frames (heartbeats omitted), REST
// exchanges and violations so far, one JSON object per line.
func (s *Server) Transcript() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.transcript.String()
}

// Requests returns every REST request received, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// RateLimited returns how many 429 responses the fake has sent (injected or not).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// invalidWindow and invalidLimit are Discord's invalid request limit:
// "IP addresses that make too many invalid HTTP requests are automatically
// and temporarily restricted ... 10,000 per 10 minutes"; invalid means a 401,
// 403 or 429 response, except 429s with X-RateLimit-Scope: shared
// (topics/rate-limits.mdx, "Invalid Request Limit").
const (
	invalidWindow = 10 * time.Minute
	invalidLimit  = 10000
)

// InvalidRequests returns how many requests in the last 10 minutes (of the
// WithClock clock) counted toward Discord's invalid request limit: 401, 403
// and 429 replies, not shared-scope 429s. Reaching 10,000 is a violation.
func (s *Server) InvalidRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countInvalid(s.now())
}

// countInvalid drops entries older than the window and returns the rest. Call with s.mu held.
func (s *Server) countInvalid(now time.Time) int {
	i := 0
	for i < len(s.invalid) && now.Sub(s.invalid[i]) >= invalidWindow {
		i++
	}
	s.invalid = s.invalid[i:]
	return len(s.invalid)
}

// SchemaValidation reports whether request bodies are checked against the
// official OpenAPI description (false when the file was not found).
func (s *Server) SchemaValidation() bool { return s.spec != nil && !s.noSchema.Load() }

// SetSchemaValidation turns the OpenAPI check of requests off (false) or back
// on (true, the default when the description was found). Validating a body
// costs milliseconds, far more than the protocol itself, so a benchmark that
// times a client turns it off for the timed run and validates the same
// traffic in a separate, untimed pass. The fake's own checks stay on.
func (s *Server) SetSchemaValidation(on bool) { s.noSchema.Store(!on) }

// SetRecording turns the transcript and the request log (Requests) on or off; they are on by
// default. A benchmark turns them off for its timed runs: every frame and request marshalled
// into the transcript under the fake's lock, and kept, is test machinery, whose cost (and
// garbage) would be charged to whichever client the fake serves. The fake's checks stay on.
func (s *Server) SetRecording(on bool) { s.quiet.Store(!on) }

// Forget drops what the fake keeps about the past so that a long load run
// does not grow its memory: interactions that got their initial callback
// (and their replies, unless they are channel posts), the request log, the transcript, uploads, the
// invalid-request window, idle rate-limit buckets and all but the latest
// dispatches of each gateway session. Messages posted in channels stay. Interactions it dropped can no longer be inspected.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped := map[*msgRec]bool{}
	for id, i := range s.inters {
		if i.resp != nil || i.refused != nil {
			delete(s.inters, id)
			delete(s.byToken, i.Token)
			for _, m := range append([]*msgRec{i.original}, i.followups...) {
				if m != nil && (m.kind == kindOriginal || m.kind == kindFollowup) {
					dropped[m] = true
					delete(s.msgs, m.ID)
				}
			}
		}
	}
	s.order = slices.DeleteFunc(slices.Clone(s.order), func(m *msgRec) bool { return dropped[m] })
	s.msgs = maps.Clone(s.msgs)
	s.inters = maps.Clone(s.inters) // a map never shrinks its buckets
	s.byToken = maps.Clone(s.byToken)
	s.requests = nil
	s.transcript = bytes.Buffer{}
	s.uploads = nil
	s.invalid = nil
	now := time.Now()
	for k, b := range s.buckets {
		if !now.Before(b.reset) {
			delete(s.buckets, k)
		}
	}
	s.buckets = maps.Clone(s.buckets)
	for _, sess := range s.sessions {
		// Keep a tail for a RESUME's replay.
		if n := len(sess.log); n > forgetKeepEvents {
			sess.log = append([]loggedEvent(nil), sess.log[n-forgetKeepEvents:]...)
		}
	}
}

// forgetKeepEvents is how many of a gateway session's latest dispatches Forget keeps for replay.
const forgetKeepEvents = 256

// Request is one REST request as the fake saw it. Path includes /api/v9.
type Request struct {
	Method string
	Path   string
	Body   json.RawMessage
	Status int
	At     time.Time
}

// Await blocks until cond returns true or ctx is done. cond is re-evaluated
// after every state change of the fake (a request, a frame, a connection
// event); it may call the Server's methods.
func (s *Server) Await(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: condition not met: %w", ctx.Err())
		}
	}
}

// notify wakes Await callers. Call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// violate records a rule break. Call with s.mu held.
func (s *Server) violate(format string, args ...any) {
	v := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, v)
	s.logLine(map[string]any{"violation": v})
}

// logLine appends one transcript line. Call with s.mu held.
func (s *Server) logLine(v map[string]any) {
	if s.quiet.Load() {
		return
	}
	v["at"] = time.Now().UTC().Format(time.RFC3339Nano)
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"at": v["at"], "error": err.Error()})
	}
	s.transcript.Write(b)
	s.transcript.WriteByte('\n')
}

// newID returns a fresh snowflake. Call with s.mu held.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatUint(s.nextID, 10)
}

func (s *Server) now() time.Time { return s.cfg.now() }

// rawJSON returns b as a json.RawMessage if it is valid JSON, else as a JSON string.
func rawJSON(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return slices.Clone(json.RawMessage(b))
	}
	q, _ := json.Marshal(string(b))
	return q
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("discordtest: marshal: " + err.Error())
	}
	return b
}

// RunTests runs a package's tests (from its TestMain) with -parallel defaulting to parallel
// instead of GOMAXPROCS. End-to-end tests against the fake mostly wait (on the loopback
// network, on discordgo's one-second pause when it closes the gateway), so on a 2-core machine
// the default leaves the cores idle. An explicit -parallel wins.
func RunTests(m *testing.M, parallel int) int {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", strconv.Itoa(parallel)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	return m.Run()
}

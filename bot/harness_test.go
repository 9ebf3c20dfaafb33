package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/schedule"
)

// IDs of the fake server used by the end-to-end tests.
const (
	guildA   = "100000000000000100"
	guildB   = "100000000000000200"
	channelA = "200000000000000100"
	channelB = "200000000000000200"
)

var (
	ada = discordtest.User{ID: "300000000000000001", Username: "ada", Locale: "en-US", Permissions: "0"}
	bob = discordtest.User{ID: "300000000000000002", Username: "bob", Locale: "zh-CN", Permissions: "0"}
	mod = discordtest.User{ID: "300000000000000003", Username: "mod", Locale: "en-US", Permissions: "32"}
)

func TestMain(m *testing.M) {
	if u := os.Getenv(bareClientEnv); u != "" {
		os.Exit(runBareClient(u))
	}
	// 8 at once halves the package's time on 2 cores (see RunTests).
	os.Exit(discordtest.RunTests(m, 8))
}

// syncBuffer collects the program's output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// bot is one run of the real program (run's wiring) against the fake.
type bot struct {
	t      testing.TB
	app    *app
	cancel context.CancelFunc
	done   chan int
	logs   *syncBuffer
	code   int
	ended  bool

	handled  atomic.Int64  // interactions fully handled (logged and counted)
	progress chan struct{} // receives after each handled interaction, if no one is behind
}

type env struct {
	t     testing.TB
	fake  *discordtest.Server
	db    string
	clock *schedule.ManualClock
	ctx   context.Context
}

// newEnv makes a fake Discord with servers A and B, a database path and a manual clock.
//
// Each env has its own fake, file and clock, so the end-to-end tests that only use their own
// env run in parallel (t.Parallel): most of their time is waiting on the loopback network and
// on discordgo's one-second pause when it closes the gateway, which overlaps. Tests that time
// things, set process-wide state (the standard logger) or run subprocesses stay sequential.
func newEnv(t *testing.T, opts ...discordtest.Option) *env {
	t.Helper()
	fake := discordtest.New(t, opts...)
	fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", Channels: []discordtest.Channel{{ID: channelA, Name: "general"}}})
	fake.AddGuild(discordtest.Guild{ID: guildB, Name: "B", Channels: []discordtest.Channel{{ID: channelB, Name: "general"}}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	// Runs after the bot stops (cleanups run last first): every message it sent is audited.
	t.Cleanup(func() { auditMentions(t, fake) })
	return &env{t: t, fake: fake, db: filepath.Join(t.TempDir(), "bot.db"),
		clock: schedule.NewManualClock(time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)), ctx: ctx}
}

// start runs the program with the fake as Discord and waits until it serves. The harness's own
// options (the manual clock, no scheduler) come first, so opts may override them.
func (e *env) start(opts ...option) *bot {
	e.t.Helper()
	return e.startEnv(nil, opts...)
}

// startEnv is start with extra environment variables: name, value, name, value…
func (e *env) startEnv(extraEnv []string, opts ...option) *bot {
	e.t.Helper()
	b, started := e.launch(append([]string{"HTTP_ADDR", "127.0.0.1:0"}, extraEnv...), opts...)
	select {
	case b.app = <-started:
	case code := <-b.done:
		b.code, b.ended = code, true
		e.t.Fatalf("the bot exited with %d before serving:\n%s", code, b.logs.String())
	case <-e.ctx.Done():
		e.t.Fatal("the bot did not start")
	}
	if err := e.fake.WaitReady(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	return b
}

// launch starts the program like env.start, without waiting: started receives the running app.
func (e *env) launch(extraEnv []string, opts ...option) (*bot, <-chan *app) {
	e.t.Helper()
	vars := map[string]string{
		"DISCORD_TOKEN": "test-token", "DISCORD_API_URL": e.fake.URL(), "DB_PATH": e.db,
		"LOG_FORMAT": "json", "LOG_LEVEL": "debug",
	}
	for i := 0; i+1 < len(extraEnv); i += 2 {
		vars[extraEnv[i]] = extraEnv[i+1]
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &bot{t: e.t, cancel: cancel, done: make(chan int, 1), logs: &syncBuffer{}, progress: make(chan struct{}, 1)}
	started := make(chan *app, 1)
	opts = append([]option{withClock(e.clock), withoutScheduler(), withBank(shippedBank(e.t)),
		onStarted(func(a *app) { started <- a }), onInteractionDone(b.interactionDone)}, opts...)
	go func() {
		b.done <- run(ctx, nil, func(k string) string { return vars[k] }, strings.NewReader(""), b.logs, b.logs, opts...)
	}()
	e.t.Cleanup(func() { b.stop() })
	return b, started
}

// interactionDone counts a handled interaction and wakes settle.
func (b *bot) interactionDone() {
	b.handled.Add(1)
	select {
	case b.progress <- struct{}{}:
	default:
	}
}

// stop sends the shutdown signal and waits for the program to exit; it returns the exit code
// and how long the shutdown took.
func (b *bot) stop() (int, time.Duration) {
	if b.ended {
		return b.code, 0
	}
	start := time.Now()
	b.cancel()
	select {
	case b.code = <-b.done:
	case <-time.After(15 * time.Second):
		b.t.Fatalf("the bot did not stop within 15 s:\n%s", b.logs.String())
	}
	b.ended = true
	return b.code, time.Since(start)
}

// settle waits until the bot has finished handling every interaction the fake sent so far,
// including the work a handler does after its reply (recording a posted message's id).
func (e *env) settle(b *bot) {
	e.t.Helper()
	for int(b.handled.Load()) < e.fake.Interactions() {
		select {
		case <-b.progress:
		case <-e.ctx.Done():
			e.t.Fatalf("the bot handled %d of %d interactions", b.handled.Load(), e.fake.Interactions())
		}
	}
}

// wait waits for an interaction's initial response.
func (e *env) wait(ix *discordtest.Interaction) discordtest.Response {
	e.t.Helper()
	r, err := ix.Wait(e.ctx)
	if err != nil {
		e.t.Fatalf("interaction %s: %v\n%s", ix.ID, err, e.fake.Transcript())
	}
	return r
}

// final returns what the member finally sees for an interaction: the @original after any
// deferral, else the initial response's content.
func (e *env) final(ix *discordtest.Interaction) discordtest.Message {
	e.t.Helper()
	r := e.wait(ix)
	if r.Type == 5 || r.Type == 6 {
		var m discordtest.Message
		err := e.fake.Await(e.ctx, func() bool {
			var ok bool
			m, ok = ix.Original()
			return ok && (m.Content != "" || len(m.Embeds) > 0)
		})
		if err != nil {
			e.t.Fatalf("deferred interaction never completed: %v", err)
		}
		return m
	}
	if m, ok := ix.Original(); ok {
		return m
	}
	return discordtest.Message{Content: r.Content, Embeds: r.Embeds, Components: r.Components, Flags: r.Flags}
}

type component struct {
	Type       int         `json:"type"`
	CustomID   string      `json:"custom_id"`
	Label      string      `json:"label"`
	Components []component `json:"components"`
}

// customIDs lists the buttons of a message as label -> custom ID (and action -> custom ID).
func customIDs(t *testing.T, rows []json.RawMessage) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, raw := range rows {
		var row component
		if err := json.Unmarshal(raw, &row); err != nil {
			t.Fatal(err)
		}
		for _, c := range row.Components {
			out[c.Label] = c.CustomID
			if parts := strings.Split(c.CustomID, ":"); len(parts) >= 2 {
				key := parts[1]
				if len(parts) == 4 && parts[1] == "grade" {
					key = "grade:" + parts[3]
				}
				out[key] = c.CustomID
			}
		}
	}
	return out
}

func opt(name string, value any) discordtest.Opt {
	typ := 3
	switch value.(type) {
	case bool:
		typ = 5
	case int, float64:
		typ = 4
	}
	return discordtest.Opt{Name: name, Type: typ, Value: value}
}

func sub(name string, opts ...discordtest.Opt) discordtest.Opt {
	return discordtest.Opt{Name: name, Type: 1, Options: opts}
}

func embedText(es []discordtest.Embed) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s\n%s\n", e.Title, e.Description)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "%s: %s\n", f.Name, f.Value)
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return b.String()
}

func discordtestRole(name, id string) discordtest.Opt {
	return discordtest.Opt{Name: name, Type: 8, Value: id}
}

func chanOpt(name, id string) discordtest.Opt {
	return discordtest.Opt{Name: name, Type: 7, Value: id}
}

// grepLines returns the lines of s containing sub, for failure messages.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// modalValues reads the prefilled text inputs of a modal response, by custom ID.
func modalValues(t *testing.T, data json.RawMessage) map[string]string {
	t.Helper()
	var d struct {
		Components []struct {
			Components []struct {
				CustomID string `json:"custom_id"`
				Value    string `json:"value"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, row := range d.Components {
		for _, c := range row.Components {
			out[c.CustomID] = c.Value
		}
	}
	return out
}

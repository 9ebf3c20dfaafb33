package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const testToken = "aW50ZXJhY3Rpb24.secret"

// ixServer answers each request with the next scripted reply for its path (the last repeats).
type ixServer struct {
	*httptest.Server
	mu      sync.Mutex
	replies map[string][]func(w http.ResponseWriter)
	got     []string // "METHOD path?query" of each request
	bodies  [][]byte
	ctypes  []string
	at      []time.Time
}

func newIXServer(t *testing.T) *ixServer {
	s := &ixServer{replies: map[string][]func(http.ResponseWriter){}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.got = append(s.got, r.Method+" "+r.URL.RequestURI())
		s.bodies = append(s.bodies, body)
		s.ctypes = append(s.ctypes, r.Header.Get("Content-Type"))
		s.at = append(s.at, time.Now())
		rs := s.replies[r.URL.Path]
		var f func(http.ResponseWriter)
		if len(rs) > 0 {
			f = rs[0]
			if len(rs) > 1 {
				s.replies[r.URL.Path] = rs[1:]
			}
		}
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s %s sent an Authorization header", r.Method, r.URL.Path)
		}
		if f == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		f(w)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *ixServer) script(path string, fs ...func(http.ResponseWriter)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[path] = fs
}

func status(code int, body string, hdr ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func newTestIXClient() (*ixClient, *[]string) {
	var limited []string
	var mu sync.Mutex
	c := newIXClient(&http.Client{Timeout: 5 * time.Second}, "test", func(route string, _ time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		limited = append(limited, route)
	})
	return c, &limited
}

// TestIXClientCallback: a callback is never retried after a 429 (the 3-second window), and a
// 502 is retried at once, up to 3 times; a 40060 after a retried 502 is the error the
// responder takes as acknowledged. Errors never show the token.
func TestIXClientCallback(t *testing.T) {
	srv := newIXServer(t)
	c, limited := newTestIXClient()
	path := "/api/v9/interactions/1/" + testToken + "/callback"
	rq := ixRequest{method: http.MethodPost, url: srv.URL + path, token: testToken, noRetry429: true,
		body: &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{Content: "hi"}}}
	ctx := context.Background()

	srv.script(path, status(429, `{"message":"You are being rate limited.","retry_after":0.2,"global":false}`))
	_, err := c.do(ctx, rq)
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 200*time.Millisecond {
		t.Fatalf("callback after a 429: %v; want a *discordgo.RateLimitError retry after 200ms", err)
	}
	if strings.Contains(err.Error(), testToken) || len(*limited) != 1 || strings.Contains((*limited)[0], testToken) {
		t.Errorf("the 429 shows the token: %v, reported as %q", err, *limited)
	}

	time.Sleep(200 * time.Millisecond) // the route's wait
	srv.script(path, status(502, "bad gateway"), status(400, `{"message":"Interaction has already been acknowledged.","code":40060}`))
	_, err = c.do(ctx, rq)
	if !alreadyAcknowledged(err) {
		t.Errorf("502 then 40060: %v; want the 40060 RESTError", err)
	}
	srv.script(path, status(502, "bad gateway"))
	n := len(srv.got)
	_, err = c.do(ctx, rq)
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != 502 || len(srv.got)-n != 1+ixRetries502 {
		t.Errorf("502 every time: %v after %d requests; want a 502 RESTError after %d", err, len(srv.got)-n, 1+ixRetries502)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error shows the token: %v", err)
	}
	// discordgo's body, byte for byte.
	want, _ := json.Marshal(rq.body)
	if got := srv.bodies[len(srv.bodies)-1]; string(got) != string(want) {
		t.Errorf("body %s; want %s", got, want)
	}
}

// TestIXClientHonours429: a later request (a follow-up) waits as long as a 429 asks and tries
// again; the route keeps its wait for the next request, and then forgets it.
func TestIXClientHonours429(t *testing.T) {
	srv := newIXServer(t)
	c, limited := newTestIXClient()
	path := "/api/v9/webhooks/1/" + testToken
	srv.script(path, status(429, `{"message":"slow down","retry_after":0.15,"global":false}`), status(200, `{"id":"5"}`))
	rq := ixRequest{method: http.MethodPost, url: srv.URL + path, query: "wait=true", token: testToken,
		body: &discordgo.WebhookParams{Content: "later"}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	raw, err := c.do(ctx, rq)
	if err != nil || string(raw) != `{"id":"5"}` {
		t.Fatalf("follow-up after a 429: %s, %v", raw, err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("retried after %v; want at least the 150ms asked", d)
	}
	if len(*limited) != 1 || (*limited)[0] != "POST /webhooks/1/[token]" {
		t.Errorf("429s reported: %q; want one, without the token", *limited)
	}
	if srv.got[0] != "POST "+path+"?wait=true" {
		t.Errorf("request %q; want the query kept", srv.got[0])
	}
	// An exhausted bucket makes the next request on the route wait for its reset.
	srv.script(path, status(200, `{"id":"6"}`, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.1"))
	if _, err := c.do(ctx, rq); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if _, err := c.do(ctx, rq); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("sent %v after the bucket ran out; want after its reset (100ms)", d)
	}
	// A wait that does not fit in ctx is not waited for.
	srv.script(path, status(429, `{"message":"slow down","retry_after":10,"global":false}`))
	short, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	var rl *discordgo.RateLimitError
	if _, err := c.do(short, rq); !errors.As(err, &rl) {
		t.Errorf("a 10 s wait with 1 s left: %v; want a RateLimitError", err)
	}
}

// TestIXClientFiles: a message with files goes as multipart, with discordgo's payload_json.
func TestIXClientFiles(t *testing.T) {
	srv := newIXServer(t)
	c, _ := newTestIXClient()
	path := "/api/v9/webhooks/1/" + testToken + "/messages/@original"
	srv.script(path, status(200, `{"id":"5"}`))
	content := "bank"
	edit := &discordgo.WebhookEdit{Content: &content, Files: []*discordgo.File{{Name: "bank.yaml", ContentType: "application/yaml", Reader: strings.NewReader("a: 1\n")}}}
	if _, err := c.do(context.Background(), ixRequest{method: http.MethodPatch, url: srv.URL + path, body: edit, files: edit.Files, token: testToken}); err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(srv.ctypes[0])
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q; want multipart/form-data", srv.ctypes[0])
	}
	mr := multipart.NewReader(strings.NewReader(string(srv.bodies[0])), params["boundary"])
	parts := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		parts[p.FormName()] = string(b)
	}
	want, _ := json.Marshal(edit)
	if parts["payload_json"] != string(want) || parts["files[0]"] != "a: 1\n" {
		t.Errorf("parts %q; want payload_json %s and the file", parts, want)
	}
}

// TestIXClientRoutesBounded: the waits the client remembers are swept once over and capped.
func TestIXClientRoutesBounded(t *testing.T) {
	c, _ := newTestIXClient()
	soon := time.Now().Add(time.Hour)
	for i := range ixMaxRoutes + 10 {
		c.block(fmt.Sprint("POST /webhooks/1/token", i), soon)
	}
	if got := c.routes(); got != ixMaxRoutes {
		t.Errorf("after %d rate-limited routes, %d kept; want %d", ixMaxRoutes+10, got, ixMaxRoutes)
	}
	c.mu.Lock()
	for k := range c.until {
		c.until[k] = time.Now().Add(-time.Second)
	}
	c.swept = time.Time{}
	c.mu.Unlock()
	c.block("POST /webhooks/1/other", time.Now().Add(time.Second))
	if got := c.routes(); got != 1 {
		t.Errorf("after every wait ended, %d routes kept; want 1", got)
	}
}

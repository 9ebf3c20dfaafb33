package ops

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

type fakeDB struct {
	dir     string
	pingErr error
	data    []byte
}

func (d fakeDB) Ping(context.Context) error { return d.pingErr }
func (d fakeDB) Path() string               { return filepath.Join(d.dir, "bot.db") }
func (d fakeDB) Backup(w io.Writer) (int64, error) {
	n, err := w.Write(d.data)
	return int64(n), err
}

func get(t *testing.T, h http.Handler, path, auth string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const token = "s3cret-s3cret-s3cret"

func TestBackupNeedsTheToken(t *testing.T) {
	db := fakeDB{dir: t.TempDir(), data: []byte("the whole database")}
	off := New(Options{DB: db}).Handler()
	if w := get(t, off, "/backup", "Bearer "+token); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "BACKUP_TOKEN_FILE") {
		t.Fatalf("/backup with no token configured = %d %q; want 404 naming BACKUP_TOKEN_FILE", w.Code, w.Body)
	}
	on := New(Options{DB: db, BackupToken: token}).Handler()
	for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer " + token[:len(token)-1], "Bearer " + token + "x", "Basic " + token, token} {
		w := get(t, on, "/backup", auth)
		if w.Code != http.StatusUnauthorized || bytes.Contains(w.Body.Bytes(), db.data) {
			t.Errorf("/backup with Authorization %q = %d; want 401 and no data", auth, w.Code)
		}
	}
	w := get(t, on, "/backup", "Bearer "+token)
	if w.Code != http.StatusOK || w.Body.String() != string(db.data) || w.Header().Get("Content-Length") != "18" {
		t.Fatalf("/backup with the token = %d %q", w.Code, w.Body)
	}
	if m, _ := filepath.Glob(filepath.Join(db.dir, ".*backup-*")); len(m) != 0 {
		t.Errorf("staging copies left behind: %v", m)
	}
}

func TestReadyz(t *testing.T) {
	db := fakeDB{dir: t.TempDir()}
	for _, c := range []struct {
		ready bool
		ping  error
		want  int
	}{{true, nil, 200}, {false, nil, 503}, {true, errors.New("closed"), 503}} {
		h := New(Options{DB: fakeDB{dir: db.dir, pingErr: c.ping}, Ready: func() bool { return c.ready }}).Handler()
		if w := get(t, h, "/readyz", ""); w.Code != c.want {
			t.Errorf("ready %v, ping %v: /readyz = %d, want %d", c.ready, c.ping, w.Code, c.want)
		}
	}
}

func TestMetricsExposition(t *testing.T) {
	m := NewMetrics()
	m.Interaction("interview", "ok", 3*time.Millisecond)
	m.Interaction("interview", "ok", 0)
	m.Daily(quiz.DailyReport{Posted: 2, Failed: 1})
	m.Reveals(3)
	w := get(t, New(Options{Metrics: m}).Handler(), "/metrics", "")
	body := w.Body.String()
	for _, want := range []string{
		`interviewbot_interactions_total{command="interview",outcome="ok"} 2`,
		`interviewbot_interaction_ack_seconds_count 1`,
		`interviewbot_daily_posts_total{result="sent"} 2`,
		`interviewbot_daily_posts_total{result="skipped"} 0`,
		`interviewbot_daily_posts_total{result="failed"} 1`,
		`interviewbot_reveals_total 3`,
		"go_memstats_heap_alloc_bytes", "go_gc_duration_seconds", "process_resident_memory_bytes", "process_open_fds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestConnectionLimit: with MaxConns 2, a third client waits until one of the first two leaves.
func TestConnectionLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := limitListener(ln, 2)
	defer lim.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := lim.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	var clients []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	default:
	}
	first.Close()
	third := <-accepted // released by the close; blocks (and the test times out) otherwise
	third.Close()
	second.Close()
}

// TestServeStopsOnCancel: Serve returns nil once its context ends.
func TestServeStopsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(Options{}).Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v after cancel; want nil", err)
	}
}

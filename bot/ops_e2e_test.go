package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestHealthAndMetrics checks the operator endpoints of a running bot, and `bot healthcheck`.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	done := make(chan struct{}, 10)
	b := e.start(onInteractionDone(func() { done <- struct{}{} }))
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(b.app.httpURL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	e.wait(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "nope")))
	// Metrics are counted just after each reply: wait for both interactions to be counted.
	<-done
	<-done
	_, metrics := get("/metrics")
	for _, want := range []string{
		`interviewbot_interactions_total{command="interview",outcome="not_found"} 1`,
		`interviewbot_interactions_total{command="interview",outcome="ok"} 1`,
		"# TYPE interviewbot_interaction_ack_seconds histogram",
		`interviewbot_interaction_ack_seconds_bucket{le="+Inf"}`,
		`interviewbot_gateway_events_total{event="ready"}`,
		"interviewbot_store_tx_seconds_count",
		"interviewbot_daily_posts_total",
		"interviewbot_rest_rate_limited_total",
		"go_memstats_heap_alloc_bytes",
		"go_goroutines",
		"process_resident_memory_bytes",
		"process_open_fds",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// Without BACKUP_TOKEN_FILE, /backup is off.
	if code, body := get("/backup"); code != 404 || !strings.Contains(body, "BACKUP_TOKEN_FILE") {
		t.Errorf("/backup without a configured token = %d %q; want 404 saying how to turn it on", code, body)
	}
	code, out, errOut := runArgs(t, []string{"healthcheck", b.app.httpURL + "/readyz"}, nil, "")
	if code != 0 {
		t.Fatalf("healthcheck = %d %s %s", code, out, errOut)
	}
	b.stop()
	if code, _, _ := runArgs(t, []string{"healthcheck", b.app.httpURL + "/readyz"}, nil, ""); code != 1 {
		t.Fatalf("healthcheck of a stopped bot = %d; want 1", code)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// metrics is a small Prometheus text-format registry: counters by label set and histograms.
// It implements discord.Observer.
type metrics struct {
	mu         sync.Mutex
	counters   map[string]map[string]float64 // name -> labels -> value
	help       map[string]string
	histograms map[string]*histogram
	// interactionDone, if set (tests), is called after each interaction is counted.
	interactionDone func()
}

type histogram struct {
	bounds []float64
	counts []uint64
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	m := &metrics{counters: map[string]map[string]float64{}, help: map[string]string{}, histograms: map[string]*histogram{}}
	m.help["interviewbot_interactions_total"] = "Interactions handled, by command and outcome."
	m.help["interviewbot_gateway_events_total"] = "Gateway connection events (connect, disconnect, ready, resumed)."
	m.help["interviewbot_rest_rate_limited_total"] = "REST responses with status 429."
	m.help["interviewbot_daily_posts_total"] = "Daily posts by result (sent, skipped, failed)."
	m.help["interviewbot_reveals_total"] = "Reference answers posted publicly."
	m.histograms["interviewbot_interaction_ack_seconds"] = newHistogram(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3)
	m.histograms["interviewbot_store_tx_seconds"] = newHistogram(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1)
	m.help["interviewbot_interaction_ack_seconds"] = "Time from receiving an interaction to Discord accepting the first response."
	m.help["interviewbot_store_tx_seconds"] = "Database transaction time."
	return m
}

func newHistogram(bounds ...float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds))}
}

func (m *metrics) add(name string, v float64, labels ...string) {
	var b strings.Builder
	for i := 0; i+1 < len(labels); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%q", labels[i], labels[i+1])
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counters[name] == nil {
		m.counters[name] = map[string]float64{}
	}
	m.counters[name][b.String()] += v
}

func (m *metrics) observe(name string, v float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.histograms[name]
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
		}
	}
	h.sum += v
	h.n++
}

// Counter returns a counter's value for a label string such as `command="interview",outcome="ok"`.
func (m *metrics) Counter(name, labels string) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counters[name][labels]
}

func (m *metrics) Interaction(name, outcome string, ack time.Duration) {
	m.add("interviewbot_interactions_total", 1, "command", name, "outcome", outcome)
	if ack > 0 {
		m.observe("interviewbot_interaction_ack_seconds", ack.Seconds())
	}
	if m.interactionDone != nil {
		m.interactionDone()
	}
}

func (m *metrics) Gateway(event string) {
	m.add("interviewbot_gateway_events_total", 1, "event", event)
}

func (m *metrics) RateLimited(string) { m.add("interviewbot_rest_rate_limited_total", 1) }

func (m *metrics) daily(r quiz.DailyReport) {
	m.add("interviewbot_daily_posts_total", float64(r.Posted), "result", "sent")
	m.add("interviewbot_daily_posts_total", float64(r.Skipped), "result", "skipped")
	m.add("interviewbot_daily_posts_total", float64(r.Failed), "result", "failed")
}

// writeText writes the Prometheus text exposition format.
func (m *metrics) writeText(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.help))
	for n := range m.help {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if h, ok := m.histograms[n]; ok {
			fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", n, m.help[n], n)
			for i, b := range h.bounds {
				fmt.Fprintf(w, "%s_bucket{le=\"%s\"} %d\n", n, formatFloat(b), h.counts[i])
			}
			fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %s\n%s_count %d\n", n, h.n, n, formatFloat(h.sum), n, h.n)
			continue
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", n, m.help[n], n)
		series := m.counters[n]
		keys := make([]string, 0, len(series))
		for k := range series {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) == 0 {
			fmt.Fprintf(w, "%s 0\n", n)
		}
		for _, k := range keys {
			if k == "" {
				fmt.Fprintf(w, "%s %s\n", n, formatFloat(series[k]))
			} else {
				fmt.Fprintf(w, "%s{%s} %s\n", n, k, formatFloat(series[k]))
			}
		}
	}
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprintf("%g", f)
}

// timedStore measures every transaction of the store it wraps.
type timedStore struct {
	quiz.Store
	m *metrics
}

func (s timedStore) View(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.time(time.Now())
	return s.Store.View(ctx, fn)
}

func (s timedStore) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.time(time.Now())
	return s.Store.Update(ctx, fn)
}

func (s timedStore) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.time(time.Now())
	return s.Store.Batch(ctx, fn)
}

func (s timedStore) time(start time.Time) {
	s.m.observe("interviewbot_store_tx_seconds", time.Since(start).Seconds())
}

package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the bot's Prometheus registry. Its methods match discord.Observer, so the Discord
// adapter reports to it without knowing Prometheus.
type Metrics struct {
	reg          *prometheus.Registry
	interactions *prometheus.CounterVec
	ack          prometheus.Histogram
	gateway      *prometheus.CounterVec
	rateLimited  prometheus.Counter
	daily        *prometheus.CounterVec
	reveals      prometheus.Counter
	storeTx      prometheus.Histogram
}

// NewMetrics returns a registry with the bot's metrics and the Go runtime (go_memstats_*,
// go_gc_*) and process (process_*: memory, CPU, file descriptors) collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewbot_interactions_total", Help: "Interactions handled, by command and outcome.",
		}, []string{"command", "outcome"}),
		ack: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "interviewbot_interaction_ack_seconds",
			Help:    "Time from receiving an interaction to Discord accepting the first response.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3},
		}),
		gateway: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewbot_gateway_events_total", Help: "Gateway connection events (connect, disconnect, ready, resumed).",
		}, []string{"event"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "interviewbot_rest_rate_limited_total", Help: "REST responses with status 429.",
		}),
		daily: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewbot_daily_posts_total", Help: "Daily posts by result (sent, skipped, failed).",
		}, []string{"result"}),
		reveals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "interviewbot_reveals_total", Help: "Reference answers posted publicly.",
		}),
		storeTx: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "interviewbot_store_tx_seconds",
			Help:    "Database transaction time.",
			Buckets: []float64{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1},
		}),
	}
	for _, r := range []string{"sent", "skipped", "failed"} {
		m.daily.WithLabelValues(r) // present at 0 from the start, so rate() works from the first scrape
	}
	m.reg.MustRegister(m.interactions, m.ack, m.gateway, m.rateLimited, m.daily, m.reveals, m.storeTx,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the underlying registry, for tests that read a value back.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Interaction counts one handled interaction and, when it was acknowledged, how long that took.
func (m *Metrics) Interaction(name, outcome string, ack time.Duration) {
	m.interactions.WithLabelValues(name, outcome).Inc()
	if ack > 0 {
		m.ack.Observe(ack.Seconds())
	}
}

// Gateway counts a gateway connection event.
func (m *Metrics) Gateway(event string) { m.gateway.WithLabelValues(event).Inc() }

// RateLimited counts a 429. The bucket is not a label: Discord's buckets are unbounded.
func (m *Metrics) RateLimited(string) { m.rateLimited.Inc() }

// Daily counts one scheduler pass's daily posts.
func (m *Metrics) Daily(r quiz.DailyReport) {
	m.daily.WithLabelValues("sent").Add(float64(r.Posted))
	m.daily.WithLabelValues("skipped").Add(float64(r.Skipped))
	m.daily.WithLabelValues("failed").Add(float64(r.Failed))
}

// Reveals counts reference answers posted publicly.
func (m *Metrics) Reveals(n int) { m.reveals.Add(float64(n)) }

// Store wraps s so that every transaction is timed.
func (m *Metrics) Store(s quiz.Store) quiz.Store { return timedStore{s, m.storeTx} }

type timedStore struct {
	quiz.Store
	h prometheus.Histogram
}

func (s timedStore) View(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.since(time.Now())
	return s.Store.View(ctx, fn)
}

func (s timedStore) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.since(time.Now())
	return s.Store.Update(ctx, fn)
}

func (s timedStore) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	defer s.since(time.Now())
	return s.Store.Batch(ctx, fn)
}

func (s timedStore) since(start time.Time) { s.h.Observe(time.Since(start).Seconds()) }

package boltstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// timedStore measures how long each Update holds bbolt's single writer (the whole call: a
// benchmark runs alone, so nothing else waits in it).
type timedStore struct {
	*Store
	mu      sync.Mutex
	updates []time.Duration
}

func (s *timedStore) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	start := time.Now()
	err := s.Store.Update(ctx, fn)
	s.mu.Lock()
	s.updates = append(s.updates, time.Since(start))
	s.mu.Unlock()
	return err
}

// benchQuotaQuestions is the server bank size the quota benchmarks fill: the default quota.
var benchQuotaQuestions = 2000

// atQuota opens a store holding one server whose bank is full: benchQuotaQuestions added
// questions of about 1 KiB each in one added topic, written as imports would write them.
func atQuota(b *testing.B) (*timedStore, *quiz.Moderation, quiz.Actor) {
	b.Helper()
	ctx := context.Background()
	st, err := Open(filepath.Join(b.TempDir(), "quota.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	long := strings.Repeat("a reasonably long reference answer sentence. ", 18)
	err = st.Update(ctx, func(tx quiz.Tx) error {
		title := quiz.Text{EN: "Big", ZH: "大"}
		if err := tx.PutOverlayTopic(1, quiz.TopicOverlay{Slug: "big", Title: &title, Added: true}); err != nil {
			return err
		}
		for i := range benchQuotaQuestions {
			q := quiz.Question{ID: fmt.Sprintf("big-%05d", i), Topic: "big", Level: quiz.Mid, Tags: []string{"x"},
				Prompt: quiz.Text{EN: "What happens?", ZH: "会发生什么？"}, Answer: quiz.Text{EN: long, ZH: "答"},
				Summary:   quiz.Text{EN: "short", ZH: "短"},
				KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"a", "b", "c"}}}
			e := quiz.OverlayEntry{QuestionID: q.ID, Question: &q, Added: true, Version: 1, UpdatedBy: 9, UpdatedAt: now}
			if err := tx.PutOverlayQuestion(1, e); err != nil {
				return err
			}
			if err := tx.AddHistory(1, quiz.HistoryEntry{QuestionID: q.ID, Version: 1, Action: "import", By: 9, At: now}); err != nil {
				return err
			}
		}
		return tx.PutGuild(quiz.Guild{ID: 1, BankRev: 1})
	})
	if err != nil {
		b.Fatal(err)
	}
	ts := &timedStore{Store: st}
	app := quiz.New(ts, benchBank(b), quiz.Options{Now: func() time.Time { return now }})
	return ts, app.Moderation, quiz.Actor{Guild: 1, User: 9, Manager: true}
}

// BenchmarkBankDisableAtQuota: /bank disable then enable of one question on a server whose
// bank is at the question quota. It reports the whole call and the longest time one Update
// held the writer (what /interview in every other server waits behind).
func BenchmarkBankDisableAtQuota(b *testing.B) {
	ctx := context.Background()
	ts, mod, a := atQuota(b)
	disabled := false
	var calls []time.Duration
	for b.Loop() {
		disabled = !disabled
		start := time.Now()
		if err := mod.SetDisabled(ctx, a, "big-00007", disabled); err != nil {
			b.Fatal(err)
		}
		calls = append(calls, time.Since(start))
	}
	b.ReportMetric(msMax(calls), "ms-max/change")
	b.ReportMetric(msMax(ts.updates), "ms-max-writer-held")
	b.ReportMetric(msMean(ts.updates), "ms-mean-writer-held")
}

// BenchmarkQuestionIDAutocompleteAtQuota: /bank id autocomplete (25 ids matching a prefix) on
// a server at the question quota.
func BenchmarkQuestionIDAutocompleteAtQuota(b *testing.B) {
	ctx := context.Background()
	_, mod, a := atQuota(b)
	var calls []time.Duration
	for b.Loop() {
		start := time.Now()
		ids, err := mod.MatchQuestionIDs(ctx, a, "big-019", 25)
		if err != nil || len(ids) == 0 {
			b.Fatal(ids, err)
		}
		calls = append(calls, time.Since(start))
	}
	b.ReportMetric(msMax(calls), "ms-max/lookup")
}

func msMax(ds []time.Duration) float64 {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return float64(m.Microseconds()) / 1000
}

func msMean(ds []time.Duration) float64 {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return float64(sum.Microseconds()) / 1000 / float64(max(1, len(ds)))
}

package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func bigBank(tb testing.TB, n, topics int) *Bank {
	tb.Helper()
	var ts []Topic
	for i := range topics {
		ts = append(ts, Topic{Slug: fmt.Sprintf("t%d", i), Title: Text{EN: "T", ZH: "T"}})
	}
	qs := make([]Question, n)
	for i := range qs {
		qs[i] = Question{ID: fmt.Sprintf("q-%05d", i), Topic: ts[i%topics].Slug, Level: Mid, Tags: []string{"x"},
			Prompt: Text{EN: "q", ZH: "问"}, Answer: Text{EN: "a", ZH: "答"},
			KeyPoints: TextList{EN: []string{"a", "b", "c"}, ZH: []string{"a", "b", "c"}}}
	}
	b, err := NewBank(ts, qs)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// history returns the cards a member has after attempts random asks, graded over time.
func history(b *Bank, attempts int, now time.Time, r *rand.Rand) []Card {
	byID := map[string]Card{}
	qs := b.Questions("")
	for i := range attempts {
		q := qs[r.IntN(len(qs))]
		c := byID[q.ID]
		c.QuestionID, c.Topic = q.ID, q.Topic
		c.Asked++
		at := now.Add(-time.Duration(attempts-i) * time.Hour)
		c.LastAsked = at
		c = SM2{}.Review(c, Grades[r.IntN(4)], at, 0)
		byID[q.ID] = c
	}
	cards := make([]Card, 0, len(byID))
	for _, c := range byID {
		cards = append(cards, c)
	}
	slices.SortFunc(cards, func(a, b Card) int { return strings.Compare(a.QuestionID, b.QuestionID) })
	return cards
}

func TestPickPrefersUnseenThenDue(t *testing.T) {
	b := bigBank(t, 100, 1)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(1, 2))
	cards := history(b, 50, now, r)
	seen := map[string]bool{}
	for _, c := range cards {
		seen[c.QuestionID] = true
	}
	q, ok := pick(b, "", cards, "", now, r.IntN)
	if !ok || seen[q.ID] {
		t.Fatalf("pick = %s (seen %v); want an unseen question", q.ID, seen[q.ID])
	}
	all := history(b, 2000, now, r) // every question seen
	if len(all) != 100 {
		t.Fatalf("history covers %d questions", len(all))
	}
	q, _ = pick(b, "", all, "", now, r.IntN)
	var best Card
	for _, c := range all {
		if c.IsDue(now) && (best.QuestionID == "" || c.Due.Before(best.Due)) {
			best = c
		}
	}
	if best.QuestionID != "" && q.ID != best.QuestionID {
		t.Fatalf("pick = %s; want the most overdue %s", q.ID, best.QuestionID)
	}
}

// BenchmarkPick: the next question for a member with 10,000 past attempts in a 10,000-question
// bank (the target is under 100 µs), in the typical case (about 63% of the bank seen)
// and when every question was seen.
func BenchmarkPick(b *testing.B) {
	bank := bigBank(b, 10000, 10)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name     string
		attempts int
	}{{"10k-attempts", 10000}, {"all-seen", 200000}} {
		cards := history(bank, tc.attempts, now, r)
		for _, topic := range []string{"", "t3"} {
			name := tc.name + "/any-topic"
			if topic != "" {
				name = tc.name + "/one-topic"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, ok := pick(bank, topic, cards, "q-00001", now, r.IntN); !ok {
						b.Fatal("no question")
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/pick")
				b.ReportMetric(float64(len(cards)), "cards")
			})
		}
	}
}

package quiz_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/fsrs"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// fsrsHistory is fsrs's counterpart of pick_test.go's history: the cards a member has after
// attempts random asks an hour apart, each graded and scheduled by FSRS.
func fsrsHistory(b *quiz.Bank, s quiz.Scheduler, attempts int, now time.Time, r *rand.Rand) []quiz.Card {
	byID := map[string]quiz.Card{}
	qs := b.Questions("")
	for i := range attempts {
		q := qs[r.IntN(len(qs))]
		c := byID[q.ID]
		c.QuestionID, c.Topic = q.ID, q.Topic
		c.Asked++
		at := now.Add(-time.Duration(attempts-i) * time.Hour)
		c.LastAsked = at
		c = s.Review(c, quiz.Grades[r.IntN(4)], at, quiz.DefaultRetention)
		byID[q.ID] = c
	}
	cards := make([]quiz.Card, 0, len(byID))
	for _, c := range byID {
		cards = append(cards, c)
	}
	slices.SortFunc(cards, func(a, b quiz.Card) int { return strings.Compare(a.QuestionID, b.QuestionID) })
	return cards
}

// BenchmarkPickFSRS: the next question for a member with FSRS cards from 10,000 graded
// attempts, or with 10,000 cards (every question of a 10,000-question bank seen), as
// BenchmarkPick does for SM-2 cards (run both: go test -bench Pick ./internal/quiz). "weak" is
// /interview weak: the weakest topic by mean FSRS retrievability over every card, then the
// pick in it. The aim is under 100 µs.
//
// BigBank's ids (q-00000...) interleave the topics, the worst case for the topic lookup;
// "grouped" uses ids that start with their topic, as the shipped bank's do (tcp-handshake).
func BenchmarkPickFSRS(b *testing.B) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	s := fsrs.New()
	interleaved := quiz.BigBank(b, 10000, 10)
	grouped := groupedBank(b, 10000, 10)
	for _, tc := range []struct {
		name     string
		bank     *quiz.Bank
		attempts int
	}{{"10k-attempts", interleaved, 10000}, {"10k-cards", interleaved, 200000}, {"10k-cards-grouped", grouped, 200000}} {
		bank := tc.bank
		cards := fsrsHistory(bank, s, tc.attempts, now, r)
		b.Run(tc.name+"/any-topic", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := quiz.Pick(bank, "", cards, "q-00001", now, r.IntN); !ok {
					b.Fatal("no question")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/pick")
			b.ReportMetric(float64(len(cards)), "cards")
		})
		b.Run(tc.name+"/weak", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				topic := quiz.Weakest(bank, cards, now, s)
				if _, ok := quiz.Pick(bank, topic, cards, "q-00001", now, r.IntN); !ok {
					b.Fatal("no question")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/pick")
			b.ReportMetric(float64(len(cards)), "cards")
		})
	}
}

func groupedBank(tb testing.TB, n, topics int) *quiz.Bank {
	var ts []quiz.Topic
	var qs []quiz.Question
	for i := range topics {
		ts = append(ts, quiz.Topic{Slug: fmt.Sprintf("t%d", i), Title: quiz.Text{EN: "T", ZH: "T"}})
	}
	for i := range n {
		topic := ts[i%topics].Slug
		qs = append(qs, quiz.Question{ID: fmt.Sprintf("%s-%05d", topic, i), Topic: topic, Level: quiz.Mid, Tags: []string{"x"},
			Prompt: quiz.Text{EN: "q", ZH: "问"}, Answer: quiz.Text{EN: "a", ZH: "答"},
			KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"a", "b", "c"}}})
	}
	b, err := quiz.NewBank(ts, qs)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

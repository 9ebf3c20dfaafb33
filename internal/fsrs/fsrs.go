// Package fsrs schedules reviews with FSRS (github.com/open-spaced-repetition/go-fsrs/v3): it
// implements quiz.Scheduler and is the only package that imports go-fsrs.
//
// Choices:
//   - The long-term scheduler (no same-day learning steps): members practise interview
//     questions, not vocabulary, and come back at most daily, so every interval is whole days.
//   - No fuzz, so the same history always gives the same schedule (tests pin it).
//   - go-fsrs writes a seed into its Parameters on every call, so a shared *FSRS races; each
//     call gets its own copy.
package fsrs

import (
	"math"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	gofsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

// Scheduler is FSRS with the default (population-trained) weights.
type Scheduler struct {
	params gofsrs.Parameters
}

// forgetting is FSRS's forgetting curve, R(t) = (1 + factor·t/S)^decay, computed here because
// the weakest-topic pick evaluates it for every card a member has (go-fsrs builds a scheduler
// per call). TestRetrievabilityMatchesLibrary holds it to go-fsrs's own.
func (s *Scheduler) forgetting(elapsedDays, stability float64) float64 {
	x := 1 + s.params.Factor*elapsedDays/stability
	if s.params.Decay == -0.5 {
		return 1 / math.Sqrt(x)
	}
	return math.Pow(x, s.params.Decay)
}

var (
	_ quiz.Scheduler       = (*Scheduler)(nil)
	_ quiz.ForgettingCurve = (*Scheduler)(nil)
)

// Forgetting is the probability of recall elapsedDays after a review that left the card with
// stability days: what Retrievability computes for a graded card.
func (s *Scheduler) Forgetting(elapsedDays, stability float64) float64 {
	return s.forgetting(elapsedDays, stability)
}

// New returns a Scheduler with FSRS's default weights.
func New() *Scheduler {
	p := gofsrs.DefaultParam()
	p.EnableShortTerm = false
	p.EnableFuzz = false
	return &Scheduler{params: p}
}

func (s *Scheduler) engine(retention float64) *gofsrs.FSRS {
	p := s.params
	p.RequestRetention = clampRetention(retention)
	return gofsrs.NewFSRS(p)
}

func clampRetention(r float64) float64 {
	if r == 0 || math.IsNaN(r) {
		return quiz.DefaultRetention
	}
	return math.Min(quiz.MaxRetention, math.Max(quiz.MinRetention, r))
}

var ratings = map[quiz.Grade]gofsrs.Rating{
	quiz.Again: gofsrs.Again, quiz.Hard: gofsrs.Hard, quiz.Good: gofsrs.Good, quiz.Easy: gofsrs.Easy,
}

// Review returns c after a review graded g at now.
func (s *Scheduler) Review(c quiz.Card, g quiz.Grade, now time.Time, retention float64) quiz.Card {
	r, ok := ratings[g]
	if !ok {
		r = gofsrs.Again
	}
	next := s.engine(retention).Next(toFSRS(c), now, r).Card
	return fromFSRS(c, next, g, now)
}

// Intervals returns how long after now the card would be due for each grade.
func (s *Scheduler) Intervals(c quiz.Card, now time.Time, retention float64) map[quiz.Grade]time.Duration {
	log := s.engine(retention).Repeat(toFSRS(c), now)
	out := make(map[quiz.Grade]time.Duration, len(ratings))
	for g, r := range ratings {
		out[g] = log[r].Card.Due.Sub(now)
	}
	return out
}

// Retrievability is the probability of recall at now.
func (s *Scheduler) Retrievability(c quiz.Card, now time.Time) float64 {
	if c.State == quiz.CardNew || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	return s.forgetting(max(0, now.Sub(c.LastReview).Hours()/24), c.Stability)
}

func toFSRS(c quiz.Card) gofsrs.Card {
	return gofsrs.Card{
		Due:           c.Due,
		Stability:     c.Stability,
		Difficulty:    c.Difficulty,
		ScheduledDays: uint64(max(0, c.Interval)),
		Reps:          uint64(max(0, c.Reps)),
		Lapses:        uint64(max(0, c.Lapses)),
		State:         gofsrs.State(c.State),
		LastReview:    c.LastReview,
	}
}

func fromFSRS(c quiz.Card, n gofsrs.Card, g quiz.Grade, now time.Time) quiz.Card {
	c.Stability, c.Difficulty = n.Stability, n.Difficulty
	c.State = quiz.CardState(n.State)
	c.Reps, c.Lapses = int(n.Reps), int(n.Lapses)
	c.Interval = int(n.ScheduledDays)
	c.Due, c.LastReview, c.LastGrade = n.Due, now, g
	return c
}

package quiz

import (
	"math"
	"slices"
	"time"
)

// CardState is where a card is in FSRS's model of memory.
type CardState uint8

const (
	CardNew        CardState = iota // never graded
	CardLearning                    // graded once or twice, not yet learned
	CardReview                      // learned; reviewed at growing intervals
	CardRelearning                  // forgotten (graded Again) after being learned
)

// Target recall a member may choose with /settings retention: FSRS schedules each review for
// when the chance of remembering has fallen to this. Higher means more reviews.
const (
	DefaultRetention = 0.90
	MinRetention     = 0.80
	MaxRetention     = 0.97
)

// Scheduler decides when a member reviews a card next. internal/fsrs implements it with FSRS;
// the domain only names what it needs, so it stays on the standard library.
type Scheduler interface {
	// Review returns c after a review graded g at now: its memory state, Due and Interval.
	Review(c Card, g Grade, now time.Time, retention float64) Card
	// Intervals returns, for each grade, how long after now the card would next be due, for
	// the grade buttons ("Good · 4d").
	Intervals(c Card, now time.Time, retention float64) map[Grade]time.Duration
	// Retrievability is the estimated probability that the member recalls the card at now; 0
	// for a card never graded.
	Retrievability(c Card, now time.Time) float64
}

// RebuildCard returns c with its review state recomputed by s from the member's graded
// attempts of its question, for moving cards to a new scheduler (boltstore's v2 migration
// moves SM-2 cards to FSRS with it). It is pure.
//
//   - Attempts of other questions and ungraded attempts are ignored; the rest are replayed in
//     GradedAt order (ties keep the given order) through s.Review at the default retention,
//     from a card with no review state. Reps, Lapses, Interval, Due, LastGrade and the memory
//     state come from the replay; QuestionID, Topic, Asked, LastAsked and Ease (SM-2's
//     factor, kept as history) are kept.
//   - With no graded attempt, a card with an SM-2 state (Due set) and no memory state yet
//     starts from it: Stability = max(Interval, 1) days, Difficulty from Ease (2.5 → 5,
//     1.3 → 9, linear, clamped to 1..10; a missing Ease counts as 2.5), State Review if
//     Reps > 0 else Learning, LastReview = Due − Interval; Due is kept.
//   - Anything else (never graded, or already carrying a memory state) is returned unchanged.
func RebuildCard(s Scheduler, c Card, graded []Attempt) Card {
	var hist []Attempt
	for _, a := range graded {
		if a.QuestionID == c.QuestionID && !a.GradedAt.IsZero() {
			if _, ok := ParseGrade(string(a.Grade)); ok {
				hist = append(hist, a)
			}
		}
	}
	if len(hist) > 0 {
		slices.SortStableFunc(hist, func(x, y Attempt) int { return x.GradedAt.Compare(y.GradedAt) })
		r := Card{QuestionID: c.QuestionID, Topic: c.Topic, Asked: c.Asked, LastAsked: c.LastAsked, Ease: c.Ease}
		for _, a := range hist {
			r = s.Review(r, a.Grade, a.GradedAt, DefaultRetention)
		}
		r.Ease = c.Ease
		return r
	}
	if c.Due.IsZero() || c.State != CardNew || c.Stability > 0 {
		return c
	}
	c.Stability = float64(max(c.Interval, 1))
	c.Difficulty = difficultyFromEase(c.Ease)
	c.State = CardLearning
	if c.Reps > 0 {
		c.State = CardReview
	}
	c.LastReview = c.Due.Add(-time.Duration(max(c.Interval, 0)) * 24 * time.Hour)
	return c
}

// difficultyFromEase maps SM-2's easiness to FSRS's difficulty: 2.5 (SM-2's start) → 5 (FSRS's
// middle), 1.3 (SM-2's floor) → 9, linearly, clamped to FSRS's 1..10.
func difficultyFromEase(ease float64) float64 {
	if ease == 0 {
		ease = initialEase
	}
	d := 5 + (initialEase-ease)*(9-5)/(initialEase-minEase)
	return math.Min(10, math.Max(1, d))
}

// ForgettingCurve may be implemented by a Scheduler whose Retrievability of a graded card
// (State not CardNew, Stability > 0, LastReview set) depends only on the days since LastReview
// and the Stability, as FSRS's does. Ranking topics for /interview weak evaluates recall for
// every card a member has; with this it does so without passing each Card by value.
type ForgettingCurve interface {
	Forgetting(elapsedDays, stability float64) float64
}

package quiz

import "time"

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

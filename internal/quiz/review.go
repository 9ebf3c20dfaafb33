package quiz

import (
	"math"
	"strings"
	"time"
)

// Grade is a member's rating of their own answer after seeing the reference answer.
type Grade string

const (
	Again Grade = "again"
	Hard  Grade = "hard"
	Good  Grade = "good"
	Easy  Grade = "easy"
)

// Grades lists the grades in button order.
var Grades = []Grade{Again, Hard, Good, Easy}

// ParseGrade accepts a grade name in any case.
func ParseGrade(s string) (Grade, bool) {
	g := Grade(strings.ToLower(strings.TrimSpace(s)))
	switch g {
	case Again, Hard, Good, Easy:
		return g, true
	}
	return "", false
}

const (
	initialEase = 2.5
	minEase     = 1.3
	// againDelay brings a failed question back the same day.
	againDelay = 10 * time.Minute
	// maxInterval caps review intervals (100 years) so Due never overflows time.Duration.
	maxInterval = 36500
)

// quality maps a grade to SM-2's 0-5 response quality.
func (g Grade) quality() float64 {
	switch g {
	case Again:
		return 1
	case Hard:
		return 3
	case Good:
		return 4
	}
	return 5
}

// SM2 is the Scheduler used when Options gives none: SM-2 (Wozniak, 1990) with the common
// Hard/Easy interval modifiers, the bot's scheduler before FSRS. bot/ wires FSRS
// (internal/fsrs); SM2 keeps tools and adapter tests that build the use cases without one
// working with the schedule they were written against. It ignores retention.
type SM2 struct{}

var _ Scheduler = SM2{}

// Review returns the card after grading at now: Again resets the run and comes back in 10
// minutes; Hard grows the interval by 1.2; Easy adds a 1.3 bonus.
func (SM2) Review(c Card, g Grade, now time.Time, _ float64) Card {
	if c.Ease == 0 {
		c.Ease = initialEase
	}
	q := g.quality()
	c.LastGrade = g
	c.LastReview = now
	if g == Again {
		if c.Reps > 0 {
			c.Lapses++
		}
		c.Reps = 0
		c.Interval = 0
		c.Ease = math.Max(minEase, c.Ease-0.2)
		c.Due = now.Add(againDelay)
		return c
	}
	switch {
	case c.Reps == 0:
		c.Interval = 1
		if g == Easy {
			c.Interval = 4
		}
	case c.Reps == 1:
		c.Interval = 6
		if g == Hard {
			c.Interval = 3
		}
	default:
		f := c.Ease
		switch g {
		case Hard:
			f = 1.2
		case Easy:
			f *= 1.3
		}
		c.Interval = max(c.Interval+1, int(math.Round(float64(c.Interval)*f)))
	}
	c.Interval = min(c.Interval, maxInterval)
	c.Reps++
	c.Ease = math.Max(minEase, c.Ease+0.1-(5-q)*(0.08+(5-q)*0.02))
	c.Due = now.Add(time.Duration(c.Interval) * 24 * time.Hour)
	return c
}

// Intervals returns how long after now each grade would schedule the card.
func (s SM2) Intervals(c Card, now time.Time, retention float64) map[Grade]time.Duration {
	out := make(map[Grade]time.Duration, len(Grades))
	for _, g := range Grades {
		out[g] = s.Review(c, g, now, retention).Due.Sub(now)
	}
	return out
}

// Retrievability models SM-2's interval as the time for recall to fall to 90%:
// R = 0.9^(elapsed/interval), counted from the last review (Due − Interval for old cards).
func (SM2) Retrievability(c Card, now time.Time) float64 {
	if c.Due.IsZero() {
		return 0
	}
	ivl := time.Duration(max(c.Interval, 0)) * 24 * time.Hour
	last := c.LastReview
	if last.IsZero() {
		last = c.Due.Add(-ivl)
	}
	if ivl <= 0 {
		ivl = againDelay
	}
	elapsed := max(0, now.Sub(last))
	return math.Pow(0.9, float64(elapsed)/float64(ivl))
}

// IsDue reports whether a graded card is due at now. Never-graded cards are not due.
func (c Card) IsDue(now time.Time) bool { return !c.Due.IsZero() && !c.Due.After(now) }

package quiz

import (
	"cmp"
	"slices"
	"time"
)

// probes is how many random draws pick tries for an unseen question before it scans.
const probes = 64

// pick chooses the next question for a member from b's questions in topic (every topic when
// topic is ""): a question never seen first, then the most overdue review, then
// the review due soonest; never last unless nothing else exists (then ok is false).
// cards must be sorted by question id. intn returns a random int in [0, n).
func pick(b *Bank, topic string, cards []Card, last string, now time.Time, intn func(int) int) (Question, bool) {
	candidates := b.Questions(topic)
	if len(candidates) == 0 {
		return Question{}, false
	}
	// One pass over the cards: how many candidates were seen, the most overdue, the soonest due.
	// Times are compared as integers, and the "not last" test runs only for a new best, since
	// this loop is the whole cost of a pick for a member with thousands of cards.
	seen := 0
	var overdue, soonest *Card
	var overdueAt, soonestAt int64
	nowAt := now.UnixNano()
	for i := range cards {
		c := &cards[i]
		if topic != "" && c.Topic != topic {
			continue
		}
		seen++
		graded := !c.Due.IsZero()
		at := c.LastAsked.UnixNano() // seen but never graded: reviewed as if due when last asked
		if graded {
			at = c.Due.UnixNano()
		}
		if graded && at <= nowAt && (overdue == nil || at < overdueAt) && c.QuestionID != last {
			overdue, overdueAt = c, at
		}
		if (soonest == nil || at < soonestAt) && c.QuestionID != last {
			soonest, soonestAt = c, at
		}
	}
	hasCard := func(id string) bool {
		_, found := slices.BinarySearchFunc(cards, id, func(c Card, id string) int { return cmp.Compare(c.QuestionID, id) })
		return found
	}
	if seen < len(candidates) {
		for range probes {
			q := candidates[intn(len(candidates))]
			if q.ID != last && !hasCard(q.ID) {
				return q, true
			}
		}
		// Few unseen left: scan from a random start so ties do not always favour the first.
		start := intn(len(candidates))
		for i := range candidates {
			q := candidates[(start+i)%len(candidates)]
			if q.ID != last && !hasCard(q.ID) {
				return q, true
			}
		}
	}
	for _, c := range []*Card{overdue, soonest} {
		if c == nil {
			continue
		}
		if q, ok := b.Question(c.QuestionID); ok && (topic == "" || q.Topic == topic) {
			return q, true
		}
	}
	// Cards may name questions no longer in the bank; fall back to any other candidate.
	start := intn(len(candidates))
	for i := range candidates {
		if q := candidates[(start+i)%len(candidates)]; q.ID != last {
			return q, true
		}
	}
	return Question{}, false
}

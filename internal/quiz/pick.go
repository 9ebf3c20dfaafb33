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
	seen := 0
	var overdue, soonest *Card
	for i := range cards {
		c := &cards[i]
		if topic != "" && c.Topic != topic {
			continue
		}
		seen++
		if c.QuestionID == last {
			continue
		}
		if c.Due.IsZero() {
			// Seen but never graded: it is reviewed like a card due at its last asking.
			if soonest == nil || dueKey(c).Before(dueKey(soonest)) {
				soonest = c
			}
			continue
		}
		if !c.Due.After(now) && (overdue == nil || c.Due.Before(overdue.Due)) {
			overdue = c
		}
		if soonest == nil || dueKey(c).Before(dueKey(soonest)) {
			soonest = c
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

func dueKey(c *Card) time.Time {
	if c.Due.IsZero() {
		return c.LastAsked
	}
	return c.Due
}

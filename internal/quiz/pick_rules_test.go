package quiz

import (
	"testing"
	"time"
)

// TestPickRules: the order pick follows, case by case, with intn always 0 so any random choice
// would land on the first candidate: unseen questions first (never the last one asked), then
// the most overdue graded card (ties: the first), then the card due soonest (a seen but
// ungraded card counts as due when last asked); only the asked topic's cards count.
func TestPickRules(t *testing.T) {
	b := bigBank(t, 6, 2) // t0: q-00000, q-00002, q-00004; t1: q-00001, q-00003, q-00005
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	graded := func(id, topic string, due time.Duration) Card {
		return Card{QuestionID: id, Topic: topic, Asked: 1, LastAsked: now.Add(-48 * time.Hour), Ease: 2.5, Interval: 1, Due: now.Add(due)}
	}
	seenOnly := func(id, topic string, asked time.Duration) Card {
		return Card{QuestionID: id, Topic: topic, Asked: 1, LastAsked: now.Add(asked)}
	}
	allT0 := func(c0, c2, c4 Card) []Card { return []Card{c0, c2, c4} } // sorted by id
	zero := func(int) int { return 0 }
	for _, tc := range []struct {
		name  string
		topic string
		cards []Card
		last  string
		want  string
	}{
		{"an unseen question that is not the last one", "t0", nil, "q-00000", "q-00002"},
		{"the most overdue", "t0", allT0(graded("q-00000", "t0", -time.Hour), graded("q-00002", "t0", -3*time.Hour), graded("q-00004", "t0", -2*time.Hour)), "", "q-00002"},
		{"the most overdue, not the last", "t0", allT0(graded("q-00000", "t0", -time.Hour), graded("q-00002", "t0", -3*time.Hour), graded("q-00004", "t0", -2*time.Hour)), "q-00002", "q-00004"},
		{"overdue ties: the first", "t0", allT0(graded("q-00000", "t0", time.Hour), graded("q-00002", "t0", -time.Hour), graded("q-00004", "t0", -time.Hour)), "", "q-00002"},
		{"due exactly now is overdue, before an older ungraded card", "t0", allT0(graded("q-00000", "t0", time.Hour), graded("q-00002", "t0", 0), seenOnly("q-00004", "t0", -5*time.Hour)), "", "q-00002"},
		{"not yet due is not overdue: the soonest wins", "t0", allT0(graded("q-00000", "t0", 2*time.Hour), graded("q-00002", "t0", time.Hour), seenOnly("q-00004", "t0", -5*time.Hour)), "", "q-00004"},
		{"nothing due: the soonest", "t0", allT0(graded("q-00000", "t0", 3*time.Hour), graded("q-00002", "t0", time.Hour), graded("q-00004", "t0", 2*time.Hour)), "", "q-00002"},
		{"nothing due: the soonest, not the last", "t0", allT0(graded("q-00000", "t0", 3*time.Hour), graded("q-00002", "t0", time.Hour), graded("q-00004", "t0", 2*time.Hour)), "q-00002", "q-00004"},
		{"soonest ties: the first", "t0", allT0(graded("q-00000", "t0", 3*time.Hour), graded("q-00002", "t0", time.Hour), graded("q-00004", "t0", time.Hour)), "", "q-00002"},
		{"other topics' cards do not count", "t0", []Card{
			graded("q-00000", "t0", 2*time.Hour), graded("q-00001", "t1", -9*time.Hour), graded("q-00002", "t0", time.Hour),
			graded("q-00003", "t1", -9*time.Hour), graded("q-00004", "t0", 3*time.Hour)}, "", "q-00002"},
		{"every topic: the most overdue of all", "", []Card{
			graded("q-00000", "t0", 2*time.Hour), graded("q-00001", "t1", -9*time.Hour), graded("q-00002", "t0", -time.Hour),
			graded("q-00003", "t1", time.Hour), graded("q-00004", "t0", 3*time.Hour), graded("q-00005", "t1", time.Hour)}, "", "q-00001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, ok := pick(b, tc.topic, tc.cards, tc.last, now, zero)
			if !ok || q.ID != tc.want {
				t.Errorf("pick = %s, %v; want %s", q.ID, ok, tc.want)
			}
		})
	}
	one := bigBank(t, 1, 1)
	if q, ok := pick(one, "", nil, "q-00000", now, zero); ok {
		t.Errorf("pick from a bank of only the last question = %s; want none", q.ID)
	}
	if q, ok := pick(one, "t0", []Card{graded("q-00000", "t0", -time.Hour)}, "", now, zero); !ok || q.ID != "q-00000" {
		t.Errorf("pick of the only, overdue question = %s, %v", q.ID, ok)
	}
}

// TestPickFallsBackPastRemovedQuestions: cards may name questions removed from the bank; pick
// then takes another candidate, never the last one asked.
func TestPickFallsBackPastRemovedQuestions(t *testing.T) {
	b := bigBank(t, 2, 1) // q-00000, q-00001
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	removed := []Card{
		{QuestionID: "gone-1", Topic: "t0", Asked: 1, LastAsked: now.Add(-time.Hour), Ease: 2.5, Due: now.Add(-time.Hour)},
		{QuestionID: "gone-2", Topic: "t0", Asked: 1, LastAsked: now.Add(-time.Hour), Ease: 2.5, Due: now.Add(time.Hour)},
	}
	for _, last := range []string{"q-00000", "q-00001"} {
		q, ok := pick(b, "t0", removed, last, now, func(int) int { return 0 })
		if !ok || q.ID == last || q.ID == "" {
			t.Errorf("pick with last %s and only removed questions' cards = %q, %v; want the other question", last, q.ID, ok)
		}
	}
}

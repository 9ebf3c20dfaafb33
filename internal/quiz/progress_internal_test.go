package quiz

import (
	"math"
	"testing"
	"time"
)

// curveScheduler is SM2 with a forgetting curve that returns the elapsed days over 10, so a
// test can see what topicProgress passed it.
type curveScheduler struct{ SM2 }

func (curveScheduler) Forgetting(elapsedDays, stability float64) float64 { return elapsedDays / 10 }

// TestTopicProgressRecall: a graded card's recall comes from the days since its last review
// (not since any other time), a card never graded counts as seen but not graded, and the
// topic's recall is the mean over its graded cards only; cards of a question that left the
// bank count nowhere.
func TestTopicProgressRecall(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	b, err := NewBank([]Topic{{Slug: "tcp", Title: Text{EN: "tcp", ZH: "tcp"}}}, []Question{
		testRuleQuestion("tcp-1"), testRuleQuestion("tcp-2"), testRuleQuestion("tcp-3"),
	})
	if err != nil {
		t.Fatal(err)
	}
	graded := func(id string, daysAgo int) Card {
		last := now.Add(-time.Duration(daysAgo) * 24 * time.Hour)
		return Card{QuestionID: id, State: CardReview, Stability: 3, LastReview: last, Due: last.Add(72 * time.Hour)}
	}
	cards := []Card{graded("tcp-1", 2), graded("tcp-2", 4), {QuestionID: "tcp-3"}, graded("gone", 1)}
	tp := topicProgress(b, cards, now, curveScheduler{})
	if len(tp) != 1 {
		t.Fatalf("topics = %+v; want tcp only", tp)
	}
	got := tp[0]
	if got.Seen != 3 || got.Graded != 2 || got.Total != 3 || math.Abs(got.Recall-0.3) > 1e-9 {
		t.Errorf("tcp = seen %d, graded %d of %d, recall %v; want 3, 2 of 3, 0.3 (mean of 0.2 and 0.4)", got.Seen, got.Graded, got.Total, got.Recall)
	}
}

func testRuleQuestion(id string) Question {
	return Question{ID: id, Topic: "tcp", Level: Mid, Tags: []string{"t"},
		Prompt:    Text{EN: "Question " + id + "?", ZH: "问题 " + id + "？"},
		Answer:    Text{EN: "Answer " + id + ".", ZH: "答案 " + id + "。"},
		KeyPoints: TextList{EN: []string{"a", "b", "c"}, ZH: []string{"甲", "乙", "丙"}}}
}

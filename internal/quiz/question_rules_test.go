package quiz_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func problemFields(ps []quiz.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

// TestQuestionCheckPerLanguage: each language's text is checked on its own, and the problem
// names the language at fault.
func TestQuestionCheckPerLanguage(t *testing.T) {
	q := testQuestion("tcp", "tcp-1")
	q.Answer.ZH = strings.Repeat("答", quiz.MaxAnswerLen+1)
	if got := problemFields(q.Check()); !slices.Equal(got, []string{"answer.zh"}) {
		t.Errorf("a too long Chinese answer: problems at %q; want [answer.zh]", got)
	}
	q = testQuestion("tcp", "tcp-1")
	q.Prompt.EN = " "
	if got := problemFields(q.Check()); !slices.Equal(got, []string{"question.en"}) {
		t.Errorf("a blank English question: problems at %q; want [question.en]", got)
	}
	q = testQuestion("tcp", "tcp-1")
	q.Answer.EN = strings.Repeat("a", quiz.MaxAnswerLen) // at the limit
	q.Answer.ZH = strings.Repeat("答", quiz.MaxAnswerLen)
	if ps := q.Check(); ps != nil {
		t.Errorf("answers of exactly %d characters: %v; want valid", quiz.MaxAnswerLen, ps)
	}
}

// TestQuestionCheckListBounds: key points need 3 to 8 per language, follow-ups at most 5, and
// both languages the same number.
func TestQuestionCheckListBounds(t *testing.T) {
	list := func(n int, s string) []string { return slices.Repeat([]string{s}, n) }
	for _, tc := range []struct {
		name       string
		key, follw int
		want       []string
	}{
		{"3 key points", 3, 0, nil},
		{"8 key points", 8, 0, nil},
		{"2 key points", 2, 0, []string{"key_points.en", "key_points.zh"}},
		{"9 key points", 9, 0, []string{"key_points.en", "key_points.zh"}},
		{"5 follow-ups", 3, 5, nil},
		{"6 follow-ups", 3, 6, []string{"follow_ups.en", "follow_ups.zh"}},
	} {
		q := testQuestion("tcp", "tcp-1")
		q.KeyPoints = quiz.TextList{EN: list(tc.key, "k"), ZH: list(tc.key, "要")}
		q.FollowUps = quiz.TextList{EN: list(tc.follw, "f"), ZH: list(tc.follw, "追")}
		if got := problemFields(q.Check()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: problems at %q; want %q", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		key, follw int
		want       string
	}{{2, 0, "needs 3-8 items, has 2"}, {3, 6, "allows at most 5 items, has 6"}} {
		q := testQuestion("tcp", "tcp-1")
		q.KeyPoints = quiz.TextList{EN: list(tc.key, "k"), ZH: list(tc.key, "要")}
		q.FollowUps = quiz.TextList{EN: list(tc.follw, "f"), ZH: list(tc.follw, "追")}
		if ps := q.Check(); len(ps) == 0 || ps[0].Message != tc.want {
			t.Errorf("%d key points, %d follow-ups: %v; want %q", tc.key, tc.follw, ps, tc.want)
		}
	}
	q := testQuestion("tcp", "tcp-1")
	q.KeyPoints.ZH = q.KeyPoints.ZH[:2]
	ps := q.Check()
	if got := problemFields(ps); !slices.Equal(got, []string{"key_points.zh", "key_points"}) || !strings.Contains(ps[1].Message, "en has 3 items but zh has 2") {
		t.Errorf("3 English and 2 Chinese key points: %v", ps)
	}
}

// TestQuoteInMessages: values quoted in error messages are cut after 40 characters.
func TestQuoteInMessages(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want string
	}{
		{strings.Repeat("x", 39) + "!", `"` + strings.Repeat("x", 39) + `!"`},
		{strings.Repeat("x", 40) + "!", `"` + strings.Repeat("x", 40) + `…"`},
	} {
		q := testQuestion("tcp", tc.id)
		ps := q.Check()
		if len(ps) != 1 || !strings.HasSuffix(ps[0].Message, tc.want) {
			t.Errorf("id %q: %v; want the message to end with %s", tc.id, ps, tc.want)
		}
	}
}

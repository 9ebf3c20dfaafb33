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

// TestOneLanguageQuestions: a server's own question may be written in English only or Chinese
// only; it must then be whole in that language and have nothing in the other. Shown to a
// member of the other language, each text falls back and says so (Shown).
func TestOneLanguageQuestions(t *testing.T) {
	en := testQuestion("tcp", "tcp-en")
	en.Prompt.ZH, en.Answer.ZH, en.KeyPoints.ZH = "", "", nil
	zh := testQuestion("tcp", "tcp-zh")
	zh.Prompt.EN, zh.Answer.EN, zh.KeyPoints.EN = "", "", nil
	for _, q := range []quiz.Question{en, zh} {
		if ps := q.Check(); ps != nil {
			t.Errorf("%s (one language): %v; want valid", q.ID, ps)
		}
		if got := problemFields(q.CheckBilingual()); len(got) != 1 {
			t.Errorf("%s: CheckBilingual at %q; want the missing language named once", q.ID, got)
		}
	}
	if got, want := problemFields(testQuestion("tcp", "both").CheckBilingual()), []string(nil); !slices.Equal(got, want) {
		t.Errorf("a bilingual question: CheckBilingual at %q; want none", got)
	}
	if got, want := zh.Prompt.In(quiz.English), "问题 tcp-zh？"; got != want {
		t.Errorf("a Chinese-only question in English = %q; want the Chinese text %q", got, want)
	}
	if got := en.KeyPoints.In(quiz.Chinese); !slices.Equal(got, en.KeyPoints.EN) {
		t.Errorf("English-only key points in Chinese = %q; want the English ones", got)
	}
	if l, fallback := en.Prompt.Shown(quiz.Chinese); l != quiz.English || !fallback {
		t.Errorf("en.Shown(zh) = %s, %v; want en, a fallback", l, fallback)
	}
	if l, fallback := en.Prompt.Shown(quiz.English); l != quiz.English || fallback {
		t.Errorf("en.Shown(en) = %s, %v; want en, no fallback", l, fallback)
	}

	half := en.Clone() // a language begun and not finished is an error, named by field
	half.Answer.ZH = "只有答案。"
	if got, want := problemFields(half.Check()), []string{"question.zh", "key_points.zh"}; !slices.Equal(got, want) {
		t.Errorf("English plus a Chinese answer only: problems at %q; want %q", got, want)
	}
	stray := en.Clone() // an optional text in a language the question is not written in
	stray.Summary = quiz.Text{EN: "Short.", ZH: "简短。"}
	if ps := stray.Check(); len(ps) != 1 || ps[0].Field != "summary.zh" || !strings.Contains(ps[0].Message, "no zh text") {
		t.Errorf("an English question with a Chinese summary: %v; want summary.zh named", ps)
	}
	none := quiz.Question{ID: "none", Topic: "tcp", Level: quiz.Mid, Tags: []string{"t"}}
	if ps := none.Check(); len(ps) == 0 || ps[0].Field != "question" {
		t.Errorf("a question with no text at all: %v; want it said first", ps)
	}
	if _, err := quiz.NewBank([]quiz.Topic{{Slug: "tcp", Title: quiz.Text{EN: "TCP"}}}, []quiz.Question{en, zh}); err != nil {
		t.Errorf("a bank of one-language questions (and an English-only title): %v", err)
	}
}

package main

import (
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/questions"
)

// shippedBank is the embedded bank, for tests whose expectations follow its size and for the
// harness's starts. It is loaded once per test process: parsing and checking it takes seconds
// under the race detector, and every start would pay it. (A Bank does not change once made;
// tests that run the program without the harness, or with QUESTIONS_DIR, still load theirs.)
func shippedBank(t testing.TB) *quiz.Bank {
	t.Helper()
	b, err := loadShipped()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var loadShipped = sync.OnceValues(func() (*quiz.Bank, error) { return bank.Load(questions.FS) })

// TestShippedBank loads the embedded bank exactly as the bot does, so a broken question file
// fails CI, and holds the bank to its size and coverage targets.
func TestShippedBank(t *testing.T) {
	b, warnings, err := bank.LoadWarn(questions.FS)
	if err != nil {
		t.Fatalf("the shipped bank does not load:\n%v", err)
	}
	// The shipped bank is held to what `bot check` only warns about in other banks: every
	// question has a summary, and Chinese text uses full-width punctuation.
	for _, w := range warnings {
		t.Errorf("%s", w)
	}
	for _, q := range b.Questions("") { // servers may write one language; the shipped bank has both
		for _, p := range q.CheckBilingual() {
			t.Errorf("%s: %s: %s", q.ID, p.Field, p.Message)
		}
	}
	if b.Len() < 220 {
		t.Errorf("bank has %d questions; want at least 220", b.Len())
	}
	counts := b.Counts()
	if len(counts) < 16 {
		t.Errorf("bank has %d topics; want at least 16", len(counts))
	}
	for topic, n := range counts {
		if n < 12 {
			t.Errorf("topic %s has %d questions; want at least 12", topic, n)
		}
	}
	// The five topics of the source questions stay.
	for _, topic := range []string{"tcp", "http", "python", "concurrency", "redis"} {
		if counts[topic] == 0 {
			t.Errorf("topic %s is missing", topic)
		}
	}
	levels := map[quiz.Level]int{}
	for _, q := range b.Questions("") {
		levels[q.Level]++
	}
	for _, l := range quiz.Levels {
		if levels[l] < b.Len()/6 {
			t.Errorf("only %d %s questions of %d; want a mix of levels", levels[l], l, b.Len())
		}
	}
}

// TestNoNearDuplicateQuestions compares every pair of question texts, in both languages.
func TestNoNearDuplicateQuestions(t *testing.T) {
	b, err := bank.Load(questions.FS)
	if err != nil {
		t.Fatal(err)
	}
	qs := b.Questions("")
	en := make([]map[string]bool, len(qs))
	zh := make([]map[string]bool, len(qs))
	for i, q := range qs {
		en[i] = words(q.Prompt.EN)
		zh[i] = bigrams(q.Prompt.ZH)
	}
	for i := range qs {
		for j := i + 1; j < len(qs); j++ {
			if s := jaccard(en[i], en[j]); s >= 0.6 {
				t.Errorf("%s and %s ask near-identical questions (en similarity %.2f):\n  %s\n  %s", qs[i].ID, qs[j].ID, s, qs[i].Prompt.EN, qs[j].Prompt.EN)
			}
			if s := jaccard(zh[i], zh[j]); s >= 0.6 {
				t.Errorf("%s and %s ask near-identical questions (zh similarity %.2f):\n  %s\n  %s", qs[i].ID, qs[j].ID, s, qs[i].Prompt.ZH, qs[j].Prompt.ZH)
			}
		}
	}
}

func TestNearDuplicateDetector(t *testing.T) {
	a := words("What is the difference between TCP and UDP?")
	b := words("What's the difference between UDP and TCP?")
	c := words("How does Redis persist data to disk?")
	if jaccard(a, b) < 0.6 || jaccard(a, c) >= 0.6 {
		t.Errorf("detector: same %.2f, different %.2f", jaccard(a, b), jaccard(a, c))
	}
	if s := jaccard(bigrams("TCP 和 UDP 有什么区别？"), bigrams("TCP 与 UDP 有什么区别？")); s < 0.6 {
		t.Errorf("zh detector: same question scored %.2f", s)
	}
}

var stop = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true,
	"in": true, "is": true, "are": true, "what": true, "how": true, "why": true, "does": true, "do": true,
	"it": true, "you": true, "your": true, "s": true, "for": true, "with": true, "on": true, "between": true}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !stop[w] {
			out[w] = true
		}
	}
	return out
}

func bigrams(s string) map[string]bool {
	var rs []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		}
	}
	out := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

package discord

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/questions"
)

func embedTotal(es []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if e.Footer != nil {
			n += utf8.RuneCountInString(e.Footer.Text)
		}
		for _, f := range e.Fields {
			n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
	}
	return n
}

// TestEveryQuestionFits renders every shipped question, in both languages, in every form the
// bot sends, and checks Discord's limits.
func TestEveryQuestionFits(t *testing.T) {
	b, err := bank.Load(questions.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range b.Questions("") {
		for _, l := range quiz.Langs {
			sess := quiz.Session{ID: 123456789, Lang: l, Answers: 99999, Daily: quiz.Date(2026, 12, 31)}
			qm := questionMessage(q, l, sess)
			am := answeredMessage(quiz.Answered{Question: q, Lang: l, Session: sess, Counted: true}, true)
			rv := revealMessage(quiz.RevealPost{Question: q, Lang: l, Answers: 1000, Channel: 1, ReplyTo: 2})
			for name, es := range map[string][]*discordgo.MessageEmbed{"question": qm.Embeds, "answered": am.Embeds, "reveal": rv.Embeds} {
				if n := embedTotal(es); n > maxEmbedTotal {
					t.Errorf("%s/%s %s: embeds total %d > %d", q.ID, l, name, n, maxEmbedTotal)
				}
				for _, e := range es {
					if utf8.RuneCountInString(e.Description) > maxEmbedDesc || utf8.RuneCountInString(e.Title) > maxEmbedTitle {
						t.Errorf("%s/%s %s: embed over its limits", q.ID, l, name)
					}
				}
			}
			mod := answerModal(q, l, 1)
			if utf8.RuneCountInString(mod.Title) > maxModalTitle {
				t.Errorf("%s: modal title too long", q.ID)
			}
		}
	}
}

func TestReferenceEmbedsBudget(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	var kp, fu []string
	for range quiz.MaxKeyPoints {
		kp = append(kp, long(quiz.MaxKeyPointLen))
	}
	for range quiz.MaxFollowUps {
		fu = append(fu, long(quiz.MaxFollowUpLen))
	}
	q := quiz.Question{ID: strings.Repeat("x", 64), Topic: "t", Answer: quiz.Text{EN: long(quiz.MaxAnswerLen)},
		Summary:   quiz.Text{EN: long(quiz.MaxSummaryLen)},
		KeyPoints: quiz.TextList{EN: kp}, FollowUps: quiz.TextList{EN: fu}}
	es := referenceEmbeds(q, quiz.English, "")
	if n := embedTotal(es); n > maxEmbedTotal {
		t.Fatalf("worst-case reference answer renders %d characters of embeds; limit %d", n, maxEmbedTotal)
	}
	if !strings.HasPrefix(es[0].Description, "**In short:** "+long(quiz.MaxSummaryLen)) {
		t.Errorf("the summary does not lead the reference answer: %.40q", es[0].Description)
	}
	rv := revealMessage(quiz.RevealPost{Question: q, Lang: quiz.English, Answers: 1 << 30, Channel: 1, ReplyTo: 2})
	if n := embedTotal(rv.Embeds) + utf8.RuneCountInString(rv.Content); n > maxEmbedTotal {
		t.Fatalf("worst-case public reveal renders %d characters; limit %d", n, maxEmbedTotal)
	}
}

var nameRe = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// TestCommandsWithinLimits checks what the OpenAPI spec does not: the name rule, required before
// optional, no autocomplete with choices, and the 8000-character total per command.
func TestCommandsWithinLimits(t *testing.T) {
	cmds := commands()
	if len(cmds) > 100 {
		t.Fatalf("%d commands", len(cmds))
	}
	for _, c := range cmds {
		total := 0
		var walk func(where string, name, desc string, nameLoc, descLoc map[discordgo.Locale]string, os []*discordgo.ApplicationCommandOption)
		walk = func(where, name, desc string, nameLoc, descLoc map[discordgo.Locale]string, os []*discordgo.ApplicationCommandOption) {
			longestName, longestDesc := utf8.RuneCountInString(name), utf8.RuneCountInString(desc)
			for _, n := range nameLoc {
				if !nameRe.MatchString(n) || n != strings.ToLower(n) {
					t.Errorf("%s: localized name %q breaks the name rule", where, n)
				}
				longestName = max(longestName, utf8.RuneCountInString(n))
			}
			for _, d := range descLoc {
				if l := utf8.RuneCountInString(d); l < 1 || l > 100 {
					t.Errorf("%s: localized description %q is %d characters", where, d, l)
				}
				longestDesc = max(longestDesc, utf8.RuneCountInString(d))
			}
			total += longestName + longestDesc
			if !nameRe.MatchString(name) || name != strings.ToLower(name) {
				t.Errorf("%s: name %q breaks the name rule", where, name)
			}
			if l := utf8.RuneCountInString(desc); l < 1 || l > 100 {
				t.Errorf("%s: description is %d characters", where, l)
			}
			if len(os) > 25 {
				t.Errorf("%s: %d options", where, len(os))
			}
			optional := false
			for _, o := range os {
				if o.Required && optional {
					t.Errorf("%s: required option %s after an optional one", where, o.Name)
				}
				optional = optional || !o.Required
				if o.Autocomplete && len(o.Choices) > 0 {
					t.Errorf("%s.%s: autocomplete with choices", where, o.Name)
				}
				for _, ch := range o.Choices {
					total += utf8.RuneCountInString(ch.Name) + len(ch.Value.(string))
				}
				walk(where+"."+o.Name, o.Name, o.Description, o.NameLocalizations, o.DescriptionLocalizations, o.Options)
			}
		}
		var nl, dl map[discordgo.Locale]string
		if c.NameLocalizations != nil {
			nl = *c.NameLocalizations
		}
		if c.DescriptionLocalizations != nil {
			dl = *c.DescriptionLocalizations
		}
		walk(c.Name, c.Name, c.Description, nl, dl, c.Options)
		if total > 8000 {
			t.Errorf("%s: %d characters in total; the limit is 8000", c.Name, total)
		}
	}
	if _, err := json.Marshal(cmds); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseCustomID(f *testing.F) {
	for _, s := range []string{"v1:answer:1", "v1:grade:99:good", "v1:page:0:tcp#n", "v0:answer:1", "v1:grade:1:meh", "", "v1::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCustomID(s)
		if err != nil {
			return
		}
		back, err := parseCustomID(c.String())
		if err != nil || back != c {
			t.Fatalf("parse(%q) = %+v; re-parse of %q = %+v, %v", s, c, c.String(), back, err)
		}
		if len(c.String()) > 100 {
			t.Fatalf("custom id %q longer than 100", c.String())
		}
	})
}

// TestFitEmbeds: embeds over a budget lose characters from their longest descriptions, never
// more than needed; the question shown above a reference answer leaves it less room.
func TestFitEmbeds(t *testing.T) {
	es := []*discordgo.MessageEmbed{
		{Title: "T", Description: strings.Repeat("a", 4000)},
		{Title: "K", Description: strings.Repeat("b", 3000)},
	}
	fitEmbeds(es, 6000)
	if n := embedTotal(es); n != 6000 {
		t.Errorf("fitted to %d characters; want 6000", n)
	}
	if got := utf8.RuneCountInString(es[1].Description); got != 3000 {
		t.Errorf("the shorter description changed to %d characters", got)
	}
	q := quiz.Question{ID: "q", Topic: "t", Prompt: quiz.Text{EN: strings.Repeat("p", quiz.MaxQuestionLen)},
		Answer: quiz.Text{EN: strings.Repeat("a", quiz.MaxAnswerLen)}, KeyPoints: quiz.TextList{EN: []string{strings.Repeat("k", quiz.MaxKeyPointLen)}}}
	qe := questionEmbed(q, quiz.English, quiz.Session{}, -1)
	ref := referenceEmbedsWithin(q, quiz.English, "", maxEmbedTotal-embedsSize([]*discordgo.MessageEmbed{qe}))
	if n := embedTotal(append([]*discordgo.MessageEmbed{qe}, ref...)); n > maxEmbedTotal {
		t.Errorf("question and reference answer total %d characters", n)
	}
}

// TestEscapeMarkdown: a member's text shows as typed (every markdown character escaped) and
// fits max characters, never cut between an escape and its character.
func TestEscapeMarkdown(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain text", 50, "plain text"},
		{"[safe](https://evil.example) **b** <@1> # h", 100, `\[safe\]\(https\://evil\.example\) \*\*b\*\* \<\@1\> \# h`},
		{"||spoiler|| `code` ~~s~~ _i_ > q - l", 100, `\|\|spoiler\|\| \` + "`" + `code\` + "`" + ` \~\~s\~\~ \_i\_ \> q \- l`},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"ab*cdef", 4, "ab…"}, // "ab\*" would leave no room for the ellipsis
		{"ab*", 4, `ab\*`},    // the last character fits exactly
		{"我们*好", 5, `我们\*好`},
	} {
		got := escapeMarkdown(c.in, c.max)
		if got != c.want {
			t.Errorf("escapeMarkdown(%q, %d) = %q; want %q", c.in, c.max, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > c.max {
			t.Errorf("escapeMarkdown(%q, %d) is %d characters", c.in, c.max, n)
		}
	}
}

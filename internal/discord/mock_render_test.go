package discord

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// bigMockView is a finished, gradable mock at every limit: the longest answers, 30 key points
// of 200 characters, long follow-ups, in lang.
func bigMockView(lang quiz.Lang) quiz.MockView {
	at := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	long := strings.Repeat("长", quiz.MaxAnswerText)
	var pts []string
	for range 30 {
		pts = append(pts, strings.Repeat("p", 200))
	}
	v := quiz.MockView{Lang: lang, Current: -1, Role: quiz.MockCandidate,
		Mock:   quiz.Mock{ID: 1<<53 - 1, Mode: quiz.MockSolo, State: quiz.MockFinished, End: quiz.MockEndTimeout, Deadline: at, CreatedAt: at, Lang: lang},
		Report: &quiz.MockReport{Gradable: true, Took: time.Hour}}
	for k := range 3 {
		q := quiz.Question{ID: "q", Topic: "tcp", Level: quiz.Senior, Prompt: quiz.Text{EN: strings.Repeat("Q", 2000), ZH: strings.Repeat("问", 2000)},
			Summary: quiz.Text{EN: strings.Repeat("s", 600), ZH: strings.Repeat("s", 600)}, KeyPoints: quiz.TextList{EN: pts, ZH: pts}}
		v.Questions = append(v.Questions, q)
		fu := []string{strings.Repeat("f", 500), strings.Repeat("g", 500)}
		v.Mock.Steps = append(v.Mock.Steps, quiz.MockStep{QuestionID: "q", Level: quiz.Senior, Answer: long, AnsweredAt: at, StartedAt: at,
			FollowUps: fu, FollowUpsAsked: 2, FollowUpAnswers: []string{long, long}, Points: 30, Covered: []int{0, 29}})
		v.Report.Steps = append(v.Report.Steps, quiz.MockStepReport{Step: k, Answered: true})
	}
	return v
}

func checkMessageLimits(t *testing.T, what string, m message) {
	t.Helper()
	if n := embedTotal(m.Embeds); n > maxEmbedTotal || len(m.Embeds) > 10 {
		t.Errorf("%s: %d embeds, %d characters", what, len(m.Embeds), n)
	}
	for _, e := range m.Embeds {
		if utf8.RuneCountInString(e.Description) > maxEmbedDesc || utf8.RuneCountInString(e.Title) > maxEmbedTitle {
			t.Errorf("%s: embed %q too long", what, e.Title)
		}
	}
	if utf8.RuneCountInString(m.Content) > maxContent || len(m.Components) > 5 {
		t.Errorf("%s: content %d, %d rows", what, utf8.RuneCountInString(m.Content), len(m.Components))
	}
	for _, row := range m.Components {
		cs := row.(discordgo.ActionsRow).Components
		if len(cs) > 5 {
			t.Errorf("%s: %d components in a row", what, len(cs))
		}
		for _, c := range cs {
			switch c := c.(type) {
			case discordgo.Button:
				if len(c.CustomID) > 100 || utf8.RuneCountInString(c.Label) > 80 {
					t.Errorf("%s: button %q", what, c.CustomID)
				}
				if _, err := parseCustomID(c.CustomID); err != nil {
					t.Errorf("%s: button %q does not parse back", what, c.CustomID)
				}
			case discordgo.SelectMenu:
				if len(c.Options) > 25 || c.MaxValues > len(c.Options) || len(c.CustomID) > 100 || utf8.RuneCountInString(c.Placeholder) > 150 {
					t.Errorf("%s: select %q with %d options, max %d", what, c.CustomID, len(c.Options), c.MaxValues)
				}
				for _, o := range c.Options {
					if utf8.RuneCountInString(o.Label) > 100 {
						t.Errorf("%s: option label of %d", what, utf8.RuneCountInString(o.Label))
					}
				}
				if _, err := parseCustomID(c.CustomID); err != nil {
					t.Errorf("%s: select %q does not parse back", what, c.CustomID)
				}
			}
		}
	}
}

// TestMockMessagesFit: the report, the script, a running question and the history stay within
// Discord's limits at their largest, in both languages.
func TestMockMessagesFit(t *testing.T) {
	for _, l := range []quiz.Lang{quiz.English, quiz.Chinese} {
		v := bigMockView(l)
		rep := mockMessage(v, true)
		checkMessageLimits(t, "report", rep)
		if len(rep.Components) != 3 {
			t.Errorf("gradable report: %d rows; want checklist, grades, close", len(rep.Components))
		}
		v.Report.Gradable = false
		checkMessageLimits(t, "final report", mockMessage(v, true))
		checkMessageLimits(t, "script", scriptMessage(v))
		run := v
		run.Report, run.Current, run.Mock.State = nil, 2, quiz.MockRunning
		run.Hints = []string{strings.Repeat("h", 200), strings.Repeat("h", 200)}
		checkMessageLimits(t, "question", mockMessage(run, true))
		var hist []quiz.MockView
		for range quiz.MockHistory {
			hist = append(hist, v)
		}
		h := historyMessage(l, hist)
		checkMessageLimits(t, "history", h)
		if len(h.Components) != 2 {
			t.Errorf("history of 10: %d rows of report buttons; want 2", len(h.Components))
		}
	}
}

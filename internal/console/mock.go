package console

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Mocks is the solo mock interview the console offers (pairs need a server).
type Mocks interface {
	Start(ctx context.Context, a quiz.Actor, r quiz.MockRequest) (quiz.MockView, error)
	Resume(ctx context.Context, a quiz.Actor) (quiz.MockView, error)
	Answer(ctx context.Context, a quiz.Actor, id quiz.MockID, text string) (quiz.MockView, error)
	Hint(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	Check(ctx context.Context, a quiz.Actor, id quiz.MockID, step int, covered []int) (quiz.MockView, error)
	Grade(ctx context.Context, a quiz.Actor, id quiz.MockID, step int, g quiz.Grade) (quiz.MockView, error)
	End(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	History(ctx context.Context, a quiz.Actor) ([]quiz.MockView, error)
}

// mockCommand is /mock [topic] [minutes], /mock resume and /mock history.
func (c *Console) mockCommand(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "start" {
		args = args[1:] // as on Discord: /mock start [topic] [minutes]
	}
	if len(args) > 0 && args[0] == "history" {
		return c.mockHistory(ctx)
	}
	var v quiz.MockView
	var err error
	if len(args) > 0 && args[0] == "resume" {
		v, err = c.mocks.Resume(ctx, c.actor)
	} else {
		var r quiz.MockRequest
		for _, a := range args {
			if n, err := strconv.Atoi(a); err == nil {
				r.Minutes = n
			} else {
				r.Topic = a
			}
		}
		v, err = c.mocks.Start(ctx, c.actor, r)
	}
	if err != nil {
		return err
	}
	c.showMock(v)
	return nil
}

// mockButton handles a typed label while a mock runs or its report is graded.
func (c *Console) mockButton(ctx context.Context, l string, is func(quiz.MsgID) bool) error {
	var v quiz.MockView
	var err error
	switch {
	case is("mock.end"):
		v, err = c.mocks.End(ctx, c.actor, c.mock)
	case c.stage == mockRunning && is("label.answer"):
		c.say("console.one_line")
		text, ok := c.readLine(ctx)
		if !ok {
			return nil
		}
		v, err = c.mocks.Answer(ctx, c.actor, c.mock, text)
	case c.stage == mockRunning && is("mock.hint"):
		v, err = c.mocks.Hint(ctx, c.actor, c.mock)
	case c.stage == mockGrading && strings.HasPrefix(l, "check"):
		v, err = c.mocks.Check(ctx, c.actor, c.mock, c.focus, parseCovered(strings.TrimPrefix(l, "check")))
	case c.stage == mockGrading:
		g, ok := quiz.ParseGrade(l)
		if !ok {
			return mistake("console.type_label")
		}
		v, err = c.mocks.Grade(ctx, c.actor, c.mock, c.focus, g)
	default:
		return mistake("console.type_label")
	}
	if err != nil {
		return err
	}
	c.showMock(v)
	return nil
}

// parseCovered reads "1,3" (key points as numbered on screen) as indexes; anything else is
// left for the use case to refuse.
func parseCovered(s string) []int {
	out := []int{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			n = 0
		}
		out = append(out, n-1)
	}
	return out
}

// showMock prints the mock as it stands and sets the stage: the question asked now with the
// time left, or the report and the question to grade.
func (c *Console) showMock(v quiz.MockView) {
	l := v.Lang
	c.mock = v.Mock.ID
	if v.TimeUp {
		c.printf("%s\n", quiz.ErrorMessageIn(quiz.Errorf(quiz.ECONFLICT, "mock.time_is_up_this_mock"), l))
	}
	switch {
	case v.Mock.State == quiz.MockAbandoned:
		c.printf("%s\n", l.Msg("console_mock.the_mock_interview_ended_before"))
		c.stage = idle
	case v.Report != nil:
		c.showReport(v)
	case v.Current >= 0:
		k, s, q := v.Current, v.Mock.Steps[v.Current], v.Questions[v.Current]
		c.printf("\n── %s %d/%d · %s · %s ── %s %s\n%s\n", l.Msg("console_mock.mock_interview_question"), k+1, len(v.Mock.Steps),
			q.Topic, l.Msg(q.Level.Label()), l.Msg("console_mock.time_is_up_at"), v.Mock.Deadline.Format(time.TimeOnly+" MST"), q.Prompt.In(l))
		if s.FollowUpsAsked > 0 && s.FollowUpsAsked <= len(s.FollowUps) {
			c.printf("%s: %s\n", l.Msg("mock.follow_up"), s.FollowUps[s.FollowUpsAsked-1])
		}
		for _, h := range v.Hints {
			c.printf("  %s: %s\n", l.Msg("console_mock.hint"), h)
		}
		c.stage = mockRunning
	}
}

// showReport prints the report; the first answered question not graded is the one to grade.
func (c *Console) showReport(v quiz.MockView) {
	l, rep := v.Lang, v.Report
	verdict := verdictText(l, rep.Verdict.Verdict)
	c.printf("\n== %s: %s · %s %s ==\n", l.Msg("mock.report"), verdict, l.Msg("console_mock.time_taken"), rep.Took.Round(time.Second))
	for _, sr := range rep.Steps {
		s := v.Mock.Steps[sr.Step]
		c.printf("%d. %s\n   %s: %s\n", sr.Step+1, v.Questions[sr.Step].Prompt.In(l), l.Msg("console_mock.answer"), cmpOr(s.Answer, "—"))
		for i, f := range s.FollowUpAnswers {
			c.printf("   %s: %s → %s\n", l.Msg("console_mock.follow_up"), s.FollowUps[i], cmpOr(f, "—"))
		}
		c.printf("   %s, %d %s, %s %s\n", sr.Took.Round(time.Second), s.Hints, l.Msg("mock.hints_2"), l.Msg("console_mock.grade"), cmpOr(string(s.Grade), "—"))
	}
	c.stage, c.focus = idle, -1
	if !rep.Gradable {
		return
	}
	for k, s := range v.Mock.Steps {
		if !s.AnsweredAt.IsZero() && s.Grade == "" {
			c.focus, c.stage = k, mockGrading
			break
		}
	}
	if c.focus < 0 {
		return
	}
	c.printf("\n%s %d — %s:\n", l.Msg("console_mock.grade_question"), c.focus+1, l.Msg("label.key_points"))
	for i, p := range v.Questions[c.focus].KeyPoints.In(l) {
		box := "[ ]"
		if slices.Contains(v.Mock.Steps[c.focus].Covered, i) {
			box = "[x]"
		}
		c.printf("  %s %d. %s\n", box, i+1, p)
	}
	c.printf("%s\n", l.Msg("console_mock.type_check_1_3_to"))
}

// verdictText is the verdict's label in lower case, as the console's report and history print it.
func verdictText(l quiz.Lang, v quiz.Verdict) string {
	return strings.ToLower(v.Label(l))
}

func cmpOr(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func (c *Console) mockHistory(ctx context.Context) error {
	views, err := c.mocks.History(ctx, c.actor)
	if err != nil {
		return err
	}
	l := c.lang()
	if len(views) == 0 {
		c.printf("%s\n", l.Msg("console_mock.no_mock_interviews_yet_start"))
	}
	for i, v := range views {
		verdict := l.Msg("mock.in_progress")
		switch {
		case v.Mock.State == quiz.MockAbandoned:
			verdict = l.Msg("mock.ended_without_answers")
		case v.Report != nil:
			verdict = verdictText(l, v.Report.Verdict.Verdict)
		}
		c.printf("  %2d. %s  %-12s %s\n", i+1, v.Mock.CreatedAt.Format(time.DateOnly), cmpOr(v.Mock.Topic, l.Msg("mock.weakest_topics")), verdict)
	}
	return nil
}

// mockPrompt is the prompt's buttons while a mock runs or is graded.
func (c *Console) mockPrompt() string {
	l := c.lang()
	if c.stage == mockRunning {
		return fmt.Sprintf("[%s] [%s] [%s]", l.Msg("label.answer"), l.Msg("mock.hint"), l.Msg("mock.end"))
	}
	return fmt.Sprintf("[check 1,2…] %s [%s]", buttons(l, quiz.Again.Label(), quiz.Hard.Label(), quiz.Good.Label(), quiz.Easy.Label()), l.Msg("mock.end"))
}

package console

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// button handles a typed button label, in either language and any case.
func (c *Console) button(ctx context.Context, label string) error {
	l := strings.ToLower(strings.Trim(label, "[] "))
	lang := c.lang()
	first, _, _ := strings.Cut(l, " ")
	is := func(id quiz.MsgID) bool {
		return l == strings.ToLower(quiz.English.Msg(id)) || l == strings.ToLower(lang.Msg(id)) || l == strings.ToLower(quiz.Chinese.Msg(id))
	}
	switch {
	case c.stage == mockRunning || c.stage == mockGrading:
		return c.mockButton(ctx, l, is)
	case c.stage == idle:
		return mistake("console.ask_first")
	case is("label.next"):
		return c.next(ctx)
	case c.stage == asked && is("label.answer"):
		return c.answer(ctx)
	case c.stage == asked && is("label.hint"):
		return c.hint(ctx)
	case c.stage == answered && (first == "check" || first == "核对"):
		return c.check(ctx, strings.Fields(l)[1:])
	case c.stage == answered && is("label.accept"):
		if c.suggested == "" {
			return mistake("console.nothing_is_suggested_yet_type")
		}
		return c.grade(ctx, c.suggested)
	case c.stage == asked && is("label.reveal"):
		res, err := c.practice.Reveal(ctx, c.actor, c.session)
		if err != nil {
			return err
		}
		c.showReference(res)
		c.toGrading(res)
		return nil
	case c.stage == answered:
		for _, g := range quiz.Grades {
			if is(g.Label()) {
				return c.grade(ctx, g)
			}
		}
	}
	return mistake("console.type_label")
}

// colon ends a heading: a full-width colon in Chinese.
func colon(l quiz.Lang) string { return strings.TrimSpace(l.Msg("console.colon")) }

func (c *Console) ask(ctx context.Context, r quiz.AskRequest) error {
	asked, err := c.practice.Ask(ctx, c.actor, r)
	if err != nil {
		return err
	}
	c.show(asked)
	return nil
}

func (c *Console) next(ctx context.Context) error {
	asked, err := c.practice.Next(ctx, c.actor, c.session, quiz.AskRequest{})
	if err != nil {
		return err
	}
	c.show(asked)
	return nil
}

func (c *Console) show(a quiz.Asked) {
	c.session, c.stage, c.draft = a.Session.ID, asked, ""
	q, l := a.Question, a.Lang
	c.printf("\n── %s · %s · %s ──\n%s\n", q.Topic, l.Msg(q.Level.Label()), q.ID, plain(q.Prompt.In(l)))
	if note := otherLanguage(q.Prompt, l); note != "" {
		c.printf("%s\n", note)
	}
	c.printf("\n")
}

// answer asks for the answer on one line. One longer than the limit is not sent and not lost:
// it is kept and shown again at the next [Answer], so it can be shortened.
func (c *Console) answer(ctx context.Context) error {
	l := c.lang()
	if c.draft != "" {
		c.printf("%s\n%s\n", l.Msg("console.kept_answer"), c.draft)
	}
	c.printf("%s", l.Msg("console.one_line"))
	text, ok := c.readLine(ctx)
	if !ok {
		return nil
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(text)); n > quiz.MaxAnswerText {
		c.draft = strings.TrimSpace(text)
		return mistake("console.answer_too_long", n, quiz.MaxAnswerText)
	}
	res, err := c.practice.Answer(ctx, c.actor, c.session, text)
	if err != nil {
		return err
	}
	c.draft = ""
	c.showReference(res)
	c.toGrading(res)
	if res.Counted {
		c.printf("%s\n", res.Lang.Msg("console.streak_after", quiz.Counted{N: res.Streak.Current, Unit: "unit.day"}))
	}
	return nil
}

// toGrading moves to grading: the grade labels say where each leads, and nothing is suggested
// until the checklist is ticked.
func (c *Console) toGrading(res quiz.Answered) {
	c.stage, c.intervals, c.suggested = answered, res.Intervals, ""
}

func (c *Console) showReference(res quiz.Answered) {
	q, l := res.Question, res.Lang
	if s := strings.TrimSpace(q.Summary.In(l)); s != "" {
		c.printf("\n%s%s%s\n", l.Msg("label.in_short"), colon(l), plain(s))
	}
	c.printf("\n%s%s\n%s\n", l.Msg("label.reference_answer"), colon(l), plain(strings.TrimSpace(q.Answer.In(l))))
	if note := otherLanguage(q.Answer, l); note != "" {
		c.printf("%s\n", note)
	}
	c.printf("\n%s%s\n", l.Msg("label.key_points"), colon(l))
	for i, k := range q.KeyPoints.In(l) {
		c.printf("  %d. %s\n", i+1, plain(k))
	}
	if res.Hints > 0 {
		c.printf("%s\n", hintsTaken(l, res.Hints))
	}
	if f := q.FollowUps.In(l); len(f) > 0 {
		c.printf("\n%s%s\n", l.Msg("label.follow_ups"), colon(l))
		for _, k := range f {
			c.printf("  ? %s\n", plain(k))
		}
	}
	c.printf("\n%s\n", l.Msg("console.how_check", quiz.MsgID("label.how_did_you_do")))
}

func (c *Console) grade(ctx context.Context, g quiz.Grade) error {
	res, err := c.practice.Grade(ctx, c.actor, c.session, g)
	if err != nil {
		return err
	}
	l := res.Lang
	due := quiz.At{Time: res.Card.Due, Zone: res.Zone}
	c.printf("%s\n", l.Msg("console.graded", string(g), g.Label(), due))
	c.stage, c.suggested = idle, ""
	return nil
}

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
	case c.stage == asked && is("label.reveal"):
		res, err := c.practice.Reveal(ctx, c.actor, c.session)
		if err != nil {
			return err
		}
		c.showReference(res)
		c.stage = answered
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

// heading is a label ending in a colon: a full-width one in Chinese.
func heading(l quiz.Lang, label quiz.MsgID) string { return l.Msg("console.heading", label) }

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
	c.say("console.one_line")
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
	if res.Counted {
		c.printf("%s\n", res.Lang.Msg("console.streak_after", quiz.Counted{N: res.Streak.Current, Unit: "unit.day"}))
	}
	c.stage = answered
	return nil
}

func (c *Console) showReference(res quiz.Answered) {
	q, l := res.Question, res.Lang
	if s := strings.TrimSpace(q.Summary.In(l)); s != "" {
		c.printf("\n%s%s\n", heading(l, "label.in_short"), plain(s))
	}
	c.printf("\n%s\n%s\n", heading(l, "label.reference_answer"), plain(strings.TrimSpace(q.Answer.In(l))))
	if note := otherLanguage(q.Answer, l); note != "" {
		c.printf("%s\n", note)
	}
	c.printf("\n%s\n", heading(l, "label.key_points"))
	for _, k := range q.KeyPoints.In(l) {
		c.printf("  • %s\n", plain(k))
	}
	if f := q.FollowUps.In(l); len(f) > 0 {
		c.printf("\n%s\n", heading(l, "label.follow_ups"))
		for _, k := range f {
			c.printf("  ? %s\n", plain(k))
		}
	}
	c.printf("\n%s\n", l.Msg("label.how_did_you_do"))
}

func (c *Console) grade(ctx context.Context, g quiz.Grade) error {
	res, err := c.practice.Grade(ctx, c.actor, c.session, g)
	if err != nil {
		return err
	}
	l := res.Lang
	due := quiz.At{Time: res.Card.Due, Zone: res.Zone}
	c.printf("%s\n", l.Msg("console.graded", string(g), g.Label(), due))
	c.stage = idle
	return nil
}

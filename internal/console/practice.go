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
	is := func(name string) bool {
		return l == strings.ToLower(name) || l == strings.ToLower(lang.T(name)) || l == strings.ToLower(quiz.Chinese.T(name))
	}
	switch {
	case c.stage == mockRunning || c.stage == mockGrading:
		return c.mockButton(ctx, l, is)
	case c.stage == idle:
		return mistake("Ask for a question first: /interview [topic].", "请先出题：/interview [topic]。")
	case is("Next"):
		return c.next(ctx)
	case c.stage == asked && is("Answer"):
		return c.answer(ctx)
	case c.stage == asked && is("Hint"):
		return c.hint(ctx)
	case c.stage == answered && (first == "check" || first == "核对"):
		return c.check(ctx, strings.Fields(l)[1:])
	case c.stage == answered && is("Accept"):
		if c.suggested == "" {
			return mistake("Nothing is suggested yet: type check and the numbers of the key points you covered first, e.g. check 1 3.",
				"还没有建议评分：请先输入“核对”加上你答到的要点编号，例如 核对 1 3。")
		}
		return c.grade(ctx, c.suggested)
	case c.stage == asked && is("Reveal"):
		res, err := c.practice.Reveal(ctx, c.actor, c.session)
		if err != nil {
			return err
		}
		c.showReference(res)
		c.toGrading(res)
		return nil
	case c.stage == answered:
		for _, g := range quiz.Grades {
			if is(gradeLabel(g)) {
				return c.grade(ctx, g)
			}
		}
	}
	return mistake("Type one of the labels in brackets, or a /command.", "请输入方括号中的一个标签，或一个 /命令。")
}

// colon ends a heading: a full-width colon in Chinese.
func colon(l quiz.Lang) string { return strings.TrimSpace(tr(l, ": ", "：")) }

// gradeLabel is a grade's button label ("good" → "Good").
func gradeLabel(g quiz.Grade) string { return strings.ToUpper(string(g[:1])) + string(g[1:]) }

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
	c.printf("\n── %s · %s · %s ──\n%s\n", q.Topic, l.T(string(q.Level)), q.ID, plain(q.Prompt.In(l)))
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
		c.printf("%s\n%s\n", tr(l, "Your kept answer, to shorten:", "你保留的回答（请缩短）："), c.draft)
	}
	c.printf("%s", tr(l, "Your answer (one line): ", "你的回答（一行）："))
	text, ok := c.readLine(ctx)
	if !ok {
		return nil
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(text)); n > quiz.MaxAnswerText {
		c.draft = strings.TrimSpace(text)
		return mistake("Your answer is %d characters; the limit is %d. It is kept: type answer to see it again and send a shorter one.",
			"你的回答有 %d 个字符，上限是 %d。回答已保留：输入“作答”可再次看到它，并提交缩短后的版本。", n, quiz.MaxAnswerText)
	}
	res, err := c.practice.Answer(ctx, c.actor, c.session, text)
	if err != nil {
		return err
	}
	c.draft = ""
	c.showReference(res)
	c.toGrading(res)
	if res.Counted {
		c.printf("%s\n", tr(res.Lang, "Streak: "+quiz.Count(res.Lang, res.Streak.Current, "day", "days", "")+" in a row.",
			"连续作答 "+quiz.Count(res.Lang, res.Streak.Current, "", "", "天")+"。"))
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
		c.printf("\n%s%s%s\n", l.T("In short"), colon(l), plain(s))
	}
	c.printf("\n%s%s\n%s\n", l.T("Reference answer"), colon(l), plain(strings.TrimSpace(q.Answer.In(l))))
	if note := otherLanguage(q.Answer, l); note != "" {
		c.printf("%s\n", note)
	}
	c.printf("\n%s%s\n", l.T("Key points"), colon(l))
	for i, k := range q.KeyPoints.In(l) {
		c.printf("  %d. %s\n", i+1, plain(k))
	}
	if res.Hints > 0 {
		c.printf("%s\n", hintsTaken(l, res.Hints))
	}
	if f := q.FollowUps.In(l); len(f) > 0 {
		c.printf("\n%s%s\n", l.T("Follow-up questions"), colon(l))
		for _, k := range f {
			c.printf("  ? %s\n", plain(k))
		}
	}
	c.printf("\n%s%s%s\n", l.T("How did you do?"), tr(l, " ", ""), tr(l,
		"Type check and the numbers of the key points you covered (check 1 3) for a suggested grade, or grade yourself.",
		"输入“核对”加上你答到的要点编号（核对 1 3）获得建议评分，或直接自评。"))
}

func (c *Console) grade(ctx context.Context, g quiz.Grade) error {
	res, err := c.practice.Grade(ctx, c.actor, c.session, g)
	if err != nil {
		return err
	}
	l := res.Lang
	due := quiz.At{Time: res.Card.Due, Zone: res.Zone}.String()
	c.printf("%s\n", tr(l, "Graded "+string(g)+". Next review: "+due+".", "已评分："+l.T(gradeLabel(g))+"。下次复习："+due+"。"))
	c.stage, c.suggested = idle, ""
	return nil
}

package console

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The learning aids in the console: hints, the key-point checklist, /progress.

// hint prints the key points taken as hints so far.
func (c *Console) hint(ctx context.Context) error {
	h, err := c.practice.Hint(ctx, c.actor, c.session)
	if err != nil {
		return err
	}
	l := h.Lang
	c.printf("%s\n", fmt.Sprintf(tr(l, "Hint %d:", "提示 %d："), h.Hints))
	for i, p := range h.Points {
		c.printf("  %d. %s\n", i+1, p)
	}
	if h.Left > 0 {
		c.printf(tr(l, "%d more hint(s) available; each lowers the suggested grade a little.\n", "还可以再提示 %d 次；每次提示都会让建议评分略降。\n"), h.Left)
	} else {
		c.printf("%s\n", tr(l, "That was the last hint: the last key point is yours to find.", "这是最后一次提示：最后一个要点要靠你自己。"))
	}
	return nil
}

// check records the key points ticked (numbered from 1) and prints the suggested grade.
func (c *Console) check(ctx context.Context, args []string) error {
	covered := make([]int, 0, len(args))
	for _, a := range strings.FieldsFunc(strings.Join(args, " "), func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(a)
		if err != nil {
			return quiz.Errorf(quiz.EINVALID, "Key point %s does not exist.", a)
		}
		covered = append(covered, n-1)
	}
	s, err := c.practice.Check(ctx, c.actor, c.session, covered)
	if err != nil {
		return err
	}
	c.suggested = s.Grade
	l := s.Lang
	c.printf(tr(l, "Suggested grade: %s. %s\nType accept, or another grade.\n", "建议评分：%s。%s\n输入 accept 采纳，或选择其他评分。\n"), l.T(titleCase(s.Grade)), s.Reason)
	return nil
}

// gradeButtons are the grade labels with where each leads, "[Good · 4d]", the suggested one
// marked.
func (c *Console) gradeButtons() string {
	l := c.lang()
	parts := make([]string, 0, len(quiz.Grades))
	for _, g := range quiz.Grades {
		label := l.T(titleCase(g))
		if d, ok := c.intervals[g]; ok {
			label += " · " + l.Interval(d)
		}
		if g == c.suggested {
			label = tr(l, "accept: ", "采纳：") + label
		}
		parts = append(parts, "["+label+"]")
	}
	return strings.Join(parts, " ")
}

// progress writes the picture to a file and prints its path, then the same facts as text.
func (c *Console) progress(ctx context.Context) error {
	p, err := c.members.Progress(ctx, c.actor)
	if err != nil {
		return err
	}
	l := p.Lang
	if c.chart == nil {
		return quiz.Errorf(quiz.EINVALID, "Progress pictures are not available here.")
	}
	png, err := c.chart.Render(p)
	if err != nil {
		return err
	}
	path := filepath.Join(c.dir, fmt.Sprintf("progress-%d.png", c.actor.User))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return err
	}
	c.printf(tr(l, "Progress picture: %s\n\n%s\n", "进度图：%s\n\n%s\n"), path, c.chart.Text(p))
	return nil
}

func titleCase(g quiz.Grade) string { return strings.ToUpper(string(g[:1])) + string(g[1:]) }

// tr picks the English or Chinese wording of a console sentence.
func tr(l quiz.Lang, en, zh string) string {
	if l == quiz.Chinese {
		return zh
	}
	return en
}

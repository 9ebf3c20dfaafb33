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
	c.printf("%s\n", tr(l, fmt.Sprintf("Hint %d:", h.Hints), fmt.Sprintf("提示 %d：", h.Hints)))
	for i, p := range h.Points {
		c.printf("  %d. %s\n", i+1, plain(p))
	}
	if h.Left > 0 {
		c.printf("%s\n", tr(l, quiz.Count(l, h.Left, "more hint", "more hints", "")+" available; each lowers the suggested grade a little.",
			fmt.Sprintf("还可以再提示 %d 次；每次提示都会让建议评分略降。", h.Left)))
	} else {
		c.printf("%s\n", tr(l, "That was the last hint: the last key point is yours to find.", "这是最后一次提示：最后一个要点要靠你自己。"))
	}
	return nil
}

// hintsTaken is the line under the key points saying which of them were shown as hints.
func hintsTaken(l quiz.Lang, n int) string {
	points := "1"
	if n > 1 {
		points = "1–" + strconv.Itoa(n)
	}
	return tr(l, "You took "+quiz.Count(l, n, "hint", "hints", "")+": "+quiz.Plural(n, "key point", "key points")+" "+points+".",
		fmt.Sprintf("你用了 %d 次提示：要点 %s。", n, points))
}

// check records the key points ticked (numbered from 1, "check 1 3" or "check 1,3") and prints
// the suggested grade.
func (c *Console) check(ctx context.Context, args []string) error {
	covered := make([]int, 0, len(args))
	for _, a := range strings.FieldsFunc(strings.Join(args, " "), func(r rune) bool { return r == ' ' || r == ',' || r == '，' }) {
		n, err := strconv.Atoi(a)
		if err != nil {
			return mistake("Key point %[1]q is not a number: type check and the numbers of the key points you covered, e.g. check 1 3.",
				"要点“%[1]s”不是数字：请输入“核对”加上你答到的要点编号，例如 核对 1 3。", a)
		}
		covered = append(covered, n-1)
	}
	s, err := c.practice.Check(ctx, c.actor, c.session, covered)
	if err != nil {
		return err
	}
	c.suggested = s.Grade
	l := s.Lang
	grade := l.T(gradeLabel(s.Grade))
	c.printf("%s\n", tr(l, "Suggested grade: "+grade+". "+s.Reason+"\nType accept, or another grade.",
		"建议评分："+grade+"。"+s.Reason+"\n输入“采纳”接受，或选择其他评分。"))
	return nil
}

// gradeButtons are the grade labels with where each leads, "[Good · 4d]", the suggested one
// marked.
func (c *Console) gradeButtons() string {
	l := c.lang()
	parts := make([]string, 0, len(quiz.Grades))
	for _, g := range quiz.Grades {
		label := l.T(gradeLabel(g))
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
	if c.chart == nil {
		return mistake("Progress pictures are not available in this console.", "此控制台无法生成进度图。")
	}
	p, err := c.members.Progress(ctx, c.actor)
	if err != nil {
		return err
	}
	png, err := c.chart.Render(p)
	if err != nil {
		return err
	}
	path := filepath.Join(c.dir, fmt.Sprintf("progress-%d.png", c.actor.User))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return err
	}
	c.printf("%s\n\n%s\n", tr(p.Lang, "Progress picture: ", "进度图：")+path, plain(c.chart.Text(p)))
	return nil
}

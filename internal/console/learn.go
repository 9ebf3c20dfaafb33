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
	c.printf("%s\n", l.Msg("console.hint_n", h.Hints))
	for i, p := range h.Points {
		c.printf("  %d. %s\n", i+1, plain(p))
	}
	if h.Left > 0 {
		c.printf("%s\n", l.Msg("console.hints_left", h.Left, quiz.Noun{N: h.Left, Unit: "unit.more_hint"}))
	} else {
		c.printf("%s\n", l.Msg("console.that_was_the_last_hint"))
	}
	return nil
}

// hintsTaken is the line under the key points saying which of them were shown as hints.
func hintsTaken(l quiz.Lang, n int) string {
	points := "1"
	if n > 1 {
		points = "1–" + strconv.Itoa(n)
	}
	return l.Msg("console.hints_taken", n, quiz.Noun{N: n, Unit: "unit.hint"}, quiz.Noun{N: n, Unit: "unit.key_point"}, points)
}

// check records the key points ticked (numbered from 1, "check 1 3" or "check 1,3") and prints
// the suggested grade.
func (c *Console) check(ctx context.Context, args []string) error {
	covered := make([]int, 0, len(args))
	for _, a := range strings.FieldsFunc(strings.Join(args, " "), func(r rune) bool { return r == ' ' || r == ',' || r == '，' }) {
		n, err := strconv.Atoi(a)
		if err != nil {
			return mistake("console.key_point_not_number", a)
		}
		covered = append(covered, n-1)
	}
	s, err := c.practice.Check(ctx, c.actor, c.session, covered)
	if err != nil {
		return err
	}
	c.suggested = s.Grade
	l := s.Lang
	c.printf("%s\n", l.Msg("console.suggested", s.Grade.Label(), s.Reason))
	return nil
}

// gradeButtons are the grade labels with where each leads, "[Good · 4d]", the suggested one
// marked.
func (c *Console) gradeButtons() string {
	l := c.lang()
	parts := make([]string, 0, len(quiz.Grades))
	for _, g := range quiz.Grades {
		label := l.Msg(g.Label())
		if d, ok := c.intervals[g]; ok {
			label += " · " + l.Interval(d)
		}
		if g == c.suggested {
			label = l.Msg("console.accept") + label
		}
		parts = append(parts, "["+label+"]")
	}
	return strings.Join(parts, " ")
}

// progress writes the picture to a file and prints its path, then the same facts as text.
func (c *Console) progress(ctx context.Context) error {
	if c.chart == nil {
		return mistake("console.progress_pictures_are_not_available")
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
	c.printf("%s\n\n%s\n", p.Lang.Msg("console.progress_picture")+path, plain(c.chart.Text(p)))
	return nil
}

package chart

import (
	"strings"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// MaxTextRunes is the most Text returns: the length of a Discord embed description.
const MaxTextRunes = 4096

// Text says what Render draws, in p.Lang: the streak, answers, the last ProgressWeeks weeks
// (active days, the busiest week), the reviews due, and every topic, weakest first, with how
// much of it was seen and how well it is recalled. Topics that do not fit in MaxTextRunes are
// counted in a last line.
func Text(p quiz.Progress) string {
	f, l := factsOf(p), p.Lang
	var b strings.Builder
	b.WriteString(l.Msg("chart.summary", quiz.Counted{N: f.streak, Unit: "unit.day"}, f.best, f.answered, f.due) + "\n")

	span := l.Msg("chart.span", f.from, f.to)
	if p.Zone != "" {
		span = l.Msg("chart.span_zone", f.from, f.to, p.Zone)
	}
	b.WriteString(l.Msg("chart.weeks", quiz.ProgressWeeks, span,
		quiz.Counted{N: f.active, Unit: "unit.active_day"}, quiz.Counted{N: f.inRange, Unit: "unit.answer"}))
	if f.busiest > 0 {
		b.WriteString(l.Msg("chart.busiest", quiz.Counted{N: f.busiest, Unit: "unit.answer"}, f.busiestFrom))
	}
	b.WriteString(l.Msg("chart.full_stop") + "\n\n")

	b.WriteString(l.Msg("chart.topics_head") + "\n")
	if len(p.Topics) == 0 {
		b.WriteString(l.Msg("chart.no_topics"))
		return b.String()
	}
	lines := make([]string, len(p.Topics))
	for i, t := range p.Topics {
		recall := l.Msg("chart.not_graded")
		if t.Graded > 0 {
			recall = l.Msg("chart.recall", percent(t.Recall))
		}
		lines[i] = l.Msg("chart.topic_line", t.Topic.Slug, t.Seen, t.Total, recall) + "\n"
	}
	used := utf8.RuneCountInString(b.String())
	for i, line := range lines {
		more := len(lines) - i - 1
		n := utf8.RuneCountInString(line)
		if more > 0 {
			// Keep room for the "and N more" line should the next topic not fit.
			n += utf8.RuneCountInString(l.Msg("chart.and_more", more))
		}
		if used+n > MaxTextRunes {
			b.WriteString(l.Msg("chart.and_more", len(lines)-i))
			break
		}
		b.WriteString(line)
		used += utf8.RuneCountInString(line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Drawer is Render and Text as methods, for an adapter that takes them as one interface.
type Drawer struct{}

// Render is chart.Render.
func (Drawer) Render(p quiz.Progress) ([]byte, error) { return Render(p) }

// Text is chart.Text.
func (Drawer) Text(p quiz.Progress) string { return Text(p) }

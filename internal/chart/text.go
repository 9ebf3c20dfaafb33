package chart

import (
	"fmt"
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
	f := factsOf(p)
	zh := p.Lang == quiz.Chinese
	pick := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}

	var b strings.Builder
	fmt.Fprintf(&b, pick("**Streak:** %d day(s) (best %d) · **Answers:** %d · **Due for review:** %d\n",
		"**连续天数：** %d 天（最佳 %d）· **回答总数：** %d · **待复习：** %d 题\n"),
		f.streak, f.best, f.answered, f.due)

	span := fmt.Sprintf(pick("%s to %s", "%s 至 %s"), f.from, f.to)
	if p.Zone != "" {
		span += fmt.Sprintf(pick(", %s", "，%s"), p.Zone)
	}
	fmt.Fprintf(&b, pick("**Last %d weeks** (%s): %d active day(s), %d answer(s)",
		"**近 %d 周**（%s）：活跃 %d 天，回答 %d 次"), quiz.ProgressWeeks, span, f.active, f.inRange)
	if f.busiest > 0 {
		fmt.Fprintf(&b, pick("; busiest week: %[1]d answer(s) from %[2]s", "；最忙的一周：自 %[2]s 起回答 %[1]d 次"),
			f.busiest, f.busiestFrom)
	}
	b.WriteString(pick(".\n\n", "。\n\n"))

	b.WriteString(pick("**Topics, weakest first**\n", "**各主题（最弱的在前）**\n"))
	if len(p.Topics) == 0 {
		b.WriteString(pick("No topics yet.", "还没有主题。"))
		return b.String()
	}
	lines := make([]string, len(p.Topics))
	for i, t := range p.Topics {
		recall := pick("not graded yet", "尚未评分")
		if t.Graded > 0 {
			recall = fmt.Sprintf(pick("recall %d%%", "记忆率 %d%%"), percent(t.Recall))
		}
		lines[i] = fmt.Sprintf(pick("- %s: %d/%d seen, %s\n", "- %s：已见 %d/%d，%s\n"), t.Topic.Slug, t.Seen, t.Total, recall)
	}
	used := utf8.RuneCountInString(b.String())
	for i, line := range lines {
		more := len(lines) - i - 1
		n := utf8.RuneCountInString(line)
		if more > 0 {
			// Keep room for the "and N more" line should the next topic not fit.
			n += utf8.RuneCountInString(andMore(zh, more))
		}
		if used+n > MaxTextRunes {
			b.WriteString(andMore(zh, len(lines)-i))
			break
		}
		b.WriteString(line)
		used += utf8.RuneCountInString(line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func andMore(zh bool, n int) string {
	if zh {
		return fmt.Sprintf("…… 另有 %d 个主题", n)
	}
	return fmt.Sprintf("… and %d more", n)
}

// Drawer is Render and Text as methods, for an adapter that takes them as one interface.
type Drawer struct{}

// Render is chart.Render.
func (Drawer) Render(p quiz.Progress) ([]byte, error) { return Render(p) }

// Text is chart.Text.
func (Drawer) Text(p quiz.Progress) string { return Text(p) }

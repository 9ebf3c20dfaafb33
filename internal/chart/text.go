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
	en := func(n int, one, many string) string { return quiz.Count(quiz.English, n, one, many, "") }
	fmt.Fprintf(&b, pick("**Streak:** %[1]s (best %[2]d) · **Answers:** %[3]d · **Due for review:** %[4]d\n",
		"**连续天数：** %[5]d 天（最佳 %[2]d）· **回答总数：** %[3]d · **待复习：** %[4]d 题\n"),
		en(f.streak, "day", "days"), f.best, f.answered, f.due, f.streak)

	span := fmt.Sprintf(pick("%s to %s", "%s 至 %s"), f.from, f.to)
	if p.Zone != "" {
		span += fmt.Sprintf(pick(", %s", "，%s"), p.Zone)
	}
	fmt.Fprintf(&b, pick("**Last %[1]d weeks** (%[2]s): %[3]s, %[4]s",
		"**近 %[1]d 周**（%[2]s）：活跃 %[5]d 天，回答 %[6]d 次"), quiz.ProgressWeeks, span,
		en(f.active, "active day", "active days"), en(f.inRange, "answer", "answers"), f.active, f.inRange)
	if f.busiest > 0 {
		fmt.Fprintf(&b, pick("; busiest week: %[1]s from %[2]s", "；最忙的一周：自 %[2]s 起回答 %[3]d 次"),
			en(f.busiest, "answer", "answers"), f.busiestFrom, f.busiest)
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

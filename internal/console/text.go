package console

import (
	"regexp"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The bank is written in Discord's Markdown. A terminal shows it plainly: emphasis and code
// markers dropped, list items as bullets, code blocks indented, links as "text (url)".
var (
	mdBold   = regexp.MustCompile(`\*\*(.+?)\*\*|__(.+?)__`)
	mdItalic = regexp.MustCompile(`(^|[\s(])[*_]([^*_\s][^*_]*?)[*_]([\s).,;:!?]|$)`)
	mdCode   = regexp.MustCompile("`([^`]+)`")
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
	mdBullet = regexp.MustCompile(`^(\s*)[-*+] +`)
	mdHead   = regexp.MustCompile(`^#{1,6} +`)
	mdQuote  = regexp.MustCompile(`^> ?`)
)

// plain renders Markdown s as plain terminal text.
func plain(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	inCode := false
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			out = append(out, "    "+line)
			continue
		}
		line = mdHead.ReplaceAllString(line, "")
		line = mdQuote.ReplaceAllString(line, "│ ")
		line = mdBullet.ReplaceAllString(line, "$1  • ")
		out = append(out, inline(line))
	}
	return strings.Join(out, "\n")
}

// inline drops emphasis and code markers, leaving code spans' insides untouched.
func inline(line string) string {
	parts := mdCode.Split(line, -1)
	codes := mdCode.FindAllStringSubmatch(line, -1)
	var b strings.Builder
	for i, p := range parts {
		p = mdLink.ReplaceAllString(p, "$1 ($2)")
		p = mdBold.ReplaceAllString(p, "$1$2")
		p = mdItalic.ReplaceAllString(p, "$1$2$3")
		b.WriteString(p)
		if i < len(codes) {
			b.WriteString(codes[i][1])
		}
	}
	return b.String()
}

// otherLanguage is the note under a text shown in the other language because the server's
// question has none in l (a one-language import or /bank add), or "".
func otherLanguage(t quiz.Text, l quiz.Lang) string {
	shown, fallback := t.Shown(l)
	if !fallback {
		return ""
	}
	if shown == quiz.Chinese {
		return tr(l, "(Shown in Chinese: this question has no English text.)", "（以中文显示：这道题没有英文版本。）")
	}
	return tr(l, "(Shown in English: this question has no Chinese text.)", "（以英文显示：这道题没有中文版本。）")
}

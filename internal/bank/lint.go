package bank

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HalfWidthPunct returns the byte offsets in s of ASCII punctuation that belongs to Chinese
// prose and should be full-width: a mark that touches a Chinese character (directly, or across
// spaces and Markdown emphasis). Code and formulas keep ASCII: `code spans`, fenced code, calls
// and formulas in parentheses (ctx.Done(), EDNS(0), (EC)DHE, N/(N+1)), and a mark that ends an
// English word ("Release It!") are left alone.
func HalfWidthPunct(s string) []int {
	prose := proseParens(s)
	var out []int
	inCode := false
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "```") {
			inCode = !inCode
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		before, after := s[:i], s[i+size:]
		prev, _ := utf8.DecodeLastRuneInString(before)
		touches := hanBefore(before) || hanAfter(after)
		switch {
		case r == '`':
			inCode = !inCode
		case inCode:
		case r == '(' || r == ')':
			if prose[i] {
				out = append(out, i)
			}
		case r == '"':
			if touches {
				out = append(out, i)
			}
		case strings.ContainsRune(",:;?!", r):
			if chineseMark(r, prev, before, after) {
				out = append(out, i)
			}
		}
		i += size
	}
	return out
}

// chineseMark reports whether a , : ; ? ! belongs to Chinese prose and should be full-width:
// it touches Chinese, or it is glued to what follows (English punctuation is followed by a
// space: "AOF,节点", "TTL;`maxmemory`"). Code-like and English uses are not: ip:port, 3:1,
// s[lo:hi], := and !=, https://, and a mark ending an emphasised or quoted English title ("*Release It!*", “Long Live CSP!”).
func chineseMark(r, prev rune, before, after string) bool {
	next, _ := utf8.DecodeRuneInString(after)
	alnum := func(c rune) bool { return c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)) }
	switch {
	case r == ':' && alnum(prev) && alnum(next), unicode.IsDigit(prev) && unicode.IsDigit(next):
		return false
	case (r == ':' || r == '!') && next == '=', r == ':' && next == '/':
		return false
	case strings.ContainsRune("*_”’）", next) && alnum(prev):
		return false
	case hanBefore(before) || hanAfter(after):
		return true
	}
	return after != "" && !unicode.IsSpace(next)
}

// proseParens marks the offsets of matched parentheses that read as prose, not as a call or a
// formula and that belong to Chinese prose: no operator inside, and either Chinese inside or,
// when neither paren is glued to a word or symbol outside, Chinese just outside. Unmatched ones (an interval's "[a, b)") are not prose.
var codeSpan = regexp.MustCompile("`[^`]*`")

func proseParens(s string) map[int]bool {
	prose := map[int]bool{}
	var open []int
	inCode := false
	for i, r := range s {
		switch {
		case r == '`':
			inCode = !inCode
		case inCode:
		case r == '(':
			open = append(open, i)
		case r == ')' && len(open) > 0:
			o := open[len(open)-1]
			open = open[:len(open)-1]
			prev, _ := utf8.DecodeLastRuneInString(s[:o])
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			glued := prev < utf8.RuneSelf && !unicode.IsSpace(prev) && prev != '*' ||
				next < utf8.RuneSelf && (unicode.IsLetter(next) || unicode.IsDigit(next))
			inner := codeSpan.ReplaceAllString(s[o:i], "")
			switch {
			case strings.IndexFunc(inner, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0:
				prose[o], prose[i] = !strings.ContainsAny(inner, "+=×^<>"), !strings.ContainsAny(inner, "+=×^<>")
			case !glued && !strings.ContainsAny(inner, "+=×^<>−*/"):
				prose[o] = hanBefore(s[:o]) || hanAfter(s[i+1:])
				prose[i] = prose[o]
			}
		}
	}
	return prose
}

// isChinese reports whether r is a Han character or CJK punctuation.
func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// skippable is what may stand between a mark and the Chinese text it belongs to.
func skippable(r rune) bool { return r == ' ' || r == '*' || r == '_' }

func hanBefore(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !skippable(r) {
			return isChinese(r)
		}
		s = s[:len(s)-size]
	}
	return false
}

func hanAfter(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if !skippable(r) {
			return isChinese(r)
		}
		s = s[size:]
	}
	return false
}

// lintChinese warns about half-width punctuation in a Chinese text that starts at line.
func (p *parser) lintChinese(line int, what, s string) {
	offs := HalfWidthPunct(s)
	if len(offs) == 0 {
		return
	}
	first := offs[0]
	at := line + strings.Count(s[:first], "\n")
	p.warnf(at, "%s: half-width %q in Chinese text (%d place(s)); use full-width punctuation (，：；？！（）“”) outside code", what, s[first:first+1], len(offs))
}

func (p *parser) warnf(line int, format string, args ...any) {
	p.file.Warnings = append(p.file.Warnings, Problem{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

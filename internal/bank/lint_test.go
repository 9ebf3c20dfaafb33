package bank

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func TestHalfWidthPunct(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // the marks found, in order
	}{
		{"崩溃了怎么办?怎样设计", []string{"?"}},
		{"Redis 崩溃了,怎么办", []string{","}},
		{"有了 AOF,节点重启", []string{","}},
		{"清除原有 TTL;`maxmemory` 是", []string{";"}},
		{"用 Sentinel(至少三个,分布在不同主机上)时", []string{"(", ",", ")"}},
		{"所以范围查询(`BETWEEN`、`>`、`LIKE 'abc%'`)只需", []string{"(", ")"}},
		{"常见的说法 \"开了持久化就可靠\" 是错的", []string{`"`, `"`}},
		{"**结论:** 分层应对", []string{":"}},
		{"大约有 N/(N+1) 的键要移动", nil},
		{"在平均值的 (1+ε) 倍以内", nil},
		{"临时 (EC)DHE 公钥", nil},
		{"调用 ctx.Done() 或 clone() 创建", nil},
		{"EDNS(0) 允许更大的应答", nil},
		{"最多 55,000 条连接，比例 3:1", nil},
		{"对同一个 ip:port 建立连接", nil},
		{"用 s[lo:hi:hi] 避免；i := i 已多余", nil},
		{"所以 err != nil 成立", nil},
		{"研究（“CSP Is Dead, Long Live CSP!”）发现", nil},
		{"因 Michael Nygard 的 *Release It!* 而流行", nil},
		{"代码 `a, b := f(x); if ok {` 不变", nil},
		{"```\nx = f(a, b); // 中文注释, 在代码里\n```\n之后", nil},
		{"An English sentence, with (parens): fine!", nil},
		{"见 https://example.com 说明", nil},
		// Parentheses: prose around English only when not glued and Chinese is beside them;
		// an operator or an unmatched paren is not prose.
		{"中文 (English) 中文", []string{"(", ")"}},
		{"English (words) only", nil},
		{"调用 f(x) 即可", nil},
		{"使用 (a*b) 计算", nil},
		{"区间 [a, b) 不算", nil},
		{"中文 (a)b", nil},
		// The edges of CJK punctuation and full-width forms count as Chinese before a mark.
		{"\u3000, x", []string{","}},
		{"\u303f, x", []string{","}},
		{"\uff00, x", []string{","}},
		{"\uffef, x", []string{","}},
		{"\u2fff, x", nil},
		{"\u3040, x", nil},
		{"x , \u3000", []string{","}},
		{"x , \uffef", []string{","}},
		{"x , \u3040", nil},
	} {
		var got []string
		for _, o := range HalfWidthPunct(c.in) {
			got = append(got, c.in[o:o+1])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("HalfWidthPunct(%q) found %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHalfWidthWarningLine: the warning names the line of the first mark inside a multi-line
// Chinese text, not the line the text starts on.
func TestHalfWidthWarningLine(t *testing.T) {
	var p parser
	p.lintChinese(10, "answer.zh", "第一行。\n第二行。\n第三行,有问题")
	if len(p.file.Warnings) != 1 || p.file.Warnings[0].Line != 12 {
		t.Fatalf("warnings = %+v; want one, on line 12", p.file.Warnings)
	}
}

// TestLintOnlyChinese: half-width punctuation is linted in the Chinese texts, a single text
// and a list item alike, and never in the English ones; invalid UTF-8 is found where it is.
func TestLintOnlyChinese(t *testing.T) {
	files, err := ParseFS(os.DirFS("../../questions"))
	if err != nil || len(files) == 0 || len(files[0].Questions) == 0 {
		t.Fatalf("the shipped bank: %v", err)
	}
	q := files[0].Questions[0].Clone()
	q.Answer.EN = "Glued,marks;everywhere:here"
	q.KeyPoints.EN[0] = "a,b"
	q.Answer.ZH = "中文,中文"
	q.KeyPoints.ZH[0] = "要点,中文"
	data, err := Codec{}.Marshal(files[0].Topic, []quiz.Question{q})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(files[0].Topic.Slug+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var half []string
	for _, w := range f.Warnings {
		if strings.Contains(w.Msg, "half-width") {
			half = append(half, w.Msg)
		}
	}
	if len(half) != 2 || !strings.Contains(half[0], "zh") || !strings.Contains(half[1], "zh") {
		t.Errorf("half-width warnings = %q; want two, for the Chinese answer and key point", half)
	}
	if got := invalidUTF8Offset([]byte("ab\xffcd")); got != 2 {
		t.Errorf("invalidUTF8Offset(ab\\xffcd) = %d; want 2", got)
	}
	if got := invalidUTF8Offset([]byte("中文")); got != len("中文") {
		t.Errorf("invalidUTF8Offset(valid) = %d; want %d", got, len("中文"))
	}
}

package bank

import (
	"slices"
	"testing"
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

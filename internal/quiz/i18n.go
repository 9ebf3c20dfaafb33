package quiz

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// UI labels in each bank language, shared by the adapters so Discord and the console say the
// same thing. Keys are English phrases; a missing translation falls back to the key.
var labels = map[string]string{
	"Hint":                "提示",
	"Accept":              "采纳",
	"Answer":              "作答",
	"Reveal":              "看答案",
	"Next":                "下一题",
	"Close":               "结束并公布答案",
	"Report":              "报告问题",
	"Again":               "重来",
	"Hard":                "困难",
	"Good":                "良好",
	"Easy":                "简单",
	"Reference answer":    "参考答案",
	"Key points":          "要点",
	"In short":            "简答",
	"Full answer":         "完整答案",
	"Follow-up questions": "追问",
	"Your answer":         "你的回答",
	"Topic":               "主题",
	"Level":               "难度",
	"answered":            "人已作答",
	"How did you do?":     "你答得怎么样？",
	"Streak":              "连续天数",
	"Best":                "最佳",
	"Answers":             "回答总数",
	"Days active":         "活跃天数",
	"Freezes":             "冻结卡",
	"Daily question":      "每日一题",
	"Answer privately with the button below.": "点击下方按钮私下作答。",
	"Next review": "下次复习",
	"junior":      "初级",
	"mid":         "中级",
	"senior":      "高级",
}

// T returns the label key in language l.
func (l Lang) T(key string) string {
	if l == Chinese {
		if v, ok := labels[key]; ok {
			return v
		}
	}
	return key
}

// Interval is how long a grade puts a card away, as Anki labels its buttons: 10m, 5h, 4d, 3mo,
// 1.2y (分钟, 小时, 天, 个月, 年 in Chinese). Shared so every adapter labels grades alike.
func (l Lang) Interval(d time.Duration) string {
	day := 24 * time.Hour
	zh := l == Chinese
	unit := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d%s", max(1, int(math.Round(d.Minutes()))), unit("m", "分钟"))
	case d < day:
		return fmt.Sprintf("%d%s", int(math.Round(d.Hours())), unit("h", "小时"))
	case d < 30*day:
		return fmt.Sprintf("%d%s", int(math.Round(float64(d)/float64(day))), unit("d", "天"))
	case d < 365*day:
		return fmt.Sprintf("%d%s", int(math.Round(float64(d)/float64(30*day))), unit("mo", "个月"))
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(d)/float64(365*day)), ".0") + unit("y", "年")
}

// Count is n with its English noun, singular or plural ("1 question", "3 questions"); in
// Chinese, n with its measure word, which has no plural ("3 道题").
func Count(l Lang, n int, one, many, zh string) string {
	switch {
	case l == Chinese:
		return strconv.Itoa(n) + " " + zh
	}
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// Plural is the English noun for n things: one for 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

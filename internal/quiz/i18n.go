package quiz

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Label is the catalogue id of a level's name ("junior" → "初级").
func (lv Level) Label() MsgID {
	return map[Level]MsgID{Junior: "label.junior", Mid: "label.mid", Senior: "label.senior"}[lv]
}

// Label is the catalogue id of a grade's button ("again" → "Again", "重来").
func (g Grade) Label() MsgID {
	return map[Grade]MsgID{Again: "label.again", Hard: "label.hard", Good: "label.good", Easy: "label.easy"}[g]
}

// Counted is a number of things, rendered as n with its unit in the reader's language: the
// unit is a catalogue id whose English is "singular|plural" ("day|days") and whose Chinese is
// the measure word, which has no plural ("天"). Pass it to Msg, or render it with In.
type Counted struct {
	N    int
	Unit MsgID
}

// In is "1 day", "3 days" or "3 天".
func (c Counted) In(l Lang) string { return strconv.Itoa(c.N) + " " + Noun(c).In(l) }

// Noun is a Counted's unit alone, agreeing with its number: "day", "days" or "天".
type Noun Counted

func (c Noun) In(l Lang) string {
	word := l.Msg(c.Unit)
	if one, many, ok := strings.Cut(word, "|"); ok {
		word = many
		if c.N == 1 {
			word = one
		}
	}
	return word
}

// Interval is how long a grade puts a card away, as Anki labels its buttons: 10m, 5h, 4d, 3mo,
// 1.2y (分钟, 小时, 天, 个月, 年 in Chinese). Shared so every adapter labels grades alike.
func (l Lang) Interval(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d < time.Hour:
		return l.Msg("interval.minutes", max(1, int(math.Round(d.Minutes()))))
	case d < day:
		return l.Msg("interval.hours", int(math.Round(d.Hours())))
	case d < 30*day:
		return l.Msg("interval.days", int(math.Round(float64(d)/float64(day))))
	case d < 365*day:
		return l.Msg("interval.months", int(math.Round(float64(d)/float64(30*day))))
	}
	return l.Msg("interval.years", strings.TrimSuffix(fmt.Sprintf("%.1f", float64(d)/float64(365*day)), ".0"))
}

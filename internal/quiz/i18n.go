package quiz

import (
	"strconv"
	"strings"
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

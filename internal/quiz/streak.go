package quiz

import "fmt"

// Streak rules: a Day counts when the member answers at least once that day in their time zone.
// Every 7 consecutive counted days earn a freeze (at most MaxFreezes held). A missed day uses a
// freeze automatically and adds nothing to the count; with no freeze left the streak restarts.

// MaxFreezes is how many freezes a member can hold.
const MaxFreezes = 2

// FreezeEvery is how many counted days earn one freeze.
const FreezeEvery = 7

const maxStreakLog = 30

// Streak is a member's run of answering days.
type Streak struct {
	Current    int           `json:"current"`
	Best       int           `json:"best"`
	DaysActive int           `json:"days_active"`
	LastDay    Day           `json:"last_day,omitempty"` // last counted day; 0 = never
	Freezes    int           `json:"freezes"`
	Log        []StreakEvent `json:"log,omitempty"` // the most recent events, oldest first
}

// StreakEvent explains one change to a streak.
type StreakEvent struct {
	Day     Day    `json:"day"`
	Kind    string `json:"kind"` // answered, freeze-used, freeze-earned, reset
	Current int    `json:"current"`
}

// Streak event kinds.
const (
	EventAnswered     = "answered"
	EventFreezeUsed   = "freeze-used"
	EventFreezeEarned = "freeze-earned"
	EventReset        = "reset"
)

// Record returns the streak after an answer on day d. Answers on a day already counted, or on a
// day before the last counted one (a clock or time-zone change), change nothing.
func (s Streak) Record(d Day) Streak {
	if s.LastDay != 0 && d <= s.LastDay {
		return s
	}
	s.Log = append([]StreakEvent(nil), s.Log...)
	if s.LastDay != 0 {
		missed := int(d - s.LastDay - 1)
		used := min(missed, s.Freezes)
		for i := range used {
			s.Freezes--
			s.log(StreakEvent{Day: s.LastDay + Day(i+1), Kind: EventFreezeUsed, Current: s.Current})
		}
		if missed > used {
			s.Current = 0
			s.log(StreakEvent{Day: d, Kind: EventReset})
		}
	}
	s.Current++
	s.DaysActive++
	s.LastDay = d
	s.Best = max(s.Best, s.Current)
	s.log(StreakEvent{Day: d, Kind: EventAnswered, Current: s.Current})
	if s.Current%FreezeEvery == 0 && s.Freezes < MaxFreezes {
		s.Freezes++
		s.log(StreakEvent{Day: d, Kind: EventFreezeEarned, Current: s.Current})
	}
	return s
}

func (s *Streak) log(e StreakEvent) {
	s.Log = append(s.Log, e)
	if len(s.Log) > maxStreakLog {
		s.Log = s.Log[len(s.Log)-maxStreakLog:]
	}
}

// StreakStatus is a streak as seen on a given day, without recording anything.
type StreakStatus struct {
	Streak
	Today         Day
	AnsweredToday bool
	// FreezesNeeded is how many freezes the days missed since LastDay will use (if the member
	// answers today); Broken is true when that is more than they hold, so the streak is lost.
	FreezesNeeded int
	Broken        bool
}

// At returns the streak as it stands on day today.
func (s Streak) At(today Day) StreakStatus {
	st := StreakStatus{Streak: s, Today: today}
	if s.LastDay == 0 {
		return st
	}
	st.AnsweredToday = s.LastDay >= today
	// Yesterday's miss is not decided until today ends, so only days before today count.
	if missed := int(today - s.LastDay - 1); missed > 0 {
		st.FreezesNeeded = missed
		if missed > s.Freezes {
			st.Broken = true
			st.Current = 0
		}
	}
	return st
}

// ExplainStreakIn describes, newest last, why a streak is what it is, in language l.
func ExplainStreakIn(s StreakStatus, l Lang) []string {
	zh := l == Chinese
	pick := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}
	var out []string
	for _, e := range s.Log {
		switch e.Kind {
		case EventAnswered:
			out = append(out, fmt.Sprintf(pick("%s: answered, streak %d", "%s：已作答，连续 %d 天"), e.Day, e.Current))
		case EventFreezeUsed:
			out = append(out, fmt.Sprintf(pick("%s: missed, a freeze kept the streak at %d", "%s：未作答，用掉一张冻结卡，连续天数保持 %d"), e.Day, e.Current))
		case EventFreezeEarned:
			out = append(out, fmt.Sprintf(pick("%s: %d days in a row earned a freeze", "%s：连续 %d 天，获得一张冻结卡"), e.Day, e.Current))
		case EventReset:
			out = append(out, fmt.Sprintf(pick("%s: streak restarted (days were missed with no freeze left)", "%s：连续记录重新开始（缺席且没有冻结卡）"), e.Day))
		}
	}
	switch {
	case s.LastDay == 0:
		out = append(out, pick("No answers yet: answer a question to start a streak.", "还没有作答：答一道题开始连续记录。"))
	case s.Broken:
		if zh {
			out = append(out, fmt.Sprintf("今天（%s）：连续记录已中断，缺席 %d 天，只有 %d 张冻结卡。今天作答即可重新开始。", s.Today, s.FreezesNeeded, s.Freezes))
			break
		}
		missed := Count(l, s.FreezesNeeded, "day was", "days were", "")
		out = append(out, fmt.Sprintf("Today (%s): the streak is broken, %s missed and %s held. Answer today to start again.",
			s.Today, missed, Count(l, s.Freezes, "freeze", "freezes", "")))
	case s.AnsweredToday:
		out = append(out, fmt.Sprintf(pick("Today (%s): answered, the streak is safe.", "今天（%s）：已作答，连续记录安全。"), s.Today))
	case s.FreezesNeeded > 0:
		out = append(out, fmt.Sprintf(pick("Today (%s): not answered yet; answering today uses %s.", "今天（%s）：尚未作答；今天作答将用掉 %s。"),
			s.Today, Count(l, s.FreezesNeeded, "freeze", "freezes", "张冻结卡")))
	default:
		out = append(out, fmt.Sprintf(pick("Today (%s): not answered yet; answer before midnight to keep the streak.", "今天（%s）：尚未作答；午夜前作答即可保持连续。"), s.Today))
	}
	return out
}

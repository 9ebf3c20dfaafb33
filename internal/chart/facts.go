package chart

import "github.com/interviewbot/interviewbot/internal/quiz"

// facts are the numbers both the picture and the text show, computed once from a Progress.
type facts struct {
	from, to    quiz.Day // the days shown, after normalising a missing or oversized range
	first       quiz.Day // the Monday of the first column
	weeks       int      // columns in the calendar
	streak      int      // the current streak as it stands on p.To (0 once broken)
	best        int
	freezes     int
	answered    int
	due         int
	active      int      // days in from..to with at least one answer
	inRange     int      // answers in from..to
	busiest     int      // answers in the busiest Monday-to-Sunday week
	busiestFrom quiz.Day // its first day inside from..to; 0 when there were no answers
}

// maxWeeks is the most columns the calendar draws: ProgressWeeks whole weeks that need not
// start on a Monday span one more column.
const maxWeeks = quiz.ProgressWeeks + 1

// monday returns the Monday on or before d.
func monday(d quiz.Day) quiz.Day { return d - quiz.Day(weekdayRow(d)) }

// weekdayRow is d's row in the calendar: Monday 0 to Sunday 6.
func weekdayRow(d quiz.Day) int { return (int(d.Weekday()) + 6) % 7 }

func factsOf(p quiz.Progress) facts {
	f := facts{from: p.From, to: p.To, answered: p.Answered, due: p.Due}
	if f.from == 0 || f.from > f.to {
		f.from = f.to - quiz.ProgressWeeks*7 + 1
	}
	f.first = monday(f.from)
	if last := monday(f.to); int(last-f.first)/7+1 > maxWeeks {
		f.first = last - (maxWeeks-1)*7
		f.from = f.first
	}
	f.weeks = int(monday(f.to)-f.first)/7 + 1

	st := p.Streak.At(f.to)
	f.streak, f.best, f.freezes = st.Current, st.Best, st.Freezes

	for w := range f.weeks {
		sum, start := 0, max(f.first+quiz.Day(7*w), f.from)
		for r := range 7 {
			d := f.first + quiz.Day(7*w+r)
			if d < f.from || d > f.to {
				continue
			}
			if n := p.Daily[d]; n > 0 {
				sum += n
				f.active++
			}
		}
		f.inRange += sum
		if sum > f.busiest {
			f.busiest, f.busiestFrom = sum, start
		}
	}
	return f
}

package quiz

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The rules of the monthly champion and the weekly recap as pure functions.

// monthStart is the first instant of month mo of year y in loc: midnight of the 1st, or the
// end of the gap when clocks skip that midnight, or its first occurrence when it happens twice.
func monthStart(y int, mo time.Month, loc *time.Location) time.Time {
	return Date(y, mo, 1).At(0, 0, loc)
}

// monthName formats a month as stored in Award.Month.
func monthName(y int, mo time.Month) string { return fmt.Sprintf("%04d-%02d", y, mo) }

// previousMonth is the month before the one now falls in, in loc: its name and its bounds
// [start, end).
func previousMonth(now time.Time, loc *time.Location) (month string, start, end time.Time) {
	y, mo, _ := now.In(loc).Date()
	end = monthStart(y, mo, loc)
	py, pm := y, mo-1
	if pm < time.January {
		py, pm = y-1, time.December
	}
	return monthName(py, pm), monthStart(py, pm, loc), end
}

// monthBefore is the name of the month before month ("2006-01").
func monthBefore(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return t.AddDate(0, -1, 0).Format("2006-01")
}

// ChampionCandidate is one member's month: what the champion is decided on.
type ChampionCandidate struct {
	User       UserID
	Name       string
	Answers    int       // answers in the month
	LongestRun int       // the longest run of consecutive days with an answer in the month
	ReachedAt  time.Time // when the member gave their Answers-th answer of the month
}

// tallyMonth is u's candidate for the month [start, end) in loc, from their attempts: answered
// ones count at their AnsweredAt.
func tallyMonth(u UserID, name string, attempts []Attempt, start, end time.Time, loc *time.Location) ChampionCandidate {
	c := ChampionCandidate{User: u, Name: name}
	var times []time.Time
	for _, at := range attempts {
		if !at.AnsweredAt.IsZero() && !at.AnsweredAt.Before(start) && at.AnsweredAt.Before(end) {
			times = append(times, at.AnsweredAt)
		}
	}
	if len(times) == 0 {
		return c
	}
	slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
	c.Answers, c.ReachedAt = len(times), times[len(times)-1]
	run, last := 0, Day(0)
	for _, t := range times {
		switch d := DayOf(t, loc); {
		case run > 0 && d == last:
		case run > 0 && d == last+1:
			run++
		default:
			run = 1
		}
		last = DayOf(t, loc)
		c.LongestRun = max(c.LongestRun, run)
	}
	return c
}

// champion is the month's winner among cands: the most answers; ties go to the longest run of
// days, then to whoever reached the count first, then to the lower user id (so the result
// never depends on order). ok is false when nobody answered.
func champion(cands []ChampionCandidate) (ChampionCandidate, bool) {
	var best ChampionCandidate
	found := false
	for _, c := range cands {
		if c.Answers <= 0 {
			continue
		}
		if !found || championBefore(c, best) {
			best, found = c, true
		}
	}
	return best, found
}

func championBefore(x, y ChampionCandidate) bool {
	return cmp.Or(
		cmp.Compare(y.Answers, x.Answers),
		cmp.Compare(y.LongestRun, x.LongestRun),
		x.ReachedAt.Compare(y.ReachedAt),
		cmp.Compare(x.User, y.User),
	) < 0
}

// raceEntries ranks candidates for a leaderboard (the recap's champion race): by answers, ties
// as champion breaks them, top n, rank numbers shared by equal answers.
func raceEntries(cands []ChampionCandidate, n int) []Entry {
	cs := slices.Clone(cands)
	cs = slices.DeleteFunc(cs, func(c ChampionCandidate) bool { return c.Answers <= 0 })
	slices.SortFunc(cs, func(x, y ChampionCandidate) int {
		if championBefore(x, y) {
			return -1
		}
		return 1
	})
	var out []Entry
	for i, c := range cs {
		if i == n {
			break
		}
		e := Entry{Rank: i + 1, User: c.User, Name: c.Name, Value: c.Answers}
		if i > 0 && c.Answers == out[i-1].Value {
			e.Rank = out[i-1].Rank
		}
		out = append(out, e)
	}
	return out
}

// awardKind is what a run does with a month's award.
type awardKind int

const (
	awardNothing awardKind = iota // off, not due, or done
	awardClaim                    // decide the winner and record the claim
	awardResume                   // carry a recorded award on (roles, then the announcement)
)

// nextAward decides month's award in g (a is its record, found false when none), given the
// month's end: nothing while the champion role is off, for a month that ended before the role
// was set, or once announced.
func nextAward(g Guild, a Award, found bool, monthEnd time.Time) awardKind {
	switch {
	case found && a.State == AwardAnnounced:
		return awardNothing
	case g.ChampionRole == 0:
		return awardNothing
	case found:
		return awardResume
	case !g.ChampionSince.IsZero() && g.ChampionSince.After(monthEnd):
		return awardNothing
	}
	return awardClaim
}

// holder is who holds the champion role after award a, and which role: its winner, or, in a
// month nobody won, the holder it kept.
func holder(a Award) (UserID, RoleID) {
	if a.Winner == 0 {
		return a.Previous, a.PreviousRole
	}
	if a.Role == 0 {
		return 0, 0
	}
	return a.Winner, a.Role
}

// roleMove is one role change of an award.
type roleMove struct {
	User UserID
	Role RoleID
	Give bool
}

// roleMoves are the changes award a makes, in order: take the role from the previous holder
// (unless they won again with the same role), give it to the winner. A month nobody won changes
// nothing: the holder keeps it.
func roleMoves(a Award) []roleMove {
	if a.Winner == 0 {
		return nil
	}
	var out []roleMove
	if a.Previous != 0 && a.PreviousRole != 0 && (a.Previous != a.Winner || a.PreviousRole != a.Role) {
		out = append(out, roleMove{a.Previous, a.PreviousRole, false})
	}
	if a.Role != 0 {
		out = append(out, roleMove{a.Winner, a.Role, true})
	}
	return out
}

// championNonce is the nonce of g's champion announcement for month.
func championNonce(g GuildID, month string) string { return nonce("champion", g.String(), month) }

// recapNonce is the nonce of g's recap of the week starting on week.
func recapNonce(g GuildID, week Day) string { return nonce("recap", g.String(), week.String()) }

// RecapGrace is how late a week's recap is still posted (the bot was down).
const RecapGrace = 12 * time.Hour

// recapWeekday is the day the recap is posted on: Monday, or the schedule's first posting day
// of the week counted from Monday when it does not post on Mondays.
func recapWeekday(weekdays uint8) time.Weekday {
	for i := range 7 {
		wd := time.Weekday((i + 1) % 7)
		if weekdays == 0 || weekdays&(1<<wd) != 0 {
			return wd
		}
	}
	return time.Monday
}

// recapSlot returns the recap slot of schedule d (zone loc) whose time has come by now, today's
// or yesterday's: the week it summarises (its first day, 7 days before the slot's day) and when
// it was due, at the daily post's time. ok is false when neither day is the recap's.
func recapSlot(d Daily, loc *time.Location, now time.Time) (week Day, at time.Time, ok bool) {
	hh, mm, err := ParseClock(d.At)
	if err != nil {
		return 0, time.Time{}, false
	}
	today, wd := DayOf(now, loc), recapWeekday(d.Weekdays)
	for _, day := range []Day{today, today - 1} {
		if at := day.At(hh, mm, loc); day.Weekday() == wd && !at.After(now) {
			return day - 7, at, true
		}
	}
	return 0, time.Time{}, false
}

// recapKind is what a run does with a week's recap.
type recapKind int

const (
	recapNothing recapKind = iota
	recapClaim             // compute and claim it, then post
	recapRepeat            // a claim was left: post again with the same nonce
)

// nextRecap decides the recap due at at, at now, in g (r its record, found false when none):
// only with the recap on and a daily channel that is not paused, within RecapGrace, and not for
// a slot before the recap was turned on.
func nextRecap(g Guild, r Recap, found bool, at, now time.Time) recapKind {
	switch {
	case found && r.State == RecapSent:
		return recapNothing
	case !g.Recap || !g.Daily.Enabled || g.Daily.Paused || g.Daily.Channel == 0:
		return recapNothing
	case now.Sub(at) > RecapGrace:
		return recapNothing
	case found:
		return recapRepeat
	case at.Before(g.RecapSince):
		return recapNothing
	}
	return recapClaim
}

package quiz

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The rules of the daily post as pure functions: values in, values out, no store.

// ParseClock parses "HH:MM" (24-hour).
func ParseClock(s string) (hh, mm int, err error) {
	t, perr := time.Parse("15:04", strings.TrimSpace(s))
	if perr != nil {
		if t, perr = time.Parse("3:04pm", strings.ToLower(strings.ReplaceAll(s, " ", ""))); perr != nil {
			return 0, 0, Errorf(EINVALID, "daily.time_invalid", quote(s))
		}
	}
	return t.Hour(), t.Minute(), nil
}

// ParseWeekdays parses "every day", "weekdays", "weekends" or a list like "mon,wed,fri".
// The result has bit i set for time.Weekday(i); 0 means every day.
func ParseWeekdays(s string) (uint8, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "all", "every", "everyday", "every day", "daily":
		return 0, nil
	case "weekdays", "workdays":
		return 0b0111110, nil
	case "weekends":
		return 0b1000001, nil
	}
	names := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	var bits uint8
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(f, n) })
		if i < 0 || len(f) < 3 {
			return 0, Errorf(EINVALID, "daily.days_invalid", quote(s))
		}
		bits |= 1 << i
	}
	if bits == 0b1111111 {
		bits = 0
	}
	return bits, nil
}

// WeekdayNamesIn names the days of a weekday mask, in language l.
func WeekdayNamesIn(bits uint8, l Lang) string {
	switch bits {
	case 0:
		return l.Msg("daily.every_day")
	case 0b0111110:
		return l.Msg("daily.weekdays")
	case 0b1000001:
		return l.Msg("daily.weekends")
	}
	days := []MsgID{"weekday.sun", "weekday.mon", "weekday.tue", "weekday.wed", "weekday.thu", "weekday.fri", "weekday.sat"}
	var out []string
	for i := range 7 {
		if bits&(1<<i) != 0 {
			out = append(out, l.Msg(days[i]))
		}
	}
	return strings.Join(out, l.Msg("daily.list_sep"))
}

// postsOn reports whether the schedule posts on day d.
func (d Daily) postsOn(day Day) bool {
	return d.Weekdays == 0 || d.Weekdays&(1<<day.Weekday()) != 0
}

// dailySchedule is /daily setup's input, checked: the time, zone and days it gives.
type dailySchedule struct {
	hh, mm int
	loc    *time.Location
	days   uint8
}

// checkDailyRequest validates /daily setup's input, except the topics (they need the bank).
func checkDailyRequest(r DailyRequest) (dailySchedule, error) {
	hh, mm, err := ParseClock(r.At)
	if err != nil {
		return dailySchedule{}, err
	}
	loc, err := ParseZone(r.TZ)
	if err != nil {
		return dailySchedule{}, err
	}
	days, err := ParseWeekdays(r.Days)
	if err != nil {
		return dailySchedule{}, err
	}
	if r.RevealAfter < 0 || r.RevealAfter > 24*time.Hour {
		return dailySchedule{}, Errorf(EINVALID, "daily.reveal_after_range")
	}
	if r.Channel == 0 {
		return dailySchedule{}, Errorf(EINVALID, "daily.channel_required")
	}
	return dailySchedule{hh, mm, loc, days}, nil
}

// dailyTopics parses the comma- or space-separated topics of /daily setup against b, without
// repeats. Returns ENOTFOUND for a topic b does not have.
func dailyTopics(b *Bank, list string) ([]string, error) {
	var topics []string
	for _, t := range strings.FieldsFunc(strings.ToLower(list), func(r rune) bool { return r == ',' || r == ' ' }) {
		if _, ok := b.Topic(t); !ok {
			return nil, b.TopicError(t)
		}
		if !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	return topics, nil
}

// dailyEnabled returns ENOTFOUND unless g has a daily post set up.
func dailyEnabled(g Guild) error {
	if !g.Daily.Enabled {
		return Errorf(ENOTFOUND, "daily.not_set_up_mod")
	}
	return nil
}

// nextPost returns the next instant the schedule posts after now (its zone is loc), skipping
// the skipped day and days already done; zero if none in the next two weeks.
func nextPost(d Daily, loc *time.Location, now time.Time, posts []Post) time.Time {
	hh, mm, err := ParseClock(d.At)
	if err != nil {
		return time.Time{}
	}
	done := map[Day]bool{}
	for _, p := range posts {
		done[p.Day] = true
	}
	today := DayOf(now, loc)
	for day := today; day < today+15; day++ {
		if !d.postsOn(day) || day == d.Skip || done[day] {
			continue
		}
		if t := day.At(hh, mm, loc); !t.Before(now) {
			return t
		}
	}
	return time.Time{}
}

// dailySlot is one day's post time.
type dailySlot struct {
	day Day
	at  time.Time
}

// dailySlots returns the posts of schedule d (in zone loc) whose time has come by now:
// today's and yesterday's, since a post due late yesterday may still be inside the grace period.
// A paused or disabled schedule has none.
func dailySlots(d Daily, loc *time.Location, now time.Time) []dailySlot {
	if !d.Enabled || d.Paused {
		return nil
	}
	hh, mm, err := ParseClock(d.At)
	if err != nil {
		return nil
	}
	var out []dailySlot
	today := DayOf(now, loc)
	for _, day := range []Day{today - 1, today} {
		if at := day.At(hh, mm, loc); !at.After(now) && d.postsOn(day) {
			out = append(out, dailySlot{day, at})
		}
	}
	return out
}

// needsPost reports whether a slot due at at still needs posting, given its post record p
// (found is false when there is none) and when the schedule was set up. A claimed post is
// repeated; a failed one is retried once the schedule is resumed (the failure paused it). With
// no record yet, a time before the schedule existed is not a missed post.
func needsPost(p Post, found bool, at, setAt time.Time) bool {
	if found {
		return p.State == PostClaimed || p.State == PostFailed
	}
	return !at.Before(setAt)
}

// dailyKind is what a run does with one day's daily post.
type dailyKind int

const (
	dailyNothing dailyKind = iota // settled already, or the schedule is off: nothing to do
	dailySkip                     // record the day as skipped (by a moderator, or too late)
	dailyRepeat                   // a claim was left: post it again, with the same nonce
	dailyPost                     // claim a new question and post it
)

// dailyAction is the decision for one day's daily post.
type dailyAction struct {
	kind    dailyKind
	attempt int    // for dailyPost: the nonce's attempt (a retry after a failure gets a new one)
	note    string // for dailySkip: why
}

// nextDailyAction decides day's daily post at now, given the schedule d, the day's post
// record p (found is false when there is none), when it was due (at) and the grace. force is
// a moderator's /daily now: it ignores the pause, the skip and the grace, and retries a
// skipped day.
func nextDailyAction(d Daily, p Post, found bool, day Day, at, now time.Time, grace time.Duration, force bool) dailyAction {
	retry := found && (p.State == PostFailed || (force && p.State == PostSkipped))
	switch {
	case found && p.State != PostClaimed && !retry:
		return dailyAction{kind: dailyNothing}
	case !force && (!d.Enabled || d.Paused):
		return dailyAction{kind: dailyNothing}
	case !force && day == d.Skip:
		return dailyAction{kind: dailySkip, note: "skipped by a moderator"}
	case !force && now.Sub(at) > grace:
		return dailyAction{kind: dailySkip, note: fmt.Sprintf("missed by %s, more than the grace period", now.Sub(at).Round(time.Minute))}
	case retry:
		return dailyAction{kind: dailyPost, attempt: p.Attempt + 1}
	case found:
		return dailyAction{kind: dailyRepeat}
	}
	return dailyAction{kind: dailyPost}
}

// dailyNonce is the message nonce of one attempt at g's post on day. A retry after a failure
// needs its own nonce: the first one may still be remembered.
func dailyNonce(g GuildID, day Day, attempt int) string {
	return nonce("daily", g.String(), day.String(), strconv.Itoa(attempt))
}

// dailySession is the session of g's daily post of q on day, posted at at (now is when it is
// claimed); loc is the schedule's zone.
func dailySession(d Daily, loc *time.Location, g GuildID, id SessionID, q Question, day Day, at, now time.Time) Session {
	lang := d.Lang
	if lang == "" {
		lang = English
	}
	return Session{Guild: g, ID: id, QuestionID: q.ID, Topic: "", Channel: d.Channel, OpenedAt: now,
		Daily: day, Lang: lang, State: SessionOpen, RevealAt: dailyRevealAt(d, loc, at, day)}
}

// dailyRevealAt is when a daily post's answer is revealed: reveal_after (default 12 h) after
// the post, and at the latest a minute before the next post.
func dailyRevealAt(d Daily, loc *time.Location, at time.Time, day Day) time.Time {
	after := d.RevealAfter
	if after <= 0 {
		after = DefaultDailyRevealAfter
	}
	r := at.Add(after)
	hh, mm, _ := ParseClock(d.At)
	if next := (day + 1).At(hh, mm, loc).Add(-time.Minute); r.After(next) {
		r = next
	}
	return r
}

// dailyCandidates returns the questions of b in the daily topics (all of b when none).
func dailyCandidates(b *Bank, topics []string) []Question {
	if len(topics) == 0 {
		return b.Questions("")
	}
	var cands []Question
	for _, t := range topics {
		cands = append(cands, b.Questions(t)...)
	}
	return cands
}

// chooseDaily chooses a question from cands that no daily post yet used; when all were used it
// starts a new cycle with the half posted longest ago (so never the previous post). cands must
// not be empty.
func chooseDaily(cands []Question, posts []Post, intn func(int) int) Question {
	used := map[string]int{} // question -> last use (index)
	for i, p := range posts {
		if p.QuestionID != "" && p.State != PostSkipped {
			used[p.QuestionID] = i + 1
		}
	}
	var fresh []Question
	for _, q := range cands {
		if used[q.ID] == 0 {
			fresh = append(fresh, q)
		}
	}
	if len(fresh) == 0 {
		fresh = slices.Clone(cands)
		slices.SortStableFunc(fresh, func(a, b Question) int { return used[a.ID] - used[b.ID] })
		fresh = fresh[:max(1, len(fresh)/2)]
	}
	return fresh[intn(len(fresh))]
}

// dailyRecord is what to record after trying to post a claimed daily question.
type dailyRecord int

const (
	dailySettled dailyRecord = iota // another run settled the day (or will retry): change nothing
	dailySent                       // posted: store the message, queue the reveal
	dailyFailed                     // failed for good: mark the post failed and pause the schedule
)

// afterDaily decides what a daily post's outcome (perr is the publisher's error) does to the
// day's record p, which was claimed with nonce. A transient failure leaves the claim for the
// next run to retry with the same nonce.
func afterDaily(p Post, nonce string, perr error) dailyRecord {
	switch {
	case p.State == PostSent || p.Nonce != nonce:
		// Another run (a concurrent /daily now) already settled this day.
		return dailySettled
	case perr == nil:
		return dailySent
	case permanent(perr):
		return dailyFailed
	}
	return dailySettled
}

// pausedNotice is the direct message to the moderator who set up a schedule that a failure paused.
func pausedNotice(d Daily) string { return d.Lang.Msg("daily.paused_notice", d.PauseReason) }

// Label is the catalogue id of a post's state ("sent" → "已发布").
func (s PostState) Label() MsgID {
	return map[PostState]MsgID{PostClaimed: "daily.state_claimed", PostSent: "daily.state_sent",
		PostSkipped: "daily.state_skipped", PostFailed: "daily.state_failed"}[s]
}

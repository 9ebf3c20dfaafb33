package quiz

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"
)

// Awards is the monthly champion role and the weekly recap (issue 15): moderators' settings,
// and the scheduler's jobs RunMonthly and RunWeekly (bot/ registers them, e.g. hourly; each is
// exactly once per server and month or week, across restarts: claim, call, record).
type Awards struct{ *core }

// RoleCheck is the adapter's verdict on a role the bot is to give: it checks the bot's Manage
// Roles permission and the role hierarchy (and what the role is) before calling SetChampionRole.
type RoleCheck int

const (
	RoleOK            RoleCheck = iota
	RoleNoManageRoles           // the bot lacks Manage Roles
	RoleAboveBot                // the role is not below the bot's highest role
	RoleManaged                 // an integration's or a bot's own role: no one can give it
	RoleEveryone                // @everyone
)

// RaceSize is how many members the recap's champion race and streaks list.
const RaceSize = 5

// SetChampionRole sets (role 0: turns off) the role given each month to the member with the
// most answers; check is the adapter's verdict on it. The first award is for the month in which
// it is set. Moderators only.
// Returns EINVALID for a role the bot cannot give (saying why), EFORBIDDEN for non-moderators.
func (aw *Awards) SetChampionRole(ctx context.Context, a Actor, role RoleID, check RoleCheck) error {
	if role != 0 {
		switch check {
		case RoleNoManageRoles:
			return Errorf(EINVALID, "I need the Manage Roles permission to give the champion role. Grant it to my role, then try again.")
		case RoleAboveBot:
			return Errorf(EINVALID, "The champion role must be below my highest role: move my role above it in Server Settings → Roles, then try again.")
		case RoleManaged:
			return Errorf(EINVALID, "That role is managed by an integration and cannot be given by hand. Choose another role.")
		case RoleEveryone:
			return Errorf(EINVALID, "@everyone cannot be the champion role. Choose another role.")
		}
	}
	return aw.store.Update(ctx, aw.asModerator(a, func(tx Tx, g Guild) error {
		g.ID = a.Guild
		if role != 0 && g.ChampionRole == 0 {
			g.ChampionSince = aw.now()
		}
		g.ChampionRole, g.ChampionSetBy = role, a.User
		return tx.PutGuild(g)
	}))
}

// SetRecap turns the weekly recap on or off. It is posted in the daily question's channel, so
// turning it on needs a daily question. Moderators only.
// Returns ENOTFOUND (turning on) without a daily question, EFORBIDDEN for non-moderators.
func (aw *Awards) SetRecap(ctx context.Context, a Actor, on bool) error {
	return aw.store.Update(ctx, aw.asModerator(a, func(tx Tx, g Guild) error {
		if on {
			if err := dailyEnabled(g); err != nil {
				return err
			}
			if !g.Recap {
				g.RecapSince = aw.now()
			}
		}
		g.ID, g.Recap = a.Guild, on
		return tx.PutGuild(g)
	}))
}

// AwardsStatus is what /settings shows of the champion role and the recap.
type AwardsStatus struct {
	ChampionRole RoleID
	Recap        bool
	LastAward    *Award // the latest month's award, if any
	NextRecap    time.Time
}

// Status returns the champion and recap settings and the last award.
func (aw *Awards) Status(ctx context.Context, a Actor) (AwardsStatus, error) {
	now := aw.now()
	var out AwardsStatus
	err := aw.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		out.ChampionRole, out.Recap = g.ChampionRole, g.Recap
		month, _, _ := previousMonth(now, aw.location(g.TZ))
		for _, m := range []string{month, monthBefore(month)} {
			if last, ok, err := tx.Award(a.Guild, m); err != nil {
				return err
			} else if ok {
				out.LastAward = &last
				break
			}
		}
		if g.Recap && g.Daily.Enabled {
			loc := aw.location(g.Daily.TZ)
			out.NextRecap = nextRecapAt(g.Daily, loc, now)
			// A slot whose recap is already claimed or sent is not the next one.
			if !out.NextRecap.IsZero() {
				if _, found, err := tx.Recap(a.Guild, DayOf(out.NextRecap, loc)-7); err != nil {
					return err
				} else if found {
					out.NextRecap = nextRecapAt(g.Daily, loc, out.NextRecap.Add(time.Minute))
				}
			}
		}
		return nil
	})
	return out, err
}

// nextRecapAt is the next recap slot at or after now.
func nextRecapAt(d Daily, loc *time.Location, now time.Time) time.Time {
	hh, mm, err := ParseClock(d.At)
	if err != nil {
		return time.Time{}
	}
	today := DayOf(now, loc)
	for day := today; day < today+8; day++ {
		if at := day.At(hh, mm, loc); day.Weekday() == recapWeekday(d.Weekdays) && !at.Before(now) {
			return at
		}
	}
	return time.Time{}
}

// AwardsReport summarises one RunMonthly or RunWeekly pass.
type AwardsReport struct {
	Done, Failed int // servers whose award or recap completed; that failed (retried next run)
}

// RunMonthly gives each server's champion role for the month that ended before now (in the
// server's zone) to its top member by answers (champion), takes it from the previous holder and
// announces it in the daily channel: claim (the winner, recorded), role changes (Announcer.
// SetRole, idempotent), record given, announce (with a nonce), record announced. A run after a
// crash or a failure carries on from the recorded step.
func (aw *Awards) RunMonthly(ctx context.Context, now time.Time) (AwardsReport, error) {
	var rep AwardsReport
	var guilds []Guild
	if err := aw.store.View(ctx, func(tx Tx) error {
		return tx.Guilds(func(g Guild) bool {
			if g.ChampionRole != 0 {
				guilds = append(guilds, g)
			}
			return true
		})
	}); err != nil {
		return rep, err
	}
	var errs []error
	for _, g := range guilds {
		if ctx.Err() != nil {
			break
		}
		done, err := aw.award(ctx, g, now)
		switch {
		case err != nil:
			rep.Failed++
			errs = append(errs, err)
		case done:
			rep.Done++
		}
	}
	return rep, errors.Join(errs...)
}

// award runs g's award for the month before now. done is true when it completed in this call.
func (aw *Awards) award(ctx context.Context, g Guild, now time.Time) (done bool, err error) {
	loc := aw.location(g.TZ)
	month, start, end := previousMonth(now, loc)
	log := aw.log.With("guild_id", g.ID, "month", month)
	var (
		a     Award
		found bool
	)
	if err := aw.store.View(ctx, func(tx Tx) error {
		a, found, err = tx.Award(g.ID, month)
		return err
	}); err != nil {
		return false, err
	}
	switch nextAward(g, a, found, end) {
	case awardNothing:
		return false, nil
	case awardClaim:
		if a, err = aw.claimAward(ctx, g, month, start, end, loc, now); err != nil {
			return false, err
		}
	}
	if a.State == AwardClaimed {
		if a, err = aw.moveRoles(ctx, log, g, a); err != nil {
			return false, err
		}
	}
	if a.State == AwardGiven {
		if a, err = aw.announce(ctx, log, g, a); err != nil {
			return false, err
		}
	}
	return a.State == AwardAnnounced, nil
}

// claimAward decides the month's winner and records the claim (or returns the claim another run
// recorded meanwhile).
func (aw *Awards) claimAward(ctx context.Context, g Guild, month string, start, end time.Time, loc *time.Location, now time.Time) (Award, error) {
	var cands []ChampionCandidate
	if err := aw.store.View(ctx, func(tx Tx) error {
		var err error
		cands, err = monthCandidates(tx, g.ID, start, end, loc)
		return err
	}); err != nil {
		return Award{}, err
	}
	win, ok := champion(cands)
	var out Award
	err := aw.store.Update(ctx, func(tx Tx) error {
		cur, found, err := tx.Award(g.ID, month)
		if err != nil || found {
			out = cur
			return err
		}
		g, _, err := tx.Guild(g.ID)
		if err != nil {
			return err
		}
		prev, _, err := tx.Award(g.ID, monthBefore(month))
		if err != nil {
			return err
		}
		out = Award{Month: month, State: AwardClaimed, Role: g.ChampionRole, ClaimedAt: now, UpdatedAt: now,
			Nonce: championNonce(g.ID, month), Lang: dailyLang(g.Daily)}
		out.Previous, out.PreviousRole = holder(prev)
		if g.Daily.Enabled && !g.Daily.Paused {
			out.Channel = g.Daily.Channel
		}
		if ok {
			out.Winner, out.Answers, out.LongestRun, out.ReachedAt = win.User, win.Answers, win.LongestRun, win.ReachedAt
		} else {
			out.State, out.Note = AwardAnnounced, "nobody answered"
		}
		return tx.PutAward(g.ID, out)
	})
	return out, err
}

func dailyLang(d Daily) Lang {
	if d.Lang == "" {
		return English
	}
	return d.Lang
}

// monthCandidates tallies the members of g who were seen since start (no one else can have
// answered in [start, end)).
func monthCandidates(tx Tx, g GuildID, start, end time.Time, loc *time.Location) ([]ChampionCandidate, error) {
	var active []Member
	if err := tx.Members(g, func(m Member) bool {
		if !m.LastSeen.Before(start) {
			active = append(active, m)
		}
		return true
	}); err != nil {
		return nil, err
	}
	var out []ChampionCandidate
	for _, m := range active {
		ats, err := tx.Attempts(g, m.User)
		if err != nil {
			return nil, err
		}
		if c := tallyMonth(m.User, m.Name, ats, start, end, loc); c.Answers > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// moveRoles makes the award's role changes and records them. A transient failure leaves the
// claim for the next run; a permanent one (the bot may no longer manage the role) records the
// award as given without the role, and tells the moderator who set it.
func (aw *Awards) moveRoles(ctx context.Context, log *slog.Logger, g Guild, a Award) (Award, error) {
	for _, mv := range roleMoves(a) {
		err := aw.opts.Announcer.SetRole(ctx, g.ID, mv.User, mv.Role, mv.Give)
		switch {
		case err == nil:
		case !permanent(err):
			log.Warn("champion role: not changed, retrying later", "user_id", mv.User, "give", mv.Give, "err", err)
			return a, err
		case !mv.Give:
			log.Info("champion role: could not take it from the previous holder", "user_id", mv.User, "err", err)
		default:
			log.Warn("champion role: could not give it", "user_id", mv.User, "err", err)
			a.Role, a.Note = 0, ErrorMessage(err)
			if g.ChampionSetBy != 0 {
				_ = aw.opts.Publisher.Notify(ctx, g.ID, g.ChampionSetBy, pickLang(dailyLang(g.Daily),
					"The monthly champion role could not be given: "+a.Note+" Check my Manage Roles permission and that my role is above it, then set it again with /daily champion.",
					"无法授予月度冠军角色："+a.Note+" 请检查我的“管理角色”权限，并确保我的角色高于它，然后用 /daily champion 重新设置。"))
			}
		}
	}
	a.State = AwardGiven
	return a, aw.recordAward(ctx, g.ID, a, AwardClaimed)
}

// announce posts the award in the daily channel and records it.
func (aw *Awards) announce(ctx context.Context, log *slog.Logger, g Guild, a Award) (Award, error) {
	if a.Channel != 0 && a.Winner != 0 {
		var name string
		_ = aw.store.View(ctx, func(tx Tx) error {
			m, _, err := tx.Member(g.ID, a.Winner)
			name = m.Name
			return err
		})
		news := &ChampionNews{Month: a.Month, Winner: a.Winner, Name: name, Answers: a.Answers, LongestRun: a.LongestRun, Role: a.Role}
		if a.Previous != a.Winner {
			news.Previous = a.Previous
		}
		msg, err := aw.opts.Announcer.PostAnnouncement(ctx, Announcement{Guild: g.ID, Channel: a.Channel, Lang: a.Lang, Nonce: a.Nonce, Champion: news})
		switch {
		case err == nil:
			a.Message = msg
		case permanent(err):
			log.Warn("champion announcement failed", "err", err)
			a.Note = ErrorMessage(err)
		default:
			log.Warn("champion announcement: not posted, retrying later", "err", err)
			return a, err
		}
	}
	a.State = AwardAnnounced
	log.Info("monthly champion settled", "winner", a.Winner, "answers", a.Answers, "message_id", a.Message)
	return a, aw.recordAward(ctx, g.ID, a, AwardGiven)
}

// recordAward stores a if the stored award is still in state from (another run may have moved
// it on meanwhile).
func (aw *Awards) recordAward(ctx context.Context, g GuildID, a Award, from AwardState) error {
	return aw.store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		cur, found, err := tx.Award(g, a.Month)
		if err != nil || !found || cur.State != from {
			return err
		}
		a.UpdatedAt = aw.now()
		return tx.PutAward(g, a)
	})
}

// RunWeekly posts each server's weekly recap when its slot has come (recapSlot: the recap day at
// the daily post's time): claim (the record, with its nonce), post (Announcer.PostAnnouncement),
// record sent. A claim left by a crash is posted again with the same nonce.
func (aw *Awards) RunWeekly(ctx context.Context, now time.Time) (AwardsReport, error) {
	var rep AwardsReport
	type job struct {
		g    Guild
		week Day
		kind recapKind
	}
	var jobs []job
	if err := aw.store.View(ctx, func(tx Tx) error {
		return tx.Guilds(func(g Guild) bool {
			if !g.Recap {
				return true
			}
			week, at, ok := recapSlot(g.Daily, aw.location(g.Daily.TZ), now)
			if !ok {
				return true
			}
			r, found, err := tx.Recap(g.ID, week)
			if err == nil {
				if k := nextRecap(g, r, found, at, now); k != recapNothing {
					jobs = append(jobs, job{g, week, k})
				}
			}
			return true
		})
	}); err != nil {
		return rep, err
	}
	var errs []error
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		if err := aw.recap(ctx, j.g, j.week, now); err != nil {
			rep.Failed++
			errs = append(errs, err)
		} else {
			rep.Done++
		}
	}
	return rep, errors.Join(errs...)
}

// recap computes, claims, posts and records g's recap of the week starting on week.
func (aw *Awards) recap(ctx context.Context, g Guild, week Day, now time.Time) error {
	log := aw.log.With("guild_id", g.ID, "week", week.String())
	var news RecapNews
	if err := aw.store.View(ctx, func(tx Tx) error {
		var err error
		news, err = aw.recapNews(tx, g, week, now)
		return err
	}); err != nil {
		return err
	}
	n := recapNonce(g.ID, week)
	claimed := false
	if err := aw.store.Update(ctx, func(tx Tx) error {
		r, found, err := tx.Recap(g.ID, week)
		if err != nil || (found && r.State == RecapSent) {
			return err
		}
		claimed = true
		if found {
			return nil
		}
		return tx.PutRecap(g.ID, Recap{Week: week, State: RecapClaimed, ClaimedAt: now, Nonce: n})
	}); err != nil || !claimed {
		return err
	}
	msg, perr := aw.opts.Announcer.PostAnnouncement(ctx, Announcement{Guild: g.ID, Channel: g.Daily.Channel,
		Lang: dailyLang(g.Daily), Nonce: n, Recap: &news})
	if perr != nil && !permanent(perr) {
		log.Warn("weekly recap: not posted, retrying later", "err", perr)
		return perr
	}
	if perr != nil {
		log.Warn("weekly recap failed", "err", perr)
	} else {
		log.Info("weekly recap posted", "message_id", msg)
	}
	return aw.store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		r, found, err := tx.Recap(g.ID, week)
		if err != nil || !found || r.State == RecapSent {
			return err
		}
		r.State, r.Message, r.SentAt = RecapSent, msg, aw.now()
		if perr != nil {
			r.Note = ErrorMessage(perr)
		}
		return tx.PutRecap(g.ID, r)
	})
}

// recapNews gathers the recap of the week starting on week, as of now: the daily questions
// posted that week, the members who answered and their answers, the best current streaks and
// this month's champion race (in the server's zone).
func (aw *Awards) recapNews(tx Tx, g Guild, week Day, now time.Time) (RecapNews, error) {
	dloc := aw.location(g.Daily.TZ)
	news := RecapNews{From: week, To: week + 6, Champion: g.ChampionRole}
	b, err := aw.bankFor(tx, g)
	if err != nil {
		return news, err
	}
	posts, err := tx.Posts(g.ID)
	if err != nil {
		return news, err
	}
	for _, p := range posts {
		if p.Day < news.From || p.Day > news.To || p.State != PostSent {
			continue
		}
		rq := RecapQuestion{Day: p.Day, QuestionID: p.QuestionID, Message: p.Message}
		if q, ok := b.Question(p.QuestionID); ok {
			rq.Prompt = q.Prompt
		}
		if s, ok, err := tx.Session(g.ID, p.Session); err != nil {
			return news, err
		} else if ok {
			rq.Channel, rq.Answers = s.Channel, s.Answers
		}
		news.Questions = append(news.Questions, rq)
	}
	wStart, wEnd := week.At(0, 0, dloc), (week+7).At(0, 0, dloc)
	gloc := aw.location(g.TZ)
	y, mo, _ := now.In(gloc).Date()
	mStart := monthStart(y, mo, gloc)
	news.Month = monthName(y, mo)
	var members []Member
	if err := tx.Members(g.ID, func(m Member) bool {
		members = append(members, m)
		return true
	}); err != nil {
		return news, err
	}
	var race []ChampionCandidate
	var streaks []Entry
	since := min(wStart.UnixNano(), mStart.UnixNano())
	for _, m := range members {
		if v := m.Streak.At(DayOf(now, aw.memberZone(m, g))).Current; v > 0 {
			streaks = append(streaks, Entry{User: m.User, Name: m.Name, Value: v})
		}
		if m.LastSeen.UnixNano() < since {
			continue
		}
		ats, err := tx.Attempts(g.ID, m.User)
		if err != nil {
			return news, err
		}
		if n := tallyMonth(m.User, m.Name, ats, wStart, wEnd, dloc).Answers; n > 0 {
			news.Members++
			news.Answers += n
		}
		if c := tallyMonth(m.User, m.Name, ats, mStart, now, gloc); c.Answers > 0 {
			race = append(race, c)
		}
	}
	news.Streaks = rank(streaks, RaceSize)
	news.Race = raceEntries(race, RaceSize)
	slices.SortFunc(news.Questions, func(x, y RecapQuestion) int { return int(x.Day - y.Day) })
	return news, nil
}

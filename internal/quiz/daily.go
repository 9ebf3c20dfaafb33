package quiz

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// isModerator reports whether a may manage the server's bot settings and bank: the platform's
// Manage Server permission or its own grant (Actor.Moderator), or a moderator role set with
// /settings moderator-role.
func (s *Service) isModerator(tx Tx, a Actor) (bool, error) {
	if a.Manager || a.Moderator {
		return true, nil
	}
	g, _, err := tx.Guild(a.Guild)
	if err != nil {
		return false, err
	}
	for _, r := range a.Roles {
		if slices.Contains(g.ModRoles, r) {
			return true, nil
		}
	}
	return false, nil
}

func (s *Service) requireModerator(tx Tx, a Actor) error {
	if a.Guild == 0 {
		return Errorf(EINVALID, "This command works only in a server.")
	}
	ok, err := s.isModerator(tx, a)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EFORBIDDEN, "Only moderators can do this: you need the Manage Server permission or the server's moderator role.")
	}
	return nil
}

// ParseClock parses "HH:MM" (24-hour).
func ParseClock(s string) (hh, mm int, err error) {
	t, perr := time.Parse("15:04", strings.TrimSpace(s))
	if perr != nil {
		if t, perr = time.Parse("3:04pm", strings.ToLower(strings.ReplaceAll(s, " ", ""))); perr != nil {
			return 0, 0, Errorf(EINVALID, "Invalid time %s: use 24-hour HH:MM, for example 09:00 or 18:30.", quote(s))
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
			return 0, Errorf(EINVALID, "Invalid days %s: use weekdays, weekends, every day, or names like mon,wed,fri.", quote(s))
		}
		bits |= 1 << i
	}
	if bits == 0b1111111 {
		bits = 0
	}
	return bits, nil
}

// WeekdayNames formats a weekday mask.
func WeekdayNames(bits uint8) string {
	switch bits {
	case 0:
		return "every day"
	case 0b0111110:
		return "weekdays"
	case 0b1000001:
		return "weekends"
	}
	var out []string
	for i := range 7 {
		if bits&(1<<i) != 0 {
			out = append(out, time.Weekday(i).String()[:3])
		}
	}
	return strings.Join(out, ", ")
}

// postsOn reports whether the schedule posts on day d.
func (d Daily) postsOn(day Day) bool {
	return d.Weekdays == 0 || d.Weekdays&(1<<day.Weekday()) != 0
}

// DailyRequest is /daily setup's input.
type DailyRequest struct {
	Channel     ChannelID
	At          string
	TZ          string
	Topics      string // comma-separated; "" = all
	Days        string
	RevealAfter time.Duration // 0 = 12 h
	Role        RoleID
}

// SetupDaily configures the actor's server's daily post. Moderators only.
func (s *Service) SetupDaily(ctx context.Context, a Actor, r DailyRequest) (Daily, error) {
	hh, mm, err := ParseClock(r.At)
	if err != nil {
		return Daily{}, err
	}
	loc, err := ParseZone(r.TZ)
	if err != nil {
		return Daily{}, err
	}
	days, err := ParseWeekdays(r.Days)
	if err != nil {
		return Daily{}, err
	}
	if r.RevealAfter < 0 || r.RevealAfter > 24*time.Hour {
		return Daily{}, Errorf(EINVALID, "reveal_after must be between 1 minute and 24 hours.")
	}
	if r.Channel == 0 {
		return Daily{}, Errorf(EINVALID, "Choose a text channel for the daily question.")
	}
	var out Daily
	err = s.store.Update(ctx, func(tx Tx) error {
		g, b, err := s.moderatorBank(tx, a)
		if err != nil {
			return err
		}
		var topics []string
		for _, t := range strings.FieldsFunc(strings.ToLower(r.Topics), func(r rune) bool { return r == ',' || r == ' ' }) {
			if _, ok := b.Topic(t); !ok {
				return b.TopicError(t)
			}
			if !slices.Contains(topics, t) {
				topics = append(topics, t)
			}
		}
		g.ID = a.Guild
		g.Daily = Daily{Enabled: true, Channel: r.Channel, At: fmt.Sprintf("%02d:%02d", hh, mm), TZ: loc.String(),
			Topics: topics, Weekdays: days, RevealAfter: r.RevealAfter, Role: r.Role, SetBy: a.User, SetAt: s.now(),
			Lang: a.lang(Member{})}
		if m, ok, err := tx.Member(a.Guild, a.User); err == nil && ok {
			g.Daily.Lang = a.lang(m)
		}
		if g.TZ == "" {
			g.TZ = loc.String()
		}
		out = g.Daily
		return tx.PutGuild(g)
	})
	return out, err
}

// DailyStatus is what /daily show reports.
type DailyStatus struct {
	Daily Daily
	Next  time.Time // the next post; zero if paused or off
	Last  *Post
}

// ShowDaily returns the schedule and its next post.
func (s *Service) ShowDaily(ctx context.Context, a Actor) (DailyStatus, error) {
	var out DailyStatus
	err := s.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if !g.Daily.Enabled {
			return Errorf(ENOTFOUND, "No daily question is set up here. A moderator can start one with /daily setup.")
		}
		out.Daily = g.Daily
		posts, err := tx.Posts(a.Guild)
		if err != nil {
			return err
		}
		if len(posts) > 0 {
			out.Last = &posts[len(posts)-1]
		}
		if !g.Daily.Paused {
			out.Next = s.nextPost(g.Daily, s.now(), posts)
		}
		return nil
	})
	return out, err
}

// nextPost returns the next instant the schedule posts after now, skipping days already done.
func (s *Service) nextPost(d Daily, now time.Time, posts []Post) time.Time {
	loc := s.location(d.TZ)
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

// PauseDaily pauses or resumes the daily post. Moderators only.
func (s *Service) PauseDaily(ctx context.Context, a Actor, pause bool) (Daily, error) {
	return s.changeDaily(ctx, a, func(_ Tx, d *Daily) error {
		d.Paused = pause
		d.PauseReason = ""
		return nil
	})
}

// SkipDaily skips the next daily post. Moderators only.
func (s *Service) SkipDaily(ctx context.Context, a Actor) (Day, error) {
	var skipped Day
	_, err := s.changeDaily(ctx, a, func(tx Tx, d *Daily) error {
		posts, err := tx.Posts(a.Guild)
		if err != nil {
			return err
		}
		next := s.nextPost(*d, s.now(), posts)
		if next.IsZero() {
			return Errorf(EINVALID, "There is no upcoming daily post to skip.")
		}
		skipped = DayOf(next, s.location(d.TZ))
		d.Skip = skipped
		return nil
	})
	return skipped, err
}

func (s *Service) changeDaily(ctx context.Context, a Actor, fn func(Tx, *Daily) error) (Daily, error) {
	var out Daily
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if !g.Daily.Enabled {
			return Errorf(ENOTFOUND, "No daily question is set up here. Start one with /daily setup.")
		}
		if err := fn(tx, &g.Daily); err != nil {
			return err
		}
		out = g.Daily
		return tx.PutGuild(g)
	})
	return out, err
}

// DailyReport summarises one RunDaily pass.
type DailyReport struct {
	Posted, Skipped, Failed int
}

// RunDaily posts every server's daily question that is due: exactly once per (server, local
// day). Posts missed by less than the grace period are sent late; older ones are skipped and
// logged. Up to workers posts are in flight at once (the publisher enforces Discord's rate limits).
func (s *Service) RunDaily(ctx context.Context, pub Publisher, workers int) (DailyReport, error) {
	now := s.now()
	type job struct {
		g   GuildID
		day Day
		at  time.Time
	}
	var jobs []job
	err := s.store.View(ctx, func(tx Tx) error {
		return tx.Guilds(func(g Guild) bool {
			d := g.Daily
			if !d.Enabled || d.Paused {
				return true
			}
			loc := s.location(d.TZ)
			hh, mm, err := ParseClock(d.At)
			if err != nil {
				return true
			}
			// Yesterday too: a post due late yesterday may still be inside the grace period.
			today := DayOf(now, loc)
			for _, day := range []Day{today - 1, today} {
				at := day.At(hh, mm, loc)
				if at.After(now) || !d.postsOn(day) {
					continue
				}
				// A claimed post is repeated; a failed one is retried once the schedule is
				// resumed (the failure paused it). With no record yet, a time before the
				// schedule existed is not a missed post.
				p, ok, err := tx.Post(g.ID, day)
				if err != nil || (ok && p.State != PostClaimed && p.State != PostFailed) || (!ok && at.Before(d.SetAt)) {
					continue
				}
				jobs = append(jobs, job{g.ID, day, at})
			}
			return true
		})
	})
	if err != nil {
		return DailyReport{}, err
	}
	var (
		mu  sync.Mutex
		rep DailyReport
		wg  sync.WaitGroup
		sem = make(chan struct{}, max(1, workers))
	)
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			outcome := s.postDaily(ctx, pub, j.g, j.day, j.at, false)
			mu.Lock()
			defer mu.Unlock()
			switch outcome {
			case outcomePosted:
				rep.Posted++
			case outcomeSkipped:
				rep.Skipped++
			case outcomeFailed:
				rep.Failed++
			}
		})
	}
	wg.Wait()
	return rep, nil
}

type outcome int

const (
	outcomeNone outcome = iota
	outcomePosted
	outcomeSkipped
	outcomeFailed
)

// PostDailyNow posts today's daily question now if it has not been posted. Moderators only.
func (s *Service) PostDailyNow(ctx context.Context, a Actor, pub Publisher) (Post, error) {
	var (
		day Day
		at  time.Time
	)
	err := s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if !g.Daily.Enabled {
			return Errorf(ENOTFOUND, "No daily question is set up here. Start one with /daily setup.")
		}
		now := s.now()
		day = DayOf(now, s.location(g.Daily.TZ))
		at = now
		p, ok, err := tx.Post(a.Guild, day)
		if err != nil {
			return err
		}
		if ok && p.State == PostSent {
			return Errorf(ECONFLICT, "Today's question was already posted.")
		}
		return nil
	})
	if err != nil {
		return Post{}, err
	}
	switch s.postDaily(ctx, pub, a.Guild, day, at, true) {
	case outcomePosted:
	case outcomeFailed:
		return Post{}, Errorf(EINVALID, "The daily question could not be posted; see /daily show for the reason.")
	default:
		return Post{}, Errorf(ECONFLICT, "Today's question was already posted or skipped.")
	}
	var p Post
	err = s.store.View(ctx, func(tx Tx) error {
		p, _, err = tx.Post(a.Guild, day)
		return err
	})
	return p, err
}

// postDaily runs one daily post: claim, post, record (see reveal). Claim and record are
// batched: when many servers share a posting minute their commits coalesce.
func (s *Service) postDaily(ctx context.Context, pub Publisher, gid GuildID, day Day, at time.Time, force bool) outcome {
	log := s.log.With("guild_id", gid, "day", day.String())
	var (
		post QuestionPost
		skip outcome
	)
	err := s.store.Batch(ctx, func(tx Tx) error {
		skip = outcomeNone
		g, _, err := tx.Guild(gid)
		if err != nil {
			return err
		}
		d := g.Daily
		p, claimed, err := tx.Post(gid, day)
		if err != nil {
			return err
		}
		retry := claimed && (p.State == PostFailed || (force && p.State == PostSkipped))
		if claimed && p.State != PostClaimed && !retry {
			skip = outcomeSkipped
			return nil
		}
		now := s.now()
		if !force && (!d.Enabled || d.Paused) {
			skip = outcomeSkipped
			return nil
		}
		if !force && (day == d.Skip || now.Sub(at) > s.opts.Grace) {
			reason := "skipped by a moderator"
			if day != d.Skip {
				reason = fmt.Sprintf("missed by %s, more than the grace period", now.Sub(at).Round(time.Minute))
			}
			skip = outcomeSkipped
			return tx.PutPost(Post{Guild: gid, Day: day, State: PostSkipped, ClaimedAt: now, Note: reason,
				QuestionID: p.QuestionID, Session: p.Session, Nonce: p.Nonce, Attempt: p.Attempt})
		}
		var sess Session
		var q Question
		if claimed && !retry {
			// A crash or failure after the claim: repeat the same post with the same nonce.
			var ok bool
			if sess, ok, err = tx.Session(gid, p.Session); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("quiz: daily post %d/%s: claimed session %d missing", gid, day, p.Session)
			}
			if q, ok, err = s.question(tx, g, p.QuestionID); err != nil {
				return err
			} else if !ok {
				skip = outcomeFailed
				p.State, p.Note = PostFailed, "question removed"
				return tx.PutPost(p)
			}
		} else {
			if q, err = s.pickDaily(tx, g); err != nil {
				return err
			}
			id, err := tx.NextSessionID(gid)
			if err != nil {
				return err
			}
			lang := d.Lang
			if lang == "" {
				lang = English
			}
			sess = Session{Guild: gid, ID: id, QuestionID: q.ID, Topic: "", Channel: d.Channel, OpenedAt: now,
				Daily: day, Lang: lang, State: SessionOpen, RevealAt: s.dailyRevealAt(d, at, day)}
			if err := tx.PutSession(sess); err != nil {
				return err
			}
			attempt := 0
			if retry {
				attempt = p.Attempt + 1
			}
			// A retry after a failure needs its own nonce: the first one may still be remembered.
			p = Post{Guild: gid, Day: day, QuestionID: q.ID, Session: id, Nonce: nonce("daily", gid.String(), day.String(), strconv.Itoa(attempt)),
				State: PostClaimed, ClaimedAt: now, Attempt: attempt}
			if err := tx.PutPost(p); err != nil {
				return err
			}
		}
		post = QuestionPost{Guild: gid, Channel: sess.Channel, Session: sess, Question: q, Lang: sess.Lang, Day: day, Role: d.Role, Nonce: p.Nonce}
		return nil
	})
	if err != nil {
		log.Error("daily post: claim failed", "err", err)
		return outcomeFailed
	}
	if skip == outcomeSkipped && !force {
		log.Info("daily post skipped (late, paused or skipped by a moderator)")
	}
	if skip != outcomeNone {
		return skip
	}
	msg, perr := pub.PostQuestion(ctx, post)
	var notify *Daily
	err = s.store.Batch(context.WithoutCancel(ctx), func(tx Tx) error {
		notify = nil
		p, _, err := tx.Post(gid, day)
		if err != nil {
			return err
		}
		if p.State == PostSent || p.Nonce != post.Nonce {
			// Another run (a concurrent /daily now) already settled this day.
			return nil
		}
		if perr != nil {
			if !permanent(perr) {
				return nil // stays claimed; the next run retries with the same nonce
			}
			p.State, p.Note = PostFailed, ErrorMessage(perr)
			if err := tx.PutPost(p); err != nil {
				return err
			}
			g, _, err := tx.Guild(gid)
			if err != nil {
				return err
			}
			g.Daily.Paused = true
			g.Daily.PauseReason = ErrorMessage(perr)
			d := g.Daily
			notify = &d
			return tx.PutGuild(g)
		}
		p.State, p.Message, p.SentAt = PostSent, msg, s.now()
		if err := tx.PutPost(p); err != nil {
			return err
		}
		sess, ok, err := tx.Session(gid, p.Session)
		if err != nil || !ok {
			return err
		}
		sess.Message = msg
		if err := tx.PutSession(sess); err != nil {
			return err
		}
		if sess.RevealAt.IsZero() {
			return nil
		}
		return tx.PutDue(Due{At: sess.RevealAt, Guild: gid, Session: sess.ID})
	})
	if err != nil {
		log.Error("daily post: record failed", "err", err)
		return outcomeFailed
	}
	if perr != nil {
		log.Warn("daily post failed", "err", perr, "permanent", permanent(perr))
		if notify != nil && notify.SetBy != 0 {
			text := fmt.Sprintf("The daily interview question is paused: %s Fix it and use /daily resume, or run /daily setup with another channel.", notify.PauseReason)
			if err := pub.Notify(ctx, gid, notify.SetBy, text); err != nil && !errors.Is(err, context.Canceled) {
				log.Warn("daily post: could not notify the moderator", "err", err)
			}
		}
		return outcomeFailed
	}
	log.Info("daily post sent", "message_id", msg, "question_id", post.Question.ID)
	return outcomePosted
}

// dailyRevealAt is when a daily post's answer is revealed: reveal_after (default 12 h) after
// the post, and at the latest a minute before the next post.
func (s *Service) dailyRevealAt(d Daily, at time.Time, day Day) time.Time {
	after := d.RevealAfter
	if after <= 0 {
		after = DefaultDailyRevealAfter
	}
	r := at.Add(after)
	hh, mm, _ := ParseClock(d.At)
	if next := (day + 1).At(hh, mm, s.location(d.TZ)).Add(-time.Minute); r.After(next) {
		r = next
	}
	return r
}

// pickDaily chooses a question no daily post of g used yet, from the chosen topics; when all
// were used it starts a new cycle (but never repeats the previous post).
func (s *Service) pickDaily(tx Tx, g Guild) (Question, error) {
	b, err := s.bankFor(tx, g)
	if err != nil {
		return Question{}, err
	}
	var cands []Question
	if len(g.Daily.Topics) == 0 {
		cands = b.Questions("")
	} else {
		for _, t := range g.Daily.Topics {
			cands = append(cands, b.Questions(t)...)
		}
	}
	if len(cands) == 0 {
		return Question{}, Errorf(ENOTFOUND, "The daily topics have no questions.")
	}
	posts, err := tx.Posts(g.ID)
	if err != nil {
		return Question{}, err
	}
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
		// Every question was posted: the next cycle starts with the ones posted longest ago.
		fresh = slices.Clone(cands)
		slices.SortStableFunc(fresh, func(a, b Question) int { return used[a.ID] - used[b.ID] })
		fresh = fresh[:max(1, len(fresh)/2)]
	}
	return fresh[s.intn(len(fresh))], nil
}

// CheckModerator returns EFORBIDDEN unless a may moderate; adapters call it before opening a
// form, and every change checks again inside its transaction.
func (s *Service) CheckModerator(ctx context.Context, a Actor) error {
	return s.store.View(ctx, func(tx Tx) error { return s.requireModerator(tx, a) })
}

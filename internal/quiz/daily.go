package quiz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DailyPosts is the daily question: moderators' /daily commands, and the scheduler's jobs
// that post it (RunDaily) and reveal answers when they are due (RunDue).
type DailyPosts struct{ *core }

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

// Setup configures the actor's server's daily post. Moderators only.
// Returns EINVALID for a bad time, zone, days, reveal_after or channel, ENOTFOUND for an unknown topic.
func (d *DailyPosts) Setup(ctx context.Context, a Actor, r DailyRequest) (Daily, error) {
	sch, err := checkDailyRequest(r)
	if err != nil {
		return Daily{}, err
	}
	var out Daily
	err = d.store.Update(ctx, d.asModerator(a, func(tx Tx, g Guild) error {
		b, err := d.bankFor(tx, g)
		if err != nil {
			return err
		}
		topics, err := dailyTopics(b, r.Topics)
		if err != nil {
			return err
		}
		g.ID = a.Guild
		g.Daily = Daily{Enabled: true, Channel: r.Channel, At: fmt.Sprintf("%02d:%02d", sch.hh, sch.mm), TZ: sch.loc.String(),
			Topics: topics, Weekdays: sch.days, RevealAfter: r.RevealAfter, Role: r.Role, SetBy: a.User, SetAt: d.now(),
			Lang: a.lang(Member{})}
		if m, ok, err := tx.Member(a.Guild, a.User); err == nil && ok {
			g.Daily.Lang = a.lang(m)
		}
		if g.TZ == "" {
			g.TZ = sch.loc.String()
		}
		out = g.Daily
		return tx.PutGuild(g)
	}))
	return out, err
}

// DailyStatus is what /daily show reports.
type DailyStatus struct {
	Daily Daily
	Next  time.Time // the next post; zero if paused or off
	Last  *Post
}

// Show returns the schedule and its next post. Returns ENOTFOUND when none is set up.
func (d *DailyPosts) Show(ctx context.Context, a Actor) (DailyStatus, error) {
	var out DailyStatus
	err := d.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if !g.Daily.Enabled {
			return Errorf(ENOTFOUND, "daily.not_set_up")
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
			out.Next = nextPost(g.Daily, d.location(g.Daily.TZ), d.now(), posts)
		}
		return nil
	})
	return out, err
}

// Pause pauses or resumes the daily post. Moderators only.
func (d *DailyPosts) Pause(ctx context.Context, a Actor, pause bool) (Daily, error) {
	return d.change(ctx, a, func(_ Tx, daily *Daily) error {
		daily.Paused = pause
		daily.PauseReason = ""
		return nil
	})
}

// Skip skips the next daily post. Moderators only. Returns EINVALID when none is coming.
func (d *DailyPosts) Skip(ctx context.Context, a Actor) (Day, error) {
	var skipped Day
	_, err := d.change(ctx, a, func(tx Tx, daily *Daily) error {
		posts, err := tx.Posts(a.Guild)
		if err != nil {
			return err
		}
		loc := d.location(daily.TZ)
		next := nextPost(*daily, loc, d.now(), posts)
		if next.IsZero() {
			return Errorf(EINVALID, "daily.nothing_to_skip")
		}
		skipped = DayOf(next, loc)
		daily.Skip = skipped
		return nil
	})
	return skipped, err
}

// change applies fn to the schedule of a moderator's server in one transaction.
// Returns ENOTFOUND when none is set up.
func (d *DailyPosts) change(ctx context.Context, a Actor, fn func(Tx, *Daily) error) (Daily, error) {
	var out Daily
	err := d.store.Update(ctx, d.asModerator(a, func(tx Tx, g Guild) error {
		if err := dailyEnabled(g); err != nil {
			return err
		}
		if err := fn(tx, &g.Daily); err != nil {
			return err
		}
		out = g.Daily
		return tx.PutGuild(g)
	}))
	return out, err
}

// DailyReport summarises one RunDaily pass.
type DailyReport struct {
	Posted, Skipped, Failed int
}

// RunDaily posts every server's daily question that is due: exactly once per (server, local
// day). Posts missed by less than the grace period are sent late; older ones are skipped and
// logged. Up to workers posts are in flight at once (the publisher enforces Discord's rate limits).
func (d *DailyPosts) RunDaily(ctx context.Context, workers int) (DailyReport, error) {
	jobs, err := d.dueDailies(ctx, d.now())
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
			outcome, _ := d.postDaily(ctx, j.g, j.day, j.at, false)
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

type dailyJob struct {
	g   GuildID
	day Day
	at  time.Time
}

// dueDailies returns the daily posts of every server that need posting at now.
func (d *DailyPosts) dueDailies(ctx context.Context, now time.Time) ([]dailyJob, error) {
	var jobs []dailyJob
	err := d.store.View(ctx, func(tx Tx) error {
		return tx.Guilds(func(g Guild) bool {
			for _, s := range dailySlots(g.Daily, d.location(g.Daily.TZ), now) {
				p, ok, err := tx.Post(g.ID, s.day)
				if err == nil && needsPost(p, ok, s.at, g.Daily.SetAt) {
					jobs = append(jobs, dailyJob{g.ID, s.day, s.at})
				}
			}
			return true
		})
	})
	return jobs, err
}

type outcome int

const (
	outcomeNone outcome = iota
	outcomePosted
	outcomeSkipped
	outcomeFailed
)

// PostNow posts today's daily question now if it has not been posted. Moderators only.
// Returns ENOTFOUND when none is set up, ECONFLICT when today's was posted or skipped already,
// EINVALID when posting failed (/daily show says why).
func (d *DailyPosts) PostNow(ctx context.Context, a Actor) (Post, error) {
	now := d.now()
	var day Day
	err := d.store.View(ctx, d.asModerator(a, func(tx Tx, g Guild) error {
		if err := dailyEnabled(g); err != nil {
			return err
		}
		day = DayOf(now, d.location(g.Daily.TZ))
		p, ok, err := tx.Post(a.Guild, day)
		if err != nil {
			return err
		}
		if ok && p.State == PostSent {
			return Errorf(ECONFLICT, "daily.already_posted")
		}
		return nil
	}))
	if err != nil {
		return Post{}, err
	}
	switch outcome, p := d.postDaily(ctx, a.Guild, day, now, true); outcome {
	case outcomePosted:
		return p, nil
	case outcomeFailed:
		return Post{}, Errorf(EINVALID, "daily.post_failed")
	}
	return Post{}, Errorf(ECONFLICT, "daily.already_posted_or_skipped")
}

// postDaily runs one daily post, due at at: claim, post, record (see reveal.go). Claim and
// record are batched: when many servers share a posting minute their commits coalesce. It
// returns the post as recorded when it was sent.
func (d *DailyPosts) postDaily(ctx context.Context, gid GuildID, day Day, at time.Time, force bool) (outcome, Post) {
	log := d.log.With("guild_id", gid, "day", day.String())
	post, done, err := d.claimDaily(ctx, gid, day, at, force)
	if err != nil {
		log.Error("daily post: claim failed", "err", err)
		return outcomeFailed, Post{}
	}
	if done == outcomeSkipped && !force {
		log.Info("daily post skipped (late, paused or skipped by a moderator)")
	}
	if done != outcomeNone {
		return done, Post{}
	}
	msg, perr := d.opts.Publisher.PostQuestion(ctx, post)
	p, paused, err := d.recordDaily(ctx, gid, day, post.Nonce, msg, perr)
	if err != nil {
		log.Error("daily post: record failed", "err", err)
		return outcomeFailed, Post{}
	}
	if perr != nil {
		log.Warn("daily post failed", "err", perr, "permanent", permanent(perr))
		d.notifyPaused(ctx, log, gid, paused)
		return outcomeFailed, Post{}
	}
	log.Info("daily post sent", "message_id", msg, "question_id", post.Question.ID)
	return outcomePosted, p
}

// claimDaily decides day's post and claims it: the question and its session, recorded before
// posting. done is the outcome when there is nothing to post.
func (d *DailyPosts) claimDaily(ctx context.Context, gid GuildID, day Day, at time.Time, force bool) (post QuestionPost, done outcome, err error) {
	err = d.store.Batch(ctx, func(tx Tx) error {
		post, done = QuestionPost{}, outcomeNone
		g, _, err := tx.Guild(gid)
		if err != nil {
			return err
		}
		p, found, err := tx.Post(gid, day)
		if err != nil {
			return err
		}
		now := d.now()
		act := nextDailyAction(g.Daily, p, found, day, at, now, d.opts.Grace, force)
		var sess Session
		var q Question
		switch act.kind {
		case dailyNothing:
			done = outcomeSkipped
			return nil
		case dailySkip:
			done = outcomeSkipped
			return tx.PutPost(Post{Guild: gid, Day: day, State: PostSkipped, ClaimedAt: now, Note: act.note,
				QuestionID: p.QuestionID, Session: p.Session, Nonce: p.Nonce, Attempt: p.Attempt})
		case dailyRepeat:
			if sess, q, done, err = d.claimed(tx, g, gid, p); err != nil || done != outcomeNone {
				return err
			}
		case dailyPost:
			if sess, q, p, err = d.claim(tx, g, gid, day, at, now, act.attempt); err != nil {
				return err
			}
		}
		post = QuestionPost{Guild: gid, Channel: sess.Channel, Session: sess, Question: q, Lang: sess.Lang, Day: day, Role: g.Daily.Role, Nonce: p.Nonce}
		return nil
	})
	return post, done, err
}

// claimed returns the session and question of a claim left by a crash or a failure, to repeat
// the same post with the same nonce. A question removed since fails the post.
func (d *DailyPosts) claimed(tx Tx, g Guild, gid GuildID, p Post) (Session, Question, outcome, error) {
	sess, ok, err := tx.Session(gid, p.Session)
	if err != nil {
		return Session{}, Question{}, outcomeNone, err
	}
	if !ok {
		return Session{}, Question{}, outcomeNone, fmt.Errorf("quiz: daily post %d/%s: claimed session %d missing", gid, p.Day, p.Session)
	}
	q, ok, err := d.question(tx, g, p.QuestionID)
	if err != nil || ok {
		return sess, q, outcomeNone, err
	}
	p.State, p.Note = PostFailed, "question removed"
	return Session{}, Question{}, outcomeFailed, tx.PutPost(p)
}

// claim picks a new daily question for g (gid) on day and records the claim: its session and
// the post, with attempt's nonce.
func (d *DailyPosts) claim(tx Tx, g Guild, gid GuildID, day Day, at, now time.Time, attempt int) (Session, Question, Post, error) {
	q, err := d.pickDaily(tx, g)
	if err != nil {
		return Session{}, Question{}, Post{}, err
	}
	id, err := tx.NextSessionID(gid)
	if err != nil {
		return Session{}, Question{}, Post{}, err
	}
	sess := dailySession(g.Daily, d.location(g.Daily.TZ), gid, id, q, day, at, now)
	if err := tx.PutSession(sess); err != nil {
		return Session{}, Question{}, Post{}, err
	}
	p := Post{Guild: gid, Day: day, QuestionID: q.ID, Session: id, Nonce: dailyNonce(gid, day, attempt),
		State: PostClaimed, ClaimedAt: now, Attempt: attempt}
	return sess, q, p, tx.PutPost(p)
}

// pickDaily chooses g's next daily question (see chooseDaily).
// Returns ENOTFOUND when the daily topics have no questions.
func (d *DailyPosts) pickDaily(tx Tx, g Guild) (Question, error) {
	b, err := d.bankFor(tx, g)
	if err != nil {
		return Question{}, err
	}
	cands := dailyCandidates(b, g.Daily.Topics)
	if len(cands) == 0 {
		return Question{}, Errorf(ENOTFOUND, "daily.topics_empty")
	}
	posts, err := tx.Posts(g.ID)
	if err != nil {
		return Question{}, err
	}
	return chooseDaily(cands, posts, d.intn), nil
}

// recordDaily records the outcome of posting day's claimed question (claimed with nonce; perr
// is the publisher's error). It returns the day's post as recorded, and the schedule when a
// permanent failure paused it.
func (d *DailyPosts) recordDaily(ctx context.Context, gid GuildID, day Day, nonce string, msg MessageID, perr error) (Post, *Daily, error) {
	var (
		out    Post
		paused *Daily
	)
	err := d.store.Batch(context.WithoutCancel(ctx), func(tx Tx) error {
		paused = nil
		p, _, err := tx.Post(gid, day)
		if err != nil {
			return err
		}
		out = p
		switch afterDaily(p, nonce, perr) {
		case dailyFailed:
			if paused, err = pauseDaily(tx, gid, perr); err != nil {
				return err
			}
			p.State, p.Note = PostFailed, paused.PauseReason
			out = p
			return tx.PutPost(p)
		case dailySent:
			p.State, p.Message, p.SentAt = PostSent, msg, d.now()
			out = p
			if err := tx.PutPost(p); err != nil {
				return err
			}
			return sentDaily(tx, gid, p.Session, msg)
		}
		return nil
	})
	return out, paused, err
}

// pauseDaily pauses gid's schedule for the error perr, said in the schedule's language (the
// language of the moderator who set it up, who is told), and returns it.
func pauseDaily(tx GuildTx, gid GuildID, perr error) (*Daily, error) {
	g, _, err := tx.Guild(gid)
	if err != nil {
		return nil, err
	}
	g.Daily.Paused = true
	g.Daily.PauseReason = ErrorMessageIn(perr, g.Daily.Lang)
	d := g.Daily
	return &d, tx.PutGuild(g)
}

// sentDaily records that a daily post's session was posted as msg, and queues its reveal.
func sentDaily(tx SessionTx, gid GuildID, sid SessionID, msg MessageID) error {
	sess, ok, err := tx.Session(gid, sid)
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
}

// notifyPaused tells the moderator who set up a schedule that a failure paused it, best effort.
func (d *DailyPosts) notifyPaused(ctx context.Context, log *slog.Logger, gid GuildID, paused *Daily) {
	if paused == nil || paused.SetBy == 0 {
		return
	}
	if err := d.opts.Publisher.Notify(ctx, gid, paused.SetBy, pausedNotice(*paused)); err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("daily post: could not notify the moderator", "err", err)
	}
}

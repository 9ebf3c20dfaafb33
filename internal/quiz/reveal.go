package quiz

import (
	"context"
	"errors"
	"time"
)

// A reveal posts a session's reference answer under its question in three steps: claim (the
// reveal is due: an entry in the due queue), post (outside any transaction, with a nonce
// derived from the session), record (store the message id and drop the due entry). A crash
// between the steps leaves the due entry, so the next run repeats the post with the same nonce.

// revealAction is what to do with a due reveal.
type revealAction int

const (
	revealDrop revealAction = iota // nothing to reveal: drop the due entry
	revealLate                     // missed by more than the grace: drop it, leave the session open
	revealPost                     // post it
)

// revealDecision decides a due reveal d of sess (found is false when the session is gone) at
// now. Lateness (the bot was down) counts from when the reveal was due, and only before the
// first try; retries are bounded by maxRevealTries instead. late is how late a late one is.
func revealDecision(sess Session, found bool, d Due, now time.Time, grace time.Duration) (act revealAction, late time.Duration) {
	if !found || sess.RevealMessage != 0 || sess.Message == 0 {
		// Gone, done, or never posted publicly: nothing to reveal.
		return revealDrop, 0
	}
	due := sess.RevealAt
	if due.IsZero() {
		due = d.At
	}
	if late := now.Sub(due); sess.RevealTries == 0 && late > grace {
		return revealLate, late
	}
	return revealPost, 0
}

// revealStep is what to record after trying to post a reveal.
type revealStep int

const (
	revealGiveUp revealStep = iota // failed for good (or the session is gone): drop the due entry
	revealRetry                    // failed for now: try again in retryDelay, with the same nonce
	revealDone                     // posted: the session is revealed
)

// afterReveal decides what a reveal's post (perr is its error) does to sess. On a permanent
// failure or too many tries the session stays open: nothing was posted, and its Close button
// can still post the answer.
func afterReveal(sess Session, found bool, perr error) revealStep {
	switch {
	case !found:
		return revealGiveUp
	case perr == nil:
		return revealDone
	case !permanent(perr) && sess.RevealTries < maxRevealTries:
		return revealRetry
	}
	return revealGiveUp
}

// revealPostOf is the post of the answer q to g's session sess, under its question message.
func revealPostOf(g GuildID, sess Session, q Question) RevealPost {
	return RevealPost{Guild: g, Channel: sess.Channel, ReplyTo: sess.Message, Session: sess,
		Question: q, Lang: sess.Lang, Answers: sess.Answers, Nonce: nonce("reveal", g.String(), sess.ID.String())}
}

// CloseRequest says which session to close.
type CloseRequest struct {
	Session SessionID
	// Channel and Message are the public message the Close button was on, if the adapter knows
	// it: recorded as the session's message when the session has none yet (SetSessionMessage).
	Channel ChannelID
	Message MessageID
}

// Close reveals a public session's answer now, in one transaction to claim the reveal, the
// post, and one to record it. It returns the session as recorded, with its question, for the
// question message to show its new state. Only the member who opened it, or a moderator, may
// close it. Returns ENOTFOUND for an unknown session, EFORBIDDEN for others, EINVALID for
// private sessions, ECONFLICT if the answer is already out, or the publisher's error.
func (p *Practice) Close(ctx context.Context, a Actor, r CloseRequest) (Session, Question, error) {
	if err := p.pending.wait(ctx, a.Guild, r.Session); err != nil {
		return Session{}, Question{}, err
	}
	now := p.now()
	var post RevealPost
	err := p.store.Update(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, r.Session)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "session.gone")
		}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if !mayClose(a, sess, g) {
			return Errorf(EFORBIDDEN, "session.close_forbidden")
		}
		if r.Message != 0 {
			if sess, err = attachMessage(tx, a.Guild, sess, r.Channel, r.Message); err != nil {
				return err
			}
			if sess.Message != r.Message {
				// A forged Close on another message would rewrite that message as this question.
				return Errorf(EINVALID, "error.this_button_is_not_on")
			}
		}
		if err := closable(sess); err != nil {
			return err
		}
		q, err := p.sessionQuestion(tx, g, sess)
		if err != nil {
			return err
		}
		if !sess.RevealAt.IsZero() {
			if err := tx.DeleteDue(Due{At: sess.RevealAt, Guild: a.Guild, Session: sess.ID}); err != nil {
				return err
			}
		}
		sess.RevealAt = now
		if err := tx.PutSession(sess); err != nil {
			return err
		}
		post = revealPostOf(a.Guild, sess, q)
		post.Closed = true
		return tx.PutDue(Due{At: now, Guild: a.Guild, Session: sess.ID})
	})
	if err != nil {
		return Session{}, Question{}, err
	}
	sess, perr, err := p.publishReveal(ctx, Due{At: now, Guild: a.Guild, Session: r.Session}, post)
	if perr != nil {
		return Session{}, Question{}, perr
	}
	return sess, post.Question, err
}

// Reveal batches: each RunDue takes at most dueBatch reveals, at most duePerGuild of them from
// one server, and posts them round-robin across servers, so one server's backlog delays the
// others by at most one post per round.
const (
	dueBatch    = 1000
	duePerGuild = 100
)

// RunDue posts the reference answers of every session whose reveal time has come, fairly
// across servers (see fairOrder). A reveal missed by more than the grace period (the bot was
// down) is skipped and logged. It returns the number of reveals posted; one failure does not
// stop the others.
func (d *DailyPosts) RunDue(ctx context.Context) (int, error) {
	now := d.now()
	var due []Due
	if err := d.store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.DueUntilPerGuild(now, duePerGuild, dueBatch)
		return err
	}); err != nil {
		return 0, err
	}
	posted := 0
	var errs []error
	for _, e := range fairOrder(due) {
		if ctx.Err() != nil {
			break
		}
		if _, mock := dueMock(e); mock {
			continue // a mock's deadline: Mocks.RunMockTimeouts ends it
		}
		ok, err := d.reveal(ctx, e)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			posted++
		}
	}
	return posted, errors.Join(errs...)
}

// fairOrder interleaves due entries round-robin by server: each server's earliest, then each
// one's second, and so on; servers take turns in the order of their earliest entry.
func fairOrder(due []Due) []Due {
	var guilds []GuildID
	byGuild := map[GuildID][]Due{}
	for _, e := range due {
		if _, seen := byGuild[e.Guild]; !seen {
			guilds = append(guilds, e.Guild)
		}
		byGuild[e.Guild] = append(byGuild[e.Guild], e)
	}
	out := make([]Due, 0, len(due))
	for round := 0; len(out) < len(due); round++ {
		for _, g := range guilds {
			if q := byGuild[g]; round < len(q) {
				out = append(out, q[round])
			}
		}
	}
	return out
}

// reveal runs one due reveal: claim, post, record. A failed post is logged, not returned: it
// is retried or given up on by the record step.
func (c *core) reveal(ctx context.Context, d Due) (bool, error) {
	var (
		post RevealPost
		act  revealAction
		late time.Duration
	)
	err := c.store.Update(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(d.Guild, d.Session)
		if err != nil {
			return err
		}
		if act, late = revealDecision(sess, ok, d, c.now(), c.opts.Grace); act != revealPost {
			return tx.DeleteDue(d)
		}
		g, _, err := tx.Guild(d.Guild)
		if err != nil {
			return err
		}
		q, ok, err := c.question(tx, g, sess.QuestionID)
		if err != nil {
			return err
		}
		if !ok {
			act = revealDrop
			return tx.DeleteDue(d)
		}
		// No state changes before the post: a concurrent Close and scheduled run may both
		// post, with the same nonce, and Discord keeps one message.
		post = revealPostOf(d.Guild, sess, q)
		return nil
	})
	if act == revealLate {
		c.log.Warn("reveal skipped: missed by more than the grace period", "guild_id", d.Guild, "session_id", d.Session,
			"late", late.Round(time.Second).String())
	}
	if err != nil || act != revealPost {
		return false, err
	}
	_, perr, err := c.publishReveal(ctx, d, post)
	if perr != nil {
		return false, nil
	}
	return err == nil, err
}

// publishReveal posts a claimed reveal and records the outcome. perr is the publisher's error,
// err the record's.
func (c *core) publishReveal(ctx context.Context, d Due, post RevealPost) (sess Session, perr, err error) {
	log := c.log.With("guild_id", d.Guild, "session_id", d.Session)
	msg, perr := c.opts.Publisher.PostReveal(ctx, post)
	err = c.store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		s, ok, err := tx.Session(d.Guild, d.Session)
		if err != nil {
			return err
		}
		switch afterReveal(s, ok, perr) {
		case revealRetry:
			s.RevealTries++
			if err := tx.PutSession(s); err != nil {
				return err
			}
			if err := tx.DeleteDue(d); err != nil {
				return err
			}
			sess = s
			return tx.PutDue(Due{At: c.now().Add(retryDelay), Guild: d.Guild, Session: d.Session})
		case revealDone:
			s.State, s.RevealMessage = SessionRevealed, msg
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		sess = s
		return tx.DeleteDue(d)
	})
	if perr != nil {
		log.Warn("reveal not posted", "err", perr, "permanent", permanent(perr))
		return sess, perr, nil
	}
	if err == nil {
		log.Info("reveal posted", "message_id", msg)
	}
	return sess, nil, err
}

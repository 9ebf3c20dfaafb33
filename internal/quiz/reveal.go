package quiz

import (
	"context"
	"errors"

	"time"
)

// RunDue posts the reference answers of every session whose reveal time has come. A reveal
// missed by more than the grace period (the bot was down) is skipped and logged. It returns the
// number of reveals posted; one failure does not stop the others.
func (s *Service) RunDue(ctx context.Context, pub Publisher) (int, error) {
	now := s.now()
	var due []Due
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.DueUntil(now, 1000)
		return err
	}); err != nil {
		return 0, err
	}
	posted := 0
	var errs []error
	for _, d := range due {
		if ctx.Err() != nil {
			break
		}
		ok, err := s.reveal(ctx, pub, d, false)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			posted++
		}
	}
	return posted, errors.Join(errs...)
}

// CloseSession reveals a public session's answer now. Only the member who opened it, or a
// moderator, may close it. Returns EFORBIDDEN for others, EINVALID for private sessions.
func (s *Service) CloseSession(ctx context.Context, a Actor, sid SessionID, pub Publisher) error {
	now := s.now()
	var d Due
	err := s.store.Update(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "This question session no longer exists.")
		}
		if sess.OpenedBy != a.User || sess.Daily != 0 {
			if ok, err := s.isModerator(tx, a); err != nil {
				return err
			} else if !ok {
				return Errorf(EFORBIDDEN, "Only the member who asked this question, or a moderator, can close it.")
			}
		}
		if sess.Private || sess.Channel == 0 || sess.Message == 0 {
			return Errorf(EINVALID, "This session is private: there is nothing to reveal publicly.")
		}
		if sess.State == SessionRevealed {
			return Errorf(ECONFLICT, "The answer to this question has already been posted.")
		}
		if !sess.RevealAt.IsZero() {
			if err := tx.DeleteDue(Due{At: sess.RevealAt, Guild: a.Guild, Session: sid}); err != nil {
				return err
			}
		}
		sess.RevealAt = now
		d = Due{At: now, Guild: a.Guild, Session: sid}
		if err := tx.PutSession(sess); err != nil {
			return err
		}
		return tx.PutDue(d)
	})
	if err != nil {
		return err
	}
	_, err = s.reveal(ctx, pub, d, true)
	return err
}

// reveal runs one due reveal in three steps: claim (mark the session revealed), post (outside
// any transaction, with a nonce derived from the session), record (store the message id and
// drop the due entry). A crash between the steps leaves the due entry, so the next run repeats
// the post with the same nonce.
func (s *Service) reveal(ctx context.Context, pub Publisher, d Due, now bool) (bool, error) {
	var (
		post   RevealPost
		skip   bool
		lateBy time.Duration
	)
	log := s.log.With("guild_id", d.Guild, "session_id", d.Session)
	err := s.store.Update(ctx, func(tx Tx) error {
		skip = false
		sess, ok, err := tx.Session(d.Guild, d.Session)
		if err != nil {
			return err
		}
		if !ok || sess.RevealMessage != 0 || sess.Message == 0 {
			// Gone, done, or never posted publicly: nothing to reveal.
			skip = true
			return tx.DeleteDue(d)
		}
		// Lateness (the bot was down) counts from when the reveal was due, and only before the
		// first try; retries are bounded by maxRevealTries instead. A skipped reveal leaves the
		// session open, so its Close button can still post the answer.
		due := sess.RevealAt
		if due.IsZero() {
			due = d.At
		}
		lateBy = 0
		if late := s.now().Sub(due); !now && sess.RevealTries == 0 && late > s.opts.Grace {
			skip, lateBy = true, late
			return tx.DeleteDue(d)
		}
		g, _, err := tx.Guild(d.Guild)
		if err != nil {
			return err
		}
		q, ok, err := s.question(tx, g, sess.QuestionID)
		if err != nil {
			return err
		}
		if !ok {
			skip = true
			return tx.DeleteDue(d)
		}
		// No state changes before the post: a concurrent Close and scheduled run may both
		// post, with the same nonce, and Discord keeps one message.
		post = RevealPost{Guild: d.Guild, Channel: sess.Channel, ReplyTo: sess.Message, Session: sess,
			Question: q, Lang: sess.Lang, Answers: sess.Answers, Nonce: nonce("reveal", d.Guild.String(), d.Session.String())}
		return nil
	})
	if lateBy > 0 {
		log.Warn("reveal skipped: missed by more than the grace period", "late", lateBy.Round(time.Second).String())
	}
	if err != nil || skip {
		return false, err
	}
	msg, perr := pub.PostReveal(ctx, post)
	err = s.store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		sess, ok, err := tx.Session(d.Guild, d.Session)
		if err != nil {
			return err
		}
		if perr != nil && !permanent(perr) && ok && sess.RevealTries < maxRevealTries {
			// Try again later, with the same nonce.
			sess.RevealTries++
			if err := tx.PutSession(sess); err != nil {
				return err
			}
			if err := tx.DeleteDue(d); err != nil {
				return err
			}
			return tx.PutDue(Due{At: s.now().Add(retryDelay), Guild: d.Guild, Session: d.Session})
		}
		if ok && perr == nil {
			sess.State, sess.RevealMessage = SessionRevealed, msg
			if err := tx.PutSession(sess); err != nil {
				return err
			}
		}
		// On a permanent failure or too many tries the session stays open: nothing was posted.
		return tx.DeleteDue(d)
	})
	if perr != nil {
		log.Warn("reveal not posted", "err", perr, "permanent", permanent(perr))
		if now {
			return false, perr
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	log.Info("reveal posted", "message_id", msg)
	return true, nil
}

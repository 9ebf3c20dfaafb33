package quiz

import (
	"context"
	"time"
)

// Bounded storage (issue 12): a session is needed until its answer is revealed and for a grace
// period after, while its buttons may still be clicked; then Prune deletes it. Attempts and
// cards are members' history and stay until /privacy delete.

// SessionKeep is how long a session is kept after its reveal (after it was opened, for a
// session with no public reveal). Buttons on an older message answer "this question session no
// longer exists".
const SessionKeep = 7 * 24 * time.Hour

// PruneBatch bounds the keys one prune transaction deletes (a session and its due entry are
// two), so the writer is never held long.
const PruneBatch = 500

// pruneScan bounds the sessions one prune transaction reads without finding enough to delete.
const pruneScan = 5000

// sessionExpired reports whether sess may be deleted at now: SessionKeep has passed since its
// reveal time, or since it was opened when it has none.
func sessionExpired(sess Session, now time.Time) bool {
	end := sess.RevealAt
	if end.IsZero() || end.Before(sess.OpenedAt) {
		end = sess.OpenedAt
	}
	return !end.Add(SessionKeep).After(now)
}

// PruneReport is what one Prune did.
type PruneReport struct {
	Sessions     int // sessions deleted (each with its due entry)
	Transactions int // write transactions used (each deletes at most PruneBatch keys)
}

// Prune deletes the sessions that expired by now (sessionExpired), with their due entries,
// oldest first, guild by guild, in transactions of at most PruneBatch keys. Session ids grow
// with time, so each guild's scan starts at its first session and stops at the first one
// opened less than SessionKeep ago (no later session can have expired). It stops early, with
// ctx's error, when ctx is done; the next run carries on.
func (d *DailyPosts) Prune(ctx context.Context, now time.Time) (PruneReport, error) {
	var rep PruneReport
	var guilds []GuildID
	if err := d.store.View(ctx, func(tx Tx) error {
		var err error
		guilds, err = tx.SessionGuilds()
		return err
	}); err != nil {
		return rep, err
	}
	for _, g := range guilds {
		from := SessionID(0)
		for {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			// Read in a View, delete in an Update: most runs find nothing, and an empty write
			// transaction would still cost a commit per guild.
			var (
				doomed []Session
				next   SessionID
				done   bool
			)
			err := d.store.View(ctx, func(tx Tx) error {
				doomed, next, done = nil, 0, true
				scanned := 0
				return tx.Sessions(g, from, func(s Session) bool {
					if s.OpenedAt.Add(SessionKeep).After(now) {
						return false
					}
					if sessionExpired(s, now) {
						doomed = append(doomed, s)
					}
					scanned++
					if 2*len(doomed) >= PruneBatch || scanned >= pruneScan {
						next, done = s.ID+1, false
						return false
					}
					return true
				})
			})
			if err != nil {
				return rep, err
			}
			n := 0
			if len(doomed) > 0 {
				err = d.store.Update(ctx, func(tx Tx) error {
					n = 0
					for _, s := range doomed {
						// Look again: the session may have changed since the View.
						cur, ok, err := tx.Session(g, s.ID)
						if err != nil {
							return err
						}
						if !ok || !sessionExpired(cur, now) {
							continue
						}
						if err := tx.DeleteSession(g, s.ID); err != nil {
							return err
						}
						if !cur.RevealAt.IsZero() && cur.RevealAt.UnixMilli() >= 0 {
							if err := tx.DeleteDue(Due{At: cur.RevealAt, Guild: g, Session: s.ID}); err != nil {
								return err
							}
						}
						n++
					}
					return nil
				})
				if err != nil {
					return rep, err
				}
				rep.Transactions++
			}
			rep.Sessions += n
			if done {
				break
			}
			from = next
		}
	}
	if rep.Sessions > 0 {
		d.log.Info("pruned sessions", "sessions", rep.Sessions, "transactions", rep.Transactions)
	}
	return rep, nil
}

package quiz

import "slices"

// mayModerate reports whether a may manage g's bot settings and bank: the platform's Manage
// Server permission or its own grant (Actor.Moderator), or a moderator role set with
// /settings moderator-role. Every moderator check goes through here.
func mayModerate(a Actor, g Guild) bool {
	if a.Manager || a.Moderator {
		return true
	}
	for _, r := range a.Roles {
		if slices.Contains(g.ModRoles, r) {
			return true
		}
	}
	return false
}

// maySee refuses a's use of another member's private session: its id says nothing about who
// may use it, and a forged button or form can carry any id.
func maySee(a Actor, sess Session) error {
	if sess.Private && sess.OpenedBy != a.User {
		return Errorf(EFORBIDDEN, "error.this_question_is_private_to")
	}
	return nil
}

// mayClose reports whether a may close sess early: the member who asked it (not a daily post,
// which belongs to the server), or a moderator.
func mayClose(a Actor, sess Session, g Guild) bool {
	return (sess.OpenedBy == a.User && sess.Daily == 0) || mayModerate(a, g)
}

// moderator returns a's server if a may moderate it.
// Returns EINVALID outside a server, EFORBIDDEN for a member who may not moderate.
func (c *core) moderator(tx GuildTx, a Actor) (Guild, error) {
	if a.Guild == 0 {
		return Guild{}, Errorf(EINVALID, "guild.only")
	}
	g, _, err := tx.Guild(a.Guild)
	if err != nil {
		return Guild{}, err
	}
	if !mayModerate(a, g) {
		return Guild{}, Errorf(EFORBIDDEN, "mod.only")
	}
	return g, nil
}

// asModerator returns a transaction that runs fn with a's server if a may moderate it (see
// moderator).
func (c *core) asModerator(a Actor, fn func(tx Tx, g Guild) error) func(Tx) error {
	return func(tx Tx) error {
		g, err := c.moderator(tx, a)
		if err != nil {
			return err
		}
		return fn(tx, g)
	}
}

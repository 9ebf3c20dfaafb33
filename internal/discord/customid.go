package discord

import (
	"errors"
	"strconv"
	"strings"
)

// Custom IDs carry ids only, never state, plus a version, so buttons keep working after a
// restart or an upgrade: "v1:<action>:<id>[:<arg>]". The actions are the keys of actions.
const customIDVersion = "v1"

// customID is what a button or form carries back to the bot.
type customID struct {
	Action string // a key of actions
	// ID is the number the action is about: a session, a page, an import, a report, a draft or
	// a question version; each action's constant says which.
	ID  uint64
	Arg string // optional text, checked by the action's arg rule
}

func (c customID) String() string {
	s := customIDVersion + ":" + c.Action + ":" + strconv.FormatUint(c.ID, 10)
	if c.Arg != "" {
		s += ":" + c.Arg
	}
	return s
}

var errBadCustomID = errors.New("discord: unknown custom id")

// parseCustomID parses a custom ID sent back by Discord against the actions table. Anything not
// ours (an unknown version or action, a bad argument, another bot's format, a forged value) is
// an error.
func parseCustomID(s string) (customID, error) {
	if len(s) > 100 {
		return customID{}, errBadCustomID
	}
	parts := strings.SplitN(s, ":", 4)
	if len(parts) < 3 || parts[0] != customIDVersion {
		return customID{}, errBadCustomID
	}
	id, err := strconv.ParseUint(parts[2], 10, 64)
	if err != nil {
		return customID{}, errBadCustomID
	}
	c := customID{Action: parts[1], ID: id}
	if len(parts) == 4 {
		c.Arg = parts[3]
	}
	a, ok := actions[c.Action]
	if !ok || (a.arg != nil && !a.arg(c.Arg)) {
		return customID{}, errBadCustomID
	}
	return c, nil
}

package quiz

import (
	"fmt"
	"strings"
)

// MsgID names one sentence in the catalogue: "area.what", lower case, for example
// "bank.removed". Adapters render it in a member's language with Lang.Msg; errors carry one
// (Errorf) and are rendered at the edge. See the catalogue files (messages_*.go) for the texts.
type MsgID string

// Msg renders id in language l, formatting args with the id's verbs. An argument that is itself
// a MsgID is rendered in l too, so a sentence can name a translated word ("disabled").
//
// An id missing from the catalogue renders as itself, formatted as English: a string written on
// another branch before its entry existed keeps working, and TestCatalogue names it.
func (l Lang) Msg(id MsgID, args ...any) string {
	t, ok := catalogue[id]
	if !ok {
		t = Text{EN: string(id)}
	}
	if len(args) == 0 {
		return strings.ReplaceAll(t.In(l), "%%", "%") // what fmt would print
	}
	rendered := make([]any, len(args)) // args belongs to the caller
	for i, a := range args {
		if sub, ok := a.(MsgID); ok {
			a = l.Msg(sub)
		}
		rendered[i] = a
	}
	return fmt.Sprintf(t.In(l), rendered...)
}

// catalogue is every sentence a member or a moderator can see, in English and Chinese. It is
// built from one table per area (messages_*.go); TestCatalogue checks that every id has both
// languages with the same verbs, that every id is used, and that every id used exists.
var catalogue = mergeCatalogues(commonMessages, labelMessages, practiceMessages, memberMessages,
	moderationMessages, bankMessages, dailyMessages, consoleMessages)

func mergeCatalogues(parts ...map[MsgID]Text) map[MsgID]Text {
	all := map[MsgID]Text{}
	for _, p := range parts {
		for id, t := range p {
			if _, dup := all[id]; dup {
				panic("quiz: message id " + string(id) + " is in two catalogue tables")
			}
			all[id] = t
		}
	}
	return all
}

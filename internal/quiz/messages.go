package quiz

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// MsgID names one sentence in the catalogue: "area.what", lower case, for example
// "bank.removed". Adapters render it in a member's language with Lang.Msg; errors carry one
// (Errorf) and are rendered at the edge. The texts are in messages/*.json.
type MsgID string

// Msg renders id in language l, formatting args with the id's verbs. An argument that is itself
// a MsgID, or anything else with an In(Lang) string method (a Text, a question's problems), is
// rendered in l too, so a sentence can name a translated word ("disabled").
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
		if v, ok := a.(localized); ok {
			a = v.In(l)
		}
		rendered[i] = a
	}
	return fmt.Sprintf(t.In(l), rendered...)
}

// localized is a value that can be rendered in a language.
type localized interface{ In(Lang) string }

// In renders id in l with no arguments: a MsgID is localized.
func (id MsgID) In(l Lang) string { return l.Msg(id) }

// catalogue is every sentence a member or a moderator can see, in English and Chinese, read
// from one JSON table per area in messages/ ({"area.what": {"en": …, "zh": …}, …}).
// TestCatalogue checks that every id has both languages with the same verbs, that every id is
// used, and that every id used exists.
var catalogue = loadCatalogue(catalogueFiles)

//go:embed messages/*.json
var catalogueFiles embed.FS

// loadCatalogue reads the tables; a broken table or an id in two of them stops the program at
// start, and every test with it.
func loadCatalogue(fsys fs.FS) map[MsgID]Text {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil || len(names) == 0 {
		panic(fmt.Sprintf("quiz: no message tables: %v", err))
	}
	all := map[MsgID]Text{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err)
		}
		var part map[MsgID]Text
		if err := json.Unmarshal(data, &part); err != nil {
			panic(fmt.Sprintf("quiz: %s: %v", name, err))
		}
		for id, t := range part {
			if _, dup := all[id]; dup {
				panic(fmt.Sprintf("quiz: message id %s is in two tables (%s is one)", id, name))
			}
			all[id] = t
		}
	}
	return all
}

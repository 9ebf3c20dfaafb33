package quiz

import (
	"context"
	"slices"
)

// A server's bank is the shipped bank with that server's overlay applied: added and edited
// questions, disabled questions and topics, added topics. Built banks are cached per server
// and revision (Guild.BankRev), so only the first ask after a change pays for the merge.

// bankState is a server's effective bank at one revision, with what the quota checks and id
// autocomplete need, so that neither reads the whole overlay again.
type bankState struct {
	rev   uint64
	bank  *Bank
	ids   []string // every question id, disabled ones included, sorted
	added int      // the server's own questions, disabled ones included
}

// shippedState is the state of a server that changed nothing.
func shippedState(b *Bank) *bankState {
	st := &bankState{bank: b}
	if b == nil {
		return st
	}
	for _, q := range b.Questions("") {
		st.ids = append(st.ids, q.ID)
	}
	slices.Sort(st.ids)
	return st
}

// bankFor returns the effective bank of g.
func (c *core) bankFor(tx BankTx, g Guild) (*Bank, error) {
	st, err := c.stateFor(tx, g)
	if err != nil {
		return nil, err
	}
	return st.bank, nil
}

// stateFor returns the bank state of g at its stored revision, from the cache when it holds
// that revision; otherwise it reads g's whole overlay once.
func (c *core) stateFor(tx BankTx, g Guild) (*bankState, error) {
	if g.BankRev == 0 {
		return c.shipped, nil
	}
	if v, ok := c.banks.Load(g.ID); ok && v.(*bankState).rev == g.BankRev {
		return v.(*bankState), nil
	}
	entries, err := tx.OverlayQuestions(g.ID)
	if err != nil {
		return nil, err
	}
	topics, err := tx.OverlayTopics(g.ID)
	if err != nil {
		return nil, err
	}
	b, err := mergeBank(c.bank, topics, entries)
	if err != nil {
		return nil, err
	}
	st := &bankState{rev: g.BankRev, bank: b, ids: slices.Clone(c.shipped.ids)}
	for _, e := range entries {
		if _, shipped := c.bank.Question(e.QuestionID); !shipped && e.Added && e.Question != nil {
			st.ids = append(st.ids, e.QuestionID)
			st.added++
		}
	}
	slices.Sort(st.ids)
	c.banks.Store(g.ID, st)
	return st, nil
}

// state returns the bank state of server g in one short read.
func (c *core) state(ctx context.Context, g GuildID) (*bankState, error) {
	var st *bankState
	err := c.store.View(ctx, func(tx Tx) error {
		gd, _, err := tx.Guild(g)
		if err != nil {
			return err
		}
		st, err = c.stateFor(tx, gd)
		return err
	})
	return st, err
}

// guildBank returns the effective bank of server g in one short read.
func (c *core) guildBank(ctx context.Context, g GuildID) (*Bank, error) {
	var b *Bank
	err := c.store.View(ctx, func(tx Tx) error {
		gd, _, err := tx.Guild(g)
		if err != nil {
			return err
		}
		b, err = c.bankFor(tx, gd)
		return err
	})
	return b, err
}

// question finds a question of g's bank, including one the server disabled after it was asked.
// g must be the guild as stored (its BankRev decides which bank applies).
func (c *core) question(tx BankTx, g Guild, id string) (Question, bool, error) {
	b, err := c.bankFor(tx, g)
	if err != nil {
		return Question{}, false, err
	}
	if q, ok := b.Question(id); ok {
		return q, true, nil
	}
	if g.BankRev == 0 {
		return Question{}, false, nil
	}
	e, ok, err := tx.OverlayQuestion(g.ID, id)
	if err != nil {
		return Question{}, false, err
	}
	if ok && e.Question != nil {
		return *e.Question, true, nil
	}
	q, ok := c.bank.Question(id)
	return q, ok, nil
}

// mergeBank applies an overlay to a base bank.
func mergeBank(base *Bank, topics []TopicOverlay, entries []OverlayEntry) (*Bank, error) {
	byTopic := map[string]TopicOverlay{}
	for _, t := range topics {
		byTopic[t.Slug] = t
	}
	var ts []Topic
	for _, t := range base.Topics() {
		o, ok := byTopic[t.Slug]
		if ok && o.Disabled {
			continue
		}
		if ok && o.Title != nil {
			t.Title = *o.Title
		}
		ts = append(ts, t)
	}
	for _, o := range topics {
		if _, shipped := base.Topic(o.Slug); !shipped && !o.Disabled && o.Title != nil {
			ts = append(ts, Topic{Slug: o.Slug, Title: *o.Title})
		}
	}
	live := map[string]bool{}
	for _, t := range ts {
		live[t.Slug] = true
	}
	byID := map[string]OverlayEntry{}
	for _, e := range entries {
		byID[e.QuestionID] = e
	}
	var qs []Question
	for _, q := range base.Questions("") {
		if e, ok := byID[q.ID]; ok {
			if e.Disabled {
				continue
			}
			if e.Question != nil {
				q = *e.Question
			}
		}
		if live[q.Topic] {
			qs = append(qs, q)
		}
	}
	for _, e := range entries {
		if _, shipped := base.Question(e.QuestionID); shipped {
			// A server question whose id a newer release also ships: the server's text already
			// replaced the shipped one above, so it must not be added a second time.
			continue
		}
		if e.Added && !e.Disabled && e.Question != nil && live[e.Question.Topic] {
			qs = append(qs, *e.Question)
		}
	}
	return NewBank(ts, qs)
}

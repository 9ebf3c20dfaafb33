package quiz

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
)

// Moderation is what moderators do: change their server's bank, export and import it, read
// its history, handle members' reports, and choose who moderates.
type Moderation struct {
	*core
	imports *imports
}

// BankCodec reads and writes bank files (questions/<topic>.yaml); bot/ gives the bank package's.
type BankCodec interface {
	// Parse validates one topic file exactly like `bot check`; problems come back as an error
	// whose text lists them as "file:line: message".
	Parse(name string, data []byte) (Topic, []Question, error)
	Marshal(t Topic, qs []Question) ([]byte, error)
}

// CheckModerator returns EFORBIDDEN unless a may moderate (EINVALID outside a server);
// adapters call it before opening a form, and every change checks again inside its transaction.
func (m *Moderation) CheckModerator(ctx context.Context, a Actor) error {
	return m.store.View(ctx, m.asModerator(a, func(Tx, Guild) error { return nil }))
}

// SetModeratorRole sets (or with 0 clears) the role whose members may moderate. Only members
// with the platform's Manage Server permission may change it; others get EFORBIDDEN.
func (m *Moderation) SetModeratorRole(ctx context.Context, a Actor, role RoleID) error {
	if !a.Manager {
		return Errorf(EFORBIDDEN, "mod.role_forbidden")
	}
	return m.store.Update(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		g.ID = a.Guild
		g.ModRoles = nil
		if role != 0 {
			g.ModRoles = []RoleID{role}
		}
		return tx.PutGuild(g)
	})
}

// QuestionInfo is one line of /bank list.
type QuestionInfo struct {
	Question Question
	Source   string // shipped, edited, added
	Disabled bool
	Version  int
}

// BankQuestions lists the server's questions (topic "" = all), including disabled ones.
// Moderators only. Returns ENOTFOUND for an unknown topic.
func (m *Moderation) BankQuestions(ctx context.Context, a Actor, topic string) ([]QuestionInfo, error) {
	var out []QuestionInfo
	err := m.store.View(ctx, m.asModerator(a, func(tx Tx, g Guild) error {
		infos, _, err := m.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		for _, in := range infos {
			if topic == "" || in.Question.Topic == topic {
				out = append(out, in)
			}
		}
		if topic != "" && len(out) == 0 {
			b, err := m.bankFor(tx, g)
			if err != nil {
				return err
			}
			return b.TopicError(topic)
		}
		return nil
	}))
	return out, err
}

// allQuestions returns every question of g's bank with its overlay state, by topic then id.
func (m *Moderation) allQuestions(tx BankTx, g GuildID) ([]QuestionInfo, map[string]OverlayEntry, error) {
	entries, err := tx.OverlayQuestions(g)
	if err != nil {
		return nil, nil, err
	}
	infos, byID := questionInfos(m.bank, entries)
	return infos, byID, nil
}

// questionInfos lists the questions of the shipped bank with a server's overlay entries
// applied, disabled ones included, by topic then id; byID indexes the entries.
func questionInfos(shipped *Bank, entries []OverlayEntry) (out []QuestionInfo, byID map[string]OverlayEntry) {
	byID = map[string]OverlayEntry{}
	for _, e := range entries {
		byID[e.QuestionID] = e
	}
	for _, q := range shipped.Questions("") {
		in := QuestionInfo{Question: q, Source: "shipped"}
		if e, ok := byID[q.ID]; ok {
			in.Disabled, in.Version = e.Disabled, e.Version
			if e.Question != nil {
				in.Question, in.Source = *e.Question, "edited"
			}
		}
		out = append(out, in)
	}
	for _, e := range entries {
		if e.Added && e.Question != nil {
			out = append(out, QuestionInfo{Question: *e.Question, Source: "added", Disabled: e.Disabled, Version: e.Version})
		}
	}
	slices.SortFunc(out, func(x, y QuestionInfo) int {
		return cmp.Or(cmp.Compare(x.Question.Topic, y.Question.Topic), cmp.Compare(x.Question.ID, y.Question.ID))
	})
	return out, byID
}

// BankQuestion returns one question of the server's bank, disabled or not. Moderators only.
// Returns ENOTFOUND for an unknown id.
func (m *Moderation) BankQuestion(ctx context.Context, a Actor, id string) (QuestionInfo, error) {
	var out QuestionInfo
	err := m.store.View(ctx, m.asModerator(a, func(tx Tx, _ Guild) error {
		in, _, found, err := m.questionAt(tx, a.Guild, id)
		if err == nil && !found {
			err = Errorf(ENOTFOUND, "bank.no_question", quote(id))
		}
		out = in
		return err
	}))
	return out, err
}

// MatchQuestionIDs returns up to max question ids containing prefix, for autocomplete of the
// moderators' /bank commands. It reads the server's cached bank state, not its overlay.
// Moderators only: the ids include disabled and unpublished questions, and an autocomplete
// request can be sent for any command by a forged client.
func (m *Moderation) MatchQuestionIDs(ctx context.Context, a Actor, prefix string, max int) ([]string, error) {
	if err := m.CheckModerator(ctx, a); err != nil {
		return nil, err
	}
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	st, err := m.state(ctx, a.Guild)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range st.ids {
		if strings.Contains(id, prefix) {
			out = append(out, id)
			if len(out) == max {
				break
			}
		}
	}
	return out, nil
}

// changeBank applies one moderator change: it checks the actor, runs fn on the question's
// current overlay entry, stores it with a new version and a history entry, and bumps the
// server's bank revision. found is false for an id the bank does not have.
func (m *Moderation) changeBank(ctx context.Context, a Actor, id, action string, fn func(tx Tx, st *bankState, in QuestionInfo, found bool, e *OverlayEntry) error) error {
	return m.bankUpdate(ctx, a, func(tx Tx, st *bankState) error {
		in, e, found, err := m.questionAt(tx, a.Guild, id)
		if err != nil {
			return err
		}
		e.QuestionID = id
		if err := fn(tx, st, in, found, &e); err != nil {
			return err
		}
		h := HistoryEntry{Action: action, By: a.User, At: m.now()}
		if found {
			prev := in.Question
			h.Previous = &prev
		}
		return saveEntry(tx, a.Guild, e, h, m.quotas.History)
	})
}

// errStaleBank says the bank changed between reading its state and the write.
var errStaleBank = errors.New("quiz: bank changed")

// bankUpdate runs one change to a's server's bank. The bank state (the merged bank, its ids
// and counts) is read first, outside the write transaction and from the cache when it is
// current; the Update then checks the revision is unchanged and touches only the records the
// change writes, so a server with a full bank never holds the store's single writer for long.
// The new revision's state is built afterwards, in a read.
func (m *Moderation) bankUpdate(ctx context.Context, a Actor, fn func(tx Tx, st *bankState) error) error {
	for range 3 {
		st, err := m.state(ctx, a.Guild)
		if err != nil {
			return err
		}
		err = m.store.Update(ctx, m.asModerator(a, func(tx Tx, g Guild) error {
			if g.BankRev != st.rev {
				return errStaleBank
			}
			if err := fn(tx, st); err != nil {
				return err
			}
			g.ID = a.Guild
			g.BankRev++
			return tx.PutGuild(g)
		}))
		if errors.Is(err, errStaleBank) {
			continue
		}
		if err == nil {
			// Warm the cache now, in a read, rather than in the next member's Ask.
			if _, werr := m.state(ctx, a.Guild); werr != nil {
				m.log.Warn("bank state not rebuilt after a change", "guild_id", a.Guild, "err", werr)
			}
		}
		return err
	}
	return Errorf(ECONFLICT, "bank.busy")
}

// questionAt returns question id of g's bank with its overlay entry, reading only that entry;
// found is false when neither the shipped bank nor the server has it.
func (m *Moderation) questionAt(tx BankTx, g GuildID, id string) (in QuestionInfo, e OverlayEntry, found bool, err error) {
	e, ok, err := tx.OverlayQuestion(g, id)
	if err != nil {
		return QuestionInfo{}, OverlayEntry{}, false, err
	}
	q, shipped := m.bank.Question(id)
	switch {
	case ok && e.Question != nil && e.Added && !shipped:
		in = QuestionInfo{Question: *e.Question, Source: "added"}
	case ok && e.Question != nil && shipped:
		in = QuestionInfo{Question: *e.Question, Source: "edited"}
	case shipped:
		in = QuestionInfo{Question: q, Source: "shipped"}
	default:
		return QuestionInfo{}, OverlayEntry{}, false, nil
	}
	if ok {
		in.Disabled, in.Version = e.Disabled, e.Version
	}
	return in, e, true, nil
}

// saveEntry stores a changed overlay entry as its next version, by h.By at h.At, with h as
// the history of the change; the question keeps its newest keep history entries.
func saveEntry(tx BankTx, g GuildID, e OverlayEntry, h HistoryEntry, keep int) error {
	e.Version++
	e.UpdatedBy, e.UpdatedAt = h.By, h.At
	if err := tx.PutOverlayQuestion(g, e); err != nil {
		return err
	}
	h.QuestionID, h.Version = e.QuestionID, e.Version
	return addHistory(tx, g, h, keep)
}

// addHistory records h and drops the question's history beyond its newest keep entries.
func addHistory(tx BankTx, g GuildID, h HistoryEntry, keep int) error {
	if err := tx.AddHistory(g, h); err != nil {
		return err
	}
	return tx.TrimHistory(g, h.QuestionID, keep)
}

// AddQuestion adds a server-only question. Its id must be new to the shipped bank and the
// server's. Moderators only. Returns EINVALID for an invalid question, ECONFLICT for a used id.
func (m *Moderation) AddQuestion(ctx context.Context, a Actor, q Question) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	return m.changeBank(ctx, a, q.ID, "add", func(tx Tx, st *bankState, _ QuestionInfo, found bool, e *OverlayEntry) error {
		if found {
			return Errorf(ECONFLICT, "bank.id_taken", quote(q.ID))
		}
		if err := m.quotas.checkAddQuota(st.added, 1, ""); err != nil {
			return err
		}
		if err := m.ensureTopic(tx, st, a.Guild, q.Topic); err != nil {
			return err
		}
		qq := q.Clone()
		e.Question, e.Added, e.Disabled = &qq, true, false
		return nil
	})
}

// ensureTopic creates a server topic on first use (shipped topics need nothing), within the
// topic quota. It reads the server's topic overlay, which the quota keeps small.
func (m *Moderation) ensureTopic(tx BankTx, st *bankState, g GuildID, slug string) error {
	if _, ok := m.bank.Topic(slug); ok {
		return nil
	}
	topics, err := tx.OverlayTopics(g)
	if err != nil {
		return err
	}
	for _, t := range topics {
		if t.Slug == slug {
			if t.Disabled {
				t.Disabled = false
				return tx.PutOverlayTopic(g, t)
			}
			return nil
		}
	}
	if !ValidTopicSlug(slug) {
		return Errorf(EINVALID, "bank.topic_invalid", quote(slug))
	}
	if err := m.quotas.checkTopicQuota(len(st.bank.topics), slug); err != nil {
		return err
	}
	title := Text{EN: slug, ZH: slug}
	return tx.PutOverlayTopic(g, TopicOverlay{Slug: slug, Title: &title, Added: true})
}

func checkQuestion(q Question) error {
	ps := q.Check()
	if len(ps) == 0 {
		return nil
	}
	return Errorf(EINVALID, "bank.question_invalid", problemList(ps))
}

// EditQuestion replaces a question's text for this server only. version is the version the
// moderator started from (QuestionInfo.Version): if someone else saved in between, it returns
// ECONFLICT and changes nothing. Moderators only.
func (m *Moderation) EditQuestion(ctx context.Context, a Actor, q Question, version int) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	return m.changeBank(ctx, a, q.ID, "edit", func(_ Tx, _ *bankState, in QuestionInfo, found bool, e *OverlayEntry) error {
		if !found {
			return Errorf(ENOTFOUND, "bank.no_question", quote(q.ID))
		}
		if e.Version != version {
			return Errorf(ECONFLICT, "bank.edit_conflict", q.ID, e.Version, version)
		}
		if q.Topic != in.Question.Topic {
			return Errorf(EINVALID, "bank.topic_move", in.Question.Topic, q.Topic)
		}
		qq := q.Clone()
		e.Question = &qq
		return nil
	})
}

// SetDisabled stops (or resumes) asking a question in this server. Moderators only.
// Returns ECONFLICT when it already is, EINVALID when it would leave its topic empty.
func (m *Moderation) SetDisabled(ctx context.Context, a Actor, id string, disabled bool) error {
	action := map[bool]string{true: "disable", false: "enable"}[disabled]
	return m.changeBank(ctx, a, id, action, func(_ Tx, st *bankState, in QuestionInfo, found bool, e *OverlayEntry) error {
		if !found {
			return Errorf(ENOTFOUND, "bank.no_question", quote(id))
		}
		if in.Disabled == disabled {
			return Errorf(ECONFLICT, map[bool]MsgID{true: "bank.already_disabled", false: "bank.already_enabled"}[disabled], id)
		}
		if disabled {
			if err := checkTopicKeepsQuestions(st, in.Question.Topic, id); err != nil {
				return err
			}
		}
		e.Disabled = disabled
		return nil
	})
}

// checkTopicKeepsQuestions refuses to remove (or disable) question id if that would leave a
// topic with no enabled question. It counts in the server's bank state: a topic the server
// turned off is asked from nowhere, so it is not checked.
func checkTopicKeepsQuestions(st *bankState, topic, id string) error {
	if _, live := st.bank.Topic(topic); !live {
		return nil
	}
	for _, q := range st.bank.Questions(topic) {
		if q.ID != id {
			return nil
		}
	}
	return Errorf(EINVALID, "bank.topic_would_empty", topic)
}

// RemoveQuestion deletes one of the server's own questions (shipped ones can only be
// disabled). Moderators only.
func (m *Moderation) RemoveQuestion(ctx context.Context, a Actor, id string) error {
	return m.bankUpdate(ctx, a, func(tx Tx, st *bankState) error {
		in, _, found, err := m.questionAt(tx, a.Guild, id)
		if err != nil {
			return err
		}
		if !found {
			return Errorf(ENOTFOUND, "bank.no_question", quote(id))
		}
		if in.Source != "added" {
			return Errorf(EINVALID, "bank.shipped_not_removable", id)
		}
		if !in.Disabled {
			if err := checkTopicKeepsQuestions(st, in.Question.Topic, id); err != nil {
				return err
			}
		}
		if err := tx.DeleteOverlayQuestion(a.Guild, id); err != nil {
			return err
		}
		prev := in.Question
		return addHistory(tx, a.Guild, HistoryEntry{QuestionID: id, Version: in.Version + 1, Action: "remove", By: a.User, At: m.now(), Previous: &prev}, m.quotas.History)
	})
}

// QuestionHistory returns who changed a question and when. Moderators only.
func (m *Moderation) QuestionHistory(ctx context.Context, a Actor, id string) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := m.store.View(ctx, m.asModerator(a, func(tx Tx, _ Guild) error {
		var err error
		out, err = tx.History(a.Guild, id)
		return err
	}))
	return out, err
}

// Reports returns the server's open reports, oldest first. Moderators only.
func (m *Moderation) Reports(ctx context.Context, a Actor) ([]Report, error) {
	var out []Report
	err := m.store.View(ctx, m.asModerator(a, func(tx Tx, _ Guild) error {
		all, err := tx.Reports(a.Guild)
		for _, r := range all {
			if !r.Resolved {
				out = append(out, r)
			}
		}
		return err
	}))
	return out, err
}

// ResolveReport closes a report. Moderators only. Returns ENOTFOUND for an unknown report,
// ECONFLICT for one already resolved.
func (m *Moderation) ResolveReport(ctx context.Context, a Actor, id ReportID, note string) error {
	return m.store.Update(ctx, m.asModerator(a, func(tx Tx, _ Guild) error {
		r, ok, err := tx.Report(a.Guild, id)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "report.none", id)
		}
		if r.Resolved {
			return Errorf(ECONFLICT, "report.already_resolved", id)
		}
		r.Resolved, r.ResolvedBy, r.ResolvedAt, r.Resolution = true, a.User, m.now(), note
		return tx.PutReport(a.Guild, r)
	}))
}

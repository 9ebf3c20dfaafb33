package quiz

import (
	"context"
	"slices"
	"time"
)

// Export is everything the bot stores that names one member in one server: their settings and
// streak, cards, attempts (with their answers), the reports they filed or resolved (with their
// words), the sessions they opened, their mock interviews and, for a moderator, the changes
// they made to the server's bank (without the question texts, which are the server's).
type Export struct {
	Guild      GuildID   `json:"guild"`
	User       UserID    `json:"user"`
	ExportedAt time.Time `json:"exported_at"`
	Member     *Member   `json:"member"`
	Cards      []Card    `json:"cards"`
	Attempts   []Attempt `json:"attempts"`
	Reports    []Report  `json:"reports"`
	Sessions   []Session `json:"sessions"`
	Mocks      []Mock    `json:"mocks"`
	// BankChanges are the bank history entries the member made, Previous left out.
	BankChanges []HistoryEntry `json:"bank_changes"`
}

// allMocks is more mocks than a member can have: MemberMocks wants a bound.
const allMocks = 1 << 30

// ExportMember returns all of the actor's data in their server.
func (ms *Members) ExportMember(ctx context.Context, a Actor) (Export, error) {
	if err := ms.allow(a, ActExport); err != nil {
		return Export{}, err
	}
	out := Export{Guild: a.Guild, User: a.User, ExportedAt: ms.now()}
	err := ms.store.View(ctx, func(tx Tx) error {
		m, ok, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		if ok {
			out.Member = &m
		}
		if out.Cards, err = tx.Cards(a.Guild, a.User); err != nil {
			return err
		}
		if out.Attempts, err = tx.Attempts(a.Guild, a.User); err != nil {
			return err
		}
		if out.Reports, err = memberReports(tx, a); err != nil {
			return err
		}
		for i, r := range out.Reports {
			out.Reports[i] = ownPart(r, a.User)
		}
		if out.Sessions, err = openedBy(tx, a); err != nil {
			return err
		}
		if out.Mocks, err = tx.MemberMocks(a.Guild, a.User, allMocks); err != nil {
			return err
		}
		for i, m := range out.Mocks {
			out.Mocks[i] = ownMockPart(m, a.User)
		}
		_, out.BankChanges, err = bankChangesBy(tx, a)
		for i := range out.BankChanges {
			out.BankChanges[i].Previous = nil
		}
		return err
	})
	// Empty lists rather than null, so the file reads the same whatever the member did.
	out.Cards = nonNil(out.Cards)
	out.Attempts = nonNil(out.Attempts)
	out.Reports = nonNil(out.Reports)
	out.Sessions = nonNil(out.Sessions)
	out.Mocks = nonNil(out.Mocks)
	out.BankChanges = nonNil(out.BankChanges)
	return out, err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// memberReports returns the reports a filed or resolved.
func memberReports(tx ReportTx, a Actor) ([]Report, error) {
	all, err := tx.Reports(a.Guild)
	var out []Report
	for _, r := range all {
		if r.By == a.User || r.ResolvedBy == a.User {
			out = append(out, r)
		}
	}
	return out, err
}

// ownPart is what of report r belongs in u's export: all of it if u filed it; if u only
// resolved it, not the reporter's name or words, which are the reporter's.
func ownPart(r Report, u UserID) Report {
	if r.By != u {
		r.By, r.Reason = 0, ""
	}
	return r
}

// ownMockPart is what of mock m belongs in u's export: all of it for its candidate; for its
// interviewer, not the candidate's answers (their questions, grades and the verdict stay).
func ownMockPart(m Mock, u UserID) Mock {
	if m.Candidate == u {
		return m
	}
	m.Steps = slices.Clone(m.Steps)
	for i := range m.Steps {
		m.Steps[i].Answer, m.Steps[i].FollowUpAnswers = "", nil
	}
	return m
}

// openedBy returns the sessions a opened, oldest first.
func openedBy(tx SessionTx, a Actor) ([]Session, error) {
	var out []Session
	err := tx.Sessions(a.Guild, 0, func(s Session) bool {
		if s.OpenedBy == a.User {
			out = append(out, s)
		}
		return true
	})
	return out, err
}

// bankChangesBy returns the overlay entries a changed last and the history entries a made.
// Every change writes both, so the overlay's question ids lead to all of a's history.
func bankChangesBy(tx BankTx, a Actor) ([]OverlayEntry, []HistoryEntry, error) {
	entries, err := tx.OverlayQuestions(a.Guild)
	if err != nil {
		return nil, nil, err
	}
	var last []OverlayEntry
	var hist []HistoryEntry
	for _, e := range entries {
		if e.UpdatedBy == a.User {
			last = append(last, e)
		}
		hs, err := tx.History(a.Guild, e.QuestionID)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range hs {
			if h.By == a.User {
				hist = append(hist, h)
			}
		}
	}
	return last, hist, nil
}

// eraseBankChanges removes a's name from the bank's overlay and history: the changes stay
// (they are the server's bank), by nobody.
func eraseBankChanges(tx BankTx, a Actor) error {
	last, hist, err := bankChangesBy(tx, a)
	if err != nil {
		return err
	}
	for _, e := range last {
		e.UpdatedBy = 0
		if err := tx.PutOverlayQuestion(a.Guild, e); err != nil {
			return err
		}
	}
	for _, h := range hist {
		h.By = 0 // AddHistory replaces the entry of the same question and version
		if err := tx.AddHistory(a.Guild, h); err != nil {
			return err
		}
	}
	return nil
}

// DeleteMember erases the actor's data in their server: settings, streak, answers, reviews and
// mock interviews go; what stays for the server loses their name and words: their reports
// (Erased), the sessions they opened, the reports they resolved, the daily schedule they set
// and the bank changes they made. Options.AfterErase is called once it is committed.
func (ms *Members) DeleteMember(ctx context.Context, a Actor) error {
	err := ms.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteMember(a.Guild, a.User); err != nil {
			return err
		}
		if err := eraseReports(tx, a); err != nil {
			return err
		}
		if err := eraseBankChanges(tx, a); err != nil {
			return err
		}
		sessions, err := openedBy(tx, a)
		if err != nil {
			return err
		}
		for _, s := range sessions {
			s.OpenedBy = 0
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		g, ok, err := tx.Guild(a.Guild)
		if err != nil || !ok || g.Daily.SetBy != a.User {
			return err
		}
		g.Daily.SetBy = 0
		return tx.PutGuild(g)
	})
	if err == nil && ms.opts.AfterErase != nil {
		ms.opts.AfterErase()
	}
	return err
}

// eraseReports removes a's name and words from the reports they filed, and their name from
// those they resolved.
func eraseReports(tx ReportTx, a Actor) error {
	reports, err := memberReports(tx, a)
	if err != nil {
		return err
	}
	for _, r := range reports {
		if r.By == a.User {
			r = eraseReport(r)
		}
		if r.ResolvedBy == a.User {
			r.ResolvedBy = 0
		}
		if err := tx.PutReport(a.Guild, r); err != nil {
			return err
		}
	}
	return nil
}

// eraseReport is r without its reporter and their words.
func eraseReport(r Report) Report {
	r.By, r.Reason, r.Erased = 0, "", true
	return r
}

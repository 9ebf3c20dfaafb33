// Package quiztest holds test helpers for quiz.Store: MemStore, an in-memory store, and
// TestStore, the conformance suite every Store must pass.
package quiztest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// MemStore is an in-memory quiz.Store for tests. It favours being obviously correct over
// being fast:
//
//   - Writers (Update, Batch) are serialised by one mutex. Each works on a private copy of the
//     state and publishes it only when fn returns nil, so an error or a panic in fn changes
//     nothing. Sequences (NextSessionID, NextReportID) roll back with everything else.
//   - Published state is never modified again, so View reads the current snapshot without
//     locking, and a View may run inside an Update.
//   - Stored values are deep copies of what was Put, and getters return deep copies.
//   - Batch runs fn twice, discarding the first run, because bbolt may rerun a batched fn:
//     a fn that is not idempotent misbehaves here too, not only under production load.
//
// The zero value is not usable; call NewMemStore.
type MemStore struct {
	writeMu sync.Mutex // serialises Update and Batch
	cur     atomic.Pointer[memState]
}

var _ quiz.Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	s := &MemStore{}
	s.cur.Store(&memState{guilds: map[quiz.GuildID]*memGuild{}, due: map[dueKey]struct{}{}})
	return s
}

// View runs fn on the current state, read-only. It returns ctx.Err() without calling fn if
// ctx is done.
func (s *MemStore) View(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx := &memTx{st: s.cur.Load()}
	defer tx.close()
	return fn(tx)
}

// Update runs fn on a copy of the state and keeps the copy only if fn returns nil.
func (s *MemStore) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.update(fn)
}

// Batch is Update, except that fn runs twice: once on a copy that is thrown away, then for
// real. See MemStore.
func (s *MemStore) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rehearsal := newWriteTx(s.cur.Load())
	err := func() error {
		defer rehearsal.close()
		return fn(rehearsal)
	}()
	if err != nil {
		return err
	}
	return s.update(fn)
}

// update runs fn in a write transaction; s.writeMu must be held.
func (s *MemStore) update(fn func(quiz.Tx) error) error {
	tx := newWriteTx(s.cur.Load())
	defer tx.close()
	if err := fn(tx); err != nil {
		return err
	}
	s.cur.Store(tx.st)
	return nil
}

// memState is the whole store. Once published (MemStore.cur) it is never modified: a write
// transaction copies the guilds map and the due set, and each guild it changes.
type memState struct {
	guilds map[quiz.GuildID]*memGuild
	due    map[dueKey]struct{}
}

type dueKey struct {
	ms      int64 // Due.At in Unix milliseconds
	guild   quiz.GuildID
	session quiz.SessionID
}

func (k dueKey) due() quiz.Due {
	return quiz.Due{At: time.UnixMilli(k.ms).UTC(), Guild: k.guild, Session: k.session}
}

type attemptKey struct {
	user    quiz.UserID
	session quiz.SessionID
}

type historyKey struct {
	question string
	version  int
}

// memGuild is one guild's state. The values in its maps are deep copies owned by the store and
// never modified in place, so copying a guild only needs to copy the maps.
type memGuild struct {
	config     quiz.Guild
	hasConfig  bool
	members    map[quiz.UserID]quiz.Member
	cards      map[quiz.UserID]map[string]quiz.Card
	attempts   map[attemptKey]quiz.Attempt
	sessionSeq uint64
	sessions   map[quiz.SessionID]quiz.Session
	posts      map[quiz.Day]quiz.Post
	overlay    map[string]quiz.OverlayEntry
	topics     map[string]quiz.TopicOverlay
	history    map[historyKey]quiz.HistoryEntry
	reportSeq  uint64
	reports    map[quiz.ReportID]quiz.Report
	mockSeq    uint64
	mocks      map[quiz.MockID]quiz.Mock
	awards     map[string]quiz.Award
	recaps     map[quiz.Day]quiz.Recap
}

func newMemGuild() *memGuild {
	return &memGuild{
		members:  map[quiz.UserID]quiz.Member{},
		cards:    map[quiz.UserID]map[string]quiz.Card{},
		attempts: map[attemptKey]quiz.Attempt{},
		sessions: map[quiz.SessionID]quiz.Session{},
		posts:    map[quiz.Day]quiz.Post{},
		overlay:  map[string]quiz.OverlayEntry{},
		topics:   map[string]quiz.TopicOverlay{},
		history:  map[historyKey]quiz.HistoryEntry{},
		reports:  map[quiz.ReportID]quiz.Report{},
		mocks:    map[quiz.MockID]quiz.Mock{},
		awards:   map[string]quiz.Award{},
		recaps:   map[quiz.Day]quiz.Recap{},
	}
}

func (g *memGuild) clone() *memGuild {
	c := *g
	c.members = maps.Clone(g.members)
	c.cards = make(map[quiz.UserID]map[string]quiz.Card, len(g.cards))
	for u, cs := range g.cards {
		c.cards[u] = maps.Clone(cs)
	}
	c.attempts = maps.Clone(g.attempts)
	c.sessions = maps.Clone(g.sessions)
	c.posts = maps.Clone(g.posts)
	c.overlay = maps.Clone(g.overlay)
	c.topics = maps.Clone(g.topics)
	c.history = maps.Clone(g.history)
	c.reports = maps.Clone(g.reports)
	c.mocks = maps.Clone(g.mocks)
	c.awards = maps.Clone(g.awards)
	c.recaps = maps.Clone(g.recaps)
	return &c
}

var (
	errReadOnly = errors.New("quiztest: write in a read-only transaction")
	errTxClosed = errors.New("quiztest: transaction used after its function returned")
)

// memTx implements quiz.Tx. A write transaction owns st (a copy of the published state) and
// copies each guild before its first change.
type memTx struct {
	st       *memState
	writable bool
	owned    map[quiz.GuildID]bool // guilds already copied by this transaction
	dueOwned bool
	closed   bool
}

func newWriteTx(base *memState) *memTx {
	return &memTx{
		st:       &memState{guilds: maps.Clone(base.guilds), due: base.due},
		writable: true,
		owned:    map[quiz.GuildID]bool{},
	}
}

func (tx *memTx) close() { tx.closed = true }

func (tx *memTx) check(write bool) error {
	switch {
	case tx.closed:
		return errTxClosed
	case write && !tx.writable:
		return errReadOnly
	}
	return nil
}

// read returns guild g for reading, or nil.
func (tx *memTx) read(g quiz.GuildID) (*memGuild, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	return tx.st.guilds[g], nil
}

// write returns guild g for writing, creating or copying it first.
func (tx *memTx) write(g quiz.GuildID) (*memGuild, error) {
	if err := tx.check(true); err != nil {
		return nil, err
	}
	if !tx.owned[g] {
		if old := tx.st.guilds[g]; old != nil {
			tx.st.guilds[g] = old.clone()
		} else {
			tx.st.guilds[g] = newMemGuild()
		}
		tx.owned[g] = true
	}
	return tx.st.guilds[g], nil
}

// writeExisting returns guild g for writing, or nil when it does not exist: nothing to delete.
func (tx *memTx) writeExisting(g quiz.GuildID) (*memGuild, error) {
	if err := tx.check(true); err != nil {
		return nil, err
	}
	if tx.st.guilds[g] == nil {
		return nil, nil
	}
	return tx.write(g)
}

func (tx *memTx) writeDue() (map[dueKey]struct{}, error) {
	if err := tx.check(true); err != nil {
		return nil, err
	}
	if !tx.dueOwned {
		tx.st.due = maps.Clone(tx.st.due)
		tx.dueOwned = true
	}
	return tx.st.due, nil
}

// Guilds.

func (tx *memTx) Guild(g quiz.GuildID) (quiz.Guild, bool, error) {
	st, err := tx.read(g)
	if err != nil || st == nil || !st.hasConfig {
		return quiz.Guild{}, false, err
	}
	return cloneGuild(st.config), true, nil
}

func (tx *memTx) PutGuild(v quiz.Guild) error {
	st, err := tx.write(v.ID)
	if err != nil {
		return err
	}
	st.config, st.hasConfig = cloneGuild(v), true
	return nil
}

func (tx *memTx) Guilds(fn func(quiz.Guild) bool) error {
	if err := tx.check(false); err != nil {
		return err
	}
	// Snapshot the ids so fn may write (even to guilds) while we iterate.
	for _, id := range slices.Sorted(maps.Keys(tx.st.guilds)) {
		g, ok, err := tx.Guild(id)
		if err != nil {
			return err
		}
		if ok && !fn(g) {
			return nil
		}
	}
	return nil
}

// Members.

func (tx *memTx) Member(g quiz.GuildID, u quiz.UserID) (quiz.Member, bool, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return quiz.Member{}, false, err
	}
	m, ok := st.members[u]
	return cloneMember(m), ok, nil
}

func (tx *memTx) PutMember(m quiz.Member) error {
	return putIn(tx, m.Guild, func(st *memGuild) map[quiz.UserID]quiz.Member { return st.members }, m.User, cloneMember(m))
}

func (tx *memTx) Members(g quiz.GuildID, fn func(quiz.Member) bool) error {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return err
	}
	for _, u := range slices.Sorted(maps.Keys(st.members)) {
		m, ok, err := tx.Member(g, u) // re-read: fn may have changed or deleted it
		if err != nil {
			return err
		}
		if ok && !fn(m) {
			return nil
		}
	}
	return nil
}

func (tx *memTx) DeleteMember(g quiz.GuildID, u quiz.UserID) error {
	st, err := tx.writeExisting(g)
	if err != nil || st == nil {
		return err
	}
	delete(st.members, u)
	delete(st.cards, u)
	for k := range st.attempts {
		if k.user == u {
			delete(st.attempts, k)
		}
	}
	for id, m := range st.mocks {
		switch {
		case m.Candidate == u:
			delete(st.mocks, id)
		case m.Interviewer == u:
			m.Interviewer = 0
			st.mocks[id] = m
		}
	}
	return nil
}

// Cards.

func (tx *memTx) Card(g quiz.GuildID, u quiz.UserID, questionID string) (quiz.Card, bool, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return quiz.Card{}, false, err
	}
	c, ok := st.cards[u][questionID]
	return c, ok, nil
}

func (tx *memTx) PutCard(g quiz.GuildID, u quiz.UserID, c quiz.Card) error {
	if c.QuestionID == "" {
		return errors.New("quiztest: put card: empty question id")
	}
	st, err := tx.write(g)
	if err != nil {
		return err
	}
	if st.cards[u] == nil {
		st.cards[u] = map[string]quiz.Card{}
	}
	st.cards[u][c.QuestionID] = c
	return nil
}

func (tx *memTx) Cards(g quiz.GuildID, u quiz.UserID) ([]quiz.Card, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return nil, err
	}
	var out []quiz.Card
	for _, id := range slices.Sorted(maps.Keys(st.cards[u])) {
		out = append(out, st.cards[u][id])
	}
	return out, nil
}

// Attempts.

func (tx *memTx) Attempt(g quiz.GuildID, u quiz.UserID, s quiz.SessionID) (quiz.Attempt, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[attemptKey]quiz.Attempt { return st.attempts }, attemptKey{u, s}, cloneAttempt)
}

func (tx *memTx) PutAttempt(a quiz.Attempt) error {
	return putIn(tx, a.Guild, func(st *memGuild) map[attemptKey]quiz.Attempt { return st.attempts }, attemptKey{a.User, a.Session}, cloneAttempt(a))
}

func (tx *memTx) Attempts(g quiz.GuildID, u quiz.UserID) ([]quiz.Attempt, error) {
	return filteredOf(tx, g, func(st *memGuild) map[attemptKey]quiz.Attempt { return st.attempts },
		func(k attemptKey) bool { return k.user == u }, cloneAttempt,
		func(a, b quiz.Attempt) int { return cmp.Compare(a.Session, b.Session) })
}

// Sessions.

func (tx *memTx) NextSessionID(g quiz.GuildID) (quiz.SessionID, error) {
	n, err := tx.next(g, func(st *memGuild) *uint64 { return &st.sessionSeq })
	return quiz.SessionID(n), err
}

func (tx *memTx) ReserveSessionIDs(g quiz.GuildID, n int) (quiz.SessionID, error) {
	if n < 1 {
		return 0, fmt.Errorf("quiztest: reserve %d session ids", n)
	}
	st, err := tx.write(g)
	if err != nil {
		return 0, err
	}
	first := st.sessionSeq + 1
	st.sessionSeq += uint64(n)
	return quiz.SessionID(first), nil
}

func (tx *memTx) Session(g quiz.GuildID, s quiz.SessionID) (quiz.Session, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[quiz.SessionID]quiz.Session { return st.sessions }, s, same)
}

func (tx *memTx) PutSession(s quiz.Session) error {
	return putIn(tx, s.Guild, func(st *memGuild) map[quiz.SessionID]quiz.Session { return st.sessions }, s.ID, s)
}

func (tx *memTx) SessionGuilds() ([]quiz.GuildID, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	var out []quiz.GuildID
	for g, st := range tx.st.guilds {
		if len(st.sessions) > 0 {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (tx *memTx) Sessions(g quiz.GuildID, from quiz.SessionID, fn func(quiz.Session) bool) error {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(st.sessions)) {
		if id >= from && !fn(st.sessions[id]) {
			return nil
		}
	}
	return nil
}

func (tx *memTx) DeleteSession(g quiz.GuildID, s quiz.SessionID) error {
	return deleteIn(tx, g, func(st *memGuild) map[quiz.SessionID]quiz.Session { return st.sessions }, s)
}

// The due queue.

func toDueKey(d quiz.Due) (dueKey, error) {
	ms := d.At.UnixMilli()
	if ms < 0 {
		return dueKey{}, fmt.Errorf("quiztest: due time %v is before 1970", d.At)
	}
	return dueKey{ms: ms, guild: d.Guild, session: d.Session}, nil
}

func (tx *memTx) PutDue(d quiz.Due) error {
	return tx.editDue(d, func(due map[dueKey]struct{}, k dueKey) { due[k] = struct{}{} })
}

func (tx *memTx) DeleteDue(d quiz.Due) error {
	return tx.editDue(d, func(due map[dueKey]struct{}, k dueKey) { delete(due, k) })
}

// editDue checks d and the transaction, then lets edit change the due set at d's key.
func (tx *memTx) editDue(d quiz.Due, edit func(due map[dueKey]struct{}, k dueKey)) error {
	k, err := toDueKey(d)
	if err != nil {
		return err
	}
	due, err := tx.writeDue()
	if err != nil {
		return err
	}
	edit(due, k)
	return nil
}

func (tx *memTx) DueUntil(t time.Time, n int) ([]quiz.Due, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	limit := t.UnixMilli()
	var keys []dueKey
	for k := range tx.st.due {
		if k.ms <= limit {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b dueKey) int {
		return cmp.Or(cmp.Compare(a.ms, b.ms), cmp.Compare(a.guild, b.guild), cmp.Compare(a.session, b.session))
	})
	var out []quiz.Due
	for _, k := range keys[:min(len(keys), max(n, 0))] {
		out = append(out, k.due())
	}
	return out, nil
}

func (tx *memTx) DueUntilPerGuild(t time.Time, perGuild, n int) ([]quiz.Due, error) {
	all, err := tx.DueUntil(t, math.MaxInt)
	if err != nil {
		return nil, err
	}
	var out []quiz.Due
	taken := map[quiz.GuildID]int{}
	for _, d := range all {
		if len(out) >= n {
			break
		}
		if taken[d.Guild] < perGuild {
			taken[d.Guild]++
			out = append(out, d)
		}
	}
	return out, nil
}

// Daily posts.

func checkDay(d quiz.Day) error {
	if y, _, _ := d.Civil(); y < 1 || y > 9999 {
		return fmt.Errorf("quiztest: day %d is outside years 1-9999", int32(d))
	}
	return nil
}

func (tx *memTx) Post(g quiz.GuildID, d quiz.Day) (quiz.Post, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[quiz.Day]quiz.Post { return st.posts }, d, same)
}

func (tx *memTx) PutPost(p quiz.Post) error {
	if err := checkDay(p.Day); err != nil {
		return err
	}
	return putIn(tx, p.Guild, func(st *memGuild) map[quiz.Day]quiz.Post { return st.posts }, p.Day, p)
}

func (tx *memTx) Posts(g quiz.GuildID) ([]quiz.Post, error) {
	return listOf(tx, g, func(st *memGuild) map[quiz.Day]quiz.Post { return st.posts }, same)
}

// The overlay and its history.

func (tx *memTx) OverlayQuestions(g quiz.GuildID) ([]quiz.OverlayEntry, error) {
	return listOf(tx, g, func(st *memGuild) map[string]quiz.OverlayEntry { return st.overlay }, cloneOverlay)
}

func (tx *memTx) OverlayQuestion(g quiz.GuildID, questionID string) (quiz.OverlayEntry, bool, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return quiz.OverlayEntry{}, false, err
	}
	e, ok := st.overlay[questionID]
	if !ok {
		return quiz.OverlayEntry{}, false, nil
	}
	return cloneOverlay(e), true, nil
}

func (tx *memTx) PutOverlayQuestion(g quiz.GuildID, e quiz.OverlayEntry) error {
	if e.QuestionID == "" {
		return errors.New("quiztest: put overlay question: empty question id")
	}
	return putIn(tx, g, func(st *memGuild) map[string]quiz.OverlayEntry { return st.overlay }, e.QuestionID, cloneOverlay(e))
}

func (tx *memTx) DeleteOverlayQuestion(g quiz.GuildID, questionID string) error {
	return deleteIn(tx, g, func(st *memGuild) map[string]quiz.OverlayEntry { return st.overlay }, questionID)
}

func (tx *memTx) OverlayTopics(g quiz.GuildID) ([]quiz.TopicOverlay, error) {
	return listOf(tx, g, func(st *memGuild) map[string]quiz.TopicOverlay { return st.topics }, cloneTopic)
}

func (tx *memTx) PutOverlayTopic(g quiz.GuildID, t quiz.TopicOverlay) error {
	if t.Slug == "" {
		return errors.New("quiztest: put overlay topic: empty slug")
	}
	return putIn(tx, g, func(st *memGuild) map[string]quiz.TopicOverlay { return st.topics }, t.Slug, cloneTopic(t))
}

func (tx *memTx) AddHistory(g quiz.GuildID, h quiz.HistoryEntry) error {
	switch {
	case h.QuestionID == "" || strings.ContainsRune(h.QuestionID, 0):
		return fmt.Errorf("quiztest: add history: invalid question id %q", h.QuestionID)
	case h.Version < 0 || h.Version > math.MaxUint32:
		return fmt.Errorf("quiztest: add history %q: version %d out of range", h.QuestionID, h.Version)
	}
	return putIn(tx, g, func(st *memGuild) map[historyKey]quiz.HistoryEntry { return st.history }, historyKey{h.QuestionID, h.Version}, cloneHistory(h))
}

func (tx *memTx) History(g quiz.GuildID, questionID string) ([]quiz.HistoryEntry, error) {
	return filteredOf(tx, g, func(st *memGuild) map[historyKey]quiz.HistoryEntry { return st.history },
		func(k historyKey) bool { return k.question == questionID }, cloneHistory,
		func(a, b quiz.HistoryEntry) int { return cmp.Compare(a.Version, b.Version) })
}

func (tx *memTx) TrimHistory(g quiz.GuildID, questionID string, keep int) error {
	if err := tx.check(true); err != nil {
		return err
	}
	if tx.st.guilds[g] == nil {
		return nil
	}
	st, err := tx.write(g)
	if err != nil {
		return err
	}
	var versions []int
	for k := range st.history {
		if k.question == questionID {
			versions = append(versions, k.version)
		}
	}
	slices.Sort(versions)
	for _, v := range versions[:max(0, len(versions)-keep)] {
		delete(st.history, historyKey{questionID, v})
	}
	return nil
}

// Reports.

func (tx *memTx) NextReportID(g quiz.GuildID) (quiz.ReportID, error) {
	n, err := tx.next(g, func(st *memGuild) *uint64 { return &st.reportSeq })
	return quiz.ReportID(n), err
}

func (tx *memTx) PutReport(g quiz.GuildID, r quiz.Report) error {
	return putIn(tx, g, func(st *memGuild) map[quiz.ReportID]quiz.Report { return st.reports }, r.ID, r)
}

func (tx *memTx) Report(g quiz.GuildID, id quiz.ReportID) (quiz.Report, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[quiz.ReportID]quiz.Report { return st.reports }, id, same)
}

func (tx *memTx) Reports(g quiz.GuildID) ([]quiz.Report, error) {
	return listOf(tx, g, func(st *memGuild) map[quiz.ReportID]quiz.Report { return st.reports }, same)
}

// Generic access to a guild's maps, for the methods above.

// lookup reads the value under k in guild g's map (the one field picks), cloned.
func lookup[K comparable, V any](tx *memTx, g quiz.GuildID, field func(*memGuild) map[K]V, k K, clone func(V) V) (V, bool, error) {
	var zero V
	st, err := tx.read(g)
	if err != nil || st == nil {
		return zero, false, err
	}
	v, ok := field(st)[k]
	if !ok {
		return zero, false, nil
	}
	return clone(v), true, nil
}

// next increments guild g's sequence (the one field picks) and returns its new value.
func (tx *memTx) next(g quiz.GuildID, field func(*memGuild) *uint64) (uint64, error) {
	st, err := tx.write(g)
	if err != nil {
		return 0, err
	}
	seq := field(st)
	*seq++
	return *seq, nil
}

// sortedValues lists m's values in key order, cloned.
func sortedValues[K cmp.Ordered, V any](m map[K]V, clone func(V) V) []V {
	var out []V
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, clone(m[k]))
	}
	return out
}

// filteredOf lists, cloned and sorted by order, the values of guild g's map that field picks
// whose key keep accepts.
func filteredOf[K comparable, V any](tx *memTx, g quiz.GuildID, field func(*memGuild) map[K]V, keep func(K) bool, clone func(V) V, order func(a, b V) int) ([]V, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return nil, err
	}
	var out []V
	for k, v := range field(st) {
		if keep(k) {
			out = append(out, clone(v))
		}
	}
	slices.SortFunc(out, order)
	return out, nil
}

// listOf lists, cloned and in key order, guild g's map that field picks.
func listOf[K cmp.Ordered, V any](tx *memTx, g quiz.GuildID, field func(*memGuild) map[K]V, clone func(V) V) ([]V, error) {
	st, err := tx.read(g)
	if err != nil || st == nil {
		return nil, err
	}
	return sortedValues(field(st), clone), nil
}

// putIn writes v under k in guild g's map that field picks.
func putIn[K comparable, V any](tx *memTx, g quiz.GuildID, field func(*memGuild) map[K]V, k K, v V) error {
	st, err := tx.write(g)
	if err != nil {
		return err
	}
	field(st)[k] = v
	return nil
}

// deleteIn deletes k from guild g's map that field picks; a guild that does not exist has
// nothing to delete.
func deleteIn[K comparable, V any](tx *memTx, g quiz.GuildID, field func(*memGuild) map[K]V, k K) error {
	st, err := tx.writeExisting(g)
	if err != nil || st == nil {
		return err
	}
	delete(field(st), k)
	return nil
}

func same[V any](v V) V { return v }

// Deep copies. Card, Session, Post, Report, Award and Recap hold no references.

func cloneAttempt(a quiz.Attempt) quiz.Attempt {
	a.Covered = slices.Clone(a.Covered)
	return a
}

func cloneMock(m quiz.Mock) quiz.Mock {
	m.Steps = slices.Clone(m.Steps)
	for i := range m.Steps {
		st := &m.Steps[i]
		st.FollowUps = slices.Clone(st.FollowUps)
		st.FollowUpAnswers = slices.Clone(st.FollowUpAnswers)
		st.Covered = slices.Clone(st.Covered)
	}
	return m
}

func cloneGuild(g quiz.Guild) quiz.Guild {
	g.ModRoles = slices.Clone(g.ModRoles)
	g.Daily.Topics = slices.Clone(g.Daily.Topics)
	return g
}

func cloneMember(m quiz.Member) quiz.Member {
	m.Streak.Log = slices.Clone(m.Streak.Log)
	return m
}

func cloneQuestion(q *quiz.Question) *quiz.Question {
	if q == nil {
		return nil
	}
	c := q.Clone()
	return &c
}

func cloneOverlay(e quiz.OverlayEntry) quiz.OverlayEntry {
	e.Question = cloneQuestion(e.Question)
	return e
}

func cloneTopic(t quiz.TopicOverlay) quiz.TopicOverlay {
	if t.Title != nil {
		title := *t.Title
		t.Title = &title
	}
	return t
}

func cloneHistory(h quiz.HistoryEntry) quiz.HistoryEntry {
	h.Previous = cloneQuestion(h.Previous)
	return h
}

// Mocks.

func (tx *memTx) NextMockID(g quiz.GuildID) (quiz.MockID, error) {
	n, err := tx.next(g, func(st *memGuild) *uint64 { return &st.mockSeq })
	return quiz.MockID(n), err
}

func (tx *memTx) Mock(g quiz.GuildID, id quiz.MockID) (quiz.Mock, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[quiz.MockID]quiz.Mock { return st.mocks }, id, cloneMock)
}

func (tx *memTx) PutMock(m quiz.Mock) error {
	switch {
	case m.ID == 0:
		return errors.New("quiztest: put mock: zero id")
	case m.CreatedAt.UnixMilli() < 0:
		return fmt.Errorf("quiztest: put mock: created %v is before 1970", m.CreatedAt)
	}
	return putIn(tx, m.Guild, func(st *memGuild) map[quiz.MockID]quiz.Mock { return st.mocks }, m.ID, cloneMock(m))
}

func (tx *memTx) MemberMocks(g quiz.GuildID, u quiz.UserID, n int) ([]quiz.Mock, error) {
	st, err := tx.read(g)
	if err != nil || st == nil || n <= 0 {
		return nil, err
	}
	var out []quiz.Mock
	for _, m := range st.mocks {
		if m.Candidate == u || (m.Interviewer == u && u != 0) {
			out = append(out, cloneMock(m))
		}
	}
	// The index key is created unix-ms ‖ id: newest first by that.
	slices.SortFunc(out, func(a, b quiz.Mock) int {
		return cmp.Or(cmp.Compare(b.CreatedAt.UnixMilli(), a.CreatedAt.UnixMilli()), cmp.Compare(b.ID, a.ID))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// Awards and recaps.

func (tx *memTx) Award(g quiz.GuildID, month string) (quiz.Award, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[string]quiz.Award { return st.awards }, month, same)
}

func (tx *memTx) PutAward(g quiz.GuildID, a quiz.Award) error {
	if _, err := time.Parse("2006-01", a.Month); err != nil {
		return fmt.Errorf("quiztest: put award: month %q: %w", a.Month, err)
	}
	return putIn(tx, g, func(st *memGuild) map[string]quiz.Award { return st.awards }, a.Month, a)
}

func (tx *memTx) Recap(g quiz.GuildID, week quiz.Day) (quiz.Recap, bool, error) {
	return lookup(tx, g, func(st *memGuild) map[quiz.Day]quiz.Recap { return st.recaps }, week, same)
}

func (tx *memTx) PutRecap(g quiz.GuildID, r quiz.Recap) error {
	if y, _, _ := r.Week.Civil(); y < 1 || y > 9999 {
		return fmt.Errorf("quiztest: put recap: week %d is outside years 1-9999", int32(r.Week))
	}
	return putIn(tx, g, func(st *memGuild) map[quiz.Day]quiz.Recap { return st.recaps }, r.Week, r)
}

package quiz

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// ExportedFile is one topic file of an export.
type ExportedFile struct {
	Name string
	Data []byte
}

// ExportBank writes the server's effective bank (enabled questions) as topic files ("" = every
// topic). Moderators only. Returns ENOTFOUND for an unknown topic, ERATELIMIT when the
// moderator or the server exports too often.
func (m *Moderation) ExportBank(ctx context.Context, a Actor, topic string) ([]ExportedFile, error) {
	var files []ExportedFile
	err := m.store.View(ctx, m.asModerator(a, func(tx Tx, g Guild) error {
		// Counted once the actor is known to moderate, so members cannot spend the server's.
		if err := m.allow(a, ActExport); err != nil {
			return err
		}
		b, err := m.bankFor(tx, g)
		if err != nil {
			return err
		}
		if topic != "" {
			if _, ok := b.Topic(topic); !ok {
				return b.TopicError(topic)
			}
		}
		for _, t := range b.Topics() {
			if topic != "" && t.Slug != topic {
				continue
			}
			data, err := m.opts.Codec.Marshal(t, b.Questions(t.Slug))
			if err != nil {
				return err
			}
			files = append(files, ExportedFile{Name: t.Slug + ".yaml", Data: data})
		}
		return nil
	}))
	return files, err
}

// ImportPlan is what an import would do; nothing changes until ApplyImport.
type ImportPlan struct {
	ID        uint64
	Topic     string
	NewTopic  bool
	Added     []string
	Changed   []string
	Disabled  []string // in the server's topic but not in the file
	Unchanged int
	// NoSummary lists questions in the file without a summary (the old format): they import,
	// and show the start of their answer instead until a moderator adds one.
	NoSummary []string
	// OneLanguage lists questions written in one language: they import, and members who read
	// the other see them as written, marked as such.
	OneLanguage []string
	questions   []Question
	title       Text
	bankRev     uint64
	guild       GuildID
	user        UserID
	expires     time.Time
	size        int // bytes of the file, for the preview memory bound
}

// imports holds previews waiting for a moderator's confirmation, within Quotas: one per
// moderator, Previews per server, PreviewBytes of files in all.
type imports struct {
	mu    sync.Mutex
	plans map[uint64]ImportPlan
	bytes int // the sum of plans' sizes
}

const importTTL = 15 * time.Minute

// put keeps plan until it expires and returns it with its new id. It first drops expired
// plans and the moderator's earlier one, then the server's oldest past its quota, then the
// oldest of all until the files fit in q.PreviewBytes.
func (im *imports) put(plan ImportPlan, now time.Time, q Quotas) ImportPlan {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.plans == nil {
		im.plans = map[uint64]ImportPlan{}
	}
	inGuild := 0
	for id, p := range im.plans {
		switch {
		case now.After(p.expires), p.guild == plan.guild && p.user == plan.user:
			im.drop(id)
		case p.guild == plan.guild:
			inGuild++
		}
	}
	for ; inGuild >= q.Previews; inGuild-- {
		im.drop(im.oldest(func(p ImportPlan) bool { return p.guild == plan.guild }))
	}
	for len(im.plans) > 0 && im.bytes+plan.size > q.PreviewBytes {
		im.drop(im.oldest(func(ImportPlan) bool { return true }))
	}
	plan.ID = im.newID()
	im.plans[plan.ID] = plan
	im.bytes += plan.size
	return plan
}

// newID returns an unused random plan id. Plan ids travel in custom ids a client can forge:
// a counter would let one server guess (and try to confirm or cancel) another's import.
// Call with im.mu held.
func (im *imports) newID() uint64 {
	for {
		var b [8]byte
		_, _ = rand.Read(b[:])                    // crypto/rand.Read never fails (Go 1.24+)
		id := binary.BigEndian.Uint64(b[:]) >> 11 // 53 bits: exact in JSON numbers and custom ids alike
		if _, taken := im.plans[id]; id != 0 && !taken {
			return id
		}
	}
}

// oldest returns the id of the earliest plan that keep accepts.
func (im *imports) oldest(keep func(ImportPlan) bool) uint64 {
	var first uint64
	var at time.Time
	for id, p := range im.plans {
		if keep(p) && (first == 0 || p.expires.Before(at) || p.expires.Equal(at) && id < first) {
			first, at = id, p.expires
		}
	}
	return first
}

// drop forgets plan id.
func (im *imports) drop(id uint64) {
	if p, ok := im.plans[id]; ok {
		im.bytes -= p.size
		delete(im.plans, id)
	}
}

// take removes plan id and returns it if a may apply it. Only the moderator who previewed it
// takes the plan: anyone else's click leaves it in place.
// Returns ENOTFOUND for an unknown or expired plan, EFORBIDDEN for another moderator's.
func (im *imports) take(id uint64, a Actor, now time.Time) (ImportPlan, error) {
	im.mu.Lock()
	plan, ok := im.plans[id]
	switch {
	case !ok || plan.guild != a.Guild || now.After(plan.expires):
		ok = false
	case plan.user == a.User:
		im.drop(id)
	}
	im.mu.Unlock()
	if !ok {
		return ImportPlan{}, Errorf(ENOTFOUND, "import.expired")
	}
	if plan.user != a.User {
		return ImportPlan{}, Errorf(EFORBIDDEN, "import.not_yours")
	}
	return plan, nil
}

// parseImport validates one topic file exactly like `bot check`.
// Returns EINVALID for a file that is not a UTF-8 .yaml topic file or does not validate.
func parseImport(codec BankCodec, name string, data []byte) (Topic, []Question, error) {
	if !strings.HasSuffix(name, ".yaml") {
		return Topic{}, nil, Errorf(EINVALID, "import.file_name", quote(name))
	}
	if !utf8.Valid(data) {
		return Topic{}, nil, Errorf(EINVALID, "import.not_utf8", name)
	}
	t, qs, err := codec.Parse(name, data)
	if err != nil {
		if ErrorCode(err) != EINTERNAL {
			return Topic{}, nil, err
		}
		return Topic{}, nil, Errorf(EINVALID, "bank.file_invalid", name, problemsOf(err))
	}
	return t, qs, nil
}

// problemsOf is what a codec's error says, as an argument of Msg: the error itself when it can
// be rendered in the reader's language (bank.Problems), so a moderator reads it in theirs.
func problemsOf(err error) any {
	var lz interface {
		error
		localized
	}
	if errors.As(err, &lz) {
		return lz
	}
	return err.Error()
}

// PreviewImport validates one topic file exactly like `bot check` and returns what importing
// it would add, change and disable. The file's topic becomes exactly the file's questions.
// Moderators only. Returns EINVALID for a file that does not validate, moves a question to
// another topic or would take the server past its quotas; ERATELIMIT when the moderator or the
// server previews too often.
func (m *Moderation) PreviewImport(ctx context.Context, a Actor, name string, data []byte) (ImportPlan, error) {
	// Checked before parsing, the costly part, and only for moderators, so members cannot
	// spend the server's tokens.
	if err := m.CheckModerator(ctx, a); err != nil {
		return ImportPlan{}, err
	}
	if err := m.allow(a, ActImport); err != nil {
		return ImportPlan{}, err
	}
	t, qs, err := parseImport(m.opts.Codec, name, data)
	if err != nil {
		return ImportPlan{}, err
	}
	plan := ImportPlan{Topic: t.Slug, questions: qs, title: t.Title, guild: a.Guild, user: a.User, expires: m.now().Add(importTTL)}
	err = m.store.View(ctx, m.asModerator(a, func(tx Tx, g Guild) error {
		plan.bankRev = g.BankRev
		st, err := m.stateFor(tx, g)
		if err != nil {
			return err
		}
		infos, _, err := m.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		if plan.NewTopic, err = m.newTopic(tx, a.Guild, t.Slug); err != nil {
			return err
		}
		if err := planImport(&plan, name, qs, infos); err != nil {
			return err
		}
		return m.checkImportQuotas(st, plan)
	}))
	if err != nil {
		return ImportPlan{}, err
	}
	plan.size = len(data)
	return m.imports.put(plan, m.now(), m.quotas), nil
}

// newTopic reports whether slug is a topic neither shipped nor enabled in g's bank.
func (m *Moderation) newTopic(tx BankTx, g GuildID, slug string) (bool, error) {
	if _, shipped := m.bank.Topic(slug); shipped {
		return false, nil
	}
	topics, err := tx.OverlayTopics(g)
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(topics, func(o TopicOverlay) bool { return o.Slug == slug && !o.Disabled }), nil
}

// planImport compares the file's questions qs with the server's bank (infos) and fills in what
// the import adds, changes, disables and leaves alone. Returns EINVALID when a question of the
// file belongs to another topic.
func planImport(plan *ImportPlan, name string, qs []Question, infos []QuestionInfo) error {
	current := map[string]QuestionInfo{}
	for _, in := range infos {
		current[in.Question.ID] = in
	}
	inFile := map[string]bool{}
	for _, q := range qs {
		inFile[q.ID] = true
		if q.Summary == (Text{}) {
			plan.NoSummary = append(plan.NoSummary, q.ID)
		}
		if len(q.Langs()) == 1 {
			plan.OneLanguage = append(plan.OneLanguage, q.ID)
		}
		cur, ok := current[q.ID]
		switch {
		case !ok:
			plan.Added = append(plan.Added, q.ID)
		case cur.Question.Topic != q.Topic:
			return Errorf(EINVALID, "import.topic_move", name, q.ID, cur.Question.Topic)
		case !reflect.DeepEqual(cur.Question, q) || cur.Disabled:
			plan.Changed = append(plan.Changed, q.ID)
		default:
			plan.Unchanged++
		}
	}
	for _, in := range infos {
		if in.Question.Topic == plan.Topic && !inFile[in.Question.ID] && !in.Disabled {
			plan.Disabled = append(plan.Disabled, in.Question.ID)
		}
	}
	return nil
}

// ApplyImport applies a previewed import in one transaction. It refuses if the bank changed
// since the preview, or the preview expired. Moderators only (the one who previewed).
// Returns ENOTFOUND for an expired preview, EFORBIDDEN for another member, ECONFLICT when the
// bank changed.
func (m *Moderation) ApplyImport(ctx context.Context, a Actor, id uint64) (ImportPlan, error) {
	// Rights first: a click that may not apply the plan must not use it up either.
	if err := m.store.View(ctx, m.asModerator(a, func(Tx, Guild) error { return nil })); err != nil {
		return ImportPlan{}, err
	}
	plan, err := m.imports.take(id, a, m.now())
	if err != nil {
		return ImportPlan{}, err
	}
	if len(plan.Added)+len(plan.Changed)+len(plan.Disabled) == 0 && !plan.NewTopic {
		return plan, nil
	}
	err = m.bankUpdate(ctx, a, func(tx Tx, st *bankState) error {
		if st.rev != plan.bankRev {
			return Errorf(ECONFLICT, "import.stale")
		}
		if err := m.checkImportQuotas(st, plan); err != nil {
			return err
		}
		if plan.NewTopic {
			title := plan.title
			if err := tx.PutOverlayTopic(a.Guild, TopicOverlay{Slug: plan.Topic, Title: &title, Added: true}); err != nil {
				return err
			}
		}
		byID, err := plan.entries(tx, a.Guild)
		if err != nil {
			return err
		}
		h := HistoryEntry{Action: "import", By: a.User, At: m.now()}
		for _, e := range importedEntries(plan, byID, m.bank) {
			if err := saveEntry(tx, a.Guild, e, h, m.quotas.History); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportPlan{}, err
	}
	return plan, nil
}

// entries reads the overlay entries of the questions plan writes, and only those.
func (p ImportPlan) entries(tx BankTx, g GuildID) (map[string]OverlayEntry, error) {
	byID := map[string]OverlayEntry{}
	for _, ids := range [][]string{p.Added, p.Changed, p.Disabled} {
		for _, id := range ids {
			e, ok, err := tx.OverlayQuestion(g, id)
			if err != nil {
				return nil, err
			}
			if ok {
				byID[id] = e
			}
		}
	}
	return byID, nil
}

// checkImportQuotas refuses a plan that would take the server past its question or topic quota.
func (m *Moderation) checkImportQuotas(st *bankState, plan ImportPlan) error {
	if plan.NewTopic {
		if err := m.quotas.checkTopicQuota(len(st.bank.topics), plan.Topic); err != nil {
			return err
		}
	}
	return m.quotas.checkAddQuota(st.added, len(plan.Added), plan.Topic+".yaml")
}

// importedEntries returns the overlay entries plan changes, from the current ones (byID), in
// the order the import writes them: the file's questions, then the ones it disables. A changed
// question that now reads exactly as shipped goes back to the shipped text.
func importedEntries(plan ImportPlan, byID map[string]OverlayEntry, shipped *Bank) []OverlayEntry {
	var out []OverlayEntry
	entry := func(id string) OverlayEntry {
		e := byID[id]
		e.QuestionID = id
		return e
	}
	for _, q := range plan.questions {
		q := q.Clone()
		e := entry(q.ID)
		switch {
		case slices.Contains(plan.Added, q.ID):
			e.Question, e.Added, e.Disabled = &q, true, false
		case slices.Contains(plan.Changed, q.ID):
			e.Disabled, e.Question = false, &q
			if sq, isShipped := shipped.Question(q.ID); isShipped && reflect.DeepEqual(sq, q) {
				e.Question = nil
			}
		default:
			continue
		}
		out = append(out, e)
	}
	for _, id := range plan.Disabled {
		e := entry(id)
		e.Disabled = true
		out = append(out, e)
	}
	return out
}

// String describes a plan for the preview, in English.
func (p ImportPlan) String() string { return p.In(English) }

// In describes a plan for the preview in language l.
func (p ImportPlan) In(l Lang) string {
	var b strings.Builder
	b.WriteString(l.Msg("import.plan_topic", p.Topic))
	if p.NewTopic {
		b.WriteString(l.Msg("import.plan_new"))
	}
	b.WriteString(l.Msg("import.plan_counts", len(p.Added), len(p.Changed), len(p.Disabled), p.Unchanged))
	list := func(label MsgID, ids []string) {
		if len(ids) == 0 {
			return
		}
		if len(ids) > 20 {
			ids = append(ids[:20:20], l.Msg("import.plan_more", len(ids)-20))
		}
		b.WriteString(l.Msg("import.plan_list", label, strings.Join(ids, ", ")))
	}
	list("import.plan_add", p.Added)
	list("import.plan_change", p.Changed)
	list("import.plan_disable", p.Disabled)
	if len(p.NoSummary) > 0 {
		b.WriteString(l.Msg("import.plan_no_summary_warning", Counted{len(p.NoSummary), "unit.question_has"}))
		list("import.plan_no_summary", p.NoSummary)
	}
	if len(p.OneLanguage) > 0 {
		b.WriteString(l.Msg("import.plan_one_language_note", Counted{len(p.OneLanguage), "unit.question_is"}))
		list("import.plan_one_language", p.OneLanguage)
	}
	return b.String()
}

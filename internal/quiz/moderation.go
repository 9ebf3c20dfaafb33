package quiz

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// BankCodec reads and writes bank files (questions/<topic>.yaml); bot/ injects the bank package's.
type BankCodec interface {
	// Parse validates one topic file exactly like `bot check`; problems come back as an error
	// whose text lists them as "file:line: message".
	Parse(name string, data []byte) (Topic, []Question, error)
	Marshal(t Topic, qs []Question) ([]byte, error)
}

// moderatorBank checks that a may moderate and returns their server and its bank.
func (s *Service) moderatorBank(tx Tx, a Actor) (Guild, *Bank, error) {
	if err := s.requireModerator(tx, a); err != nil {
		return Guild{}, nil, err
	}
	g, _, err := tx.Guild(a.Guild)
	if err != nil {
		return Guild{}, nil, err
	}
	b, err := s.bankFor(tx, g)
	return g, b, err
}

// SetModeratorRole sets (or with 0 clears) the role whose members may moderate. Only members
// with the platform's Manage Server permission may change it.
func (s *Service) SetModeratorRole(ctx context.Context, a Actor, role RoleID) error {
	if !a.Manager {
		return Errorf(EFORBIDDEN, "Only members with the Manage Server permission can choose the moderator role.")
	}
	return s.store.Update(ctx, func(tx Tx) error {
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
// Moderators only.
func (s *Service) BankQuestions(ctx context.Context, a Actor, topic string) ([]QuestionInfo, error) {
	var out []QuestionInfo
	err := s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		infos, _, err := s.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		for _, in := range infos {
			if topic == "" || in.Question.Topic == topic {
				out = append(out, in)
			}
		}
		if topic != "" && len(out) == 0 {
			g, _, _ := tx.Guild(a.Guild)
			b, err := s.bankFor(tx, g)
			if err != nil {
				return err
			}
			return b.TopicError(topic)
		}
		return nil
	})
	return out, err
}

// allQuestions returns every question of g's bank with its overlay state, by topic then id.
func (s *Service) allQuestions(tx Tx, g GuildID) ([]QuestionInfo, map[string]OverlayEntry, error) {
	entries, err := tx.OverlayQuestions(g)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]OverlayEntry{}
	for _, e := range entries {
		byID[e.QuestionID] = e
	}
	var out []QuestionInfo
	for _, q := range s.bank.Questions("") {
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
	return out, byID, nil
}

// BankQuestion returns one question of the server's bank, disabled or not. Moderators only.
func (s *Service) BankQuestion(ctx context.Context, a Actor, id string) (QuestionInfo, error) {
	var out QuestionInfo
	err := s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		var err error
		out, err = s.findQuestion(tx, a.Guild, id)
		return err
	})
	return out, err
}

func (s *Service) findQuestion(tx Tx, g GuildID, id string) (QuestionInfo, error) {
	infos, _, err := s.allQuestions(tx, g)
	if err != nil {
		return QuestionInfo{}, err
	}
	for _, in := range infos {
		if in.Question.ID == id {
			return in, nil
		}
	}
	return QuestionInfo{}, Errorf(ENOTFOUND, "No question with id %s in this server's bank.", quote(id))
}

// MatchQuestionIDs returns up to max question ids containing prefix, for autocomplete.
func (s *Service) MatchQuestionIDs(ctx context.Context, a Actor, prefix string, max int) ([]string, error) {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	var out []string
	err := s.store.View(ctx, func(tx Tx) error {
		infos, _, err := s.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		for _, in := range infos {
			if strings.Contains(in.Question.ID, prefix) {
				out = append(out, in.Question.ID)
				if len(out) == max {
					break
				}
			}
		}
		return nil
	})
	return out, err
}

// changeBank applies one moderator change in one transaction: it checks the actor, runs fn on
// the current overlay entry, stores it with a new version and a history entry, and bumps the
// server's bank revision.
func (s *Service) changeBank(ctx context.Context, a Actor, id, action string, fn func(tx Tx, in QuestionInfo, found bool, e *OverlayEntry) error) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		in, err := s.findQuestion(tx, a.Guild, id)
		found := err == nil
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		_, byID, err := s.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		e := byID[id]
		e.QuestionID = id
		prev := in.Question
		if err := fn(tx, in, found, &e); err != nil {
			return err
		}
		e.Version++
		e.UpdatedBy, e.UpdatedAt = a.User, s.now()
		if err := tx.PutOverlayQuestion(a.Guild, e); err != nil {
			return err
		}
		h := HistoryEntry{QuestionID: id, Version: e.Version, Action: action, By: a.User, At: s.now()}
		if found {
			h.Previous = &prev
		}
		if err := tx.AddHistory(a.Guild, h); err != nil {
			return err
		}
		return s.bumpBank(tx, a.Guild)
	})
}

func (s *Service) bumpBank(tx Tx, gid GuildID) error {
	g, _, err := tx.Guild(gid)
	if err != nil {
		return err
	}
	g.ID = gid
	g.BankRev++
	return tx.PutGuild(g)
}

// AddQuestion adds a server-only question. Its id must be new to the shipped bank and the
// server's. Moderators only.
func (s *Service) AddQuestion(ctx context.Context, a Actor, q Question) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	return s.changeBank(ctx, a, q.ID, "add", func(tx Tx, _ QuestionInfo, found bool, e *OverlayEntry) error {
		if found {
			return Errorf(ECONFLICT, "A question with id %s already exists; choose another id.", quote(q.ID))
		}
		if err := s.ensureTopic(tx, a.Guild, q.Topic); err != nil {
			return err
		}
		qq := q.Clone()
		e.Question, e.Added, e.Disabled = &qq, true, false
		return nil
	})
}

// ensureTopic creates a server topic on first use (shipped topics need nothing).
func (s *Service) ensureTopic(tx Tx, g GuildID, slug string) error {
	if _, ok := s.bank.Topic(slug); ok {
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
		return Errorf(EINVALID, "Topic names use a-z, 0-9 and -, up to 32 characters; got %s.", quote(slug))
	}
	title := Text{EN: slug, ZH: slug}
	return tx.PutOverlayTopic(g, TopicOverlay{Slug: slug, Title: &title, Added: true})
}

func checkQuestion(q Question) error {
	ps := q.Check()
	if len(ps) == 0 {
		return nil
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Field + ": " + p.Message
	}
	return Errorf(EINVALID, "The question is not valid:\n%s", strings.Join(lines, "\n"))
}

// EditQuestion replaces a question's text for this server only. version is the version the
// moderator started from (QuestionInfo.Version): if someone else saved in between, it returns
// ECONFLICT and changes nothing. Moderators only.
func (s *Service) EditQuestion(ctx context.Context, a Actor, q Question, version int) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	return s.changeBank(ctx, a, q.ID, "edit", func(tx Tx, in QuestionInfo, found bool, e *OverlayEntry) error {
		if !found {
			return Errorf(ENOTFOUND, "No question with id %s in this server's bank.", quote(q.ID))
		}
		if e.Version != version {
			return Errorf(ECONFLICT, "Someone else changed %s while you were editing (now version %d, you started from %d). Nothing was saved: open it again.", q.ID, e.Version, version)
		}
		if q.Topic != in.Question.Topic {
			return Errorf(EINVALID, "A question cannot move to another topic (%s → %s).", in.Question.Topic, q.Topic)
		}
		qq := q.Clone()
		e.Question = &qq
		return nil
	})
}

// SetDisabled stops (or resumes) asking a question in this server. Moderators only.
func (s *Service) SetDisabled(ctx context.Context, a Actor, id string, disabled bool) error {
	action := map[bool]string{true: "disable", false: "enable"}[disabled]
	return s.changeBank(ctx, a, id, action, func(tx Tx, in QuestionInfo, found bool, e *OverlayEntry) error {
		if !found {
			return Errorf(ENOTFOUND, "No question with id %s in this server's bank.", quote(id))
		}
		if in.Disabled == disabled {
			return Errorf(ECONFLICT, "%s is already %sd.", id, action)
		}
		if disabled {
			if err := s.checkTopicKeepsQuestions(tx, a.Guild, in.Question.Topic, map[string]bool{id: true}); err != nil {
				return err
			}
		}
		e.Disabled = disabled
		return nil
	})
}

// checkTopicKeepsQuestions refuses a change that would leave a topic with no enabled question.
func (s *Service) checkTopicKeepsQuestions(tx Tx, g GuildID, topic string, removing map[string]bool) error {
	infos, _, err := s.allQuestions(tx, g)
	if err != nil {
		return err
	}
	for _, in := range infos {
		if in.Question.Topic == topic && !in.Disabled && !removing[in.Question.ID] {
			return nil
		}
	}
	return Errorf(EINVALID, "That would leave topic %s with no questions. Add one first.", topic)
}

// RemoveQuestion deletes one of the server's own questions (shipped ones can only be disabled).
func (s *Service) RemoveQuestion(ctx context.Context, a Actor, id string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		in, err := s.findQuestion(tx, a.Guild, id)
		if err != nil {
			return err
		}
		if in.Source != "added" {
			return Errorf(EINVALID, "%s ships with the bot: it can be disabled here, not removed.", id)
		}
		if err := s.checkTopicKeepsQuestions(tx, a.Guild, in.Question.Topic, map[string]bool{id: true}); err != nil {
			return err
		}
		if err := tx.DeleteOverlayQuestion(a.Guild, id); err != nil {
			return err
		}
		prev := in.Question
		if err := tx.AddHistory(a.Guild, HistoryEntry{QuestionID: id, Version: in.Version + 1, Action: "remove", By: a.User, At: s.now(), Previous: &prev}); err != nil {
			return err
		}
		return s.bumpBank(tx, a.Guild)
	})
}

// QuestionHistory returns who changed a question and when. Moderators only.
func (s *Service) QuestionHistory(ctx context.Context, a Actor, id string) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		var err error
		out, err = tx.History(a.Guild, id)
		return err
	})
	return out, err
}

// ExportedFile is one topic file of an export.
type ExportedFile struct {
	Name string
	Data []byte
}

// ExportBank writes the server's effective bank (enabled questions) as topic files.
func (s *Service) ExportBank(ctx context.Context, a Actor, codec BankCodec, topic string) ([]ExportedFile, error) {
	var files []ExportedFile
	err := s.store.View(ctx, func(tx Tx) error {
		_, b, err := s.moderatorBank(tx, a)
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
			data, err := codec.Marshal(t, b.Questions(t.Slug))
			if err != nil {
				return err
			}
			files = append(files, ExportedFile{Name: t.Slug + ".yaml", Data: data})
		}
		return nil
	})
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
	questions []Question
	title     Text
	bankRev   uint64
	guild     GuildID
	user      UserID
	expires   time.Time
}

// imports holds previews waiting for a moderator's confirmation.
type imports struct {
	mu    sync.Mutex
	next  uint64
	plans map[uint64]ImportPlan
}

const importTTL = 15 * time.Minute

// PreviewImport validates one topic file exactly like `bot check` and returns what importing
// it would add, change and disable. The file's topic becomes exactly the file's questions.
func (s *Service) PreviewImport(ctx context.Context, a Actor, codec BankCodec, name string, data []byte) (ImportPlan, error) {
	if !strings.HasSuffix(name, ".yaml") {
		return ImportPlan{}, Errorf(EINVALID, "Attach a .yaml file named after its topic, e.g. tcp.yaml (got %s).", quote(name))
	}
	if !utf8.Valid(data) {
		return ImportPlan{}, Errorf(EINVALID, "%s is not UTF-8 text.", name)
	}
	t, qs, err := codec.Parse(name, data)
	if err != nil {
		if ErrorCode(err) != EINTERNAL {
			return ImportPlan{}, err
		}
		return ImportPlan{}, Errorf(EINVALID, "%s does not validate:\n%s", name, err.Error())
	}
	plan := ImportPlan{Topic: t.Slug, questions: qs, title: t.Title, guild: a.Guild, user: a.User, expires: s.now().Add(importTTL)}
	err = s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		plan.bankRev = g.BankRev
		infos, _, err := s.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		current := map[string]QuestionInfo{}
		for _, in := range infos {
			current[in.Question.ID] = in
		}
		_, shipped := s.bank.Topic(t.Slug)
		plan.NewTopic = !shipped
		if !shipped {
			topics, err := tx.OverlayTopics(a.Guild)
			if err != nil {
				return err
			}
			plan.NewTopic = !slices.ContainsFunc(topics, func(o TopicOverlay) bool { return o.Slug == t.Slug && !o.Disabled })
		}
		inFile := map[string]bool{}
		for _, q := range qs {
			inFile[q.ID] = true
			if q.Summary == (Text{}) {
				plan.NoSummary = append(plan.NoSummary, q.ID)
			}
			cur, ok := current[q.ID]
			switch {
			case !ok:
				plan.Added = append(plan.Added, q.ID)
			case cur.Question.Topic != q.Topic:
				return Errorf(EINVALID, "%s: question %s belongs to topic %s; a question cannot move between topics.", name, q.ID, cur.Question.Topic)
			case !reflect.DeepEqual(cur.Question, q) || cur.Disabled:
				plan.Changed = append(plan.Changed, q.ID)
			default:
				plan.Unchanged++
			}
		}
		for _, in := range infos {
			if in.Question.Topic == t.Slug && !inFile[in.Question.ID] && !in.Disabled {
				plan.Disabled = append(plan.Disabled, in.Question.ID)
			}
		}
		return nil
	})
	if err != nil {
		return ImportPlan{}, err
	}
	s.imports.mu.Lock()
	defer s.imports.mu.Unlock()
	if s.imports.plans == nil {
		s.imports.plans = map[uint64]ImportPlan{}
	}
	for id, p := range s.imports.plans {
		if s.now().After(p.expires) {
			delete(s.imports.plans, id)
		}
	}
	s.imports.next++
	plan.ID = s.imports.next
	s.imports.plans[plan.ID] = plan
	return plan, nil
}

// ApplyImport applies a previewed import in one transaction. It refuses if the bank changed
// since the preview, or the preview expired. Moderators only (the one who previewed).
func (s *Service) ApplyImport(ctx context.Context, a Actor, id uint64) (ImportPlan, error) {
	// Only the moderator who previewed it takes the plan: anyone else's click leaves it in place.
	s.imports.mu.Lock()
	plan, ok := s.imports.plans[id]
	switch {
	case !ok || plan.guild != a.Guild || s.now().After(plan.expires):
		ok = false
	case plan.user == a.User:
		delete(s.imports.plans, id)
	}
	s.imports.mu.Unlock()
	if !ok {
		return ImportPlan{}, Errorf(ENOTFOUND, "This import preview expired. Run /bank import again.")
	}
	if plan.user != a.User {
		return ImportPlan{}, Errorf(EFORBIDDEN, "Only the moderator who started this import can confirm it.")
	}
	if len(plan.Added)+len(plan.Changed)+len(plan.Disabled) == 0 && !plan.NewTopic {
		return plan, nil
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		if g.BankRev != plan.bankRev {
			return Errorf(ECONFLICT, "The bank changed since this preview. Nothing was imported: run /bank import again.")
		}
		if plan.NewTopic {
			title := plan.title
			if err := tx.PutOverlayTopic(a.Guild, TopicOverlay{Slug: plan.Topic, Title: &title, Added: true}); err != nil {
				return err
			}
		}
		_, byID, err := s.allQuestions(tx, a.Guild)
		if err != nil {
			return err
		}
		now := s.now()
		put := func(id string, fn func(e *OverlayEntry)) error {
			e := byID[id]
			e.QuestionID = id
			fn(&e)
			e.Version++
			e.UpdatedBy, e.UpdatedAt = a.User, now
			if err := tx.PutOverlayQuestion(a.Guild, e); err != nil {
				return err
			}
			return tx.AddHistory(a.Guild, HistoryEntry{QuestionID: id, Version: e.Version, Action: "import", By: a.User, At: now})
		}
		_, shipped := s.bank.Topic(plan.Topic)
		for _, q := range plan.questions {
			q := q.Clone()
			_, isShipped := s.bank.Question(q.ID)
			switch {
			case slices.Contains(plan.Added, q.ID):
				if err := put(q.ID, func(e *OverlayEntry) { e.Question, e.Added, e.Disabled = &q, true, false }); err != nil {
					return err
				}
			case slices.Contains(plan.Changed, q.ID):
				if err := put(q.ID, func(e *OverlayEntry) {
					e.Disabled = false
					if sq, _ := s.bank.Question(q.ID); isShipped && reflect.DeepEqual(sq, q) {
						e.Question = nil
					} else {
						e.Question = &q
					}
				}); err != nil {
					return err
				}
			}
		}
		for _, id := range plan.Disabled {
			if err := put(id, func(e *OverlayEntry) { e.Disabled = true }); err != nil {
				return err
			}
		}
		_ = shipped
		return s.bumpBank(tx, a.Guild)
	})
	if err != nil {
		return ImportPlan{}, err
	}
	return plan, nil
}

// Report files a member's report about the question of a session.
func (s *Service) Report(ctx context.Context, a Actor, sid SessionID, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 5 || n > 1000 {
		return Errorf(EINVALID, "Say in 5 to 1000 characters what is wrong with the question.")
	}
	return s.store.Update(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "This question session no longer exists.")
		}
		id, err := tx.NextReportID(a.Guild)
		if err != nil {
			return err
		}
		return tx.PutReport(a.Guild, Report{ID: id, QuestionID: sess.QuestionID, By: a.User, Reason: reason, At: s.now()})
	})
}

// Reports returns the server's open reports, oldest first. Moderators only.
func (s *Service) Reports(ctx context.Context, a Actor) ([]Report, error) {
	var out []Report
	err := s.store.View(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		all, err := tx.Reports(a.Guild)
		for _, r := range all {
			if !r.Resolved {
				out = append(out, r)
			}
		}
		return err
	})
	return out, err
}

// ResolveReport closes a report. Moderators only.
func (s *Service) ResolveReport(ctx context.Context, a Actor, id ReportID, note string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := s.requireModerator(tx, a); err != nil {
			return err
		}
		r, ok, err := tx.Report(a.Guild, id)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "No report #%d.", id)
		}
		if r.Resolved {
			return Errorf(ECONFLICT, "Report #%d was already resolved.", id)
		}
		r.Resolved, r.ResolvedBy, r.ResolvedAt, r.Resolution = true, a.User, s.now(), note
		return tx.PutReport(a.Guild, r)
	})
}

// String describes a plan for the preview.
func (p ImportPlan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Topic %s", p.Topic)
	if p.NewTopic {
		b.WriteString(" (new topic)")
	}
	fmt.Fprintf(&b, ": %d to add, %d to change, %d to disable, %d unchanged.\n", len(p.Added), len(p.Changed), len(p.Disabled), p.Unchanged)
	list := func(label string, ids []string) {
		if len(ids) == 0 {
			return
		}
		if len(ids) > 20 {
			ids = append(ids[:20:20], fmt.Sprintf("… and %d more", len(ids)-20))
		}
		fmt.Fprintf(&b, "%s: %s\n", label, strings.Join(ids, ", "))
	}
	list("Add", p.Added)
	list("Change", p.Changed)
	list("Disable", p.Disabled)
	if len(p.NoSummary) > 0 {
		fmt.Fprintf(&b, "Warning: %d question(s) have no summary (the 30-second answer shown first and in public reveals); until you add one with /bank edit or in the file, the start of the answer stands in.\n", len(p.NoSummary))
		list("No summary", p.NoSummary)
	}
	return b.String()
}

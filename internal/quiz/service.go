package quiz

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Defaults for Options.
const (
	DefaultRevealAfter      = 10 * time.Minute
	DefaultDailyRevealAfter = 12 * time.Hour
	DefaultGrace            = 2 * time.Hour
)

// Options configures a Service. Zero values take defaults.
type Options struct {
	Now         func() time.Time // the clock; default time.Now
	Logger      *slog.Logger     // default discards
	Intn        func(n int) int  // randomness for picking; default math/rand/v2
	RevealAfter time.Duration    // public /interview sessions reveal after this; default 10 min
	Grace       time.Duration    // a missed daily post or reveal is still sent this late; default 2 h
}

// Service runs the use cases. It is safe for concurrent use.
type Service struct {
	store Store
	bank  *Bank
	now   func() time.Time
	log   *slog.Logger
	intn  func(int) int
	opts  Options

	zones   sync.Map // zone name -> *time.Location
	banks   sync.Map // GuildID -> guildBank
	imports imports
}

// NewService returns a Service over store with the shipped bank.
func NewService(store Store, bank *Bank, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Intn == nil {
		opts.Intn = rand.IntN
	}
	if opts.RevealAfter <= 0 {
		opts.RevealAfter = DefaultRevealAfter
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	return &Service{store: store, bank: bank, now: opts.Now, log: opts.Logger, intn: opts.Intn, opts: opts}
}

// Now returns the service's current time.
func (s *Service) Now() time.Time { return s.now() }

// Actor is who asks for a use case, as the adapter knows them.
type Actor struct {
	Guild  GuildID
	User   UserID
	Name   string // display name, for leaderboards
	Locale string // client locale, e.g. "zh-CN"
	Roles  []RoleID
	// Manager is true when the platform says the member may manage the server (Discord's
	// Manage Server or Administrator permission, computed by the adapter from the interaction).
	Manager bool
	// Moderator is true when the platform itself grants the member the moderator commands
	// (Discord: a server's Integrations settings let them use /bank or /daily). It makes them
	// a moderator, as Manager or the moderator role does; it never lets them choose the role.
	Moderator bool
}

// Lang returns the language to show m in: their override, else their client's locale.
func (a Actor) lang(m Member) Lang {
	if m.Lang != "" {
		return m.Lang
	}
	return LangForLocale(a.Locale)
}

// Location returns the IANA zone name; "" and "UTC" give UTC.
func (s *Service) location(name string) *time.Location {
	if name == "" || name == "UTC" {
		return time.UTC
	}
	if l, ok := s.zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	s.zones.Store(name, l)
	return l
}

// ParseZone validates an IANA time zone name for storing.
func ParseZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "local") {
		return nil, Errorf(EINVALID, "Give an IANA time zone such as Europe/Berlin, Asia/Shanghai or UTC.")
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "Unknown time zone %s. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Shanghai.", quote(name))
	}
	return l, nil
}

// memberZone is the zone a member's days are counted in: theirs, else the server's, else UTC.
func (s *Service) memberZone(m Member, g Guild) *time.Location {
	if m.TZ != "" {
		return s.location(m.TZ)
	}
	return s.location(g.TZ)
}

// AskRequest says what to ask.
type AskRequest struct {
	Topic   string    // "" = any topic
	Channel ChannelID // where the question will be shown; 0 = nowhere public (console, DM)
	Private bool      // ephemeral: no public reveal
	Review  bool      // only questions due for review
}

// Asked is a question given to a member.
type Asked struct {
	Session  Session
	Question Question
	Lang     Lang
	Due      int // reviews due after this one (for /review)
}

// Ask gives the actor a question: one they have never seen first, then one due for review;
// never the one they were just given. It opens a Session for it.
// Returns ENOTFOUND for an unknown topic (listing the topics), an empty bank, or nothing due.
func (s *Service) Ask(ctx context.Context, a Actor, r AskRequest) (Asked, error) {
	r.Topic = strings.ToLower(strings.TrimSpace(r.Topic))
	now := s.now()
	var out Asked
	// Batch: many members ask at once when a server is busy, and coalescing their commits
	// (one fsync for many) is what keeps the 3-second window safe under load.
	err := s.store.Batch(ctx, func(tx Tx) error {
		out = Asked{}
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		b, err := s.bankFor(tx, g)
		if err != nil {
			return err
		}
		if r.Topic != "" {
			if _, ok := b.Topic(r.Topic); !ok {
				return b.TopicError(r.Topic)
			}
		}
		if len(b.Questions(r.Topic)) == 0 {
			if r.Topic == "" {
				return Errorf(ENOTFOUND, "The question bank is empty.")
			}
			return Errorf(ENOTFOUND, "Topic %s has no questions.", r.Topic)
		}
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		cards, err := tx.Cards(a.Guild, a.User)
		if err != nil {
			return err
		}
		var q Question
		if r.Review {
			var due []Card
			for _, c := range cards {
				if c.IsDue(now) && c.QuestionID != m.LastQuestion && (r.Topic == "" || c.Topic == r.Topic) {
					if _, ok := b.Question(c.QuestionID); ok {
						due = append(due, c)
					}
				}
			}
			if len(due) == 0 {
				return nothingDue(cards, now)
			}
			best := due[0]
			for _, c := range due[1:] {
				if c.Due.Before(best.Due) {
					best = c
				}
			}
			q, _ = b.Question(best.QuestionID)
			out.Due = len(due) - 1
		} else {
			var ok bool
			q, ok = pick(b, r.Topic, cards, m.LastQuestion, now, s.intn)
			if !ok {
				return Errorf(ENOTFOUND, "There is no other question in %s right now.", topicName(r.Topic))
			}
		}
		id, err := tx.NextSessionID(a.Guild)
		if err != nil {
			return err
		}
		sess := Session{
			Guild: a.Guild, ID: id, QuestionID: q.ID, Topic: r.Topic, Channel: r.Channel,
			OpenedBy: a.User, OpenedAt: now, Private: r.Private, Lang: a.lang(m), State: SessionOpen,
		}
		if r.Channel != 0 && !r.Private {
			after := g.RevealAfter
			if after <= 0 {
				after = s.opts.RevealAfter
			}
			// The reveal is queued only once the question is known to be posted publicly
			// (SetSessionMessage): a reply that never reached the channel reveals nothing.
			sess.RevealAt = now.Add(after)
		}
		if err := tx.PutSession(sess); err != nil {
			return err
		}
		c, _, err := tx.Card(a.Guild, a.User, q.ID)
		if err != nil {
			return err
		}
		c.QuestionID, c.Topic = q.ID, q.Topic
		c.Asked++
		c.LastAsked = now
		if err := tx.PutCard(a.Guild, a.User, c); err != nil {
			return err
		}
		m.Guild, m.User = a.Guild, a.User
		m.LastQuestion = q.ID
		m.LastSeen = now
		if a.Name != "" {
			m.Name = a.Name
		}
		if err := tx.PutMember(m); err != nil {
			return err
		}
		out = Asked{Session: sess, Question: q, Lang: a.lang(m), Due: out.Due}
		return nil
	})
	return out, err
}

func topicName(t string) string {
	if t == "" {
		return "the bank"
	}
	return t
}

func nothingDue(cards []Card, now time.Time) error {
	var next time.Time
	for _, c := range cards {
		if !c.Due.IsZero() && (next.IsZero() || c.Due.Before(next)) {
			next = c.Due
		}
	}
	if next.IsZero() {
		return Errorf(ENOTFOUND, "Nothing is due for review yet: grade a question after answering it and it will come back here.")
	}
	return Errorf(ENOTFOUND, "Nothing is due for review. The next review is due %s.", next.UTC().Format("2006-01-02 15:04 UTC"))
}

// ValidateAnswer trims an answer and checks it is neither empty nor longer than MaxAnswerText.
func ValidateAnswer(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(text):
		return "", Errorf(EINVALID, "Your answer is not valid text.")
	case text == "":
		return "", Errorf(EINVALID, "Your answer is empty. Write what you would say in the interview, then submit.")
	case utf8.RuneCountInString(text) > MaxAnswerText:
		return "", Errorf(EINVALID, "Your answer is %d characters; the limit is %d.", utf8.RuneCountInString(text), MaxAnswerText)
	}
	return text, nil
}

// Answered is the outcome of an answer or a reveal: the reference answer to show.
type Answered struct {
	Session  Session
	Question Question
	Lang     Lang
	Streak   StreakStatus
	// Counted is true when this answer counted a new day for the streak.
	Counted bool
	// First is true for the member's first answer to this session.
	First bool
}

// Answer records the actor's answer to a session and returns the reference answer. It counts
// toward the streak in the member's time zone. Answering the same session again replaces the text.
// Returns EINVALID for an empty or oversize answer, ENOTFOUND for an unknown session.
func (s *Service) Answer(ctx context.Context, a Actor, sid SessionID, text string) (Answered, error) {
	text, err := ValidateAnswer(text)
	if err != nil {
		return Answered{}, err
	}
	now := s.now()
	var out Answered
	err = s.store.Batch(ctx, func(tx Tx) error {
		out = Answered{}
		sess, q, g, err := s.loadSession(tx, a.Guild, sid)
		if err != nil {
			return err
		}
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		at, found, err := tx.Attempt(a.Guild, a.User, sid)
		if err != nil {
			return err
		}
		first := !found || at.AnsweredAt.IsZero()
		at = Attempt{Guild: a.Guild, User: a.User, Session: sid, QuestionID: q.ID, Text: text,
			AnsweredAt: now, RevealedAt: at.RevealedAt, Grade: at.Grade, GradedAt: at.GradedAt}
		if err := tx.PutAttempt(at); err != nil {
			return err
		}
		loc := s.memberZone(m, g)
		today := DayOf(now, loc)
		before := m.Streak
		m.Guild, m.User = a.Guild, a.User
		if a.Name != "" {
			m.Name = a.Name
		}
		m.LastSeen = now
		if first {
			m.Streak = m.Streak.Record(today)
			m.Answered++
			month := now.In(loc).Format("2006-01")
			if m.Month != month {
				m.Month, m.MonthAnswers = month, 0
			}
			m.MonthAnswers++
			sess.Answers++
			if err := tx.PutSession(sess); err != nil {
				return err
			}
		}
		if err := tx.PutMember(m); err != nil {
			return err
		}
		if err := s.touchCard(tx, a, q, now); err != nil {
			return err
		}
		out = Answered{Session: sess, Question: q, Lang: a.lang(m), Streak: m.Streak.At(today),
			Counted: m.Streak.LastDay != before.LastDay, First: first}
		return nil
	})
	return out, err
}

// touchCard makes sure the member has a card for q (a member may answer a question someone
// else asked in a channel).
func (s *Service) touchCard(tx Tx, a Actor, q Question, now time.Time) error {
	_, found, err := tx.Card(a.Guild, a.User, q.ID)
	if err != nil || found {
		return err
	}
	return tx.PutCard(a.Guild, a.User, Card{QuestionID: q.ID, Topic: q.Topic, Asked: 1, LastAsked: now})
}

func (s *Service) loadSession(tx Tx, gid GuildID, sid SessionID) (Session, Question, Guild, error) {
	sess, ok, err := tx.Session(gid, sid)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	if !ok {
		return Session{}, Question{}, Guild{}, Errorf(ENOTFOUND, "This question session no longer exists. Ask for a new question.")
	}
	g, _, err := tx.Guild(gid)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	q, ok, err := s.question(tx, g, sess.QuestionID)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	if !ok {
		return Session{}, Question{}, Guild{}, Errorf(ENOTFOUND, "Question %s was removed from the bank. Ask for a new question.", sess.QuestionID)
	}
	return sess, q, g, nil
}

// Reveal shows the reference answer of a session to the actor without an answer. It does not
// count toward the streak, but the member may then grade the question.
func (s *Service) Reveal(ctx context.Context, a Actor, sid SessionID) (Answered, error) {
	now := s.now()
	var out Answered
	err := s.store.Update(ctx, func(tx Tx) error {
		sess, q, g, err := s.loadSession(tx, a.Guild, sid)
		if err != nil {
			return err
		}
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		at, found, err := tx.Attempt(a.Guild, a.User, sid)
		if err != nil {
			return err
		}
		if !found {
			at = Attempt{Guild: a.Guild, User: a.User, Session: sid, QuestionID: q.ID}
		}
		if at.RevealedAt.IsZero() {
			at.RevealedAt = now
			if err := tx.PutAttempt(at); err != nil {
				return err
			}
		}
		if err := s.touchCard(tx, a, q, now); err != nil {
			return err
		}
		out = Answered{Session: sess, Question: q, Lang: a.lang(m), Streak: m.Streak.At(DayOf(now, s.memberZone(m, g)))}
		return nil
	})
	return out, err
}

// Graded is the outcome of grading.
type Graded struct {
	Card Card
	Lang Lang
}

// Grade records the actor's self-assessment for a session they answered or revealed, and
// schedules the question for review. Returns EINVALID if they did neither, ECONFLICT if already graded.
func (s *Service) Grade(ctx context.Context, a Actor, sid SessionID, grade Grade) (Graded, error) {
	if _, ok := ParseGrade(string(grade)); !ok {
		return Graded{}, Errorf(EINVALID, "Unknown grade %s: use again, hard, good or easy.", quote(string(grade)))
	}
	now := s.now()
	var out Graded
	err := s.store.Update(ctx, func(tx Tx) error {
		at, found, err := tx.Attempt(a.Guild, a.User, sid)
		if err != nil {
			return err
		}
		if !found || (at.AnsweredAt.IsZero() && at.RevealedAt.IsZero()) {
			return Errorf(EINVALID, "Answer this question (or reveal its answer) before grading it.")
		}
		if at.Grade != "" {
			return Errorf(ECONFLICT, "You already graded this question as %s.", at.Grade)
		}
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		c, _, err := tx.Card(a.Guild, a.User, at.QuestionID)
		if err != nil {
			return err
		}
		c.QuestionID = at.QuestionID
		if c.Topic == "" {
			g, _, err := tx.Guild(a.Guild)
			if err != nil {
				return err
			}
			if q, ok, err := s.question(tx, g, at.QuestionID); err == nil && ok {
				c.Topic = q.Topic
			}
		}
		c = c.Schedule(grade, now)
		at.Grade, at.GradedAt = grade, now
		if err := tx.PutCard(a.Guild, a.User, c); err != nil {
			return err
		}
		if err := tx.PutAttempt(at); err != nil {
			return err
		}
		out = Graded{Card: c, Lang: a.lang(m)}
		return nil
	})
	return out, err
}

// Next asks another question on the same topic as session sid.
func (s *Service) Next(ctx context.Context, a Actor, sid SessionID, r AskRequest) (Asked, error) {
	var topic string
	err := s.store.View(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil {
			return err
		}
		if ok {
			topic = sess.Topic
		}
		return nil
	})
	if err != nil {
		return Asked{}, err
	}
	r.Topic = topic
	return s.Ask(ctx, a, r)
}

// Session returns a session with its question.
func (s *Service) Session(ctx context.Context, g GuildID, sid SessionID) (Session, Question, error) {
	var (
		sess Session
		q    Question
	)
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		sess, q, _, err = s.loadSession(tx, g, sid)
		return err
	})
	return sess, q, err
}

// SetSessionMessage records the public message a session was posted as, and queues its
// reveal. Only the first call counts.
func (s *Service) SetSessionMessage(ctx context.Context, g GuildID, sid SessionID, ch ChannelID, msg MessageID) error {
	return s.store.Batch(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(g, sid)
		if err != nil || !ok || sess.Message != 0 || sess.Private {
			return err
		}
		sess.Channel, sess.Message = ch, msg
		if err := tx.PutSession(sess); err != nil {
			return err
		}
		if sess.RevealAt.IsZero() || sess.State == SessionRevealed {
			return nil
		}
		return tx.PutDue(Due{At: sess.RevealAt, Guild: g, Session: sid})
	})
}

// Preferences returns the member's language for a.
func (s *Service) Lang(ctx context.Context, a Actor) Lang {
	l := LangForLocale(a.Locale)
	_ = s.store.View(ctx, func(tx Tx) error {
		m, _, err := tx.Member(a.Guild, a.User)
		if err == nil {
			l = a.lang(m)
		}
		return err
	})
	return l
}

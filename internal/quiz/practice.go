package quiz

import (
	"context"
	"strings"
	"time"
)

// Practice is what members do with questions: ask, answer, reveal, grade, close and report.
type Practice struct{ *core }

// AskRequest says what to ask.
type AskRequest struct {
	Topic   string    // "" = any topic
	Channel ChannelID // where the question will be shown; 0 = nowhere public (console, DM)
	Private bool      // ephemeral: no public reveal
	Review  bool      // only questions due for review
	// Weak asks from the member's weakest topic (see TopicProgress.Weaker). Topic "weak" means
	// the same when the bank has no topic of that name.
	Weak bool
	// Show, if set, shows the question before its session is written, and says where it was
	// posted for everyone (zero when private, or not known yet). Ask calls it once, with what it
	// will return, then writes the session (with that message, so one commit does both) and
	// returns. The member thus never waits for the store's writer or its fsync: the question is
	// chosen in a read, under a session id reserved beforehand. Nothing they typed is at stake
	// yet, and every use case that reads the session by id waits for the write. An error from
	// Ask after Show means the question shown was not saved.
	Show func(Asked) (ChannelID, MessageID)
}

// TopicWeak is the Topic an adapter may send for /interview weak.
const TopicWeak = "weak"

// Asked is a question given to a member.
type Asked struct {
	Session  Session
	Question Question
	Lang     Lang
	Due      int // reviews due after this one (for /review)
}

// Ask gives the actor a question: one they have never seen first, then one due for review;
// never the one they were just given. It opens a Session for it.
// Returns ENOTFOUND for an unknown topic (listing the topics), an empty bank, or nothing due;
// ERATELIMIT when the member or the server asks too often.
func (p *Practice) Ask(ctx context.Context, a Actor, r AskRequest) (Asked, error) {
	if err := p.allow(a, ActAsk); err != nil {
		return Asked{}, err
	}
	r.Topic = strings.ToLower(strings.TrimSpace(r.Topic))
	now := p.now()
	if r.Show != nil {
		return p.askShowing(ctx, a, r, now) // chooses in a read, which builds a stale bank there
	}
	// Build the server's bank, if its cached merge is stale, in a read: inside the Batch below
	// it would hold the store's single writer while it reads the server's whole overlay.
	if _, err := p.state(ctx, a.Guild); err != nil {
		return Asked{}, err
	}
	var out Asked
	// Batch: many members ask at once when a server is busy, and coalescing their commits
	// (one fsync for many) is what keeps the 3-second window safe under load.
	err := p.store.Batch(ctx, func(tx Tx) error {
		c, err := p.choose(tx, a, r, now)
		if err != nil {
			return err
		}
		id, err := tx.NextSessionID(a.Guild)
		if err != nil {
			return err
		}
		out = c.asked(p.core, a, id, now)
		return recordAsked(tx, a, out.Session, c.q, c.m, now)
	})
	return out, err
}

// askShowing is Ask with r.Show: choose in a read, show, then write the session and the
// message it was posted as in one commit.
func (p *Practice) askShowing(ctx context.Context, a Actor, r AskRequest, now time.Time) (Asked, error) {
	var c askChoice
	err := p.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = p.choose(tx, a, r, now)
		return err
	})
	if err != nil {
		return Asked{}, err
	}
	id, err := p.ids.take(ctx, p.store, a.Guild)
	if err != nil {
		return Asked{}, err
	}
	out := c.asked(p.core, a, id, now)
	written := p.pending.add(a.Guild, id)
	defer written()
	ch, msg := r.Show(out)
	// Shown: the session must be written even if the interaction's context ends meanwhile.
	err = p.store.Batch(context.WithoutCancel(ctx), func(tx Tx) error {
		m, _, err := tx.Member(a.Guild, a.User) // fresh: it may have changed since the read
		if err != nil {
			return err
		}
		if err := recordAsked(tx, a, out.Session, c.q, m, now); err != nil {
			return err
		}
		if msg == 0 {
			return nil
		}
		_, err = attachMessage(tx, a.Guild, out.Session, ch, msg)
		return err
	})
	return out, err
}

// askChoice is what Ask decides before writing anything.
type askChoice struct {
	r   AskRequest // with the weakest topic filled in for a weak request
	g   Guild
	m   Member
	q   Question
	due int
}

// choose picks the question to ask a.
func (p *Practice) choose(tx Tx, a Actor, r AskRequest, now time.Time) (askChoice, error) {
	g, m, err := memberIn(tx, a.Guild, a.User)
	if err != nil {
		return askChoice{}, err
	}
	b, err := p.bankFor(tx, g)
	if err != nil {
		return askChoice{}, err
	}
	cards, err := tx.Cards(a.Guild, a.User)
	if err != nil {
		return askChoice{}, err
	}
	if weakRequest(b, r) {
		r.Topic, r.Weak = weakestTopic(b, cards, now, p.sched), false
	}
	q, due, err := chooseQuestion(b, r, cards, m.LastQuestion, now, p.memberZone(m, g), p.intn)
	return askChoice{r: r, g: g, m: m, q: q, due: due}, err
}

// asked opens the session id for the choice.
func (c askChoice) asked(core *core, a Actor, id SessionID, now time.Time) Asked {
	sess := newSession(a, c.r, id, c.q, a.lang(c.m), now, core.revealAfter(c.g))
	return Asked{Session: sess, Question: c.q, Lang: a.lang(c.m), Due: c.due}
}

// recordAsked writes what asking did: the session, the card's asked mark, the member's last
// question.
func recordAsked(tx Tx, a Actor, sess Session, q Question, m Member, now time.Time) error {
	if err := tx.PutSession(sess); err != nil {
		return err
	}
	c, _, err := tx.Card(a.Guild, a.User, q.ID)
	if err != nil {
		return err
	}
	if err := tx.PutCard(a.Guild, a.User, askedCard(c, q, now)); err != nil {
		return err
	}
	m = identify(m, a)
	m.LastQuestion, m.LastSeen = q.ID, now
	return tx.PutMember(m)
}

// revealAfter is how long after asking a public /interview session reveals its answer in g.
func (c *core) revealAfter(g Guild) time.Duration {
	if g.RevealAfter > 0 {
		return g.RevealAfter
	}
	return c.opts.RevealAfter
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
	// Hints is how many key points the member took as hints before answering (Hint): the
	// first Hints key points, shown with the reference answer.
	Hints int
	// Intervals says, for each grade, when the question would come back if graded so now:
	// for the grade buttons ("Good · 4d").
	Intervals map[Grade]time.Duration
}

// attempt is what answering or revealing a session reads: the session with its question and
// server, the member, and their attempt at it so far (found is false before any).
type attempt struct {
	sess  Session
	q     Question
	g     Guild
	m     Member
	at    Attempt
	found bool
}

func (c *core) loadAttempt(tx Tx, a Actor, sid SessionID) (attempt, error) {
	var v attempt
	var err error
	if v.sess, v.q, v.g, err = c.loadSession(tx, a.Guild, sid); err != nil {
		return attempt{}, err
	}
	if err := maySee(a, v.sess); err != nil {
		return attempt{}, err
	}
	if v.m, _, err = tx.Member(a.Guild, a.User); err != nil {
		return attempt{}, err
	}
	if v.at, v.found, err = tx.Attempt(a.Guild, a.User, sid); err != nil {
		return attempt{}, err
	}
	return v, nil
}

// Answer records the actor's answer to a session and returns the reference answer. It counts
// toward the streak in the member's time zone. Answering the same session again replaces the text.
// Returns EINVALID for an empty or oversize answer, ENOTFOUND for an unknown session,
// ERATELIMIT when the member or the server answers too often.
func (p *Practice) Answer(ctx context.Context, a Actor, sid SessionID, text string) (Answered, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return Answered{}, err
	}
	text, err := ValidateAnswer(text)
	if err != nil {
		return Answered{}, err
	}
	if err := p.allow(a, ActAnswer); err != nil {
		return Answered{}, err
	}
	now := p.now()
	var out Answered
	err = p.store.Batch(ctx, func(tx Tx) error {
		v, err := p.loadAttempt(tx, a, sid)
		if err != nil {
			return err
		}
		first := !v.found || v.at.AnsweredAt.IsZero()
		if err := tx.PutAttempt(answeredAttempt(v.at, a, sid, v.q.ID, text, now)); err != nil {
			return err
		}
		loc := p.memberZone(v.m, v.g)
		m := applyAnswer(v.m, a, now, loc, first)
		if first {
			v.sess.Answers++
			if err := tx.PutSession(v.sess); err != nil {
				return err
			}
		}
		if err := tx.PutMember(m); err != nil {
			return err
		}
		c, err := touchCard(tx, a, v.q, now)
		if err != nil {
			return err
		}
		out = Answered{Session: v.sess, Question: v.q, Lang: a.lang(m), Streak: m.Streak.At(DayOf(now, loc)),
			Counted: m.Streak.LastDay != v.m.Streak.LastDay, First: first, Hints: v.at.Hints,
			Intervals: p.sched.Intervals(c, now, m.RetentionOrDefault())}
		return nil
	})
	return out, err
}

// memberIn loads server gid and its member u (zero values for what is not stored yet).
func memberIn(tx Tx, gid GuildID, u UserID) (Guild, Member, error) {
	g, _, err := tx.Guild(gid)
	if err != nil {
		return Guild{}, Member{}, err
	}
	m, _, err := tx.Member(gid, u)
	return g, m, err
}

// touchCard makes sure the member has a card for q (a member may answer a question someone
// else asked in a channel), and returns it.
func touchCard(tx MemberTx, a Actor, q Question, now time.Time) (Card, error) {
	c, found, err := tx.Card(a.Guild, a.User, q.ID)
	if err != nil || found {
		return c, err
	}
	c = Card{QuestionID: q.ID, Topic: q.Topic, Asked: 1, LastAsked: now}
	return c, tx.PutCard(a.Guild, a.User, c)
}

// loadSession returns a session with its question and server.
// Returns ENOTFOUND when the session or its question is gone.
func (c *core) loadSession(tx Tx, gid GuildID, sid SessionID) (Session, Question, Guild, error) {
	sess, ok, err := tx.Session(gid, sid)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	if !ok {
		return Session{}, Question{}, Guild{}, Errorf(ENOTFOUND, "session.gone_ask_again")
	}
	g, _, err := tx.Guild(gid)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	q, err := c.sessionQuestion(tx, g, sess)
	if err != nil {
		return Session{}, Question{}, Guild{}, err
	}
	return sess, q, g, nil
}

// sessionQuestion returns the question sess asks. Returns ENOTFOUND if it left the bank.
func (c *core) sessionQuestion(tx BankTx, g Guild, sess Session) (Question, error) {
	q, ok, err := c.question(tx, g, sess.QuestionID)
	if err != nil {
		return Question{}, err
	}
	if !ok {
		return Question{}, Errorf(ENOTFOUND, "session.question_removed", sess.QuestionID)
	}
	return q, nil
}

// Reveal shows the reference answer of a session to the actor without an answer. It does not
// count toward the streak, but the member may then grade the question.
func (p *Practice) Reveal(ctx context.Context, a Actor, sid SessionID) (Answered, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return Answered{}, err
	}
	now := p.now()
	var out Answered
	err := p.store.Update(ctx, func(tx Tx) error {
		v, err := p.loadAttempt(tx, a, sid)
		if err != nil {
			return err
		}
		if !v.found {
			v.at = Attempt{Guild: a.Guild, User: a.User, Session: sid, QuestionID: v.q.ID}
		}
		if v.at.RevealedAt.IsZero() {
			v.at.RevealedAt = now
			if err := tx.PutAttempt(v.at); err != nil {
				return err
			}
		}
		c, err := touchCard(tx, a, v.q, now)
		if err != nil {
			return err
		}
		out = Answered{Session: v.sess, Question: v.q, Lang: a.lang(v.m), Streak: v.m.Streak.At(DayOf(now, p.memberZone(v.m, v.g))),
			Hints: v.at.Hints, Intervals: p.sched.Intervals(c, now, v.m.RetentionOrDefault())}
		return nil
	})
	return out, err
}

// Graded is the outcome of grading.
type Graded struct {
	Card Card
	Lang Lang
	// Zone is the member's zone, for showing when the card is due.
	Zone *time.Location
	// Suggested is the grade the checklist suggested (Check), "" if the member did not check.
	Suggested Grade
}

// Grade records the actor's self-assessment for a session they answered or revealed, and
// schedules the question for review. Returns EINVALID if they did neither, ECONFLICT if already graded.
func (p *Practice) Grade(ctx context.Context, a Actor, sid SessionID, grade Grade) (Graded, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return Graded{}, err
	}
	if _, ok := ParseGrade(string(grade)); !ok {
		return Graded{}, Errorf(EINVALID, "grade.unknown", quote(string(grade)))
	}
	now := p.now()
	var out Graded
	err := p.store.Update(ctx, func(tx Tx) error {
		at, found, err := tx.Attempt(a.Guild, a.User, sid)
		if err != nil {
			return err
		}
		if err := gradable(at, found); err != nil {
			return err
		}
		g, m, err := memberIn(tx, a.Guild, a.User)
		if err != nil {
			return err
		}
		c, _, err := tx.Card(a.Guild, a.User, at.QuestionID)
		if err != nil {
			return err
		}
		c.QuestionID = at.QuestionID
		if c.Topic == "" {
			if c.Topic, err = p.topicOf(tx, a.Guild, at.QuestionID); err != nil {
				return err
			}
		}
		c = p.sched.Review(c, grade, now, m.RetentionOrDefault())
		at.Grade, at.GradedAt = grade, now
		if err := tx.PutCard(a.Guild, a.User, c); err != nil {
			return err
		}
		if err := tx.PutAttempt(at); err != nil {
			return err
		}
		out = Graded{Card: c, Lang: a.lang(m), Zone: p.memberZone(m, g), Suggested: at.Suggested}
		return nil
	})
	return out, err
}

// topicOf returns the topic of a question in gid's bank, "" if it is not there (or cannot be read).
func (c *core) topicOf(tx Tx, gid GuildID, questionID string) (string, error) {
	g, _, err := tx.Guild(gid)
	if err != nil {
		return "", err
	}
	if q, ok, err := c.question(tx, g, questionID); err == nil && ok {
		return q.Topic, nil
	}
	return "", nil
}

// Next asks another question on the same topic as session sid.
func (p *Practice) Next(ctx context.Context, a Actor, sid SessionID, r AskRequest) (Asked, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return Asked{}, err
	}
	var topic string
	err := p.store.View(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil || !ok {
			return err
		}
		topic = sess.Topic
		return maySee(a, sess)
	})
	if err != nil {
		return Asked{}, err
	}
	r.Topic = topic
	return p.Ask(ctx, a, r)
}

// Session returns a session with its question.
// Returns ENOTFOUND when the session or its question is gone.
func (p *Practice) Session(ctx context.Context, g GuildID, sid SessionID) (Session, Question, error) {
	if err := p.pending.wait(ctx, g, sid); err != nil {
		return Session{}, Question{}, err
	}
	var (
		sess Session
		q    Question
	)
	err := p.store.View(ctx, func(tx Tx) error {
		var err error
		sess, q, _, err = p.loadSession(tx, g, sid)
		return err
	})
	return sess, q, err
}

// SessionFor is Session for what actor a is about to do with it (open its answer or report
// form). Returns EFORBIDDEN for another member's private session.
func (p *Practice) SessionFor(ctx context.Context, a Actor, sid SessionID) (Session, Question, error) {
	sess, q, err := p.Session(ctx, a.Guild, sid)
	if err == nil {
		err = maySee(a, sess)
	}
	return sess, q, err
}

// SetSessionMessage records the public message a session was posted as, and queues its
// reveal. Only the first call counts.
func (p *Practice) SetSessionMessage(ctx context.Context, g GuildID, sid SessionID, ch ChannelID, msg MessageID) error {
	if err := p.pending.wait(ctx, g, sid); err != nil {
		return err
	}
	return p.store.Batch(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(g, sid)
		if err != nil || !ok {
			return err
		}
		_, err = attachMessage(tx, g, sess, ch, msg)
		return err
	})
}

// attachMessage records that sess was posted publicly as msg in ch, and queues its reveal.
// Only the first message counts; a private session has none.
func attachMessage(tx SessionTx, g GuildID, sess Session, ch ChannelID, msg MessageID) (Session, error) {
	if sess.Message != 0 || sess.Private {
		return sess, nil
	}
	sess.Channel, sess.Message = ch, msg
	if err := tx.PutSession(sess); err != nil {
		return sess, err
	}
	if sess.RevealAt.IsZero() || sess.State == SessionRevealed {
		return sess, nil
	}
	return sess, tx.PutDue(Due{At: sess.RevealAt, Guild: g, Session: sess.ID})
}

// Report files a member's report about the question of a session.
// Returns EINVALID for a reason under 5 or over 1000 characters or a member with too many open
// reports (Quotas.OpenReports), ENOTFOUND for an unknown session, ERATELIMIT when the member or
// the server reports too often.
func (p *Practice) Report(ctx context.Context, a Actor, sid SessionID, reason string) error {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return err
	}
	reason, err := checkReport(reason)
	if err != nil {
		return err
	}
	if err := p.allow(a, ActReport); err != nil {
		return err
	}
	// Counted in a read: the server's reports are many, and the writer is shared. Two reports
	// at once may pass together; the rate limit bounds that.
	if err := p.store.View(ctx, func(tx Tx) error { return p.checkOpenReports(tx, a) }); err != nil {
		return err
	}
	return p.store.Update(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "session.gone")
		}
		if err := maySee(a, sess); err != nil {
			return err
		}
		id, err := tx.NextReportID(a.Guild)
		if err != nil {
			return err
		}
		return tx.PutReport(a.Guild, Report{ID: id, QuestionID: sess.QuestionID, By: a.User, Reason: reason, At: p.now()})
	})
}

// Topics returns the topics of a server's bank, with their question counts.
func (p *Practice) Topics(ctx context.Context, g GuildID) ([]Topic, map[string]int, error) {
	b, err := p.guildBank(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	return b.Topics(), b.Counts(), nil
}

// MatchTopics returns up to max topics of g's bank matching prefix, for autocomplete; the
// server's bank is cached, so this is one short read.
func (p *Practice) MatchTopics(ctx context.Context, g GuildID, prefix string, max int) ([]Topic, error) {
	b, err := p.guildBank(ctx, g)
	if err != nil {
		return nil, err
	}
	return b.MatchTopics(prefix, max), nil
}

// Intervals returns, for each grade, when the question of session sid would come back if the
// actor graded it now, for labelling the grade buttons ("Good · 4d").
// Returns ENOTFOUND for an unknown session.
func (p *Practice) Intervals(ctx context.Context, a Actor, sid SessionID) (map[Grade]time.Duration, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return nil, err
	}
	now := p.now()
	var out map[Grade]time.Duration
	err := p.store.View(ctx, func(tx Tx) error {
		sess, ok, err := tx.Session(a.Guild, sid)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(ENOTFOUND, "session.gone_ask_again")
		}
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		c, _, err := tx.Card(a.Guild, a.User, sess.QuestionID)
		if err != nil {
			return err
		}
		c.QuestionID = sess.QuestionID
		out = p.sched.Intervals(c, now, m.RetentionOrDefault())
		return nil
	})
	return out, err
}

// checkOpenReports refuses a member who already has Quotas.OpenReports unresolved reports.
func (p *Practice) checkOpenReports(tx ReportTx, a Actor) error {
	all, err := tx.Reports(a.Guild)
	if err != nil {
		return err
	}
	open := 0
	for _, r := range all {
		if r.By == a.User && !r.Resolved {
			open++
		}
	}
	if open >= p.quotas.OpenReports {
		return Errorf(EINVALID, msgReportQuota, open, p.quotas.OpenReports)
	}
	return nil
}

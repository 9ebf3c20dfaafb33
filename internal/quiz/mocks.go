package quiz

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// Mocks is mock interviews (issue 15): /mock alone (the bot asks three questions of rising
// level with follow-ups, against the clock) or with a partner who interviews (pair mode, in a
// private thread the adapter opens). Each method takes the mock's id, which the adapter's
// custom ids carry ("v1:mock-answer:<mock>"), and returns a MockView for the actor: the adapter
// renders the clock from Mock.Deadline (Discord <t:unix:R>), the question asked now, the
// interviewer's script, and the report.
type Mocks struct{ *core }

// MockRequest is /mock's input.
type MockRequest struct {
	Topic   string // "" (or TopicWeak) = from the candidate's weakest topics
	Minutes int    // 0 = DefaultMockMinutes
	// Partner makes a pair mock: the partner interviews the actor (or, with AsInterviewer, the
	// actor interviews the partner). PartnerBot is the adapter's word that the partner is a bot.
	Partner       UserID
	PartnerBot    bool
	AsInterviewer bool
}

// MockView is a mock as one participant may see it now.
type MockView struct {
	// Mock is the stored mock, redacted for the candidate while it runs: follow-ups not yet
	// asked are left out.
	Mock Mock
	Role MockRole // the viewer's part
	Lang Lang     // the viewer's language
	// Questions are the steps' questions, in step order. While the mock runs the candidate gets
	// only the prompts of the questions asked so far (later ones are zero but for ID); the
	// interviewer gets the whole script: key points, follow-ups, reference answers.
	Questions []Question
	// Current is the index of the step being asked, -1 when none (waiting, or over).
	Current int
	// Hints are the key points shown as hints on the current question, in Lang.
	Hints []string
	// TimeUp is true when the actor's action came after the time ran out: the mock ended
	// instead (say so politely, and show the report).
	TimeUp bool
	// Report is set once the mock is over.
	Report *MockReport
}

// MockReport is the end of a mock: each question with the answers, the reference answer and
// key points (in Questions), the checklist, time taken and hints, and the verdict.
type MockReport struct {
	Steps   []MockStepReport
	Verdict MockVerdict // VerdictPending until every answered question is checked or graded
	Took    time.Duration
	// Gradable is true while the grader (the candidate alone, the interviewer in a pair) can
	// still tick checklists and grade.
	Gradable bool
}

// MockStepReport is one question of the report.
type MockStepReport struct {
	Step     int
	Answered bool
	Took     time.Duration // from asking the question to its last follow-up
	Score    float64       // stepScore: valid when Scored
	Scored   bool
}

// Start starts a mock for the actor: alone, or with r.Partner (pair mode, waiting for the
// interviewer's first RevealNext). The questions are chosen now (chooseMockQuestions), from
// r.Topic or the candidate's weakest topics. The clock starts now too.
// Returns EINVALID for a bad length or partner, ENOTFOUND for an unknown topic or an empty
// bank, ECONFLICT when the actor or the partner has a mock in progress.
func (ms *Mocks) Start(ctx context.Context, a Actor, r MockRequest) (MockView, error) {
	minutes, err := checkMockMinutes(r.Minutes)
	if err != nil {
		return MockView{}, err
	}
	if err := checkPartner(a, r); err != nil {
		return MockView{}, err
	}
	if a.Guild == 0 && r.Partner != 0 {
		// The local console (guild 0) has no one else: pairs need a server.
		return MockView{}, Errorf(EINVALID, "This command works only in a server.")
	}
	topic := strings.ToLower(strings.TrimSpace(r.Topic))
	now := ms.now()
	var out MockView
	err = ms.store.Update(ctx, func(tx Tx) error {
		g, me, err := memberIn(tx, a.Guild, a.User)
		if err != nil {
			return err
		}
		for _, u := range []UserID{a.User, r.Partner} {
			if u == 0 {
				continue
			}
			if err := ms.checkFree(tx, a.Guild, u, now, u != a.User); err != nil {
				return err
			}
		}
		b, err := ms.bankFor(tx, g)
		if err != nil {
			return err
		}
		m := Mock{Guild: a.Guild, Mode: MockSolo, Candidate: a.User, Topic: topic, Minutes: minutes,
			Deadline: now.Add(time.Duration(minutes) * time.Minute), State: MockRunning, Lang: a.lang(me), CreatedAt: now}
		if r.Partner != 0 {
			m.Mode, m.State, m.Interviewer = MockPair, MockWaiting, r.Partner
			if r.AsInterviewer {
				m.Candidate, m.Interviewer = r.Partner, a.User
			}
		}
		qs, err := ms.questionsFor(tx, b, &m, now)
		if err != nil {
			return err
		}
		if m.ID, err = tx.NextMockID(a.Guild); err != nil {
			return err
		}
		sessions := make([]SessionID, len(qs))
		for i := range sessions {
			if sessions[i], err = tx.NextSessionID(a.Guild); err != nil {
				return err
			}
		}
		m.Steps = newMockSteps(qs, m.Lang, sessions)
		if m.Mode == MockSolo {
			m.Steps[0].StartedAt = now
		}
		if err := tx.PutMock(m); err != nil {
			return err
		}
		if err := tx.PutDue(mockDue(m)); err != nil {
			return err
		}
		if err := tx.PutMember(identify(me, a)); err != nil {
			return err
		}
		out = mockView(m, roleIn(m, a.User), qs, a.lang(me))
		return nil
	})
	return out, err
}

// questionsFor chooses m's questions: from m.Topic, or (none, or "weak") from the candidate's
// weakest topics first, which marks m.Weak. Returns ENOTFOUND for an unknown topic or an empty
// bank.
func (ms *Mocks) questionsFor(tx Tx, b *Bank, m *Mock, now time.Time) ([]Question, error) {
	cards, err := tx.Cards(m.Guild, m.Candidate)
	if err != nil {
		return nil, err
	}
	var topics []string
	if m.Topic == "" || weakRequest(b, AskRequest{Topic: m.Topic}) {
		m.Topic, m.Weak = "", true
		for _, tp := range topicProgress(b, cards, now, ms.sched) {
			topics = append(topics, tp.Topic.Slug)
		}
		topics = append(topics, "")
	} else {
		if err := askable(b, m.Topic); err != nil {
			return nil, err
		}
		topics = []string{m.Topic}
	}
	qs := chooseMockQuestions(b, topics, cards, ms.intn)
	if len(qs) == 0 {
		return nil, Errorf(ENOTFOUND, "The question bank is empty.")
	}
	return qs, nil
}

// checkFree returns ECONFLICT if u has a mock in progress at now in g; one whose time ran out
// is ended first (and stored).
func (ms *Mocks) checkFree(tx Tx, g GuildID, u UserID, now time.Time, partner bool) error {
	cur, err := tx.MemberMocks(g, u, 1)
	if err != nil || len(cur) == 0 || mockOver(cur[0]) {
		return err
	}
	next, _ := nextMockStep(cur[0], mockEvent{kind: mockTick, at: now})
	if mockOver(next) {
		return ms.persist(tx, cur[0], next)
	}
	if partner {
		return Errorf(ECONFLICT, "Your partner is in another mock interview right now.")
	}
	return Errorf(ECONFLICT, "You already have a mock interview in progress: continue it with /mock resume, or end it first.")
}

// Resume returns the actor's mock in progress (or whose report is still being graded) at its
// current step: leaving, or a restart of the bot, loses nothing answered. A mock whose time ran
// out is ended first. Returns ENOTFOUND when there is none.
func (ms *Mocks) Resume(ctx context.Context, a Actor) (MockView, error) {
	var id MockID
	err := ms.store.View(ctx, func(tx Tx) error {
		list, err := tx.MemberMocks(a.Guild, a.User, MockHistory)
		if err != nil {
			return err
		}
		for _, m := range list {
			if m.State == MockWaiting || m.State == MockRunning || m.State == MockFinished {
				id = m.ID
				return nil
			}
		}
		return Errorf(ENOTFOUND, "You have no mock interview in progress. Start one with /mock start.")
	})
	if err != nil {
		return MockView{}, err
	}
	return ms.Get(ctx, a, id)
}

// Get returns mock id as the actor sees it, ending it first if its time ran out.
// Returns ENOTFOUND for an unknown mock, EFORBIDDEN for anyone but its two members.
func (ms *Mocks) Get(ctx context.Context, a Actor, id MockID) (MockView, error) {
	return ms.apply(ctx, a, id, mockEvent{kind: mockTick})
}

// Answer records the candidate's answer to what is asked now: the question, or its current
// follow-up. Alone, the next follow-up or question follows at once; in a pair the interviewer
// moves on (RevealNext), and answering again replaces the text. An answer counts toward the
// candidate's streak like any other. After the time is up the mock ends instead (TimeUp), but an
// answer within MockGrace of the deadline is kept.
// Returns EINVALID for an empty or oversize answer, EFORBIDDEN for the interviewer, ECONFLICT
// when the mock is over or waiting.
func (ms *Mocks) Answer(ctx context.Context, a Actor, id MockID, text string) (MockView, error) {
	text, err := ValidateAnswer(text)
	if err != nil {
		return MockView{}, err
	}
	return ms.apply(ctx, a, id, mockEvent{kind: mockAnswer, text: text})
}

// Hint shows the next key point of the current question (before it is answered; all but one at
// most). In a pair only the interviewer gives hints. The report counts them.
// Returns ECONFLICT once answered or when none is left, EFORBIDDEN for the candidate of a pair.
func (ms *Mocks) Hint(ctx context.Context, a Actor, id MockID) (MockView, error) {
	return ms.apply(ctx, a, id, mockEvent{kind: mockHint})
}

// RevealNext is the interviewer of a pair moving on: the first question, the next follow-up,
// the next question, or (after the last) the report. A question moved past counts as answered
// (aloud, if not in writing). Returns EFORBIDDEN for the candidate, EINVALID for a solo mock.
func (ms *Mocks) RevealNext(ctx context.Context, a Actor, id MockID) (MockView, error) {
	return ms.apply(ctx, a, id, mockEvent{kind: mockReveal})
}

// Check ticks the key points (indexes) the answer to question step (0-based) covered, on the
// report, and suggests a grade (SuggestGrade, in MockStep.Suggested). Checking again replaces
// it until graded. Only the grader checks: the candidate alone, the interviewer in a pair.
// Returns EINVALID before the report or for a bad index, ECONFLICT once graded.
func (ms *Mocks) Check(ctx context.Context, a Actor, id MockID, step int, covered []int) (MockView, error) {
	cov := slices.Clone(covered)
	slices.Sort(cov)
	return ms.apply(ctx, a, id, mockEvent{kind: mockCheck, step: step, covered: slices.Compact(cov)})
}

// Grade grades question step (0-based) of the report, and schedules the candidate's card for
// review with it (through the Scheduler, as Practice.Grade). Grading the last answered question
// closes the mock. Returns EINVALID for an unanswered question or a bad grade, ECONFLICT once
// graded.
func (ms *Mocks) Grade(ctx context.Context, a Actor, id MockID, step int, grade Grade) (MockView, error) {
	return ms.apply(ctx, a, id, mockEvent{kind: mockGrade, step: step, grade: grade})
}

// End ends the mock for either participant: a running one goes to its report (or is abandoned
// with nothing answered); a report being graded is closed as it is.
func (ms *Mocks) End(ctx context.Context, a Actor, id MockID) (MockView, error) {
	return ms.apply(ctx, a, id, mockEvent{kind: mockStop})
}

// SetMockThread records the private thread the adapter opened for a pair mock.
// Returns ENOTFOUND for an unknown mock, EFORBIDDEN for anyone but its two members.
func (ms *Mocks) SetMockThread(ctx context.Context, a Actor, id MockID, thread ChannelID) error {
	return ms.store.Update(ctx, func(tx Tx) error {
		m, err := ms.load(tx, a, id)
		if err != nil {
			return err
		}
		m.Thread = thread
		return tx.PutMock(m)
	})
}

// History returns the actor's last MockHistory mocks (as candidate or interviewer), newest
// first, each with its report once over.
func (ms *Mocks) History(ctx context.Context, a Actor) ([]MockView, error) {
	now := ms.now()
	var out []MockView
	err := ms.store.View(ctx, func(tx Tx) error {
		list, err := tx.MemberMocks(a.Guild, a.User, MockHistory)
		if err != nil {
			return err
		}
		for _, m := range list {
			m, _ = nextMockStep(m, mockEvent{kind: mockTick, at: now}) // as it stands, unsaved
			v, err := ms.view(tx, m, a)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// RunMockTimeouts ends the mocks whose time is up at now (their deadline plus MockGrace is in
// the due queue), and tells their members privately, best effort. It returns how many it
// ended. The scheduler runs it every minute; every action on a mock checks the clock too.
func (ms *Mocks) RunMockTimeouts(ctx context.Context, now time.Time) (int, error) {
	var due []Due
	if err := ms.store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.DueUntil(now, 1000)
		return err
	}); err != nil {
		return 0, err
	}
	ended := 0
	var errs []error
	for _, d := range due {
		id, ok := dueMock(d)
		if !ok {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		var done *Mock
		err := ms.store.Update(ctx, func(tx Tx) error {
			done = nil
			m, found, err := tx.Mock(d.Guild, id)
			if err != nil {
				return err
			}
			if !found {
				return tx.DeleteDue(d)
			}
			next, _ := nextMockStep(m, mockEvent{kind: mockTick, at: now})
			if mockOver(m) || !mockOver(next) {
				if mockOver(m) {
					return tx.DeleteDue(d)
				}
				return nil
			}
			done = &next
			return ms.persist(tx, m, next)
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if done != nil {
			ended++
			ms.notifyTimeUp(ctx, *done)
		}
	}
	return ended, errors.Join(errs...)
}

// notifyTimeUp tells both members, each in their language (their setting, else the mock's).
func (ms *Mocks) notifyTimeUp(ctx context.Context, m Mock) {
	for _, u := range []UserID{m.Candidate, m.Interviewer} {
		if u == 0 {
			continue
		}
		lang := m.Lang
		_ = ms.store.View(ctx, func(tx Tx) error {
			if mem, ok, err := tx.Member(m.Guild, u); err == nil && ok && mem.Lang != "" {
				lang = mem.Lang
			}
			return nil
		})
		text := pickLang(lang, "Time is up for your mock interview. Your report is ready: see it with /mock resume.",
			"你的模拟面试时间到了。报告已生成：用 /mock resume 查看。")
		if m.State == MockAbandoned {
			text = pickLang(lang, "Your mock interview ended: the time ran out before any answer.",
				"你的模拟面试已结束：时间用完，没有任何回答。")
		}
		if err := ms.opts.Publisher.Notify(ctx, m.Guild, u, text); err != nil && !errors.Is(err, context.Canceled) {
			ms.log.Warn("mock timeout: could not notify", "guild_id", m.Guild, "mock_id", m.ID, "user_id", u, "err", err)
		}
	}
}

// load returns mock id of a's server for one of its two members.
// Returns ENOTFOUND for an unknown mock, EFORBIDDEN for anyone else.
func (ms *Mocks) load(tx Tx, a Actor, id MockID) (Mock, error) {
	m, ok, err := tx.Mock(a.Guild, id)
	if err != nil {
		return Mock{}, err
	}
	if !ok {
		return Mock{}, Errorf(ENOTFOUND, "This mock interview no longer exists.")
	}
	if roleIn(m, a.User) == "" {
		return Mock{}, errNotSide
	}
	return m, nil
}

// apply runs event e (by the actor, now) on mock id in one transaction and returns the view.
func (ms *Mocks) apply(ctx context.Context, a Actor, id MockID, e mockEvent) (MockView, error) {
	now := ms.now()
	e.by, e.at = a.User, now
	var out MockView
	err := ms.store.Update(ctx, func(tx Tx) error {
		m, err := ms.load(tx, a, id)
		if err != nil {
			return err
		}
		if e.kind == mockTick {
			e.by = 0
		}
		next, err := nextMockStep(m, e)
		timeUp := errors.Is(err, errTimeUp)
		if err != nil && !timeUp {
			return err
		}
		if err := ms.persist(tx, m, next); err != nil {
			return err
		}
		if out, err = ms.view(tx, next, a); err != nil {
			return err
		}
		out.TimeUp = timeUp
		return nil
	})
	return out, err
}

// persist stores next, the mock after old, with what its steps' changes do to the candidate:
// a question answered is an answered attempt (Attempt.Mock; it counts toward the streak and the
// month); a checklist is the attempt's; a grade reviews the candidate's card through the
// Scheduler. A mock that ended leaves the due queue.
func (ms *Mocks) persist(tx Tx, old, next Mock) error {
	if err := tx.PutMock(next); err != nil {
		return err
	}
	if !mockOver(old) && mockOver(next) {
		if err := tx.DeleteDue(mockDue(next)); err != nil {
			return err
		}
	}
	var g Guild
	var mem Member
	loaded := false
	for i, s := range next.Steps {
		var o MockStep
		if i < len(old.Steps) {
			o = old.Steps[i]
		}
		answered := stepAnswered(s) && !stepAnswered(o)
		checked := !slices.Equal(s.Covered, o.Covered) || (s.Covered == nil) != (o.Covered == nil)
		graded := s.Grade != "" && o.Grade == ""
		textChanged := s.Answer != o.Answer
		if !answered && !checked && !graded && !textChanged {
			continue
		}
		if !loaded {
			var err error
			if g, mem, err = memberIn(tx, next.Guild, next.Candidate); err != nil {
				return err
			}
			loaded = true
		}
		cand := Actor{Guild: next.Guild, User: next.Candidate}
		at, _, err := tx.Attempt(next.Guild, next.Candidate, s.Session)
		if err != nil {
			return err
		}
		at.Guild, at.User, at.Session, at.QuestionID, at.Mock = next.Guild, next.Candidate, s.Session, s.QuestionID, next.ID
		at.Text, at.Hints, at.AnsweredAt = s.Answer, s.Hints, s.AnsweredAt
		at.Covered, at.Suggested = slices.Clone(s.Covered), s.Suggested
		c, _, err := tx.Card(next.Guild, next.Candidate, s.QuestionID)
		if err != nil {
			return err
		}
		c.QuestionID = s.QuestionID
		if c.Topic == "" {
			if c.Topic, err = ms.topicOf(tx, next.Guild, s.QuestionID); err != nil {
				return err
			}
		}
		if answered {
			mem = applyAnswer(mem, cand, s.AnsweredAt, ms.memberZone(mem, g), true)
			c.Asked++
			c.LastAsked = s.StartedAt
		}
		if graded {
			c = ms.sched.Review(c, s.Grade, s.GradedAt, mem.RetentionOrDefault())
			at.Grade, at.GradedAt = s.Grade, s.GradedAt
		}
		if err := tx.PutCard(next.Guild, next.Candidate, c); err != nil {
			return err
		}
		if err := tx.PutAttempt(at); err != nil {
			return err
		}
	}
	if loaded {
		return tx.PutMember(mem)
	}
	return nil
}

// view is m as a sees it.
func (ms *Mocks) view(tx Tx, m Mock, a Actor) (MockView, error) {
	g, viewer, err := memberIn(tx, m.Guild, a.User)
	if err != nil {
		return MockView{}, err
	}
	b, err := ms.bankFor(tx, g)
	if err != nil {
		return MockView{}, err
	}
	qs := make([]Question, len(m.Steps))
	for i, s := range m.Steps {
		if q, ok := b.Question(s.QuestionID); ok {
			qs[i] = q.Clone()
		} else {
			qs[i] = Question{ID: s.QuestionID, Level: s.Level}
		}
	}
	return mockView(m, roleIn(m, a.User), qs, a.lang(viewer)), nil
}

// mockView is m as a participant in role sees it, with qs the steps' questions: while the mock
// runs, the candidate sees only the prompts of the questions asked and the follow-ups asked
// (the interviewer sees everything); once over, both see the report.
func mockView(m Mock, role MockRole, qs []Question, lang Lang) MockView {
	v := MockView{Mock: m, Role: role, Lang: lang, Questions: slices.Clone(qs), Current: currentStep(m)}
	v.Mock.Steps = cloneSteps(m.Steps)
	if mockOver(m) {
		v.Current = -1
		v.Report = mockReport(m)
		return v
	}
	if v.Current >= 0 {
		s := m.Steps[v.Current]
		if pts := qs[v.Current].KeyPoints.In(lang); s.Hints <= len(pts) {
			v.Hints = slices.Clone(pts[:s.Hints])
		}
	}
	if role == MockInterviewer {
		return v
	}
	for i, s := range v.Mock.Steps {
		q := qs[i]
		if s.StartedAt.IsZero() {
			v.Questions[i] = Question{ID: q.ID}
			v.Mock.Steps[i].FollowUps = nil
			continue
		}
		v.Questions[i] = Question{ID: q.ID, Topic: q.Topic, Level: q.Level, Tags: slices.Clone(q.Tags), Prompt: q.Prompt}
		v.Mock.Steps[i].FollowUps = s.FollowUps[:min(s.FollowUpsAsked, len(s.FollowUps))]
	}
	return v
}

// mockReport is the report of a mock that is over.
func mockReport(m Mock) *MockReport {
	r := &MockReport{Verdict: mockVerdict(m.Steps), Gradable: m.State == MockFinished}
	start := m.CreatedAt
	for i, s := range m.Steps {
		if i == 0 && !s.StartedAt.IsZero() {
			start = s.StartedAt
		}
		sr := MockStepReport{Step: i, Answered: stepAnswered(s)}
		if !s.StartedAt.IsZero() {
			end := s.DoneAt
			if end.IsZero() {
				end = m.FinishedAt
			}
			sr.Took = max(0, end.Sub(s.StartedAt))
		}
		sr.Score, sr.Scored = stepScore(s)
		r.Steps = append(r.Steps, sr)
	}
	if !m.FinishedAt.IsZero() {
		r.Took = max(0, m.FinishedAt.Sub(start))
	}
	return r
}

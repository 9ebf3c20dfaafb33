package quiz

import (
	"cmp"
	"slices"
	"time"
)

// The rules of mock interviews as pure functions: values in, values out, no store.
//
// A mock is a small state machine (nextMockStep):
//
//	solo: running ─answer→ (follow-up asked ─answer→)… next question … ─last answer→ finished
//	pair: waiting ─reveal→ running ─reveal→ follow-up / next question … ─reveal after the last→ finished
//	finished ─check/grade→ … ─every answered question graded (or stop)→ closed
//	waiting/running ─stop or the clock→ finished (something was answered) or abandoned
//
// The position is read from the steps themselves (the first started step not done), so a
// restart resumes exactly where the stored mock is.

// Mock interview limits.
const (
	MockQuestions      = 3  // one junior, one mid, one senior when the bank has them
	DefaultMockMinutes = 30 // when /mock gives none
	MinMockMinutes     = 5
	MaxMockMinutes     = 120
	// MockGrace is how late after the deadline an answer is still taken (its form was opened in
	// time); the scheduled check ends the mock then.
	MockGrace = 2 * time.Minute
	// MockHistory is how many past mocks History returns.
	MockHistory = 10
)

// MockRole is a participant's part in a mock.
type MockRole string

const (
	MockCandidate   MockRole = "candidate"
	MockInterviewer MockRole = "interviewer"
)

// roleIn is u's part in m, "" for someone who is neither side.
func roleIn(m Mock, u UserID) MockRole {
	switch {
	case u == 0:
		return ""
	case u == m.Candidate:
		return MockCandidate
	case m.Mode == MockPair && u == m.Interviewer:
		return MockInterviewer
	}
	return ""
}

// grader is the role that ticks the checklist and grades: the candidate alone, the interviewer
// in a pair.
func grader(m Mock) MockRole {
	if m.Mode == MockPair {
		return MockInterviewer
	}
	return MockCandidate
}

// checkMockMinutes returns the time allowed: n, or DefaultMockMinutes for 0.
// Returns EINVALID outside MinMockMinutes..MaxMockMinutes.
func checkMockMinutes(n int) (int, error) {
	if n == 0 {
		return DefaultMockMinutes, nil
	}
	if n < MinMockMinutes || n > MaxMockMinutes {
		return 0, Errorf(EINVALID, "mock.a_mock_interview_lasts_d", MinMockMinutes, MaxMockMinutes, n)
	}
	return n, nil
}

// checkPartner reports why partner cannot take part in a's mock: themself or a bot.
func checkPartner(a Actor, r MockRequest) error {
	if r.Partner == 0 {
		return nil
	}
	if r.Partner == a.User {
		return Errorf(EINVALID, "mock.choose_another_member_as_your")
	}
	if r.PartnerBot {
		return Errorf(EINVALID, "mock.choose_a_member_as_your")
	}
	return nil
}

func levelRank(l Level) int {
	if i := slices.Index(Levels, l); i >= 0 {
		return i
	}
	return len(Levels)
}

// chooseMockQuestions picks up to MockQuestions questions of rising level, one per level
// (junior, mid, senior), from topics in order of preference (the asked topic, or the member's
// topics weakest first; "" = the whole bank): for each level, the first topic with a question
// of that level gives one, never seen by the member (no card) if it can, else the one asked
// longest ago. Levels no topic has are filled from the preferred topics' other questions.
// The result is sorted by level. intn breaks ties among unseen questions.
func chooseMockQuestions(b *Bank, topics []string, cards []Card, intn func(int) int) []Question {
	lastAsked := make(map[string]time.Time, len(cards))
	for _, c := range cards {
		lastAsked[c.QuestionID] = c.LastAsked
	}
	var out []Question
	chosen := map[string]bool{}
	best := func(level Level, topic string) (Question, bool) {
		var unseen []Question
		var old *Question
		qs := b.Questions(topic)
		for i := range qs {
			q := &qs[i]
			if chosen[q.ID] || (level != "" && q.Level != level) {
				continue
			}
			at, seen := lastAsked[q.ID]
			if !seen {
				unseen = append(unseen, *q)
			} else if old == nil || at.Before(lastAsked[old.ID]) {
				old = q
			}
		}
		if len(unseen) > 0 {
			return unseen[intn(len(unseen))], true
		}
		if old != nil {
			return *old, true
		}
		return Question{}, false
	}
	take := func(level Level) bool {
		for _, t := range topics {
			if q, ok := best(level, t); ok {
				out, chosen[q.ID] = append(out, q), true
				return true
			}
		}
		return false
	}
	missing := 0
	for _, l := range Levels[:MockQuestions] {
		if !take(l) {
			missing++
		}
	}
	for range missing {
		take("")
	}
	slices.SortStableFunc(out, func(x, y Question) int { return cmp.Compare(levelRank(x.Level), levelRank(y.Level)) })
	return out
}

// mockFollowUpCount is how many follow-ups a question of level l asks after the answer: one for
// a junior question, two above, at most as many as it has.
func mockFollowUpCount(l Level, available int) int {
	n := 2
	if l == Junior {
		n = 1
	}
	return min(n, available)
}

// newMockSteps are the steps asking qs in lang; sessions key their attempts.
func newMockSteps(qs []Question, lang Lang, sessions []SessionID) []MockStep {
	steps := make([]MockStep, len(qs))
	for i, q := range qs {
		fu := q.FollowUps.In(lang)
		steps[i] = MockStep{QuestionID: q.ID, Level: q.Level, Points: len(q.KeyPoints.EN), Session: sessions[i],
			FollowUps: slices.Clone(fu[:mockFollowUpCount(q.Level, len(fu))])}
	}
	return steps
}

// mockEventKind is what happens to a mock.
type mockEventKind int

const (
	mockTick   mockEventKind = iota // the clock: a scheduled check (ends a mock whose time is up)
	mockReveal                      // the interviewer reveals the next question or follow-up (pair)
	mockAnswer                      // the candidate answers what is asked now
	mockHint                        // a key point shown before the answer (the interviewer's, in a pair)
	mockCheck                       // the key points an answer covered, ticked on the report
	mockGrade                       // a question graded on the report
	mockStop                        // a participant ends the mock
)

// mockEvent is one event, by a participant (none for mockTick) at a time.
type mockEvent struct {
	kind    mockEventKind
	by      UserID
	at      time.Time
	text    string // mockAnswer
	step    int    // mockCheck, mockGrade: the question's index
	covered []int  // mockCheck: sorted, de-duplicated (checkCovered)
	grade   Grade  // mockGrade
}

// Errors of the state machine.
var (
	errTimeUp     = Errorf(ECONFLICT, "mock.time_is_up_this_mock")
	errMockOver   = Errorf(ECONFLICT, "mock.this_mock_interview_is_over")
	errNotReady   = Errorf(EINVALID, "mock.the_report_is_not_ready")
	errNotSide    = Errorf(EFORBIDDEN, "mock.only_the_two_members_of")
	errWaiting    = Errorf(ECONFLICT, "mock.the_interviewer_has_not_revealed")
	errSoloReveal = Errorf(EINVALID, "mock.in_a_solo_mock_interview")
	errRevealer   = Errorf(EFORBIDDEN, "mock.only_the_interviewer_reveals_the")
	errAnswerer   = Errorf(EFORBIDDEN, "mock.only_the_candidate_answers_in")
	errHinter     = Errorf(EFORBIDDEN, "mock.pair_only_interviewer_hints")
	errGrader     = Errorf(EFORBIDDEN, "mock.pair_only_interviewer_grades")
	errHintLate   = Errorf(ECONFLICT, "mock.hints_are_for_before_the")
	errNoHint     = Errorf(ECONFLICT, "mock.no_more_hints_for_this")
)

// mockOver reports whether m accepts no more questions or answers.
func mockOver(m Mock) bool {
	return m.State != MockWaiting && m.State != MockRunning
}

// mockTimedOut reports whether m is still open at at though its time is up: after the
// deadline, and after MockGrace too unless answering is true.
func mockTimedOut(m Mock, at time.Time, answering bool) bool {
	if mockOver(m) || m.Deadline.IsZero() {
		return false
	}
	end := m.Deadline
	if answering {
		end = end.Add(MockGrace)
	}
	return at.After(end)
}

// currentStep is the index of the step being asked in m (started, not done); -1 if none.
func currentStep(m Mock) int {
	for i, s := range m.Steps {
		if !s.StartedAt.IsZero() && s.DoneAt.IsZero() {
			return i
		}
	}
	return -1
}

// stepAnswered reports whether a step's question was answered (typed, or in a pair moved past
// by the interviewer after a spoken answer): only those are graded and enter review.
func stepAnswered(s MockStep) bool { return !s.AnsweredAt.IsZero() }

func cloneSteps(steps []MockStep) []MockStep {
	out := slices.Clone(steps)
	for i := range out {
		out[i].FollowUps = slices.Clone(out[i].FollowUps)
		out[i].FollowUpAnswers = slices.Clone(out[i].FollowUpAnswers)
		out[i].Covered = slices.Clone(out[i].Covered)
	}
	return out
}

// nextMockStep is m after event e, or why e is refused (m unchanged). The clock comes first:
// any event after the deadline (an answer: after MockGrace more) ends a waiting or running mock
// instead, returning the ended mock with errTimeUp (store it, then tell the member politely);
// a tick just ends it. A finished mock's report is checked and graded (by the candidate, or the
// interviewer in a pair) until every answered question is graded, which closes it. Only its two
// members act on a mock (EFORBIDDEN for anyone else).
func nextMockStep(m Mock, e mockEvent) (Mock, error) {
	m.Steps = cloneSteps(m.Steps)
	role := roleIn(m, e.by)
	if e.kind != mockTick && role == "" {
		return m, errNotSide
	}
	if mockTimedOut(m, e.at, e.kind == mockAnswer) {
		m = finishMock(m, MockEndTimeout, 0, e.at)
		if e.kind == mockTick {
			return m, nil
		}
		return m, errTimeUp
	}
	switch e.kind {
	case mockTick:
		return m, nil
	case mockStop:
		switch m.State {
		case MockWaiting, MockRunning:
			return finishMock(m, MockEndStopped, e.by, e.at), nil
		case MockFinished:
			m.State = MockClosed
			return m, nil
		}
		return m, errMockOver
	case mockCheck, mockGrade:
		return reportEvent(m, e, role)
	}
	if mockOver(m) {
		return m, errMockOver
	}
	if m.State == MockWaiting {
		return startMock(m, e, role)
	}
	return runningMockStep(m, e, role)
}

// startMock is a waiting mock after event e: the interviewer's reveal of the first question
// starts it; anything else is refused.
func startMock(m Mock, e mockEvent, role MockRole) (Mock, error) {
	if e.kind != mockReveal {
		return m, errWaiting
	}
	if role != MockInterviewer {
		return m, errRevealer
	}
	m.State = MockRunning
	if len(m.Steps) == 0 {
		return finishMock(m, MockEndDone, 0, e.at), nil
	}
	m.Steps[0].StartedAt = e.at
	return m, nil
}

// runningMockStep is a running mock after a reveal, an answer or a hint.
func runningMockStep(m Mock, e mockEvent, role MockRole) (Mock, error) {
	k := currentStep(m)
	if k < 0 { // a running mock always asks something; repair a stored one that does not
		return finishMock(m, MockEndDone, 0, e.at), nil
	}
	s := &m.Steps[k]
	switch e.kind {
	case mockReveal:
		if m.Mode != MockPair {
			return m, errSoloReveal
		}
		if role != MockInterviewer {
			return m, errRevealer
		}
		if s.AnsweredAt.IsZero() {
			s.AnsweredAt = e.at // answered aloud
		}
		if s.FollowUpsAsked < len(s.FollowUps) {
			s.FollowUpsAsked++
			return m, nil
		}
		return stepDone(m, k, e.at), nil
	case mockAnswer:
		if role != MockCandidate {
			return m, errAnswerer
		}
		m = answerStep(m, k, e.text, e.at)
		if mockTimedOut(m, e.at, false) {
			return finishMock(m, MockEndTimeout, 0, e.at), nil
		}
		return m, nil
	case mockHint:
		if m.Mode == MockPair && role != MockInterviewer {
			return m, errHinter
		}
		if s.Answer != "" || s.FollowUpsAsked > 0 {
			return m, errHintLate
		}
		if s.Hints >= maxHints(s.Points) {
			return m, errNoHint
		}
		s.Hints++
		return m, nil
	}
	return m, Errorf(EINVALID, "mock.unknown_mock_interview_action")
}

// answerStep records the candidate's answer to what step k asks now. Alone, the answer moves
// on (the next follow-up, the next question, or the end); in a pair the interviewer moves on,
// and answering again replaces the text.
func answerStep(m Mock, k int, text string, at time.Time) Mock {
	s := &m.Steps[k]
	if m.Mode == MockPair {
		if s.FollowUpsAsked == 0 {
			s.Answer = text
		} else {
			for len(s.FollowUpAnswers) < s.FollowUpsAsked {
				s.FollowUpAnswers = append(s.FollowUpAnswers, "")
			}
			s.FollowUpAnswers[s.FollowUpsAsked-1] = text
		}
		if s.AnsweredAt.IsZero() {
			s.AnsweredAt = at
		}
		return m
	}
	if s.FollowUpsAsked == 0 {
		s.Answer, s.AnsweredAt = text, at
	} else {
		for len(s.FollowUpAnswers) < s.FollowUpsAsked {
			s.FollowUpAnswers = append(s.FollowUpAnswers, "")
		}
		s.FollowUpAnswers[s.FollowUpsAsked-1] = text
	}
	if s.FollowUpsAsked < len(s.FollowUps) {
		s.FollowUpsAsked++
		return m
	}
	return stepDone(m, k, at)
}

// stepDone closes step k at at and asks the next, or finishes m after the last.
func stepDone(m Mock, k int, at time.Time) Mock {
	m.Steps[k].DoneAt = at
	if k+1 < len(m.Steps) {
		m.Steps[k+1].StartedAt = at
		return m
	}
	return finishMock(m, MockEndDone, 0, at)
}

// finishMock ends m at at, for end (by a participant, for MockEndStopped): its report if
// something was answered, else abandoned. The step being asked is closed.
func finishMock(m Mock, end MockEnd, by UserID, at time.Time) Mock {
	if k := currentStep(m); k >= 0 {
		m.Steps[k].DoneAt = at
	}
	m.State, m.End, m.EndedBy, m.FinishedAt = MockAbandoned, end, by, at
	if slices.ContainsFunc(m.Steps, stepAnswered) {
		m.State = MockFinished
	}
	m.Verdict = string(mockVerdict(m.Steps).Verdict)
	return m
}

// reportEvent applies a check or grade to a finished mock's report.
func reportEvent(m Mock, e mockEvent, role MockRole) (Mock, error) {
	switch {
	case m.State == MockWaiting || m.State == MockRunning:
		return m, errNotReady
	case m.State != MockFinished:
		return m, errMockOver
	case role != grader(m):
		return m, errGrader
	case e.step < 0 || e.step >= len(m.Steps):
		return m, Errorf(EINVALID, "mock.there_is_no_question_d", e.step+1)
	}
	s := &m.Steps[e.step]
	switch {
	case !stepAnswered(*s):
		return m, Errorf(EINVALID, "mock.question_d_was_not_answered", e.step+1)
	case s.Grade != "":
		return m, Errorf(ECONFLICT, "mock.question_d_is_already_graded", e.step+1, s.Grade)
	}
	if e.kind == mockCheck {
		for _, i := range e.covered {
			if i < 0 || i >= s.Points {
				return m, Errorf(EINVALID, "hint.no_point", i+1, s.Points)
			}
		}
		s.Covered = slices.Clone(e.covered)
		if s.Covered == nil {
			s.Covered = []int{}
		}
		s.Suggested, _ = SuggestGrade(len(s.Covered), s.Points, s.Hints)
	} else {
		if _, ok := ParseGrade(string(e.grade)); !ok {
			return m, Errorf(EINVALID, "grade.unknown", quote(string(e.grade)))
		}
		s.Grade, s.GradedAt = e.grade, e.at
		if !slices.ContainsFunc(m.Steps, func(s MockStep) bool { return stepAnswered(s) && s.Grade == "" }) {
			m.State = MockClosed
		}
	}
	m.Verdict = string(mockVerdict(m.Steps).Verdict)
	return m, nil
}

// Verdict is a mock interview's overall outcome, as interviewers write it up.
type Verdict string

const (
	VerdictPending    Verdict = ""            // an answered question is neither checked nor graded yet
	VerdictStrongHire Verdict = "strong-hire" // score ≥ 0.8, every question answered, senior ≥ 0.6
	VerdictHire       Verdict = "hire"        // score ≥ 0.6
	VerdictLeanNo     Verdict = "lean-no"     // score ≥ 0.4
	VerdictNoHire     Verdict = "no-hire"     // below
)

// Label is the verdict as a member reads it, in l; every adapter shows this one label.
func (v Verdict) Label(l Lang) string {
	switch v {
	case VerdictStrongHire:
		return l.Msg("mock.strong_hire")
	case VerdictHire:
		return l.Msg("mock.hire")
	case VerdictLeanNo:
		return l.Msg("mock.lean_no_hire")
	case VerdictNoHire:
		return l.Msg("mock.no_hire")
	}
	return l.Msg("mock.pending_tick_each_question_s")
}

// ReasonKind is why a verdict is what it is, for one question.
type ReasonKind string

const (
	ReasonUnanswered ReasonKind = "unanswered" // not answered in time (scores 0)
	ReasonStrong     ReasonKind = "strong"     // score ≥ 0.9
	ReasonWeak       ReasonKind = "weak"       // score < 0.3
	ReasonHints      ReasonKind = "hints"      // 2 hints or more
)

// VerdictReason is one reason, about question Step (an index into the steps).
type VerdictReason struct {
	Kind  ReasonKind
	Step  int
	Level Level
}

// MockVerdict is the verdict with its score and reasons: data for the adapter to word.
type MockVerdict struct {
	Verdict Verdict
	Score   float64 // 0 to 1: the questions' scores weighted by level (junior 1, mid 2, senior 3)
	Reasons []VerdictReason
}

// stepScore is a question's score, 0 to 1: its checklist as SuggestGrade scores it (covered
// share less HintPenalty per hint), else its grade (again 0, hard 0.4, good 0.75, easy 1);
// 0 when unanswered. ok is false for an answered question neither checked nor graded.
func stepScore(s MockStep) (score float64, ok bool) {
	switch {
	case !stepAnswered(s):
		return 0, true
	case s.Covered != nil && s.Points > 0:
		return max(0, float64(len(s.Covered))/float64(s.Points)-HintPenalty*float64(s.Hints)), true
	}
	switch s.Grade {
	case Again:
		return 0, true
	case Hard:
		return 0.4, true
	case Good:
		return 0.75, true
	case Easy:
		return 1, true
	}
	return 0, false
}

func levelWeight(l Level) float64 {
	switch l {
	case Mid:
		return 2
	case Senior:
		return 3
	}
	return 1
}

// mockVerdict is the verdict over a mock's steps. The score weights each question by its level
// (junior 1, mid 2, senior 3); strong hire needs a score of at least 0.8 with every question
// answered and the senior question (if any) at 0.6 or more; hire 0.6; lean no 0.4; else no
// hire. It is pending while an answered question has neither checklist nor grade. Reasons list,
// by question, the unanswered, strong (≥ 0.9), weak (< 0.3) and hinted (≥ 2 hints) ones.
func mockVerdict(steps []MockStep) MockVerdict {
	var v MockVerdict
	var sum, weights float64
	all, seniorOK := true, true
	for i, s := range steps {
		sc, ok := stepScore(s)
		if !ok {
			return MockVerdict{}
		}
		w := levelWeight(s.Level)
		sum, weights = sum+w*sc, weights+w
		switch {
		case !stepAnswered(s):
			all = false
			v.Reasons = append(v.Reasons, VerdictReason{ReasonUnanswered, i, s.Level})
		case sc >= 0.9-1e-9:
			v.Reasons = append(v.Reasons, VerdictReason{ReasonStrong, i, s.Level})
		case sc < 0.3-1e-9:
			v.Reasons = append(v.Reasons, VerdictReason{ReasonWeak, i, s.Level})
		}
		if stepAnswered(s) && s.Hints >= 2 {
			v.Reasons = append(v.Reasons, VerdictReason{ReasonHints, i, s.Level})
		}
		if s.Level == Senior && sc < 0.6-1e-9 {
			seniorOK = false
		}
	}
	if weights == 0 {
		return MockVerdict{}
	}
	v.Score = sum / weights
	switch {
	case v.Score >= 0.8-1e-9 && all && seniorOK:
		v.Verdict = VerdictStrongHire
	case v.Score >= 0.6-1e-9:
		v.Verdict = VerdictHire
	case v.Score >= 0.4-1e-9:
		v.Verdict = VerdictLeanNo
	default:
		v.Verdict = VerdictNoHire
	}
	return v
}

// mockDueBit marks a due-queue entry as a mock's deadline rather than a session's reveal:
// Due.Session = mockDueBit | mock id. Session ids are a per-guild sequence and never reach it.
const mockDueBit = 1 << 63

// mockDue is the due-queue entry that ends m when its time is up (RunMockTimeouts).
func mockDue(m Mock) Due {
	return Due{At: m.Deadline.Add(MockGrace), Guild: m.Guild, Session: SessionID(mockDueBit | uint64(m.ID))}
}

// dueMock reports whether d is a mock's deadline, and which mock.
func dueMock(d Due) (MockID, bool) {
	return MockID(uint64(d.Session) &^ mockDueBit), uint64(d.Session)&mockDueBit != 0
}

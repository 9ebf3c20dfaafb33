package quiz

import (
	"errors"
	"testing"
	"time"
)

// soloMock is a running solo mock of two questions (one follow-up, then two) started at t0.
func soloMock(t0 time.Time) Mock {
	return Mock{ID: 1, Mode: MockSolo, Candidate: 10, Minutes: 30, Deadline: t0.Add(30 * time.Minute), State: MockRunning, CreatedAt: t0,
		Steps: []MockStep{
			{QuestionID: "a", Level: Junior, Points: 3, FollowUps: []string{"a1"}, StartedAt: t0},
			{QuestionID: "b", Level: Mid, Points: 2, FollowUps: []string{"b1", "b2"}},
		}}
}

func mustStep(t *testing.T, m Mock, e mockEvent) Mock {
	t.Helper()
	next, err := nextMockStep(m, e)
	if err != nil {
		t.Fatalf("nextMockStep(%+v) = %v", e, err)
	}
	return next
}

// TestMockSoloFlow walks the solo state machine: each answer asks the next follow-up or
// question, the last ends the mock; grading every answered question closes it.
func TestMockSoloFlow(t *testing.T) {
	t0 := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	m := soloMock(t0)
	ans := func(m Mock, text string, d time.Duration) Mock {
		return mustStep(t, m, mockEvent{kind: mockAnswer, by: 10, at: t0.Add(d), text: text})
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockAnswer, by: 99, at: t0, text: "x"}); !errors.Is(err, errNotSide) {
		t.Errorf("a stranger answering = %v", err)
	}
	m = mustStep(t, m, mockEvent{kind: mockHint, by: 10, at: t0})
	m = ans(m, "A", time.Minute)
	if k := currentStep(m); k != 0 || m.Steps[0].FollowUpsAsked != 1 {
		t.Fatalf("after the answer: step %d, follow-ups asked %d; want the follow-up of question 1", k, m.Steps[0].FollowUpsAsked)
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockHint, by: 10, at: t0}); !errors.Is(err, errHintLate) {
		t.Errorf("a hint after answering = %v", err)
	}
	m = ans(m, "A1", 2*time.Minute)
	if currentStep(m) != 1 || m.Steps[1].StartedAt != t0.Add(2*time.Minute) {
		t.Fatalf("after the follow-up: step %d; want question 2 started", currentStep(m))
	}
	for i, text := range []string{"B", "B1", "B2"} {
		m = ans(m, text, time.Duration(3+i)*time.Minute)
	}
	if m.State != MockFinished || m.End != MockEndDone || m.Steps[1].FollowUpAnswers[1] != "B2" {
		t.Fatalf("after the last answer: %s/%s %+v", m.State, m.End, m.Steps[1])
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockAnswer, by: 10, at: t0.Add(6 * time.Minute), text: "late"}); !errors.Is(err, errMockOver) {
		t.Errorf("answering a finished mock = %v", err)
	}
	m = mustStep(t, m, mockEvent{kind: mockGrade, by: 10, at: t0.Add(7 * time.Minute), step: 0, grade: Good})
	if m.State != MockFinished {
		t.Fatalf("one of two graded: %s", m.State)
	}
	m = mustStep(t, m, mockEvent{kind: mockGrade, by: 10, at: t0.Add(8 * time.Minute), step: 1, grade: Hard})
	if m.State != MockClosed {
		t.Fatalf("every answered question graded: %s; want closed", m.State)
	}
}

// TestMockClock: past the deadline an action ends the mock (an answer gets MockGrace more);
// a mock with nothing answered is abandoned, a pair waiting for its interviewer included.
func TestMockClock(t *testing.T) {
	t0 := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	m := mustStep(t, soloMock(t0), mockEvent{kind: mockAnswer, by: 10, at: t0.Add(time.Minute), text: "A"})
	late := t0.Add(31 * time.Minute)
	kept := mustStep(t, m, mockEvent{kind: mockAnswer, by: 10, at: late, text: "A1"})
	if kept.State != MockFinished || kept.End != MockEndTimeout || len(kept.Steps[0].FollowUpAnswers) != 1 {
		t.Errorf("an answer within the grace: %s/%s %+v; want it kept, then the timeout", kept.State, kept.End, kept.Steps[0])
	}
	over, err := nextMockStep(m, mockEvent{kind: mockHint, by: 10, at: late})
	if !errors.Is(err, errTimeUp) || over.State != MockFinished {
		t.Errorf("a hint after the deadline = %s, %v; want the report and errTimeUp", over.State, err)
	}
	pair := Mock{ID: 2, Mode: MockPair, Candidate: 10, Interviewer: 11, Deadline: t0.Add(10 * time.Minute), State: MockWaiting,
		Steps: []MockStep{{QuestionID: "a"}}}
	if got := mustStep(t, pair, mockEvent{kind: mockTick, at: t0.Add(9 * time.Minute)}); got.State != MockWaiting {
		t.Errorf("a waiting pair before its time: %s", got.State)
	}
	if got := mustStep(t, pair, mockEvent{kind: mockTick, at: t0.Add(11 * time.Minute)}); got.State != MockAbandoned || got.End != MockEndTimeout {
		t.Errorf("an abandoned pair after its time: %s/%s; want abandoned by the timeout", got.State, got.End)
	}
}

// TestMockPairRoles: the interviewer reveals and hints, the candidate answers, the
// interviewer grades; each is refused the other's part.
func TestMockPairRoles(t *testing.T) {
	t0 := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	m := Mock{ID: 2, Mode: MockPair, Candidate: 10, Interviewer: 11, Deadline: t0.Add(time.Hour), State: MockWaiting,
		Steps: []MockStep{{QuestionID: "a", Points: 3, FollowUps: []string{"a1"}}}}
	for _, c := range []struct {
		e    mockEvent
		want error
	}{
		{mockEvent{kind: mockAnswer, by: 10, text: "x"}, errWaiting},
		{mockEvent{kind: mockReveal, by: 10}, errRevealer},
	} {
		if _, err := nextMockStep(m, c.e); !errors.Is(err, c.want) {
			t.Errorf("%+v = %v; want %v", c.e, err, c.want)
		}
	}
	m = mustStep(t, m, mockEvent{kind: mockReveal, by: 11, at: t0})
	if _, err := nextMockStep(m, mockEvent{kind: mockHint, by: 10, at: t0}); !errors.Is(err, errHinter) {
		t.Errorf("candidate's hint = %v", err)
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockAnswer, by: 11, at: t0, text: "x"}); !errors.Is(err, errAnswerer) {
		t.Errorf("interviewer's answer = %v", err)
	}
	m = mustStep(t, m, mockEvent{kind: mockAnswer, by: 10, at: t0, text: "first"})
	m = mustStep(t, m, mockEvent{kind: mockAnswer, by: 10, at: t0, text: "second"})
	if m.Steps[0].Answer != "second" || m.Steps[0].FollowUpsAsked != 0 {
		t.Errorf("answering again in a pair replaces the text and waits: %+v", m.Steps[0])
	}
	m = mustStep(t, m, mockEvent{kind: mockReveal, by: 11, at: t0})
	m = mustStep(t, m, mockEvent{kind: mockReveal, by: 11, at: t0})
	if m.State != MockFinished {
		t.Fatalf("after the last reveal: %s", m.State)
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockGrade, by: 10, at: t0, step: 0, grade: Easy}); !errors.Is(err, errGrader) {
		t.Errorf("candidate grading a pair = %v", err)
	}
}

// TestMockVerdict: levels weigh, unanswered questions score 0, and the verdict waits for
// every answered question to be checked or graded.
func TestMockVerdict(t *testing.T) {
	at := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	steps := []MockStep{
		{Level: Junior, AnsweredAt: at, Grade: Easy},
		{Level: Mid, AnsweredAt: at, Points: 4, Covered: []int{0, 1, 2}},
		{Level: Senior, AnsweredAt: at},
	}
	if v := mockVerdict(steps); v.Verdict != VerdictPending {
		t.Errorf("with an ungraded answer: %+v; want pending", v)
	}
	steps[2].Grade = Good
	if v := mockVerdict(steps); v.Verdict != VerdictHire || v.Score < 0.79 || v.Score > 0.80 {
		t.Errorf("easy, 3/4, good: %+v; want hire at (1+2×0.75+3×0.75)/6 = 0.79", v)
	}
	steps[2] = MockStep{Level: Senior} // not answered
	if v := mockVerdict(steps); v.Verdict != VerdictLeanNo {
		t.Errorf("senior unanswered: %+v; want lean no (2.5/6)", v)
	}
}

// TestChampionTies: most answers, then the longest run, then the earliest to reach the count.
func TestChampionTies(t *testing.T) {
	at := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	cands := []ChampionCandidate{
		{User: 1, Answers: 5, LongestRun: 2, ReachedAt: at},
		{User: 2, Answers: 5, LongestRun: 3, ReachedAt: at.Add(time.Hour)},
		{User: 3, Answers: 5, LongestRun: 3, ReachedAt: at.Add(time.Minute)},
		{User: 4, Answers: 4, LongestRun: 9, ReachedAt: at},
	}
	if w, ok := champion(cands); !ok || w.User != 3 {
		t.Errorf("champion = %+v; want user 3 (5 answers, run 3, first to 5)", w)
	}
	if _, ok := champion(nil); ok {
		t.Error("a champion of nobody")
	}
}

// TestPreviousMonthAcrossDST: the month before now, in zones where its first midnight is
// skipped (Asunción, 2023-10-01) or happens twice (Havana, 2026-11-01): it starts at the first
// instant of the 1st and ends at the next month's.
func TestPreviousMonthAcrossDST(t *testing.T) {
	for _, c := range []struct {
		zone       string
		now        time.Time
		month      string
		start, end time.Time
	}{
		{"America/Havana", time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC), "2026-10",
			time.Date(2026, 10, 1, 4, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC)},
		{"America/Havana", time.Date(2026, 11, 1, 3, 59, 0, 0, time.UTC), "2026-09",
			time.Date(2026, 9, 1, 4, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 4, 0, 0, 0, time.UTC)},
		{"America/Asuncion", time.Date(2023, 10, 1, 4, 0, 0, 0, time.UTC), "2023-09",
			time.Date(2023, 9, 1, 4, 0, 0, 0, time.UTC), time.Date(2023, 10, 1, 4, 0, 0, 0, time.UTC)},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Skip(err)
		}
		month, start, end := previousMonth(c.now, loc)
		if month != c.month || !start.Equal(c.start) || !end.Equal(c.end) {
			t.Errorf("previousMonth(%s in %s) = %s [%s, %s); want %s [%s, %s)", c.now, c.zone, month, start.UTC(), end.UTC(), c.month, c.start, c.end)
		}
	}
}

// TestRecapSlot: the recap is due on the schedule's first posting day of the week at its
// time, for the week before; not before the time, and not on other days.
func TestRecapSlot(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	d := Daily{At: "09:00"}
	week, at, ok := recapSlot(d, berlin, time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC))
	if !ok || week.String() != "2026-03-02" || !at.Equal(time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Monday 09:00 = %s %s %v", week, at, ok)
	}
	if _, _, ok := recapSlot(d, berlin, time.Date(2026, 3, 9, 7, 59, 0, 0, time.UTC)); ok {
		t.Error("due before the time")
	}
	if _, _, ok := recapSlot(d, berlin, time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)); ok {
		t.Error("due on a Wednesday")
	}
	g := Guild{Recap: true, Daily: Daily{Enabled: true, Channel: 1}, RecapSince: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	if k := nextRecap(g, Recap{State: RecapSent}, true, at, at); k != recapNothing {
		t.Errorf("a sent recap again: %v", k)
	}
	if k := nextRecap(g, Recap{State: RecapClaimed}, true, at, at.Add(time.Hour)); k != recapRepeat {
		t.Errorf("a claim left by a crash: %v; want it posted again", k)
	}
	if k := nextRecap(g, Recap{}, false, at, at.Add(RecapGrace+time.Minute)); k != recapNothing {
		t.Errorf("too late: %v", k)
	}
}

// TestAwardRuleEdges: the month before February is January of the same year; a member with no
// answer is never champion; the recap falls on Monday, or on the week's first posting day
// counted from Monday; a recap slot missed yesterday (the bot was down) is still found today.
func TestAwardRuleEdges(t *testing.T) {
	if month, _, _ := previousMonth(time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC), time.UTC); month != "2026-01" {
		t.Errorf("the month before February 2026 = %s; want 2026-01", month)
	}
	if w, ok := champion([]ChampionCandidate{{User: 1}}); ok {
		t.Errorf("champion of a member with no answers: %+v", w)
	}
	for _, c := range []struct {
		weekdays uint8
		want     time.Weekday
	}{
		{0, time.Monday}, // every day
		{1 << time.Wednesday, time.Wednesday},
		{1<<time.Monday | 1<<time.Wednesday, time.Monday},
		{1<<time.Sunday | 1<<time.Saturday, time.Saturday},
	} {
		if got := recapWeekday(c.weekdays); got != c.want {
			t.Errorf("recapWeekday(%08b) = %s; want %s", c.weekdays, got, c.want)
		}
	}
	week, at, ok := recapSlot(Daily{At: "09:00"}, time.UTC, time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC))
	if !ok || week.String() != "2026-03-02" || !at.Equal(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("Tuesday 01:00 after Monday's 09:00 slot = %s %s %v; want Monday's slot for the week of 2026-03-02", week, at, ok)
	}
}

// TestMockRuleEdges: a question of 3 key points takes 2 hints, not a third, each counted; the
// checklist's score loses HintPenalty per hint; 2 hints on an answered question are a reason,
// 1 hint or an unanswered question is not; a senior question under 0.6 bars strong hire; a
// mock stopped on its first question closes that question.
func TestMockRuleEdges(t *testing.T) {
	t0 := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	m := soloMock(t0)
	for i := 1; i <= 2; i++ {
		m = mustStep(t, m, mockEvent{kind: mockHint, by: 10, at: t0})
		if m.Steps[0].Hints != i {
			t.Fatalf("after hint %d: %d hints counted", i, m.Steps[0].Hints)
		}
	}
	if _, err := nextMockStep(m, mockEvent{kind: mockHint, by: 10, at: t0}); !errors.Is(err, errNoHint) {
		t.Errorf("a third hint of 3 key points = %v; want %v", err, errNoHint)
	}

	answered := func(level Level, covered []int, points, hints int) MockStep {
		return MockStep{Level: level, Covered: covered, Points: points, Hints: hints, StartedAt: t0, AnsweredAt: t0}
	}
	if sc, ok := stepScore(answered(Mid, []int{0, 1}, 4, 1)); !ok || sc < 0.5-HintPenalty-1e-9 || sc > 0.5-HintPenalty+1e-9 {
		t.Errorf("2 of 4 points after 1 hint scores %v (%v); want %v", sc, ok, 0.5-HintPenalty)
	}
	hinted := func(s MockStep) bool {
		for _, r := range mockVerdict([]MockStep{s}).Reasons {
			if r.Kind == ReasonHints {
				return true
			}
		}
		return false
	}
	if !hinted(answered(Mid, []int{0}, 4, 2)) || hinted(answered(Mid, []int{0}, 4, 1)) {
		t.Error("the hints reason: want it at 2 hints and not at 1")
	}
	if hinted(MockStep{Level: Mid, Points: 4, Hints: 2, StartedAt: t0}) {
		t.Error("the hints reason for an unanswered question")
	}
	first := func(n int) []int {
		c := make([]int, n)
		for i := range c {
			c[i] = i
		}
		return c
	}
	// Junior 1, senior 1, senior 0.55: the score is (1 + 3 + 1.65) / 7 = 0.81, yet a senior
	// question is under 0.6; at 0.6 it is (1 + 3 + 1.8) / 7 = 0.83 and strong.
	strong := []MockStep{answered(Junior, first(20), 20, 0), answered(Senior, first(20), 20, 0), answered(Senior, first(11), 20, 0)}
	if v := mockVerdict(strong); v.Score < 0.8 || v.Verdict == VerdictStrongHire {
		t.Errorf("a senior question at 0.55, score %.2f: %s; want a score of 0.8 or more and no strong hire", v.Score, v.Verdict)
	}
	strong[2] = answered(Senior, first(12), 20, 0)
	if v := mockVerdict(strong); v.Verdict != VerdictStrongHire {
		t.Errorf("every senior question at 0.6 or more, score %.2f: %s; want strong hire", v.Score, v.Verdict)
	}

	stopped := mustStep(t, soloMock(t0), mockEvent{kind: mockStop, by: 10, at: t0.Add(time.Minute)})
	if stopped.Steps[0].DoneAt != t0.Add(time.Minute) {
		t.Errorf("stopped on the first question: its DoneAt = %v; want the stop", stopped.Steps[0].DoneAt)
	}
}

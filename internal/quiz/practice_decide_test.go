package quiz

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestApplyAnswer(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	a := Actor{Guild: 1, User: 2, Name: "ann"}
	now := time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC) // already April 1 in Shanghai
	march := Member{Name: "old", Answered: 4, Month: "2026-03", MonthAnswers: 4,
		Streak: Streak{Current: 2, Best: 2, DaysActive: 2, LastDay: Date(2026, 3, 30)}}
	tests := []struct {
		name  string
		m     Member
		a     Actor
		loc   *time.Location
		first bool
		want  Member
	}{
		{"first answer counts the day, the total and the month", march, a, time.UTC, true,
			Member{Guild: 1, User: 2, Name: "ann", Answered: 5, Month: "2026-03", MonthAnswers: 5, LastSeen: now,
				Streak: march.Streak.Record(Date(2026, 3, 31))}},
		{"a new month in the member's zone starts a new count", march, a, shanghai, true,
			Member{Guild: 1, User: 2, Name: "ann", Answered: 5, Month: "2026-04", MonthAnswers: 1, LastSeen: now,
				Streak: march.Streak.Record(Date(2026, 4, 1))}},
		{"answering again changes no count", march, a, time.UTC, false,
			Member{Guild: 1, User: 2, Name: "ann", Answered: 4, Month: "2026-03", MonthAnswers: 4, LastSeen: now, Streak: march.Streak}},
		{"no display name keeps the last one", march, Actor{Guild: 1, User: 2}, time.UTC, false,
			Member{Guild: 1, User: 2, Name: "old", Answered: 4, Month: "2026-03", MonthAnswers: 4, LastSeen: now, Streak: march.Streak}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := applyAnswer(tt.m, tt.a, now, tt.loc, tt.first); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("applyAnswer = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestReviewCard(t *testing.T) {
	b := bigBank(t, 6, 2) // q-00000..q-00005; even ones in t0, odd ones in t1
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	card := func(id, topic string, due time.Duration) Card {
		return Card{QuestionID: id, Topic: topic, Due: now.Add(due)}
	}
	cards := []Card{
		card("gone", "t0", -5*time.Hour),     // no longer in the bank
		card("q-00000", "t0", -time.Hour),    // due
		card("q-00001", "t1", -3*time.Hour),  // due, the oldest in the bank
		card("q-00002", "t0", time.Hour),     // not due yet
		card("q-00003", "t1", -2*time.Hour),  // due
		{QuestionID: "q-00004", Topic: "t0"}, // never graded: never due
	}
	tests := []struct {
		name, topic, last string
		want              string
		others            int
		ok                bool
	}{
		{"any topic: due first", "", "", "q-00001", 2, true},
		{"not the one just asked", "", "q-00001", "q-00003", 1, true},
		{"in the topic", "t0", "", "q-00000", 0, true},
		{"nothing due in the topic", "t0", "q-00000", "", -1, false},
	}
	for _, tt := range tests {
		c, others, ok := reviewCard(b, cards, tt.topic, tt.last, now)
		if c.QuestionID != tt.want || others != tt.others || ok != tt.ok {
			t.Errorf("%s: reviewCard = %s, %d others, %v; want %s, %d, %v", tt.name, c.QuestionID, others, ok, tt.want, tt.others, tt.ok)
		}
	}
}

func TestChooseQuestionErrors(t *testing.T) {
	b := bigBank(t, 2, 1)
	empty, err := NewBank([]Topic{{Slug: "t0", Title: Text{EN: "T", ZH: "T"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	first := func(int) int { return 0 }
	graded := []Card{{QuestionID: "q-00000", Topic: "t0", Due: now.Add(time.Hour)}}
	// A card whose question left the bank (removed, disabled, another -questions) stays due
	// forever; it must neither set "the next review" to a past time nor go unmentioned.
	gone := Card{QuestionID: "removed", Topic: "t0", Due: now.Add(-48 * time.Hour)}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		b     *Bank
		r     AskRequest
		cards []Card
		last  string
		want  string
		loc   *time.Location
	}{
		{"unknown topic lists the topics", b, AskRequest{Topic: "tcp"}, nil, "", `There is no topic "tcp". Topics: t0.`, nil},
		{"empty bank", empty, AskRequest{}, nil, "", "The question bank is empty.", nil},
		{"empty topic", empty, AskRequest{Topic: "t0"}, nil, "", "Topic t0 has no questions.", nil},
		{"nothing graded", b, AskRequest{Review: true}, nil, "", "Nothing is due for review yet: grade a question after answering it and it will come back here.", nil},
		{"nothing due", b, AskRequest{Review: true}, graded, "", "Nothing is due for review. The next review is due 2026-03-02 13:00 UTC.", nil},
		{"only the last one", bigBank(t, 1, 1), AskRequest{Topic: "t0"}, nil, "q-00000", "There is no other question in t0 right now.", nil},
		{"in the member's zone", b, AskRequest{Review: true}, graded, "", "Nothing is due for review. The next review is due 2026-03-02 21:00 Asia/Shanghai.", shanghai},
		{"only a card whose question left", b, AskRequest{Review: true}, []Card{gone}, "",
			"Nothing is due for review: grade a question after answering it and it will come back here. Reviews skipped because their question left the bank: 1.", nil},
		{"a card whose question left, and a later one", b, AskRequest{Review: true}, append([]Card{gone}, graded...), "",
			"Nothing is due for review. The next review is due 2026-03-02 13:00 UTC. Reviews skipped because their question left the bank: 1.", nil},
		{"only the one just asked", b, AskRequest{Review: true}, []Card{{QuestionID: "q-00000", Topic: "t0", Due: now.Add(-time.Hour)}}, "q-00000",
			"The only review due is the question you were just given: answer it, or reveal its answer.", nil},
	}
	for _, tt := range tests {
		loc := tt.loc
		if loc == nil {
			loc = time.UTC
		}
		_, _, err := chooseQuestion(tt.b, tt.r, tt.cards, tt.last, now, loc, first)
		if ErrorCode(err) != ENOTFOUND || ErrorMessage(err) != tt.want {
			t.Errorf("%s: chooseQuestion error = %v; want ENOTFOUND %q", tt.name, err, tt.want)
		}
	}
}

func TestNewSessionRevealsOnlyInPublic(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	a := Actor{Guild: 1, User: 2}
	q := Question{ID: "q"}
	for _, tt := range []struct {
		name string
		r    AskRequest
		want time.Time
	}{
		{"in a channel", AskRequest{Channel: 5}, now.Add(time.Minute)},
		{"private in a channel", AskRequest{Channel: 5, Private: true}, time.Time{}},
		{"nowhere public", AskRequest{}, time.Time{}},
	} {
		if got := newSession(a, tt.r, 7, q, English, now, time.Minute); !got.RevealAt.Equal(tt.want) || got.OpenedBy != 2 || got.State != SessionOpen {
			t.Errorf("%s: newSession = %+v; want RevealAt %v", tt.name, got, tt.want)
		}
	}
}

func TestGradableAndClosable(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	grades := []struct {
		name  string
		at    Attempt
		found bool
		want  string
	}{
		{"no attempt", Attempt{}, false, EINVALID},
		{"neither answered nor revealed", Attempt{}, true, EINVALID},
		{"answered", Attempt{AnsweredAt: now}, true, ""},
		{"revealed", Attempt{RevealedAt: now}, true, ""},
		{"graded", Attempt{AnsweredAt: now, Grade: Good}, true, ECONFLICT},
	}
	for _, tt := range grades {
		if got := ErrorCode(gradable(tt.at, tt.found)); got != tt.want {
			t.Errorf("gradable(%s) = %q; want %q", tt.name, got, tt.want)
		}
	}
	public := Session{Channel: 5, Message: 6, State: SessionOpen}
	closes := []struct {
		name string
		s    Session
		want string
	}{
		{"public", public, ""},
		{"private", Session{Channel: 5, Message: 6, Private: true}, EINVALID},
		{"never posted", Session{Channel: 5}, EINVALID},
		{"revealed", Session{Channel: 5, Message: 6, State: SessionRevealed}, ECONFLICT},
	}
	for _, tt := range closes {
		if got := ErrorCode(closable(tt.s)); got != tt.want {
			t.Errorf("closable(%s) = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestMayModerateAndClose(t *testing.T) {
	g := Guild{ID: 1, ModRoles: []RoleID{9}}
	tests := []struct {
		name          string
		a             Actor
		s             Session
		moderate, cls bool
	}{
		{"Manage Server", Actor{User: 1, Manager: true}, Session{OpenedBy: 2}, true, true},
		{"the moderator role", Actor{User: 1, Roles: []RoleID{3, 9}}, Session{OpenedBy: 2, Daily: 5}, true, true},
		{"another role", Actor{User: 1, Roles: []RoleID{3}}, Session{OpenedBy: 2}, false, false},
		{"the asker", Actor{User: 2}, Session{OpenedBy: 2}, false, true},
		{"a daily post belongs to the server", Actor{User: 2}, Session{OpenedBy: 2, Daily: 5}, false, false},
	}
	for _, tt := range tests {
		if got := mayModerate(tt.a, g); got != tt.moderate {
			t.Errorf("mayModerate(%s) = %v; want %v", tt.name, got, tt.moderate)
		}
		if got := mayClose(tt.a, tt.s, g); got != tt.cls {
			t.Errorf("mayClose(%s) = %v; want %v", tt.name, got, tt.cls)
		}
	}
	if mayModerate(Actor{Roles: []RoleID{9}}, Guild{}) {
		t.Error("a role is a moderator role only in the server that chose it")
	}
}

func TestRevealDecision(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	grace := 2 * time.Hour
	posted := Session{Message: 6, RevealAt: now.Add(-grace)}
	d := Due{At: now.Add(-grace)}
	tests := []struct {
		name  string
		s     Session
		found bool
		d     Due
		act   revealAction
		late  time.Duration
	}{
		{"on time", posted, true, d, revealPost, 0},
		{"gone", Session{}, false, d, revealDrop, 0},
		{"already revealed", Session{Message: 6, RevealMessage: 7}, true, d, revealDrop, 0},
		{"never posted publicly", Session{RevealAt: now}, true, d, revealDrop, 0},
		{"past the grace", Session{Message: 6, RevealAt: now.Add(-grace - time.Second)}, true, d, revealLate, grace + time.Second},
		{"a retry is never late", Session{Message: 6, RevealAt: now.Add(-5 * time.Hour), RevealTries: 1}, true, d, revealPost, 0},
		{"no reveal time: the queue's", Session{Message: 6}, true, Due{At: now.Add(-3 * time.Hour)}, revealLate, 3 * time.Hour},
	}
	for _, tt := range tests {
		act, late := revealDecision(tt.s, tt.found, tt.d, now, grace)
		if act != tt.act || late != tt.late {
			t.Errorf("%s: revealDecision = %v, %v; want %v, %v", tt.name, act, late, tt.act, tt.late)
		}
	}
}

func TestAfterReveal(t *testing.T) {
	transient := errors.New("503")
	tests := []struct {
		name  string
		s     Session
		found bool
		perr  error
		want  revealStep
	}{
		{"posted", Session{}, true, nil, revealDone},
		{"transient: retry", Session{RevealTries: maxRevealTries - 1}, true, transient, revealRetry},
		{"transient, out of tries", Session{RevealTries: maxRevealTries}, true, transient, revealGiveUp},
		{"permanent", Session{}, true, Errorf(EFORBIDDEN, "Missing Access"), revealGiveUp},
		{"session gone", Session{}, false, nil, revealGiveUp},
	}
	for _, tt := range tests {
		if got := afterReveal(tt.s, tt.found, tt.perr); got != tt.want {
			t.Errorf("%s: afterReveal = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestRankAndBoardValue(t *testing.T) {
	got := rank([]Entry{{User: 3, Value: 2}, {User: 1, Value: 5}, {User: 2, Value: 2}, {User: 4, Value: 1}}, 3)
	want := []Entry{{Rank: 1, User: 1, Value: 5}, {Rank: 2, User: 2, Value: 2}, {Rank: 2, User: 3, Value: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rank = %+v; want %+v", got, want)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	m := Member{Month: "2026-02", MonthAnswers: 9, Streak: Streak{Current: 3, LastDay: Date(2026, 3, 1)}}
	if v := boardValue(m, BoardMonth, now, time.UTC); v != 0 {
		t.Errorf("last month's answers count %d this month; want 0", v)
	}
	if v := boardValue(m, BoardStreak, now, time.UTC); v != 3 {
		t.Errorf("streak board value = %d; want 3", v)
	}
}

func TestPlanAndApplyImport(t *testing.T) {
	b := bigBank(t, 4, 1) // q-00000..q-00003 in t0
	infos, byID := questionInfos(b, []OverlayEntry{{QuestionID: "q-00003", Disabled: true, Version: 2}})
	changed := b.Questions("t0")[1].Clone()
	changed.Prompt.EN = "changed?"
	added := b.Questions("t0")[0].Clone()
	added.ID = "new-one"
	added.Prompt.ZH, added.Answer.ZH, added.KeyPoints.ZH, added.FollowUps.ZH, added.Summary.ZH = "", "", nil, nil, ""
	plan := ImportPlan{Topic: "t0", questions: []Question{b.Questions("t0")[0], changed, b.Questions("t0")[3], added}}
	if err := planImport(&plan, "t0.yaml", plan.questions, infos); err != nil {
		t.Fatal(err)
	}
	// q-00003 was disabled: importing it enables it, a change; q-00002 is not in the file.
	if !reflect.DeepEqual(plan.Added, []string{"new-one"}) || !reflect.DeepEqual(plan.Changed, []string{"q-00001", "q-00003"}) ||
		!reflect.DeepEqual(plan.Disabled, []string{"q-00002"}) || plan.Unchanged != 1 || len(plan.NoSummary) != 4 ||
		!reflect.DeepEqual(plan.OneLanguage, []string{"new-one"}) {
		t.Errorf("planImport = %+v", plan)
	}
	if s := plan.String(); !strings.Contains(s, "Note: 1 question is written in one language") || !strings.Contains(s, "One language: new-one") {
		t.Errorf("the preview does not say which question is in one language:\n%s", s)
	}
	var got []string
	for _, e := range importedEntries(plan, byID, b) {
		got = append(got, e.QuestionID)
		switch e.QuestionID {
		case "q-00003":
			if e.Disabled || e.Question != nil || e.Version != 2 {
				t.Errorf("re-enabled shipped question = %+v; want enabled, shipped text, version 2 before saving", e)
			}
		case "new-one":
			if !e.Added || e.Question == nil {
				t.Errorf("added question = %+v", e)
			}
		case "q-00002":
			if !e.Disabled {
				t.Errorf("question left out of the file = %+v; want disabled", e)
			}
		}
	}
	if want := []string{"q-00001", "q-00003", "new-one", "q-00002"}; !reflect.DeepEqual(got, want) {
		t.Errorf("importedEntries wrote %v; want %v", got, want)
	}
	moved := b.Questions("t0")[0].Clone()
	moved.Topic = "t9"
	if err := planImport(&ImportPlan{Topic: "t9"}, "t9.yaml", []Question{moved}, infos); ErrorCode(err) != EINVALID {
		t.Errorf("planImport of a question moving topic = %v; want EINVALID", err)
	}
}

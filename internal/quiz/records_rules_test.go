package quiz_test

import (
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func card(t *testing.T, e *env, u quiz.UserID, id string) (quiz.Card, bool) {
	t.Helper()
	var c quiz.Card
	var ok bool
	err := e.store.View(ctx, func(tx quiz.Tx) error {
		var err error
		c, ok, err = tx.Card(10, u, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, ok
}

// TestAnsweringOthersQuestionMakesACard: a member answering (or revealing) a question someone
// else asked gets a card for it, so it comes back for review; an existing card is kept as is.
func TestAnsweringOthersQuestionMakesACard(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	asked, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	if err != nil {
		t.Fatal(err)
	}
	id := asked.Question.ID
	if _, err := e.app.Practice.Answer(ctx, member(2), asked.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if c, ok := card(t, e, 2, id); !ok || c.Asked != 1 || c.Topic != "tcp" || !c.LastAsked.Equal(e.clock.Now()) {
		t.Errorf("the answering member's card = %+v, %v; want asked once, tcp, now", c, ok)
	}
	r, err := e.app.Practice.Reveal(ctx, member(3), asked.Session.ID)
	if err != nil || r.Question.ID != id {
		t.Fatalf("Reveal = %s, %v; want %s", r.Question.ID, err, id)
	}
	if c, ok := card(t, e, 3, id); !ok || c.Asked != 1 {
		t.Errorf("the revealing member's card = %+v, %v; want one", c, ok)
	}
	if _, err := e.app.Practice.Grade(ctx, member(3), asked.Session.ID, quiz.Good); err != nil {
		t.Errorf("Grade after Reveal = %v; want it allowed", err)
	}
	// The asker's card counts their ask; answering their own question does not reset it.
	e.clock.Add(time.Hour)
	if _, err := e.app.Practice.Answer(ctx, member(1), asked.Session.ID, "y"); err != nil {
		t.Fatal(err)
	}
	if c, _ := card(t, e, 1, id); c.Asked != 1 || c.LastAsked.Equal(e.clock.Now()) {
		t.Errorf("the asker's card after answering = %+v; want it unchanged", c)
	}
}

// TestGradeFillsALegacyCardsTopic: a card stored before cards had a topic gets it when graded,
// so /review <topic> finds it.
func TestGradeFillsALegacyCardsTopic(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	asked, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{})
	if err != nil {
		t.Fatal(err)
	}
	id := asked.Question.ID
	err = e.store.Update(ctx, func(tx quiz.Tx) error {
		return tx.PutCard(10, 1, quiz.Card{QuestionID: id, Asked: 1, LastAsked: e.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Answer(ctx, member(1), asked.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
	g, err := e.app.Practice.Grade(ctx, member(1), asked.Session.ID, quiz.Again)
	if err != nil || g.Card.Topic != "tcp" {
		t.Fatalf("Grade of a legacy card: topic %q, %v; want tcp", g.Card.Topic, err)
	}
}

// TestSettingsKeepTheName: a settings change from an interaction without a display name keeps
// the one known.
func TestSettingsKeepTheName(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	if _, err := e.app.Members.SetTimezone(ctx, member(1), "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	nameless := member(1)
	nameless.Name = ""
	if _, err := e.app.Members.SetLanguage(ctx, nameless, "zh"); err != nil {
		t.Fatal(err)
	}
	ex, err := e.app.Members.ExportMember(ctx, nameless)
	if err != nil || ex.Member == nil || ex.Member.Name != "user1" || ex.Member.TZ != "Europe/Paris" || ex.Member.Lang != quiz.Chinese {
		t.Errorf("member = %+v, %v; want user1, Europe/Paris, zh", ex.Member, err)
	}
}

// TestExportOfNobody: /privacy export of a member with no data lists empty cards and attempts
// (JSON [], not null) and no member record.
func TestExportOfNobody(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	ex, err := e.app.Members.ExportMember(ctx, member(7))
	if err != nil || ex.Member != nil || ex.Cards == nil || ex.Attempts == nil || len(ex.Cards)+len(ex.Attempts) != 0 {
		t.Errorf("export of nobody = %+v, %v; want empty, non-nil lists", ex, err)
	}
}

// TestStreakFreezesCoverExactlyTheirCount: a member holding n freezes may miss n days and keep
// the streak; one more missed day breaks it.
func TestStreakFreezesCoverExactlyTheirCount(t *testing.T) {
	d := quiz.Date(2026, 3, 2)
	for _, tc := range []struct {
		freezes, missed int
		broken          bool
	}{{0, 0, false}, {0, 1, true}, {1, 1, false}, {1, 2, true}, {2, 2, false}, {2, 3, true}} {
		s := quiz.Streak{Current: 9, Best: 9, LastDay: d, Freezes: tc.freezes}
		st := s.At(d + quiz.Day(tc.missed) + 1)
		wantCurrent := 9
		if tc.broken {
			wantCurrent = 0
		}
		if st.Broken != tc.broken || st.FreezesNeeded != tc.missed || st.Current != wantCurrent {
			t.Errorf("%d freezes, %d days missed: broken %v, needed %d, current %d; want %v, %d, %d",
				tc.freezes, tc.missed, st.Broken, st.FreezesNeeded, st.Current, tc.broken, tc.missed, wantCurrent)
		}
	}
}

// TestDailyCyclesThroughTheBank: daily posts use each question once; when all were posted, the
// next cycle starts with the one posted longest ago.
func TestDailyCyclesThroughTheBank(t *testing.T) {
	e := newEnv(t, testBank(t, 2, "tcp"))
	e.clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	dailyAt(t, e, 10, "09:00", 0)
	pub := &publisher{}
	e.use(pub)
	var ids []string
	for day := range 4 {
		e.clock.Set(time.Date(2026, 3, 2+day, 9, 0, 0, 0, time.UTC))
		runDaily(t, e, quiz.DailyReport{Posted: 1})
		ids = append(ids, pub.posts[day].Question.ID)
	}
	if ids[0] == ids[1] || ids[2] != ids[0] || ids[3] != ids[1] {
		t.Errorf("daily questions %v; want each once, then again from the oldest", ids)
	}
}

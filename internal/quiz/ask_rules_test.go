package quiz_test

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// gradeAgain asks a question of topic, answers it and grades it Again (due in 10 minutes).
func gradeAgain(t *testing.T, e *env, a quiz.Actor, topic string) quiz.Question {
	t.Helper()
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: topic})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Answer(ctx, a, asked.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, quiz.Again); err != nil {
		t.Fatal(err)
	}
	return asked.Question
}

// TestReviewTopicAndCount: /review tcp reviews only tcp cards, the most overdue first, and says
// how many more are due.
func TestReviewTopicAndCount(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp", "http"))
	a := member(1)
	first := gradeAgain(t, e, a, "tcp")
	e.clock.Add(time.Minute)
	second := gradeAgain(t, e, a, "tcp")
	e.clock.Add(time.Minute)
	gradeAgain(t, e, a, "http")
	if _, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "http"}); err != nil { // the last question is not http's card
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	r, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true, Topic: "tcp"})
	if err != nil || r.Question.ID != first.ID || r.Due != 1 {
		t.Fatalf("/review tcp = %s (%d more due), %v; want %s, the most overdue, with 1 more", r.Question.ID, r.Due, err, first.ID)
	}
	r, err = e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true, Topic: "tcp"})
	if err != nil || r.Question.ID != second.ID || r.Due != 0 {
		t.Fatalf("/review tcp again = %s (%d more due), %v; want %s and none after", r.Question.ID, r.Due, err, second.ID)
	}
	// http has one due card, but it is the question just asked: nothing else is due there.
	if _, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true, Topic: "http"}); err != nil {
		t.Fatalf("/review http = %v; want its due card", err)
	}
}

// TestAskRecordsTheCardAndName: asking counts on the member's card and keeps their display name
// (an interaction without one does not erase it).
func TestAskRecordsTheCardAndName(t *testing.T) {
	e := newEnv(t, testBank(t, 1, "tcp", "http"))
	a := member(1)
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "tcp"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)
	nameless := a
	nameless.Name = ""
	if _, err := e.app.Practice.Ask(ctx, nameless, quiz.AskRequest{Topic: "http"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Answer(ctx, nameless, asked.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
	ex, err := e.app.Members.ExportMember(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Member == nil || ex.Member.Name != a.Name || ex.Member.LastQuestion == asked.Question.ID {
		t.Errorf("member = %+v; want name %q kept and the http question last", ex.Member, a.Name)
	}
	for _, c := range ex.Cards {
		if c.Asked != 1 {
			t.Errorf("card %s asked %d times; want 1", c.QuestionID, c.Asked)
		}
	}
	if len(ex.Cards) != 2 {
		t.Errorf("%d cards; want 2", len(ex.Cards))
	}
}

// TestAskNothingElseNamesTheScope: when the only question left is the one just asked, the
// message names the topic, or the bank.
func TestAskNothingElseNamesTheScope(t *testing.T) {
	e := newEnv(t, testBank(t, 1, "tcp"))
	if _, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tcp"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ topic, want string }{{"tcp", "in tcp"}, {"", "in the bank"}} {
		_, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: tc.topic})
		if quiz.ErrorCode(err) != quiz.ENOTFOUND || !strings.Contains(quiz.ErrorMessage(err), tc.want) {
			t.Errorf("Ask(%q) with nothing else = %v; want not found, %q", tc.topic, err, tc.want)
		}
	}
}

// TestAskShowsBeforeWriting: with Show, Ask shows the question before its session exists in the
// store; a read of the session by id meanwhile waits for the write instead of finding nothing;
// the write then holds the message Show named, with its reveal queued. Ids come from a block
// reserved beforehand (1..1000 here), so an ask that writes at once continues after the block.
// A refused ask shows nothing.
func TestAskShowsBeforeWriting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, testBank(t, 3, "tcp"))
		a := member(1)
		var shown []quiz.Asked
		var read quiz.Session
		readDone := make(chan error, 1)
		show := func(s quiz.Asked) (quiz.ChannelID, quiz.MessageID) {
			shown = append(shown, s)
			if err := e.store.View(ctx, func(tx quiz.Tx) error {
				if _, ok, err := tx.Session(a.Guild, s.Session.ID); ok || err != nil {
					t.Errorf("session %d already in the store while shown (%v)", s.Session.ID, err)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			go func() {
				var err error
				read, _, err = e.app.Practice.Session(ctx, a.Guild, s.Session.ID)
				readDone <- err
			}()
			synctest.Wait()
			select {
			case err := <-readDone:
				t.Fatalf("reading the session while it was shown returned at once (%v); want it to wait for the write", err)
			default:
			}
			return 77, 88
		}
		asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "tcp", Channel: 77, Show: show})
		if err != nil {
			t.Fatal(err)
		}
		if len(shown) != 1 || shown[0].Session.ID != asked.Session.ID || shown[0].Question.ID != asked.Question.ID || asked.Session.ID != 1 {
			t.Fatalf("Show got %+v; want once, the asked session %d (%s), id 1", shown, asked.Session.ID, asked.Question.ID)
		}
		if err := <-readDone; err != nil || read.ID != asked.Session.ID || read.Channel != 77 || read.Message != 88 {
			t.Fatalf("the read that waited got %+v, %v; want session %d posted as message 88 in 77", read, err, asked.Session.ID)
		}
		var dues []quiz.Due
		if err := e.store.View(ctx, func(tx quiz.Tx) error {
			var err error
			dues, err = tx.DueUntil(read.RevealAt, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(dues) != 1 || dues[0].Session != asked.Session.ID {
			t.Errorf("reveals queued = %+v; want the shown session's", dues)
		}
		now, err := e.app.Practice.Ask(ctx, member(2), quiz.AskRequest{Topic: "tcp"})
		if err != nil || now.Session.ID != 1001 {
			t.Errorf("an ask written at once got session %d, %v; want 1001, after the reserved block", now.Session.ID, err)
		}
		shown = nil
		_, err = e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "nope", Show: show})
		if quiz.ErrorCode(err) != quiz.ENOTFOUND || len(shown) != 0 {
			t.Fatalf("unknown topic: %v, shown %d times; want %s and nothing shown", err, len(shown), quiz.ENOTFOUND)
		}
	})
}

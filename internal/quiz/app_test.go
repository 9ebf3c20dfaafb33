package quiz_test

import (
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// TestAppCloseInOneCall: with the publisher given once, Close records the message the button
// was on, posts the answer under it and returns what to render.
func TestAppCloseInOneCall(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	pub := &publisher{}
	app := quiz.New(quiztest.NewMemStore(), testBank(t, 3, "tcp"), quiz.Options{Now: c.Now, Publisher: pub})
	a := member(1)
	asked, err := app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "tcp", Channel: 55})
	if err != nil {
		t.Fatal(err)
	}
	sess, q, err := app.Practice.Close(ctx, a, quiz.CloseRequest{Session: asked.Session.ID, Channel: 55, Message: 900})
	if err != nil {
		t.Fatal(err)
	}
	if sess.State != quiz.SessionRevealed || sess.RevealMessage == 0 || sess.Message != 900 || q.ID != asked.Question.ID {
		t.Errorf("Close = %+v, %s; want revealed under message 900, question %s", sess, q.ID, asked.Question.ID)
	}
	if len(pub.reveals) != 1 || pub.reveals[0].ReplyTo != 900 || pub.reveals[0].Channel != 55 || !pub.reveals[0].Closed {
		t.Fatalf("reveals = %+v; want one under message 900 in channel 55, marked Closed", pub.reveals)
	}
	if _, _, err := app.Practice.Close(ctx, a, quiz.CloseRequest{Session: asked.Session.ID}); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Errorf("second Close = %v; want ECONFLICT", err)
	}
	if n, err := app.Daily.RunDue(ctx); err != nil || n != 0 {
		t.Errorf("RunDue after Close = %d, %v; want nothing left to reveal", n, err)
	}
}

// TestAppWithoutPublisher: a post without a publisher fails like a transient error; the
// reveal stays queued for a retry.
func TestAppWithoutPublisher(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	app := quiz.New(e.store, e.bank, quiz.Options{Now: e.clock.Now})
	a := member(1)
	asked, err := app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "tcp", Channel: 55})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Practice.SetSessionMessage(ctx, a.Guild, asked.Session.ID, 55, 900); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.Practice.Close(ctx, a, quiz.CloseRequest{Session: asked.Session.ID}); quiz.ErrorCode(err) != quiz.EINTERNAL {
		t.Errorf("Close without a publisher = %v; want an internal error", err)
	}
	sess, _, err := app.Practice.Session(ctx, a.Guild, asked.Session.ID)
	if err != nil || sess.State != quiz.SessionOpen || sess.RevealTries != 1 {
		t.Errorf("session after a failed Close = %+v, %v; want open with one try", sess, err)
	}
}

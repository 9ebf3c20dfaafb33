package quiz_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

func TestAskUnknownTopicListsTopics(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp", "http"))
	_, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tpc"})
	if quiz.ErrorCode(err) != quiz.ENOTFOUND || !strings.Contains(quiz.ErrorMessage(err), "http, tcp") {
		t.Fatalf("Ask(tpc) error = %v; want ENOTFOUND listing http, tcp", err)
	}
}

func TestAskPrefersUnseenAndNeverRepeats(t *testing.T) {
	e := newEnv(t, testBank(t, 4, "tcp", "http"))
	seen := map[string]bool{}
	last := ""
	for i := range 4 {
		a, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tcp"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Question.Topic != "tcp" {
			t.Fatalf("Ask(tcp) gave topic %s", a.Question.Topic)
		}
		if seen[a.Question.ID] {
			t.Fatalf("ask %d repeated %s before the topic was exhausted", i, a.Question.ID)
		}
		seen[a.Question.ID] = true
		last = a.Question.ID
	}
	for range 20 {
		a, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tcp"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Question.ID == last {
			t.Fatalf("the same question %s twice in a row", last)
		}
		last = a.Question.ID
	}
}

func TestAskSingleQuestionTopic(t *testing.T) {
	e := newEnv(t, testBank(t, 1, "tcp"))
	if _, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tcp"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Topic: "tcp"})
	if quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Fatalf("second Ask on a one-question topic = %v; want ENOTFOUND, not a repeat", err)
	}
}

func TestAnswerFlowAndStreak(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	a := member(1)
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Topic: "tcp", Channel: 55})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.app.Practice.Answer(ctx, a, asked.Session.ID, "  SYN, SYN-ACK, ACK  ")
	if err != nil {
		t.Fatal(err)
	}
	if res.Question.ID != asked.Question.ID || !res.Counted || res.Streak.Current != 1 || res.Session.Answers != 1 {
		t.Fatalf("Answer = %+v", res)
	}
	// Answering again the same day replaces the text and counts nothing more.
	res, err = e.app.Practice.Answer(ctx, a, asked.Session.ID, "better answer")
	if err != nil {
		t.Fatal(err)
	}
	if res.Counted || res.First || res.Session.Answers != 1 {
		t.Fatalf("second Answer = %+v; want nothing counted", res)
	}
	ex, err := e.app.Members.ExportMember(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Attempts) != 1 || ex.Attempts[0].Text != "better answer" || ex.Member.Answered != 1 {
		t.Fatalf("export = %+v", ex)
	}
	// The next day keeps the streak going.
	e.clock.Add(24 * time.Hour)
	asked2, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	res, err = e.app.Practice.Answer(ctx, a, asked2.Session.ID, "x")
	if err != nil || res.Streak.Current != 2 {
		t.Fatalf("day 2 Answer = %+v, %v; want streak 2", res.Streak, err)
	}
	v, err := e.app.Members.Streak(ctx, a, a.User)
	if err != nil || v.Status.Current != 2 || v.Member.Answered != 2 || v.Status.DaysActive != 2 {
		t.Fatalf("Streak = %+v, %v", v.Status, err)
	}
}

func TestStreakUsesMemberTimeZone(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	a := member(1)
	if _, err := e.app.Members.SetTimezone(ctx, a, "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	// 15:00 UTC and 17:00 UTC are the same UTC day but different days in Shanghai (UTC+8).
	e.clock.Set(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	s1, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	if _, err := e.app.Practice.Answer(ctx, a, s1.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC))
	s2, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	res, err := e.app.Practice.Answer(ctx, a, s2.Session.ID, "y")
	if err != nil || res.Streak.Current != 2 {
		t.Fatalf("streak = %d, %v; want 2 (two Shanghai days)", res.Streak.Current, err)
	}
	if _, err := e.app.Members.SetTimezone(ctx, a, "Mars/Olympus"); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("SetTimezone(bad) = %v; want EINVALID", err)
	}
}

func TestAnswerBadInput(t *testing.T) {
	e := newEnv(t, testBank(t, 2, "tcp"))
	a := member(1)
	asked, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	for name, text := range map[string]string{
		"empty":   "",
		"blank":   " \n\t ",
		"huge":    strings.Repeat("é", quiz.MaxAnswerText+1),
		"invalid": "\xff\xfe",
	} {
		if _, err := e.app.Practice.Answer(ctx, a, asked.Session.ID, text); quiz.ErrorCode(err) != quiz.EINVALID {
			t.Errorf("Answer(%s) = %v; want EINVALID", name, err)
		}
	}
	for name, text := range map[string]string{
		"multi-line":   "line one\nline two\n\nline four",
		"non-latin":    "三次握手：SYN → SYN+ACK → ACK。 Привет 👋",
		"at the limit": strings.Repeat("字", quiz.MaxAnswerText),
	} {
		if _, err := e.app.Practice.Answer(ctx, a, asked.Session.ID, text); err != nil {
			t.Errorf("Answer(%s) = %v; want ok", name, err)
		}
	}
	if _, err := e.app.Practice.Answer(ctx, a, 9999, "x"); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("Answer(unknown session) = %v; want ENOTFOUND", err)
	}
}

func TestGradeRules(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a := member(1)
	asked, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	if _, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, quiz.Good); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("Grade before answering = %v; want EINVALID", err)
	}
	if _, err := e.app.Practice.Grade(ctx, a, 777, quiz.Good); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("Grade of a question never asked = %v; want EINVALID", err)
	}
	if _, err := e.app.Practice.Reveal(ctx, a, asked.Session.ID); err != nil {
		t.Fatal(err)
	}
	g, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, quiz.Good)
	if err != nil || !g.Card.Due.Equal(e.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("Grade = %+v, %v", g, err)
	}
	if _, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, quiz.Easy); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Fatalf("second Grade = %v; want ECONFLICT", err)
	}
	if _, err := e.app.Practice.Grade(ctx, a, asked.Session.ID, "meh"); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("Grade(meh) = %v; want EINVALID", err)
	}
}

func TestReview(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a := member(1)
	if _, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true}); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Fatalf("Review with nothing graded = %v; want ENOTFOUND", err)
	}
	asked, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	e.app.Practice.Answer(ctx, a, asked.Session.ID, "x")
	e.app.Practice.Grade(ctx, a, asked.Session.ID, quiz.Again)
	other, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{}) // so the failed one is not the last question
	_ = other
	if _, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true}); quiz.ErrorCode(err) != quiz.ENOTFOUND ||
		!strings.Contains(quiz.ErrorMessage(err), "next review") {
		t.Fatalf("Review before due = %v; want ENOTFOUND naming the next review", err)
	}
	e.clock.Add(11 * time.Minute)
	r, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Review: true})
	if err != nil || r.Question.ID != asked.Question.ID {
		t.Fatalf("Review = %v, %v; want %s", r.Question.ID, err, asked.Question.ID)
	}
}

func TestConcurrentAnswersSameMember(t *testing.T) {
	e := newEnv(t, testBank(t, 50, "tcp"))
	a := member(1)
	var sessions []quiz.SessionID
	for range 40 {
		s, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, s.Session.ID)
	}
	var wg sync.WaitGroup
	for _, sid := range sessions {
		wg.Go(func() {
			if _, err := e.app.Practice.Answer(ctx, a, sid, "concurrent"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v, _ := e.app.Members.Streak(ctx, a, a.User)
	if v.Member.Answered != 40 || v.Status.Current != 1 {
		t.Fatalf("after 40 concurrent answers: answered %d streak %d; want 40 and 1", v.Member.Answered, v.Status.Current)
	}
}

func TestLeaderboard(t *testing.T) {
	e := newEnv(t, testBank(t, 10, "tcp"))
	answer := func(u quiz.UserID) {
		s, err := e.app.Practice.Ask(ctx, member(u), quiz.AskRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Practice.Answer(ctx, member(u), s.Session.ID, "x"); err != nil {
			t.Fatal(err)
		}
	}
	answer(1)
	e.clock.Add(24 * time.Hour)
	answer(1)
	answer(2)
	answer(2)
	answer(2)
	streaks, _, err := e.app.Members.Leaderboard(ctx, member(3), quiz.BoardStreak, 10)
	if err != nil || len(streaks) != 2 || streaks[0].User != 1 || streaks[0].Value != 2 || streaks[1].Value != 1 {
		t.Fatalf("streak board = %+v, %v", streaks, err)
	}
	month, _, _ := e.app.Members.Leaderboard(ctx, member(3), quiz.BoardMonth, 10)
	if len(month) != 2 || month[0].User != 2 || month[0].Value != 3 {
		t.Fatalf("month board = %+v; the newcomer with 3 answers leads", month)
	}
}

func TestPrivacyDelete(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a, b := member(1), member(2)
	for _, m := range []quiz.Actor{a, b} {
		s, err := e.app.Practice.Ask(ctx, m, quiz.AskRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Practice.Answer(ctx, m, s.Session.ID, "x"); err != nil {
			t.Fatal(err)
		}
	}
	ex, err := e.app.Members.ExportMember(ctx, a)
	if err != nil || ex.Member == nil || len(ex.Attempts) != 1 {
		t.Fatalf("before delete, export = %+v, %v; want the member and one attempt", ex, err)
	}
	if err := e.app.Members.DeleteMember(ctx, a); err != nil {
		t.Fatal(err)
	}
	ex, err = e.app.Members.ExportMember(ctx, a)
	if err != nil || ex.Member != nil || len(ex.Attempts) != 0 || len(ex.Cards) != 0 {
		t.Fatalf("after delete, export = %+v, %v", ex, err)
	}
	exb, err := e.app.Members.ExportMember(ctx, b)
	if err != nil || exb.Member == nil || len(exb.Attempts) != 1 {
		t.Fatalf("deleting one member touched another: %+v, %v", exb, err)
	}
}

func TestRevealDue(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{}
	e.use(pub)
	a := member(1)
	s, _ := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Channel: 55})
	e.app.Practice.SetSessionMessage(ctx, a.Guild, s.Session.ID, 55, 900)
	e.app.Practice.Answer(ctx, member(2), s.Session.ID, "x")
	if n, err := e.app.Daily.RunDue(ctx); n != 0 || err != nil {
		t.Fatalf("RunDue before time = %d, %v", n, err)
	}
	e.clock.Add(quiz.DefaultRevealAfter)
	if n, err := e.app.Daily.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("RunDue = %d, %v; want 1", n, err)
	}
	if len(pub.reveals) != 1 || pub.reveals[0].ReplyTo != 900 || pub.reveals[0].Answers != 1 {
		t.Fatalf("reveals = %+v", pub.reveals)
	}
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 {
		t.Fatalf("second RunDue posted %d more", n)
	}
}

func TestRevealRetriesTransientFailure(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{fail: errors.New("503"), failN: 1}
	e.use(pub)
	s, _ := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	e.app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900)
	e.clock.Add(quiz.DefaultRevealAfter)
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 {
		t.Fatal("posted despite the failure")
	}
	e.clock.Add(2 * time.Minute)
	if n, _ := e.app.Daily.RunDue(ctx); n != 1 || len(pub.reveals) != 1 {
		t.Fatalf("retry posted %d; reveals %d", n, len(pub.reveals))
	}
}

func TestCloseSession(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{}
	e.use(pub)
	s, _ := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	e.app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900)
	if err := e.close(member(2), s.Session.ID); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Fatalf("Close by another member = %v; want EFORBIDDEN", err)
	}
	if err := e.close(member(1), s.Session.ID); err != nil {
		t.Fatal(err)
	}
	if len(pub.reveals) != 1 {
		t.Fatalf("reveals = %d; want 1", len(pub.reveals))
	}
	if err := e.close(member(1), s.Session.ID); quiz.ErrorCode(err) != quiz.ECONFLICT {
		t.Fatalf("second Close = %v; want ECONFLICT", err)
	}
	e.clock.Add(time.Hour)
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 || len(pub.reveals) != 1 {
		t.Fatalf("the due reveal ran again after Close")
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	zh := quiz.Actor{Guild: 10, User: 5, Locale: "zh-CN"}
	asked, _ := e.app.Practice.Ask(ctx, zh, quiz.AskRequest{})
	if asked.Lang != quiz.Chinese {
		t.Fatalf("zh-CN got %s", asked.Lang)
	}
	e.app.Members.SetLanguage(ctx, zh, "en")
	asked, _ = e.app.Practice.Ask(ctx, zh, quiz.AskRequest{})
	if asked.Lang != quiz.English {
		t.Fatalf("override en got %s", asked.Lang)
	}
	if _, err := e.app.Members.SetLanguage(ctx, zh, "klingon"); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("SetLanguage(klingon) = %v", err)
	}
}

// TestSettingsResetOnlyWhenAsked: an empty value is refused and changes nothing (a command
// typed without its value must not wipe a choice); server, auto and default reset; Settings
// shows both the choice and what is in force.
func TestSettingsResetOnlyWhenAsked(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a := quiz.Actor{Guild: 10, User: 5, Locale: "zh-CN"}
	if _, err := e.app.Members.SetTimezone(ctx, a, "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Members.SetLanguage(ctx, a, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Members.SetTimezone(ctx, a, " "); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("SetTimezone(blank) = %v; want EINVALID", err)
	}
	if _, err := e.app.Members.SetLanguage(ctx, a, ""); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("SetLanguage(empty) = %v; want EINVALID", err)
	}
	if _, err := e.app.Members.SetRetention(ctx, a, "97"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Members.SetRetention(ctx, a, " "); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("SetRetention(blank) = %v; want EINVALID", err)
	}
	s, err := e.app.Members.Settings(ctx, a)
	if want := (quiz.Settings{Zone: "Asia/Shanghai", ServerZone: "UTC", Lang: quiz.English, Effective: quiz.English, Retention: 0.97}); err != nil || s != want {
		t.Fatalf("Settings after empty values = %+v, %v; want %+v (unchanged)", s, err, want)
	}
	for _, reset := range []string{"auto", "Server"} {
		if _, err := e.app.Members.SetTimezone(ctx, a, "Europe/Paris"); err != nil {
			t.Fatal(err)
		}
		if z, err := e.app.Members.SetTimezone(ctx, a, reset); err != nil || z != "" {
			t.Errorf("SetTimezone(%s) = %q, %v; want the setting cleared", reset, z, err)
		}
	}
	if l, err := e.app.Members.SetLanguage(ctx, a, "AUTO"); err != nil || l != "" {
		t.Errorf("SetLanguage(AUTO) = %q, %v; want the setting cleared", l, err)
	}
	if r, err := e.app.Members.SetRetention(ctx, a, "Default"); err != nil || r != quiz.DefaultRetention {
		t.Errorf("SetRetention(Default) = %v, %v; want %v", r, err, quiz.DefaultRetention)
	}
	s, err = e.app.Members.Settings(ctx, a)
	if want := (quiz.Settings{ServerZone: "UTC", Effective: quiz.Chinese, Retention: quiz.DefaultRetention}); err != nil || s != want || s.InZone() != "UTC" {
		t.Fatalf("Settings after reset = %+v, %v; want %+v", s, err, want)
	}
}

// TestRevealNeedsAPublicMessage: a question whose reply never reached the channel is not
// revealed there later.
func TestRevealNeedsAPublicMessage(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{}
	e.use(pub)
	if _, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	if n, _ := e.app.Daily.RunDue(ctx); n != 0 || len(pub.reveals) != 0 {
		t.Fatalf("revealed a question never posted: %d", len(pub.reveals))
	}
}

// TestRevealGivesUp: a reveal that keeps failing with a transient error is tried once and
// retried exactly 30 times a minute apart, then given up: nothing more is tried however long
// the bot runs, the session stays open, and Close can still post it afterwards.
func TestRevealGivesUp(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	pub := &publisher{fail: errors.New("503"), failN: 1000}
	e.use(pub)
	s, err := e.app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(quiz.DefaultRevealAfter)
	tries := 0
	for range 200 {
		before := pub.failN
		n, err := e.app.Daily.RunDue(ctx)
		if n != 0 || err != nil {
			t.Fatalf("RunDue = %d, %v; want nothing posted and the failure handled", n, err)
		}
		tries += before - pub.failN
		e.clock.Add(time.Minute)
	}
	if tries != 31 {
		t.Fatalf("%d tries; want the first try and 30 retries", tries)
	}
	sess, _, err := e.app.Practice.Session(ctx, 10, s.Session.ID)
	if err != nil || sess.State == quiz.SessionRevealed || sess.RevealMessage != 0 {
		t.Fatalf("after giving up, session = %+v, %v; want it open", sess, err)
	}
	pub.failN = 0
	if err := e.close(member(1), s.Session.ID); err != nil {
		t.Fatalf("Close after the reveal gave up = %v", err)
	}
	if len(pub.reveals) != 1 || pub.reveals[0].ReplyTo != 900 {
		t.Fatalf("reveals after Close = %+v; want one, under the question", pub.reveals)
	}
}

func TestGradeIntervalCapped(t *testing.T) {
	c := quiz.Card{QuestionID: "q"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 60 {
		c = quiz.SM2{}.Review(c, quiz.Easy, now, 0)
	}
	if c.Due.Before(now) || c.Due.Year() > 2200 {
		t.Fatalf("after 60 Easy grades Due = %v", c.Due)
	}
}

// TestRevealShortGraceRetries: with a grace shorter than the retry delay, a transient failure is
// still retried (grace applies to downtime before the first try, not to retries).
func TestRevealShortGraceRetries(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	pub := &publisher{fail: errors.New("503"), failN: 1}
	app := quiz.New(quiztest.NewMemStore(), testBank(t, 3, "tcp"), quiz.Options{Now: c.Now, Grace: 45 * time.Second, Publisher: pub})
	s, _ := app.Practice.Ask(ctx, member(1), quiz.AskRequest{Channel: 55})
	app.Practice.SetSessionMessage(ctx, 10, s.Session.ID, 55, 900)
	c.Add(quiz.DefaultRevealAfter)
	app.Daily.RunDue(ctx)
	c.Add(time.Minute)
	if n, _ := app.Daily.RunDue(ctx); n != 1 {
		t.Fatalf("retry posted %d; want 1", n)
	}
}

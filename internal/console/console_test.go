package console

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

var update = flag.Bool("update", false, "rewrite the golden transcript")

func testApp(t *testing.T) *quiz.App {
	t.Helper()
	topics := []quiz.Topic{{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP 协议"}}, {Slug: "redis", Title: quiz.Text{EN: "Redis", ZH: "Redis"}}}
	var qs []quiz.Question
	for _, id := range []string{"tcp-handshake", "tcp-time-wait", "redis-persistence"} {
		topic := strings.SplitN(id, "-", 2)[0]
		qs = append(qs, quiz.Question{ID: id, Topic: topic, Level: quiz.Junior, Tags: []string{topic},
			Prompt:    quiz.Text{EN: "Explain " + id + ".", ZH: "解释 " + id + "。"},
			Answer:    quiz.Text{EN: "The answer to " + id + ".", ZH: id + " 的答案。"},
			KeyPoints: quiz.TextList{EN: []string{"first", "second", "third"}, ZH: []string{"一", "二", "三"}},
			FollowUps: quiz.TextList{EN: []string{"Why?"}, ZH: []string{"为什么？"}}})
	}
	b, err := quiz.NewBank(topics, qs)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return quiz.New(quiztest.NewMemStore(), b, quiz.Options{Now: func() time.Time { return now }, Intn: func(int) int { return 0 }})
}

// TestTranscript plays a scripted session through the console and compares the whole output
// with testdata/session.golden: the same commands and buttons as on Discord, typed.
func TestTranscript(t *testing.T) {
	script := strings.Join([]string{
		"/help",
		"/topics",
		"/interview tcp",
		"answer",
		"SYN, SYN-ACK, ACK — 三次握手",
		"good",
		"/interview nosuch",
		"hello",
		"/interview redis",
		"reveal",
		"again",
		"/review",
		"/streak",
		"/leaderboard",
		"/leaderboard month",
		"/settings timezone Mars/Base",
		"/settings timezone Asia/Shanghai",
		"/settings language zh",
		"/interview tcp",
		"作答",
		"",
		"/privacy delete",
		"no",
		"/unknown",
	}, "\n") + "\n"
	var out strings.Builder
	app := testApp(t)
	c := New(app.Practice, app.Members, quiz.Actor{Guild: 0, User: 1, Name: "tester", Locale: "en_US.UTF-8"}, strings.NewReader(script), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v; want nil at end of input", err)
	}
	got := out.String()
	golden := "testdata/session.golden"
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("transcript differs from %s:\n%s", golden, got)
	}
}

// TestEndOfInputMidModal: input that ends while the console asks for an answer ends the
// session cleanly: the form was shown, nothing was answered or recorded, and Run returns nil.
func TestEndOfInputMidModal(t *testing.T) {
	var out strings.Builder
	app := testApp(t)
	me := quiz.Actor{User: 1}
	c := New(app.Practice, app.Members, me, strings.NewReader("/interview tcp\nanswer\n"), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v; want nil at end of input", err)
	}
	got := out.String()
	if !strings.Contains(got, "Explain tcp-handshake.") || !strings.HasSuffix(got, "Your answer (one line): [Answer] [Reveal] [Next] > \n") {
		t.Errorf("output = %q; want the question, the answer prompt, then the end", got)
	}
	if strings.Contains(got, "Reference answer") || strings.Contains(got, "Streak:") {
		t.Errorf("output = %q; an answer was taken from nothing", got)
	}
	v, err := app.Members.Streak(context.Background(), me, me.User)
	if err != nil || v.Member.Answered != 0 || v.Status.LastDay != 0 {
		t.Errorf("after end of input mid-form: streak %+v, %v; want nothing recorded", v, err)
	}
}

func TestQuit(t *testing.T) {
	var out strings.Builder
	app := testApp(t)
	c := New(app.Practice, app.Members, quiz.Actor{User: 1}, strings.NewReader("/quit\n/interview tcp\n"), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil || strings.Contains(out.String(), "Explain") {
		t.Fatalf("after /quit the console went on: %q, %v", out.String(), err)
	}
}

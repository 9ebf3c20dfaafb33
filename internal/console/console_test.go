package console

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

var update = flag.Bool("update", false, "rewrite the golden transcript")

func testApp(t *testing.T) *quiz.App {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return quiz.New(quiztest.NewMemStore(), testBank(t, "tcp-handshake", "tcp-time-wait", "redis-persistence"),
		quiz.Options{Now: func() time.Time { return now }, Intn: func(int) int { return 0 }})
}

// testBank has the questions ids (named topic-rest), in both languages; tcp-handshake's
// answer is Markdown, as the bank is written.
func testBank(t *testing.T, ids ...string) *quiz.Bank {
	t.Helper()
	topics := []quiz.Topic{{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP 协议"}}, {Slug: "redis", Title: quiz.Text{EN: "Redis", ZH: "Redis"}}}
	var qs []quiz.Question
	for _, id := range ids {
		topic := strings.SplitN(id, "-", 2)[0]
		qs = append(qs, quiz.Question{ID: id, Topic: topic, Level: quiz.Junior, Tags: []string{topic},
			Prompt:    quiz.Text{EN: "Explain " + id + ".", ZH: "解释 " + id + "。"},
			Answer:    quiz.Text{EN: "The answer to " + id + ".", ZH: id + " 的答案。"},
			KeyPoints: quiz.TextList{EN: []string{"first", "second", "third"}, ZH: []string{"一", "二", "三"}},
			FollowUps: quiz.TextList{EN: []string{"Why?"}, ZH: []string{"为什么？"}}})
	}
	if qs[0].ID == "tcp-handshake" {
		qs[0].Answer.EN = "The **three-way** handshake:\n- `SYN`\n- SYN-ACK\n\n```\nclient -> server\n```"
	}
	b, err := quiz.NewBank(topics, qs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTranscript plays a scripted session through the console and compares the whole output
// with testdata/session.golden: the same commands and buttons as on Discord, typed.
func TestTranscript(t *testing.T) {
	script := strings.Join([]string{
		"/HELP",
		"/topics",
		"/Interview TCP",
		"answer",
		strings.Repeat("x", quiz.MaxAnswerText+1),
		"[Answer]",
		"SYN, SYN-ACK, ACK — 三次握手",
		"GOOD",
		"/interview nosuch",
		"hello",
		"/interview redis",
		"reveal",
		"again",
		"/review",
		"/streak",
		"/streak bob",
		"/leaderboard",
		"/Leaderboard Month",
		"/leaderboard foo",
		"/interview weak",
		"hint",
		"hint",
		"hint",
		"answer",
		"the first and second points",
		"accept",
		"check 1 2",
		"check 9",
		"check one",
		"accept",
		"/progress",
		"/progress now",
		"/settings",
		"/settings retention",
		"/settings retention 0.5",
		"/settings retention 85%",
		"/settings timezone Mars/Base",
		"/settings timezone Asia/Shanghai",
		"/settings timezone",
		"/settings language",
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
	dir := t.TempDir()
	c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{Guild: 0, User: 1, Name: "tester", Locale: "en_US.UTF-8"}, strings.NewReader(script), &out, slog.New(slog.DiscardHandler)).WithChart(stubChart{}, dir)
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v; want nil at end of input", err)
	}
	got := strings.ReplaceAll(out.String(), dir, "DIR")
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
	c := New(app.Practice, app.Members, app.Mocks, me, strings.NewReader("/interview tcp\nanswer\n"), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v; want nil at end of input", err)
	}
	got := out.String()
	if !strings.Contains(got, "Explain tcp-handshake.") || !strings.HasSuffix(got, "Your answer (one line): [Answer] [Hint] [Reveal] [Next] > \n") {
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
	c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{User: 1}, strings.NewReader("/quit\n/interview tcp\n"), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil || strings.Contains(out.String(), "Explain") {
		t.Fatalf("after /quit the console went on: %q, %v", out.String(), err)
	}
}

// TestChineseSession runs a whole session, every command and its mistakes, once for a member
// whose LANG is Chinese and once for one whose LANG is English. The Chinese run must not show
// an English sentence, nor any English word the English run showed (other than command names,
// their arguments and the bank's names): the words of every English string the session can
// reach come from the English run itself, so a string added later without its Chinese is caught.
func TestChineseSession(t *testing.T) {
	script := strings.Join([]string{
		"/help", "/topics", "/interview tcp", "作答", strings.Repeat("长", quiz.MaxAnswerText+1), "作答", "三次握手", "良好",
		"/interview nosuch", "/interview tcp redis", "hello", "/interview redis", "看答案", "hello", "重来", "/review", "/review now",
		"/streak", "/streak bob", "/leaderboard", "/leaderboard month", "/leaderboard foo",
		"/interview weak", "提示", "提示", "提示", "作答", "一和二", "采纳", "核对 1 2", "核对 9", "核对 一", "采纳", "/progress", "/progress now",
		"/settings", "/settings retention", "/settings retention 0.5", "/settings retention 85%", "/settings retention default",
		"/settings timezone", "/settings timezone Mars/Base", "/settings timezone Asia/Shanghai",
		"/settings timezone", "/interview tcp", "下一题", "看答案", "良好", "/settings timezone server", "/settings language",
		"/settings language klingon", "/settings colour blue", "/privacy", "/privacy delete", "no", "/privacy delete", "DELETE",
		"/review", "/streak", "/unknown", "/quit",
	}, "\n") + "\n"
	run := func(locale string) string {
		var out strings.Builder
		app := testApp(t)
		c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{User: 1, Name: "tester", Locale: locale}, strings.NewReader(script), &out, slog.New(slog.DiscardHandler)).WithChart(stubChart{}, t.TempDir())
		if err := c.Run(context.Background()); err != nil {
			t.Fatalf("Run(%s) = %v", locale, err)
		}
		return out.String()
	}
	en, zh := run("en_US.UTF-8"), run("zh_CN.UTF-8")
	// What a member types or the bank names: commands and their arguments, ids, zones.
	allowed := map[string]bool{}
	for _, w := range strings.Fields("help interview topic topics review streak leaderboard month settings timezone language " +
		"privacy export delete quit server auto en zh ZONE LANG DELETE UTC tcp TCP redis Redis tester nosuch foo bob now hello " +
		"klingon colour blue unknown Ctrl JSON IANA mock minutes resume history weak progress retention default PNG") {
		allowed[w] = true
	}
	englishWords := map[string]bool{}
	for _, w := range words(en) {
		if !allowed[w] {
			englishWords[w] = true
		}
	}
	if len(englishWords) < 100 {
		t.Fatalf("the English run showed only %d words; the session did not run", len(englishWords))
	}
	sentence := regexp.MustCompile(`[A-Za-z]+(,? [A-Za-z]+){2,}`)
	han := regexp.MustCompile(`\p{Han}`)
	for i, line := range strings.Split(zh, "\n") {
		var leaks []string
		for _, w := range words(line) {
			if englishWords[w] {
				leaks = append(leaks, w)
			}
		}
		if len(leaks) > 0 || (!han.MatchString(line) && sentence.MatchString(stripCommands(line))) {
			t.Errorf("line %d of the Chinese session is English (%s): %q", i+1, strings.Join(leaks, " "), line)
		}
	}
	if !strings.Contains(zh, "Asia/Shanghai") || !regexp.MustCompile(`下次复习：\d{4}-\d\d-\d\d \d\d:\d\d Asia/Shanghai`).MatchString(zh) {
		t.Errorf("the Chinese session shows no review time in the member's zone:\n%s", zh[len(zh)-3000:])
	}
}

var (
	commandRe = regexp.MustCompile(`/[a-z]+( (timezone|language|retention|month|export|delete|server|auto|default|weak|ZONE|\[topic\]|\[month\]|en\|zh\|auto|en\|zh|\||tcp))*`)
	tokenRe   = regexp.MustCompile(`\S*[-/_.@]\S*[A-Za-z]\S*|\S*[A-Za-z]\S*[-/_@]\S*`)
	wordRe    = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// stripCommands drops commands with their arguments, and identifiers such as tcp-handshake
// or Asia/Shanghai, leaving the prose of a line.
func stripCommands(line string) string {
	return tokenRe.ReplaceAllString(commandRe.ReplaceAllString(line, ""), "")
}

// words returns the English words of text's prose.
func words(text string) []string { return wordRe.FindAllString(stripCommands(text), -1) }

// TestLeaveAtOnce: with input still open and nothing typed, cancelling the context (Ctrl-C)
// or closing the input (Ctrl-D) ends Run at once with nil, without waiting for a line.
func TestLeaveAtOnce(t *testing.T) {
	for _, how := range []string{"interrupt", "end of input"} {
		app := testApp(t)
		in, typist := io.Pipe()
		out, screen := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{User: 1}, in, screen, slog.New(slog.DiscardHandler))
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx); screen.Close() }()
		banner := bufio.NewReader(out)
		if _, err := banner.ReadString('>'); err != nil { // the first prompt: Run waits for a line
			t.Fatal(err)
		}
		go io.Copy(io.Discard, banner)
		if how == "interrupt" {
			cancel()
		} else {
			typist.Close()
		}
		if err := <-done; err != nil {
			t.Errorf("%s: Run = %v; want nil", how, err)
		}
		cancel()
	}
}

// TestReviewSkipsQuestionsThatLeft: a card graded on a question that a later bank no longer
// has is not "due" forever: /review says it was skipped, and gives the real next review.
func TestReviewSkipsQuestionsThatLeft(t *testing.T) {
	store := quiztest.NewMemStore()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	opts := quiz.Options{Now: func() time.Time { return now }, Intn: func(int) int { return 0 }}
	before := quiz.New(store, testBank(t, "tcp-handshake", "tcp-time-wait"), opts)
	var out strings.Builder
	me := quiz.Actor{User: 1}
	script := "/interview tcp\nreveal\nagain\n/interview tcp\nreveal\neasy\n"
	if err := New(before.Practice, before.Members, before.Mocks, me, strings.NewReader(script), &out, slog.New(slog.DiscardHandler)).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour) // the first card is due, the second not yet
	after := quiz.New(store, testBank(t, "tcp-time-wait", "redis-persistence"), opts)
	out.Reset()
	if err := New(after.Practice, after.Members, after.Mocks, me, strings.NewReader("/review\n"), &out, slog.New(slog.DiscardHandler)).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "Reviews skipped because their question left the bank: 1.") ||
		!regexp.MustCompile(`next review is due 2026-03-(0[4-9]|[12]\d)`).MatchString(got) {
		t.Errorf("/review after tcp-handshake left the bank:\n%s\nwant the skip said and a next review still ahead", got)
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"**bold** and __also__, *it* and `a*b` stay":    "bold and also, it and a*b stay",
		"- one\n* two\n  - nested\n1. first":            "  • one\n  • two\n    • nested\n1. first",
		"## Title\n> quoted":                            "Title\n│ quoted",
		"see [the RFC](https://example.com/rfc) for it": "see the RFC (https://example.com/rfc) for it",
		"```go\nx := **y**\n```\nafter":                 "    x := **y**\nafter",
		"2 * 3 * 4 snake_case_name":                     "2 * 3 * 4 snake_case_name",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestHugeAnswerKept: a pasted answer far over the limit (longer than any line buffer) is
// neither sent nor lost, and the session goes on: a shorter answer is then taken.
func TestHugeAnswerKept(t *testing.T) {
	huge := strings.Repeat("x", 2<<20)
	var out strings.Builder
	app := testApp(t)
	script := "/interview tcp\nanswer\n" + huge + "\nanswer\nshort\n"
	c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{User: 1}, strings.NewReader(script), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "Your answer is 2097152 characters; the limit is 4000. It is kept") ||
		!strings.Contains(got, "Your kept answer, to shorten:\n"+huge+"\n") || !strings.Contains(got, "Reference answer") {
		t.Errorf("a 2 MiB answer, then a short one: %d bytes of output without the limit said, the answer shown back, or the short answer taken", len(got))
	}
}

// stubChart stands in for chart.Drawer, which the console may not import: a picture of the
// member's name, and a line of text in the member's language.
type stubChart struct{}

func (stubChart) Render(p quiz.Progress) ([]byte, error) { return []byte("PNG " + p.Name), nil }
func (stubChart) Text(p quiz.Progress) string {
	return tr(p.Lang, fmt.Sprintf("**Answers:** %d", p.Answered), fmt.Sprintf("**回答总数：** %d", p.Answered))
}

// TestProgressWritesPicture: /progress writes the picture into the console's directory, prints
// its path and then the same facts as plain text.
func TestProgressWritesPicture(t *testing.T) {
	var out strings.Builder
	app := testApp(t)
	dir := t.TempDir()
	me := quiz.Actor{User: 7, Name: "tester"}
	c := New(app.Practice, app.Members, app.Mocks, me, strings.NewReader("/interview tcp\nanswer\nSYN\n/progress\n"), &out, slog.New(slog.DiscardHandler)).WithChart(stubChart{}, dir)
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "progress-7.png")
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "PNG tester" {
		t.Fatalf("%s = %q, %v; want the rendered picture", path, data, err)
	}
	if !strings.Contains(out.String(), "Progress picture: "+path+"\n\nAnswers: 1\n") {
		t.Errorf("output = %q; want the path, then the text", out.String())
	}
}

// TestSoloMock runs a solo mock interview in the console: the clock, a hint, the answer and
// its follow-up, ending early, the report's checklist and grade, and the history.
func TestSoloMock(t *testing.T) {
	script := strings.Join([]string{
		"/mock tcp 10",
		"hint",
		"answer",
		"SYN, SYN-ACK, ACK",
		"answer",
		"To agree on sequence numbers.",
		"end",
		"check 1,2",
		"good",
		"/mock history",
		"/mock resume",
	}, "\n") + "\n"
	var out strings.Builder
	app := testApp(t)
	c := New(app.Practice, app.Members, app.Mocks, quiz.Actor{User: 1, Locale: "en"}, strings.NewReader(script), &out, slog.New(slog.DiscardHandler))
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Mock interview, question 1/2 · tcp · junior ── time is up at 09:10:00 UTC",
		"hint: first",
		"Follow-up: Why?",
		"question 2/2",
		"answer: SYN, SYN-ACK, ACK",
		"follow-up: Why? → To agree on sequence numbers.",
		"[x] 1. first\n  [x] 2. second\n  [ ] 3. third",
		"grade good",
		"no hire",
		"You have no mock interview in progress.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

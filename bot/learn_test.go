package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/chart"
	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// learnBank has three topics of two questions each, of five key points recognisable in a
// message.
const learnBank = `topic: %[1]s
title: {en: %[1]s, zh: %[1]s 主题}
questions:
  - id: %[1]s-first
    level: junior
    tags: [basics]
    question: {en: "First question about %[1]s?", zh: "关于 %[1]s 的第一题？"}
    answer: {en: "ANSWER-%[1]s-1", zh: "答案-%[1]s-1"}
    key_points:
      en: ["KP1-EN", "KP2-EN", "KP3-EN", "KP4-EN", "KP5-EN"]
      zh: ["KP1-ZH", "KP2-ZH", "KP3-ZH", "KP4-ZH", "KP5-ZH"]
  - id: %[1]s-second
    level: junior
    tags: [basics]
    question: {en: "Second question about %[1]s?", zh: "关于 %[1]s 的第二题？"}
    answer: {en: "ANSWER-%[1]s-2", zh: "答案-%[1]s-2"}
    key_points:
      en: ["KP1-EN", "KP2-EN", "KP3-EN", "KP4-EN", "KP5-EN"]
      zh: ["KP1-ZH", "KP2-ZH", "KP3-ZH", "KP4-ZH", "KP5-ZH"]
`

// startLearn runs the bot on learnBank's topics.
func startLearn(t *testing.T, e *env) *bot {
	t.Helper()
	dir := t.TempDir()
	for _, topic := range []string{"tcp", "redis", "dns"} {
		body := strings.ReplaceAll(learnBank, "%[1]s", topic)
		if err := os.WriteFile(filepath.Join(dir, topic+".yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return e.startEnv([]string{"QUESTIONS_DIR", dir})
}

// labelOf returns the label of the button whose custom id is id.
func labelOf(t *testing.T, rows []json.RawMessage, id string) string {
	t.Helper()
	for label, cid := range customIDs(t, rows) {
		if cid == id && strings.ContainsAny(label, " ·") {
			return label
		}
	}
	return ""
}

// TestHintChecklistAcceptSuggested: a member takes a hint (private, one key point), answers,
// sees the hint with the reference answer and each grade button's interval, ticks two of five
// key points, reads the suggested grade and its reason, and accepts it with one button. The
// stored attempt keeps the hint, the points ticked and the grade (seen through /privacy export).
func TestHintChecklistAcceptSuggested(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	startLearn(t, e)
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"))
	e.final(ask)
	question, _ := ask.Original()
	ids := customIDs(t, question.Components)
	if ids["hint"] == "" || !strings.Contains(embedText(question.Embeds), "question about tcp") {
		t.Fatalf("question %s has no Hint button: %v", embedText(question.Embeds), ids)
	}

	hint := e.final(e.fake.Click(guildA, channelA, ada, question.ID, ids["hint"]))
	if text := embedText(hint.Embeds); hint.Flags&64 == 0 || !strings.Contains(text, "1. KP1-EN") || strings.Contains(text, "KP2") ||
		!strings.Contains(hint.Content, "3 more hints available") {
		t.Fatalf("Hint = flags %d %q %s; want key point 1 only, privately, 3 hints left", hint.Flags, hint.Content, text)
	}

	modal := e.wait(e.fake.Click(guildA, channelA, ada, question.ID, ids["answer"]))
	submit := e.fake.SubmitModalOnMessage(guildA, channelA, ada, question.ID, modal.ModalCustomID, map[string]string{"answer": "SYN and ACK"})
	answered := e.final(submit)
	if !strings.Contains(answered.Content, "You took 1 hint: key point 1.") || !strings.Contains(embedText(answered.Embeds), "5. KP5-EN") {
		t.Fatalf("answer reply = %q %s; want the hint taken and the numbered key points", answered.Content, embedText(answered.Embeds))
	}
	aids := customIDs(t, answered.Components)
	for _, g := range []string{"again", "hard", "good", "easy"} {
		if l := labelOf(t, answered.Components, aids["grade:"+g]); !regexp.MustCompile(`^[A-Z][a-z]+ · \d+(m|h|d|mo|y)$`).MatchString(l) {
			t.Errorf("grade %s button = %q; want its interval, like Good · 4d", g, l)
		}
	}
	if aids["check"] == "" {
		t.Fatalf("no key-point checklist under the answer: %v", aids)
	}

	msg, _ := submit.Original()
	checked := e.final(e.fake.Select(guildA, channelA, ada, msg.ID, aids["check"], []string{"0", "2"}))
	// 2 of 5 is 40%, less 15% for the hint: 25%, Again.
	if !strings.Contains(checked.Content, "Suggested grade: Again.") || !strings.Contains(checked.Content, "You covered 2 of 5 key points (40%) with 1 hint (−15% each)") {
		t.Fatalf("after ticking 2 of 5: %q; want Again and why", checked.Content)
	}
	var accept string
	for label, id := range customIDs(t, checked.Components) {
		if strings.HasPrefix(label, "✓ Accept") {
			accept = id
		}
	}
	if !strings.HasPrefix(accept, "v1:grade:") || !strings.HasSuffix(accept, ":again") {
		t.Fatalf("accept button = %q in %v; want the suggested grade", accept, customIDs(t, checked.Components))
	}
	graded := e.final(e.fake.Click(guildA, channelA, ada, msg.ID, accept))
	if !strings.Contains(graded.Content, "Graded: **Again** (as suggested)") {
		t.Fatalf("accepting = %q", graded.Content)
	}

	ex := exportOf(t, e, ada)
	if len(ex.Attempts) != 1 {
		t.Fatalf("export has %d attempts; want 1", len(ex.Attempts))
	}
	at := ex.Attempts[0]
	if at.Hints != 1 || !slices.Equal(at.Covered, []int{0, 2}) || at.Grade != quiz.Again || at.Suggested != quiz.Again {
		t.Errorf("stored attempt = %+v; want 1 hint, key points 1 and 3, graded Again as suggested", at)
	}
	if len(ex.Cards) != 1 || ex.Cards[0].Stability <= 0 || ex.Cards[0].Difficulty <= 0 || ex.Cards[0].State == quiz.CardNew || ex.Cards[0].LastReview.IsZero() {
		t.Errorf("exported card = %+v; want its FSRS state", ex.Cards)
	}
}

// exportOf is the member's /privacy export, decoded.
func exportOf(t *testing.T, e *env, u discordtest.User) quiz.Export {
	t.Helper()
	before := len(e.fake.Uploads())
	e.final(e.fake.Slash(guildA, channelA, u, "privacy", sub("export")))
	ups := e.fake.Uploads()[before:]
	if len(ups) != 1 {
		t.Fatalf("/privacy export sent %d files", len(ups))
	}
	var ex quiz.Export
	if err := json.Unmarshal(ups[0].Data, &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

// answerAndGrade has u answer a private question on topic and grade it g.
func answerAndGrade(t *testing.T, e *env, u discordtest.User, topic string, g quiz.Grade) {
	t.Helper()
	ask := e.fake.Slash(guildA, channelA, u, "interview", opt("topic", topic), opt("private", true))
	r := e.wait(ask)
	msg, _ := ask.Original()
	modal := e.wait(e.fake.Click(guildA, channelA, u, msg.ID, customIDs(t, r.Components)["answer"]))
	submit := e.fake.SubmitModalOnMessage(guildA, channelA, u, msg.ID, modal.ModalCustomID, map[string]string{"answer": "an answer"})
	done := e.final(submit)
	reply, _ := submit.Original()
	if got := e.final(e.fake.Click(guildA, channelA, u, reply.ID, customIDs(t, done.Components)["grade:"+string(g)])); !strings.Contains(got.Content, "Graded") &&
		!strings.Contains(got.Content, "已评分") {
		t.Fatalf("grading %s = %q", topic, got.Content)
	}
}

// TestWeakTopics: with a prepared history (redis graded Again, tcp Good, a week ago; dns never
// practised), /interview weak and the button under /progress both ask from redis, the topic
// recalled worst; autocomplete offers "weak".
func TestWeakTopics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	startLearn(t, e)
	answerAndGrade(t, e, ada, "redis", quiz.Again)
	answerAndGrade(t, e, ada, "tcp", quiz.Good)
	e.clock.Advance(7 * 24 * time.Hour)

	ac := e.wait(e.fake.Autocomplete(guildA, channelA, ada, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "we", Focused: true}))
	if len(ac.Choices) == 0 || ac.Choices[0].Value != "weak" {
		t.Errorf("autocomplete for \"we\" = %+v; want weak first", ac.Choices)
	}

	weak := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "weak"), opt("private", true)))
	if title := embedText(weak.Embeds); !strings.HasPrefix(title, "redis ·") {
		t.Fatalf("/interview weak asked %s; want redis, the weakest topic", title)
	}

	prog := e.final(e.fake.Slash(guildA, channelA, ada, "progress"))
	btn := customIDs(t, prog.Components)["weak"]
	if btn == "" {
		t.Fatalf("/progress has no Practise weak topics button: %v", customIDs(t, prog.Components))
	}
	fromButton := e.final(e.fake.Click(guildA, channelA, ada, prog.ID, btn))
	if title := embedText(fromButton.Embeds); fromButton.Flags&64 == 0 || !strings.HasPrefix(title, "redis ·") {
		t.Fatalf("Practise weak topics asked %s (flags %d); want redis, privately", title, fromButton.Flags)
	}
}

// TestProgressPicture: /progress replies privately with the PNG as an attachment shown in the
// embed, the picture Render draws for the member's progress (so it decodes at the size and
// with the pixels chart's own tests check), and the same facts as text, in Chinese for bob.
func TestProgressPicture(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := startLearn(t, e)
	answerAndGrade(t, e, ada, "tcp", quiz.Good)
	e.clock.Advance(24 * time.Hour)
	answerAndGrade(t, e, ada, "dns", quiz.Hard)

	m := e.final(e.fake.Slash(guildA, channelA, ada, "progress"))
	if m.Flags&64 == 0 || len(m.Attachments) != 1 {
		t.Fatalf("/progress = flags %d, %d attachment(s); want one, privately", m.Flags, len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.Filename != "progress.png" || a.ContentType != "image/png" || len(a.Data) > 200<<10 {
		t.Errorf("attachment = %s %s %d bytes; want progress.png, image/png, under 200 KB", a.Filename, a.ContentType, len(a.Data))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(a.Data))
	if err != nil {
		t.Fatalf("the attachment does not decode as PNG: %v", err)
	}
	p, err := b.app.domain.Members.Progress(e.ctx, quiz.Actor{Guild: quiz.GuildID(parseSnowflake(guildA)), User: quiz.UserID(parseSnowflake(ada.ID)), Locale: ada.Locale})
	if err != nil {
		t.Fatal(err)
	}
	want, err := chart.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	wcfg, _ := png.DecodeConfig(bytes.NewReader(want))
	if cfg.Width != chart.Width || cfg.Width != wcfg.Width || cfg.Height != wcfg.Height || !bytes.Equal(a.Data, want) {
		t.Errorf("picture is %dx%d; want Render's %dx%d (width %d), byte for byte", cfg.Width, cfg.Height, wcfg.Width, wcfg.Height, chart.Width)
	}
	if len(m.Embeds) != 1 || m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != a.URL {
		t.Errorf("embed image = %+v; want the attachment", m.Embeds)
	}
	if text := embedText(m.Embeds); !strings.Contains(text, "**Answers:** 2") || !strings.Contains(text, "- tcp: 1/2 seen") {
		t.Errorf("embed text = %s; want the facts of the picture", text)
	}

	zh := e.final(e.fake.Slash(guildA, channelA, bob, "progress"))
	if text := embedText(zh.Embeds); !strings.Contains(text, "进度") || !strings.Contains(text, "回答总数") || len(zh.Attachments) != 1 {
		t.Errorf("bob's /progress = %s with %d attachment(s); want Chinese text and the picture", text, len(zh.Attachments))
	}
}

// TestRetentionSetting: /settings retention takes 0.80 to 0.97 (as 0.85 or 85%), refuses the
// rest with a clear message in the member's language, and keeps the value (export shows it).
// A higher target brings reviews sooner: the Good button's interval shrinks.
func TestRetentionSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	startLearn(t, e)
	for _, tc := range []struct {
		u    discordtest.User
		v    string
		want string
	}{
		{ada, "0.5", "Retention must be from 80% to 97%"},
		{ada, "high", "is not a number"},
		{bob, "99%", "记忆率必须在 80% 到 97% 之间"},
		{ada, "85%", "about 85% recall"},
	} {
		got := e.final(e.fake.Slash(guildA, channelA, tc.u, "settings", sub("retention", opt("target", tc.v))))
		if got.Flags&64 == 0 || !strings.Contains(got.Content, tc.want) {
			t.Errorf("%s: /settings retention %s = %q; want %q, privately", tc.u.Username, tc.v, got.Content, tc.want)
		}
	}
	if ex := exportOf(t, e, ada); ex.Member == nil || ex.Member.Retention != 0.85 {
		t.Errorf("exported member = %+v; want retention 0.85", ex.Member)
	}

	goodDays := func(target string) string {
		t.Helper()
		e.final(e.fake.Slash(guildA, channelA, ada, "settings", sub("retention", opt("target", target))))
		ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "redis"), opt("private", true))
		r := e.wait(ask)
		msg, _ := ask.Original()
		reveal := e.final(e.fake.Click(guildA, channelA, ada, msg.ID, customIDs(t, r.Components)["reveal"]))
		return labelOf(t, reveal.Components, customIDs(t, reveal.Components)["grade:good"])
	}
	low, high := goodDays("0.80"), goodDays("0.97")
	if low == high {
		t.Errorf("Good at 80%% = %q, at 97%% = %q; want a shorter interval for the higher target", low, high)
	}
}

// TestHintChecklistInChinese: the same path for a member whose client is in Chinese: the hint,
// the hints taken with the reference answer, the checklist's suggestion and its Accept button.
func TestHintChecklistInChinese(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	startLearn(t, e)
	ask := e.fake.Slash(guildA, channelA, bob, "interview", opt("topic", "dns"), opt("private", true))
	r := e.wait(ask)
	msg, _ := ask.Original()
	ids := customIDs(t, r.Components)
	if _, ok := ids["提示"]; !ok {
		t.Fatalf("question buttons = %v; want 提示", ids)
	}
	hint := e.final(e.fake.Click(guildA, channelA, bob, msg.ID, ids["hint"]))
	if text := embedText(hint.Embeds); !strings.Contains(text, "提示 1") || !strings.Contains(text, "1. KP1-ZH") || !strings.Contains(hint.Content, "还可以再提示 3 次") {
		t.Fatalf("提示 = %q %s", hint.Content, text)
	}
	modal := e.wait(e.fake.Click(guildA, channelA, bob, msg.ID, ids["answer"]))
	submit := e.fake.SubmitModalOnMessage(guildA, channelA, bob, msg.ID, modal.ModalCustomID, map[string]string{"answer": "递归和迭代"})
	answered := e.final(submit)
	if !strings.Contains(answered.Content, "你用了 1 次提示：要点 1。") || labelOf(t, answered.Components, customIDs(t, answered.Components)["grade:good"]) == "" {
		t.Fatalf("answer reply = %q; want the hint taken and grade intervals", answered.Content)
	}
	reply, _ := submit.Original()
	checked := e.final(e.fake.Select(guildA, channelA, bob, reply.ID, customIDs(t, answered.Components)["check"], []string{"0", "1", "2", "3", "4"}))
	// 5 of 5 less one hint: 85%, Good.
	if !strings.Contains(checked.Content, "建议评分：良好。") || !strings.Contains(checked.Content, "你答到了 5/5 个要点") {
		t.Fatalf("checklist = %q", checked.Content)
	}
	found := false
	for label := range customIDs(t, checked.Components) {
		found = found || strings.HasPrefix(label, "✓ 采纳：良好 · ")
	}
	if !found {
		t.Errorf("buttons = %v; want ✓ 采纳：良好 · …", customIDs(t, checked.Components))
	}
}

// slowProgress blocks Progress until release is closed, to force the bot to defer.
type slowProgress struct {
	discord.Members
	entered chan struct{}
	release chan struct{}
}

func (s slowProgress) Progress(ctx context.Context, a quiz.Actor) (quiz.Progress, error) {
	close(s.entered)
	<-s.release
	return s.Members.Progress(ctx, a)
}

// TestSlowProgressDefers: a slow /progress defers privately, and the edit that completes it
// carries the picture (a multipart PATCH of @original), shown in the embed.
func TestSlowProgressDefers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sp := slowProgress{entered: make(chan struct{}), release: make(chan struct{})}
	e.start(withDeferAfter(200*time.Millisecond), withUseCases(func(uc discord.UseCases) discord.UseCases {
		sp.Members = uc.Members
		uc.Members = sp
		return uc
	}))
	ix := e.fake.Slash(guildA, channelA, ada, "progress")
	<-sp.entered
	if r := e.wait(ix); r.Type != 5 || r.Flags&64 == 0 {
		t.Fatalf("slow /progress first response = type %d flags %d; want a private deferral", r.Type, r.Flags)
	}
	close(sp.release)
	m := e.final(ix)
	if len(m.Attachments) != 1 || m.Flags&64 == 0 || len(m.Embeds) != 1 || m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != m.Attachments[0].URL {
		t.Fatalf("deferred /progress ended as %+v; want the picture in the embed, privately", m)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(m.Attachments[0].Data)); err != nil {
		t.Fatalf("the picture does not decode: %v", err)
	}
}

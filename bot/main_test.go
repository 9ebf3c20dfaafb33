package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestInterviewFlow runs the whole /interview flow through the fake Discord: a public question,
// a member's answer in a modal (with @everyone in it), the private reference answer, grading,
// the public answered count, the streak, and the streak surviving a restart.
func TestInterviewFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()

	if n := e.fake.CommandOverwrites(); n != 1 {
		t.Fatalf("command overwrites = %d; want 1 bulk overwrite", n)
	}

	question, ids := askPublicTCP(t, e)
	submit, grades := bobAnswers(t, e, question, ids)
	bobGradesAndCloses(t, e, b, question, ids, submit, grades)
	// Restart: a new process on the same database keeps the streak, and old buttons still work.
	if code, took := b.stop(); code != 0 || took > 10*time.Second {
		t.Fatalf("shutdown: exit %d after %s; want 0 within 10 s", code, took)
	}
	e.start()
	st := e.final(e.fake.Slash(guildA, channelA, bob, "streak"))
	if !strings.Contains(embedText(st.Embeds), "连续 **1** 天") {
		t.Fatalf("after restart /streak = %s", embedText(st.Embeds))
	}
	reveal := e.wait(e.fake.Click(guildA, channelA, ada, question.ID, ids["reveal"]))
	if reveal.Flags&64 == 0 || !strings.Contains(embedText(reveal.Embeds), "Reference answer") {
		t.Fatalf("Reveal after restart = %+v", reveal)
	}
}

// askPublicTCP: ada asks for a tcp question, posted publicly with all its buttons.
func askPublicTCP(t *testing.T, e *env) (question discordtest.Message, ids map[string]string) {
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"))
	r := e.wait(ask)
	if r.Type != 4 || r.Flags&64 != 0 || len(r.Embeds) != 1 || !strings.HasPrefix(r.Embeds[0].Title, "tcp") {
		t.Fatalf("/interview tcp = type %d flags %d embeds %+v; want a public tcp question", r.Type, r.Flags, r.Embeds)
	}
	question, ok := ask.Original()
	if !ok {
		t.Fatal("no @original for the question")
	}
	ids = customIDs(t, r.Components)
	for _, want := range []string{"answer", "reveal", "next", "close", "report"} {
		if ids[want] == "" {
			t.Fatalf("question buttons %v lack %s", ids, want)
		}
	}
	return question, ids
}

// bobAnswers: bob (zh-CN) answers in the modal, with mentions that must not ping, and gets the
// private reference answer in Chinese; the public question counts it.
func bobAnswers(t *testing.T, e *env, question discordtest.Message, ids map[string]string) (submit *discordtest.Interaction, grades map[string]string) {
	// Bob (zh-CN) answers: the button opens a modal at once.
	click := e.fake.Click(guildA, channelA, bob, question.ID, ids["answer"])
	m := e.wait(click)
	if m.Type != 9 || m.ModalCustomID == "" {
		t.Fatalf("Answer button = type %d; want a modal (9)", m.Type)
	}
	submit = e.fake.SubmitModalOnMessage(guildA, channelA, bob, question.ID, m.ModalCustomID,
		map[string]string{"answer": "@everyone @here <@&1> SYN, SYN-ACK, ACK; 挥手四次"})
	ref := e.wait(submit)
	if ref.Type != 4 || ref.Flags&64 == 0 {
		t.Fatalf("modal submit = type %d flags %d; want a private reply", ref.Type, ref.Flags)
	}
	text := embedText(ref.Embeds)
	if !strings.Contains(text, "参考答案") || !strings.Contains(text, "要点") {
		t.Fatalf("zh-CN member got:\n%s\nwant the Chinese reference answer and key points", text)
	}
	if strings.Contains(ref.Content+text, "@everyone") {
		t.Fatalf("the member's answer was echoed: %q", ref.Content)
	}
	var data struct {
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(ref.Data, &data); err != nil || data.AllowedMentions.Parse == nil || len(data.AllowedMentions.Parse) != 0 {
		t.Fatalf("reply allowed_mentions = %s; want parse: []", ref.Data)
	}
	grades = customIDs(t, ref.Components)
	if grades["grade:good"] == "" {
		t.Fatalf("no grade buttons in %v", grades)
	}

	// The public question shows one answer.
	err := e.fake.Await(e.ctx, func() bool {
		q, _ := e.fake.Message(question.ID)
		return q.Edits > 0 && strings.Contains(embedText(q.Embeds), "1 answered")
	})
	if err != nil {
		q, _ := e.fake.Message(question.ID)
		t.Fatalf("question message not updated with the count: %+v", q)
	}
	return submit, grades
}

// bobGradesAndCloses: grading once, not twice; the streak; only the asker closes, once.
func bobGradesAndCloses(t *testing.T, e *env, b *bot, question discordtest.Message, ids map[string]string, submit *discordtest.Interaction, grades map[string]string) {
	// Grading updates the private message.
	answerMsg, _ := submit.Original()
	g := e.wait(e.fake.Click(guildA, channelA, bob, answerMsg.ID, grades["grade:good"]))
	if g.Type != 7 || !strings.Contains(g.Content, "良好") {
		t.Fatalf("grade = type %d %q; want an update naming the grade", g.Type, g.Content)
	}
	// Grading twice is refused politely.
	again := e.wait(e.fake.Click(guildA, channelA, bob, answerMsg.ID, grades["grade:easy"]))
	if again.Flags&64 == 0 || !strings.Contains(again.Content, "你已经给这道题打过分了") {
		t.Fatalf("second grade = %+v; want a private refusal", again)
	}

	st := e.final(e.fake.Slash(guildA, channelA, bob, "streak"))
	if !strings.Contains(embedText(st.Embeds), "连续 **1** 天") {
		t.Fatalf("/streak = %s", embedText(st.Embeds))
	}

	// Only the asker may close the question; closing posts the reference answer under it.
	deny := e.wait(e.fake.Click(guildA, channelA, bob, question.ID, ids["close"]))
	if deny.Flags&64 == 0 || !strings.Contains(deny.Content, "只有提问的成员") {
		t.Fatalf("Close by another member = %+v", deny)
	}
	closed := e.wait(e.fake.Click(guildA, channelA, ada, question.ID, ids["close"]))
	if closed.Type != 7 || customIDs(t, closed.Components)["close"] != "" {
		t.Fatalf("Close = type %d %v; want the question updated without its Close button", closed.Type, customIDs(t, closed.Components))
	}
	posts := e.fake.Messages(channelA)
	if len(posts) != 1 || !strings.Contains(embedText(posts[0].Embeds), "Reference answer") || !strings.Contains(posts[0].Content, "1 answered") {
		t.Fatalf("channel posts after Close = %d", len(posts))
	}
	// The scheduled reveal later posts nothing more.
	e.clock.Advance(time.Hour)
	b.app.runOnce(e.ctx)
	if n := len(e.fake.Messages(channelA)); n != 1 {
		t.Fatalf("%d reveals; want 1", n)
	}
}

func TestAutocompleteAndUnknownTopic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	r := e.wait(e.fake.Autocomplete(guildA, channelA, ada, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "tc", Focused: true}))
	if r.Type != 8 || len(r.Choices) == 0 || len(r.Choices) > 25 || r.Choices[0].Value != "tcp" {
		t.Fatalf("autocomplete = type %d choices %+v", r.Type, r.Choices)
	}
	all := e.wait(e.fake.Autocomplete(guildA, channelA, ada, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "", Focused: true}))
	// Every topic, after "weak" (the member's weakest topic), within Discord's 25.
	if want := min(25, len(shippedBank(t).Counts())+1); len(all.Choices) != want || all.Choices[0].Value != "weak" {
		t.Fatalf("empty autocomplete gave %d choices (first %+v); want weak and all topics, %d", len(all.Choices), all.Choices[0], want)
	}
	bad := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "kubernetes")))
	if bad.Flags&64 == 0 || !strings.Contains(bad.Content, "no topic") || !strings.Contains(bad.Content, "tcp") {
		t.Fatalf("unknown topic reply = %+v; want a private message listing the topics", bad)
	}
	// One log line per interaction, with its command, outcome and latency (complete once the
	// bot has stopped, since the line is written after the reply).
	b.stop()
	var line map[string]any
	for _, l := range strings.Split(b.logs.String(), "\n") {
		if strings.Contains(l, `"msg":"interaction"`) && strings.Contains(l, `"outcome":"not_found"`) {
			json.Unmarshal([]byte(l), &line)
		}
	}
	if line["command"] != "interview" || line["latency_ms"] == nil || line["interaction_id"] == nil {
		t.Fatalf("no interaction log line for the unknown topic:\n%s", grepLines(b.logs.String(), `"interaction"`))
	}
}

func TestPrivateSessionAndReview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	r := e.wait(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "redis"), opt("private", true)))
	if r.Flags&64 == 0 {
		t.Fatalf("private /interview flags = %d", r.Flags)
	}
	if ids := customIDs(t, r.Components); ids["close"] != "" {
		t.Fatalf("a private question offers Close: %v", ids)
	}
	rv := e.final(e.fake.Slash(guildA, channelA, ada, "review"))
	if rv.Flags&64 == 0 || !strings.Contains(rv.Content, "Nothing is due") {
		t.Fatalf("/review with nothing due = %+v", rv)
	}
}

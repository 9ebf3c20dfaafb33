package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// summaryBank is a one-question bank whose summary, key points and full answer can each be
// recognised in a message.
const summaryBank = `topic: tcp
title: {en: TCP, zh: TCP 协议}
questions:
  - id: tcp-summary-probe
    level: junior
    tags: [protocols]
    question: {en: "Why three segments to open a TCP connection?", zh: "为什么 TCP 建立连接需要三个报文段？"}
    summary: {en: "SUMMARY-EN: both sides must send and acknowledge an ISN.", zh: "SUMMARY-ZH：双方都要发送并确认自己的 ISN。"}
    answer: {en: "FULL-ANSWER-EN: the long explanation.", zh: "FULL-ANSWER-ZH：详细解释。"}
    key_points:
      en: ["KP-ONE-EN", "KP-TWO-EN", "KP-THREE-EN"]
      zh: ["KP-ONE-ZH", "KP-TWO-ZH", "KP-THREE-ZH"]
`

// TestPublicRevealShowsSummary: a daily question's public reveal shows the 30-second answer and
// the key points, not the full answer, which a Full answer button shows privately, in the
// clicker's language. A Full answer button forged for an unrevealed question is refused.
func TestPublicRevealShowsSummary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tcp.yaml"), []byte(summaryBank), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	b := e.startEnv([]string{"QUESTIONS_DIR", dir})
	e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:30"), opt("timezone", "UTC"))))
	e.clock.Set(time.Date(2026, 3, 6, 9, 30, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	posts := e.fake.Messages(channelA)
	if len(posts) != 1 {
		t.Fatalf("%d posts; want the daily question", len(posts))
	}
	question := posts[0]

	// Before the reveal, a forged Full answer button for this session is refused.
	qids := customIDs(t, question.Components)
	forged := strings.Replace(qids["answer"], ":answer:", ":full:", 1)
	if got := e.final(e.fake.Click(guildA, channelA, ada, question.ID, forged)); got.Flags&64 == 0 ||
		!strings.Contains(got.Content, "not been revealed") || strings.Contains(embedText(got.Embeds), "FULL-ANSWER") {
		t.Fatalf("forged Full answer before the reveal = %q %s; want a private refusal", got.Content, embedText(got.Embeds))
	}

	e.clock.Set(time.Date(2026, 3, 6, 21, 30, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	posts = e.fake.Messages(channelA)
	if len(posts) != 2 {
		t.Fatalf("%d messages after the reveal time; want the question and its reveal", len(posts))
	}
	reveal := posts[1]
	text := embedText(reveal.Embeds)
	for _, want := range []string{"SUMMARY-EN", "KP-ONE-EN", "KP-TWO-EN", "KP-THREE-EN"} {
		if !strings.Contains(text, want) {
			t.Errorf("public reveal lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "FULL-ANSWER") {
		t.Errorf("public reveal shows the full answer:\n%s", text)
	}
	ids := customIDs(t, reveal.Components)
	full, ok := ids["Full answer"]
	if !ok {
		t.Fatalf("public reveal has no Full answer button: %v", ids)
	}

	// bob's client is in Chinese: the full answer comes privately, in Chinese, summary first.
	got := e.final(e.fake.Click(guildA, channelA, bob, reveal.ID, full))
	body := embedText(got.Embeds)
	if got.Flags&64 == 0 {
		t.Fatalf("Full answer was not private: flags %d", got.Flags)
	}
	s, a := strings.Index(body, "SUMMARY-ZH"), strings.Index(body, "FULL-ANSWER-ZH")
	if s < 0 || a < 0 || s > a || !strings.Contains(body, "KP-ONE-ZH") {
		t.Fatalf("Full answer for a zh member = %s; want the summary, then the answer, and the key points", body)
	}
	if n := len(e.fake.Messages(channelA)); n != 2 {
		t.Fatalf("the Full answer click posted to the channel: %d messages", n)
	}
}

// TestImportWithoutSummaryWarns: a file in the old format (no summary) still imports, and the
// preview says which questions lack one and what stands in for it.
func TestImportWithoutSummaryWarns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	old := strings.Replace(summaryBank, "topic: tcp", "topic: ourstack", 1)
	old = strings.Replace(old, "id: tcp-summary-probe", "id: ourstack-probe", 1)
	old = strings.Replace(old, "    summary: {en: \"SUMMARY-EN: both sides must send and acknowledge an ISN.\", zh: \"SUMMARY-ZH：双方都要发送并确认自己的 ISN。\"}\n", "", 1)
	if strings.Contains(old, "summary:") {
		t.Fatal("fixture still has a summary")
	}
	ix := e.fake.Slash(guildA, channelA, mod, "bank", sub("import", e.fake.Attach("file", "ourstack.yaml", []byte(old))))
	preview := e.wait(ix)
	if !strings.Contains(preview.Content, "1 question has no summary") || !strings.Contains(preview.Content, "No summary: ourstack-probe") {
		t.Fatalf("preview of an old-format file = %q; want a warning naming the question", preview.Content)
	}
	orig, _ := ix.Original()
	applied := e.wait(e.fake.Click(guildA, channelA, mod, orig.ID, customIDs(t, preview.Components)["confirm"]))
	if !strings.Contains(applied.Content, "Imported") {
		t.Fatalf("apply = %q", applied.Content)
	}
	got := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "ourstack")))
	if !strings.Contains(embedText(got.Embeds), "Why three segments") {
		t.Fatalf("/interview ourstack after the import = %s", embedText(got.Embeds))
	}
}

// TestBankFormsAskForTheSummary: /bank add's form has a summary field (the id is a command
// option, so the form keeps Discord's five fields for the texts), and a submit without a
// summary, which only a forged payload can send, is refused at either step and in /bank edit.
func TestBankFormsAskForTheSummary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	noID := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "tcp"))))
	if noID.Flags&64 == 0 || !strings.Contains(noID.Content, "id option") {
		t.Fatalf("/bank add without an id = %q; want a private reply naming the id option", noID.Content)
	}
	form := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "tcp"), opt("id", "tcp-summary-form"))))
	if form.Type != 9 {
		t.Fatalf("/bank add = type %d; want a form", form.Type)
	}
	var d struct {
		Components []struct {
			Components []component `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(form.Data, &d); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, row := range d.Components {
		for _, c := range row.Components {
			fields = append(fields, c.CustomID)
		}
	}
	if strings.Join(fields, ",") != "question,summary,answer,key_points,follow_ups" {
		t.Fatalf("the add form's fields = %v", fields)
	}
	vals := map[string]string{"question": "Why?", "summary": "", "answer": "Because.", "key_points": "one\ntwo\nthree"}
	got := e.final(e.fake.SubmitModal(guildA, channelA, mod, form.ModalCustomID, vals))
	if !strings.Contains(got.Content, "summary.en") {
		t.Fatalf("step 1 without a summary = %q; want a refusal naming summary.en", got.Content)
	}
	edit := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("edit", opt("id", "tcp-handshake"), opt("language", "zh"))))
	got = e.final(e.fake.SubmitModal(guildA, channelA, mod, edit.ModalCustomID, vals))
	if !strings.Contains(got.Content, "summary.zh") {
		t.Fatalf("an edit without a summary = %q; want a refusal naming summary.zh", got.Content)
	}
	if show := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("show", opt("id", "tcp-handshake")))); !strings.Contains(show.Content, "Source: shipped") {
		t.Fatalf("after the refused edit, tcp-handshake = %q; want it unchanged", show.Content)
	}
}

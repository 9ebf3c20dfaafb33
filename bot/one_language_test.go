package main

import (
	"strings"
	"testing"
)

// TestOneLanguageQuestionEndToEnd: a moderator of an English-speaking server adds a question in
// English only (/bank add, step 1, then "Save in English only"). A member whose Discord is in
// Chinese gets it in English, marked as such, on the question and on its reference answer;
// nothing asks the server to write Chinese.
func TestOneLanguageQuestionEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	add := e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "ourstack"), opt("level", "junior"), opt("id", "ourstack-deploy")))
	m := e.wait(add)
	if m.Type != 9 {
		t.Fatalf("/bank add = type %d; want a modal", m.Type)
	}
	step1 := e.fake.SubmitModal(guildA, channelA, mod, m.ModalCustomID, map[string]string{
		"question": "How do we deploy the API?", "summary": "Tag a release; CI rolls it out.",
		"answer": "Tag a release; CI builds the image and rolls it out.", "key_points": "tag\nCI builds\nrolling update"})
	r1 := e.wait(step1)
	save := customIDs(t, r1.Components)["add1s"]
	if save == "" || !strings.Contains(r1.Content, "optional") {
		t.Fatalf("step 1 reply = %q %v; want the second language offered as optional, with a button to save", r1.Content, r1.Components)
	}
	msg1, _ := step1.Original()
	done := e.final(e.fake.Click(guildA, channelA, mod, msg1.ID, save))
	if !strings.Contains(done.Content, "Added ourstack-deploy to ourstack, in English only") {
		t.Fatalf("save in English only = %q", done.Content)
	}

	ask := e.fake.Slash(guildA, channelA, bob, "interview", opt("topic", "ourstack"), opt("private", true))
	q := e.wait(ask)
	if len(q.Embeds) == 0 || q.Embeds[0].Description != "How do we deploy the API?" || q.Embeds[0].Footer == nil ||
		!strings.Contains(q.Embeds[0].Footer.Text, "以英文显示：本服务器的这道题没有中文版本。") {
		t.Fatalf("the question for a Chinese reader = %s; want the English text, marked in Chinese", embedText(q.Embeds))
	}
	qm, _ := ask.Original()
	form := e.wait(e.fake.Click(guildA, channelA, bob, qm.ID, customIDs(t, q.Components)["answer"]))
	ref := e.final(e.fake.SubmitModalOnMessage(guildA, channelA, bob, qm.ID, form.ModalCustomID, map[string]string{"answer": "打 tag"}))
	if text := embedText(ref.Embeds); !strings.Contains(text, "以英文显示") || !strings.Contains(text, "CI builds the image") {
		t.Fatalf("the reference answer for a Chinese reader = %s; want the English answer, marked", text)
	}
	// An English reader sees no mark.
	en := e.wait(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "ourstack"), opt("private", true)))
	if len(en.Embeds) == 0 || en.Embeds[0].Footer == nil || strings.Contains(en.Embeds[0].Footer.Text, "Shown in") {
		t.Fatalf("the question for an English reader = %s; want no mark", embedText(en.Embeds))
	}
}

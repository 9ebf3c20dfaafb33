package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/questions"
)

// renamedTopicFile is the shipped tcp.yaml turned into a new topic (slug and ids renamed), and the
// number of questions in it.
func renamedTopicFile(t *testing.T, slug string) ([]byte, int) {
	t.Helper()
	data, err := questions.FS.ReadFile("tcp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "topic: tcp\n", "topic: "+slug+"\n", 1)
	s = strings.ReplaceAll(s, "- id: tcp-", "- id: "+slug+"-")
	return []byte(s), strings.Count(s, "\n  - id: ")
}

// TestQuotaRefusalsEndToEnd: with a question quota of exactly one topic file, importing it
// works; then /bank add and a second import are refused privately, naming the limit, and
// change nothing.
func TestQuotaRefusalsEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first, n := renamedTopicFile(t, "quota")
	e.startEnv([]string{"QUOTA_QUESTIONS", strconv.Itoa(n)})
	slash := func(opts ...discordtest.Opt) discordtest.Message {
		t.Helper()
		return e.final(e.fake.Slash(guildA, channelA, mod, "bank", opts...))
	}

	ix := e.fake.Slash(guildA, channelA, mod, "bank", sub("import", e.fake.Attach("file", "quota.yaml", first)))
	preview := e.wait(ix)
	if !strings.Contains(preview.Content, fmt.Sprintf("%d to add", n)) {
		t.Fatalf("preview = %q", preview.Content)
	}
	orig, _ := ix.Original()
	if applied := e.wait(e.fake.Click(guildA, channelA, mod, orig.ID, customIDs(t, preview.Components)["confirm"])); !strings.Contains(applied.Content, "Imported") {
		t.Fatalf("apply = %q", applied.Content)
	}

	second, _ := renamedTopicFile(t, "more")
	refused := slash(sub("import", e.fake.Attach("file", "more.yaml", second)))
	want := fmt.Sprintf("Importing more.yaml would add %d questions, but this server's bank holds %d of its own and its limit is %d.", n, n, n)
	if refused.Flags&64 == 0 || !strings.Contains(refused.Content, want) {
		t.Fatalf("import past the quota = %q; want a private %q", refused.Content, want)
	}

	add := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "tcp"), opt("id", "tcp-one-too-many"))))
	step1 := e.fake.SubmitModal(guildA, channelA, mod, add.ModalCustomID, map[string]string{
		"question": "One more?", "summary": "No.", "answer": "The quota is full.", "key_points": "a\nb\nc"})
	r1 := e.wait(step1)
	msg1, _ := step1.Original()
	step2 := e.wait(e.fake.Click(guildA, channelA, mod, msg1.ID, customIDs(t, r1.Components)["add2"]))
	done := e.final(e.fake.SubmitModal(guildA, channelA, mod, step2.ModalCustomID, map[string]string{
		"question": "再来一道？", "summary": "不。", "answer": "配额已满。", "key_points": "一\n二\n三"}))
	want = fmt.Sprintf("This server's bank already holds %d questions of its own, its limit of %d. Remove some with /bank remove first.", n, n)
	if done.Flags&64 == 0 || !strings.Contains(done.Content, want) {
		t.Fatalf("/bank add past the quota = %q; want a private %q", done.Content, want)
	}
	if got := slash(sub("show", opt("id", "tcp-one-too-many"))); !strings.Contains(got.Content, "No question with id") {
		t.Fatalf("the refused question was stored: %q", got.Content)
	}
}

// TestRateLimitedInterviewEndToEnd: a member's eleventh /interview in a burst is refused
// privately with the time to wait (English and Chinese), other members are not affected, and
// after that wait on the bot's clock the member may ask again.
func TestRateLimitedInterviewEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	ask := func(u discordtest.User) discordtest.Message {
		t.Helper()
		return e.final(e.fake.Slash(guildA, channelA, u, "interview", opt("topic", "tcp"), opt("private", true)))
	}
	for i := range 10 {
		if r := ask(ada); len(r.Embeds) == 0 {
			t.Fatalf("/interview %d = %q; want a question", i+1, r.Content)
		}
	}
	r := ask(ada)
	if r.Flags&64 == 0 || r.Content != "⚠️ You're doing that too often. Try again in 6 s." {
		t.Fatalf("11th /interview = %q (flags %d); want a private try-again-in-6-s", r.Content, r.Flags)
	}
	for range 10 {
		ask(bob)
	}
	if r := ask(bob); r.Content != "⚠️ 操作太频繁了，请 6 秒后再试。" {
		t.Fatalf("bob's 11th /interview = %q; want the Chinese refusal", r.Content)
	}
	if r := ask(mod); len(r.Embeds) == 0 {
		t.Fatalf("another member's /interview = %q; want a question", r.Content)
	}
	e.clock.Advance(6 * time.Second)
	if r := ask(ada); len(r.Embeds) == 0 {
		t.Fatalf("/interview after the wait = %q; want a question", r.Content)
	}
}

// TestExportInPartsEndToEnd: with a 4 KiB upload limit (the fake's attachment_size_limit too,
// which refuses anything larger), a member's export that is larger even compressed arrives in
// numbered parts that join (cat | gunzip) into the whole export.
func TestExportInPartsEndToEnd(t *testing.T) {
	t.Parallel()
	const limit = 4096
	e := newEnv(t, discordtest.WithAttachmentSizeLimit(limit))
	b := e.startEnv([]string{"DISCORD_UPLOAD_LIMIT", strconv.Itoa(limit)})
	r := rand.New(rand.NewPCG(3, 4))
	var answers []string
	for range 3 {
		var b strings.Builder
		for b.Len() < 3500 {
			b.WriteString(strconv.FormatUint(r.Uint64(), 36) + " ")
		}
		answers = append(answers, b.String())
		e.answerPrivately(ada, b.String())
	}
	before := len(e.fake.Uploads())
	ix := e.fake.Slash(guildA, channelA, ada, "privacy", sub("export"))
	first := e.final(ix)
	e.settle(b) // the parts after the first come as follow-ups
	ups := e.fake.Uploads()[before:]
	if len(ups) < 2 {
		t.Fatalf("export = %d file(s) %v; want parts", len(ups), func() (s []string) {
			for _, u := range ups {
				s = append(s, fmt.Sprint(u.Name, len(u.Data)))
			}
			return
		}())
	}
	if !strings.Contains(first.Content, "cat NAME.gz.* | gunzip > NAME") {
		t.Errorf("export message = %q; want how to join the parts", first.Content)
	}
	var joined []byte
	name := fmt.Sprintf("interviewbot-%s-%s.json.gz.", guildA, ada.ID)
	for i, u := range ups {
		if want := fmt.Sprintf("%s%03d", name, i+1); u.Name != want || len(u.Data) > limit {
			t.Errorf("part %d = %s, %d bytes; want %s within %d", i, u.Name, len(u.Data), want, limit)
		}
		joined = append(joined, u.Data...)
	}
	zr, err := gzip.NewReader(bytes.NewReader(joined))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil || !json.Valid(data) {
		t.Fatalf("joined parts: %v, valid JSON %v", err, json.Valid(data))
	}
	for _, a := range answers {
		if !strings.Contains(string(data), strings.TrimSpace(a)) {
			t.Error("the joined export lacks an answer")
		}
	}
}

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestModerationEndToEnd manages a server's bank from Discord: permission refusals, add in two
// steps, edit with a concurrent edit refused, list, export and re-import (no changes), a bad
// import that changes nothing, a real import, history, a report filed and resolved, a
// moderator role, and server B's bank untouched throughout.
func TestModerationEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	slash := func(g string, u discordtest.User, opts ...discordtest.Opt) discordtest.Message {
		t.Helper()
		return e.final(e.fake.Slash(g, channelA, u, "bank", opts...))
	}
	moderationAdd(t, e, slash)
	moderationEdit(t, e, slash)
	exported, tcpCount := moderationListExport(t, e, slash)
	moderationImport(t, e, slash, exported, tcpCount)
	moderationReportsAndRole(t, e, slash)
}

// bankSlash runs /bank in a server as a member and returns what they finally see.
type bankSlash func(g string, u discordtest.User, opts ...discordtest.Opt) discordtest.Message

// moderationAdd: refusals, /bank add in two steps, a duplicate id refused, server B untouched.
func moderationAdd(t *testing.T, e *env, slash bankSlash) {
	// A member without rights, even if their client shows the command.
	for _, o := range []discordtest.Opt{sub("list"), sub("add", opt("topic", "tcp")), sub("disable", opt("id", "tcp-handshake"))} {
		r := slash(guildA, ada, o)
		if r.Flags&64 == 0 || !strings.Contains(r.Content, "Only moderators") {
			t.Fatalf("member /bank %s = %q; want a private refusal", o.Name, r.Content)
		}
	}

	// Add, step 1 (English) and step 2 (Chinese).
	add := e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "tcp"), opt("level", "senior"), opt("id", "tcp-our-proxy")))
	m := e.wait(add)
	if m.Type != 9 {
		t.Fatalf("/bank add = type %d; want a modal", m.Type)
	}
	step1 := e.fake.SubmitModal(guildA, channelA, mod, m.ModalCustomID, map[string]string{
		"question": "Why does our proxy keep 10k connections in TIME_WAIT?", "summary": "It closes first; pool connections.",
		"answer": "Because it closes first. Use keep-alive pools.", "key_points": "who closes first\nkeep-alive pools\n2MSL", "follow_ups": "What is tcp_tw_reuse?"})
	r1 := e.wait(step1)
	next := customIDs(t, r1.Components)["add2"]
	if next == "" {
		t.Fatalf("step 1 reply = %q %v; want a button for step 2", r1.Content, r1.Components)
	}
	msg1, _ := step1.Original()
	m2 := e.wait(e.fake.Click(guildA, channelA, mod, msg1.ID, next))
	if m2.Type != 9 {
		t.Fatalf("step 2 button = type %d", m2.Type)
	}
	done := e.final(e.fake.SubmitModal(guildA, channelA, mod, m2.ModalCustomID, map[string]string{
		"question": "为什么我们的代理有一万个 TIME_WAIT 连接？", "summary": "它先关闭连接；应使用连接池。", "answer": "因为它先关闭。使用长连接池。",
		"key_points": "谁先关闭\n长连接池\n2MSL", "follow_ups": "tcp_tw_reuse 是什么？"}))
	if !strings.Contains(done.Content, "Added tcp-our-proxy") {
		t.Fatalf("add = %q", done.Content)
	}
	// Adding an existing id is refused when the question is complete, and changes nothing.
	dup := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "tcp"), opt("id", "tcp-handshake"))))
	dupStep1 := e.fake.SubmitModal(guildA, channelA, mod, dup.ModalCustomID, map[string]string{
		"question": "q", "summary": "s", "answer": "a", "key_points": "a\nb\nc"})
	dupR1 := e.wait(dupStep1)
	dupMsg, _ := dupStep1.Original()
	dup2 := e.wait(e.fake.Click(guildA, channelA, mod, dupMsg.ID, customIDs(t, dupR1.Components)["add2"]))
	dupDone := e.final(e.fake.SubmitModal(guildA, channelA, mod, dup2.ModalCustomID, map[string]string{
		"question": "问", "summary": "简", "answer": "答", "key_points": "一\n二\n三"}))
	if dupDone.Flags&64 == 0 || !strings.Contains(dupDone.Content, `A question with id "tcp-handshake" already exists`) {
		t.Fatalf("duplicate id = %q; want a private refusal", dupDone.Content)
	}
	if got := slash(guildA, mod, sub("show", opt("id", "tcp-handshake"))); !strings.Contains(got.Content, "Source: shipped") {
		t.Fatalf("after the refused duplicate, tcp-handshake = %q; want the shipped question", got.Content)
	}

	// Server B does not see server A's question.
	if r := slash(guildB, mod, sub("show", opt("id", "tcp-our-proxy"))); !strings.Contains(r.Content, "No question with id") {
		t.Fatalf("server B sees server A's question: %q", r.Content)
	}

}

// moderationEdit: two moderators edit at once and the second is refused; history records it.
func moderationEdit(t *testing.T, e *env, slash bankSlash) {
	// Edit: two moderators open the form at once; the second save is refused.
	open1 := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("edit", opt("id", "tcp-handshake"))))
	open2 := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("edit", opt("id", "tcp-handshake"))))
	if open1.Type != 9 || !strings.Contains(string(open1.Data), "three-way") {
		t.Fatalf("edit modal = type %d, not prefilled: %.200s", open1.Type, open1.Data)
	}
	// The member changes only the answer; the other fields keep their prefilled values.
	prefilled := modalValues(t, open1.Data)
	edit := func(id string, answer string) string {
		v := map[string]string{}
		for k, val := range prefilled {
			v[k] = val
		}
		v["answer"] = answer
		return e.final(e.fake.SubmitModal(guildA, channelA, mod, id, v)).Content
	}
	if got := edit(open1.ModalCustomID, "Our edited answer."); !strings.Contains(got, "Saved tcp-handshake") {
		t.Fatalf("first edit = %q", got)
	}
	if got := edit(open2.ModalCustomID, "A conflicting answer."); !strings.Contains(got, "Someone else changed") {
		t.Fatalf("concurrent edit = %q; want a conflict", got)
	}
	if got := slash(guildA, mod, sub("show", opt("id", "tcp-handshake"))); !strings.Contains(embedText(got.Embeds), "Our edited answer.") {
		t.Fatalf("show after edit = %s", embedText(got.Embeds))
	}
	if got := slash(guildB, mod, sub("show", opt("id", "tcp-handshake"))); strings.Contains(embedText(got.Embeds), "Our edited answer.") {
		t.Fatal("server A's edit changed server B's bank")
	}
	hist := slash(guildA, mod, sub("history", opt("id", "tcp-handshake")))
	if !strings.Contains(embedText(hist.Embeds), "v1 · edit") {
		t.Fatalf("history = %s", embedText(hist.Embeds))
	}

}

// moderationListExport: the list and its pages, the export re-imported with no changes, and
// bad imports that change nothing. It returns the exported tcp file and the tcp count text.
func moderationListExport(t *testing.T, e *env, slash bankSlash) (exported []byte, tcpCount string) {
	// List, with paging.
	list := slash(guildA, mod, sub("list", opt("topic", "tcp")))
	tcpCount = fmt.Sprintf("%d questions", shippedBank(t).Counts()["tcp"]+1)
	if !strings.Contains(embedText(list.Embeds), tcpCount) || !strings.Contains(embedText(list.Embeds), "tcp-our-proxy") {
		t.Fatalf("list = %s", embedText(list.Embeds))
	}

	// The whole bank pages with buttons.
	allIx := e.fake.Slash(guildA, channelA, mod, "bank", sub("list"))
	all := e.wait(allIx)
	pages := (shippedBank(t).Len() + 1 + 14) / 15 // 15 a page, our question included
	if !strings.Contains(embedText(all.Embeds), fmt.Sprintf("page 1/%d", pages)) {
		t.Fatalf("list of all = %s", all.Embeds[0].Title)
	}
	allMsg, _ := allIx.Original()
	page2 := e.wait(e.fake.Click(guildA, channelA, mod, allMsg.ID, customIDs(t, all.Components)["▶"]))
	if page2.Type != 7 || !strings.Contains(embedText(page2.Embeds), fmt.Sprintf("page 2/%d", pages)) {
		t.Fatalf("next page = type %d %s", page2.Type, embedText(page2.Embeds))
	}

	// Export, then re-import the export: no changes.
	before := len(e.fake.Uploads())
	slash(guildA, mod, sub("export", opt("topic", "tcp")))
	ups := e.fake.Uploads()[before:]
	if len(ups) != 1 || ups[0].Name != "tcp.yaml" || !strings.Contains(string(ups[0].Data), "tcp-our-proxy") {
		t.Fatalf("export uploads = %d files", len(ups))
	}
	exported = ups[0].Data
	same := slash(guildA, mod, sub("import", e.fake.Attach("file", "tcp.yaml", exported)))
	if !strings.Contains(same.Content, "No changes") {
		t.Fatalf("re-import of the export = %q", same.Content)
	}

	// Bad imports change nothing and say where the problem is.
	bad := slash(guildA, mod, sub("import", e.fake.Attach("file", "tcp.yaml", []byte("topic: tcp\ntitle: {en: TCP, zh: TCP}\nquestions:\n  - id: x\n    levle: mid\n"))))
	if !strings.Contains(bad.Content, "tcp.yaml:5:") || !strings.Contains(bad.Content, "unknown field") {
		t.Fatalf("bad import = %q; want file:line problems", bad.Content)
	}
	notUTF8 := slash(guildA, mod, sub("import", e.fake.Attach("file", "tcp.yaml", []byte{0xff, 0xfe, 0x00})))
	if !strings.Contains(notUTF8.Content, "not UTF-8") {
		t.Fatalf("binary import = %q", notUTF8.Content)
	}
	huge := slash(guildA, mod, sub("import", e.fake.Attach("file", "tcp.yaml", make([]byte, 1<<20+1))))
	if !strings.Contains(huge.Content, "1 MiB") {
		t.Fatalf("huge import = %q", huge.Content)
	}
	return exported, tcpCount
}

// moderationImport: a real import, previewed then applied; a member may not preview one.
func moderationImport(t *testing.T, e *env, slash bankSlash, exported []byte, tcpCount string) {
	// A real import: drop our question from the file (it gets disabled), preview, apply.
	cut := strings.Index(string(exported), "  - id: tcp-our-proxy")
	end := strings.Index(string(exported)[cut+1:], "\n  - id:")
	var changed []byte
	if end < 0 {
		changed = exported[:cut]
	} else {
		changed = append(append([]byte{}, exported[:cut]...), exported[cut+1+end+1:]...)
	}
	importIx := e.fake.Slash(guildA, channelA, mod, "bank", sub("import", e.fake.Attach("file", "tcp.yaml", changed)))
	preview := e.wait(importIx)
	previewMsg := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("list", opt("topic", "tcp")))) // nothing applied yet
	if !strings.Contains(embedText(previewMsg.Embeds), tcpCount) || strings.Contains(embedText(previewMsg.Embeds), "tcp-our-proxy · disabled") {
		t.Fatal("the preview changed the bank")
	}
	if !strings.Contains(preview.Content, "1 to disable") {
		t.Fatalf("preview = %q", preview.Content)
	}
	previewOrig, _ := importIx.Original()
	applied := e.wait(e.fake.Click(guildA, channelA, mod, previewOrig.ID, customIDs(t, preview.Components)["confirm"]))
	if !strings.Contains(applied.Content, "Imported") {
		t.Fatalf("apply = %q", applied.Content)
	}
	if l := slash(guildA, mod, sub("list", opt("topic", "tcp"))); !strings.Contains(embedText(l.Embeds), "tcp-our-proxy") || !strings.Contains(embedText(l.Embeds), "disabled") {
		t.Fatalf("after import: %s", embedText(l.Embeds))
	}
	if got := e.final(e.fake.Slash(guildA, channelA, ada, "bank", sub("import", e.fake.Attach("file", "tcp.yaml", changed)))); !strings.Contains(got.Content, "Only moderators") {
		t.Fatal("a member could preview an import")
	}
}

// moderationReportsAndRole: a report filed and resolved, and a moderator role.
func moderationReportsAndRole(t *testing.T, e *env, slash bankSlash) {
	// Reports: a member reports a question; a moderator resolves it.
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "redis"))
	ar := e.wait(ask)
	q, _ := ask.Original()
	rm := e.wait(e.fake.Click(guildA, channelA, ada, q.ID, customIDs(t, ar.Components)["report"]))
	if rm.Type != 9 {
		t.Fatalf("Report = type %d", rm.Type)
	}
	thanks := e.final(e.fake.SubmitModalOnMessage(guildA, channelA, ada, q.ID, rm.ModalCustomID, map[string]string{"reason": "The answer says appendfsync always is the default."}))
	if !strings.Contains(thanks.Content, "Thanks") {
		t.Fatalf("report = %q", thanks.Content)
	}
	reports := e.fake.Slash(guildA, channelA, mod, "bank", sub("reports"))
	rr := e.wait(reports)
	if !strings.Contains(embedText(rr.Embeds), "1 open") || !strings.Contains(embedText(rr.Embeds), "appendfsync") {
		t.Fatalf("reports = %s", embedText(rr.Embeds))
	}
	rmsg, _ := reports.Original()
	resolved := e.wait(e.fake.Click(guildA, channelA, mod, rmsg.ID, customIDs(t, rr.Components)["resolve"]))
	if !strings.Contains(embedText(resolved.Embeds), "No open reports") {
		t.Fatalf("after resolving = %s", embedText(resolved.Embeds))
	}
	if r := slash(guildB, mod, sub("reports")); !strings.Contains(embedText(r.Embeds), "No open reports") {
		t.Fatal("server B sees server A's reports")
	}

	// A moderator role lets a member without Manage Server moderate.
	role := "400000000000000009"
	e.fake.SetRole(guildA, discordtest.Role{ID: role, Name: "quiz-mods"})
	setRole := e.final(e.fake.Slash(guildA, channelA, mod, "settings", sub("moderator-role", discordtestRole("role", role))))
	if !strings.Contains(setRole.Content, "can now moderate") {
		t.Fatalf("moderator-role = %q", setRole.Content)
	}
	helper := discordtest.User{ID: "300000000000000009", Username: "helper", Permissions: "0", Roles: []string{role}}
	if r := slash(guildA, helper, sub("list")); strings.Contains(r.Content, "Only moderators") {
		t.Fatal("a member with the moderator role was refused")
	}
	if r := slash(guildB, helper, sub("list")); !strings.Contains(r.Content, "Only moderators") {
		t.Fatal("server A's moderator role works in server B")
	}
}

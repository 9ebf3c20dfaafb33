package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestForgedCustomIDsOnPrivateSessions: custom ids carry only ids, so a modified client can
// send any. Another member's private session, forged into Reveal, Answer, Report and their
// forms, is refused and nothing is recorded for the forger; the owner's own clicks still work.
func TestForgedCustomIDsOnPrivateSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	private := e.final(e.fake.Slash(guildA, channelA, bob, "interview", opt("topic", "tcp"), opt("private", true)))
	ids := customIDs(t, private.Components)
	if private.Flags&64 == 0 || ids["answer"] == "" || ids["reveal"] == "" || ids["report"] == "" {
		t.Fatalf("bob's private question = flags %d, buttons %v", private.Flags, ids)
	}
	// ada forges bob's buttons onto her own public question, the one message she can click.
	pub := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	sid := strings.Split(ids["answer"], ":")[2]
	forged := map[string]*discordtest.Interaction{
		"Reveal":        e.fake.Click(guildA, channelA, ada, pub.ID, ids["reveal"]),
		"Answer button": e.fake.Click(guildA, channelA, ada, pub.ID, ids["answer"]),
		"Report button": e.fake.Click(guildA, channelA, ada, pub.ID, ids["report"]),
		"Answer form":   e.fake.SubmitModalOnMessage(guildA, channelA, ada, pub.ID, "v1:submit:"+sid, map[string]string{"answer": "forged answer"}),
		"Report form":   e.fake.SubmitModalOnMessage(guildA, channelA, ada, pub.ID, "v1:rsubmit:"+sid, map[string]string{"reason": "a forged report of bob's question"}),
	}
	for name, ix := range forged {
		got := e.final(ix)
		if r := e.wait(ix); r.Type == 9 || got.Flags&64 == 0 || !strings.Contains(got.Content, "private to the member who asked it") {
			t.Errorf("forged %s on bob's private session = type %d %q; want a private refusal", name, r.Type, got.Content)
		}
		if strings.Contains(embedText(got.Embeds), "Reference answer") {
			t.Errorf("forged %s showed bob's reference answer", name)
		}
	}
	before := len(e.fake.Uploads())
	e.final(e.fake.Slash(guildA, channelA, ada, "privacy", sub("export")))
	ups := e.fake.Uploads()[before:]
	if len(ups) != 1 {
		t.Fatalf("ada's export = %d files; want one", len(ups))
	}
	data := string(ups[0].Data)
	if strings.Contains(data, "forged") || strings.Contains(data, `"reports": [
    {`) {
		t.Errorf("ada's forged clicks left records:\n%s", data)
	}
	// bob's own Reveal works.
	if got := e.final(e.fake.Click(guildA, channelA, bob, private.ID, ids["reveal"])); !strings.Contains(embedText(got.Embeds), "参考答案") {
		t.Errorf("bob's own Reveal = %q %s", got.Content, embedText(got.Embeds))
	}
}

// TestForgedClicksCannotRewriteOthersMessages: Grade, the checklist, Forget, Cancel and the other buttons that
// update the message they are on act only on the clicker's own private reply. Forged onto a
// public question (or anyone else's message) they are refused and the message stays as it was.
func TestForgedClicksCannotRewriteOthersMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	pub := e.final(e.fake.Slash(guildA, channelA, bob, "interview", opt("topic", "tcp")))
	before, _ := e.fake.Message(pub.ID)
	if before.ID == "" || before.Flags&64 != 0 {
		t.Fatalf("bob's public question = %+v", before)
	}
	// ada answers and has a grade button of her own; she needs the session id for the forgery.
	sid := strings.Split(customIDs(t, pub.Components)["answer"], ":")[2]
	answered := e.final(e.fake.SubmitModalOnMessage(guildA, channelA, ada, pub.ID, "v1:submit:"+sid, map[string]string{"answer": "SYN, SYN-ACK, ACK"}))
	grade := customIDs(t, answered.Components)["grade:good"]
	if grade == "" {
		t.Fatalf("ada's answer reply has no Good button: %v", customIDs(t, answered.Components))
	}
	// ada's solo mock interview, whose buttons update the message they are on.
	mock := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", opt("topic", "tcp"), opt("minutes", 10))))
	hint := idWith(t, mock, "v1:mhint:", "")
	mockID := strings.Split(hint, ":")[2]
	for _, c := range []struct {
		who     discordtest.User
		custom  string
		message string
	}{
		{ada, grade, pub.ID},
		{ada, "v1:check:" + sid, pub.ID},
		{ada, hint, pub.ID},
		{ada, "v1:mend:" + mockID, pub.ID},
		{ada, "v1:mnext:" + mockID, pub.ID},
		{ada, "v1:forget:0", pub.ID},
		{mod, "v1:cancel:1", pub.ID},
		{mod, "v1:confirm:1", pub.ID},
		{mod, "v1:page:1:tcp", pub.ID},
		{mod, "v1:resolve:1", pub.ID},
		// ada's own private reply, clicked by someone else (a forged message id).
		{bob, grade, answered.ID},
	} {
		ix := e.fake.Click(guildA, channelA, c.who, c.message, c.custom)
		r := e.wait(ix)
		got := e.final(ix)
		if r.Type == 6 || r.Type == 7 || got.Flags&64 == 0 {
			t.Errorf("%s's forged %s on message %s = callback %d %q; want a private refusal", c.who.Username, c.custom, c.message, r.Type, got.Content)
		}
	}
	after, _ := e.fake.Message(pub.ID)
	// (The answered count in the footer may have been edited meanwhile: that is the bot's own edit.)
	if after.Content != before.Content || len(after.Embeds) != 1 || after.Embeds[0].Description != before.Embeds[0].Description || !slices.EqualFunc(after.Components, before.Components, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
		t.Errorf("bob's public question was rewritten: before %q %s\nafter %q %s", before.Content, embedText(before.Embeds), after.Content, embedText(after.Embeds))
	}
	// ada's data survived the forged Forget, and her own Good button still grades.
	if got := e.final(e.fake.Click(guildA, channelA, ada, answered.ID, grade)); !strings.Contains(got.Content, "Graded") {
		t.Errorf("ada's own Good = %q; want Graded", got.Content)
	}
}

// TestNoServerRefused: every command is registered for servers only, so an interaction without
// a server id (or with "0") is forged; it is refused before any handler runs and stores
// nothing under a server 0 that all such forgeries would share.
func TestNoServerRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	for _, ix := range []*discordtest.Interaction{
		e.fake.Slash("", "", ada, "settings", sub("timezone", opt("zone", "Asia/Tokyo"))),
		e.fake.Slash("0", channelA, ada, "interview", opt("topic", "tcp")),
		e.fake.Click("", "", ada, "", "v1:forget:0"),
	} {
		got := e.final(ix)
		if got.Flags&64 == 0 || !strings.Contains(got.Content, "only in a server") {
			t.Errorf("interaction without a server = %q (flags %d); want a private refusal", got.Content, got.Flags)
		}
	}
	e.settle(b)
	err := b.app.store.View(e.ctx, func(tx quiz.Tx) error {
		if m, ok, err := tx.Member(0, quiz.UserID(mustID(t, ada.ID))); ok || err != nil {
			t.Errorf("member stored under server 0: %+v, %v", m, err)
		}
		gs, err := tx.SessionGuilds()
		if len(gs) != 0 {
			t.Errorf("sessions stored under servers %v", gs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIDsFromAnotherServerRefused: channel and role options carry whatever id the client sent,
// and the bot is in other servers too. /daily setup with server B's channel or role, and
// /settings moderator-role with server B's role, are refused in server A and save nothing.
func TestIDsFromAnotherServerRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const roleA, roleB = "400000000000000041", "400000000000000042"
	e.fake.SetRole(guildA, discordtest.Role{ID: roleA, Name: "daily-a", Mentionable: true})
	e.fake.SetRole(guildB, discordtest.Role{ID: roleB, Name: "daily-b", Mentionable: true})
	b := e.start()
	e.settle(b)
	before := dbState(t, b.app)
	setup := func(channel string, extra ...discordtest.Opt) discordtest.Message {
		o := append([]discordtest.Opt{chanOpt("channel", channel), opt("time", "09:00"), opt("timezone", "UTC")}, extra...)
		return e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", o...)))
	}
	if r := setup(channelB); !strings.Contains(r.Content, "is not a channel of this server") {
		t.Errorf("/daily setup with server B's channel = %q; want a refusal", r.Content)
	}
	if r := setup(channelA, discordtestRole("role", roleB)); !strings.Contains(r.Content, "is not a role of this server") {
		t.Errorf("/daily setup with server B's role = %q; want a refusal", r.Content)
	}
	if r := e.final(e.fake.Slash(guildA, channelA, mod, "settings", sub("moderator-role", discordtestRole("role", roleB)))); !strings.Contains(r.Content, "is not a role of this server") {
		t.Errorf("/settings moderator-role with server B's role = %q; want a refusal", r.Content)
	}
	e.settle(b)
	if diff := cmpLines(before, dbState(t, b.app)); diff != "" {
		t.Errorf("refused settings changed the database:\n%s", diff)
	}
	if r := setup(channelA, discordtestRole("role", roleA)); !strings.Contains(embedText(r.Embeds), "Daily question") {
		t.Errorf("/daily setup with server A's own channel and role = %q %s", r.Content, embedText(r.Embeds))
	}
}

// TestIDAutocompleteForModeratorsOnly: only the moderators' /bank commands have an id option,
// but a forged client can ask for its autocomplete; a member gets no ids (which would list
// disabled and unpublished questions), a moderator gets them.
func TestIDAutocompleteForModeratorsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	ask := func(u discordtest.User) discordtest.Response {
		return e.wait(e.fake.Autocomplete(guildA, channelA, u, "bank",
			sub("disable", discordtest.Opt{Name: "id", Type: 3, Value: "tcp", Focused: true})))
	}
	if r := ask(ada); r.Type != 8 || len(r.Choices) != 0 {
		t.Errorf("id autocomplete for a member = type %d, %d choices; want none", r.Type, len(r.Choices))
	}
	if r := ask(mod); r.Type != 8 || len(r.Choices) == 0 || !strings.HasPrefix(r.Choices[0].Value.(string), "tcp") {
		t.Errorf("id autocomplete for a moderator = type %d %+v; want tcp ids", r.Type, r.Choices)
	}
}

// TestReportReasonShownAsTyped: a report reason reaches the moderators' embed with its markdown
// escaped, so a masked link or a fake heading shows as the text the member typed.
func TestReportReasonShownAsTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	q := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	sid := strings.Split(customIDs(t, q.Components)["report"], ":")[2]
	const reason = "# Urgent [see the fix](https://evil.example/steal) **now** ||x||"
	if got := e.final(e.fake.SubmitModalOnMessage(guildA, channelA, ada, q.ID, "v1:rsubmit:"+sid, map[string]string{"reason": reason})); !strings.Contains(got.Content, "Thanks") {
		t.Fatalf("report = %q", got.Content)
	}
	list := embedText(e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("reports"))).Embeds)
	if strings.Contains(list, "](https") || strings.Contains(list, "**now**") || strings.Contains(list, "\n# Urgent") ||
		!strings.Contains(list, `\[see the fix\]\(https\://evil\.example/steal\)`) {
		t.Errorf("the moderators' report list shows the reason's markdown live:\n%s", list)
	}
}

// TestAttachmentFetchedOnlyFromDiscord: an attachment whose address is not Discord's (a forged
// interaction pointing the bot at a service inside its network) is refused without a request;
// the fake's own attachments (the configured API address) still import.
func TestAttachmentFetchedOnlyFromDiscord(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("secret: internal metadata\n"))
	}))
	defer internal.Close()
	e := newEnv(t)
	e.start()
	file := []byte(strings.Replace(summaryBank, "topic: tcp", "topic: ourstack", 1))
	file = []byte(strings.Replace(string(file), "id: tcp-summary-probe", "id: ourstack-probe", 1))
	for _, u := range []string{internal.URL + "/latest/meta-data", "https://cdn.discordapp.com.evil.example/x/ourstack.yaml"} {
		got := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("import", e.fake.AttachForged("file", "ourstack.yaml", file, u))))
		if !strings.Contains(got.Content, "address is not valid") {
			t.Errorf("/bank import from %s = %q; want a refusal", u, got.Content)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the bot fetched a forged attachment address %d time(s)", n)
	}
	if got := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("import", e.fake.Attach("file", "ourstack.yaml", file)))); !strings.Contains(got.Content, "Preview") {
		t.Errorf("/bank import of a real attachment = %q; want a preview", got.Content)
	}
}

// TestPrivacyCoversReportsAndSessions: through Discord and the real store, /privacy export
// holds the member's report with its words and the sessions they opened, and /privacy delete
// leaves no record that names them or holds their words, while other members' stay.
func TestPrivacyCoversReportsAndSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	const reason, other = "ada's report: the answer forgets TIME_WAIT", "bob's report: a typo in the prompt"
	q := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	sid := strings.Split(customIDs(t, q.Components)["report"], ":")[2]
	e.final(e.fake.SubmitModalOnMessage(guildA, channelA, ada, q.ID, "v1:rsubmit:"+sid, map[string]string{"reason": reason}))
	e.final(e.fake.SubmitModalOnMessage(guildA, channelA, bob, q.ID, "v1:rsubmit:"+sid, map[string]string{"reason": other}))
	before := len(e.fake.Uploads())
	e.final(e.fake.Slash(guildA, channelA, ada, "privacy", sub("export")))
	ups := e.fake.Uploads()[before:]
	if len(ups) != 1 {
		t.Fatalf("export sent %d files", len(ups))
	}
	var ex quiz.Export
	if err := json.Unmarshal(ups[0].Data, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Reports) != 1 || ex.Reports[0].Reason != reason || len(ex.Sessions) != 1 || ex.Sessions[0].ID.String() != sid {
		t.Errorf("ada's export: reports %+v, sessions %+v; want her report and her session", ex.Reports, ex.Sessions)
	}

	ask := e.fake.Slash(guildA, channelA, ada, "privacy", sub("delete"))
	r := e.wait(ask)
	msg, _ := ask.Original()
	if done := e.final(e.fake.Click(guildA, channelA, ada, msg.ID, customIDs(t, r.Components)["forget"])); !strings.Contains(done.Content, "deleted") {
		t.Fatalf("confirm = %q", done.Content)
	}
	e.settle(b)
	adaID := quiz.UserID(mustID(t, ada.ID))
	err := b.app.store.View(e.ctx, func(tx quiz.Tx) error {
		g := quiz.GuildID(mustID(t, guildA))
		rs, err := tx.Reports(g)
		if len(rs) != 2 || rs[0].By != 0 || rs[0].Reason != "" || rs[1].Reason != other {
			t.Errorf("reports after ada's delete: %+v", rs)
		}
		if err != nil {
			return err
		}
		return tx.Sessions(g, 0, func(s quiz.Session) bool {
			if s.OpenedBy == adaID {
				t.Errorf("session %d still names ada", s.ID)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if dump := strings.Join(dbState(t, b.app), "\n"); strings.Contains(dump, "TIME_WAIT") || !strings.Contains(dump, "a typo in the prompt") {
		t.Errorf("after ada's delete the database holds her words, or lost bob's:\n%s", grepLines(dump, "report"))
	}
}

// TestStreakOfAnotherMemberHidesTheirZone: /streak member:X shows X's personal time zone to X
// only; anyone else sees that X's days follow X's own zone, not which one.
func TestStreakOfAnotherMemberHidesTheirZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	e.final(e.fake.Slash(guildA, channelA, ada, "settings", sub("timezone", opt("zone", "Asia/Kathmandu"))))
	own := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds)
	if !strings.Contains(own, "Asia/Kathmandu") {
		t.Errorf("ada's own /streak = %s; want her zone", own)
	}
	member := discordtest.Opt{Name: "member", Type: 6, Value: ada.ID}
	for _, viewer := range []discordtest.User{bob, mod} {
		seen := embedText(e.final(e.fake.Slash(guildA, channelA, viewer, "streak", member)).Embeds)
		if strings.Contains(seen, "Kathmandu") || !strings.Contains(seen, "<@"+ada.ID+">") {
			t.Errorf("ada's /streak seen by %s = %s; want her streak without her zone", viewer.Username, seen)
		}
	}
}

package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Server A's people for the rights table: the owner, and roles granting the moderator role,
// Manage Server and Administrator.
const (
	ownerID       = "300000000000000020"
	modRoleID     = "400000000000000020"
	managerRoleID = "400000000000000021"
	adminRoleID   = "400000000000000022"
	otherRoleID   = "400000000000000023"
)

// validQuestion is a question that passes every rule, with room to grow to each limit.
func validQuestion(topic, id string) quiz.Question {
	return quiz.Question{
		ID: id, Topic: topic, Level: quiz.Mid, Tags: []string{topic},
		Prompt:    quiz.Text{EN: "Why does our proxy keep connections in TIME_WAIT?", ZH: "为什么我们的代理有很多 TIME_WAIT 连接？"},
		Summary:   quiz.Text{EN: "It closes first.", ZH: "它先关闭。"},
		Answer:    quiz.Text{EN: "Because it closes first.", ZH: "因为它先关闭。"},
		KeyPoints: quiz.TextList{EN: []string{"who closes first", "keep-alive pools", "2MSL"}, ZH: []string{"谁先关闭", "长连接池", "2MSL"}},
		FollowUps: quiz.TextList{EN: []string{"What is tcp_tw_reuse?"}, ZH: []string{"tcp_tw_reuse 是什么？"}},
	}
}

// topicFile writes questions as a bank file of topic (the shipped title for tcp).
func topicFile(t *testing.T, topic string, qs ...quiz.Question) []byte {
	t.Helper()
	title := quiz.Text{EN: strings.ToUpper(topic), ZH: strings.ToUpper(topic)}
	if topic == "tcp" {
		title = quiz.Text{EN: "TCP", ZH: "TCP 协议"}
	}
	data, err := bank.Codec{}.Marshal(quiz.Topic{Slug: topic, Title: title}, qs)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// modalSession returns the number in a custom ID "v1:<action>:<n>[:arg]".
func modalSession(t *testing.T, customID string) string {
	t.Helper()
	parts := strings.Split(customID, ":")
	if len(parts) < 3 {
		t.Fatalf("custom ID %q has no session", customID)
	}
	return parts[2]
}

// TestModeratorRights walks every moderator action (each /bank and /daily subcommand,
// /settings moderator-role, every moderator button and form, and closing another member's
// question) for each kind of member, through the fake Discord and the real wiring. A member
// without rights is refused by the bot itself (the fake delivers every command, as Discord does
// when a server's admins override the default permissions), privately, and the database and
// the channel are byte-for-byte what they were; the moderator-role holder, a member the server's
// Integrations settings grant the bot's commands, Manage Server, Administrator and the owner are
// let through, except that only the last three may choose the moderator role. The permissions
// the bot sees are computed by the fake as Discord computes them from the member's roles and
// the server's owner; the Integrations grant is read by the bot as Discord's command permissions.
func TestModeratorRights(t *testing.T) {
	t.Parallel()
	r := newRightsTest(t)
	for n, k := range rightsKinds(r.owner, r.integrations) {
		if n > 0 {
			// A new day for each member who may post, so /daily now may post again.
			r.e.clock.Advance(24 * time.Hour)
		}
		for _, a := range slices.Concat(r.bankReadActions(), r.bankChangeActions(), r.otherActions()) {
			allowed := k.mod && (!a.manager || k.admin)
			t.Run(k.name+"/"+a.name, func(t *testing.T) { r.check(t, k, n, a, allowed) })
		}
		if n == 0 {
			r.ownerLeftoversSurvived()
		}
	}
}

// rightsResult is what a member finally sees.
type rightsResult struct {
	text  string // content and embeds
	modal bool   // a form opened
	flags int
}

// rightsKind is a kind of member: whether they may moderate, and choose the moderator role.
type rightsKind struct {
	name       string
	u          discordtest.User
	mod, admin bool
}

// rightsAction runs as member u; allowed says whether u may. When allowed it returns what u
// saw and the text that proves it worked; when refused, what u saw and the refusal.
type rightsAction struct {
	name    string
	manager bool   // only Manage Server / Administrator / owner, not the moderator role
	refusal string // what a refused member sees; "Only moderators" if empty
	// prep, if set, prepares the action before the state is recorded; the function it
	// returns, if any, runs after the checks.
	prep func(allowed bool) func()
	run  func(k rightsKind, n int, allowed bool) (got rightsResult, want string)
}

// rightsTest is server A as TestModeratorRights set it up, with what the owner prepared for
// forged interactions to try: an import preview, an add draft and an edit form.
type rightsTest struct {
	t            *testing.T
	e            *env
	b            *bot
	owner        discordtest.User
	integrations discordtest.User // granted every command in Server Settings → Integrations

	importFile              []byte
	previewMsg              discordtest.Message
	ownerApply, ownerCancel string
	draft                   discordtest.Response
	draftID                 string
	editForm                discordtest.Response
	editValues              map[string]string
	question, closeID       string // the question Close is tried on
}

func newRightsTest(t *testing.T) *rightsTest {
	e := newEnv(t)
	e.fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", OwnerID: ownerID,
		Channels: []discordtest.Channel{{ID: channelA, Name: "general"}},
		Roles: []discordtest.Role{
			{ID: modRoleID, Name: "quiz-mods", Permissions: "0"},
			{ID: managerRoleID, Name: "managers", Permissions: "32"},
			{ID: adminRoleID, Name: "admins", Permissions: "8"},
			{ID: otherRoleID, Name: "regulars", Permissions: "3072"},
		}})
	// An admin grants one member every command of the bot in Server Settings → Integrations
	// (an override for the application: the commands without their own).
	integrations := discordtest.User{ID: "300000000000000026", Username: "integrations", Roles: []string{otherRoleID}}
	e.fake.SetCommandPermissions(guildA, "100000000000000001", discordtest.CommandPermission{ID: integrations.ID, Type: discordtest.CommandPermissionUser, Permission: true})
	r := &rightsTest{t: t, e: e, b: e.start(), owner: discordtest.User{ID: ownerID, Username: "owner"}, integrations: integrations}

	// Set-up by the owner: the moderator role, a daily schedule, one question of the server's
	// own, an open report, and an import preview, an add draft and an edit form that forged
	// interactions will try to use.
	r.mustSee(r.slash(r.owner, "settings", sub("moderator-role", discordtestRole("role", modRoleID))), "can now moderate")
	r.mustSee(r.slash(r.owner, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:00"), opt("timezone", "UTC"))), "Daily question")
	r.mustSee(r.slash(r.owner, "bank", sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", topicFile(t, "tcp", validQuestion("tcp", "rights-base"))))), "Added rights-base")
	r.fileReport()
	r.importFile = topicFile(t, "rights", validQuestion("rights", "rights-imported"))
	preview := e.fake.Slash(guildA, channelA, r.owner, "bank", sub("import", e.fake.Attach("file", "rights.yaml", r.importFile)))
	pr := e.wait(preview)
	r.previewMsg, _ = preview.Original()
	r.ownerApply, r.ownerCancel = customIDs(t, pr.Components)["confirm"], customIDs(t, pr.Components)["cancel"]
	if r.ownerApply == "" || r.ownerCancel == "" {
		t.Fatalf("import preview = %q; want Apply and Cancel", pr.Content)
	}
	r.draft = e.wait(e.fake.Slash(guildA, channelA, r.owner, "bank", sub("add", opt("topic", "tcp"), opt("id", "rights-owner-draft"))))
	r.draftID = modalSession(t, r.draft.ModalCustomID)
	r.editForm = e.wait(e.fake.Slash(guildA, channelA, r.owner, "bank", sub("edit", opt("id", "tcp-handshake"))))
	r.editValues = modalValues(t, r.editForm.Data)
	r.editValues["answer"] = "Forged."
	return r
}

func rightsKinds(owner, integrations discordtest.User) []rightsKind {
	return []rightsKind{
		{"member", discordtest.User{ID: "300000000000000021", Username: "plain", Roles: []string{otherRoleID}}, false, false},
		{"moderator role", discordtest.User{ID: "300000000000000022", Username: "helper", Roles: []string{modRoleID, otherRoleID}}, true, false},
		{"Integrations override", integrations, true, false},
		{"Manage Server", discordtest.User{ID: "300000000000000023", Username: "manager", Roles: []string{managerRoleID}}, true, true},
		{"Administrator", discordtest.User{ID: "300000000000000024", Username: "admin", Roles: []string{adminRoleID}}, true, true},
		{"owner", owner, true, true},
	}
}

func (r *rightsTest) see(ix *discordtest.Interaction) rightsResult {
	r.t.Helper()
	w := r.e.wait(ix)
	if w.Type == 9 {
		return rightsResult{modal: true, text: w.ModalTitle}
	}
	m := r.e.final(ix)
	return rightsResult{text: m.Content + "\n" + embedText(m.Embeds), flags: m.Flags}
}

func (r *rightsTest) slash(u discordtest.User, name string, opts ...discordtest.Opt) rightsResult {
	r.t.Helper()
	return r.see(r.e.fake.Slash(guildA, channelA, u, name, opts...))
}

func (r *rightsTest) mustSee(got rightsResult, want string) {
	r.t.Helper()
	if !strings.Contains(got.text, want) {
		r.t.Fatalf("setup: got %q; want %q", got.text, want)
	}
}

// fileReport has ada report a redis question.
func (r *rightsTest) fileReport() {
	t, e := r.t, r.e
	t.Helper()
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "redis"))
	ar := e.wait(ask)
	q, _ := ask.Original()
	rm := e.wait(e.fake.Click(guildA, channelA, ada, q.ID, customIDs(t, ar.Components)["report"]))
	r.mustSee(r.see(e.fake.SubmitModalOnMessage(guildA, channelA, ada, q.ID, rm.ModalCustomID, map[string]string{"reason": "The answer is out of date."})), "Thanks")
}

func (r *rightsTest) bankCmd(want string, o discordtest.Opt) func(rightsKind, int, bool) (rightsResult, string) {
	return func(k rightsKind, _ int, _ bool) (rightsResult, string) { return r.slash(k.u, "bank", o), want }
}

func (r *rightsTest) dailyCmd(want string, o discordtest.Opt) func(rightsKind, int, bool) (rightsResult, string) {
	return func(k rightsKind, _ int, _ bool) (rightsResult, string) { return r.slash(k.u, "daily", o), want }
}

// bankReadActions: /bank commands that show, and adding and editing questions.
func (r *rightsTest) bankReadActions() []rightsAction {
	t, e := r.t, r.e
	return []rightsAction{
		{name: "/bank list", run: r.bankCmd("Bank · all topics", sub("list"))},
		{name: "/bank show", run: r.bankCmd("Source: shipped", sub("show", opt("id", "tcp-handshake")))},
		{name: "/bank history", run: r.bankCmd("History · rights-base", sub("history", opt("id", "rights-base")))},
		{name: "/bank export", run: r.bankCmd("This server's bank", sub("export", opt("topic", "tcp")))},
		{name: "/bank reports", run: r.bankCmd("Reports ·", sub("reports"))},
		{name: "/bank add (form)", run: func(k rightsKind, _ int, _ bool) (rightsResult, string) {
			return r.slash(k.u, "bank", sub("add", opt("topic", "tcp"), opt("id", "rights-form-probe"))), "New question · step 1 of 2"
		}},
		{name: "/bank add, both forms and the step 2 button", run: func(k rightsKind, n int, allowed bool) (rightsResult, string) {
			if !allowed {
				// Forged: the owner's draft, submitted, opened and completed by someone else.
				vals := map[string]string{"question": "q?", "summary": "s.", "answer": "a.", "key_points": "a\nb\nc"}
				for _, ix := range []*discordtest.Interaction{
					e.fake.SubmitModal(guildA, channelA, k.u, "v1:add1:"+r.draftID, vals),
					e.fake.Click(guildA, channelA, k.u, r.previewMsg.ID, "v1:add2:"+r.draftID),
				} {
					if r := r.see(ix); !strings.Contains(r.text, "Only moderators") || r.flags&64 == 0 {
						return r, "Only moderators"
					}
				}
				return r.see(e.fake.SubmitModal(guildA, channelA, k.u, "v1:add2m:"+r.draftID, vals)), ""
			}
			id := fmt.Sprintf("rights-added-%d", n)
			form := e.wait(e.fake.Slash(guildA, channelA, k.u, "bank", sub("add", opt("topic", "tcp"), opt("id", id))))
			step1 := e.fake.SubmitModal(guildA, channelA, k.u, form.ModalCustomID, map[string]string{
				"question": "Why?", "summary": "Because.", "answer": "Because.", "key_points": "one\ntwo\nthree"})
			r1 := e.wait(step1)
			msg, _ := step1.Original()
			m2 := e.wait(e.fake.Click(guildA, channelA, k.u, msg.ID, customIDs(t, r1.Components)["add2"]))
			if m2.Type != 9 {
				return rightsResult{text: m2.Content}, "a form for step 2"
			}
			return r.see(e.fake.SubmitModal(guildA, channelA, k.u, m2.ModalCustomID, map[string]string{
				"question": "为什么？", "summary": "因为。", "answer": "因为。", "key_points": "一\n二\n三"})), "Added " + id
		}},
		{name: "/bank add (file)", run: func(k rightsKind, n int, _ bool) (rightsResult, string) {
			id := fmt.Sprintf("rights-file-%d", n)
			return r.slash(k.u, "bank", sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", topicFile(t, "tcp", validQuestion("tcp", id))))), "Added " + id
		}},
		{name: "/bank edit (form)", run: func(k rightsKind, _ int, _ bool) (rightsResult, string) {
			return r.slash(k.u, "bank", sub("edit", opt("id", "rights-base"))), "Edit rights-base"
		}},
		{name: "/bank edit (form submitted)", run: func(k rightsKind, n int, allowed bool) (rightsResult, string) {
			if !allowed {
				return r.see(e.fake.SubmitModal(guildA, channelA, k.u, r.editForm.ModalCustomID, r.editValues)), ""
			}
			form := e.wait(e.fake.Slash(guildA, channelA, k.u, "bank", sub("edit", opt("id", "rights-base"))))
			v := modalValues(t, form.Data)
			v["answer"] = fmt.Sprintf("Edited by %s.", k.name)
			return r.see(e.fake.SubmitModal(guildA, channelA, k.u, form.ModalCustomID, v)), "Saved rights-base"
		}},
	}
}

// bankChangeActions: /bank commands and buttons that change the bank.
func (r *rightsTest) bankChangeActions() []rightsAction {
	t, e := r.t, r.e
	return []rightsAction{
		{name: "/bank disable", run: r.bankCmd("rights-base is disabled", sub("disable", opt("id", "rights-base")))},
		{name: "/bank enable", prep: func(allowed bool) func() {
			if allowed {
				return nil // this member disabled it just before
			}
			// Something to enable, disabled by the owner, who enables it again afterwards.
			r.mustSee(r.slash(r.owner, "bank", sub("disable", opt("id", "rights-base"))), "is disabled")
			return func() { r.mustSee(r.slash(r.owner, "bank", sub("enable", opt("id", "rights-base"))), "is enabled") }
		}, run: r.bankCmd("rights-base is enabled", sub("enable", opt("id", "rights-base")))},
		{name: "/bank remove", run: func(k rightsKind, n int, allowed bool) (rightsResult, string) {
			id := "rights-base"
			if allowed {
				id = fmt.Sprintf("rights-file-%d", n) // added above by this member
			}
			return r.slash(k.u, "bank", sub("remove", opt("id", id))), id + " was removed"
		}},
		{name: "/bank import", run: func(k rightsKind, _ int, _ bool) (rightsResult, string) {
			return r.slash(k.u, "bank", sub("import", e.fake.Attach("file", "rights.yaml", r.importFile))), "Preview (nothing changed yet)"
		}},
		{name: "Apply (import)", run: func(k rightsKind, n int, allowed bool) (rightsResult, string) {
			if !allowed {
				return r.see(e.fake.Click(guildA, channelA, k.u, r.previewMsg.ID, r.ownerApply)), ""
			}
			f := topicFile(t, fmt.Sprintf("rights-%d", n), validQuestion(fmt.Sprintf("rights-%d", n), fmt.Sprintf("rights-imported-%d", n)))
			ix := e.fake.Slash(guildA, channelA, k.u, "bank", sub("import", e.fake.Attach("file", fmt.Sprintf("rights-%d.yaml", n), f)))
			p := e.wait(ix)
			msg, _ := ix.Original()
			return r.see(e.fake.Click(guildA, channelA, k.u, msg.ID, customIDs(t, p.Components)["confirm"])), "Imported."
		}},
		{name: "Cancel (import)", run: func(k rightsKind, _ int, allowed bool) (rightsResult, string) {
			if !allowed {
				return r.see(e.fake.Click(guildA, channelA, k.u, r.previewMsg.ID, r.ownerCancel)), ""
			}
			ix := e.fake.Slash(guildA, channelA, k.u, "bank", sub("import", e.fake.Attach("file", "rights.yaml", r.importFile)))
			p := e.wait(ix)
			msg, _ := ix.Original()
			return r.see(e.fake.Click(guildA, channelA, k.u, msg.ID, customIDs(t, p.Components)["cancel"])), "Import cancelled"
		}},
		{name: "page button (/bank list)", run: func(k rightsKind, _ int, allowed bool) (rightsResult, string) {
			if !allowed {
				return r.see(e.fake.Click(guildA, channelA, k.u, r.previewMsg.ID, "v1:page:1")), ""
			}
			ix := e.fake.Slash(guildA, channelA, k.u, "bank", sub("list"))
			l := e.wait(ix)
			msg, _ := ix.Original()
			return r.see(e.fake.Click(guildA, channelA, k.u, msg.ID, customIDs(t, l.Components)["▶"])), "page 2/"
		}},
		{name: "Resolve (report)", prep: func(allowed bool) func() {
			if allowed {
				r.fileReport()
			}
			return nil
		}, run: func(k rightsKind, _ int, allowed bool) (rightsResult, string) {
			if !allowed {
				return r.see(e.fake.Click(guildA, channelA, k.u, r.previewMsg.ID, "v1:resolve:1")), ""
			}
			ix := e.fake.Slash(guildA, channelA, k.u, "bank", sub("reports"))
			rr := e.wait(ix)
			msg, _ := ix.Original()
			return r.see(e.fake.Click(guildA, channelA, k.u, msg.ID, customIDs(t, rr.Components)["resolve"])), "No open reports"
		}},
	}
}

// otherActions: closing another member's question, /daily and the moderator role.
func (r *rightsTest) otherActions() []rightsAction {
	t, e := r.t, r.e
	return []rightsAction{
		{name: "Close (another member's question)", refusal: "Only the member who asked", prep: func(bool) func() {
			ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"))
			ar := e.wait(ask)
			q, _ := ask.Original()
			r.question, r.closeID = q.ID, customIDs(t, ar.Components)["close"]
			return nil
		}, run: func(k rightsKind, _ int, _ bool) (rightsResult, string) {
			return r.see(e.fake.Click(guildA, channelA, k.u, r.question, r.closeID)), "0 answered"
		}},
		{name: "/daily setup", run: r.dailyCmd("08:00 Europe/Berlin", sub("setup", chanOpt("channel", channelA), opt("time", "08:00"), opt("timezone", "Europe/Berlin")))},
		{name: "/daily show", run: r.dailyCmd("Daily question", sub("show"))},
		{name: "/daily pause", run: r.dailyCmd("Paused", sub("pause"))},
		{name: "/daily resume", prep: func(allowed bool) func() {
			if allowed {
				return nil // this member paused it just before
			}
			r.mustSee(r.slash(r.owner, "daily", sub("pause")), "Paused")
			return func() { r.mustSee(r.slash(r.owner, "daily", sub("resume")), "Next post") }
		}, run: r.dailyCmd("Next post", sub("resume"))},
		{name: "/daily skip", run: r.dailyCmd("will be skipped", sub("skip"))},
		{name: "/daily now", run: r.dailyCmd("Posted today's question", sub("now"))},
		{name: "/settings moderator-role", manager: true, refusal: "Only members with the Manage Server permission", run: func(k rightsKind, _ int, allowed bool) (rightsResult, string) {
			role := modRoleID
			if !allowed {
				role = otherRoleID // try to make their own role the moderator role
			}
			return r.slash(k.u, "settings", sub("moderator-role", discordtestRole("role", role))), "can now moderate"
		}},
		{name: "/settings moderator-role (clear)", manager: true, refusal: "Only members with the Manage Server permission", run: func(k rightsKind, _ int, allowed bool) (rightsResult, string) {
			if allowed {
				defer func() {
					r.mustSee(r.slash(r.owner, "settings", sub("moderator-role", discordtestRole("role", modRoleID))), "can now moderate")
				}()
			}
			return r.slash(k.u, "settings", sub("moderator-role")), "moderator role was cleared"
		}},
	}
}

// check runs action a as kind k: allowed, it must work; refused, it must say so privately and
// change neither the database nor the channel.
func (r *rightsTest) check(t *testing.T, k rightsKind, n int, a rightsAction, allowed bool) {
	e, b := r.e, r.b
	if a.prep != nil {
		if undo := a.prep(allowed); undo != nil {
			defer undo()
		}
	}
	e.settle(b)
	var before []string
	if !allowed {
		before = dbState(t, b.app)
	}
	posts := len(e.fake.Messages(channelA))
	got, want := a.run(k, n, allowed)
	e.settle(b)
	if allowed {
		if !strings.Contains(got.text, want) || strings.Contains(got.text, "Only ") {
			t.Errorf("%s may %s; got %q, want %q", k.name, a.name, got.text, want)
		}
		return
	}
	refusal := a.refusal
	if refusal == "" {
		refusal = "Only moderators"
	}
	if got.modal || got.flags&64 == 0 || !strings.Contains(got.text, refusal) {
		t.Errorf("%s: %s = %+v; want a private refusal %q", k.name, a.name, got, refusal)
	}
	if diff := cmp.Diff(before, dbState(t, b.app)); diff != "" {
		t.Errorf("%s: refused %s changed the database (-before +after):\n%s", k.name, a.name, diff)
	}
	if n := len(e.fake.Messages(channelA)); n != posts {
		t.Errorf("%s: refused %s posted %d channel message(s)", k.name, a.name, n-posts)
	}
}

// ownerLeftoversSurvived: the owner's preview and draft survived the member's forged attempts
// on them. (The owner's own changes since then make it a conflict, which proves the preview
// was still there: a consumed one would have "expired".)
func (r *rightsTest) ownerLeftoversSurvived() {
	t, e := r.t, r.e
	if got := r.see(e.fake.Click(guildA, channelA, r.owner, r.previewMsg.ID, r.ownerApply)); !strings.Contains(got.text, "The bank changed since this preview") {
		t.Errorf("the owner's Apply after a member's forged clicks = %q; want the preview still there", got.text)
	}
	if got := r.see(e.fake.SubmitModal(guildA, channelA, r.owner, r.draft.ModalCustomID, map[string]string{
		"question": "Why?", "summary": "Because.", "answer": "Because.", "key_points": "one\ntwo\nthree"})); !strings.Contains(got.text, "Step 2 of 2") {
		t.Errorf("the owner's draft after a member's forged submits = %q; want step 2", got.text)
	}
	if got := r.see(e.fake.Click(guildA, channelA, r.owner, r.previewMsg.ID, "v1:resolve:1")); !strings.Contains(got.text, "No open reports") {
		t.Errorf("the owner's Resolve of the report the member tried = %q", got.text)
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/schedule"
)

// End-to-end tests of issue 11: what Discord really does where the fake used to be kinder.
// Each turns on the fake's rule it relies on.

const learnersRole = "400000000000000031" // a mentionable role of server A

// TestCommandsRegisteredForServersOnly: every command is registered for servers only with the
// current fields (contexts [0] = guild, integration_types [0] = guild install), not the
// deprecated dm_permission.
func TestCommandsRegisteredForServersOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	cmds := e.fake.Commands("")
	if len(cmds) == 0 {
		t.Fatal("no commands registered")
	}
	for _, raw := range cmds {
		var c map[string]json.RawMessage
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		name := string(c["name"])
		if got := string(c["contexts"]); got != "[0]" {
			t.Errorf("%s: contexts = %s; want [0]", name, got)
		}
		if got := string(c["integration_types"]); got != "[0]" {
			t.Errorf("%s: integration_types = %s; want [0]", name, got)
		}
		if dm, ok := c["dm_permission"]; ok && string(dm) != "null" {
			t.Errorf("%s: dm_permission = %s; want it left out (deprecated)", name, dm)
		}
	}
}

// TestStreakTitleHasNoMention: mentions do not render in embed titles, so /streak member:bob
// names bob in the title without <@id> and mentions him in the description.
func TestStreakTitleHasNoMention(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	m := e.final(e.fake.Slash(guildA, channelA, ada, "streak", discordtest.Opt{Name: "member", Type: 6, Value: bob.ID}))
	if len(m.Embeds) != 1 {
		t.Fatalf("/streak member = %+v", m)
	}
	if title := m.Embeds[0].Title; strings.Contains(title, "<@") {
		t.Errorf("title = %q; want no mention (it shows raw)", title)
	}
	if !strings.Contains(m.Embeds[0].Description, "<@"+bob.ID+">") {
		t.Errorf("description = %q; want bob mentioned", m.Embeds[0].Description)
	}
	own := e.final(e.fake.Slash(guildA, channelA, ada, "streak"))
	if title := own.Embeds[0].Title; !strings.Contains(title, "ada") || strings.Contains(title, "<@") {
		t.Errorf("own /streak title = %q; want the member's name", title)
	}
}

// TestCloseKeepsTheDailyRoleLine: Close on a daily post updates the message (type 7), which
// replaces its content too; the role line and "Answer privately…" stay.
func TestCloseKeepsTheDailyRoleLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRole(guildA, discordtest.Role{ID: learnersRole, Name: "learners", Mentionable: true})
	e.start()
	setup := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:00"),
		opt("timezone", "UTC"), discordtestRole("role", learnersRole))))
	if !strings.Contains(embedText(setup.Embeds), "Daily question") {
		t.Fatalf("/daily setup = %+v", setup)
	}
	if r := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("now"))); !strings.Contains(r.Content, "Posted") {
		t.Fatalf("/daily now = %q", r.Content)
	}
	posts := e.fake.Messages(channelA)
	if len(posts) != 1 {
		t.Fatalf("%d posts; want the daily question", len(posts))
	}
	post := posts[0]
	if got, _ := e.fake.Message(post.ID); len(got.PingedRoles) != 1 {
		t.Fatalf("the daily post pinged %v; want the learners", got.PingedRoles)
	}
	e.final(e.fake.Click(guildA, channelA, mod, post.ID, customIDs(t, post.Components)["close"]))
	after, _ := e.fake.Message(post.ID)
	if after.Content != post.Content || !strings.Contains(after.Content, "<@&"+learnersRole+">") {
		t.Errorf("after Close the content is %q; want %q kept", after.Content, post.Content)
	}
	if _, ok := customIDs(t, after.Components)["close"]; ok {
		t.Errorf("the question still offers Close after it")
	}
}

// noExport is a domain with nothing to export: /bank export's handler then has nothing to send.
type noExport struct{ discord.Bank }

func (noExport) ExportBank(context.Context, quiz.Actor, string) ([]quiz.ExportedFile, error) {
	return nil, nil
}

// TestFallbackAcknowledgement: a slash command whose handler sent nothing is still answered,
// with a type Discord accepts for a command (not 6, which only a button or a form opened from
// one may take; the fake fails the test on it).
func TestFallbackAcknowledgement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start(withUseCases(func(uc discord.UseCases) discord.UseCases { uc.Bank = noExport{uc.Bank}; return uc }))
	ix := e.fake.Slash(guildA, channelA, mod, "bank", sub("export"))
	r := e.wait(ix)
	if r.Type != 4 || r.Flags&64 == 0 {
		t.Errorf("/bank export with nothing to send answered type %d flags %d; want a private reply (4)", r.Type, r.Flags)
	}
}

// limitQuestion is a question at every limit of the bank, in both languages: the id, the
// prompt, the summary (which now leads the reference answer), the answer, eight key points and
// five follow-ups, each as long as the bank allows.
func limitQuestion(topic string) quiz.Question {
	en := func(n int) string { return strings.Repeat("a", n-1) + "." }
	zh := func(n int) string { return strings.Repeat("字", n-1) + "。" }
	q := validQuestion(topic, topic+"-"+strings.Repeat("x", quiz.MaxIDLen-len(topic)-1))
	q.Prompt = quiz.Text{EN: en(quiz.MaxQuestionLen), ZH: zh(quiz.MaxQuestionLen)}
	q.Summary = quiz.Text{EN: en(quiz.MaxSummaryLen), ZH: zh(quiz.MaxSummaryLen)}
	q.Answer = quiz.Text{EN: en(quiz.MaxAnswerLen), ZH: zh(quiz.MaxAnswerLen)}
	q.KeyPoints, q.FollowUps = quiz.TextList{}, quiz.TextList{}
	for range quiz.MaxKeyPoints {
		q.KeyPoints.EN = append(q.KeyPoints.EN, en(quiz.MaxKeyPointLen))
		q.KeyPoints.ZH = append(q.KeyPoints.ZH, zh(quiz.MaxKeyPointLen))
	}
	for range quiz.MaxFollowUps {
		q.FollowUps.EN = append(q.FollowUps.EN, en(quiz.MaxFollowUpLen))
		q.FollowUps.ZH = append(q.FollowUps.ZH, zh(quiz.MaxFollowUpLen))
	}
	return q
}

// TestEmbedTotalsAtTheLimits: every message about a question at the bank's limits keeps its
// embeds within 6,000 characters together (the fake answers 50035 otherwise), in English and
// in Chinese: /bank show (the question and its reference answer in one message), the reference
// answer after an answer and after Reveal, the grade update, the public reveal and Full answer.
func TestEmbedTotalsAtTheLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	q := limitQuestion("limits")
	if ps := q.Check(); len(ps) > 0 {
		t.Fatalf("the limit question does not validate: %v", ps)
	}
	add := e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", "limits"), e.fake.Attach("file", "limits.yaml", topicFile(t, "limits", q)))))
	if !strings.Contains(add.Content, "Added") {
		t.Fatalf("/bank add = %q", add.Content)
	}
	zhMod := discordtest.User{ID: "300000000000000004", Username: "mod-zh", Locale: "zh-CN", Permissions: "32"}
	for _, u := range []discordtest.User{mod, zhMod} {
		t.Run(u.Locale, func(t *testing.T) {
			total := func(what string, es []discordtest.Embed) {
				t.Helper()
				n := 0
				for _, e := range es {
					n += len([]rune(e.Title)) + len([]rune(e.Description))
					if e.Footer != nil {
						n += len([]rune(e.Footer.Text))
					}
				}
				if n > 6000 || len(es) == 0 {
					t.Errorf("%s: %d embeds, %d characters; want some, at most 6000", what, len(es), n)
				}
			}
			show := e.final(e.fake.Slash(guildA, channelA, u, "bank", sub("show", opt("id", q.ID))))
			total("/bank show", show.Embeds)
			if len(show.Embeds) < 3 || !strings.Contains(show.Embeds[1].Description, q.Summary.EN[:20]) && !strings.Contains(show.Embeds[1].Description, q.Summary.ZH[:20]) {
				t.Errorf("/bank show = %s; want the question, then the reference answer led by the summary", embedText(show.Embeds))
			}

			ask := e.fake.Slash(guildA, channelA, u, "interview", opt("topic", "limits"))
			ar := e.wait(ask)
			total("the question", ar.Embeds)
			qm, _ := ask.Original()
			ids := customIDs(t, ar.Components)
			form := e.wait(e.fake.Click(guildA, channelA, u, qm.ID, ids["answer"]))
			submit := e.fake.SubmitModalOnMessage(guildA, channelA, u, qm.ID, form.ModalCustomID, map[string]string{"answer": "mine"})
			answered := e.final(submit)
			total("the answer's reply", answered.Embeds)
			reply, _ := submit.Original()
			graded := e.final(e.fake.Click(guildA, channelA, u, reply.ID, customIDs(t, answered.Components)["grade:good"]))
			total("the grade update", graded.Embeds)
			total("Reveal", e.final(e.fake.Click(guildA, channelA, bob, qm.ID, ids["reveal"])).Embeds)

			e.final(e.fake.Click(guildA, channelA, u, qm.ID, ids["close"]))
			posts := e.fake.Messages(channelA)
			reveal := posts[len(posts)-1]
			total("the public reveal", reveal.Embeds)
			total("Full answer", e.final(e.fake.Click(guildA, channelA, u, reveal.ID, customIDs(t, reveal.Components)["full"])).Embeds)
		})
	}
	e.settle(b)
}

// TestCallbackRetriedAfter502: Discord accepted the callback but its edge answered 502;
// discordgo retried it and got 40060 "already acknowledged". The bot takes that as the
// acknowledgement it is: no error message follows, and a posted question's message is found by
// reading @original, so the answered count still updates.
func TestCallbackRetriedAfter502(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()

	e.fake.FailNextAfter("POST /interactions/*/*/callback", 502, 1)
	streak := e.fake.Slash(guildA, channelA, ada, "streak")
	if r := e.wait(streak); r.Type != 4 || len(r.Embeds) == 0 {
		t.Fatalf("/streak = %+v", r)
	}
	e.fake.FailNextAfter("POST /interactions/*/*/callback", 502, 1)
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"))
	ar := e.wait(ask)
	e.settle(b)
	for _, ix := range []*discordtest.Interaction{streak, ask} {
		if f := ix.Followups(); len(f) > 0 {
			t.Errorf("interaction %s got follow-ups after the lost reply: %q", ix.ID, f[0].Content)
		}
	}
	q, ok := ask.Original()
	if !ok || ar.Flags&64 != 0 {
		t.Fatalf("/interview: no public question (%v, flags %d)", ok, ar.Flags)
	}
	// The session knows its message before anyone clicks it (a click would also tell).
	sid, err := quiz.ParseID(modalSession(t, customIDs(t, ar.Components)["answer"]))
	if err != nil {
		t.Fatal(err)
	}
	var sess quiz.Session
	// Read back after the handler, in the background.
	eventually(t, func() bool {
		err = b.app.store.View(e.ctx, func(tx quiz.Tx) error {
			sess, _, err = tx.Session(quiz.GuildID(mustID(t, guildA)), quiz.SessionID(sid))
			return err
		})
		return err != nil || sess.Message != 0
	})
	if err != nil || sess.Message.String() != q.ID {
		t.Errorf("session %d records message %d (%v); want the posted question %s", sid, sess.Message, err, q.ID)
	}
}

func mustID(t *testing.T, s string) uint64 {
	t.Helper()
	id, err := quiz.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// eventually polls cond for up to 10 s: for work the bot finishes after a handler, which the
// fake does not see end.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

// TestModeratorsAsDiscordDecides: with Discord's command permissions on (the fake delivers
// /bank and /daily only to members Discord would show them to), moderation works for real.
// The moderator role alone cannot reach the commands, and /settings moderator-role says exactly
// what the admin still has to do; once the admin adds the role in Server Settings →
// Integrations, its members run /bank list without Manage Server. A member granted the
// commands there directly (no role, no Manage Server) moderates too, until the admin takes
// it back, which the bot learns from the gateway. A member with neither sees nothing, and a
// forged click of theirs is refused with nothing changed.
func TestModeratorsAsDiscordDecides(t *testing.T) {
	t.Parallel()
	e := newEnv(t, discordtest.WithCommandPermissions())
	e.fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", OwnerID: ownerID,
		Channels: []discordtest.Channel{{ID: channelA, Name: "general"}},
		Roles:    []discordtest.Role{{ID: modRoleID, Name: "quiz-mods", Permissions: "0"}, {ID: otherRoleID, Name: "regulars", Permissions: "3072"}}})
	b := e.start()
	owner := discordtest.User{ID: ownerID, Username: "owner"}
	helper := discordtest.User{ID: "300000000000000022", Username: "helper", Roles: []string{modRoleID, otherRoleID}}
	granted := discordtest.User{ID: "300000000000000025", Username: "granted", Roles: []string{otherRoleID}}
	plain := discordtest.User{ID: "300000000000000021", Username: "plain", Roles: []string{otherRoleID}}
	bank, daily := e.fake.CommandID("", "bank"), e.fake.CommandID("", "daily")
	if bank == "" || daily == "" {
		t.Fatal("the moderator commands are not registered")
	}
	list := func(u discordtest.User) (discordtest.Message, error) {
		t.Helper()
		ix := e.fake.Slash(guildA, channelA, u, "bank", sub("list"))
		if _, err := ix.Wait(e.ctx); err != nil {
			return discordtest.Message{}, err
		}
		return e.final(ix), nil
	}
	// The role is chosen; Discord still hides /bank from its members, and the reply says what
	// only an admin can do about it.
	note := e.final(e.fake.Slash(guildA, channelA, owner, "settings", sub("moderator-role", discordtestRole("role", modRoleID))))
	for _, want := range []string{"Server Settings → Integrations", "/bank", "/daily", "<@&" + modRoleID + ">", "Add Roles or Members"} {
		if !strings.Contains(note.Content, want) {
			t.Errorf("/settings moderator-role = %q; want it to say what is left (%q)", note.Content, want)
		}
	}
	if _, err := list(helper); !errors.Is(err, discordtest.ErrCommandNotAvailable) {
		t.Errorf("/bank list by the moderator role before the admin's step: %v; want not delivered", err)
	}

	// The admin adds the role to /bank and /daily in Server Settings → Integrations.
	allowRole := discordtest.CommandPermission{ID: modRoleID, Type: discordtest.CommandPermissionRole, Permission: true}
	e.fake.SetCommandPermissions(guildA, bank, allowRole)
	e.fake.SetCommandPermissions(guildA, daily, allowRole)
	note = e.final(e.fake.Slash(guildA, channelA, owner, "settings", sub("moderator-role", discordtestRole("role", modRoleID))))
	if !strings.Contains(note.Content, "Nothing else to do") {
		t.Errorf("/settings moderator-role after the admin's step = %q; want nothing left", note.Content)
	}
	m, err := list(helper)
	if err != nil || !strings.Contains(embedText(m.Embeds), "Bank · all topics") {
		t.Fatalf("/bank list by the moderator role = %q, %v; want the bank", embedText(m.Embeds), err)
	}

	// A member the admin grants /bank directly, with no role and no Manage Server.
	allowUser := discordtest.CommandPermission{ID: granted.ID, Type: discordtest.CommandPermissionUser, Permission: true}
	e.fake.SetCommandPermissions(guildA, bank, allowRole, allowUser)
	// The bot hears of the change over the gateway, in its own time.
	var ix *discordtest.Interaction
	eventually(t, func() bool {
		ix = e.fake.Slash(guildA, channelA, granted, "bank", sub("list"))
		m = e.final(ix)
		return strings.Contains(embedText(m.Embeds), "Bank · all topics")
	})
	if !strings.Contains(embedText(m.Embeds), "Bank · all topics") {
		t.Fatalf("/bank list by a member granted in Integrations = %q; want the bank", m.Content+embedText(m.Embeds))
	}
	listMsg, _ := ix.Original()
	next := customIDs(t, m.Components)["▶"]
	if r := e.final(e.fake.Click(guildA, channelA, granted, listMsg.ID, next)); !strings.Contains(embedText(r.Embeds), "page 2/") {
		t.Fatalf("page button by the granted member = %q", r.Content+embedText(r.Embeds))
	}

	// A member with neither: Discord does not deliver the command, and a forged click is refused.
	plainMemberRefused(t, e, b, list, plain, listMsg.ID, next)

	// The admin takes the grant back: the bot hears it from the gateway and refuses at once.
	e.fake.SetCommandPermissions(guildA, bank, allowRole)
	eventually(t, func() bool {
		r := e.final(e.fake.Click(guildA, channelA, granted, listMsg.ID, next))
		return strings.Contains(r.Content, "Only moderators")
	})
	if r := e.final(e.fake.Click(guildA, channelA, granted, listMsg.ID, next)); !strings.Contains(r.Content, "Only moderators") {
		t.Errorf("page click after the grant was removed = %q; want a refusal", r.Content+embedText(r.Embeds))
	}
}

// plainMemberRefused: Discord does not deliver /bank to a member with no role, grant or Manage
// Server, and their forged clicks on another member's list are refused with nothing changed.
func plainMemberRefused(t *testing.T, e *env, b *bot, list func(discordtest.User) (discordtest.Message, error), plain discordtest.User, listMsgID, next string) {
	if _, err := list(plain); !errors.Is(err, discordtest.ErrCommandNotAvailable) {
		t.Errorf("/bank list by a plain member: %v; want not delivered", err)
	}
	e.settle(b)
	before := dbState(t, b.app)
	if r := e.final(e.fake.Click(guildA, channelA, plain, listMsgID, next)); r.Flags&64 == 0 || !strings.Contains(r.Content, "Only moderators") {
		t.Errorf("forged page click by a plain member = %+v; want a private refusal", r)
	}
	forged := e.final(e.fake.Click(guildA, channelA, plain, listMsgID, "v1:resolve:1"))
	if !strings.Contains(forged.Content, "Only moderators") {
		t.Errorf("forged Resolve by a plain member = %q; want a refusal", forged.Content)
	}
	e.settle(b)
	if diff := cmpLines(before, dbState(t, b.app)); diff != "" {
		t.Errorf("refused clicks changed the database:\n%s", diff)
	}
}

// cmpLines returns the lines only in a or only in b, or "".
func cmpLines(a, b []string) string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

func perms(p int64) string { return strconv.FormatInt(p, 10) }

// denyBot sets the channel's overwrites so the bot's role lacks deny there, and waits until the
// bot has read the change (the gateway state is updated in order, before a later interaction).
func (e *env) denyBot(guild, channel string, deny int64) {
	e.t.Helper()
	e.fake.SetChannelOverwrites(channel, discordtest.Overwrite{ID: e.fake.BotRoleID(guild), Type: discordtest.OverwriteRole, Deny: perms(deny)})
	e.final(e.fake.Slash(guild, channel, ada, "streak"))
}

// TestInterviewWhereTheBotCannotPost: in a channel where the bot lacks Embed Links (its
// app_permissions say so), /interview answers privately and names the permission, instead of a
// public question whose count edits and reveal would fail.
func TestInterviewWhereTheBotCannotPost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	e.denyBot(guildA, channelA, discordtest.PermEmbedLinks|discordtest.PermReadMessageHistory)
	m := e.final(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	if m.Flags&64 == 0 || len(m.Embeds) != 1 {
		t.Fatalf("/interview = flags %d, %d embeds; want the question privately", m.Flags, len(m.Embeds))
	}
	for _, want := range []string{"Only you see this question", "Embed Links and Read Message History"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("/interview says %q; want %q", m.Content, want)
		}
	}
	if n := e.fake.InvalidRequests(); n != 0 {
		t.Errorf("%d invalid requests; want none", n)
	}
}

// TestDailySetupChecksTheChannelAndRole: /daily setup refuses a channel where the bot lacks
// what the daily post needs, naming each permission, and @everyone as the role, saving nothing;
// a role that will not ping is saved with a warning that says how to fix it.
func TestDailySetupChecksTheChannelAndRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRole(guildB, discordtest.Role{ID: "400000000000000032", Name: "staff"})
	e.fake.SetRole(guildB, discordtest.Role{ID: learnersRole, Name: "learners", Mentionable: true})
	b := e.start()
	e.denyBot(guildA, channelA, discordtest.PermSendMessages|discordtest.PermEmbedLinks)
	e.settle(b)
	before := dbState(t, b.app)
	setup := func(guild, channel string, extra ...discordtest.Opt) discordtest.Message {
		o := append([]discordtest.Opt{chanOpt("channel", channel), opt("time", "09:00"), opt("timezone", "UTC")}, extra...)
		return e.final(e.fake.Slash(guild, channel, mod, "daily", sub("setup", o...)))
	}
	r := setup(guildA, channelA)
	if r.Flags&64 == 0 || !strings.Contains(r.Content, "Send Messages and Embed Links") || !strings.Contains(r.Content, "Nothing was saved") {
		t.Errorf("/daily setup without Send Messages and Embed Links = %q; want a refusal naming both", r.Content)
	}
	r = setup(guildB, channelB, discordtestRole("role", guildB))
	if !strings.Contains(r.Content, "@everyone cannot be the daily role") {
		t.Errorf("/daily setup role:@everyone = %q; want a refusal", r.Content)
	}
	e.settle(b)
	if diff := cmpLines(before, dbState(t, b.app)); diff != "" {
		t.Errorf("refused setups changed the database:\n%s", diff)
	}
	r = setup(guildB, channelB, discordtestRole("role", "400000000000000032"))
	if !strings.Contains(embedText(r.Embeds), "Daily question") || !strings.Contains(r.Content, "will not ping") || !strings.Contains(r.Content, "Allow anyone to @mention this role") {
		t.Errorf("/daily setup with a role that is not mentionable = %q; want it saved with a warning", r.Content)
	}
	r = setup(guildB, channelB, discordtestRole("role", learnersRole))
	if strings.Contains(r.Content, "will not ping") || !strings.Contains(embedText(r.Embeds), "Daily question") {
		t.Errorf("/daily setup with a mentionable role = %q", r.Content)
	}
}

// TestChannelThatRefusesTheBot: a channel that stops letting the bot post is not tried again
// and again. The daily post, where the gateway state shows Embed Links gone, is not sent
// without its question: the schedule pauses and the moderator is told what to grant. Where
// Discord refuses (403) although the state did not show it, the bot stops after the first
// refusal: the second reveal in that channel is not tried.
func TestChannelThatRefusesTheBot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	if r := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:00"), opt("timezone", "UTC")))); !strings.Contains(embedText(r.Embeds), "Daily question") {
		t.Fatalf("/daily setup = %q", r.Content)
	}
	e.denyBot(guildA, channelA, discordtest.PermEmbedLinks)
	e.clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	for _, m := range e.fake.Messages(channelA) {
		if m.EmbedsRemoved && !m.Deleted {
			t.Errorf("a daily post without its question stands in the channel: %q", m.Content)
		}
	}
	dms := e.fake.DMs(mod.ID)
	if len(dms) != 1 || !strings.Contains(dms[0].Content, "paused") || !strings.Contains(dms[0].Content, "Embed Links") {
		t.Errorf("DMs to the moderator = %+v; want one saying the schedule paused for Embed Links", dms)
	}
	if show := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("show"))); !strings.Contains(embedText(show.Embeds), "Embed Links") {
		t.Errorf("/daily show = %s; want the reason", embedText(show.Embeds))
	}

	// Server B: two public questions, then Discord refuses the bot's posts there (the state
	// does not show why). The first reveal gets a 403; the second is not tried.
	for range 2 {
		if r := e.wait(e.fake.Slash(guildB, channelB, ada, "interview", opt("topic", "tcp"))); r.Flags&64 != 0 {
			t.Fatalf("/interview in B is private: %q", r.Content)
		}
	}
	e.settle(b)
	invalid := e.fake.InvalidRequests()
	e.fake.DenyChannel(channelB)
	e.clock.Advance(time.Hour)
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	if n := e.fake.InvalidRequests() - invalid; n != 1 {
		t.Errorf("%d refused requests in the denied channel; want 1, then no more tries", n)
	}
}

// TestShardsStartTogether: Discord allows max_concurrency IDENTIFYs per 5 s (1 here), and
// answers more with op 9, after which discordgo identifies again at once. Two shard processes
// started at the same instant both come up with one IDENTIFY each: shard 1 waits its turn (on
// the manual clock, which the test advances), and takes the application id from Discord.
func TestShardsStartTogether(t *testing.T) {
	t.Parallel()
	clock := schedule.NewManualClock(time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
	fake := discordtest.New(t, discordtest.WithIdentifyConcurrency(1), discordtest.WithClock(clock.Now))
	fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", Channels: []discordtest.Channel{{ID: channelA, Name: "general"}}})
	fake.AddGuild(discordtest.Guild{ID: guildC, Name: "C", Channels: []discordtest.Channel{{ID: channelC, Name: "general"}}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := &env{t: t, fake: fake, db: filepath.Join(t.TempDir(), "shard0.db"), clock: clock, ctx: ctx}
	e1 := e.withDB("shard1.db")
	_, started0 := e.launch([]string{"SHARD_ID", "0", "SHARD_COUNT", "2"}, withIdentifyAfter(clock.After))
	_, started1 := e1.launch([]string{"SHARD_ID", "1", "SHARD_COUNT", "2"}, withIdentifyAfter(clock.After))
	// Shard 1 waits for its turn on the clock (or, without the wait, identifies at once and
	// gets op 9); shard 0 goes first.
	turn, cancelTurn := context.WithTimeout(ctx, 10*time.Second)
	defer cancelTurn()
	go func() {
		fake.Await(turn, func() bool { return fake.IdentifyRejections() > 0 })
		cancelTurn()
	}()
	select {
	case <-clock.Waiting():
	case <-turn.Done():
		t.Errorf("shard 1 did not wait for its turn (IDENTIFYs rejected: %d)", fake.IdentifyRejections())
	}
	if err := fake.WaitReadyShard(ctx, 0); err != nil {
		t.Fatal(err)
	}
	clock.Advance(6 * time.Second)
	ready, cancelReady := context.WithTimeout(ctx, 15*time.Second)
	defer cancelReady()
	if err := fake.WaitReadyShard(ready, 1); err != nil {
		t.Fatalf("shard 1 is not ready: %v (identifies %d, rejected %d)", err, fake.Identifies(), fake.IdentifyRejections())
	}
	for i, c := range []<-chan *app{started0, started1} {
		select {
		case <-c:
		case <-ready.Done():
			t.Fatalf("shard %d did not start", i)
		}
	}
	if n, r := fake.Identifies(), fake.IdentifyRejections(); n != 2 || r != 0 {
		t.Errorf("IDENTIFYs = %d, rejected %d; want 2, none rejected", n, r)
	}
	if n := fake.CommandOverwrites(); n != 1 {
		t.Errorf("command overwrites = %d; want 1 (shard 0)", n)
	}
	// Each shard serves its own server.
	for _, g := range []struct{ guild, channel string }{{guildA, channelA}, {guildC, channelC}} {
		if r := e.wait(fake.Slash(g.guild, g.channel, ada, "streak")); r.Type != 4 {
			t.Errorf("/streak in %s = type %d", g.guild, r.Type)
		}
	}
}

// TestRESTRateIsShared: Discord's global limit is per bot token, across all shards, so each
// process takes its share: with SHARD_COUNT=2, a daily fan-out of 30 servers on shard 0 sends
// at most 24 posts in any second (48/2), not 48. REST_RATE sets it; bad values are refused.
func TestRESTRateIsShared(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env  map[string]string
		want int
	}{
		{map[string]string{}, 48},
		{map[string]string{"SHARD_COUNT": "2"}, 24},
		{map[string]string{"SHARD_COUNT": "5"}, 9},
		{map[string]string{"SHARD_COUNT": "100", "SHARD_ID": "99"}, 1},
		{map[string]string{"SHARD_COUNT": "2", "REST_RATE": "30"}, 30},
	} {
		cfg, err := parseConfig(nil, func(k string) string { return c.env[k] }, io.Discard, io.Discard)
		if err != nil || cfg.RESTRate != c.want {
			t.Errorf("parseConfig(%v): RESTRate %d, %v; want %d", c.env, cfg.RESTRate, err, c.want)
		}
	}
	for _, bad := range []string{"0", "51", "fast"} {
		if _, err := parseConfig(nil, func(k string) string { return map[string]string{"REST_RATE": bad}[k] }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-rest-rate (REST_RATE)") {
			t.Errorf("REST_RATE=%s: %v; want refused", bad, err)
		}
	}

	e := newEnv(t)
	const servers = 50
	var guilds []string
	for k := range servers {
		g := strconv.FormatUint(100000000000000100+uint64(k+1)<<23, 10) // shard 0 of 2, like guildA
		if discordtest.ShardOf(g, 2) != 0 {
			t.Fatalf("guild %s is not on shard 0", g)
		}
		ch := strconv.FormatUint(200000000000001000+uint64(k), 10)
		e.fake.AddGuild(discordtest.Guild{ID: g, Name: "G", Channels: []discordtest.Channel{{ID: ch, Name: "daily"}}})
		guilds = append(guilds, g+"/"+ch)
	}
	b := e.startEnv([]string{"SHARD_ID", "0", "SHARD_COUNT", "2"})
	for _, gc := range guilds {
		g, ch, _ := strings.Cut(gc, "/")
		a := quiz.Actor{Guild: quiz.GuildID(mustID(t, g)), User: 1, Manager: true}
		if _, err := b.app.domain.Daily.Setup(e.ctx, a, quiz.DailyRequest{Channel: quiz.ChannelID(mustID(t, ch)), At: "09:00", TZ: "UTC"}); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	var at []time.Time
	for _, r := range e.fake.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") && r.Status == 200 {
			at = append(at, r.At)
		}
	}
	if len(at) != servers {
		t.Fatalf("%d daily posts; want %d", len(at), servers)
	}
	slices.SortFunc(at, time.Time.Compare)
	// The limiter spaces requests 1/24 s apart, so the posts span at least 29/24 s at the bot;
	// at the whole token's 48/s they would span 29/48 s. The fake timestamps requests when it
	// handles them, and a loaded machine bunches them by up to a few hundred ms, so the span is
	// held to 80% of the share's, which the 48/s rate would still fail.
	want := (servers - 1) * time.Second / 24 * 8 / 10
	if span := at[len(at)-1].Sub(at[0]); span < want {
		t.Errorf("shard 0 of 2 sent %d posts in %v; want at least %v (24/s, its share of 48)", servers, span, want)
	}
}

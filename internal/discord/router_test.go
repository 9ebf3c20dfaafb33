package discord

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestActorOfPermissions: a member manages the bot with Manage Server or Administrator, read from
// the member.permissions Discord computed; nothing else (roles, other bits, a DM user) makes a
// Manager. Discord sends every bit to administrators, but the bot does not rely on that: the
// Administrator bit alone counts.
func TestActorOfPermissions(t *testing.T) {
	for _, c := range []struct {
		name, perms string
		manager     bool
	}{
		{"none", `"0"`, false},
		{"send messages and the rest of a member's usual bits", fmt.Sprintf(`"%d"`, discordgo.PermissionSendMessages|discordgo.PermissionViewChannel|discordgo.PermissionManageMessages), false},
		{"manage roles and channels, not the server", fmt.Sprintf(`"%d"`, discordgo.PermissionManageRoles|discordgo.PermissionManageChannels), false},
		{"manage server", `"32"`, true},
		{"administrator bit alone", `"8"`, true},
		{"everything (owner or administrator as Discord computes it)", `"4503599627370495"`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := `{"id":"1","type":2,"guild_id":"100","channel_id":"200","locale":"en-US","data":{"id":"9","name":"bank","type":1},
				"member":{"user":{"id":"300","username":"u"},"roles":["400","401"],"permissions":` + c.perms + `}}`
			var i discordgo.Interaction
			if err := json.Unmarshal([]byte(raw), &i); err != nil {
				t.Fatal(err)
			}
			a := actorOf(&i)
			if a.Manager != c.manager {
				t.Errorf("actorOf(permissions %s).Manager = %v; want %v", c.perms, a.Manager, c.manager)
			}
			if a.Guild != 100 || a.User != 300 || !slices.Equal(a.Roles, []quiz.RoleID{400, 401}) {
				t.Errorf("actorOf = %+v; want guild 100, user 300, roles [400 401]", a)
			}
		})
	}
	// In a DM there is no member, so no permissions at all.
	var dm discordgo.Interaction
	if err := json.Unmarshal([]byte(`{"id":"1","type":2,"channel_id":"200","user":{"id":"300","username":"u"},"data":{"id":"9","name":"bank","type":1}}`), &dm); err != nil {
		t.Fatal(err)
	}
	if a := actorOf(&dm); a.Manager || a.Guild != 0 || a.User != 300 {
		t.Errorf("actorOf(DM) = %+v; want a non-manager user without a guild", a)
	}
}

// TestCustomIDsStayWireCompatible: buttons on messages posted by earlier versions keep
// working, so every released action string still parses to the same action and argument.
func TestCustomIDsStayWireCompatible(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want customID
	}{
		{"v1:answer:7", customID{Action: actAnswer, ID: 7}},
		{"v1:submit:7", customID{Action: actSubmit, ID: 7}},
		{"v1:reveal:7", customID{Action: actReveal, ID: 7}},
		{"v1:next:7", customID{Action: actNext, ID: 7}},
		{"v1:close:7", customID{Action: actClose, ID: 7}},
		{"v1:grade:7:good", customID{Action: actGrade, ID: 7, Arg: "good"}},
		{"v1:report:7", customID{Action: actReport, ID: 7}},
		{"v1:rsubmit:7", customID{Action: actReportSend, ID: 7}},
		{"v1:full:7", customID{Action: actFull, ID: 7}},
		{"v1:forget:0", customID{Action: actForget}},
		{"v1:page:2:tcp#n", customID{Action: actPage, ID: 2, Arg: "tcp#n"}},
		{"v1:confirm:3", customID{Action: actConfirm, ID: 3}},
		{"v1:cancel:3", customID{Action: actCancel, ID: 3}},
		{"v1:resolve:4", customID{Action: actResolve, ID: 4}},
		{"v1:add1:5", customID{Action: actAdd1, ID: 5}},
		{"v1:add2:5", customID{Action: actAdd2Open, ID: 5}},
		{"v1:add2m:5", customID{Action: actAdd2, ID: 5}},
		{"v1:edit:6:zh/tcp-handshake", customID{Action: actEdit, ID: 6, Arg: "zh/tcp-handshake"}},
		{"v1:hint:7", customID{Action: actHint, ID: 7}},
		{"v1:check:7", customID{Action: actCheck, ID: 7}},
		{"v1:weak:0", customID{Action: actWeak}},
	} {
		got, err := parseCustomID(tc.id)
		if err != nil || got != tc.want {
			t.Errorf("parseCustomID(%q) = %+v, %v; want %+v", tc.id, got, err, tc.want)
		}
		if got.String() != tc.id {
			t.Errorf("%+v.String() = %q; want %q", got, got.String(), tc.id)
		}
	}
	for _, bad := range []string{"v1:grade:7:meh", "v1:grade:7", "v1:hint2:7", "v2:answer:7", "v1:answer:x", "v1::7"} {
		if c, err := parseCustomID(bad); err == nil {
			t.Errorf("parseCustomID(%q) = %+v; want an error", bad, c)
		}
	}
}

func TestTablesAreComplete(t *testing.T) {
	for name, a := range actions {
		if a.run == nil {
			t.Errorf("action %q has no handler", name)
		}
		if a.form && (a.how == deferUpdate && !a.onMessage || a.how == deferNever) {
			t.Errorf("form %q defers as %d; a form's submission answers with a message (or, opened from a message, updates it)", name, a.how)
		}
	}
	seen := map[string]bool{}
	for _, c := range commandTable {
		name := c.def.Name
		if seen[name] {
			t.Errorf("command %q is in the table twice", name)
		}
		seen[name] = true
		if (c.run == nil) == (len(c.subs) == 0) {
			t.Errorf("command %q: want either a handler or subcommands", name)
		}
		for _, s := range c.subs {
			if s.run == nil || s.def.Type != discordgo.ApplicationCommandOptionSubCommand {
				t.Errorf("/%s %s: no handler, or not a subcommand", name, s.def.Name)
			}
			if _, got, ok := commandRoute(name, s.def.Name); !ok || got.run == nil {
				t.Errorf("commandRoute(%q, %q) found nothing", name, s.def.Name)
			}
		}
	}
}

// TestRouteMatchesKind: a form's action does not route a button, nor the reverse, and unknown
// commands or custom ids route nowhere.
func TestRouteMatchesKind(t *testing.T) {
	b := &Bot{}
	click := func(id string) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: id}}
	}
	submit := func(id string) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Data: discordgo.ModalSubmitInteractionData{CustomID: id}}
	}
	slash := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: name, Options: opts}}
	}
	sub := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Options: opts}
	}
	file := &discordgo.ApplicationCommandInteractionDataOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Value: "1"}
	private := &discordgo.ApplicationCommandInteractionDataOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Value: true}
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
		ok   bool
		how  deferKind
	}{
		{"Answer button", click("v1:answer:1"), true, deferNever},
		{"Close button", click("v1:close:1"), true, deferUpdate},
		{"answer form", submit("v1:submit:1"), true, deferPrivate},
		{"answer form's id on a button", click("v1:submit:1"), false, 0},
		{"Close button's id on a form", submit("v1:close:1"), false, 0},
		{"unknown action", click("v1:hint2:1"), false, 0},
		{"checklist select", click("v1:check:1"), true, deferUpdate},
		{"/interview", slash("interview"), true, deferPublic},
		{"/interview private", slash("interview", private), true, deferPrivate},
		{"/bank add", slash("bank", sub("add")), true, deferNever},
		{"/bank add file", slash("bank", sub("add", file)), true, deferPrivate},
		{"/bank edit", slash("bank", sub("edit")), true, deferNever},
		{"/bank list", slash("bank", sub("list")), true, deferPrivate},
		{"/bank without a subcommand", slash("bank"), false, 0},
		{"/bank unknown", slash("bank", sub("frobnicate")), false, 0},
		{"unknown command", slash("frobnicate"), false, 0},
	} {
		rt, ok := b.route(tc.i)
		if ok != tc.ok || (ok && rt.how != tc.how) {
			t.Errorf("%s: route = how %d, %v; want how %d, %v", tc.name, rt.how, ok, tc.how, tc.ok)
		}
	}
}

// TestOwnReply: a button that rewrites its message acts only on the clicker's own ephemeral
// reply, as interaction_metadata names it; a public message, someone else's reply or a
// message without metadata (a channel post) is not theirs.
func TestOwnReply(t *testing.T) {
	const clicker = `"member":{"user":{"id":"300","username":"u"},"permissions":"0"}`
	for _, c := range []struct {
		name, message, who string
		want               bool
	}{
		{"own ephemeral reply", `{"id":"7","channel_id":"200","flags":64,"interaction_metadata":{"id":"5","type":2,"user":{"id":"300"}}}`, clicker, true},
		{"own reply in a DM-shaped payload", `{"id":"7","channel_id":"200","flags":64,"interaction_metadata":{"id":"5","type":2,"user":{"id":"300"}}}`, `"user":{"id":"300","username":"u"}`, true},
		{"someone else's ephemeral reply", `{"id":"7","channel_id":"200","flags":64,"interaction_metadata":{"id":"5","type":2,"user":{"id":"301"}}}`, clicker, false},
		{"own public reply", `{"id":"7","channel_id":"200","flags":0,"interaction_metadata":{"id":"5","type":2,"user":{"id":"300"}}}`, clicker, false},
		{"a channel post", `{"id":"7","channel_id":"200","flags":64}`, clicker, false},
		{"metadata without a user", `{"id":"7","channel_id":"200","flags":64,"interaction_metadata":{"id":"5","type":2}}`, clicker, false},
		{"no message", ``, clicker, false},
		{"no clicker", `{"id":"7","channel_id":"200","flags":64,"interaction_metadata":{"id":"5","type":2,"user":{"id":""}}}`, `"member":{"user":{"id":"","username":"u"}}`, false},
	} {
		raw := `{"id":"1","type":3,"guild_id":"100","channel_id":"200","data":{"custom_id":"v1:forget:0","component_type":2},` + c.who
		if c.message != "" {
			raw += `,"message":` + c.message
		}
		var i discordgo.Interaction
		if err := json.Unmarshal([]byte(raw+"}"), &i); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := ownReply(&i); got != c.want {
			t.Errorf("ownReply(%s) = %v; want %v", c.name, got, c.want)
		}
	}
}

// TestMessageRewritingButtonsNeedTheirOwnReply: every button that updates the message it is on
// sits on the clicker's private reply and is marked ownReply, except Close, which sits on a
// public question and is checked against the session's message instead, and a mock
// interview's, checked against the mock's buttons on the message (onMock).
func TestMessageRewritingButtonsNeedTheirOwnReply(t *testing.T) {
	for name, a := range actions {
		if a.how == deferUpdate && name != actClose && !a.ownReply && !a.onMock {
			t.Errorf("action %s updates its message but is marked neither ownReply nor onMock", name)
		}
		if a.onMock && !mockAction(name) {
			t.Errorf("action %s is marked onMock but is not a mock action", name)
		}
		if a.ownReply && (a.form || a.how != deferUpdate) {
			t.Errorf("action %s is marked ownReply but does not update its message", name)
		}
	}
}

// TestCarriesSession: a message is a session's only if one of its buttons names the session.
func TestCarriesSession(t *testing.T) {
	msg := func(ids ...string) *discordgo.Message {
		var row discordgo.ActionsRow
		for _, id := range ids {
			row.Components = append(row.Components, discordgo.Button{Label: "x", CustomID: id})
		}
		raw, _ := json.Marshal(map[string]any{"id": "7", "channel_id": "200", "components": []any{row}})
		var m discordgo.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	for _, c := range []struct {
		name string
		m    *discordgo.Message
		want bool
	}{
		{"its question", msg("v1:answer:12", "v1:reveal:12", "v1:close:12"), true},
		{"its public reveal", msg("v1:full:12"), true},
		{"another session's question", msg("v1:answer:13", "v1:close:13"), false},
		{"an id that only starts the same", msg("v1:answer:123"), false},
		{"another action with the same id", msg("v1:resolve:12", "v1:page:12:tcp"), false},
		{"another version", msg("v2:answer:12"), false},
		{"no buttons", msg(), false},
		{"no message", nil, false},
	} {
		if got := carriesSession(c.m, 12); got != c.want {
			t.Errorf("carriesSession(%s, 12) = %v; want %v", c.name, got, c.want)
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// End-to-end tests of issue 11: what Discord really does where the fake used to be kinder.
// Each turns on the fake's rule it relies on.

const learnersRole = "400000000000000031" // a mentionable role of server A

// TestCommandsRegisteredForServersOnly: every command is registered for servers only with the
// current fields (contexts [0] = guild, integration_types [0] = guild install), not the
// deprecated dm_permission.
func TestCommandsRegisteredForServersOnly(t *testing.T) {
	e := newEnv(t)
	e.start(hooks{})
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
	e := newEnv(t)
	e.start(hooks{})
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
	e := newEnv(t)
	e.fake.SetRole(guildA, discordtest.Role{ID: learnersRole, Name: "learners", Mentionable: true})
	e.start(hooks{})
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
type noExport struct{ discord.Quiz }

func (noExport) ExportBank(context.Context, quiz.Actor, quiz.BankCodec, string) ([]quiz.ExportedFile, error) {
	return nil, nil
}

// TestFallbackAcknowledgement: a slash command whose handler sent nothing is still answered,
// with a type Discord accepts for a command (not 6, which only a button or a form opened from
// one may take; the fake fails the test on it).
func TestFallbackAcknowledgement(t *testing.T) {
	e := newEnv(t)
	e.start(hooks{wrapQuiz: func(q discord.Quiz) discord.Quiz { return noExport{q} }})
	ix := e.fake.Slash(guildA, channelA, mod, "bank", sub("export"))
	r := e.wait(ix)
	if r.Type != 4 || r.Flags&64 == 0 {
		t.Errorf("/bank export with nothing to send answered type %d flags %d; want a private reply (4)", r.Type, r.Flags)
	}
}

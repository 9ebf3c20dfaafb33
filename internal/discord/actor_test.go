package discord

import (
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestActorOfManager checks the one place the bot decides from Discord's data whether a member
// manages the server: Administrator or Manage Server in the member's permissions for this
// channel, and nothing else (other bits, the role list, a DM's user object).
func TestActorOfManager(t *testing.T) {
	for _, tc := range []struct {
		name  string
		perms int64
		want  bool
	}{
		{"no permissions", 0, false},
		{"Manage Server", discordgo.PermissionManageGuild, true},
		{"Administrator", discordgo.PermissionAdministrator, true},
		{"both", discordgo.PermissionManageGuild | discordgo.PermissionAdministrator, true},
		{"Manage Server among others", discordgo.PermissionManageGuild | discordgo.PermissionSendMessages | discordgo.PermissionManageRoles, true},
		{"Manage Messages, Roles, Channels, Kick, Ban: not a manager", discordgo.PermissionManageMessages |
			discordgo.PermissionManageRoles | discordgo.PermissionManageChannels | discordgo.PermissionKickMembers |
			discordgo.PermissionBanMembers | discordgo.PermissionViewAuditLogs, false},
		{"every bit but those two", ^int64(0) &^ (discordgo.PermissionManageGuild | discordgo.PermissionAdministrator), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := &discordgo.Interaction{GuildID: "10", Member: &discordgo.Member{
				User: &discordgo.User{ID: "20", Username: "ada"}, Permissions: tc.perms}}
			if got := actorOf(i).Manager; got != tc.want {
				t.Errorf("actorOf(permissions %#x).Manager = %v; want %v", tc.perms, got, tc.want)
			}
		})
	}
}

// TestActorOfDMIsNeverManager: in a DM there is no member and no server to manage, whatever the
// user object says.
func TestActorOfDMIsNeverManager(t *testing.T) {
	i := &discordgo.Interaction{User: &discordgo.User{ID: "20", Username: "ada"}, Locale: discordgo.ChineseCN}
	a := actorOf(i)
	want := quiz.Actor{User: 20, Name: "ada", Locale: "zh-CN"}
	if a.Manager || a.Guild != 0 || a.User != want.User || a.Name != want.Name || a.Locale != want.Locale || a.Roles != nil {
		t.Errorf("actorOf(DM) = %+v; want %+v", a, want)
	}
}

// TestActorOfIdentity: the guild, the user, the roles (for the moderator role) and the display
// name come from the member; bad snowflakes become 0, which matches no role or user.
func TestActorOfIdentity(t *testing.T) {
	member := func(nick, global string) *discordgo.Interaction {
		return &discordgo.Interaction{GuildID: "100", Locale: discordgo.EnglishUS, Member: &discordgo.Member{
			Nick: nick, Roles: []string{"7", "8", "x"},
			User: &discordgo.User{ID: " 42 ", Username: "user", GlobalName: global}}}
	}
	a := actorOf(member("", ""))
	if a.Guild != 100 || a.User != 42 || a.Locale != "en-US" || !slices.Equal(a.Roles, []quiz.RoleID{7, 8, 0}) {
		t.Errorf("actorOf = %+v; want guild 100, user 42, en-US, roles [7 8 0]", a)
	}
	for _, tc := range []struct{ nick, global, want string }{
		{"", "", "user"},
		{"", "Global", "Global"},
		{"Nick", "Global", "Nick"},
		{"Nick", "", "Nick"},
	} {
		if got := actorOf(member(tc.nick, tc.global)).Name; got != tc.want {
			t.Errorf("name with nick %q, global name %q = %q; want %q", tc.nick, tc.global, got, tc.want)
		}
	}
	if a := actorOf(&discordgo.Interaction{GuildID: "1", Member: &discordgo.Member{Nick: "n"}}); a.User != 0 || a.Name != "n" {
		t.Errorf("a member without a user object = %+v; want user 0", a)
	}
	if a := actorOf(&discordgo.Interaction{}); a.User != 0 || a.Name != "" || a.Manager {
		t.Errorf("an interaction without member or user = %+v; want the zero actor", a)
	}
}

func TestParseSnowflake(t *testing.T) {
	for in, want := range map[string]uint64{"123": 123, " 123\n": 123, "": 0, "-1": 0, "1e3": 0, "18446744073709551616": 0,
		"18446744073709551615": 18446744073709551615} {
		if got := parseSnowflake(in); got != want {
			t.Errorf("parseSnowflake(%q) = %d; want %d", in, got, want)
		}
	}
}

// TestInteractionName: the command and subcommand, or the component or modal action, as logs
// and the interactions_total metric name them.
func TestInteractionName(t *testing.T) {
	cmd := func(opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand,
			Data: discordgo.ApplicationCommandInteractionData{Name: "daily", Options: opts}}
	}
	for _, tc := range []struct {
		i    *discordgo.Interaction
		want string
	}{
		{cmd(), "daily"},
		{cmd(&discordgo.ApplicationCommandInteractionDataOption{Name: "setup", Type: discordgo.ApplicationCommandOptionSubCommand}), "daily setup"},
		{cmd(&discordgo.ApplicationCommandInteractionDataOption{Name: "topic", Type: discordgo.ApplicationCommandOptionString}), "daily"},
		{&discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete,
			Data: discordgo.ApplicationCommandInteractionData{Name: "interview"}}, "interview"},
		{&discordgo.Interaction{Type: discordgo.InteractionMessageComponent,
			Data: discordgo.MessageComponentInteractionData{CustomID: "v1:answer:5"}}, "button answer"},
		{&discordgo.Interaction{Type: discordgo.InteractionMessageComponent,
			Data: discordgo.MessageComponentInteractionData{CustomID: "v0:answer:5"}}, "button ?"},
		{&discordgo.Interaction{Type: discordgo.InteractionModalSubmit,
			Data: discordgo.ModalSubmitInteractionData{CustomID: "v1:submit:5"}}, "modal submit"},
		{&discordgo.Interaction{Type: discordgo.InteractionModalSubmit,
			Data: discordgo.ModalSubmitInteractionData{CustomID: "junk"}}, "modal ?"},
		{&discordgo.Interaction{Type: discordgo.InteractionPing}, "type 1"},
	} {
		if got := interactionName(tc.i); got != tc.want {
			t.Errorf("interactionName(%+v) = %q; want %q", tc.i.Data, got, tc.want)
		}
	}
}

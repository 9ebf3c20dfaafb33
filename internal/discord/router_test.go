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

package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestFromMessage: only a button, or a form opened from one, may take the update callbacks
// (6, 7); the fallback acknowledgement of a command or of a form opened by a command replies.
func TestFromMessage(t *testing.T) {
	msg := &discordgo.Message{ID: "1"}
	for _, c := range []struct {
		name string
		i    *discordgo.Interaction
		want bool
	}{
		{"slash command", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}, false},
		{"form opened by a command", &discordgo.Interaction{Type: discordgo.InteractionModalSubmit}, false},
		{"form opened by a button", &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Message: msg}, true},
		{"button", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Message: msg}, true},
	} {
		if got := fromMessage(c.i); got != c.want {
			t.Errorf("fromMessage(%s) = %v; want %v", c.name, got, c.want)
		}
	}
}

package discord

import (
	"testing"
	"time"

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

// TestIdentifyWait: shards of one bucket (shard_id % max_concurrency) IDENTIFY one interval
// (plus a margin) apart, in shard order; the first of each bucket at once.
func TestIdentifyWait(t *testing.T) {
	step := identifyInterval + identifyMargin
	for _, c := range []struct {
		shard, mc int
		want      time.Duration
	}{
		{0, 1, 0}, {1, 1, step}, {3, 1, 3 * step},
		{0, 2, 0}, {1, 2, 0}, {2, 2, step}, {3, 2, step}, {4, 2, 2 * step},
		{15, 16, 0}, {16, 16, step},
		{1, 0, step}, // max_concurrency missing: treated as 1
	} {
		if got := identifyWait(c.shard, c.mc); got != c.want {
			t.Errorf("identifyWait(%d, %d) = %v; want %v", c.shard, c.mc, got, c.want)
		}
	}
}

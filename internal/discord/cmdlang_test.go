package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestCommandsInChinese: every command, subcommand, option and choice a member can see in the
// command picker has its Chinese text, in Discord's own localization fields (Discord shows
// them by the client's language, so they are not in the message catalogue).
func TestCommandsInChinese(t *testing.T) {
	var walk func(where, desc string, dl map[discordgo.Locale]string, os []*discordgo.ApplicationCommandOption)
	walk = func(where, desc string, dl map[discordgo.Locale]string, os []*discordgo.ApplicationCommandOption) {
		if desc != "" && dl[discordgo.ChineseCN] == "" {
			t.Errorf("%s: description %q has no Chinese", where, desc)
		}
		for _, o := range os {
			for _, ch := range o.Choices {
				if ch.NameLocalizations[discordgo.ChineseCN] == "" {
					t.Errorf("%s.%s: choice %q has no Chinese", where, o.Name, ch.Name)
				}
			}
			walk(where+"."+o.Name, o.Description, o.DescriptionLocalizations, o.Options)
		}
	}
	cmds := commands()
	if len(cmds) < 5 {
		t.Fatalf("only %d commands", len(cmds))
	}
	for _, c := range cmds {
		var dl map[discordgo.Locale]string
		if c.DescriptionLocalizations != nil {
			dl = *c.DescriptionLocalizations
		}
		walk(c.Name, c.Description, dl, c.Options)
	}
}

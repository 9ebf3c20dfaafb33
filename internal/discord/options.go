package discord

import (
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// opts reads command options without trusting their types: discordgo's typed getters panic on a
// mismatch, and an interaction's payload is outside input.
type opts map[string]*discordgo.ApplicationCommandInteractionDataOption

// commandOptions returns the subcommand name (if any) and the options under it.
func commandOptions(d discordgo.ApplicationCommandInteractionData) (string, opts) {
	list := d.Options
	sub := ""
	if len(list) == 1 && (list[0].Type == discordgo.ApplicationCommandOptionSubCommand || list[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		sub, list = list[0].Name, list[0].Options
	}
	o := opts{}
	for _, opt := range list {
		if opt != nil {
			o[opt.Name] = opt
		}
	}
	return sub, o
}

func (o opts) str(name string) string {
	if v, ok := o[name]; ok {
		if s, ok := v.Value.(string); ok {
			return s
		}
	}
	return ""
}

func (o opts) boolean(name string) bool {
	if v, ok := o[name]; ok {
		if b, ok := v.Value.(bool); ok {
			return b
		}
	}
	return false
}

func (o opts) number(name string) (float64, bool) {
	if v, ok := o[name]; ok {
		switch n := v.Value.(type) {
		case float64:
			return n, true
		case string:
			f, err := strconv.ParseFloat(n, 64)
			return f, err == nil
		}
	}
	return 0, false
}

// id reads a snowflake option (user, role, channel, attachment): Discord sends them as strings.
func (o opts) id(name string) uint64 {
	return parseSnowflake(o.str(name))
}

// focused returns the option being typed in an autocomplete interaction.
func (o opts) focused() (*discordgo.ApplicationCommandInteractionDataOption, bool) {
	for _, v := range o {
		if v.Focused {
			return v, true
		}
	}
	return nil, false
}

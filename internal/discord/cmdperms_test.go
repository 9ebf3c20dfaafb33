package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestCommandAllowed: Discord's rule for who may use a command, overrides included (the same
// cases the fake's TestCommandDeliveryByPermissions drives through the wire).
func TestCommandAllowed(t *testing.T) {
	const (
		guild, app, cmd, ch, parent = "200000000000000001", "100", "900", "201", "202"
		allChannels                 = "200000000000000000"
		role, other, user           = "301", "302", "401"
	)
	ov := func(id string, typ discordgo.ApplicationCommandPermissionType, allow bool) *discordgo.ApplicationCommandPermissions {
		return &discordgo.ApplicationCommandPermissions{ID: id, Type: typ, Permission: allow}
	}
	plain := member{id: user, roles: []string{role}}
	manager := member{id: user, perms: permManageGuild}
	for _, c := range []struct {
		name string
		ov   map[string][]*discordgo.ApplicationCommandPermissions
		at   place
		m    member
		want bool
	}{
		{"default: Manage Server", nil, place{guild: guild, channel: ch}, manager, true},
		{"default: a member without it", nil, place{guild: guild, channel: ch}, plain, false},
		{"owner", nil, place{guild: guild, channel: ch}, member{id: user, owner: true}, true},
		{"Administrator despite a deny", map[string][]*discordgo.ApplicationCommandPermissions{cmd: {ov(user, overrideUser, false)}},
			place{guild: guild, channel: ch}, member{id: user, perms: permAdministrator}, true},
		{"role allowed on the command", map[string][]*discordgo.ApplicationCommandPermissions{cmd: {ov(role, overrideRole, true)}},
			place{guild: guild, channel: ch}, plain, true},
		{"role allowed on the app", map[string][]*discordgo.ApplicationCommandPermissions{app: {ov(role, overrideRole, true)}},
			place{guild: guild, channel: ch}, plain, true},
		{"the command's overrides replace the app's", map[string][]*discordgo.ApplicationCommandPermissions{
			cmd: {ov(other, overrideRole, true)}, app: {ov(role, overrideRole, true)}}, place{guild: guild, channel: ch}, plain, true},
		{"user deny beats role allow", map[string][]*discordgo.ApplicationCommandPermissions{cmd: {ov(role, overrideRole, true), ov(user, overrideUser, false)}},
			place{guild: guild, channel: ch}, plain, false},
		{"@everyone deny replaces Manage Server", map[string][]*discordgo.ApplicationCommandPermissions{cmd: {ov(guild, overrideRole, false)}},
			place{guild: guild, channel: ch}, manager, false},
		{"any role allow wins", map[string][]*discordgo.ApplicationCommandPermissions{cmd: {ov(role, overrideRole, true), ov(other, overrideRole, false)}},
			place{guild: guild, channel: ch}, member{id: user, roles: []string{role, other}}, true},
		{"channel deny", map[string][]*discordgo.ApplicationCommandPermissions{app: {ov(ch, overrideChannel, false)}, cmd: {ov(user, overrideUser, true)}},
			place{guild: guild, channel: ch}, plain, false},
		{"all channels denied, this one allowed", map[string][]*discordgo.ApplicationCommandPermissions{app: {ov(allChannels, overrideChannel, false), ov(ch, overrideChannel, true)}},
			place{guild: guild, channel: ch}, manager, true},
		{"all channels denied", map[string][]*discordgo.ApplicationCommandPermissions{app: {ov(allChannels, overrideChannel, false)}},
			place{guild: guild, channel: ch}, manager, false},
		{"a thread takes its parent's channel override", map[string][]*discordgo.ApplicationCommandPermissions{app: {ov(parent, overrideChannel, false)}},
			place{guild: guild, channel: ch, parent: parent}, manager, false},
	} {
		if got := commandAllowed(c.ov, cmd, app, c.at, c.m, permManageGuild); got != c.want {
			t.Errorf("%s: commandAllowed() = %v; want %v", c.name, got, c.want)
		}
	}
}

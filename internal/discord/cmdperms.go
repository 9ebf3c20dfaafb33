package discord

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Moderators, as Discord decides them.
//
// /bank and /daily are registered with default_member_permissions = Manage Server, so Discord
// shows and delivers them only to members with Manage Server, unless a server's admins add
// overrides in Server Settings → Integrations (a role, a member, or a channel; for one command
// or for the whole app). A bot token cannot write those overrides, but it can read them, and
// the gateway says when they change. The bot honours them: a member Discord lets use /bank or
// /daily is a moderator for the bot too (quiz.Actor.Moderator), besides Manage Server and the
// moderator role. commandAllowed is Discord's rule; cmdPerms caches each server's overrides,
// read once (GET .../commands/permissions) and kept current by
// APPLICATION_COMMAND_PERMISSIONS_UPDATE.

// Command permission override types (interactions/application-commands.mdx).
const (
	overrideRole    = discordgo.ApplicationCommandPermissionTypeRole
	overrideUser    = discordgo.ApplicationCommandPermissionTypeUser
	overrideChannel = discordgo.ApplicationCommandPermissionTypeChannel
)

// cmdPerms is the bot's copy of Discord's command permissions.
type cmdPerms struct {
	mu  sync.Mutex
	ids map[string]string // command name -> id, from the registration (or a listing)
	// guilds holds each server's overrides by command id (or the app id: every command
	// without its own), once read, for at most cmdPermsTTL (an update the gateway did not
	// deliver, after a re-IDENTIFY, is then picked up) and for at most maxCmdPermGuilds
	// servers (the least recently read is dropped, and read again when needed). gen counts
	// updates, so a read that raced with one is not kept (it is read again next time).
	guilds map[string]guildOverrides
	gen    uint64
	now    func() time.Time // tests; default time.Now
}

type guildOverrides struct {
	ov   map[string][]*discordgo.ApplicationCommandPermissions
	read time.Time
}

const (
	cmdPermsTTL      = time.Hour
	maxCmdPermGuilds = 10000
)

func newCmdPerms() *cmdPerms {
	return &cmdPerms{ids: map[string]string{}, guilds: map[string]guildOverrides{}, now: time.Now}
}

// cached returns a server's overrides if they were read less than cmdPermsTTL ago. Call with mu held.
func (c *cmdPerms) cached(guildID string) (map[string][]*discordgo.ApplicationCommandPermissions, bool) {
	g, ok := c.guilds[guildID]
	if !ok {
		return nil, false
	}
	if c.now().Sub(g.read) >= cmdPermsTTL {
		delete(c.guilds, guildID)
		return nil, false
	}
	return g.ov, true
}

// store keeps a server's overrides, making room if needed. Call with mu held.
func (c *cmdPerms) store(guildID string, ov map[string][]*discordgo.ApplicationCommandPermissions) {
	now := c.now()
	makeRoom(c.guilds, guildID, maxCmdPermGuilds, cmdPermsTTL, now, func(g guildOverrides) time.Time { return g.read })
	c.guilds[guildID] = guildOverrides{ov: ov, read: now}
}

// setCommands records the registered commands' ids.
func (c *cmdPerms) setCommands(cmds []*discordgo.ApplicationCommand) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cmd := range cmds {
		c.ids[cmd.Name] = cmd.ID
	}
}

func (c *cmdPerms) commandID(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ids[name]
}

// update applies an APPLICATION_COMMAND_PERMISSIONS_UPDATE: the overrides of one command (or
// of the app) in one server, all of them.
func (c *cmdPerms) update(e *discordgo.GuildApplicationCommandPermissions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	g, ok := c.cached(e.GuildID)
	if !ok {
		return // not read yet: the first check reads them all
	}
	// Copy on write: a check in flight reads the map overrides returned, without the lock.
	g = maps.Clone(g)
	if len(e.Permissions) == 0 {
		delete(g, e.ID)
	} else {
		g[e.ID] = e.Permissions
	}
	c.guilds[e.GuildID] = guildOverrides{ov: g, read: c.guilds[e.GuildID].read}
}

// overrides returns a server's overrides, reading them from Discord the first time. When they
// cannot be read, it returns none (Discord's defaults) and tries again next time.
func (b *Bot) overrides(ctx context.Context, guildID string) map[string][]*discordgo.ApplicationCommandPermissions {
	c := b.perms
	c.mu.Lock()
	if g, ok := c.cached(guildID); ok {
		c.mu.Unlock()
		return g
	}
	c.mu.Unlock()
	return b.readOverrides(ctx, guildID)
}

// readOverrides reads a server's overrides from Discord, caches them and returns them (none
// if they cannot be read).
func (b *Bot) readOverrides(ctx context.Context, guildID string) map[string][]*discordgo.ApplicationCommandPermissions {
	c := b.perms
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	if err := b.lim.wait(ctx); err != nil {
		return nil
	}
	list, err := b.s.GuildApplicationCommandsPermissions(b.appID, guildID, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("discord: could not read the server's command permissions; using the defaults", "guild_id", guildID, "err", err)
		return nil
	}
	g := map[string][]*discordgo.ApplicationCommandPermissions{}
	for _, p := range list {
		g[p.ID] = p.Permissions
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.store(guildID, g)
	}
	return g
}

// mayUse reports whether Discord lets the interaction's member use one of the named commands
// in the interaction's channel, overrides included.
func (b *Bot) mayUse(ctx context.Context, i *discordgo.Interaction, names ...string) bool {
	if i.GuildID == "" || i.Member == nil || i.Member.User == nil {
		return false
	}
	m := member{id: i.Member.User.ID, roles: i.Member.Roles, perms: i.Member.Permissions}
	if g, err := b.s.State.Guild(i.GuildID); err == nil && g.OwnerID != "" && g.OwnerID == m.id {
		m.owner = true
	}
	where := place{guild: i.GuildID, channel: i.ChannelID}
	if ch, err := b.s.State.Channel(i.ChannelID); err == nil && ch.IsThread() {
		where.parent = ch.ParentID
	}
	if m.owner || m.perms&permAdministrator != 0 {
		return true // no override locks them out: no need to read any
	}
	ov := b.overrides(ctx, i.GuildID)
	for _, name := range names {
		need := int64(0)
		if moderatorCommand(name) {
			need = permManageGuild // the default_member_permissions commands() registers
		}
		if commandAllowed(ov, b.perms.commandID(name), b.appID, where, m, need) {
			return true
		}
	}
	return false
}

// member is who uses a command: their id, roles and permissions in the server.
type member struct {
	id    string
	roles []string
	perms int64
	owner bool
}

// place is where a command is used: the server, the channel and, in a thread, its parent.
type place struct {
	guild, channel, parent string
}

// commandAllowed is Discord's rule for whether a member may use a command in a channel
// (interactions/application-commands.mdx, Permissions; Discord's help on command permissions):
// the owner and Administrator always; a channel override that denies (the channel or a thread's
// parent, else "all channels", id = server id − 1) refuses; then per level, the command's
// overrides and then the app's: the member's own override, else their roles' (any allow wins),
// else @everyone's (id = server id); with none, the command's default_member_permissions (need;
// 0 = no default, everyone).
func commandAllowed(ov map[string][]*discordgo.ApplicationCommandPermissions, cmdID, appID string, at place, m member, need int64) bool {
	if m.owner || m.perms&permAdministrator != 0 {
		return true
	}
	var levels [][]*discordgo.ApplicationCommandPermissions
	if cmdID != "" {
		levels = append(levels, ov[cmdID])
	}
	levels = append(levels, ov[appID])

	chans := []string{at.channel}
	if at.parent != "" {
		chans = append(chans, at.parent)
	}
	if v, ok := firstOverride(levels, overrideChannel, chans); ok {
		if !v {
			return false
		}
	} else if gid, err := strconv.ParseUint(at.guild, 10, 64); err == nil {
		if v, ok := firstOverride(levels, overrideChannel, []string{strconv.FormatUint(gid-1, 10)}); ok && !v {
			return false
		}
	}

	for _, ps := range levels {
		if v, ok := matchOverride(ps, overrideUser, []string{m.id}); ok {
			return v
		}
		found, allowed := false, false
		for _, p := range ps {
			if p.Type == overrideRole && p.ID != at.guild && slices.Contains(m.roles, p.ID) {
				found = true
				allowed = allowed || p.Permission
			}
		}
		if found {
			return allowed
		}
		if v, ok := matchOverride(ps, overrideRole, []string{at.guild}); ok {
			return v
		}
	}
	return m.perms&need == need
}

// firstOverride looks for an override of typ for one of ids, the command's level first.
func firstOverride(levels [][]*discordgo.ApplicationCommandPermissions, typ discordgo.ApplicationCommandPermissionType, ids []string) (bool, bool) {
	for _, ps := range levels {
		if v, ok := matchOverride(ps, typ, ids); ok {
			return v, true
		}
	}
	return false, false
}

func matchOverride(ps []*discordgo.ApplicationCommandPermissions, typ discordgo.ApplicationCommandPermissionType, ids []string) (bool, bool) {
	for _, id := range ids {
		for _, p := range ps {
			if p.Type == typ && p.ID == id {
				return p.Permission, true
			}
		}
	}
	return false, false
}

// roleOverride reports whether a server's overrides explicitly allow (or deny) a role the
// named command, on the command's level or else the app's; ok is false when neither says.
func (b *Bot) roleOverride(ov map[string][]*discordgo.ApplicationCommandPermissions, name, roleID string) (allow, ok bool) {
	var levels [][]*discordgo.ApplicationCommandPermissions
	if id := b.perms.commandID(name); id != "" {
		levels = append(levels, ov[id])
	}
	levels = append(levels, ov[b.appID])
	return firstOverride(levels, overrideRole, []string{roleID})
}

// moderatorCommand reports whether the named command is a moderators' one.
func moderatorCommand(name string) bool {
	for _, c := range commandTable {
		if c.def.Name == name {
			return c.moderators
		}
	}
	return false
}

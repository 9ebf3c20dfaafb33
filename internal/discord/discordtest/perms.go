package discordtest

import (
	"slices"
	"strconv"
)

// Permission bits the fake uses, from discord-api-docs
// developers/topics/permissions.mdx ("Bitwise Permission Flags").
const (
	PermAdministrator         int64 = 1 << 3
	PermManageGuild           int64 = 1 << 5
	PermViewChannel           int64 = 1 << 10
	PermSendMessages          int64 = 1 << 11
	PermManageMessages        int64 = 1 << 13
	PermEmbedLinks            int64 = 1 << 14
	PermReadMessageHistory    int64 = 1 << 16
	PermMentionEveryone       int64 = 1 << 17
	PermManageRoles           int64 = 1 << 28
	PermManageThreads         int64 = 1 << 34
	PermCreatePublicThreads   int64 = 1 << 35
	PermCreatePrivateThreads  int64 = 1 << 36
	PermSendMessagesInThreads int64 = 1 << 38

	// permAll is every documented bit (up to BYPASS_SLOWMODE, 1 << 52): what
	// the owner and Administrator get.
	permAll int64 = 1<<53 - 1
)

// DefaultBotPermissions is what the bot's managed role grants when the test
// does not say otherwise: View Channel, Send Messages, Embed Links and Read
// Message History, the invite permissions the README asks for. With them and
// no overwrites, the bot may do everything the fake allowed before it
// modelled permissions.
const DefaultBotPermissions = PermViewChannel | PermSendMessages | PermEmbedLinks | PermReadMessageHistory

// Channel types the fake knows (resources/channel.mdx, "Channel Types").
const (
	ChannelText          = 0
	ChannelDM            = 1
	ChannelPublicThread  = 11
	ChannelPrivateThread = 12
)

func isThread(typ int) bool {
	return typ == 10 || typ == ChannelPublicThread || typ == ChannelPrivateThread
}

// Overwrite types (resources/channel.mdx, "Overwrite Object").
const (
	OverwriteRole   = 0
	OverwriteMember = 1
)

// Overwrite is a channel permission overwrite for a role (the @everyone
// role's id is the guild id) or a member. Allow and Deny are decimal strings.
type Overwrite struct {
	ID    string
	Type  int // OverwriteRole or OverwriteMember
	Allow string
	Deny  string
}

// roleInfo is a guild role as the fake computes with it.
type roleInfo struct {
	id, name    string
	perms       int64
	position    int
	mentionable bool
	managed     bool
}

func parsePerms(p string) int64 {
	n, _ := strconv.ParseInt(p, 10, 64)
	return n
}

func fmtPerms(p int64) string { return strconv.FormatInt(p, 10) }

// roles lists the guild's roles: @everyone (id = guild id, position 0), the
// test's roles (position Role.Position, or their index + 1), and the bot's
// managed role (Guild.BotRolePosition, or above every other role).
func (s *Server) roles(g *Guild) []roleInfo {
	out := []roleInfo{{id: g.ID, name: "@everyone", perms: parsePerms(g.EveryonePermissions)}}
	top := 0
	for i, r := range g.Roles {
		pos := r.Position
		if pos == 0 {
			pos = i + 1
		}
		top = max(top, pos)
		out = append(out, roleInfo{id: r.ID, name: r.Name, perms: parsePerms(r.Permissions), position: pos, mentionable: r.Mentionable})
	}
	bp := DefaultBotPermissions
	if g.BotPermissions != "" {
		bp = parsePerms(g.BotPermissions)
	}
	pos := g.BotRolePosition
	if pos == 0 {
		pos = top + 1
	}
	out = append(out, roleInfo{id: g.BotRoleID, name: "interviewbot", perms: bp, position: pos, managed: true})
	return out
}

func (s *Server) role(g *Guild, id string) (roleInfo, bool) {
	for _, r := range s.roles(g) {
		if r.id == id {
			return r, true
		}
	}
	return roleInfo{}, false
}

// botRoleIDs is the roles the bot holds in g: its managed role and BotRoles.
func botRoleIDs(g *Guild) []string {
	return append([]string{g.BotRoleID}, g.BotRoles...)
}

// basePermissions is compute_base_permissions from topics/permissions.mdx
// ("Permission Overwrites"): the owner has everything; else @everyone's
// permissions OR the member's roles'; Administrator means everything.
func (s *Server) basePermissions(g *Guild, userID string, roleIDs []string) int64 {
	if g.OwnerID != "" && g.OwnerID == userID {
		return permAll
	}
	var p int64
	for _, r := range s.roles(g) {
		if r.id == g.ID || slices.Contains(roleIDs, r.id) {
			p |= r.perms
		}
	}
	if p&PermAdministrator != 0 {
		return permAll
	}
	return p
}

// overwritePermissions is compute_overwrites from topics/permissions.mdx:
// the @everyone overwrite, then every role overwrite of the member combined
// (deny then allow), then the member's own overwrite.
func overwritePermissions(base int64, guildID, userID string, roleIDs []string, ows []Overwrite) int64 {
	if base&PermAdministrator != 0 {
		return permAll
	}
	p := base
	for _, o := range ows {
		if o.Type == OverwriteRole && o.ID == guildID {
			p &^= parsePerms(o.Deny)
			p |= parsePerms(o.Allow)
		}
	}
	var allow, deny int64
	for _, o := range ows {
		if o.Type == OverwriteRole && o.ID != guildID && slices.Contains(roleIDs, o.ID) {
			allow |= parsePerms(o.Allow)
			deny |= parsePerms(o.Deny)
		}
	}
	p &^= deny
	p |= allow
	for _, o := range ows {
		if o.Type == OverwriteMember && o.ID == userID {
			p &^= parsePerms(o.Deny)
			p |= parsePerms(o.Allow)
		}
	}
	return p
}

// permissionsIn computes a member's permissions in a guild channel. A thread
// takes its parent's permissions ("Inherited Permissions (Threads)"), and a
// private thread is visible only to its members and to members with Manage
// Threads (topics/threads.mdx), so others lose View Channel there. DenyChannel
// removes Send Messages (and Send Messages in Threads). Call with s.mu held.
func (s *Server) permissionsIn(c *channelState, userID string, roleIDs []string) int64 {
	g := s.guild(c.guildID)
	if g == nil {
		return DefaultBotPermissions
	}
	base := s.basePermissions(g, userID, roleIDs)
	target := c
	if isThread(c.typ) {
		if parent := s.channels[c.parentID]; parent != nil {
			target = parent
		}
	}
	p := overwritePermissions(base, g.ID, userID, roleIDs, target.overwrites)
	if c.typ == ChannelPrivateThread && !c.threadMembers[userID] && p&PermManageThreads == 0 && p&PermAdministrator == 0 {
		p &^= PermViewChannel
	}
	if c.denied || target.denied {
		p &^= PermSendMessages | PermSendMessagesInThreads
	}
	return p
}

// botPermissionsIn is the bot's permissions in a channel: computed for guild
// channels; the default set for DMs and for channels the fake does not know.
// Call with s.mu held.
func (s *Server) botPermissionsIn(c *channelState) int64 {
	if c == nil || c.guildID == "" {
		p := DefaultBotPermissions
		if c != nil && c.denied {
			p &^= PermSendMessages
		}
		return p
	}
	g := s.guild(c.guildID)
	if g == nil {
		return DefaultBotPermissions
	}
	return s.permissionsIn(c, s.cfg.appID, botRoleIDs(g))
}

// botHighestRole is the position of the bot's highest role
// (topics/permissions.mdx, "Permission Hierarchy").
func (s *Server) botHighestRole(g *Guild) roleInfo {
	var best roleInfo
	for _, r := range s.roles(g) {
		if slices.Contains(botRoleIDs(g), r.id) && above(r, best) {
			best = r
		}
	}
	return best
}

// above reports whether role a sorts above role b: a higher position, or the
// same position and a lower id ("roles with the same position are sorted by
// id"; the older role wins, as in the client).
func above(a, b roleInfo) bool {
	if a.position != b.position {
		return a.position > b.position
	}
	ai, _ := strconv.ParseUint(a.id, 10, 64)
	bi, _ := strconv.ParseUint(b.id, 10, 64)
	return ai < bi
}

// ---- configuration API ----

// SetBotPermissions sets the permissions of the bot's managed role in the
// guild (DefaultBotPermissions until then) and sends GUILD_ROLE_UPDATE.
func (s *Server) SetBotPermissions(guildID string, perms int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.mustGuild(guildID)
	if g == nil {
		return
	}
	g.BotPermissions = fmtPerms(perms)
	s.roleUpdated(g, g.BotRoleID)
}

// SetBotRoles sets the roles of Guild.Roles the bot holds besides its managed
// role.
func (s *Server) SetBotRoles(guildID string, roleIDs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.mustGuild(guildID)
	if g == nil {
		return
	}
	g.BotRoles = slices.Clone(roleIDs)
	if sess := s.sessionFor(g.ID); sess != nil {
		m := s.wireMember(User{ID: s.cfg.appID, Username: "interviewbot", Roles: botRoleIDs(g)})
		m["guild_id"] = g.ID
		s.dispatch(g.ID, "GUILD_MEMBER_UPDATE", m, "")
	}
	s.notify()
}

// BotRoleID returns the id of the bot's managed role in the guild.
func (s *Server) BotRoleID(guildID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guild(guildID); g != nil {
		return g.BotRoleID
	}
	return ""
}

// SetRole adds or replaces a role of the guild (matched by id) and sends
// GUILD_ROLE_UPDATE (or GUILD_ROLE_CREATE).
func (s *Server) SetRole(guildID string, r Role) {
	s.mustSnowflake("role", r.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.mustGuild(guildID)
	if g == nil {
		return
	}
	ev := "GUILD_ROLE_CREATE"
	if i := slices.IndexFunc(g.Roles, func(x Role) bool { return x.ID == r.ID }); i >= 0 {
		g.Roles[i] = r
		ev = "GUILD_ROLE_UPDATE"
	} else {
		g.Roles = append(g.Roles, r)
	}
	if ri, ok := s.role(g, r.ID); ok {
		s.dispatch(g.ID, ev, map[string]any{"guild_id": g.ID, "role": wireRole(ri)}, "")
	}
	s.notify()
}

// SetChannelOverwrites replaces the permission overwrites of a guild channel
// and sends CHANNEL_UPDATE.
func (s *Server) SetChannelOverwrites(channelID string, ows ...Overwrite) {
	for _, o := range ows {
		s.mustSnowflake("overwrite", o.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil || c.guildID == "" {
		s.t.Errorf("discordtest: SetChannelOverwrites: no guild channel %s", channelID)
		return
	}
	c.overwrites = slices.Clone(ows)
	ev := s.wireChannel(c)
	s.dispatch(c.guildID, "CHANNEL_UPDATE", ev, "")
	s.notify()
}

// BotPermissions returns the bot's computed permissions in the channel, as
// the fake enforces them and sends them in app_permissions.
func (s *Server) BotPermissions(channelID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.botPermissionsIn(s.channels[channelID])
}

// MemberPermissions returns a member's computed permissions in a guild
// channel from the guild's roles (u.Roles) and the channel's overwrites;
// u.Permissions is not consulted.
func (s *Server) MemberPermissions(channelID string, u User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil || c.guildID == "" {
		return 0
	}
	return s.permissionsIn(c, u.ID, u.Roles)
}

func (s *Server) mustGuild(id string) *Guild {
	g := s.guild(id)
	if g == nil {
		s.t.Errorf("discordtest: no guild %s", id)
	}
	return g
}

// roleUpdated sends GUILD_ROLE_UPDATE for a role. Call with s.mu held.
func (s *Server) roleUpdated(g *Guild, roleID string) {
	if r, ok := s.role(g, roleID); ok {
		s.dispatch(g.ID, "GUILD_ROLE_UPDATE", map[string]any{"guild_id": g.ID, "role": wireRole(r)}, "")
	}
	s.notify()
}

func wireRole(r roleInfo) map[string]any {
	w := map[string]any{
		"id": r.id, "name": r.name, "permissions": fmtPerms(r.perms), "position": r.position, "color": 0,
		"colors": map[string]any{"primary_color": 0, "secondary_color": nil, "tertiary_color": nil},
		"icon":   nil, "unicode_emoji": nil, "description": nil,
		"hoist": false, "managed": r.managed, "mentionable": r.mentionable, "flags": 0,
	}
	return w
}

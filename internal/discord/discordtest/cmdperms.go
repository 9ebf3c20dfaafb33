package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
)

// Application command permission types (interactions/application-commands.mdx,
// "Application Command Permission Type").
const (
	CommandPermissionRole    = 1
	CommandPermissionUser    = 2
	CommandPermissionChannel = 3
)

// CommandPermission is one command permission override: a role (the guild
// id means @everyone), a user, or a channel (the guild id - 1 means every
// channel), allowed or denied.
type CommandPermission struct {
	ID         string `json:"id"`
	Type       int    `json:"type"`
	Permission bool   `json:"permission"`
}

// ErrCommandNotAvailable is returned by Interaction.Wait when Discord would
// not have delivered the command: the member may not use it
// (WithCommandPermissions), or cannot see the private thread it was used in.
var ErrCommandNotAvailable = errors.New("discordtest: command not available to this member")

// WithCommandPermissions makes Slash and Autocomplete deliver a guild
// command only to members allowed to use it, as Discord does: the owner and
// Administrator always; else the command's (then the application's)
// overrides set with SetCommandPermissions; else the command's
// default_member_permissions against the member's permissions (User.Permissions
// and those of User.Roles). A command the bot has
// not registered is not restricted. Off by default, because the bot's own
// tests send moderator commands from members without rights to check that
// the bot refuses them too.
func WithCommandPermissions() Option { return func(c *config) { c.commandPerms = true } }

// SetCommandPermissions replaces the overrides of a command in a guild
// (commandID = the application id: every command without its own) and sends
// APPLICATION_COMMAND_PERMISSIONS_UPDATE. Discord lets only an admin's Bearer
// token write them (the bot cannot), so tests set them here; the bot reads
// them with GET .../commands/permissions.
func (s *Server) SetCommandPermissions(guildID, commandID string, perms ...CommandPermission) {
	s.mustSnowflake("command", commandID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmdPerms[guildID] == nil {
		s.cmdPerms[guildID] = map[string][]CommandPermission{}
	}
	if len(perms) == 0 {
		delete(s.cmdPerms[guildID], commandID)
	} else {
		s.cmdPerms[guildID][commandID] = slices.Clone(perms)
	}
	s.dispatch(guildID, "APPLICATION_COMMAND_PERMISSIONS_UPDATE", s.wireCommandPerms(guildID, commandID), "")
	s.notify()
}

// CommandID returns the id the fake gave a chat-input command registered in
// the guild (or globally when not), or "".
func (s *Server) CommandID(guildID, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := s.commandIDs[guildID+"/1/"+name]; id != "" {
		return id
	}
	return s.commandIDs["/1/"+name]
}

func (s *Server) wireCommandPerms(guildID, id string) map[string]any {
	ps := s.cmdPerms[guildID][id]
	if ps == nil {
		ps = []CommandPermission{}
	}
	return map[string]any{"id": id, "application_id": s.cfg.appID, "guild_id": guildID, "permissions": ps}
}

// getGuildCommandPermissions is Get Guild Application Command Permissions.
func (s *Server) getGuildCommandPermissions(rq *restReq) reply {
	if rq.params["application_id"] != s.cfg.appID {
		return errReply(http.StatusNotFound, 10002, "Unknown Application")
	}
	gid := rq.params["guild_id"]
	ids := make([]string, 0, len(s.cmdPerms[gid]))
	for id := range s.cmdPerms[gid] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := []any{}
	for _, id := range ids {
		out = append(out, s.wireCommandPerms(gid, id))
	}
	return jsonReply(http.StatusOK, out)
}

// getCommandPermissions is Get Application Command Permissions; a command
// without overrides answers 404 10066.
func (s *Server) getCommandPermissions(rq *restReq) reply {
	if rq.params["application_id"] != s.cfg.appID {
		return errReply(http.StatusNotFound, 10002, "Unknown Application")
	}
	gid, id := rq.params["guild_id"], rq.params["command_id"]
	if _, ok := s.cmdPerms[gid][id]; !ok {
		return errReply(http.StatusNotFound, 10066, "Unknown application command permissions")
	}
	return jsonReply(http.StatusOK, s.wireCommandPerms(gid, id))
}

// putCommandPermissions: "Command permissions can only be updated using a
// Bearer token. Authenticating with a bot token will result in an error"
// (application-commands.mdx, Permissions); Discord answers 403, code 20001.
func (s *Server) putCommandPermissions(rq *restReq) reply {
	s.violate("PUT %s: a bot token cannot edit command permissions (needs an admin's Bearer token)", rq.route.pattern)
	return errReply(http.StatusForbidden, 20001, "Bots cannot use this endpoint")
}

// commandAllowed decides whether Discord shows (and delivers) a guild
// command to a member in a channel. Sources: application-commands.mdx
// ("Permissions", "Using Default Permissions": "Members with the
// Administrator permission can use all commands"; default_member_permissions
// "0" allows admins only; the application id applies to commands without
// their own overrides; guild id = @everyone, guild id - 1 = all channels;
// channel overrides apply to the channel's threads) and Discord's Command
// Permissions help articles (owner and admins cannot be locked out; command
// overrides replace the application's; a user override wins over role
// overrides, which win over @everyone; default_member_permissions applies
// only when no user or role override matches). Call with s.mu held.
func (s *Server) commandAllowed(guildID, channelID string, u User, name string) bool {
	g := s.guild(guildID)
	if g == nil {
		return true
	}
	cmdID := s.commandIDs[guildID+"/1/"+name]
	scope := guildID
	if cmdID == "" {
		cmdID, scope = s.commandIDs["/1/"+name], ""
	}
	if cmdID == "" {
		return true // not registered: not the fake's business
	}
	// The member's permissions as Discord computes them: @everyone, their roles and their
	// own, every bit for the owner and for Administrator.
	have := parsePerms(s.memberPermissions(guildID, u))
	if g.OwnerID == u.ID || have&PermAdministrator != 0 {
		return true
	}
	levels := [][]CommandPermission{s.cmdPerms[guildID][cmdID], s.cmdPerms[guildID][s.cfg.appID]}

	// Channels: the channel (or a thread's parent), then "all channels".
	chans := []string{channelID}
	if c := s.channels[channelID]; c != nil && isThread(c.typ) && c.parentID != "" {
		chans = append(chans, c.parentID)
	}
	if gid, err := strconv.ParseUint(guildID, 10, 64); err == nil {
		allChannels := strconv.FormatUint(gid-1, 10)
		if v, ok := firstOverride(levels, CommandPermissionChannel, chans); ok && !v {
			return false
		} else if !ok {
			if v, ok := firstOverride(levels, CommandPermissionChannel, []string{allChannels}); ok && !v {
				return false
			}
		}
	}

	// Members: per level, the user, then their roles (any allow wins), then @everyone.
	for _, ps := range levels {
		if v, ok := match(ps, CommandPermissionUser, []string{u.ID}); ok {
			return v
		}
		var found, allowed bool
		for _, p := range ps {
			if p.Type == CommandPermissionRole && p.ID != guildID && slices.Contains(u.Roles, p.ID) {
				found = true
				allowed = allowed || p.Permission
			}
		}
		if found {
			return allowed
		}
		if v, ok := match(ps, CommandPermissionRole, []string{guildID}); ok {
			return v
		}
	}

	var dmp json.RawMessage
	for _, raw := range s.commands[scope] {
		var c struct {
			ID                       string          `json:"id"`
			DefaultMemberPermissions json.RawMessage `json:"default_member_permissions"`
		}
		if json.Unmarshal(raw, &c) == nil && c.ID == cmdID {
			dmp = c.DefaultMemberPermissions
		}
	}
	if len(dmp) == 0 || string(dmp) == "null" {
		return true
	}
	var str string
	if json.Unmarshal(dmp, &str) != nil {
		str = string(dmp)
	}
	need := parsePerms(str)
	return need != 0 && have&need == need
}

// firstOverride looks for an override of typ for one of ids, command level first.
func firstOverride(levels [][]CommandPermission, typ int, ids []string) (bool, bool) {
	for _, ps := range levels {
		if v, ok := match(ps, typ, ids); ok {
			return v, true
		}
	}
	return false, false
}

func match(ps []CommandPermission, typ int, ids []string) (bool, bool) {
	for _, id := range ids {
		for _, p := range ps {
			if p.Type == typ && p.ID == id {
				return p.Permission, true
			}
		}
	}
	return false, false
}

package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
)

// Threads, members and roles. Handlers run with s.mu held.

// wireThread renders a thread channel (ThreadResponse in the spec).
func (s *Server) wireThread(c *channelState) map[string]any {
	owner := c.owner
	if owner == "" {
		owner = s.cfg.appID
	}
	var parent any
	if c.parentID != "" {
		parent = c.parentID
	}
	return map[string]any{
		"id": c.id, "type": c.typ, "guild_id": c.guildID, "name": c.name, "parent_id": parent,
		"owner_id": owner, "last_message_id": nil, "rate_limit_per_user": 0, "flags": 0,
		"message_count": 0, "member_count": len(c.threadMembers), "total_message_sent": 0,
		"thread_metadata": map[string]any{
			"archived": false, "archive_timestamp": rfc3339(s.now()), "auto_archive_duration": 1440,
			"locked": false, "create_timestamp": rfc3339(s.now()), "invitable": c.typ == ChannelPrivateThread && !c.notInvitable,
		},
	}
}

// missingAccess and missingPermissions are the two 403s of
// topics/opcodes-and-status-codes.mdx (JSON error codes): 50001 when the
// bot cannot see the resource at all (no View Channel), 50013 when it sees
// it but lacks the permission for the action.
func missingAccess() reply      { return errReply(http.StatusForbidden, 50001, "Missing Access") }
func missingPermissions() reply { return errReply(http.StatusForbidden, 50013, "Missing Permissions") }

// createThread is Start Thread without Message (resources/channel.mdx):
// type 12 (the v9 default when type is absent) needs Create Private
// Threads, type 11 Create Public Threads, both on a text channel the bot can
// see. The creator is the thread's first member.
func (s *Server) createThread(rq *restReq) reply {
	c, rep, ok := s.channel(rq.params["channel_id"])
	if !ok {
		return rep
	}
	var body struct {
		Name      string `json:"name"`
		Type      *int   `json:"type"`
		Invitable *bool  `json:"invitable"` // private threads: may members invite others (default true)
	}
	if err := json.Unmarshal(rq.body, &body); err != nil || body.Name == "" {
		return s.reject("POST /channels/{channel_id}/threads", []string{"name missing"})
	}
	typ := ChannelPrivateThread // "defaults to PRIVATE_THREAD" in API v9
	if body.Type != nil {
		typ = *body.Type
	}
	if c.guildID == "" || isThread(c.typ) || typ != ChannelPublicThread && typ != ChannelPrivateThread {
		return errReply(http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
	}
	p := s.botPermissionsIn(c)
	need := PermCreatePrivateThreads
	if typ == ChannelPublicThread {
		need = PermCreatePublicThreads
	}
	switch {
	case p&PermViewChannel == 0:
		return missingAccess()
	case p&need == 0:
		return missingPermissions()
	}
	t := &channelState{id: s.newID(), name: body.Name, guildID: c.guildID, typ: typ, parentID: c.id,
		owner: s.cfg.appID, threadMembers: map[string]bool{s.cfg.appID: true}, notInvitable: body.Invitable != nil && !*body.Invitable}
	s.channels[t.id] = t
	if g := s.guild(c.guildID); g != nil {
		g.Channels = append(g.Channels, Channel{ID: t.id, Name: t.name, Type: typ, ParentID: c.id, Members: []string{s.cfg.appID}})
	}
	ev := s.wireThread(t)
	ev["newly_created"] = true
	s.dispatch(c.guildID, "THREAD_CREATE", ev, "")
	return jsonReply(http.StatusCreated, s.wireThread(t))
}

// addThreadMember is Add Thread Member (resources/channel.mdx): "Requires
// the ability to send messages in the thread": the bot must see the thread
// and have Send Messages in Threads.
func (s *Server) addThreadMember(rq *restReq) reply {
	c, rep, ok := s.channel(rq.params["channel_id"])
	if !ok {
		return rep
	}
	if !isThread(c.typ) {
		return errReply(http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
	}
	p := s.botPermissionsIn(c)
	switch {
	case p&PermViewChannel == 0:
		return missingAccess()
	case p&PermSendMessagesInThreads == 0:
		return missingPermissions()
	}
	uid := rq.params["user_id"]
	if uid != s.cfg.appID && !s.isMember(c.guildID, uid) {
		return errReply(http.StatusNotFound, 10007, "Unknown Member")
	}
	if !c.threadMembers[uid] {
		c.threadMembers[uid] = true
		if g := s.guild(c.guildID); g != nil {
			for i := range g.Channels {
				if g.Channels[i].ID == c.id {
					g.Channels[i].Members = append(g.Channels[i].Members, uid)
				}
			}
		}
		s.dispatch(c.guildID, "THREAD_MEMBERS_UPDATE", map[string]any{
			"id": c.id, "guild_id": c.guildID, "member_count": len(c.threadMembers),
			"added_members": []any{map[string]any{"id": c.id, "user_id": uid, "join_timestamp": rfc3339(s.now()), "flags": 0}},
		}, "")
	}
	return noContent()
}

// ThreadMembers returns the user ids of a thread's members, sorted.
func (s *Server) ThreadMembers(threadID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[threadID]
	if c == nil {
		return nil
	}
	var out []string
	for id := range c.threadMembers {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Threads returns the ids of the threads under a channel, oldest first.
func (s *Server) Threads(parentID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, g := range s.guilds {
		for _, c := range g.Channels {
			if isThread(c.Type) && c.ParentID == parentID {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

// AddMember makes u a member of the guild (with u.Roles), as if it had
// joined; members are also recorded when they trigger an interaction.
func (s *Server) AddMember(guildID string, u User) {
	s.mustSnowflake("user", u.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seeMember(guildID, u)
	s.notify()
}

// MemberRoles returns the roles the fake holds for a member, including
// those the bot added or removed over REST.
func (s *Server) MemberRoles(guildID, userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if userID == s.cfg.appID {
		if g := s.guild(guildID); g != nil {
			return botRoleIDs(g)
		}
	}
	return slices.Clone(s.memberRoles[guildID+"/"+userID])
}

// seeMember records u as a guild member; its roles are taken the first time
// only, since later changes come from the bot's role requests. Call with
// s.mu held.
func (s *Server) seeMember(guildID string, u User) {
	seen := s.users[u.ID]
	seen.u = u
	if seen.guilds == nil {
		seen.guilds = map[string]bool{}
	}
	if guildID != "" {
		seen.guilds[guildID] = true
		key := guildID + "/" + u.ID
		if _, ok := s.memberRoles[key]; !ok {
			s.memberRoles[key] = append([]string{}, u.Roles...)
		}
	}
	s.users[u.ID] = seen
}

func (s *Server) isMember(guildID, userID string) bool {
	seen, ok := s.users[userID]
	return ok && seen.guilds[guildID]
}

// getRoles is Get Guild Roles.
func (s *Server) getRoles(rq *restReq) reply {
	g := s.guild(rq.params["guild_id"])
	if g == nil {
		return errReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	out := []any{}
	for _, r := range s.roles(g) {
		out = append(out, wireRole(r))
	}
	return jsonReply(http.StatusOK, out)
}

// memberRole is Add and Remove Guild Member Role (resources/guild.mdx,
// "Requires the MANAGE_ROLES permission"), with the hierarchy of
// topics/permissions.mdx: "A bot can grant roles to other users that are of
// a lower position than its own highest role". Managed roles and @everyone
// cannot be granted.
func (s *Server) memberRole(rq *restReq) reply {
	g := s.guild(rq.params["guild_id"])
	if g == nil {
		return errReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	uid, rid := rq.params["user_id"], rq.params["role_id"]
	r, ok := s.role(g, rid)
	if !ok {
		return errReply(http.StatusNotFound, 10011, "Unknown Role")
	}
	if !s.isMember(g.ID, uid) {
		return errReply(http.StatusNotFound, 10007, "Unknown Member")
	}
	if s.basePermissions(g, s.cfg.appID, botRoleIDs(g))&PermManageRoles == 0 || r.managed || r.id == g.ID ||
		!above(s.botHighestRole(g), r) {
		return missingPermissions()
	}
	key := g.ID + "/" + uid
	roles := s.memberRoles[key]
	has := slices.Contains(roles, rid)
	switch {
	case rq.method == http.MethodPut && !has:
		s.memberRoles[key] = append(roles, rid)
	case rq.method == http.MethodDelete && has:
		s.memberRoles[key] = slices.DeleteFunc(slices.Clone(roles), func(x string) bool { return x == rid })
	default:
		return noContent()
	}
	if s.intents&(1<<1) != 0 { // GUILD_MEMBERS (privileged)
		seen := s.users[uid].u
		seen.Roles = s.memberRoles[key]
		m := s.wireMember(seen)
		m["guild_id"] = g.ID
		s.dispatch(g.ID, "GUILD_MEMBER_UPDATE", m, "")
	}
	return noContent()
}

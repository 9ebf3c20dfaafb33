package discordtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// Guild is a guild the bot is in. AddGuild it before or after connecting.
//
// The bot is a member holding a managed role (id BotRoleID, generated when
// empty) with BotPermissions (DefaultBotPermissions when empty) at
// BotRolePosition (0: above every role in Roles), plus the roles in BotRoles.
// EveryonePermissions are the @everyone role's (the role whose id is the
// guild id; "0" when empty). The owner has every permission.
type Guild struct {
	ID, Name, OwnerID   string
	Channels            []Channel
	Roles               []Role
	EveryonePermissions string
	BotRoleID           string
	BotPermissions      string
	BotRolePosition     int
	BotRoles            []string
}

// Channel is a guild channel; Type 0 is a text channel. A thread (type 11
// public, 12 private) names its ParentID and, when private, its Members
// (user ids). Overwrites are the channel's permission overwrites.
type Channel struct {
	ID, Name   string
	Type       int
	ParentID   string
	Overwrites []Overwrite
	Members    []string
}

// Role is a guild role; Permissions is a decimal string such as "8".
// Position 0 means the role's index in Guild.Roles + 1 (@everyone is 0).
// Only a Mentionable role is pinged by a role mention (unless the bot has
// Mention Everyone).
type Role struct {
	ID, Name, Permissions string
	Position              int
	Mentionable           bool
}

// User is the member who triggers an interaction. Permissions is a decimal
// string of the permission bits the member holds in the guild besides its
// Roles ("8" administrator, "32" manage guild, "0" or empty none). The
// member.permissions of an interaction is computed from it as Discord
// computes it: the @everyone role, the member's Roles (Guild.Roles) and
// Permissions combined; every permission for the guild's owner and for an
// administrator. Locale defaults to "en-US".
type User struct {
	ID, Username, Locale string
	Roles                []string
	Permissions          string
}

// Message is a message the bot created: a channel post, a DM, an
// interaction's @original or a follow-up. Raw is the last request body that
// created or edited it. Edits counts successful edits; Deleted is set by DELETE.
type Message struct {
	ID, ChannelID, Content, Nonce string
	Embeds                        []Embed
	Components                    []json.RawMessage
	Flags                         int
	AllowedMentions               json.RawMessage
	Edits                         int
	Deleted                       bool
	Raw                           json.RawMessage
	// PingedRoles are the roles the message notified when it was created: a
	// role mention allowed by allowed_mentions, of a mentionable role or
	// sent with Mention Everyone. @everyone (id = guild id) is never pinged
	// this way. EmbedsRemoved is set when the bot lacked Embed Links and
	// Discord dropped the embeds.
	PingedRoles   []string
	EmbedsRemoved bool
	// Attachments are the files the message carries (uploaded with it or kept by edits).
	Attachments []Attachment
}

// Embed is the part of a message embed tests usually look at.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer,omitempty"`
	Image     *EmbedMedia `json:"image,omitempty"`
	Thumbnail *EmbedMedia `json:"thumbnail,omitempty"`
}

// EmbedField is one field of an Embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

type channelState struct {
	id, name, guildID string
	typ               int
	recipient         string // DM channels
	deleted, denied   bool
	parentID          string          // threads
	overwrites        []Overwrite     // guild channels
	threadMembers     map[string]bool // threads: user ids
	owner             string          // threads: creator
	notInvitable      bool            // private threads created with invitable false
}

type userSeen struct {
	u      User
	guilds map[string]bool
}

const (
	kindPost = iota
	kindDM
	kindOriginal
	kindFollowup
)

type msgRec struct {
	Message
	kind          int
	interactionID string
	webhook       bool
	msgType       int
	embedsRaw     json.RawMessage
	created       time.Time
	edited        time.Time
}

type nonceRec struct {
	msgID string
	at    time.Time
}

func (m *msgRec) copyOut() Message {
	out := m.Message
	out.Embeds = slices.Clone(m.Embeds)
	out.Components = slices.Clone(m.Components)
	out.AllowedMentions = slices.Clone(m.AllowedMentions)
	out.Raw = slices.Clone(m.Raw)
	out.PingedRoles = slices.Clone(m.PingedRoles)
	out.Attachments = slices.Clone(m.Attachments)
	return out
}

// AddGuild adds a guild with its channels and roles. After a client of the
// guild's shard has connected it also sends GUILD_CREATE in that session.
func (s *Server) AddGuild(g Guild) {
	s.mustSnowflake("guild", g.ID)
	for _, c := range g.Channels {
		s.mustSnowflake("channel", c.ID)
	}
	for _, r := range g.Roles {
		s.mustSnowflake("role", r.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g.Channels = slices.Clone(g.Channels)
	g.Roles = slices.Clone(g.Roles)
	g.BotRoles = slices.Clone(g.BotRoles)
	replaced := false
	for i, old := range s.guilds {
		if old.ID == g.ID {
			if g.BotRoleID == "" {
				g.BotRoleID = old.BotRoleID
			}
			s.guilds[i] = &g
			replaced = true
		}
	}
	if g.BotRoleID == "" {
		g.BotRoleID = s.newID()
	}
	if !replaced {
		s.guilds = append(s.guilds, &g)
	}
	for _, c := range g.Channels {
		cs := &channelState{id: c.ID, name: c.Name, guildID: g.ID, typ: c.Type, parentID: c.ParentID,
			overwrites: slices.Clone(c.Overwrites), threadMembers: map[string]bool{}}
		for _, m := range c.Members {
			cs.threadMembers[m] = true
		}
		s.channels[c.ID] = cs
	}
	if sess := s.sessionFor(g.ID); sess != nil {
		s.dispatchTo(sess, g.ID, "GUILD_CREATE", s.wireGuild(&g), "")
	}
	s.notify()
}

// DeleteChannel makes later requests for the channel fail with 404, code 10003.
func (s *Server) DeleteChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channels[id]; c != nil {
		c.deleted = true
	} else {
		s.channels[id] = &channelState{id: id, deleted: true}
	}
}

// DenyChannel makes later posts to the channel fail with 403, code 50013.
func (s *Server) DenyChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channels[id]; c != nil {
		c.denied = true
	} else {
		s.channels[id] = &channelState{id: id, denied: true}
	}
}

// Messages returns the channel posts (POST /channels/{id}/messages) in the
// channel, oldest first, including deleted ones (Deleted set). Interaction
// replies are reached through Interaction.Original and Followups.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.order {
		if m.kind == kindPost && m.ChannelID == channelID {
			out = append(out, m.copyOut())
		}
	}
	return out
}

// DMs returns the messages the bot sent to the user's DM channel, oldest first.
func (s *Server) DMs(userID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.dmByUser[userID]
	var out []Message
	for _, m := range s.order {
		if m.kind == kindDM && ch != "" && m.ChannelID == ch {
			out = append(out, m.copyOut())
		}
	}
	return out
}

// Message returns any message the bot created (post, DM, @original,
// follow-up) by id.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs[id]
	if m == nil {
		return Message{}, false
	}
	return m.copyOut(), true
}

// Commands returns the commands as the fake returned them (with ids) from
// the last accepted bulk overwrite for the guild ("" = global).
func (s *Server) Commands(guildID string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []json.RawMessage
	for _, c := range s.commands[guildID] {
		out = append(out, slices.Clone(c))
	}
	return out
}

// CommandOverwrites returns how many bulk overwrites were accepted.
func (s *Server) CommandOverwrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overwrites
}

// ---- wire objects ----

func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id": s.cfg.appID, "username": "interviewbot", "discriminator": "0", "global_name": nil,
		"avatar": nil, "bot": true, "public_flags": 0, "flags": 0, "primary_guild": nil,
		"avatar_decoration_data": nil, "collectibles": nil,
	}
}

func wireUser(u User) map[string]any {
	name := u.Username
	if name == "" {
		name = "user" + u.ID
	}
	return map[string]any{
		"id": u.ID, "username": name, "discriminator": "0", "global_name": nil,
		"avatar": nil, "public_flags": 0, "flags": 0, "primary_guild": nil,
		"avatar_decoration_data": nil, "collectibles": nil,
	}
}

func perms(p string) string {
	if p == "" {
		return "0"
	}
	return p
}

// allPermissions is every permission bit Discord defines: what an owner or an
// administrator receives in member.permissions.
const allPermissions = int64(1)<<52 - 1

const permAdministrator = 8

// memberPermissions is the member's permission set in a guild as Discord
// computes member.permissions for an interaction (channel overwrites are
// not modelled: the fake's channels have none).
func (s *Server) memberPermissions(guildID string, u User) string {
	p, _ := strconv.ParseInt(perms(u.Permissions), 10, 64)
	g := s.guild(guildID)
	if g != nil {
		if g.OwnerID != "" && g.OwnerID == u.ID {
			return strconv.FormatInt(allPermissions, 10)
		}
		for _, r := range g.Roles {
			if r.ID == g.ID || slices.Contains(u.Roles, r.ID) {
				rp, _ := strconv.ParseInt(perms(r.Permissions), 10, 64)
				p |= rp
			}
		}
	}
	if p&permAdministrator != 0 {
		p = allPermissions
	}
	return strconv.FormatInt(p, 10)
}

func (s *Server) wireMember(u User) map[string]any {
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	return map[string]any{
		"user": wireUser(u), "roles": roles, "permissions": perms(u.Permissions),
		"joined_at": rfc3339(s.now().Add(-24 * time.Hour)), "nick": nil, "avatar": nil, "banner": nil,
		"deaf": false, "mute": false, "flags": 0, "pending": false, "premium_since": nil,
		"communication_disabled_until": nil,
	}
}

func (s *Server) wireGuild(g *Guild) map[string]any {
	chans, threads := []any{}, []any{}
	for i, c := range g.Channels {
		if isThread(c.Type) {
			if cs := s.channels[c.ID]; cs != nil && !cs.deleted && s.botPermissionsIn(cs)&PermViewChannel != 0 {
				threads = append(threads, s.wireChannel(cs))
			}
			continue
		}
		var ows []Overwrite
		if cs := s.channels[c.ID]; cs != nil {
			ows = cs.overwrites
		}
		chans = append(chans, map[string]any{
			"id": c.ID, "name": c.Name, "type": c.Type, "guild_id": g.ID, "position": i,
			"permission_overwrites": wireOverwrites(ows), "nsfw": false, "parent_id": nil, "flags": 0,
		})
	}
	roles := []any{}
	for _, r := range s.roles(g) {
		roles = append(roles, wireRole(r))
	}
	me := s.wireMember(User{ID: s.cfg.appID, Username: "interviewbot", Roles: botRoleIDs(g)})
	me["user"] = s.botUser()
	return map[string]any{
		"id": g.ID, "name": g.Name, "owner_id": g.OwnerID, "icon": nil, "unavailable": false,
		"joined_at": rfc3339(s.now().Add(-24 * time.Hour)), "member_count": 1, "large": false,
		"channels": chans, "roles": roles, "members": []any{me}, "threads": threads,
		"emojis": []any{}, "stickers": []any{}, "features": []any{}, "voice_states": []any{},
		"presences": []any{}, "preferred_locale": "en-US", "verification_level": 0,
		"default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
		"premium_tier": 0, "nsfw_level": 0, "system_channel_flags": 0,
		"description": nil, "home_header": nil, "splash": nil, "discovery_splash": nil,
		"banner": nil, "application_id": nil, "region": "deprecated", "afk_channel_id": nil,
		"afk_timeout": 300, "system_channel_id": nil, "widget_enabled": false,
		"widget_channel_id": nil, "max_presences": nil, "max_members": 500000,
		"max_stage_video_channel_users": 50, "max_video_channel_users": 25,
		"vanity_url_code": nil, "premium_subscription_count": 0, "rules_channel_id": nil,
		"safety_alerts_channel_id": nil, "public_updates_channel_id": nil,
		"premium_progress_bar_enabled": false, "nsfw": false, "incidents_data": nil,
	}
}

func (s *Server) wireChannel(c *channelState) map[string]any {
	if c.recipient != "" {
		u := User{ID: c.recipient}
		if seen, ok := s.users[c.recipient]; ok {
			u = seen.u
		}
		return map[string]any{
			"id": c.id, "type": 1, "last_message_id": nil, "flags": 0,
			"recipients": []any{wireUser(u)},
		}
	}
	if isThread(c.typ) {
		return s.wireThread(c)
	}
	return map[string]any{
		"id": c.id, "type": c.typ, "guild_id": c.guildID, "name": c.name, "position": 0,
		"permission_overwrites": wireOverwrites(c.overwrites), "nsfw": false, "parent_id": nil, "topic": nil,
		"last_message_id": nil, "rate_limit_per_user": 0, "flags": 0,
	}
}

func wireOverwrites(ows []Overwrite) []any {
	out := []any{}
	for _, o := range ows {
		out = append(out, map[string]any{"id": o.ID, "type": o.Type, "allow": perms(o.Allow), "deny": perms(o.Deny)})
	}
	return out
}

// wireMessage renders a stored message as Discord returns it.
func (s *Server) wireMessage(m *msgRec) map[string]any {
	embeds := json.RawMessage(`[]`)
	if len(m.embedsRaw) > 0 && string(m.embedsRaw) != "null" {
		embeds = m.embedsRaw
	}
	comps := withComponentIDs(m.Components)
	mentionRoles := []string{}
	mentionRoles = append(mentionRoles, m.PingedRoles...)
	var edited any
	if !m.edited.IsZero() {
		edited = rfc3339(m.edited)
	}
	w := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "type": m.msgType, "content": m.Content,
		"author": s.botUser(), "timestamp": rfc3339(m.created), "edited_timestamp": edited,
		"tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": mentionRoles,
		"attachments": s.wireAttachments(m), "embeds": embeds, "components": comps, "pinned": false,
		"flags": m.Flags,
	}
	if m.Nonce != "" {
		w["nonce"] = m.Nonce
	}
	if m.webhook {
		w["webhook_id"] = s.cfg.appID
		w["application_id"] = s.cfg.appID
	}
	if i := s.inters[m.interactionID]; i != nil {
		w["interaction_metadata"] = s.interactionMetadata(i, m)
	}
	return w
}

// interactionMetadata is a message's interaction_metadata: Discord sets it on every message an
// interaction's response or follow-up created, naming the user who triggered it, and keeps it
// when a later click updates the message (resources/message.mdx, Message Interaction Metadata
// Object). It is how a bot knows whose private reply a button sits on.
func (s *Server) interactionMetadata(i *Interaction, m *msgRec) map[string]any {
	md := metadataOf(i)
	if m.kind == kindFollowup && i.original != nil {
		md["original_response_message_id"] = i.original.ID
	}
	if i.Type == TypeModalSubmit {
		// The interaction that opened the form: the user's latest one answered with it.
		var opener *Interaction
		for _, o := range s.inters {
			if o.User.ID == i.User.ID && o.resp != nil && o.resp.Type == 9 && o.resp.ModalCustomID == i.customID &&
				(opener == nil || o.resp.At.After(opener.resp.At)) {
				opener = o
			}
		}
		if opener != nil {
			md["triggering_interaction_metadata"] = metadataOf(opener)
		}
	}
	return md
}

// metadataOf is the part of interaction_metadata every interaction type has.
func metadataOf(i *Interaction) map[string]any {
	owner := i.GuildID
	if owner == "" {
		owner = "0"
	}
	md := map[string]any{"id": i.ID, "type": i.Type, "user": wireUser(i.User),
		"authorizing_integration_owners": map[string]any{"0": owner}}
	if i.Type == TypeComponent {
		md["interacted_message_id"] = i.MessageID
	}
	return md
}

// withComponentIDs numbers components that lack an "id" and fills select
// menu defaults, as Discord does in the messages it returns.
func withComponentIDs(comps []json.RawMessage) []any {
	next := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["type"]; ok {
				next++
				if id, ok := x["id"]; !ok || id == nil || id == float64(0) {
					x["id"] = next
				}
				if t, _ := x["type"].(float64); isSelect(int(t)) {
					for _, k := range []string{"min_values", "max_values"} {
						if _, ok := x[k]; !ok {
							x[k] = 1
						}
					}
				}
			}
			for _, k := range []string{"components", "component", "accessory"} {
				if c, ok := x[k]; ok {
					walk(c)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	out := []any{}
	for _, raw := range comps {
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		walk(v)
		out = append(out, v)
	}
	return out
}

// mustSnowflake fails the test early on ids the spec would reject later.
func (s *Server) mustSnowflake(what, id string) {
	if _, err := strconv.ParseUint(id, 10, 64); err != nil || id[0] == '0' {
		s.t.Errorf("discordtest: %s id %q is not a snowflake (a decimal string)", what, id)
	}
}

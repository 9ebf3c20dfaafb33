package discordtest

import (
	"encoding/json"
	"regexp"
	"slices"
)

var roleMention = regexp.MustCompile(`<@&(\d+)>`)

// pingedRoles returns the roles a new message notifies. allowed_mentions
// (resources/message.mdx, "Allowed Mentions Object") decides which role
// mentions in the content may ping: those in "roles", or every one with
// "parse": ["roles"]; without allowed_mentions a channel message parses
// roles and an interaction reply or webhook does not. A role mention then
// pings only when the role is mentionable or the sender has Mention Everyone
// (topics/permissions.mdx: MENTION_EVERYONE; the role's "mentionable"
// field). "<@&guild_id>" is the @everyone role: the client renders it as
// "@@everyone" and it pings no one (@everyone is the separate "everyone"
// parse type). Call with s.mu held.
func (s *Server) pingedRoles(c *channelState, obj map[string]json.RawMessage, channelMessage bool) []string {
	if c == nil || c.guildID == "" {
		return nil
	}
	g := s.guild(c.guildID)
	if g == nil {
		return nil
	}
	var content string
	_ = json.Unmarshal(obj["content"], &content)
	allowAll := channelMessage
	var allowed []string
	if present(obj, "allowed_mentions") {
		var am struct {
			Parse []string `json:"parse"`
			Roles []string `json:"roles"`
		}
		_ = json.Unmarshal(obj["allowed_mentions"], &am)
		allowAll = slices.Contains(am.Parse, "roles")
		allowed = am.Roles
	}
	canMentionAll := s.botPermissionsIn(c)&PermMentionEveryone != 0
	var out []string
	for _, m := range roleMention.FindAllStringSubmatch(content, -1) {
		id := m[1]
		if id == g.ID || slices.Contains(out, id) || !allowAll && !slices.Contains(allowed, id) {
			continue
		}
		r, ok := s.role(g, id)
		if ok && (r.mentionable || canMentionAll) {
			out = append(out, id)
		}
	}
	return out
}

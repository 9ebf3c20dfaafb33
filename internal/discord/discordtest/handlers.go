package discordtest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Handlers run with s.mu held.

// nonceWindow is how long enforce_nonce dedupes ("the past few minutes").
const nonceWindow = 5 * time.Minute

// reject records each problem as a violation and answers 400 Invalid Form Body.
func (s *Server) reject(where string, probs []string) reply {
	for _, p := range probs {
		s.violate("%s: %s", where, p)
	}
	return formError(probs)
}

func (s *Server) getGateway(*restReq) reply {
	return jsonReply(200, map[string]any{"url": s.gatewayURL()})
}

func (s *Server) getGatewayBot(*restReq) reply {
	return jsonReply(200, map[string]any{
		"url": s.gatewayURL(), "shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 1000 - s.identifies, "reset_after": 86400000, "max_concurrency": s.cfg.maxConcurrency,
		},
	})
}

func (s *Server) getMe(*restReq) reply {
	u := s.botUser()
	u["verified"] = true
	u["mfa_enabled"] = false
	u["banner"] = nil
	u["accent_color"] = nil
	u["locale"] = "en-US"
	u["email"] = nil
	return jsonReply(200, u)
}

// getApplication is Get Current Application: the application whose bot
// token authorises the request; its id is the one commands are registered
// under, known before the gateway connects.
func (s *Server) getApplication(*restReq) reply {
	return jsonReply(200, map[string]any{
		"id": s.cfg.appID, "name": "interviewbot", "icon": nil, "description": "", "summary": "",
		"type":  nil,
		"flags": 0, "flags_new": "0", "approximate_user_authorization_count": 0, "eligible_oauth2_scopes": []any{"bot", "applications.commands"}, "bot_public": true, "bot_require_code_grant": false, "verify_key": "0000",
		"rpc_origins": []any{}, "tags": []any{}, "redirect_uris": []any{}, "team": nil,
		"owner": wireUser(User{ID: "100000000000000009", Username: "owner"}),
		"bot":   s.botUser(), "approximate_guild_count": len(s.guilds), "approximate_user_install_count": 0,
		"interactions_endpoint_url": nil, "role_connections_verification_url": nil,
		"event_webhooks_url": nil, "event_webhooks_status": 1, "event_webhooks_types": []any{},
		"integration_types_config": map[string]any{"0": map[string]any{}}, "max_participants": nil,
		"explicit_content_filter": 0, "is_verified": false, "is_discoverable": false, "hook": true,
		"storefront_available": false,
	})
}

func (s *Server) createDM(rq *restReq) reply {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(rq.body, &body); err != nil || body.RecipientID == "" {
		return s.reject("POST /users/@me/channels", []string{"recipient_id missing"})
	}
	id := s.dmByUser[body.RecipientID]
	if id == "" {
		id = s.newID()
		s.dmByUser[body.RecipientID] = id
		s.channels[id] = &channelState{id: id, typ: 1, recipient: body.RecipientID}
	}
	return jsonReply(200, s.wireChannel(s.channels[id]))
}

// channel returns the channel or the error reply for a missing one.
func (s *Server) channel(id string) (*channelState, reply, bool) {
	c := s.channels[id]
	if c == nil || c.deleted {
		return nil, errReply(404, 10003, "Unknown Channel"), false
	}
	return c, reply{}, true
}

// viewable returns the channel if the bot may see it: a guild channel
// without View Channel answers 403 Missing Access (50001), as Discord does
// for a channel the bot cannot see (topics/permissions.mdx, "Implicit
// Permissions": without VIEW_CHANNEL nothing else applies).
func (s *Server) viewable(id string) (*channelState, int64, reply, bool) {
	c, rep, ok := s.channel(id)
	if !ok {
		return nil, 0, rep, false
	}
	p := s.botPermissionsIn(c)
	if c.guildID != "" && p&PermViewChannel == 0 {
		return nil, p, missingAccess(), false
	}
	return c, p, reply{}, true
}

func (s *Server) getChannel(rq *restReq) reply {
	c, _, rep, ok := s.viewable(rq.params["channel_id"])
	if !ok {
		return rep
	}
	return jsonReply(200, s.wireChannel(c))
}

// listMessages is Get Channel Messages: it "requires the VIEW_CHANNEL
// permission"; "If the current user is missing the READ_MESSAGE_HISTORY
// permission in the channel, then no messages will be returned"
// (resources/message.mdx).
func (s *Server) listMessages(rq *restReq) reply {
	c, p, rep, ok := s.viewable(rq.params["channel_id"])
	if !ok {
		return rep
	}
	if c.guildID != "" && p&PermReadMessageHistory == 0 {
		return jsonReply(200, []any{})
	}
	limit := 50
	if n, err := strconv.Atoi(rq.query.Get("limit")); err == nil && n > 0 && n <= 100 {
		limit = n
	}
	out := []any{}
	for _, m := range slices.Backward(s.order) {
		if len(out) == limit {
			break
		}
		if m.ChannelID == c.id && !m.Deleted && m.Flags&flagEphemeral == 0 {
			out = append(out, s.wireMessage(m))
		}
	}
	return jsonReply(200, out)
}

// newMessage stores a message created from a body. Call with s.mu held.
func (s *Server) newMessage(kind int, channelID string, obj map[string]json.RawMessage, body []byte) *msgRec {
	m := &msgRec{kind: kind, created: s.now()}
	m.ID = s.newID()
	m.ChannelID = channelID
	applyMessage(m, obj, body, true)
	s.attachUploads("message "+m.ID, m, obj, true)
	s.msgs[m.ID] = m
	s.order = append(s.order, m)
	return m
}

// applyMessage sets the fields present in obj. Edits keep the ephemeral flag.
func applyMessage(m *msgRec, obj map[string]json.RawMessage, body []byte, create bool) {
	if v, ok := obj["content"]; ok {
		var c string
		_ = json.Unmarshal(v, &c)
		m.Content = c
	}
	if v, ok := obj["embeds"]; ok {
		m.embedsRaw = append(json.RawMessage(nil), v...)
		m.Embeds = nil
		_ = json.Unmarshal(v, &m.Embeds)
	}
	if v, ok := obj["components"]; ok {
		m.Components = nil
		_ = json.Unmarshal(v, &m.Components)
	}
	if v, ok := obj["allowed_mentions"]; ok {
		m.AllowedMentions = append(json.RawMessage(nil), v...)
	}
	if v, ok := obj["flags"]; ok {
		var f int
		_ = json.Unmarshal(v, &f)
		if create {
			m.Flags = f
		} else {
			m.Flags = m.Flags&flagEphemeral | f&^flagEphemeral
		}
	}
	m.Raw = append(json.RawMessage(nil), body...)
}

func emptyMessage(m *msgRec) bool {
	return m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0
}

// editStored validates an edit body and applies it to m.
func (s *Server) editStored(where string, m *msgRec, obj map[string]json.RawMessage, body []byte) reply {
	if obj == nil {
		return s.reject(where, []string{"body is not a JSON object"})
	}
	if probs := checkMessage(obj, false); len(probs) > 0 {
		return s.reject(where, probs)
	}
	next := *m
	applyMessage(&next, obj, body, false)
	s.attachUploads(where, &next, obj, false)
	if emptyMessage(&next) {
		s.violate("%s: the edit leaves the message empty", where)
		return errReply(400, 50006, "Cannot send an empty message")
	}
	next.Edits++
	next.edited = s.now()
	*m = next
	return jsonReply(200, s.wireMessage(m))
}

// createMessage is Create Message (resources/message.mdx): in a guild
// channel it needs View Channel (else 50001) and Send Messages, or Send
// Messages in Threads in a thread (topics/permissions.mdx, "Inherited
// Permissions (Threads)"), else 50013; a reply (message_reference) also
// needs Read Message History. Without Embed Links the message is created
// and its embeds are silently dropped ("Links sent by users with this
// permission will be auto-embedded"; the API strips embeds, no error).
func (s *Server) createMessage(rq *restReq) reply {
	const where = "POST /channels/{channel_id}/messages"
	c, p, rep, ok := s.viewable(rq.params["channel_id"])
	if !ok {
		return rep
	}
	if c.denied {
		return missingPermissions()
	}
	obj := rq.obj()
	if obj == nil {
		return s.reject(where, []string{"body is not a JSON object"})
	}
	stripEmbeds := false
	if c.guildID != "" {
		send := PermSendMessages
		if isThread(c.typ) {
			send = PermSendMessagesInThreads
		}
		if p&send == 0 || present(obj, "message_reference") && p&PermReadMessageHistory == 0 {
			return missingPermissions()
		}
		stripEmbeds = p&PermEmbedLinks == 0 && present(obj, "embeds") && string(obj["embeds"]) != "[]"
	}
	var nonce string
	if v, ok := obj["nonce"]; ok && string(v) != "null" {
		if json.Unmarshal(v, &nonce) != nil {
			var n json.Number
			_ = json.Unmarshal(v, &n)
			nonce = n.String()
		}
	}
	var enforce bool
	_ = json.Unmarshal(obj["enforce_nonce"], &enforce)
	now := s.now()
	if enforce && nonce != "" {
		if nr, ok := s.nonces[nonce]; ok && now.Sub(nr.at) < nonceWindow {
			if m := s.msgs[nr.msgID]; m != nil {
				return jsonReply(200, s.wireMessage(m))
			}
		}
	}
	probs := checkMessage(obj, true)
	probs = append(probs, checkFlags(obj, flagSuppressEmbeds|flagSuppressNotifications|flagComponentsV2, "a channel message")...)
	if n := runes(nonce); n > 25 {
		probs = append(probs, "nonce is "+strconv.Itoa(n)+" characters (max 25)")
	}
	if len(probs) > 0 {
		return s.reject(where, probs)
	}
	if emptyBody(obj) && rq.files == 0 {
		s.violate("%s: empty message (no content, embeds or components)", where)
		return errReply(400, 50006, "Cannot send an empty message")
	}
	kind := kindPost
	if c.recipient != "" {
		kind = kindDM
	}
	stored := obj
	if stripEmbeds {
		stored = maps.Clone(obj)
		stored["embeds"] = json.RawMessage(`[]`)
	}
	m := s.newMessage(kind, c.id, stored, rq.body)
	m.Nonce = nonce
	m.EmbedsRemoved = stripEmbeds
	m.PingedRoles = s.pingedRoles(c, obj, true)
	if enforce && nonce != "" {
		s.nonces[nonce] = nonceRec{msgID: m.ID, at: now}
	}
	wire := s.wireMessage(m)
	if c.guildID != "" && s.intents&(1<<9) != 0 || c.recipient != "" && s.intents&(1<<12) != 0 {
		ev := s.wireMessage(m)
		if c.guildID != "" {
			ev["guild_id"] = c.guildID
		}
		s.dispatch(c.guildID, "MESSAGE_CREATE", ev, "")
	}
	return jsonReply(200, wire)
}

// channelMessage finds a message the bot can reach through the channel
// routes; the bot must see the channel (50001).
func (s *Server) channelMessage(rq *restReq) (*msgRec, reply, bool) {
	c, _, rep, ok := s.viewable(rq.params["channel_id"])
	if !ok {
		return nil, rep, false
	}
	m := s.msgs[rq.params["message_id"]]
	if m == nil || m.ChannelID != c.id || m.Deleted || m.Flags&flagEphemeral != 0 {
		return nil, errReply(404, 10008, "Unknown Message"), false
	}
	return m, reply{}, true
}

// getMessage is Get Channel Message: "requires the READ_MESSAGE_HISTORY
// permission" (resources/message.mdx); without it Discord answers 50001.
func (s *Server) getMessage(rq *restReq) reply {
	m, rep, ok := s.channelMessage(rq)
	if !ok {
		return rep
	}
	if c := s.channels[m.ChannelID]; c.guildID != "" && s.botPermissionsIn(c)&PermReadMessageHistory == 0 {
		return missingAccess()
	}
	return jsonReply(200, s.wireMessage(m))
}

// editMessage is Edit Message: the author may edit its own message
// wherever it can see the channel; embeds added without Embed Links are
// dropped as on create.
func (s *Server) editMessage(rq *restReq) reply {
	m, rep, ok := s.channelMessage(rq)
	if !ok {
		return rep
	}
	obj := rq.obj()
	c := s.channels[m.ChannelID]
	strip := c.guildID != "" && s.botPermissionsIn(c)&PermEmbedLinks == 0 && present(obj, "embeds") && string(obj["embeds"]) != "[]"
	if strip {
		if probs := checkMessage(obj, false); len(probs) > 0 {
			return s.reject("PATCH /channels/{channel_id}/messages/{message_id}", probs)
		}
		obj = maps.Clone(obj)
		obj["embeds"] = json.RawMessage(`[]`)
	}
	rep = s.editStored("PATCH /channels/{channel_id}/messages/{message_id}", m, obj, rq.body)
	if strip && rep.status == 200 {
		m.EmbedsRemoved = true
	}
	return rep
}

func (s *Server) deleteMessage(rq *restReq) reply {
	m, rep, ok := s.channelMessage(rq)
	if !ok {
		return rep
	}
	m.Deleted = true
	return noContent()
}

func (s *Server) guild(id string) *Guild {
	for _, g := range s.guilds {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (s *Server) getGuild(rq *restReq) reply {
	g := s.guild(rq.params["guild_id"])
	if g == nil {
		return errReply(404, 10004, "Unknown Guild")
	}
	return jsonReply(200, s.wireGuild(g))
}

func (s *Server) getMember(rq *restReq) reply {
	gid := rq.params["guild_id"]
	if s.guild(gid) == nil {
		return errReply(404, 10004, "Unknown Guild")
	}
	uid := rq.params["user_id"]
	if uid == s.cfg.appID {
		m := s.wireMember(User{ID: uid, Username: "interviewbot", Roles: botRoleIDs(s.guild(gid))})
		m["user"] = s.botUser()
		return jsonReply(200, m)
	}
	seen, ok := s.users[uid]
	if !ok || !seen.guilds[gid] {
		return errReply(404, 10007, "Unknown Member")
	}
	u := seen.u
	u.Roles = s.memberRoles[gid+"/"+uid]
	return jsonReply(200, s.wireMember(u))
}

func (s *Server) getCommands(rq *restReq) reply {
	if rq.params["application_id"] != s.cfg.appID {
		return errReply(404, 10002, "Unknown Application")
	}
	out := s.commands[rq.params["guild_id"]]
	if out == nil {
		out = []json.RawMessage{}
	}
	return jsonReply(200, out)
}

func (s *Server) putCommands(rq *restReq) reply {
	where := "PUT " + rq.route.pattern
	if rq.params["application_id"] != s.cfg.appID {
		s.violate("%s: application id %s, want %s", where, rq.params["application_id"], s.cfg.appID)
		return errReply(404, 10002, "Unknown Application")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(rq.body, &raws); err != nil {
		return s.reject(where, []string{"body is not a JSON array of commands"})
	}
	cmds := make([]wireCommand, len(raws))
	for i, r := range raws {
		if err := json.Unmarshal(r, &cmds[i]); err != nil {
			return s.reject(where, []string{"commands[" + strconv.Itoa(i) + "]: " + err.Error()})
		}
	}
	probs, tooMany := checkCommands(cmds)
	if len(probs) > 0 {
		if tooMany {
			for _, p := range probs {
				s.violate("%s: %s", where, p)
			}
			return errReply(400, 30032, "Maximum number of application commands reached")
		}
		return s.reject(where, probs)
	}
	guildID := rq.params["guild_id"]
	out := make([]json.RawMessage, 0, len(raws))
	for i, r := range raws {
		var m map[string]any
		_ = json.Unmarshal(r, &m)
		typ := cmds[i].Type
		if typ == 0 {
			typ = 1
		}
		key := guildID + "/" + strconv.Itoa(typ) + "/" + cmds[i].Name
		id := s.commandIDs[key]
		if id == "" {
			id = s.newID()
			s.commandIDs[key] = id
		}
		m["id"] = id
		m["application_id"] = s.cfg.appID
		m["version"] = s.newID()
		m["type"] = typ
		if guildID != "" {
			m["guild_id"] = guildID
		}
		if _, ok := m["default_member_permissions"]; !ok {
			m["default_member_permissions"] = nil
		}
		if _, ok := m["description"]; !ok {
			m["description"] = ""
		}
		if _, ok := m["nsfw"]; !ok {
			m["nsfw"] = false
		}
		dropNulls(m, "default_member_permissions")
		out = append(out, mustJSON(m))
	}
	s.commands[guildID] = out
	s.overwrites++
	return jsonReply(http.StatusOK, out)
}

// dropNulls removes null members recursively, except the named keys.
func dropNulls(v any, keep ...string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil && !slices.Contains(keep, k) {
				delete(x, k)
				continue
			}
			dropNulls(e)
		}
	case []any:
		for _, e := range x {
			dropNulls(e)
		}
	}
}

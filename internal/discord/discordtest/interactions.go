package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Interaction types (the "type" of INTERACTION_CREATE).
const (
	TypeCommand      = 2
	TypeComponent    = 3
	TypeAutocomplete = 4
	TypeModalSubmit  = 5
)

// Opt is a slash command option as sent in INTERACTION_CREATE. Type 1 is a
// subcommand (use Options), 3 string, 4 integer, 5 boolean, 6 user,
// 7 channel, 8 role. Focused marks the option being typed (Autocomplete).
type Opt struct {
	Name    string `json:"name"`
	Type    int    `json:"type"`
	Value   any    `json:"value,omitempty"`
	Focused bool   `json:"focused,omitempty"`
	Options []Opt  `json:"options,omitempty"`
}

// Interaction is the handle of one INTERACTION_CREATE the fake sent.
type Interaction struct {
	ID, Token          string
	Type               int // TypeCommand, TypeComponent, TypeAutocomplete or TypeModalSubmit
	GuildID, ChannelID string
	User               User
	MessageID          string // the message a component or modal submit came from
	customID           string // a component's or form's custom_id

	s *Server
	// guarded by s.mu
	refused         error     // not delivered (ErrCommandNotAvailable)
	sentAt          time.Time // first delivery to a client; the deadline and token life start here
	resp            *Response
	original        *msgRec
	originalPending bool // deferred with type 5 and not yet edited
	followups       []*msgRec
	replyLost       bool // the callback counted but its reply was replaced (FailNextAfter)
}

// Response is the initial callback an interaction received.
type Response struct {
	Type          int
	Data          json.RawMessage
	Flags         int
	Content       string
	Embeds        []Embed
	Components    []json.RawMessage
	Choices       []Choice
	ModalCustomID string
	ModalTitle    string
	At            time.Time
}

// Slash sends a chat-input command (INTERACTION_CREATE type 2). guildID ""
// makes it a DM interaction (user instead of member). Like every
// interaction, it goes to the session of the guild's shard (shard 0 for a DM).
func (s *Server) Slash(guildID, channelID string, u User, name string, opts ...Opt) *Interaction {
	return s.interact(TypeCommand, guildID, channelID, u, s.commandData(guildID, name, opts), "")
}

// Autocomplete sends an autocomplete request (type 4); mark the option
// being typed with Focused.
func (s *Server) Autocomplete(guildID, channelID string, u User, name string, opts ...Opt) *Interaction {
	return s.interact(TypeAutocomplete, guildID, channelID, u, s.commandData(guildID, name, opts), "")
}

// Click presses a button (type 3) on a message; the payload carries the
// message as the fake stored it.
func (s *Server) Click(guildID, channelID string, u User, messageID, customID string) *Interaction {
	data := map[string]any{"custom_id": customID, "component_type": 2}
	return s.interact(TypeComponent, guildID, channelID, u, data, messageID)
}

// SubmitModal submits a modal (type 5) opened from a command; values are
// keyed by text input custom_id and sent as action rows of text inputs.
func (s *Server) SubmitModal(guildID, channelID string, u User, customID string, values map[string]string) *Interaction {
	return s.interact(TypeModalSubmit, guildID, channelID, u, modalData(customID, values), "")
}

// SubmitModalOnMessage submits a modal opened from a component on a
// message; the payload includes "message", which allows callback types 6 and 7.
func (s *Server) SubmitModalOnMessage(guildID, channelID string, u User, messageID, customID string, values map[string]string) *Interaction {
	return s.interact(TypeModalSubmit, guildID, channelID, u, modalData(customID, values), messageID)
}

func modalData(customID string, values map[string]string) map[string]any {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rows := []any{}
	for _, k := range keys {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": k, "value": values[k]},
		}})
	}
	return map[string]any{"custom_id": customID, "components": rows}
}

func (s *Server) commandData(guildID, name string, opts []Opt) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.commandIDs[guildID+"/1/"+name]
	if id == "" {
		id = s.commandIDs["/1/"+name]
	}
	if id == "" {
		id = s.newID()
	}
	d := map[string]any{"id": id, "name": name, "type": 1}
	if len(opts) > 0 {
		d["options"] = opts
	}
	if att := s.resolvedAttachments(opts); len(att) > 0 {
		d["resolved"] = map[string]any{"attachments": att}
	}
	if guildID != "" && s.commandIDs[guildID+"/1/"+name] != "" {
		d["guild_id"] = guildID
	}
	return d
}

// appPermissions is the interaction's app_permissions: "Bitwise set of
// permissions the app has within the channel the interaction was sent from"
// (interactions/receiving-and-responding.mdx, Interaction Object), computed
// like every other permission check of the fake.
func (s *Server) appPermissions(channelID string) string {
	return fmtPerms(s.botPermissionsIn(s.channels[channelID]))
}

// deliverable reports whether Discord would deliver the interaction: a
// member must see the channel's private thread (topics/threads.mdx), and
// with WithCommandPermissions may use the command. Call with s.mu held.
func (s *Server) deliverable(typ int, guildID, channelID string, u User, data map[string]any) bool {
	if guildID == "" {
		return true
	}
	if c := s.channels[channelID]; c != nil && c.typ == ChannelPrivateThread && !c.threadMembers[u.ID] {
		g := s.guild(guildID)
		p := parsePerms(u.Permissions)
		if g == nil || g.OwnerID != u.ID && p&(PermAdministrator|PermManageThreads) == 0 &&
			s.permissionsIn(c, u.ID, u.Roles)&PermManageThreads == 0 {
			return false
		}
	}
	if s.cfg.commandPerms && (typ == TypeCommand || typ == TypeAutocomplete) {
		name, _ := data["name"].(string)
		return s.commandAllowed(guildID, channelID, u, name)
	}
	return true
}

func (s *Server) interact(typ int, guildID, channelID string, u User, data map[string]any, messageID string) *Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := &Interaction{Type: typ, GuildID: guildID, ChannelID: channelID, User: u, MessageID: messageID, s: s}
	i.customID, _ = data["custom_id"].(string)
	i.ID = s.newID()
	i.Token = "aW50ZXJhY3Rpb24." + i.ID + "." + strconv.FormatUint(s.nextID*2654435761%1000000007, 36)
	locale := u.Locale
	if locale == "" {
		locale = "en-US"
	}
	s.seeMember(guildID, u)
	if !s.deliverable(typ, guildID, channelID, u, data) {
		i.refused = fmt.Errorf("interaction %s (%s) by %s in channel %s: %w", i.ID, i.what(), u.ID, channelID, ErrCommandNotAvailable)
		s.logLine(map[string]any{"not_delivered": i.refused.Error()})
		s.notify()
		return i
	}

	p := map[string]any{
		"id": i.ID, "application_id": s.cfg.appID, "type": typ, "token": i.Token, "version": 1,
		"data": data, "channel_id": channelID, "locale": locale,
		"app_permissions": s.appPermissions(channelID), "entitlements": []any{},
		"attachment_size_limit": s.cfg.uploadLimit,
	}
	if c := s.channels[channelID]; c != nil {
		p["channel"] = s.wireChannel(c)
	}
	if guildID != "" {
		p["guild_id"] = guildID
		p["guild_locale"] = "en-US"
		member := s.wireMember(u)
		member["permissions"] = s.memberPermissions(guildID, u)
		p["member"] = member
		p["context"] = 0
		p["authorizing_integration_owners"] = map[string]any{"0": guildID}
	} else {
		p["user"] = wireUser(u)
		p["context"] = 1
		p["authorizing_integration_owners"] = map[string]any{"0": "0"}
	}
	if messageID != "" {
		m := s.msgs[messageID]
		if m == nil {
			m = &msgRec{created: s.now()}
			m.ID, m.ChannelID = messageID, channelID
		}
		p["message"] = s.wireMessage(m)
	}
	s.inters[i.ID] = i
	s.byToken[i.Token] = i
	s.dispatch(guildID, "INTERACTION_CREATE", p, i.ID)
	s.notify()
	return i
}

// Interactions returns how many interactions the fake has created.
func (s *Server) Interactions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.inters)
}

func (i *Interaction) what() string {
	switch i.Type {
	case TypeCommand:
		return "command"
	case TypeComponent:
		return "component"
	case TypeAutocomplete:
		return "autocomplete"
	case TypeModalSubmit:
		return "modal submit"
	}
	return "type " + strconv.Itoa(i.Type)
}

// allowedCallbacks lists the callback types an interaction accepts.
func (i *Interaction) allowedCallbacks() []int {
	switch i.Type {
	case TypeCommand:
		return []int{4, 5, 9}
	case TypeComponent:
		return []int{4, 5, 6, 7, 9}
	case TypeAutocomplete:
		return []int{8}
	case TypeModalSubmit:
		if i.MessageID != "" {
			return []int{4, 5, 6, 7}
		}
		return []int{4, 5}
	}
	return nil
}

// Wait blocks until the initial callback arrives and returns it. It fails
// when the callback deadline passes first (counted from delivery) or ctx
// ends, and at once with ErrCommandNotAvailable when the fake did not
// deliver the interaction (see Delivered).
func (i *Interaction) Wait(ctx context.Context) (Response, error) {
	s := i.s
	if err := i.Err(); err != nil {
		return Response{}, err
	}
	for {
		s.mu.Lock()
		ch := s.changed
		resp, sent := i.resp, i.sentAt
		now := s.now()
		s.mu.Unlock()
		if resp != nil {
			return *resp, nil
		}
		var timeout <-chan time.Time
		var t *time.Timer
		if !sent.IsZero() {
			left := sent.Add(s.cfg.callbackDeadline).Sub(now)
			if left < 0 {
				return Response{}, fmt.Errorf("discordtest: interaction %s (%s): no callback within %v", i.ID, i.what(), s.cfg.callbackDeadline)
			}
			t = time.NewTimer(left + time.Millisecond)
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
		case <-ctx.Done():
		}
		if t != nil {
			t.Stop()
		}
		if err := ctx.Err(); err != nil {
			return Response{}, fmt.Errorf("discordtest: interaction %s (%s): waiting for the callback: %w", i.ID, i.what(), err)
		}
	}
}

// Err returns why the fake did not deliver the interaction (wrapping
// ErrCommandNotAvailable), or nil when it was sent.
func (i *Interaction) Err() error {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	return i.refused
}

// Latency is the time from delivering INTERACTION_CREATE to receiving the
// accepted callback (0 before that).
func (i *Interaction) Latency() time.Duration {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	if i.resp == nil || i.sentAt.IsZero() {
		return 0
	}
	return i.resp.At.Sub(i.sentAt)
}

// Original returns the current @original message: the reply of a type 4
// callback, a type 5 deferral once edited, or the component's message after
// type 6/7. ok is false before that.
func (i *Interaction) Original() (Message, bool) {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	if i.original == nil || i.originalPending {
		return Message{}, false
	}
	return i.original.copyOut(), true
}

// Followups returns the follow-up messages, oldest first.
func (i *Interaction) Followups() []Message {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	var out []Message
	for _, m := range i.followups {
		out = append(out, m.copyOut())
	}
	return out
}

// Response returns the initial callback, if one was accepted.
func (i *Interaction) Response() (Response, bool) {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	if i.resp == nil {
		return Response{}, false
	}
	return *i.resp, true
}

// ---- REST: callback and webhooks (s.mu held) ----

func (s *Server) callback(rq *restReq) reply {
	id, tok := rq.params["interaction_id"], rq.params["interaction_token"]
	i := s.inters[id]
	if i == nil || i.Token != tok {
		s.violate("callback: unknown interaction %s or wrong token", id)
		return errReply(404, 10062, "Unknown interaction")
	}
	if i.resp != nil {
		// "Interaction has already been acknowledged" (40060,
		// topics/opcodes-and-status-codes.mdx): one initial response per
		// interaction (interactions/receiving-and-responding.mdx). A retry
		// after a lost reply is the client's honest mistake, not a violation.
		if i.replyLost {
			return errReply(400, 40060, "Interaction has already been acknowledged.")
		}
		s.violate("interaction %s (%s): second callback: already acknowledged with type %d", id, i.what(), i.resp.Type)
		return errReply(400, 40060, "Interaction has already been acknowledged.")
	}
	now := rq.arrived
	if i.sentAt.IsZero() || now.Sub(i.sentAt) > s.cfg.callbackDeadline {
		s.violate("interaction %s (%s): late callback %v after delivery, past the %v deadline", id, i.what(), now.Sub(i.sentAt).Round(time.Millisecond), s.cfg.callbackDeadline)
		return errReply(404, 10062, "Unknown interaction")
	}
	where := fmt.Sprintf("interaction %s (%s) callback", id, i.what())
	var body struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rq.body, &body); err != nil {
		return s.reject(where, []string{"body: " + err.Error()})
	}
	if !slices.Contains(i.allowedCallbacks(), body.Type) {
		return s.reject(where, []string{fmt.Sprintf("callback type %d not allowed for a %s (allowed %v)", body.Type, i.what(), i.allowedCallbacks())})
	}
	var data map[string]json.RawMessage
	if len(body.Data) > 0 && string(body.Data) != "null" {
		if err := json.Unmarshal(body.Data, &data); err != nil {
			return s.reject(where, []string{"data is not an object"})
		}
	}
	resp := &Response{Type: body.Type, Data: append(json.RawMessage(nil), body.Data...), At: now}
	if rep, ok := s.applyCallback(rq, i, where, body.Type, data, body.Data, resp); !ok {
		return rep
	}
	if data != nil && body.Type != 8 && body.Type != 9 {
		_ = json.Unmarshal(data["flags"], &resp.Flags)
		_ = json.Unmarshal(data["content"], &resp.Content)
		_ = json.Unmarshal(data["embeds"], &resp.Embeds)
		_ = json.Unmarshal(data["components"], &resp.Components)
	}
	i.resp = resp
	if rq.query.Get("with_response") == "true" {
		return s.callbackResponse(i, body.Type, resp)
	}
	return noContent()
}

// applyCallback does what an initial response of type typ does: a new message (4), a
// deferral (5), an update of the clicked message (6, 7), autocomplete choices (8) or a form
// (9). ok is false when Discord would refuse it, with the reply to send.
func (s *Server) applyCallback(rq *restReq, i *Interaction, where string, typ int, data map[string]json.RawMessage, raw json.RawMessage, resp *Response) (reply, bool) {
	switch typ {
	case 4:
		if data == nil {
			return s.reject(where, []string{"type 4 without data"}), false
		}
		if rep, ok := s.checkNewWebhookMessage(where, data, rq.files, "an interaction reply"); !ok {
			return rep, false
		}
		m := s.newMessage(kindOriginal, i.ChannelID, data, raw)
		m.PingedRoles = s.pingedRoles(s.channels[i.ChannelID], data, false)
		m.webhook, m.interactionID = true, i.ID
		if i.Type == TypeCommand {
			m.msgType = 20
		}
		i.original = m
	case 5:
		if data != nil {
			if probs := checkFlags(data, flagEphemeral, "a deferred reply (type 5)"); len(probs) > 0 {
				return s.reject(where, probs), false
			}
		}
		m := s.newMessage(kindOriginal, i.ChannelID, map[string]json.RawMessage{"flags": data["flags"]}, raw)
		m.webhook, m.interactionID = true, i.ID
		if i.Type == TypeCommand {
			m.msgType = 20
		}
		i.original, i.originalPending = m, true
	case 6, 7:
		m := s.msgs[i.MessageID]
		if typ == 7 {
			if data == nil {
				return s.reject(where, []string{"type 7 without data"}), false
			}
			if m == nil {
				return errReply(404, 10008, "Unknown Message"), false
			}
			rep := s.editStored(where, m, data, raw)
			if rep.status != 200 {
				return rep, false
			}
		}
		i.original = m
	case 8:
		choices, probs := checkAutocomplete(raw)
		if len(probs) > 0 {
			return s.reject(where, probs), false
		}
		resp.Choices = choices
	case 9:
		if probs := checkModal(raw); len(probs) > 0 {
			return s.reject(where, probs), false
		}
		var md struct {
			CustomID string `json:"custom_id"`
			Title    string `json:"title"`
		}
		_ = json.Unmarshal(raw, &md)
		resp.ModalCustomID, resp.ModalTitle = md.CustomID, md.Title
	}
	return reply{}, true
}

// callbackResponse is Discord's answer to a callback sent with with_response=true.
func (s *Server) callbackResponse(i *Interaction, typ int, resp *Response) reply {
	// Discord then answers 200 with an interaction callback response, including the
	// message the callback created or updated.
	inter := map[string]any{"id": i.ID, "type": i.Type, "activity_instance_id": nil, "response_message_id": nil,
		"response_message_loading": typ == 5, "response_message_ephemeral": resp.Flags&flagEphemeral != 0}
	out := map[string]any{"interaction": inter}
	if i.original != nil && (typ == 4 || typ == 5 || typ == 7) {
		inter["response_message_id"] = i.original.ID
		out["resource"] = map[string]any{"type": typ, "message": s.wireMessage(i.original)}
	}
	return jsonReply(200, out)
}

// webhookInteraction resolves /webhooks/{app}/{token} to its interaction.
func (s *Server) webhookInteraction(rq *restReq) (*Interaction, reply, bool) {
	app, tok := rq.params["webhook_id"], rq.params["webhook_token"]
	where := rq.method + " " + rq.route.pattern
	i := s.byToken[tok]
	if app != s.cfg.appID || i == nil {
		s.violate("%s: unknown application id or interaction token", where)
		return nil, errReply(404, 10015, "Unknown Webhook"), false
	}
	start := i.sentAt
	if start.IsZero() {
		return nil, errReply(404, 10015, "Unknown Webhook"), false
	}
	if age := s.now().Sub(start); age > s.cfg.tokenTTL {
		s.violate("interaction %s: %s with a token %v old (life %v); post a channel message instead", i.ID, where, age.Round(time.Second), s.cfg.tokenTTL)
		return nil, errReply(401, 50027, "Invalid Webhook Token"), false
	}
	if i.resp == nil {
		s.violate("interaction %s: %s before the initial callback", i.ID, where)
		return nil, errReply(404, 10015, "Unknown Webhook"), false
	}
	return i, reply{}, true
}

// webhookTarget is the message a webhook message route addresses.
func (s *Server) webhookTarget(i *Interaction, rq *restReq) *msgRec {
	mid, isID := rq.params["message_id"]
	var m *msgRec
	switch {
	case !isID:
		m = i.original
	case i.original != nil && i.original.ID == mid:
		m = i.original
	default:
		for _, f := range i.followups {
			if f.ID == mid {
				m = f
			}
		}
	}
	if m == nil || m.Deleted {
		return nil
	}
	return m
}

func (s *Server) followup(rq *restReq) reply {
	i, rep, ok := s.webhookInteraction(rq)
	if !ok {
		return rep
	}
	where := fmt.Sprintf("interaction %s: follow-up", i.ID)
	obj := rq.obj()
	if obj == nil {
		return s.reject(where, []string{"body is not a JSON object"})
	}
	if rep, ok := s.checkNewWebhookMessage(where, obj, rq.files, "a follow-up"); !ok {
		return rep
	}
	var m *msgRec
	if i.original != nil && i.originalPending {
		// After a deferral the first follow-up completes the loading message.
		m = i.original
		keep := m.Flags & flagEphemeral
		applyMessage(m, obj, rq.body, true)
		s.attachUploads(where, m, obj, true)
		m.Flags = m.Flags&^flagEphemeral | keep
		i.originalPending = false
	} else {
		m = s.newMessage(kindFollowup, i.ChannelID, obj, rq.body)
		m.PingedRoles = s.pingedRoles(s.channels[i.ChannelID], obj, false)
		m.webhook, m.interactionID = true, i.ID
		i.followups = append(i.followups, m)
	}
	if rq.query.Get("wait") != "true" {
		return noContent()
	}
	return jsonReply(200, s.wireMessage(m))
}

// webhookMessage resolves /webhooks/{app}/{token}/messages/{id} to its interaction and its
// message (@original or a follow-up); ok is false, with the error reply, when either is unknown.
func (s *Server) webhookMessage(rq *restReq) (*Interaction, *msgRec, reply, bool) {
	i, rep, ok := s.webhookInteraction(rq)
	if !ok {
		return nil, nil, rep, false
	}
	m := s.webhookTarget(i, rq)
	if m == nil {
		return i, nil, errReply(404, 10008, "Unknown Message"), false
	}
	return i, m, reply{}, true
}

func (s *Server) getWebhookMessage(rq *restReq) reply {
	_, m, rep, ok := s.webhookMessage(rq)
	if !ok {
		return rep
	}
	return jsonReply(200, s.wireMessage(m))
}

func (s *Server) editWebhookMessage(rq *restReq) reply {
	i, m, rep, ok := s.webhookMessage(rq)
	if !ok {
		if i != nil {
			s.violate("interaction %s: %s %s: unknown message", i.ID, rq.method, rq.route.pattern)
		}
		return rep
	}
	rep = s.editStored(fmt.Sprintf("interaction %s: %s %s", i.ID, rq.method, rq.route.pattern), m, rq.obj(), rq.body)
	if rep.status == 200 && m == i.original {
		i.originalPending = false
	}
	return rep
}

func (s *Server) deleteWebhookMessage(rq *restReq) reply {
	_, m, rep, ok := s.webhookMessage(rq)
	if !ok {
		return rep
	}
	m.Deleted = true
	return noContent()
}

// checkNewWebhookMessage applies the rules for a message an interaction creates (a type 4
// reply or a follow-up): limits, allowed flags, not empty (files count: Discord requires one
// of content, embeds, sticker_ids, components, files[n] or poll). ok is false with the rejection.
func (s *Server) checkNewWebhookMessage(where string, obj map[string]json.RawMessage, files int, what string) (reply, bool) {
	probs := checkMessage(obj, true)
	probs = append(probs, checkFlags(obj, flagEphemeral|flagSuppressEmbeds|flagSuppressNotifications|flagComponentsV2, what)...)
	if len(probs) > 0 {
		return s.reject(where, probs), false
	}
	if emptyBody(obj) && files == 0 {
		s.violate("%s: empty message (no content, embeds or components)", where)
		return errReply(400, 50006, "Cannot send an empty message"), false
	}
	return reply{}, true
}

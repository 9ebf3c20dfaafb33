package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// handler serves one kind of interaction. It answers through r exactly once (the router
// answers with an error reply if it returns an error before answering).
type handler func(ctx context.Context, r *responder) error

type route struct {
	h handler
	// how says how to defer if the handler is slow. Discord fixes a message's visibility with
	// the first response, so it must match what the handler will send.
	how deferKind
}

type deferKind int

const (
	deferPrivate deferKind = iota // type 5, ephemeral: a private "thinking…"
	deferPublic                   // type 5: a public "thinking…"
	deferUpdate                   // type 6: the handler will update the clicked message
	deferNever                    // the handler must answer first (a modal, autocomplete)
)

// responder sends the one initial response to an interaction, deferring on its own when the
// handler takes longer than deferAfter, and turns later replies into edits of @original.
type responder struct {
	b     *Bot
	i     *discordgo.Interaction
	actor quiz.Actor
	start time.Time
	name  string

	mu       sync.Mutex
	how      deferKind // how to defer if the handler is slow
	state    respState
	timer    *time.Timer
	acked    time.Duration
	deferred deferKind // how it deferred, when state is respDeferred
	didDefer bool
	public   bool // the message the member ends up seeing is visible to the channel
}

// setDefer changes how a slow handler will defer, once the handler knows what it will send;
// it has no effect after the first response.
func (r *responder) setDefer(how deferKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state == respNone {
		r.how = how
	}
}

type respState int

const (
	respNone respState = iota
	respDeferred
	respDone
)

// callbackWindow is how long after an interaction arrives its first response may still be
// sent: Discord allows 3 s, including the network.
const callbackWindow = 2800 * time.Millisecond

// callback sends the initial response, inside Discord's 3-second window: no rate-limit retries
// (a retry would miss the window anyway) and a deadline counted from the interaction's arrival.
func (r *responder) callback(resp *discordgo.InteractionResponse) error {
	ctx, cancel := context.WithDeadline(r.b.ctx, r.start.Add(callbackWindow))
	defer cancel()
	err := r.b.s.InteractionRespond(r.i, resp, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err == nil {
		r.acked = time.Since(r.start)
	}
	return err
}

// autoDefer runs when the handler is slow.
func (r *responder) autoDefer() {
	r.mu.Lock()
	defer r.mu.Unlock()
	how := r.how
	if r.state != respNone || how == deferNever {
		return
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	switch how {
	case deferPrivate:
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	case deferUpdate:
		resp.Type = discordgo.InteractionResponseDeferredMessageUpdate
	}
	if err := r.callback(resp); err != nil {
		r.b.log.Warn("deferring a slow interaction failed", "interaction_id", r.i.ID, "err", r.redact(err))
		var rest *discordgo.RESTError
		if errors.As(err, &rest) {
			r.state = respDone // Discord refused it: nothing was shown
			return
		}
		// A timeout or network error: Discord may have shown the deferral, so answer as if
		// it had (a private answer then takes the path that cannot leak).
	}
	r.state, r.deferred, r.didDefer = respDeferred, how, true
}

// redact removes the interaction's token from an error's text: discordgo's errors quote the
// request URL, and interaction URLs carry the token.
func (r *responder) redact(err error) error {
	if err == nil || r.i.Token == "" || !strings.Contains(err.Error(), r.i.Token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), r.i.Token, "[token]"))
}

func responseData(m message) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.Files,
	}
	if m.Ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// replyPosted answers with a new public message and returns that message: as the first
// response it asks Discord for it in the same round trip (with_response), so nothing has to read
// it back. If the response was already deferred or sent, the message is unknown (nil).
func (r *responder) replyPosted(m message) (*discordgo.Message, error) {
	r.mu.Lock()
	if r.state != respNone || m.Ephemeral || len(m.Files) > 0 {
		r.mu.Unlock()
		return nil, r.reply(m)
	}
	defer r.mu.Unlock()
	r.stopTimer()
	r.state, r.public = respDone, true
	ctx, cancel := context.WithDeadline(r.b.ctx, r.start.Add(callbackWindow))
	defer cancel()
	ep := discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token)
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(m)}
	raw, err := r.b.s.RequestWithBucketID(http.MethodPost, ep+"?with_response=true", resp, ep,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		return nil, err
	}
	r.acked = time.Since(r.start)
	var out struct {
		Resource struct {
			Message *discordgo.Message `json:"message"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Resource.Message == nil {
		return nil, nil // answered; the message id comes from the next button press
	}
	return out.Resource.Message, nil
}

// reply answers with a new message (type 4), or edits the deferred response.
func (r *responder) reply(m message) error {
	return r.send(m, discordgo.InteractionResponseChannelMessageWithSource)
}

// updateMessage replaces the message a button was on (type 7).
func (r *responder) updateMessage(m message) error {
	return r.send(m, discordgo.InteractionResponseUpdateMessage)
}

func (r *responder) send(m message, typ discordgo.InteractionResponseType) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	switch {
	case r.state == respNone:
		r.state = respDone
		r.public = !m.Ephemeral && (typ == discordgo.InteractionResponseChannelMessageWithSource || r.messagePublic())
		return r.callback(&discordgo.InteractionResponse{Type: typ, Data: responseData(m)})
	case r.state == respDeferred && r.deferred == deferPublic && m.Ephemeral:
		// A public "thinking…" cannot become private, and the first follow-up after it would
		// inherit its visibility: resolve it with a neutral edit, delete it, then answer with a
		// private follow-up.
		r.state = respDone
		ctx, cancel := context.WithTimeout(r.b.ctx, 30*time.Second)
		defer cancel()
		done := "…"
		if _, err := r.b.s.InteractionResponseEdit(r.i, &discordgo.WebhookEdit{Content: &done, AllowedMentions: noMentions()}, discordgo.WithContext(ctx)); err != nil {
			return err
		}
		if err := r.b.s.InteractionResponseDelete(r.i, discordgo.WithContext(ctx)); err != nil {
			r.b.log.Warn("could not delete a deferred reply", "interaction_id", r.i.ID, "err", r.redact(err))
		}
		return r.followup(m)
	case r.state == respDeferred && (r.deferred != deferUpdate || typ == discordgo.InteractionResponseUpdateMessage):
		// Edit what the deferral showed: the "thinking…" message, or the clicked message.
		r.state = respDone
		r.public = r.deferred == deferPublic || (r.deferred == deferUpdate && r.messagePublic())
		edit := &discordgo.WebhookEdit{Content: &m.Content, Embeds: &m.Embeds, Components: &m.Components, AllowedMentions: noMentions(), Files: m.Files}
		ctx, cancel := context.WithTimeout(r.b.ctx, 30*time.Second)
		defer cancel()
		_, err := r.b.s.InteractionResponseEdit(r.i, edit, discordgo.WithContext(ctx))
		return err
	}
	// Already answered (or deferred as an update, and now a new message): a follow-up.
	r.state = respDone
	return r.followup(m)
}

func (r *responder) followup(m message) error {
	params := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.Files}
	if m.Ephemeral {
		params.Flags = discordgo.MessageFlagsEphemeral
	}
	ctx, cancel := context.WithTimeout(r.b.ctx, 30*time.Second)
	defer cancel()
	_, err := r.b.s.FollowupMessageCreate(r.i, true, params, discordgo.WithContext(ctx))
	return err
}

// messagePublic reports whether the message a component was on is visible to the channel.
func (r *responder) messagePublic() bool {
	return r.i.Message != nil && r.i.Message.Flags&discordgo.MessageFlagsEphemeral == 0
}

// deliveredPublic reports whether the handler's answer went to the channel for everyone.
func (r *responder) deliveredPublic() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.public
}

// modal opens a modal; it must be the initial response, so handlers call it before any work.
func (r *responder) modal(d *discordgo.InteractionResponseData) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	if r.state != respNone {
		return errors.New("discord: a modal must be the first response")
	}
	r.state = respDone
	return r.callback(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: d})
}

// ack acknowledges a component without changing anything (type 6).
func (r *responder) ack() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	if r.state != respNone {
		return nil
	}
	r.state = respDone
	return r.callback(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
}

func (r *responder) choices(cs []*discordgo.ApplicationCommandOptionChoice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	r.state = respDone
	if len(cs) > maxAutocomplete {
		cs = cs[:maxAutocomplete]
	}
	if cs == nil {
		cs = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return r.callback(&discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: cs}})
}

func (r *responder) stopTimer() {
	if r.timer != nil {
		r.timer.Stop()
	}
}

func (r *responder) answered() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state != respNone
}

// errorReply is the one place errors become what a member sees: a short private message. Internal
// errors are logged with the interaction id and shown as a generic apology.
func (b *Bot) errorReply(r *responder, err error) {
	code := quiz.ErrorCode(err)
	if code == quiz.EINTERNAL {
		b.log.Error("interaction failed", "interaction_id", r.i.ID, "command", r.name, "guild_id", r.actor.Guild,
			"user_id", r.actor.User, "err", r.redact(err))
	}
	if r.i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		_ = r.choices(nil)
		return
	}
	msg := quiz.ErrorMessageIn(err, b.q.Lang(b.ctx, r.actor))
	if rerr := r.reply(message{Content: "⚠️ " + truncate(msg, maxContent-3), Ephemeral: true}); rerr != nil {
		b.log.Warn("could not send the error reply", "interaction_id", r.i.ID, "err", r.redact(rerr))
	}
}

// interactionName names an interaction for logs and metrics: the command and subcommand, or
// the component action.
func interactionName(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d := i.ApplicationCommandData()
		name := d.Name
		if len(d.Options) > 0 && d.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
			name += " " + d.Options[0].Name
		}
		return name
	case discordgo.InteractionMessageComponent:
		if c, err := parseCustomID(i.MessageComponentData().CustomID); err == nil {
			return "button " + c.Action
		}
		return "button ?"
	case discordgo.InteractionModalSubmit:
		if c, err := parseCustomID(i.ModalSubmitData().CustomID); err == nil {
			return "modal " + c.Action
		}
		return "modal ?"
	}
	return fmt.Sprintf("type %d", i.Type)
}

// actorOf turns the interaction's invoker into a quiz.Actor. Permissions come from the member
// object Discord computed for this channel, never from anything the client can set.
func actorOf(i *discordgo.Interaction) quiz.Actor {
	a := quiz.Actor{Locale: string(i.Locale)}
	a.Guild = quiz.GuildID(parseSnowflake(i.GuildID))
	var u *discordgo.User
	if i.Member != nil {
		u = i.Member.User
		a.Manager = i.Member.Permissions&(permAdministrator|permManageGuild) != 0
		for _, r := range i.Member.Roles {
			a.Roles = append(a.Roles, quiz.RoleID(parseSnowflake(r)))
		}
		if i.Member.Nick != "" {
			a.Name = i.Member.Nick
		}
	} else {
		u = i.User
	}
	if u != nil {
		a.User = quiz.UserID(parseSnowflake(u.ID))
		if a.Name == "" {
			a.Name = u.GlobalName
		}
		if a.Name == "" {
			a.Name = u.Username
		}
	}
	return a
}

func parseSnowflake(s string) uint64 {
	v, err := quiz.ParseID(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return v
}

package discord

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
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

// replyTimeout bounds a later REST call about an interaction (an edit of its response, a
// follow-up) and background work after a handler.
const replyTimeout = 30 * time.Second

// callback sends the initial response, inside Discord's 3-second window: no rate-limit retries
// (a retry would miss the window anyway) and a deadline counted from the interaction's arrival.
// A 502 is retried at once (up to 3 times), as discordgo did; a 40060 after that retry means the
// first attempt had counted.
func (r *responder) callback(ctx context.Context, resp *discordgo.InteractionResponse) error {
	ctx, cancel := context.WithDeadline(ctx, r.start.Add(callbackWindow))
	defer cancel()
	_, err := r.respond(ctx, resp, "")
	if alreadyAcknowledged(err) {
		r.b.log.Info("interaction callback retried after it had counted (40060): acknowledged", "interaction_id", r.i.ID)
		err = nil
	}
	if err == nil {
		r.acked = time.Since(r.start)
	}
	return err
}

// alreadyAcknowledged reports Discord's 40060, "Interaction has already been acknowledged".
// The responder sends one initial response, so it means discordgo retried a callback (after a
// 502) that Discord had accepted: the response was shown.
func alreadyAcknowledged(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged
}

// autoDefer runs when the handler is slow.
func (r *responder) autoDefer(ctx context.Context) {
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
	if err := r.callback(ctx, resp); err != nil {
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

// replyPosted answers with a new public message and returns that message (its id and
// channel id only): as the first
// response it asks Discord for it in the same round trip (with_response), so nothing has to read
// it back. If the response was already deferred or sent, the message is unknown (nil).
func (r *responder) replyPosted(ctx context.Context, m message) (*discordgo.Message, error) {
	r.mu.Lock()
	if r.state != respNone || m.Ephemeral || len(m.Files) > 0 {
		r.mu.Unlock()
		return nil, r.reply(ctx, m)
	}
	defer r.mu.Unlock()
	r.stopTimer()
	r.state, r.public = respDone, true
	ctx, cancel := context.WithDeadline(ctx, r.start.Add(callbackWindow))
	defer cancel()
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(m)}
	raw, err := r.respond(ctx, resp, "with_response=true")
	if alreadyAcknowledged(err) {
		// A retried callback that had counted: the question was posted, but its message is
		// known only by reading @original (the caller does).
		r.b.log.Info("interaction callback retried after it had counted (40060): acknowledged", "interaction_id", r.i.ID)
		r.acked = time.Since(r.start)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.acked = time.Since(r.start)
	// Only the ids are used: decoding the whole message (embeds, components) would cost more
	// than the rest of the reply.
	var out struct {
		Resource struct {
			Message *struct {
				ID        string `json:"id"`
				ChannelID string `json:"channel_id"`
			} `json:"message"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Resource.Message == nil || out.Resource.Message.ID == "" {
		return nil, nil // answered; the message id comes from the next button press
	}
	return &discordgo.Message{ID: out.Resource.Message.ID, ChannelID: out.Resource.Message.ChannelID}, nil
}

// reply answers with a new message (type 4), or edits the deferred response.
func (r *responder) reply(ctx context.Context, m message) error {
	return r.send(ctx, m, discordgo.InteractionResponseChannelMessageWithSource)
}

// updateMessage replaces the message a button was on (type 7).
func (r *responder) updateMessage(ctx context.Context, m message) error {
	return r.send(ctx, m, discordgo.InteractionResponseUpdateMessage)
}

func (r *responder) send(ctx context.Context, m message, typ discordgo.InteractionResponseType) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	switch {
	case r.state == respNone:
		r.state = respDone
		r.public = !m.Ephemeral && (typ == discordgo.InteractionResponseChannelMessageWithSource || r.messagePublic())
		return r.callback(ctx, &discordgo.InteractionResponse{Type: typ, Data: responseData(m)})
	case r.state == respDeferred && r.deferred == deferPublic && m.Ephemeral:
		// A public "thinking…" cannot become private, and the first follow-up after it would
		// inherit its visibility: resolve it with a neutral edit, delete it, then answer with a
		// private follow-up.
		r.state = respDone
		ctx, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		done := "…"
		if err := r.editOriginal(ctx, &discordgo.WebhookEdit{Content: &done, AllowedMentions: noMentions()}); err != nil {
			return err
		}
		if err := r.deleteOriginal(ctx); err != nil {
			r.b.log.Warn("could not delete a deferred reply", "interaction_id", r.i.ID, "err", r.redact(err))
		}
		return r.followup(ctx, m)
	case r.state == respDeferred && (r.deferred != deferUpdate || typ == discordgo.InteractionResponseUpdateMessage):
		// Edit what the deferral showed: the "thinking…" message, or the clicked message.
		r.state = respDone
		r.public = r.deferred == deferPublic || (r.deferred == deferUpdate && r.messagePublic())
		edit := &discordgo.WebhookEdit{Content: &m.Content, Embeds: &m.Embeds, Components: &m.Components, AllowedMentions: noMentions(), Files: m.Files}
		ctx, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		return r.editOriginal(ctx, edit)
	}
	// Already answered (or deferred as an update, and now a new message): a follow-up.
	r.state = respDone
	return r.followup(ctx, m)
}

func (r *responder) followup(ctx context.Context, m message) error {
	params := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.Files}
	if m.Ephemeral {
		params.Flags = discordgo.MessageFlagsEphemeral
	}
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	return r.createFollowup(ctx, params)
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

// modal opens a form; it must be the initial response, so its route never defers and the
// handler opens it before any slow work.
func (r *responder) modal(ctx context.Context, d *discordgo.InteractionResponseData) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	if r.state != respNone {
		return errors.New("discord: a modal must be the first response")
	}
	r.state = respDone
	return r.callback(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: d})
}

// fallback answers an interaction its handler left unanswered. A button, or a form opened
// from a button, is acknowledged without changing anything (type 6); a slash command, or a
// form opened from one, may not take type 6, so it gets a short private reply (type 4).
func (r *responder) fallback(ctx context.Context, l quiz.Lang) error {
	if !fromMessage(r.i) {
		return r.reply(ctx, message{Content: l.Msg("common.done"), Ephemeral: true})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	if r.state != respNone {
		return nil
	}
	r.state = respDone
	return r.callback(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
}

// fromMessage reports whether an interaction came from a message (a button, or a form opened
// from one): only those accept the update callbacks, types 6 and 7.
func fromMessage(i *discordgo.Interaction) bool {
	return i.Type == discordgo.InteractionMessageComponent || (i.Type == discordgo.InteractionModalSubmit && i.Message != nil)
}

func (r *responder) choices(ctx context.Context, cs []*discordgo.ApplicationCommandOptionChoice) error {
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
	return r.callback(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
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

package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

var _ quiz.Publisher = (*Bot)(nil)

// messageSendNonce adds the nonce fields discordgo v0.29.0's MessageSend lacks: with
// enforce_nonce, Discord returns the earlier message for a repeated nonce instead of posting twice.
type messageSendNonce struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// post sends a channel message with a nonce, within the bot's global rate. A channel where the
// bot may not post (by the gateway state, or because it answered 403 or 404 before) is not
// tried: the error is the service's EFORBIDDEN or ENOTFOUND, which pauses a daily schedule.
func (b *Bot) post(ctx context.Context, ch quiz.ChannelID, m *discordgo.MessageSend, nonce string) (quiz.MessageID, error) {
	need := func(thread bool) []channelPerm {
		ps := postingPerms(thread)[:2] // View Channel, Send Messages (in Threads)
		if len(m.Embeds) > 0 {
			ps = append(ps, permEmbedLinks)
		}
		if m.Reference != nil {
			ps = append(ps, permReadHistory)
		}
		return ps
	}
	if err := b.mayPost(ch, need); err != nil {
		return 0, err
	}
	if err := b.lim.wait(ctx); err != nil {
		return 0, err
	}
	for _, e := range m.Embeds {
		e.Type = discordgo.EmbedTypeRich
	}
	ep := discordgo.EndpointChannelMessages(ch.String())
	raw, err := b.s.RequestWithBucketID(http.MethodPost, ep, messageSendNonce{m, nonce, nonce != ""}, ep, discordgo.WithContext(ctx))
	if err != nil {
		if qerr := b.refused(ch, err); qerr != err {
			return 0, qerr
		}
		return 0, fmt.Errorf("discord: post to channel %d: %w", ch, err)
	}
	var msg discordgo.Message
	if err := json.Unmarshal(raw, &msg); err != nil {
		return 0, fmt.Errorf("discord: decode posted message: %w", err)
	}
	if len(m.Embeds) > 0 && len(msg.Embeds) == 0 {
		// Discord dropped the embeds (no Embed Links, which the state did not show): the post
		// says "Answer privately…" without the question. Take it back and stop here.
		if err := b.s.ChannelMessageDelete(ch.String(), msg.ID, discordgo.WithContext(ctx)); err != nil {
			b.log.Warn("discord: could not delete a post that lost its embeds", "channel_id", ch, "err", err)
		}
		qerr := permsError(ch, []string{permEmbedLinks.name})
		guild := msg.GuildID
		if c, err := b.s.State.Channel(ch.String()); err == nil {
			guild = c.GuildID
		}
		b.blocked.set(ch.String(), guild, qerr)
		return 0, qerr
	}
	return quiz.MessageID(parseSnowflake(msg.ID)), nil
}

// PostQuestion posts a daily question. The role, if any, is the only mention allowed.
func (b *Bot) PostQuestion(ctx context.Context, p quiz.QuestionPost) (quiz.MessageID, error) {
	m := questionMessage(p.Question, p.Lang, p.Session)
	send := &discordgo.MessageSend{Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
	send.Content = p.Lang.Msg("label.answer_privately")
	if p.Role != 0 {
		send.Content = fmt.Sprintf("<@&%d> %s", p.Role, send.Content)
		send.AllowedMentions.Roles = []string{p.Role.String()}
	}
	return b.post(ctx, p.Channel, send, p.Nonce)
}

// PostReveal posts a reference answer under its question, and then updates the question
// (without its Close button, with the final count), unless a Close click asked for the reveal:
// the click's response updates the question itself, so it is edited once.
func (b *Bot) PostReveal(ctx context.Context, p quiz.RevealPost) (quiz.MessageID, error) {
	id, err := b.post(ctx, p.Channel, revealMessage(p), p.Nonce)
	if err != nil {
		return 0, err
	}
	if p.ReplyTo != 0 && !p.Closed {
		b.scheduleCountEdit(ctx, p.Guild, p.Session.ID)
	}
	return id, nil
}

// Notify sends a member a direct message, best effort.
func (b *Bot) Notify(ctx context.Context, _ quiz.GuildID, u quiz.UserID, text string) error {
	if err := b.lim.wait(ctx); err != nil {
		return err
	}
	ch, err := b.s.UserChannelCreate(u.String(), discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: open DM with %d: %w", u, err)
	}
	_, err = b.post(ctx, quiz.ChannelID(parseSnowflake(ch.ID)), &discordgo.MessageSend{Content: truncate(text, maxContent), AllowedMentions: noMentions()}, "")
	return err
}

type editKey struct {
	g quiz.GuildID
	s quiz.SessionID
}

// maxPendingEdits caps the question messages with an edit in flight (each entry goes when
// its edit is done).
const maxPendingEdits = 1000

// pendingEdit coalesces the edits of one public question message: however many members
// answer at once, at most one edit is in flight and one more is queued.
type pendingEdit struct {
	dirty bool
}

// scheduleCountEdit refreshes the answered count (and buttons) of a public question message.
func (b *Bot) scheduleCountEdit(ctx context.Context, g quiz.GuildID, sid quiz.SessionID) {
	k := editKey{g, sid}
	b.mu.Lock()
	if pe, ok := b.edits[k]; ok {
		pe.dirty = true
		b.mu.Unlock()
		return
	}
	if len(b.edits) >= maxPendingEdits {
		// Only a flood of answers to that many questions at once, with Discord slow to take
		// the edits, comes here: this count waits for the next answer or the reveal.
		b.mu.Unlock()
		b.log.Debug("discord: too many question edits pending; skipping one", "guild_id", g, "session_id", sid)
		return
	}
	b.edits[k] = &pendingEdit{}
	b.mu.Unlock()
	started := b.background(ctx, func(ctx context.Context) {
		for {
			b.editQuestion(ctx, g, sid)
			b.mu.Lock()
			pe := b.edits[k]
			if !pe.dirty {
				delete(b.edits, k)
				b.mu.Unlock()
				return
			}
			pe.dirty = false
			b.mu.Unlock()
		}
	})
	if !started {
		b.mu.Lock()
		delete(b.edits, k)
		b.mu.Unlock()
	}
}

// editQuestion rewrites a public question message from the session: its count and buttons.
func (b *Bot) editQuestion(ctx context.Context, g quiz.GuildID, sid quiz.SessionID) {
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	sess, q, err := b.practice.Session(ctx, g, sid)
	if err != nil || sess.Message == 0 {
		return
	}
	if err := b.mayPost(sess.Channel, func(bool) []channelPerm { return []channelPerm{permViewChannel, permReadHistory} }); err != nil {
		b.log.Debug("discord: not updating a question message", "guild_id", g, "session_id", sid, "err", err)
		return
	}
	if err := b.lim.wait(ctx); err != nil {
		return
	}
	m := questionMessage(q, sess.Lang, sess)
	edit := discordgo.NewMessageEdit(sess.Channel.String(), sess.Message.String())
	edit.Embeds = &m.Embeds
	edit.Components = &m.Components
	edit.AllowedMentions = noMentions()
	if _, err := b.s.ChannelMessageEditComplex(edit, discordgo.WithContext(ctx)); err != nil {
		b.log.Warn("discord: could not update a question message", "guild_id", g, "session_id", sid, "err", b.refused(sess.Channel, err))
	}
}

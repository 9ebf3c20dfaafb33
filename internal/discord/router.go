package discord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// handler serves one interaction once it is routed. It answers through r exactly once (the
// router answers with an error reply if it returns an error before answering).
type handler func(ctx context.Context, r *responder) error

// route is a table entry resolved for one interaction.
type route struct {
	h handler
	// how says how to defer if the handler is slow. Discord fixes a message's visibility with
	// the first response, so it must match what the handler will send.
	how deferKind
}

type deferKind int

const (
	deferPrivate deferKind = iota // type 5, ephemeral: a private "thinking…" (the default)
	deferPublic                   // type 5: a public "thinking…"
	deferUpdate                   // type 6: the handler will update the clicked message
	deferNever                    // the handler must answer first (a form, autocomplete)
)

// onInteraction serves one interaction: route it, start the defer timer, run the handler, and
// turn its error into the reply. discordgo runs each event in its own goroutine.
func (b *Bot) onInteraction(ctx context.Context, ic *discordgo.InteractionCreate) {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return // no new work during shutdown; Discord shows the member a failure, nothing is half-done
	}
	b.inflight.Add(1)
	b.mu.Unlock()
	defer b.inflight.Done()

	i := ic.Interaction
	r := &responder{b: b, i: i, actor: actorOf(i), start: time.Now(), name: interactionName(i)}
	rt, ok := b.route(i)
	r.how = rt.how
	if !ok {
		b.errorReply(ctx, r, quiz.Errorf(quiz.EINVALID, "interaction.unknown"))
		b.finish(r, errors.New("unknown"))
		return
	}
	if r.actor.Guild == 0 || r.actor.User == 0 {
		// Every command is for servers only, so Discord sends none without a server; a forged
		// one (no guild id, or "0") must not act on a server 0 that every such forgery shares.
		err := quiz.Errorf(quiz.EINVALID, "guild.only")
		b.errorReply(ctx, r, err)
		b.finish(r, err)
		return
	}
	if i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		r.timer = time.AfterFunc(b.opts.DeferAfter, func() { r.autoDefer(ctx) })
	}
	err := runHandler(ctx, r, rt.h)
	r.stopTimer()
	if err != nil {
		b.errorReply(ctx, r, err)
	} else if !r.answered() {
		if err := r.fallback(ctx, b.members.Lang(ctx, r.actor)); err != nil {
			b.log.Warn("could not acknowledge an interaction", "interaction_id", r.i.ID, "err", r.redact(err))
		}
	}
	b.finish(r, err)
}

// runHandler runs h, turning a panic into an error.
func runHandler(ctx context.Context, r *responder, h handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("discord: handler panic: %v", p)
		}
	}()
	return h(ctx, r)
}

// route looks an interaction up in the tables: a command (and subcommand) in commandTable, a
// button or form by its custom id's action in actions. It says how to defer and what to run.
func (b *Bot) route(i *discordgo.Interaction) (route, bool) {
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		return route{h: b.autocomplete, how: deferNever}, true
	case discordgo.InteractionApplicationCommand:
		sub, o := commandOptions(i.ApplicationCommandData())
		c, s, ok := commandRoute(i.ApplicationCommandData().Name, sub)
		if !ok {
			return route{}, false
		}
		return route{how: s.deferFor(o), h: func(ctx context.Context, r *responder) error {
			if c.moderators {
				// Checked here too, before any form opens: the client may show the command to
				// anyone whose permissions changed since, and a forged interaction may call it.
				// The service checks again inside every change. Whom Discord lets use the
				// command (Integrations overrides included) moderates.
				r.actor.Moderator = !r.actor.Manager && b.mayUse(ctx, i, c.def.Name)
				if err := b.mods.CheckModerator(ctx, r.actor); err != nil {
					return err
				}
			}
			return s.run(b, ctx, r, o)
		}}, true
	case discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit:
		c, a, ok := componentRoute(i)
		if !ok {
			return route{}, false
		}
		return route{how: a.how, h: func(ctx context.Context, r *responder) error {
			if a.moderators || a.moderatorsMayMore {
				r.actor.Moderator = !r.actor.Manager && b.mayUse(ctx, i, a.moderatedBy()...)
			}
			if a.moderators {
				// A moderator's button or form: a forged click is refused before anything else.
				if err := b.mods.CheckModerator(ctx, r.actor); err != nil {
					return err
				}
			}
			if a.ownReply && !ownReply(i) {
				return quiz.Errorf(quiz.EFORBIDDEN, "error.this_button_belongs_to_someone")
			}
			if a.onMock && i.Message != nil && !carries(i.Message, mockAction, strconv.FormatUint(c.ID, 10)) {
				return quiz.Errorf(quiz.EINVALID, "error.this_button_is_not_on_2")
			}
			return a.run(b, ctx, r, c)
		}}, true
	}
	return route{}, false
}

// componentRoute parses a button's or a form's custom id and finds its action, which must be
// of the same kind.
func componentRoute(i *discordgo.Interaction) (customID, action, bool) {
	form := i.Type == discordgo.InteractionModalSubmit
	var raw string
	if form {
		raw = i.ModalSubmitData().CustomID
	} else {
		raw = i.MessageComponentData().CustomID
	}
	c, err := parseCustomID(raw)
	if err != nil || actions[c.Action].form != form {
		return customID{}, action{}, false
	}
	return c, actions[c.Action], true
}

// ownReply reports whether the message a button was clicked on is the clicker's own private
// reply: ephemeral, and created in answer to an interaction of theirs (interaction_metadata,
// which Discord sets and keeps through updates).
func ownReply(i *discordgo.Interaction) bool {
	m := i.Message
	if m == nil || m.Flags&discordgo.MessageFlagsEphemeral == 0 || m.InteractionMetadata == nil || m.InteractionMetadata.User == nil {
		return false
	}
	u := i.User
	if i.Member != nil {
		u = i.Member.User
	}
	return u != nil && u.ID != "" && m.InteractionMetadata.User.ID == u.ID
}

// finish logs and counts one served interaction.
func (b *Bot) finish(r *responder, err error) {
	outcome := "ok"
	switch c := quiz.ErrorCode(err); {
	case err == nil:
	case c == quiz.EINTERNAL:
		outcome = "error"
	default:
		outcome = c
	}
	b.obs.Interaction(r.name, outcome, r.acked)
	b.log.Info("interaction", "interaction_id", r.i.ID, "command", r.name, "outcome", outcome,
		"guild_id", r.actor.Guild, "user_id", r.actor.User, "latency_ms", time.Since(r.start).Milliseconds(),
		"ack_ms", r.acked.Milliseconds(), "deferred", r.didDefer)
}

// errorReply is the one place errors become what a member sees: a short private message. Internal
// errors are logged with the interaction id and shown as a generic apology.
func (b *Bot) errorReply(ctx context.Context, r *responder, err error) {
	code := quiz.ErrorCode(err)
	if code == quiz.EINTERNAL {
		b.log.Error("interaction failed", "interaction_id", r.i.ID, "command", r.name, "guild_id", r.actor.Guild,
			"user_id", r.actor.User, "err", r.redact(err))
	}
	if r.i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		_ = r.choices(ctx, nil)
		return
	}
	msg := quiz.ErrorMessageWith(err, b.members.Lang(ctx, r.actor), timestamp)
	if rerr := r.reply(ctx, message{Content: "⚠️ " + truncate(msg, maxContent-3), Ephemeral: true}); rerr != nil {
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

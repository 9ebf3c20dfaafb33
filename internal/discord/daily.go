package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

func (b *Bot) setupDaily(ctx context.Context, r *responder, o opts) error {
	req := quiz.DailyRequest{Channel: quiz.ChannelID(o.id("channel")), At: o.str("time"), TZ: o.str("timezone"),
		Topics: o.str("topics"), Days: o.str("days"), Role: quiz.RoleID(o.id("role"))}
	if h, ok := o.number("reveal_after"); ok {
		req.RevealAfter = time.Duration(h * float64(time.Hour))
	}
	l := b.members.Lang(ctx, r.actor)
	// Checked before anything is saved: a channel or role of another server, a channel the bot
	// cannot post in (with its question embeds, replies and edits), and @everyone as the role.
	if err := b.checkRole(ctx, r.i.GuildID, req.Role); err != nil {
		return err
	}
	if req.Channel != 0 {
		missing, perms, err := b.dailyChannelPerms(ctx, r.i.GuildID, req.Channel)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return quiz.Errorf(quiz.EINVALID, "daily.channel_perms", req.Channel, joinNames(missing))
		}
		if req.Role != 0 && req.Role.String() == r.i.GuildID {
			return quiz.Errorf(quiz.EINVALID, "daily.role_everyone")
		}
		warning := b.rolePingWarning(l, r.i.GuildID, req.Role, perms)
		d, err := b.daily.Setup(ctx, r.actor, req)
		if err != nil {
			return err
		}
		m := dailyMessage(l, quiz.DailyStatus{Daily: d})
		m.Content = warning
		return r.reply(ctx, m)
	}
	d, err := b.daily.Setup(ctx, r.actor, req)
	if err != nil {
		return err
	}
	return r.reply(ctx, dailyMessage(l, quiz.DailyStatus{Daily: d}))
}

// rolePingWarning says when the daily role will not be pinged, and how to fix it: a role
// mention pings only a mentionable role, or any role if the bot has Mention Everyone (perms,
// its permissions in the channel). "" when it will ping, or the state does not know the role.
func (b *Bot) rolePingWarning(l quiz.Lang, guildID string, role quiz.RoleID, perms int64) string {
	if role == 0 || perms&(permMentionEveryone|permAdministrator) != 0 {
		return ""
	}
	r, err := b.s.State.Role(guildID, role.String())
	if err != nil || r.Mentionable {
		return ""
	}
	return l.Msg("daily.role_not_mentionable", role, r.Name)
}

func (b *Bot) showDaily(ctx context.Context, r *responder, _ opts) error {
	st, err := b.daily.Show(ctx, r.actor)
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	m := dailyMessage(l, st)
	if as, err := b.awards.Status(ctx, r.actor); err == nil {
		m.Embeds = append(m.Embeds, awardsEmbed(l, as))
	} else {
		b.log.Warn("could not read the champion and recap settings", "guild_id", r.actor.Guild, "err", err)
	}
	return r.reply(ctx, m)
}

func (b *Bot) pauseDaily(ctx context.Context, r *responder, _ opts) error {
	return b.setPaused(ctx, r, true)
}

func (b *Bot) resumeDaily(ctx context.Context, r *responder, _ opts) error {
	return b.setPaused(ctx, r, false)
}

// setPaused pauses or resumes the daily post and shows the schedule.
func (b *Bot) setPaused(ctx context.Context, r *responder, pause bool) error {
	if _, err := b.daily.Pause(ctx, r.actor, pause); err != nil {
		return err
	}
	return b.showDaily(ctx, r, nil)
}

func (b *Bot) skipDaily(ctx context.Context, r *responder, _ opts) error {
	day, err := b.daily.Skip(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("daily.skipped", day), Ephemeral: true})
}

func (b *Bot) postDailyNow(ctx context.Context, r *responder, _ opts) error {
	p, err := b.daily.PostNow(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("daily.posted_now", p.QuestionID), Ephemeral: true})
}

// dailyMessage shows the daily schedule, privately.
func dailyMessage(l quiz.Lang, st quiz.DailyStatus) message {
	return message{Embeds: []*discordgo.MessageEmbed{dailyEmbed(l, st)}, Ephemeral: true}
}

func dailyEmbed(l quiz.Lang, st quiz.DailyStatus) *discordgo.MessageEmbed {
	d := st.Daily
	topics := l.Msg("daily.all_topics")
	if len(d.Topics) > 0 {
		topics = strings.Join(d.Topics, ", ")
	}
	var b strings.Builder
	b.WriteString(l.Msg("daily.schedule", d.Channel, d.At, d.TZ, quiz.WeekdayNamesIn(d.Weekdays, l), topics))
	reveal := d.RevealAfter
	if reveal == 0 {
		reveal = quiz.DefaultDailyRevealAfter
	}
	b.WriteString(l.Msg("daily.reveal_after", reveal))
	if d.Role != 0 {
		b.WriteString(l.Msg("daily.mentions", d.Role))
	}
	switch {
	case d.Paused && d.PauseReason != "":
		b.WriteString(l.Msg("daily.paused_reason", d.PauseReason))
	case d.Paused:
		b.WriteString(l.Msg("daily.paused"))
	case !st.Next.IsZero():
		b.WriteString(l.Msg("daily.next_post", relTime(st.Next), st.Next.Unix()))
	}
	if d.Skip != 0 {
		b.WriteString(l.Msg("daily.skipping", d.Skip))
	}
	if st.Last != nil {
		b.WriteString(l.Msg("daily.last", st.Last.Day, st.Last.State.Label()))
		if st.Last.Note != "" {
			b.WriteString(l.Msg("daily.last_note", st.Last.Note))
		}
		b.WriteString("\n")
	}
	return infoEmbed(l.Msg("daily.title"), b.String())
}

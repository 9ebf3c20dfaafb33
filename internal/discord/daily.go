package discord

import (
	"context"
	"fmt"
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
			return quiz.Errorf(quiz.EINVALID, "The daily question cannot be posted in <#%d>: the bot lacks %s there. "+
				"In the channel's settings → Permissions, allow them for the bot's role (or the bot), then run /daily setup again. Nothing was saved.",
				req.Channel, joinNames(missing))
		}
		if req.Role != 0 && req.Role.String() == r.i.GuildID {
			return quiz.Errorf(quiz.EINVALID, "@everyone cannot be the daily role: a role mention of @everyone pings no one, and the bot never pings everyone. "+
				"Create a role members can take (for example \"daily-question\"), make it mentionable, and choose it. Nothing was saved.")
		}
		warning := b.rolePingWarning(r.i.GuildID, req.Role, perms)
		d, err := b.daily.Setup(ctx, r.actor, req)
		if err != nil {
			return err
		}
		m := dailyMessage(quiz.DailyStatus{Daily: d})
		m.Content = warning
		return r.reply(ctx, m)
	}
	d, err := b.daily.Setup(ctx, r.actor, req)
	if err != nil {
		return err
	}
	return r.reply(ctx, dailyMessage(quiz.DailyStatus{Daily: d}))
}

// rolePingWarning says when the daily role will not be pinged, and how to fix it: a role
// mention pings only a mentionable role, or any role if the bot has Mention Everyone (perms,
// its permissions in the channel). "" when it will ping, or the state does not know the role.
func (b *Bot) rolePingWarning(guildID string, role quiz.RoleID, perms int64) string {
	if role == 0 || perms&(permMentionEveryone|permAdministrator) != 0 {
		return ""
	}
	r, err := b.s.State.Role(guildID, role.String())
	if err != nil || r.Mentionable {
		return ""
	}
	return fmt.Sprintf("⚠️ Saved, but the daily post will not ping <@&%d>: the role is not mentionable. "+
		"To fix it: Server Settings → Roles → %s → turn on \"Allow anyone to @mention this role\".", role, r.Name)
}

func (b *Bot) showDaily(ctx context.Context, r *responder, _ opts) error {
	st, err := b.daily.Show(ctx, r.actor)
	if err != nil {
		return err
	}
	m := dailyMessage(st)
	if as, err := b.awards.Status(ctx, r.actor); err == nil {
		m.Embeds = append(m.Embeds, awardsEmbed(b.members.Lang(ctx, r.actor), as))
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
	return r.reply(ctx, message{Content: fmt.Sprintf("The daily question of %s will be skipped.", day), Ephemeral: true})
}

func (b *Bot) postDailyNow(ctx context.Context, r *responder, _ opts) error {
	p, err := b.daily.PostNow(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, message{Content: fmt.Sprintf("Posted today's question (%s).", p.QuestionID), Ephemeral: true})
}

// dailyMessage shows the daily schedule, privately.
func dailyMessage(st quiz.DailyStatus) message {
	return message{Embeds: []*discordgo.MessageEmbed{dailyEmbed(st)}, Ephemeral: true}
}

func dailyEmbed(st quiz.DailyStatus) *discordgo.MessageEmbed {
	d := st.Daily
	topics := "all topics"
	if len(d.Topics) > 0 {
		topics = strings.Join(d.Topics, ", ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Channel: <#%d>\nTime: %s %s, %s\nTopics: %s\n", d.Channel, d.At, d.TZ, quiz.WeekdayNames(d.Weekdays), topics)
	reveal := d.RevealAfter
	if reveal == 0 {
		reveal = quiz.DefaultDailyRevealAfter
	}
	fmt.Fprintf(&b, "Answer posted after: %s\n", reveal)
	if d.Role != 0 {
		fmt.Fprintf(&b, "Mentions: <@&%d>\n", d.Role)
	}
	switch {
	case d.Paused && d.PauseReason != "":
		fmt.Fprintf(&b, "**Paused:** %s Fix it and /daily resume, or /daily setup with another channel.\n", d.PauseReason)
	case d.Paused:
		b.WriteString("**Paused.** /daily resume to start again.\n")
	case !st.Next.IsZero():
		fmt.Fprintf(&b, "Next post: %s (<t:%d:F>)\n", relTime(st.Next), st.Next.Unix())
	}
	if d.Skip != 0 {
		fmt.Fprintf(&b, "Skipping: %s\n", d.Skip)
	}
	if st.Last != nil {
		fmt.Fprintf(&b, "Last: %s, %s", st.Last.Day, st.Last.State)
		if st.Last.Note != "" {
			fmt.Fprintf(&b, " (%s)", st.Last.Note)
		}
		b.WriteString("\n")
	}
	return infoEmbed("Daily question", b.String())
}

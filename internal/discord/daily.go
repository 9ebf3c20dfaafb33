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
	d, err := b.q.SetupDaily(ctx, r.actor, req)
	if err != nil {
		return err
	}
	return r.reply(ctx, dailyMessage(quiz.DailyStatus{Daily: d}))
}

func (b *Bot) showDaily(ctx context.Context, r *responder, _ opts) error {
	st, err := b.q.ShowDaily(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, dailyMessage(st))
}

func (b *Bot) pauseDaily(ctx context.Context, r *responder, _ opts) error {
	return b.setPaused(ctx, r, true)
}

func (b *Bot) resumeDaily(ctx context.Context, r *responder, _ opts) error {
	return b.setPaused(ctx, r, false)
}

// setPaused pauses or resumes the daily post and shows the schedule.
func (b *Bot) setPaused(ctx context.Context, r *responder, pause bool) error {
	if _, err := b.q.PauseDaily(ctx, r.actor, pause); err != nil {
		return err
	}
	return b.showDaily(ctx, r, nil)
}

func (b *Bot) skipDaily(ctx context.Context, r *responder, _ opts) error {
	day, err := b.q.SkipDaily(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, message{Content: fmt.Sprintf("The daily question of %s will be skipped.", day), Ephemeral: true})
}

func (b *Bot) postDailyNow(ctx context.Context, r *responder, _ opts) error {
	p, err := b.q.PostDailyNow(ctx, r.actor, b)
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

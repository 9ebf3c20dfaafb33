package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The monthly champion role and the weekly recap: /daily champion and /daily recap, and the
// role changes and announcements the domain orders (quiz.Announcer).

var _ quiz.Announcer = (*Bot)(nil)

func (b *Bot) setChampion(ctx context.Context, r *responder, o opts) error {
	role := quiz.RoleID(o.id("role"))
	l := b.members.Lang(ctx, r.actor)
	check := quiz.RoleOK
	if role != 0 {
		var resolved *discordgo.Role
		if res := r.i.ApplicationCommandData().Resolved; res != nil {
			resolved = res.Roles[role.String()]
		}
		check = b.roleCheck(r.i.GuildID, role.String(), resolved)
	}
	if err := b.awards.SetChampionRole(ctx, r.actor, role, check); err != nil {
		return err
	}
	if role == 0 {
		return r.reply(ctx, message{Content: tr(l, "The monthly champion role is off.", "月度冠军角色已关闭。"), Ephemeral: true})
	}
	return r.reply(ctx, message{Content: tr(l,
		fmt.Sprintf("At the start of each month (in the server's time zone) <@&%d> goes to last month's member with the most answers, and is announced in the daily channel.", role),
		fmt.Sprintf("每月初（按服务器时区）<@&%d> 会授予上个月作答最多的成员，并在每日一题频道公布。", role)), Ephemeral: true})
}

// roleCheck is the bot's verdict on giving role in guild: Manage Roles, and the role below
// the bot's highest role (Discord's hierarchy: a bot may give only roles under its own), from
// the gateway state; resolved is the role as the interaction carried it, for a role the state
// does not know yet.
func (b *Bot) roleCheck(guildID, roleID string, resolved *discordgo.Role) quiz.RoleCheck {
	if roleID == guildID {
		return quiz.RoleEveryone
	}
	g, err := b.s.State.Guild(guildID)
	if err != nil {
		return quiz.RoleOK // unknown here: the monthly run reports a refusal
	}
	me, err := b.s.State.Member(guildID, b.botID())
	if err != nil {
		return quiz.RoleOK
	}
	var target, top *discordgo.Role
	perms := int64(0)
	for _, rl := range g.Roles {
		if rl.ID == roleID {
			target = rl
		}
		if rl.ID == guildID {
			perms |= rl.Permissions
		}
		for _, mine := range me.Roles {
			if rl.ID == mine {
				perms |= rl.Permissions
				if top == nil || roleAbove(rl, top) {
					top = rl
				}
			}
		}
	}
	if target == nil {
		target = resolved
	}
	switch {
	case target == nil:
		return quiz.RoleOK
	case target.Managed:
		return quiz.RoleManaged
	case g.OwnerID != b.botID() && perms&(permManageRoles|permAdministrator) == 0:
		return quiz.RoleNoManageRoles
	case g.OwnerID != b.botID() && (top == nil || !roleAbove(top, target)):
		return quiz.RoleAboveBot
	}
	return quiz.RoleOK
}

// roleAbove reports whether role x sorts above y: a higher position, or the same position and
// the older (lower) id, as Discord sorts them.
func roleAbove(x, y *discordgo.Role) bool {
	if x.Position != y.Position {
		return x.Position > y.Position
	}
	xi, _ := strconv.ParseUint(x.ID, 10, 64)
	yi, _ := strconv.ParseUint(y.ID, 10, 64)
	return xi < yi
}

func (b *Bot) setRecap(ctx context.Context, r *responder, o opts) error {
	on := o.str("state") == "on"
	if err := b.awards.SetRecap(ctx, r.actor, on); err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	text := tr(l, "The weekly recap is off.", "每周回顾已关闭。")
	if on {
		text = tr(l, "The weekly recap is on: each week, on the daily question's first day, a recap of last week is posted in the daily channel.",
			"每周回顾已开启：每周在每日一题的第一天，于每日一题频道发布上周回顾。")
	}
	return r.reply(ctx, message{Content: text, Ephemeral: true})
}

// SetRole gives or takes a member's role (PUT/DELETE, both idempotent on Discord). A 403 is
// the domain's EFORBIDDEN (Manage Roles lost, or the role moved above the bot's), a 404 its
// ENOTFOUND (the member left, or the role is gone).
func (b *Bot) SetRole(ctx context.Context, g quiz.GuildID, u quiz.UserID, role quiz.RoleID, give bool) error {
	if err := b.lim.wait(ctx); err != nil {
		return err
	}
	var err error
	if give {
		err = b.s.GuildMemberRoleAdd(g.String(), u.String(), role.String(), discordgo.WithContext(ctx))
	} else {
		err = b.s.GuildMemberRoleRemove(g.String(), u.String(), role.String(), discordgo.WithContext(ctx))
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch re.Response.StatusCode {
		case http.StatusForbidden:
			return quiz.Errorf(quiz.EFORBIDDEN, "Discord refused to change the champion role (403): the bot needs Manage Roles, and its highest role must be above the champion role.")
		case http.StatusNotFound:
			return quiz.Errorf(quiz.ENOTFOUND, "The member or the champion role no longer exists.")
		}
	}
	if err != nil {
		return fmt.Errorf("discord: role %d of member %d: %w", role, u, err)
	}
	return nil
}

// PostAnnouncement posts the month's champion or the week's recap in the daily channel. The
// winner is named with a mention that does not ping (allowed_mentions stays empty).
func (b *Bot) PostAnnouncement(ctx context.Context, a quiz.Announcement) (quiz.MessageID, error) {
	var e *discordgo.MessageEmbed
	switch {
	case a.Champion != nil:
		e = championEmbed(a.Lang, *a.Champion)
	case a.Recap != nil:
		e = recapEmbed(a.Lang, a.Guild, *a.Recap)
	default:
		return 0, quiz.Errorf(quiz.EINVALID, "empty announcement")
	}
	send := &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{e}, AllowedMentions: noMentions()}
	return b.post(ctx, a.Channel, send, a.Nonce)
}

func championEmbed(l quiz.Lang, c quiz.ChampionNews) *discordgo.MessageEmbed {
	var s strings.Builder
	fmt.Fprintf(&s, tr(l, "🏆 <@%d> is the champion of %s with %d answers (longest run: %d days).", "🏆 <@%d> 是 %s 的冠军，共作答 %d 次（最长连续 %d 天）。"),
		c.Winner, c.Month, c.Answers, c.LongestRun)
	if c.Role != 0 {
		fmt.Fprintf(&s, "\n"+tr(l, "They now hold <@&%d>.", "现在拥有 <@&%d>。"), c.Role)
	}
	if c.Previous != 0 {
		fmt.Fprintf(&s, "\n"+tr(l, "Thank you, <@%d>, last month's champion.", "感谢上月冠军 <@%d>。"), c.Previous)
	}
	return &discordgo.MessageEmbed{Title: truncate(tr(l, "Champion of ", "月度冠军 ")+c.Month, maxEmbedTitle), Description: truncate(s.String(), maxEmbedDesc), Color: colorInfo}
}

func recapEmbed(l quiz.Lang, g quiz.GuildID, r quiz.RecapNews) *discordgo.MessageEmbed {
	var s strings.Builder
	fmt.Fprintf(&s, tr(l, "**%d** members gave **%d** answers.\n", "**%d** 位成员共作答 **%d** 次。\n"), r.Members, r.Answers)
	if len(r.Questions) > 0 {
		fmt.Fprintf(&s, "\n**%s**\n", tr(l, "Questions", "题目"))
		for _, q := range r.Questions {
			prompt := truncate(q.Prompt.In(l), 90)
			if prompt == "" {
				prompt = q.QuestionID
			}
			if q.Message != 0 && q.Channel != 0 {
				fmt.Fprintf(&s, "• %s [%s](https://discord.com/channels/%d/%d/%d) · %d\n", q.Day, prompt, g, q.Channel, q.Message, q.Answers)
			} else {
				fmt.Fprintf(&s, "• %s %s · %d\n", q.Day, prompt, q.Answers)
			}
		}
	}
	board := func(title string, es []quiz.Entry, unit string) {
		if len(es) == 0 {
			return
		}
		fmt.Fprintf(&s, "\n**%s**\n", title)
		for _, e := range es {
			fmt.Fprintf(&s, "%d. <@%d> · %d %s\n", e.Rank, e.User, e.Value, unit)
		}
	}
	board(tr(l, "Best streaks", "最佳连续"), rankEntries(r.Streaks), tr(l, "days", "天"))
	race := tr(l, "Champion race, ", "冠军争夺，") + r.Month
	board(race, r.Race, tr(l, "answers", "次"))
	title := fmt.Sprintf("%s %s – %s", tr(l, "Week", "周回顾"), r.From, r.To)
	return &discordgo.MessageEmbed{Title: truncate(title, maxEmbedTitle), Description: truncate(s.String(), maxEmbedDesc), Color: colorInfo}
}

// awardsEmbed shows the champion role and recap settings under /daily show.
func awardsEmbed(l quiz.Lang, st quiz.AwardsStatus) *discordgo.MessageEmbed {
	var s strings.Builder
	if st.ChampionRole != 0 {
		fmt.Fprintf(&s, "%s: <@&%d>\n", tr(l, "Champion role", "冠军角色"), st.ChampionRole)
	} else {
		fmt.Fprintf(&s, "%s: %s\n", tr(l, "Champion role", "冠军角色"), tr(l, "off (/daily champion)", "关闭（/daily champion）"))
	}
	if a := st.LastAward; a != nil {
		who := tr(l, "nobody answered", "无人作答")
		if a.Winner != 0 {
			who = fmt.Sprintf("<@%d>", a.Winner)
		}
		fmt.Fprintf(&s, "%s %s: %s", tr(l, "Champion of", "冠军"), a.Month, who)
		if a.Note != "" {
			fmt.Fprintf(&s, " (%s)", a.Note)
		}
		s.WriteString("\n")
	}
	recap := tr(l, "off (/daily recap on)", "关闭（/daily recap on）")
	if st.Recap {
		recap = tr(l, "on", "开启")
		if !st.NextRecap.IsZero() {
			recap += fmt.Sprintf(", %s %s", tr(l, "next", "下次"), relTime(st.NextRecap))
		}
	}
	fmt.Fprintf(&s, "%s: %s\n", tr(l, "Weekly recap", "每周回顾"), recap)
	return infoEmbed(tr(l, "Champion and recap", "冠军与回顾"), s.String())
}

// rankEntries numbers entries that come without ranks (the streaks), in order.
func rankEntries(es []quiz.Entry) []quiz.Entry {
	out := make([]quiz.Entry, len(es))
	for i, e := range es {
		if e.Rank == 0 {
			e.Rank = i + 1
		}
		out[i] = e
	}
	return out
}

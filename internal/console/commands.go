package console

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// bareCommands take nothing after their name; a stray word gets the command's own mistake.
var bareCommands = map[string]quiz.MsgID{
	"review":   "console.review_no_args",
	"streak":   "console.streak_no_args",
	"progress": "console.progress_takes_nothing_after_it",
}

// handle runs one typed line: a /command (names in any case, like topics) or a button label.
func (c *Console) handle(ctx context.Context, line string) error {
	if !strings.HasPrefix(line, "/") {
		return c.button(ctx, line)
	}
	fields := strings.Fields(line)
	cmd, args := strings.ToLower(strings.TrimPrefix(fields[0], "/")), fields[1:]
	if id, bare := bareCommands[cmd]; bare && len(args) > 0 {
		return mistake(id)
	}
	switch cmd {
	case "help":
		c.help()
	case "interview":
		if len(args) > 1 {
			return mistake("console.interview_one_topic")
		}
		return c.ask(ctx, quiz.AskRequest{Topic: strings.Join(args, "")})
	case "review":
		return c.ask(ctx, quiz.AskRequest{Review: true})
	case "mock":
		return c.mockCommand(ctx, args)
	case "topics":
		return c.topics(ctx)
	case "streak":
		return c.streak(ctx)
	case "leaderboard":
		return c.leaderboard(ctx, args)
	case "progress":
		return c.progress(ctx)
	case "settings":
		return c.settings(ctx, args)
	case "privacy":
		return c.privacy(ctx, args)
	default:
		return mistake("console.unknown_command", cmd)
	}
	return nil
}

func (c *Console) help() { c.say("console.help") }

func (c *Console) topics(ctx context.Context) error {
	ts, counts, err := c.practice.Topics(ctx, c.actor.Guild)
	if err != nil {
		return err
	}
	l := c.lang()
	total := 0
	for _, t := range ts {
		c.printf("  %-14s %3d  %s\n", t.Slug, counts[t.Slug], t.Title.In(l))
		total += counts[t.Slug]
	}
	c.say("console.topics_total", quiz.Counted{N: total, Unit: "unit.question"}, quiz.Counted{N: len(ts), Unit: "unit.topic"})
	return nil
}

func (c *Console) streak(ctx context.Context) error {
	v, err := c.members.Streak(ctx, c.actor, c.actor.User)
	if err != nil {
		return err
	}
	s, l := v.Status, c.lang()
	c.say("console.streak", s.Current, quiz.Noun{N: s.Current, Unit: "unit.day"}, s.Best, v.Member.Answered, s.DaysActive, s.Freezes, quiz.MaxFreezes, v.Zone)
	for _, line := range quiz.ExplainStreakIn(s, l) {
		c.printf("  %s\n", line)
	}
	return nil
}

func (c *Console) leaderboard(ctx context.Context, args []string) error {
	b := quiz.BoardStreak
	switch strings.ToLower(strings.Join(args, " ")) {
	case "", "streak", "streaks":
	case "month":
		b = quiz.BoardMonth
	default:
		return mistake("console.board_unknown", strings.Join(args, " "))
	}
	entries, l, err := c.members.Leaderboard(ctx, c.actor, b, 10)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		c.printf("%s\n", l.Msg("console.nobody_is_on_the_board"))
	}
	for _, e := range entries {
		unit := quiz.MsgID("unit.day")
		if b == quiz.BoardMonth {
			unit = "unit.answer_made"
		}
		c.printf("  %2d. %-20s %s\n", e.Rank, e.Name, quiz.Counted{N: e.Value, Unit: unit}.In(l))
	}
	return nil
}

func (c *Console) privacy(ctx context.Context, args []string) error {
	l := c.lang()
	switch strings.ToLower(strings.Join(args, " ")) {
	case "export":
		e, err := c.members.ExportMember(ctx, c.actor)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(c.out)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	case "delete":
		c.printf("%s", l.Msg("console.delete_confirm"))
		confirm, ok := c.readLine(ctx)
		if !ok || strings.TrimSpace(confirm) != "DELETE" {
			c.printf("%s\n", l.Msg("console.nothing_was_deleted"))
			return nil
		}
		if err := c.members.DeleteMember(ctx, c.actor); err != nil {
			return err
		}
		c.session, c.stage, c.draft = 0, idle, ""
		c.printf("%s\n", l.Msg("console.your_data_was_deleted"))
		return nil
	}
	return mistake("console.privacy_usage")
}

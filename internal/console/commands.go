package console

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// handle runs one typed line: a /command (names in any case, like topics) or a button label.
func (c *Console) handle(ctx context.Context, line string) error {
	if !strings.HasPrefix(line, "/") {
		return c.button(ctx, line)
	}
	fields := strings.Fields(line)
	cmd, args := strings.ToLower(strings.TrimPrefix(fields[0], "/")), fields[1:]
	switch cmd {
	case "help":
		c.help()
	case "interview":
		if len(args) > 1 {
			return mistake("/interview takes one topic, e.g. /interview tcp; /topics lists them.",
				"/interview 只接受一个主题，例如 /interview tcp；/topics 列出全部主题。")
		}
		return c.ask(ctx, quiz.AskRequest{Topic: strings.Join(args, "")})
	case "review":
		if len(args) > 0 {
			return mistake("/review takes nothing after it: it asks the question due first.", "/review 后面不需要参数：它会给出最早到期的题目。")
		}
		return c.ask(ctx, quiz.AskRequest{Review: true})
	case "mock":
		return c.mockCommand(ctx, args)
	case "topics":
		return c.topics(ctx)
	case "streak":
		if len(args) > 0 {
			return mistake("/streak takes nothing after it: the console has one member, you.", "/streak 后面不需要参数：控制台只有你一位成员。")
		}
		return c.streak(ctx)
	case "leaderboard":
		return c.leaderboard(ctx, args)
	case "progress":
		if len(args) > 0 {
			return mistake("/progress takes nothing after it: it shows your own progress.", "/progress 后面不需要参数：它显示你自己的进度。")
		}
		return c.progress(ctx)
	case "settings":
		return c.settings(ctx, args)
	case "privacy":
		return c.privacy(ctx, args)
	default:
		return mistake("Unknown command /%s. Type /help for the list.", "未知命令 /%s。输入 /help 查看命令列表。", cmd)
	}
	return nil
}

func (c *Console) help() {
	c.printf("%s", tr(c.lang(), `Commands:
  /interview [topic]        a question (any topic if none; weak: your weakest); /topics lists them
  /review                   the question due first for spaced review
  /mock [topic] [minutes]   a timed mock interview: three questions of rising level, with follow-ups
  /mock resume | history    continue it (or see its report), or your last 10
  /topics                   the topics, with how many questions each has
  /streak                   your streak, and why it is what it is
  /leaderboard [month]      current streaks, or answers this month
  /progress                 your last 26 weeks and recall per topic: a PNG file and its text
  /settings                 your time zone, language and retention
  /settings timezone ZONE   e.g. Europe/Berlin; server to use the server's zone
  /settings language en|zh|auto
  /settings retention 0.80-0.97   the recall reviews are planned for; default resets to 0.90
  /privacy export | delete  your data as JSON, or erase it
  /quit                     leave (Ctrl-D and Ctrl-C too)
After a question, type a button's label: answer, hint, reveal, next. After answering: check 1 3
(the key points you covered) for a suggested grade, then accept, or again, hard, good, easy.
`, `命令：
  /interview [topic]        出一道题（不填主题则任意主题；weak：你最弱的主题）；/topics 列出主题
  /review                   最早到期的复习题
  /mock [topic] [minutes]   限时模拟面试：三道难度递增的题目，带追问
  /mock resume | history    继续（或查看报告），或最近 10 场
  /topics                   全部主题及各自的题目数
  /streak                   你的连续天数及其原因
  /leaderboard [month]      当前连续天数榜，或本月作答榜
  /progress                 你近 26 周的记录和各主题的记忆率：一张 PNG 图片及其文字
  /settings                 你的时区、语言和记忆率
  /settings timezone ZONE   例如 Asia/Shanghai；填 server 则使用服务器的时区
  /settings language en|zh|auto
  /settings retention 0.80-0.97   复习按此记忆率安排；default 恢复为 0.90
  /privacy export | delete  以 JSON 导出你的数据，或删除它
  /quit                     退出（Ctrl-D 和 Ctrl-C 也可以）
出题后输入按钮上的文字：作答、提示、看答案、下一题。作答后：输入“核对 1 3”（你答到的要点）获得建议评分，
再输入“采纳”，或：重来、困难、良好、简单（英文标签也可以）。
`))
}

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
	c.printf("%s\n", tr(l, quiz.Count(l, total, "question", "questions", "")+" in "+quiz.Count(l, len(ts), "topic", "topics", "")+".",
		"共 "+quiz.Count(l, len(ts), "", "", "个主题")+"，"+quiz.Count(l, total, "", "", "道题")+"。"))
	return nil
}

func (c *Console) streak(ctx context.Context) error {
	v, err := c.members.Streak(ctx, c.actor, c.actor.User)
	if err != nil {
		return err
	}
	s, l := v.Status, c.lang()
	if l == quiz.Chinese {
		c.printf("连续 %d 天（最佳 %d 天）。作答 %d 次，活跃 %d 天，冻结卡 %d/%d。按 %s 时区计算每一天。\n",
			s.Current, s.Best, v.Member.Answered, s.DaysActive, s.Freezes, quiz.MaxFreezes, v.Zone)
	} else {
		c.printf("Streak: %s (best %d). Answers: %d. Days active: %d. Freezes: %d/%d. Days counted in %s.\n",
			quiz.Count(l, s.Current, "day", "days", ""), s.Best, v.Member.Answered, s.DaysActive, s.Freezes, quiz.MaxFreezes, v.Zone)
	}
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
		return mistake("Unknown board %q: use /leaderboard for current streaks or /leaderboard month for answers this month.",
			"未知榜单 %q：/leaderboard 查看当前连续天数，/leaderboard month 查看本月作答数。", strings.Join(args, " "))
	}
	entries, l, err := c.members.Leaderboard(ctx, c.actor, b, 10)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		c.printf("%s\n", tr(l, "Nobody is on the board yet: answer a question to start.", "榜上还没有人：答一道题开始吧。"))
	}
	for _, e := range entries {
		value := quiz.Count(l, e.Value, "day", "days", "天")
		if b == quiz.BoardMonth {
			value = quiz.Count(l, e.Value, "answer", "answers", "次作答")
		}
		c.printf("  %2d. %-20s %s\n", e.Rank, e.Name, value)
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
		c.printf("%s", tr(l, "Type DELETE to erase your streak, answers and reviews: ", "输入 DELETE 以删除你的连续记录、回答和复习："))
		confirm, ok := c.readLine(ctx)
		if !ok || strings.TrimSpace(confirm) != "DELETE" {
			c.printf("%s\n", tr(l, "Nothing was deleted.", "没有删除任何内容。"))
			return nil
		}
		if err := c.members.DeleteMember(ctx, c.actor); err != nil {
			return err
		}
		c.session, c.stage, c.draft = 0, idle, ""
		c.printf("%s\n", tr(l, "Your data was deleted.", "你的数据已删除。"))
		return nil
	}
	return mistake("Use /privacy export or /privacy delete.", "请使用 /privacy export 或 /privacy delete。")
}

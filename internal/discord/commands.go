package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Permission bits the bot checks itself on every moderator command (the command's
// default_member_permissions only hides it in clients).
const (
	permAdministrator = int64(discordgo.PermissionAdministrator)
	permManageGuild   = int64(discordgo.PermissionManageGuild)
)

// serve says how a command, or one subcommand, is served.
type serve struct {
	how    deferKind              // how to defer if the handler is slow
	howFor func(o opts) deferKind // if set, decides from the options instead of how
	run    func(b *Bot, ctx context.Context, r *responder, o opts) error
}

func (s serve) deferFor(o opts) deferKind {
	if s.howFor != nil {
		return s.howFor(o)
	}
	return s.how
}

// command is one slash command: its definition and how it is served, or, when it has
// subcommands, the same for each of them.
type command struct {
	def        *discordgo.ApplicationCommand // without subcommands: commands() adds them
	moderators bool                          // checked before any handler runs
	serve
	subs []subcommand
}

type subcommand struct {
	def *discordgo.ApplicationCommandOption
	serve
}

// commandTable is every slash command: commands() registers their definitions in one bulk
// overwrite and route() serves them.
var commandTable = []command{
	{def: &discordgo.ApplicationCommand{Name: "interview", NameLocalizations: zh("面试"),
		Description: "Get an interview question to answer", DescriptionLocalizations: zh("来一道面试题"),
		Options: []*discordgo.ApplicationCommandOption{
			{Type: strOpt, Name: "topic", NameLocalizations: *zh("主题"), Description: "Topic, e.g. tcp; weak for your weakest (any if empty)",
				DescriptionLocalizations: *zh("主题，例如 tcp；weak 为你最薄弱的主题（留空则随机）"), Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", NameLocalizations: *zh("私密"),
				Description: "Only you see the question", DescriptionLocalizations: *zh("只有你能看到这道题")},
		}},
		serve: serve{howFor: deferInterview, run: (*Bot).interview}},
	{def: &discordgo.ApplicationCommand{Name: "review", NameLocalizations: zh("复习"),
		Description: "Practise a question that is due for review", DescriptionLocalizations: zh("复习到期的题目")},
		serve: serve{run: (*Bot).review}},
	{def: &discordgo.ApplicationCommand{Name: "streak", NameLocalizations: zh("连续"),
		Description: "Show a streak and why it is what it is", DescriptionLocalizations: zh("查看连续作答天数及其原因"),
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionUser, Name: "member", NameLocalizations: *zh("成员"),
				Description: "Whose streak (you if empty)", DescriptionLocalizations: *zh("查看谁的（留空为自己）")},
		}},
		serve: serve{run: (*Bot).streak}},
	{def: &discordgo.ApplicationCommand{Name: "progress", NameLocalizations: zh("进度"),
		Description: "Your last 26 weeks and how well you recall each topic", DescriptionLocalizations: zh("你近 26 周的练习和各主题的记忆情况")},
		serve: serve{run: (*Bot).progress}},
	{def: &discordgo.ApplicationCommand{Name: "leaderboard", NameLocalizations: zh("排行榜"),
		Description: "This server's leaderboard", DescriptionLocalizations: zh("本服务器排行榜"),
		Options: []*discordgo.ApplicationCommandOption{
			{Type: strOpt, Name: "board", NameLocalizations: *zh("榜单"), Description: "Which board",
				DescriptionLocalizations: *zh("哪个榜单"), Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "Current streaks", NameLocalizations: *zh("当前连续天数"), Value: "streak"},
					{Name: "Answers this month", NameLocalizations: *zh("本月作答数"), Value: "month"},
				}},
		}},
		serve: serve{how: deferPublic, run: (*Bot).leaderboard}},
	{def: &discordgo.ApplicationCommand{Name: "settings", NameLocalizations: zh("设置"),
		Description: "Your time zone, language and review retention", DescriptionLocalizations: zh("你的时区、语言和复习记忆率")},
		subs: []subcommand{
			{def: subcmd("timezone", "时区", "The zone your days are counted in", "按哪个时区计算你的每一天",
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "zone", NameLocalizations: *zh("时区"), Description: "IANA zone, e.g. Europe/Berlin; server for the server's; empty shows yours",
					DescriptionLocalizations: *zh("IANA 时区，例如 Asia/Shanghai；server 表示服务器的时区；留空查看当前设置"), Autocomplete: true}),
				serve: serve{run: (*Bot).setTimezone}},
			{def: subcmd("language", "语言", "The language questions are shown in", "题目显示的语言",
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "language", NameLocalizations: *zh("语言"), Description: "English, Chinese, or your client's; empty shows yours",
					DescriptionLocalizations: *zh("英文、中文或跟随客户端；留空查看当前设置"),
					Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "English", Value: "en"}, {Name: "中文", Value: "zh"},
						{Name: "Auto (client language)", NameLocalizations: *zh("自动（跟随客户端）"), Value: "auto"},
					}}),
				serve: serve{run: (*Bot).setLanguage}},
			{def: subcmd("retention", "记忆率", "How much to recall at each review: 0.80 to 0.97 (default 0.90)", "每次复习时希望记住多少：0.80 到 0.97（默认 0.90）",
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "target", NameLocalizations: *zh("目标"), Description: "e.g. 0.9 or 90%; higher means more reviews; default to reset",
					DescriptionLocalizations: *zh("例如 0.9 或 90%；越高复习越多；default 恢复默认"), Required: true}),
				serve: serve{run: (*Bot).setRetention}},
			{def: subcmd("moderator-role", "管理员角色", "Moderators only: the role that may manage the bot", "仅管理员：可以管理机器人的角色",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "role", NameLocalizations: *zh("角色"),
					Description: "The role (empty to clear)", DescriptionLocalizations: *zh("角色（留空则清除）")}),
				serve: serve{run: (*Bot).setModeratorRole}},
		}},
	{def: &discordgo.ApplicationCommand{Name: "privacy", NameLocalizations: zh("隐私"),
		Description: "Export or delete your data", DescriptionLocalizations: zh("导出或删除你的数据")},
		subs: []subcommand{
			{def: subcmd("export", "导出", "All your data here as JSON", "以 JSON 导出你在此的全部数据"), serve: serve{run: (*Bot).exportMember}},
			{def: subcmd("delete", "删除", "Erase your streak, answers and reviews here", "删除你在此的连续记录、回答和复习"), serve: serve{run: (*Bot).confirmDelete}},
		}},
	{def: &discordgo.ApplicationCommand{Name: "daily", NameLocalizations: zh("每日一题"),
		Description: "Moderators: the daily question post", DescriptionLocalizations: zh("管理员：每日一题")},
		moderators: true, subs: []subcommand{
			{def: subcmd("setup", "设置", "Post one question a day in a channel", "每天在频道里发一道题",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", NameLocalizations: *zh("频道"), Description: "Where to post",
					DescriptionLocalizations: *zh("发到哪里"), Required: true, ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "time", NameLocalizations: *zh("时间"), Description: "Local time HH:MM, e.g. 09:00", DescriptionLocalizations: *zh("当地时间 HH:MM，例如 09:00"), Required: true},
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "timezone", NameLocalizations: *zh("时区"), Description: "IANA zone, e.g. Asia/Shanghai", DescriptionLocalizations: *zh("IANA 时区，例如 Asia/Shanghai"), Required: true, Autocomplete: true},
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "topics", NameLocalizations: *zh("主题"), Description: "Comma-separated topics (all if empty)", DescriptionLocalizations: *zh("逗号分隔的主题（留空为全部）")},
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "days", NameLocalizations: *zh("日期"), Description: "every day, weekdays, weekends, or mon,wed,fri", DescriptionLocalizations: *zh("every day、weekdays、weekends 或 mon,wed,fri")},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "reveal_after", NameLocalizations: *zh("公布延迟"), Description: "Hours until the answer is posted (default 12)",
					DescriptionLocalizations: *zh("多少小时后公布答案（默认 12）"), MinValue: ptr(1.0), MaxValue: 24},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "role", NameLocalizations: *zh("角色"), Description: "A role to mention in each post", DescriptionLocalizations: *zh("每次发帖提及的角色")}),
				serve: serve{run: (*Bot).setupDaily}},
			{def: subcmd("show", "查看", "Show the schedule", "查看计划"), serve: serve{run: (*Bot).showDaily}},
			{def: subcmd("pause", "暂停", "Pause the daily post", "暂停每日一题"), serve: serve{run: (*Bot).pauseDaily}},
			{def: subcmd("resume", "恢复", "Resume the daily post", "恢复每日一题"), serve: serve{run: (*Bot).resumeDaily}},
			{def: subcmd("skip", "跳过", "Skip the next post", "跳过下一次"), serve: serve{run: (*Bot).skipDaily}},
			{def: subcmd("now", "立即", "Post today's question now", "立即发布今天的题目"), serve: serve{run: (*Bot).postDailyNow}},
			{def: subcmd("champion", "冠军", "Each month, give a role to last month's most active member", "每月把一个角色授予上个月作答最多的成员",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "role", NameLocalizations: *zh("角色"),
					Description: "The champion role (empty to turn it off)", DescriptionLocalizations: *zh("冠军角色（留空则关闭）")}),
				serve: serve{run: (*Bot).setChampion}},
			{def: subcmd("recap", "周报", "A weekly recap post in the daily channel", "在每日一题频道发布每周回顾",
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "state", NameLocalizations: *zh("状态"), Description: "on or off",
					DescriptionLocalizations: *zh("开启或关闭"), Required: true, Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "on", NameLocalizations: *zh("开启"), Value: "on"}, {Name: "off", NameLocalizations: *zh("关闭"), Value: "off"}}}),
				serve: serve{run: (*Bot).setRecap}},
		}},
	{def: &discordgo.ApplicationCommand{Name: "mock", NameLocalizations: zh("模拟面试"),
		Description: "A timed mock interview, alone or with a partner", DescriptionLocalizations: zh("限时模拟面试，单人或与搭档")},
		subs: []subcommand{
			{def: subcmd("start", "开始", "Three questions of rising level, with follow-ups", "三道难度递增的题目，带追问",
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "topic", NameLocalizations: *zh("主题"), Description: "Topic (your weakest topics if empty)",
					DescriptionLocalizations: *zh("主题（留空则选你最薄弱的主题）"), Autocomplete: true},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "minutes", NameLocalizations: *zh("分钟"),
					Description: "Time allowed (default 30)", DescriptionLocalizations: *zh("时长（默认 30）"), MinValue: ptr(float64(quiz.MinMockMinutes)), MaxValue: quiz.MaxMockMinutes},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionUser, Name: "partner", NameLocalizations: *zh("搭档"),
					Description: "A member to practise with, in a private thread", DescriptionLocalizations: *zh("一起练习的成员（在私密子区中）")},
				&discordgo.ApplicationCommandOption{Type: strOpt, Name: "as", NameLocalizations: *zh("身份"), Description: "With a partner: your part (default candidate)",
					DescriptionLocalizations: *zh("与搭档时你的身份（默认候选人）"), Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "candidate", NameLocalizations: *zh("候选人"), Value: "candidate"}, {Name: "interviewer", NameLocalizations: *zh("面试官"), Value: "interviewer"}}}),
				serve: serve{run: (*Bot).startMock}},
			{def: subcmd("resume", "继续", "Continue your mock interview, or see its report", "继续你的模拟面试或查看报告"), serve: serve{run: (*Bot).resumeMock}},
			{def: subcmd("history", "历史", "Your last 10 mock interviews and their reports", "你最近 10 场模拟面试及报告"), serve: serve{run: (*Bot).mockHistory}},
		}},
	{def: &discordgo.ApplicationCommand{Name: "bank", NameLocalizations: zh("题库"),
		Description: "Moderators: this server's question bank", DescriptionLocalizations: zh("管理员：本服务器题库")},
		moderators: true, subs: bankSubcommands},
}

// deferInterview: /interview posts for the channel unless it is private.
func deferInterview(o opts) deferKind {
	if o.boolean("private") {
		return deferPrivate
	}
	return deferPublic
}

// commands is the whole command set, registered in one bulk overwrite. Every command is for
// servers only (contexts: guild; integration_types: guild install; dm_permission is
// deprecated); a moderators' command is hidden from members without Manage Server unless a
// server's Integrations settings say otherwise.
func commands() []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(commandTable))
	for _, c := range commandTable {
		def := *c.def
		def.Contexts = &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		def.IntegrationTypes = &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
		if c.moderators {
			def.DefaultMemberPermissions = ptr(permManageGuild)
		}
		for _, s := range c.subs {
			def.Options = append(def.Options, s.def)
		}
		out = append(out, &def)
	}
	return out
}

// commandRoute finds how to serve a command and its subcommand.
func commandRoute(name, sub string) (command, serve, bool) {
	for _, c := range commandTable {
		if c.def.Name != name {
			continue
		}
		if len(c.subs) == 0 {
			return c, c.serve, sub == ""
		}
		for _, s := range c.subs {
			if s.def.Name == sub {
				return c, s.serve, true
			}
		}
	}
	return command{}, serve{}, false
}

const strOpt = discordgo.ApplicationCommandOptionString

func zh(s string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.ChineseCN: s}
}

func ptr[T any](v T) *T { return &v }

// subcmd defines a subcommand with its Chinese name and description.
func subcmd(name, zhName, desc, zhDesc string, options ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name,
		NameLocalizations: *zh(zhName), Description: desc, DescriptionLocalizations: *zh(zhDesc), Options: options}
}

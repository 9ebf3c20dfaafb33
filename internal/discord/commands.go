package discord

import (
	"github.com/bwmarrin/discordgo"
)

// Permission bits the bot checks itself on every moderator command (the command's
// default_member_permissions only hides it in clients).
const (
	permAdministrator = int64(discordgo.PermissionAdministrator)
	permManageGuild   = int64(discordgo.PermissionManageGuild)
)

func zh(s string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.ChineseCN: s}
}

func ptr[T any](v T) *T { return &v }

// commands is the whole command set, registered in one bulk overwrite.
func commands() []*discordgo.ApplicationCommand {
	modPerm := ptr(permManageGuild)
	noDM := ptr(false)
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	return []*discordgo.ApplicationCommand{
		{
			Name: "interview", NameLocalizations: zh("面试"),
			Description: "Get an interview question to answer", DescriptionLocalizations: zh("来一道面试题"),
			DMPermission: noDM,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: str, Name: "topic", NameLocalizations: *zh("主题"), Description: "Topic, e.g. tcp (any topic if empty)",
					DescriptionLocalizations: *zh("主题，例如 tcp（留空则随机）"), Autocomplete: true},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", NameLocalizations: *zh("私密"),
					Description: "Only you see the question", DescriptionLocalizations: *zh("只有你能看到这道题")},
			},
		},
		{
			Name: "review", NameLocalizations: zh("复习"),
			Description: "Practise a question that is due for review", DescriptionLocalizations: zh("复习到期的题目"),
			DMPermission: noDM,
		},
		{
			Name: "streak", NameLocalizations: zh("连续"),
			Description: "Show a streak and why it is what it is", DescriptionLocalizations: zh("查看连续作答天数及其原因"),
			DMPermission: noDM,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionUser, Name: "member", NameLocalizations: *zh("成员"),
					Description: "Whose streak (you if empty)", DescriptionLocalizations: *zh("查看谁的（留空为自己）")},
			},
		},
		{
			Name: "leaderboard", NameLocalizations: zh("排行榜"),
			Description: "This server's leaderboard", DescriptionLocalizations: zh("本服务器排行榜"),
			DMPermission: noDM,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: str, Name: "board", NameLocalizations: *zh("榜单"), Description: "Which board",
					DescriptionLocalizations: *zh("哪个榜单"), Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "Current streaks", NameLocalizations: *zh("当前连续天数"), Value: "streak"},
						{Name: "Answers this month", NameLocalizations: *zh("本月作答数"), Value: "month"},
					}},
			},
		},
		{
			Name: "settings", NameLocalizations: zh("设置"),
			Description: "Your time zone and language", DescriptionLocalizations: zh("你的时区和语言"),
			DMPermission: noDM,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: sub, Name: "timezone", NameLocalizations: *zh("时区"), Description: "The zone your days are counted in",
					DescriptionLocalizations: *zh("按哪个时区计算你的每一天"), Options: []*discordgo.ApplicationCommandOption{
						{Type: str, Name: "zone", NameLocalizations: *zh("时区"), Description: "IANA zone, e.g. Europe/Berlin; reset to clear",
							DescriptionLocalizations: *zh("IANA 时区，例如 Asia/Shanghai；reset 表示清除"), Required: true, Autocomplete: true},
					}},
				{Type: sub, Name: "language", NameLocalizations: *zh("语言"), Description: "The language questions are shown in",
					DescriptionLocalizations: *zh("题目显示的语言"), Options: []*discordgo.ApplicationCommandOption{
						{Type: str, Name: "language", NameLocalizations: *zh("语言"), Description: "English, Chinese, or your client's",
							DescriptionLocalizations: *zh("英文、中文或跟随客户端"), Required: true,
							Choices: []*discordgo.ApplicationCommandOptionChoice{
								{Name: "English", Value: "en"}, {Name: "中文", Value: "zh"},
								{Name: "Auto (client language)", NameLocalizations: *zh("自动（跟随客户端）"), Value: "auto"},
							}},
					}},
				{Type: sub, Name: "moderator-role", NameLocalizations: *zh("管理员角色"), Description: "Moderators only: the role that may manage the bot",
					DescriptionLocalizations: *zh("仅管理员：可以管理机器人的角色"), Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionRole, Name: "role", NameLocalizations: *zh("角色"),
							Description: "The role (empty to clear)", DescriptionLocalizations: *zh("角色（留空则清除）")},
					}},
			},
		},
		{
			Name: "privacy", NameLocalizations: zh("隐私"),
			Description: "Export or delete your data", DescriptionLocalizations: zh("导出或删除你的数据"),
			DMPermission: noDM,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: sub, Name: "export", NameLocalizations: *zh("导出"), Description: "All your data here as JSON", DescriptionLocalizations: *zh("以 JSON 导出你在此的全部数据")},
				{Type: sub, Name: "delete", NameLocalizations: *zh("删除"), Description: "Erase your streak, answers and reviews here", DescriptionLocalizations: *zh("删除你在此的连续记录、回答和复习")},
			},
		},
		dailyCommand(modPerm, noDM),
		bankCommand(modPerm, noDM),
	}
}

func dailyCommand(modPerm *int64, noDM *bool) *discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	return &discordgo.ApplicationCommand{
		Name: "daily", NameLocalizations: zh("每日一题"),
		Description: "Moderators: the daily question post", DescriptionLocalizations: zh("管理员：每日一题"),
		DefaultMemberPermissions: modPerm, DMPermission: noDM,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: sub, Name: "setup", NameLocalizations: *zh("设置"), Description: "Post one question a day in a channel",
				DescriptionLocalizations: *zh("每天在频道里发一道题"), Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", NameLocalizations: *zh("频道"), Description: "Where to post",
						DescriptionLocalizations: *zh("发到哪里"), Required: true, ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
					{Type: str, Name: "time", NameLocalizations: *zh("时间"), Description: "Local time HH:MM, e.g. 09:00", DescriptionLocalizations: *zh("当地时间 HH:MM，例如 09:00"), Required: true},
					{Type: str, Name: "timezone", NameLocalizations: *zh("时区"), Description: "IANA zone, e.g. Asia/Shanghai", DescriptionLocalizations: *zh("IANA 时区，例如 Asia/Shanghai"), Required: true, Autocomplete: true},
					{Type: str, Name: "topics", NameLocalizations: *zh("主题"), Description: "Comma-separated topics (all if empty)", DescriptionLocalizations: *zh("逗号分隔的主题（留空为全部）")},
					{Type: str, Name: "days", NameLocalizations: *zh("日期"), Description: "every day, weekdays, weekends, or mon,wed,fri", DescriptionLocalizations: *zh("every day、weekdays、weekends 或 mon,wed,fri")},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "reveal_after", NameLocalizations: *zh("公布延迟"), Description: "Hours until the answer is posted (default 12)",
						DescriptionLocalizations: *zh("多少小时后公布答案（默认 12）"), MinValue: ptr(1.0), MaxValue: 24},
					{Type: discordgo.ApplicationCommandOptionRole, Name: "role", NameLocalizations: *zh("角色"), Description: "A role to mention in each post", DescriptionLocalizations: *zh("每次发帖提及的角色")},
				}},
			{Type: sub, Name: "show", NameLocalizations: *zh("查看"), Description: "Show the schedule", DescriptionLocalizations: *zh("查看计划")},
			{Type: sub, Name: "pause", NameLocalizations: *zh("暂停"), Description: "Pause the daily post", DescriptionLocalizations: *zh("暂停每日一题")},
			{Type: sub, Name: "resume", NameLocalizations: *zh("恢复"), Description: "Resume the daily post", DescriptionLocalizations: *zh("恢复每日一题")},
			{Type: sub, Name: "skip", NameLocalizations: *zh("跳过"), Description: "Skip the next post", DescriptionLocalizations: *zh("跳过下一次")},
			{Type: sub, Name: "now", NameLocalizations: *zh("立即"), Description: "Post today's question now", DescriptionLocalizations: *zh("立即发布今天的题目")},
		},
	}
}

package quiz

// consoleMessages: the local console.
var consoleMessages = map[MsgID]Text{
	"console.ask_first":       {EN: "Ask for a question first: /interview [topic].", ZH: "请先出题：/interview [主题]。"},
	"console.board_empty":     {EN: "Nobody is on the board yet: answer a question to start.\n", ZH: "榜上还没有人：答一道题开始吧。\n"},
	"console.delete_confirm":  {EN: "Type DELETE to erase your streak, answers and reviews: ", ZH: "输入 DELETE 以删除你的连续记录、回答和复习记录："},
	"console.deleted":         {EN: "Your data was deleted.\n", ZH: "你的数据已删除。\n"},
	"console.graded":          {EN: "Graded %s. %s: %s.\n", ZH: "已评分：%s。%s：%s。\n"},
	"console.help":            {EN: "Commands:\n  /interview [topic]        a question (any topic if none); /topics lists them\n  /review                   a question due for spaced review\n  /streak                   your streak, and why it is what it is\n  /leaderboard [month]      current streaks, or answers this month\n  /settings timezone ZONE   e.g. Europe/Berlin (reset to clear)\n  /settings language en|zh|auto\n  /privacy export | delete  your data as JSON, or erase it\n  /quit\nAfter a question, type a button's label: answer, reveal, next; after answering: again, hard, good, easy.\n", ZH: "命令：\n  /interview [topic]        出一道题（不填则任意主题）；/topics 列出主题\n  /review                   一道到期需要复习的题\n  /streak                   你的连续天数及其原因\n  /leaderboard [month]      当前连续天数，或本月作答数\n  /settings timezone ZONE   例如 Asia/Shanghai（reset 清除）\n  /settings language en|zh|auto\n  /privacy export | delete  以 JSON 导出你的数据，或删除它\n  /quit\n出题后输入按钮上的标签：作答、看答案、下一题（或 answer、reveal、next）；作答后：重来、困难、良好、简单（或 again、hard、good、easy）。\n"},
	"console.lang_set":        {EN: "Language: %s.\n", ZH: "语言：%s。\n"},
	"console.nothing_deleted": {EN: "Nothing was deleted.\n", ZH: "没有删除任何内容。\n"},
	"console.one_line":        {EN: "%s (one line): ", ZH: "%s（一行）："},
	"console.privacy_usage":   {EN: "Use /privacy export or /privacy delete.", ZH: "用法：/privacy export 或 /privacy delete。"},
	"console.server_zone":     {EN: "the server's (UTC here)", ZH: "服务器的时区（这里是 UTC）"},
	"console.setting_unknown": {EN: "Unknown setting %q: use timezone or language.", ZH: "未知设置 %q：请使用 timezone 或 language。"},
	"console.settings_usage":  {EN: "Use /settings timezone ZONE or /settings language en|zh|auto.", ZH: "用法：/settings timezone 时区 或 /settings language en|zh|auto。"},
	"console.streak":          {EN: "Streak: %d day(s) (best %d). Answers: %d. Days active: %d. Freezes: %d/%d. Days counted in %s.\n", ZH: "连续 %d 天（最佳 %d）。回答 %d 次。活跃 %d 天。冻结卡 %d/%d。按 %s 计算每一天。\n"},
	"console.streak_after":    {EN: "Streak: %d day(s) in a row.\n", ZH: "连续 %d 天。\n"},
	"console.type_label":      {EN: "Type one of the labels in brackets, or a /command.", ZH: "请输入方括号里的某个标签，或一个 /命令。"},
	"console.unknown_command": {EN: "Unknown command /%s. Type /help for the list.", ZH: "未知命令 /%s。输入 /help 查看命令列表。"},
	"console.welcome":         {EN: "Interview practice (local console). Type /help for commands, /quit to leave.\n", ZH: "面试练习（本地控制台）。输入 /help 查看命令，/quit 退出。\n"},
	"console.zone_set":        {EN: "Your days are now counted in %s.\n", ZH: "你的每一天现在按 %s 计算。\n"},
}

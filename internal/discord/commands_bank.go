package discord

import "github.com/bwmarrin/discordgo"

// bankSubcommands are /bank's entries in the command table. A subcommand that opens a form
// never defers: the form must be the first response.
var bankSubcommands = []subcommand{
	{def: subcmd("list", "列表", "List questions", "列出题目", topicOpt(false)), serve: serve{run: (*Bot).bankList}},
	{def: subcmd("show", "查看", "Show one question", "查看一道题", idOpt()), serve: serve{run: (*Bot).bankShow}},
	{def: subcmd("add", "添加", "Add a question (opens a form)", "添加题目（打开表单）", topicOpt(true),
		&discordgo.ApplicationCommandOption{Type: strOpt, Name: "level", NameLocalizations: *zh("难度"), Description: "junior, mid or senior", DescriptionLocalizations: *zh("初级、中级或高级"),
			Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "junior", NameLocalizations: *zh("初级"), Value: "junior"},
				{Name: "mid", NameLocalizations: *zh("中级"), Value: "mid"}, {Name: "senior", NameLocalizations: *zh("高级"), Value: "senior"}}},
		&discordgo.ApplicationCommandOption{Type: strOpt, Name: "id", NameLocalizations: *zh("编号"),
			Description: "The new question's id (a-z, 0-9, -), for the form", DescriptionLocalizations: *zh("新题目的编号（a-z、0-9、-），用于表单")},
		&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", NameLocalizations: *zh("文件"),
			Description: "Or a YAML file with one complete question (both languages)", DescriptionLocalizations: *zh("或上传包含一道完整题目（双语）的 YAML 文件")}),
		serve: serve{howFor: deferBankAdd, run: (*Bot).bankAdd}},
	{def: subcmd("edit", "编辑", "Edit a question (opens a form)", "编辑题目（打开表单）", idOpt(),
		&discordgo.ApplicationCommandOption{Type: strOpt, Name: "language", NameLocalizations: *zh("语言"),
			Description: "Which language to edit (default en)", DescriptionLocalizations: *zh("编辑哪种语言（默认 en）"),
			Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "English", NameLocalizations: *zh("英文"), Value: "en"}, {Name: "中文", NameLocalizations: *zh("中文"), Value: "zh"}}}),
		serve: serve{how: deferNever, run: (*Bot).bankEdit}},
	{def: subcmd("disable", "停用", "Stop asking a question here", "在本服务器停用题目", idOpt()), serve: serve{run: (*Bot).bankDisable}},
	{def: subcmd("enable", "启用", "Ask a disabled question again", "重新启用题目", idOpt()), serve: serve{run: (*Bot).bankEnable}},
	{def: subcmd("remove", "删除", "Remove one of this server's own questions", "删除本服务器自己添加的题目", idOpt()), serve: serve{run: (*Bot).bankRemove}},
	{def: subcmd("export", "导出", "This server's bank as YAML files", "以 YAML 文件导出本服务器题库", topicOpt(false)), serve: serve{run: (*Bot).bankExport}},
	{def: subcmd("import", "导入", "Import a YAML topic file (preview first)", "导入 YAML 主题文件（先预览）",
		&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", NameLocalizations: *zh("文件"),
			Description: "A questions/<topic>.yaml file", DescriptionLocalizations: *zh("questions/<topic>.yaml 文件"), Required: true}),
		serve: serve{run: (*Bot).bankImport}},
	{def: subcmd("history", "历史", "Who changed a question, and when", "谁在何时修改了题目", idOpt()), serve: serve{run: (*Bot).bankHistory}},
	{def: subcmd("reports", "报告", "Members' reports of wrong questions", "成员报告的问题"), serve: serve{run: (*Bot).bankReports}},
}

// deferBankAdd: /bank add opens a form unless a file is attached.
func deferBankAdd(o opts) deferKind {
	if o.str("file") == "" {
		return deferNever
	}
	return deferPrivate
}

func idOpt() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: strOpt, Name: "id", Description: "Question id",
		DescriptionLocalizations: *zh("题目 id"), Required: true, Autocomplete: true}
}

func topicOpt(required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: strOpt, Name: "topic", NameLocalizations: *zh("主题"),
		Description: "Topic", DescriptionLocalizations: *zh("主题"), Required: required, Autocomplete: true}
}

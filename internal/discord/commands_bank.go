package discord

import "github.com/bwmarrin/discordgo"

func bankCommand(modPerm *int64, noDM *bool) *discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	id := func(desc, zhDesc string) []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{{Type: str, Name: "id", Description: desc,
			DescriptionLocalizations: *zh(zhDesc), Required: true, Autocomplete: true}}
	}
	topic := func(required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: str, Name: "topic", NameLocalizations: *zh("主题"),
			Description: "Topic", DescriptionLocalizations: *zh("主题"), Required: required, Autocomplete: true}
	}
	return &discordgo.ApplicationCommand{
		Name: "bank", NameLocalizations: zh("题库"),
		Description: "Moderators: this server's question bank", DescriptionLocalizations: zh("管理员：本服务器题库"),
		DefaultMemberPermissions: modPerm, DMPermission: noDM,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: sub, Name: "list", NameLocalizations: *zh("列表"), Description: "List questions", DescriptionLocalizations: *zh("列出题目"),
				Options: []*discordgo.ApplicationCommandOption{topic(false)}},
			{Type: sub, Name: "show", NameLocalizations: *zh("查看"), Description: "Show one question", DescriptionLocalizations: *zh("查看一道题"),
				Options: id("Question id", "题目 id")},
			{Type: sub, Name: "add", NameLocalizations: *zh("添加"), Description: "Add a question (opens a form)", DescriptionLocalizations: *zh("添加题目（打开表单）"),
				Options: []*discordgo.ApplicationCommandOption{topic(true),
					{Type: str, Name: "level", NameLocalizations: *zh("难度"), Description: "junior, mid or senior", DescriptionLocalizations: *zh("初级、中级或高级"),
						Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "junior", Value: "junior"}, {Name: "mid", Value: "mid"}, {Name: "senior", Value: "senior"}}},
					{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", NameLocalizations: *zh("文件"),
						Description: "Or a YAML file with one complete question (both languages)", DescriptionLocalizations: *zh("或上传包含一道完整题目（双语）的 YAML 文件")},
				}},
			{Type: sub, Name: "edit", NameLocalizations: *zh("编辑"), Description: "Edit a question (opens a form)", DescriptionLocalizations: *zh("编辑题目（打开表单）"),
				Options: append(id("Question id", "题目 id"), &discordgo.ApplicationCommandOption{Type: str, Name: "language", NameLocalizations: *zh("语言"),
					Description: "Which language to edit (default en)", DescriptionLocalizations: *zh("编辑哪种语言（默认 en）"),
					Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "English", Value: "en"}, {Name: "中文", Value: "zh"}}})},
			{Type: sub, Name: "disable", NameLocalizations: *zh("停用"), Description: "Stop asking a question here", DescriptionLocalizations: *zh("在本服务器停用题目"),
				Options: id("Question id", "题目 id")},
			{Type: sub, Name: "enable", NameLocalizations: *zh("启用"), Description: "Ask a disabled question again", DescriptionLocalizations: *zh("重新启用题目"),
				Options: id("Question id", "题目 id")},
			{Type: sub, Name: "remove", NameLocalizations: *zh("删除"), Description: "Remove one of this server's own questions", DescriptionLocalizations: *zh("删除本服务器自己添加的题目"),
				Options: id("Question id", "题目 id")},
			{Type: sub, Name: "export", NameLocalizations: *zh("导出"), Description: "This server's bank as YAML files", DescriptionLocalizations: *zh("以 YAML 文件导出本服务器题库"),
				Options: []*discordgo.ApplicationCommandOption{topic(false)}},
			{Type: sub, Name: "import", NameLocalizations: *zh("导入"), Description: "Import a YAML topic file (preview first)", DescriptionLocalizations: *zh("导入 YAML 主题文件（先预览）"),
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", NameLocalizations: *zh("文件"),
					Description: "A questions/<topic>.yaml file", DescriptionLocalizations: *zh("questions/<topic>.yaml 文件"), Required: true}}},
			{Type: sub, Name: "history", NameLocalizations: *zh("历史"), Description: "Who changed a question, and when", DescriptionLocalizations: *zh("谁在何时修改了题目"),
				Options: id("Question id", "题目 id")},
			{Type: sub, Name: "reports", NameLocalizations: *zh("报告"), Description: "Members' reports of wrong questions", DescriptionLocalizations: *zh("成员报告的问题")},
		},
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestChineseModerator: a moderator whose Discord client is in Chinese (zh-CN) sees /bank and
// /daily, their refusals included, in Chinese, end to end through the fake Discord.
func TestChineseModerator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	zhMod := discordtest.User{ID: "300000000000000005", Username: "mod-zh", Locale: "zh-CN", Permissions: "32"}
	text := func(cmd string, o discordtest.Opt) string {
		t.Helper()
		m := e.final(e.fake.Slash(guildA, channelA, zhMod, cmd, o))
		return m.Content + "\n" + embedText(m.Embeds)
	}
	for _, c := range []struct {
		cmd     string
		o       discordtest.Opt
		want    string // Chinese the reply must hold
		english string // the English it must not
	}{
		{"bank", sub("list"), "题库 · 全部主题", "Bank · all topics"},
		{"bank", sub("show", opt("id", "tcp-handshake")), "来源：shipped", "Source:"},
		{"bank", sub("show", opt("id", "no-such-question")), "本服务器的题库中没有", "No question with id"},
		{"bank", sub("disable", opt("id", "tcp-handshake")), "已在本服务器停用", "is disabled in this server"},
		{"bank", sub("disable", opt("id", "tcp-handshake")), "已经是停用状态", "already disabled"},
		{"bank", sub("enable", opt("id", "tcp-handshake")), "已在本服务器启用", "is enabled in this server"},
		{"bank", sub("history", opt("id", "tcp-handshake")), "历史 · tcp-handshake", "History"},
		{"bank", sub("reports"), "没有待处理的报告", "No open reports"},
		// A bad bank file's problems, from the bank package, read in the moderator's language;
		// the YAML library's own words stay as they are, after a Chinese lead.
		{"bank", sub("import", e.fake.Attach("file", "tcp.yaml", []byte("topic: tcp\ntitle: {en: TCP, zh: TCP}\nquestions:\n  - id: x\n    levle: mid\n"))),
			"tcp.yaml:5: question 1 中有未知字段 \"levle\"", "unknown field"},
		{"bank", sub("import", e.fake.Attach("file", "tcp.yaml", []byte("topic: [tcp\n"))), "tcp.yaml:1: YAML 语法错误：", "invalid YAML"},
		{"bank", sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", []byte("topic: tcp\n"))),
			"缺少字段 \"title\"", "missing field"},
		{"daily", sub("show"), "这里还没有设置每日一题", "No daily question"},
		{"daily", sub("setup", chanOpt("channel", channelA), opt("time", "9h30")), "时间 \"9h30\" 无效", "Invalid time"},
		{"daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:30"), opt("timezone", "Asia/Shanghai")),
			"频道：<#" + channelA + ">", "Channel:"},
		{"daily", sub("show"), "每天", "every day"},
		{"daily", sub("skip"), "的每日一题将被跳过", "will be skipped"},
		{"daily", sub("pause"), "**已暂停。**", "Paused"},
	} {
		got := text(c.cmd, c.o)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.english) {
			t.Errorf("/%s %s = %q; want Chinese (%q), not %q", c.cmd, c.o.Name, got, c.want, c.english)
		}
	}
}

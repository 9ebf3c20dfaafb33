package console

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// settings shows a setting when no value is given, and changes it only with one: resetting
// takes an explicit server (zone), auto (language) or default (retention), so a bare command
// never wipes a choice.
func (c *Console) settings(ctx context.Context, args []string) error {
	name := ""
	if len(args) > 0 {
		name = strings.ToLower(args[0])
	}
	val := strings.TrimSpace(strings.Join(args[min(1, len(args)):], " "))
	switch {
	case name == "":
		if err := c.showZone(ctx); err != nil {
			return err
		}
		if err := c.showLanguage(ctx); err != nil {
			return err
		}
		return c.showRetention(ctx)
	case name == "timezone" && val == "":
		return c.showZone(ctx)
	case name == "language" && val == "":
		return c.showLanguage(ctx)
	case name == "retention" && val == "":
		return c.showRetention(ctx)
	case name == "retention":
		v, err := c.members.SetRetention(ctx, c.actor, val)
		if err != nil {
			return err
		}
		pct := percent(v)
		c.printf("%s\n", tr(c.lang(), "Reviews are now planned for about "+pct+" recall.", "复习现在按约 "+pct+" 的记忆率安排。"))
	case name == "timezone":
		z, err := c.members.SetTimezone(ctx, c.actor, val)
		if err != nil {
			return err
		}
		s, err := c.members.Settings(ctx, c.actor)
		if err != nil {
			return err
		}
		l := s.Effective
		if z == "" {
			c.printf("%s\n", tr(l, "Your days are now counted in the server's zone, "+s.ServerZone+".", "你的每一天现在按服务器的时区（"+s.ServerZone+"）计算。"))
			return nil
		}
		c.printf("%s\n", tr(l, "Your days are now counted in "+z+".", "你的每一天现在按 "+z+" 时区计算。"))
	case name == "language":
		if _, err := c.members.SetLanguage(ctx, c.actor, val); err != nil {
			return err
		}
		return c.showLanguage(ctx)
	default:
		return mistake("Unknown setting %q: use /settings timezone, /settings language or /settings retention.",
			"未知设置 %q：请使用 /settings timezone、/settings language 或 /settings retention。", args[0])
	}
	return nil
}

func (c *Console) showZone(ctx context.Context) error {
	s, err := c.members.Settings(ctx, c.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	if s.Zone == "" {
		c.printf("%s\n", tr(l, "Time zone: the server's, "+s.ServerZone+". Change it with /settings timezone ZONE (e.g. Europe/Berlin).",
			"时区：服务器的时区 "+s.ServerZone+"。用 /settings timezone ZONE 修改（例如 Asia/Shanghai）。"))
		return nil
	}
	c.printf("%s\n", tr(l, "Time zone: "+s.Zone+", your own. Change it with /settings timezone ZONE, or /settings timezone server to use the server's ("+s.ServerZone+").",
		"时区："+s.Zone+"（你自己设置的）。用 /settings timezone ZONE 修改，或用 /settings timezone server 改回服务器的时区（"+s.ServerZone+"）。"))
	return nil
}

func (c *Console) showLanguage(ctx context.Context) error {
	s, err := c.members.Settings(ctx, c.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	name := tr(l, "English", "英文")
	if l == quiz.Chinese {
		name = tr(l, "Chinese", "中文")
	}
	if s.Lang == "" {
		c.printf("%s\n", tr(l, "Language: "+name+", from your system (LANG). Change it with /settings language en or zh.",
			"语言："+name+"，跟随系统（LANG）。用 /settings language en 或 zh 修改。"))
		return nil
	}
	c.printf("%s\n", tr(l, "Language: "+name+", your own choice. Change it with /settings language en|zh, or /settings language auto to follow your system (LANG).",
		"语言："+name+"（你自己选择的）。用 /settings language en|zh 修改，或用 /settings language auto 跟随系统（LANG）。"))
	return nil
}

func (c *Console) showRetention(ctx context.Context) error {
	s, err := c.members.Settings(ctx, c.actor)
	if err != nil {
		return err
	}
	pct, def := percent(s.Retention), percent(quiz.DefaultRetention)
	c.printf("%s\n", tr(s.Effective, "Retention: "+pct+". Each review is planned for when your recall falls to it. Change it with /settings retention 0.80-0.97 (higher means more reviews), or /settings retention default for "+def+".",
		"记忆率："+pct+"。每次复习安排在你的记忆率降到这个值的时候。用 /settings retention 0.80-0.97 修改（越高复习越多），或用 /settings retention default 恢复为 "+def+"。"))
	return nil
}

// percent is a share as a whole percentage: 0.9 → "90%".
func percent(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" }

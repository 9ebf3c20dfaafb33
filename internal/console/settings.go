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
		c.printf("%s\n", c.lang().Msg("console.retention_set", pct))
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
			c.printf("%s\n", l.Msg("settings.zone_set_server", s.ServerZone))
			return nil
		}
		c.printf("%s\n", l.Msg("settings.zone_set", z))
	case name == "language":
		if _, err := c.members.SetLanguage(ctx, c.actor, val); err != nil {
			return err
		}
		return c.showLanguage(ctx)
	default:
		return mistake("console.unknown_setting_q_use_settings", args[0])
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
		c.printf("%s\n", l.Msg("console.zone_is_server", s.ServerZone))
		return nil
	}
	c.printf("%s\n", l.Msg("console.zone_is_own", s.Zone, s.ServerZone))
	return nil
}

func (c *Console) showLanguage(ctx context.Context) error {
	s, err := c.members.Settings(ctx, c.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	name := l.Msg("settings.english")
	if l == quiz.Chinese {
		name = l.Msg("settings.chinese")
	}
	if s.Lang == "" {
		c.printf("%s\n", l.Msg("console.lang_is_system", name))
		return nil
	}
	c.printf("%s\n", l.Msg("console.lang_is_own", name))
	return nil
}

func (c *Console) showRetention(ctx context.Context) error {
	s, err := c.members.Settings(ctx, c.actor)
	if err != nil {
		return err
	}
	pct, def := percent(s.Retention), percent(quiz.DefaultRetention)
	c.printf("%s\n", s.Effective.Msg("console.retention_is", pct, def))
	return nil
}

// percent is a share as a whole percentage: 0.9 → "90%".
func percent(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" }

package quiz

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Members is what members see of themselves and each other: streaks, the leaderboard, their
// settings and their data.
type Members struct{ *core }

// StreakView is what /streak shows.
type StreakView struct {
	Member Member
	Status StreakStatus
	Zone   string // the zone days are counted in; "" = the member's own, hidden from others
	Lang   Lang   // the viewer's language
}

// Streak returns member u's streak as it stands now, for viewer a.
func (ms *Members) Streak(ctx context.Context, a Actor, u UserID) (StreakView, error) {
	now := ms.now()
	var out StreakView
	err := ms.store.View(ctx, func(tx Tx) error {
		g, m, err := memberIn(tx, a.Guild, u)
		if err != nil {
			return err
		}
		viewer := m
		if u != a.User {
			if viewer, _, err = tx.Member(a.Guild, a.User); err != nil {
				return err
			}
		}
		m.Guild, m.User = a.Guild, u
		loc := ms.memberZone(m, g)
		out = StreakView{Member: m, Status: m.Streak.At(DayOf(now, loc)), Zone: loc.String(), Lang: a.lang(viewer)}
		if u != a.User {
			// A member's own settings are theirs: another viewer learns neither their zone
			// (where they live) nor their language or retention.
			out.Member = Member{Guild: m.Guild, User: u, Name: m.Name, Streak: m.Streak, Answered: m.Answered}
			if m.TZ != "" {
				out.Zone = ""
			}
		}
		return nil
	})
	return out, err
}

// Board is which leaderboard to show.
type Board string

const (
	BoardStreak Board = "streak" // current streaks
	BoardMonth  Board = "month"  // answers this month, so newcomers can lead
)

// Entry is one leaderboard line.
type Entry struct {
	Rank  int
	User  UserID
	Name  string
	Value int
}

// Leaderboard returns the top n members of a's server on board, and the language to show it in.
func (ms *Members) Leaderboard(ctx context.Context, a Actor, board Board, n int) ([]Entry, Lang, error) {
	now := ms.now()
	var (
		out  []Entry
		lang = LangForLocale(a.Locale)
	)
	err := ms.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		return tx.Members(a.Guild, func(m Member) bool {
			if m.User == a.User {
				lang = a.lang(m)
			}
			if v := boardValue(m, board, now, ms.memberZone(m, g)); v > 0 {
				out = append(out, Entry{User: m.User, Name: m.Name, Value: v})
			}
			return true
		})
	})
	if err != nil {
		return nil, lang, err
	}
	return rank(out, n), lang, nil
}

// boardValue is m's score on board at now, in m's zone loc: this month's answers, or the
// current streak.
func boardValue(m Member, board Board, now time.Time, loc *time.Location) int {
	if board == BoardMonth {
		if m.Month == now.In(loc).Format("2006-01") {
			return m.MonthAnswers
		}
		return 0
	}
	return m.Streak.At(DayOf(now, loc)).Current
}

// rank sorts entries by value, highest first (ties by user id), keeps the top n and numbers
// them; equal values share a rank.
func rank(out []Entry, n int) []Entry {
	slices.SortStableFunc(out, func(x, y Entry) int { return cmp.Or(cmp.Compare(y.Value, x.Value), cmp.Compare(x.User, y.User)) })
	if len(out) > n {
		out = out[:n]
	}
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Value == out[i-1].Value {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}

// Settings is a member's own settings as they stand: what they chose, and what is in force.
type Settings struct {
	Zone       string  // the member's own zone; "" follows the server's
	ServerZone string  // the server's zone (UTC when it has none)
	Lang       Lang    // the member's chosen language; "" follows their client (auto)
	Effective  Lang    // the language in force
	Retention  float64 // the recall reviews are planned for: the member's, else DefaultRetention
}

// InZone returns the zone the member's days are counted in: their own, else the server's.
func (s Settings) InZone() string { return cmp.Or(s.Zone, s.ServerZone) }

// Settings returns the actor's settings, for showing them.
func (ms *Members) Settings(ctx context.Context, a Actor) (Settings, error) {
	var out Settings
	err := ms.store.View(ctx, func(tx Tx) error {
		g, m, err := memberIn(tx, a.Guild, a.User)
		if err != nil {
			return err
		}
		out = Settings{Zone: m.TZ, ServerZone: ms.location(g.TZ).String(), Lang: m.Lang, Effective: a.lang(m),
			Retention: cmp.Or(m.Retention, DefaultRetention)}
		return nil
	})
	return out, err
}

// ZoneServer and LangAuto are the explicit values that reset a setting: an empty value
// resets nothing, so a command typed without its value cannot wipe a choice.
const (
	ZoneServer = "server"
	LangAuto   = "auto"
)

// SetTimezone sets the zone the actor's days are counted in, or with ZoneServer (or "auto",
// "reset") clears it so the server's applies, and returns the zone's name ("" when cleared).
// Returns EINVALID for an empty value or an unknown zone.
func (ms *Members) SetTimezone(ctx context.Context, a Actor, zone string) (string, error) {
	zone = strings.TrimSpace(zone)
	switch {
	case zone == "":
		return "", Errorf(EINVALID, "settings.zone_required_member")
	case strings.EqualFold(zone, ZoneServer), strings.EqualFold(zone, LangAuto), strings.EqualFold(zone, "reset"):
		zone = ""
	default:
		l, err := ParseZone(zone)
		if err != nil {
			return "", err
		}
		zone = l.String()
	}
	return zone, ms.updateMember(ctx, a, func(m *Member) { m.TZ = zone })
}

// SetLanguage sets the actor's language; LangAuto follows their client's locale again.
// Returns EINVALID for an empty value or an unknown language.
func (ms *Members) SetLanguage(ctx context.Context, a Actor, lang string) (Lang, error) {
	var l Lang
	switch v := strings.TrimSpace(strings.ToLower(lang)); v {
	case "":
		return "", Errorf(EINVALID, "settings.lang_required")
	case LangAuto:
	default:
		var ok bool
		if l, ok = ParseLang(v); !ok {
			return "", Errorf(EINVALID, "settings.lang_unknown", quote(lang))
		}
	}
	return l, ms.updateMember(ctx, a, func(m *Member) { m.Lang = l })
}

// SetRetention sets the recall the actor's reviews are scheduled for: a share from
// MinRetention to MaxRetention, written 0.9, 90 or 90%; "default" restores
// DefaultRetention. It returns the retention now in force.
// Returns EINVALID for anything else, an empty value included (it changes nothing).
func (ms *Members) SetRetention(ctx context.Context, a Actor, value string) (float64, error) {
	r, err := ParseRetention(value)
	if err != nil {
		return 0, err
	}
	if err := ms.updateMember(ctx, a, func(m *Member) { m.Retention = r }); err != nil {
		return 0, err
	}
	return cmp.Or(r, DefaultRetention), nil
}

// ParseRetention reads a target recall: "0.9", "90" or "90%" within MinRetention..MaxRetention,
// or "default" for 0 (DefaultRetention). An empty value is refused, so a command typed
// without its value cannot reset a choice.
func ParseRetention(value string) (float64, error) {
	v := strings.ToLower(strings.TrimSpace(value))
	switch v {
	case "":
		return 0, Errorf(EINVALID, "error.give_a_retention_from_d",
			int(MinRetention*100), int(MaxRetention*100), int(DefaultRetention*100))
	case "default", "reset":
		return 0, nil
	}
	pct := strings.HasSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, Errorf(EINVALID, "settings.retention_nan",
			quote(value), MinRetention, MaxRetention)
	}
	if pct || f > 1 {
		f /= 100
	}
	f = math.Round(f*1000) / 1000
	if f < MinRetention || f > MaxRetention {
		return 0, Errorf(EINVALID, "settings.retention_range",
			int(MinRetention*100), int(MaxRetention*100), quote(value), int(DefaultRetention*100))
	}
	return f, nil
}

func (ms *Members) updateMember(ctx context.Context, a Actor, fn func(*Member)) error {
	return ms.store.Update(ctx, func(tx Tx) error {
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		m = identify(m, a)
		fn(&m)
		return tx.PutMember(m)
	})
}

// Lang returns the language to show the actor: their setting, else their client's locale.
func (ms *Members) Lang(ctx context.Context, a Actor) Lang {
	l := LangForLocale(a.Locale)
	_ = ms.store.View(ctx, func(tx Tx) error {
		m, _, err := tx.Member(a.Guild, a.User)
		if err == nil {
			l = a.lang(m)
		}
		return err
	})
	return l
}

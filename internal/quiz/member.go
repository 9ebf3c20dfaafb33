package quiz

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// StreakView is what /streak shows.
type StreakView struct {
	Member Member
	Status StreakStatus
	Zone   string // the zone days are counted in
	Lang   Lang   // the viewer's language
}

// Streak returns member u's streak as it stands now, for viewer a.
func (s *Service) Streak(ctx context.Context, a Actor, u UserID) (StreakView, error) {
	now := s.now()
	var out StreakView
	err := s.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		m, _, err := tx.Member(a.Guild, u)
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
		loc := s.memberZone(m, g)
		out = StreakView{Member: m, Status: m.Streak.At(DayOf(now, loc)), Zone: loc.String(), Lang: a.lang(viewer)}
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

// Leaderboard returns the top n members of a's server on board.
func (s *Service) Leaderboard(ctx context.Context, a Actor, board Board, n int) ([]Entry, Lang, error) {
	now := s.now()
	var (
		out  []Entry
		lang = LangForLocale(a.Locale)
	)
	err := s.store.View(ctx, func(tx Tx) error {
		g, _, err := tx.Guild(a.Guild)
		if err != nil {
			return err
		}
		return tx.Members(a.Guild, func(m Member) bool {
			if m.User == a.User {
				lang = a.lang(m)
			}
			loc := s.memberZone(m, g)
			v := 0
			switch board {
			case BoardMonth:
				if m.Month == now.In(loc).Format("2006-01") {
					v = m.MonthAnswers
				}
			default:
				v = m.Streak.At(DayOf(now, loc)).Current
			}
			if v > 0 {
				out = append(out, Entry{User: m.User, Name: m.Name, Value: v})
			}
			return true
		})
	})
	if err != nil {
		return nil, lang, err
	}
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
	return out, lang, nil
}

// SetTimezone sets (or with "" clears) the zone the actor's days are counted in.
func (s *Service) SetTimezone(ctx context.Context, a Actor, zone string) (string, error) {
	zone = strings.TrimSpace(zone)
	if zone != "" && !strings.EqualFold(zone, "reset") {
		l, err := ParseZone(zone)
		if err != nil {
			return "", err
		}
		zone = l.String()
	} else {
		zone = ""
	}
	return zone, s.updateMember(ctx, a, func(m *Member) { m.TZ = zone })
}

// SetLanguage sets the actor's language; "auto" (or "") follows their client's locale again.
func (s *Service) SetLanguage(ctx context.Context, a Actor, lang string) (Lang, error) {
	var l Lang
	if v := strings.TrimSpace(strings.ToLower(lang)); v != "" && v != "auto" {
		var ok bool
		if l, ok = ParseLang(v); !ok {
			return "", Errorf(EINVALID, "Unknown language %s: use en, zh or auto.", quote(lang))
		}
	}
	return l, s.updateMember(ctx, a, func(m *Member) { m.Lang = l })
}

func (s *Service) updateMember(ctx context.Context, a Actor, fn func(*Member)) error {
	return s.store.Update(ctx, func(tx Tx) error {
		m, _, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		m.Guild, m.User = a.Guild, a.User
		if a.Name != "" {
			m.Name = a.Name
		}
		fn(&m)
		return tx.PutMember(m)
	})
}

// Export is everything the bot stores about one member in one server.
type Export struct {
	Guild      GuildID   `json:"guild"`
	User       UserID    `json:"user"`
	ExportedAt time.Time `json:"exported_at"`
	Member     *Member   `json:"member"`
	Cards      []Card    `json:"cards"`
	Attempts   []Attempt `json:"attempts"`
}

// ExportMember returns all of the actor's data in their server.
func (s *Service) ExportMember(ctx context.Context, a Actor) (Export, error) {
	out := Export{Guild: a.Guild, User: a.User, ExportedAt: s.now()}
	err := s.store.View(ctx, func(tx Tx) error {
		m, ok, err := tx.Member(a.Guild, a.User)
		if err != nil {
			return err
		}
		if ok {
			out.Member = &m
		}
		if out.Cards, err = tx.Cards(a.Guild, a.User); err != nil {
			return err
		}
		out.Attempts, err = tx.Attempts(a.Guild, a.User)
		return err
	})
	if out.Cards == nil {
		out.Cards = []Card{}
	}
	if out.Attempts == nil {
		out.Attempts = []Attempt{}
	}
	return out, err
}

// DeleteMember erases the actor's data in their server: settings, streak, answers, reviews.
func (s *Service) DeleteMember(ctx context.Context, a Actor) error {
	return s.store.Update(ctx, func(tx Tx) error { return tx.DeleteMember(a.Guild, a.User) })
}

// Topics returns the topics of a server's bank, with their question counts.
func (s *Service) Topics(ctx context.Context, g GuildID) ([]Topic, map[string]int, error) {
	b, err := s.guildBank(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	return b.Topics(), b.Counts(), nil
}

// MatchTopics returns up to max topics of g's bank matching prefix, for autocomplete; the
// server's bank is cached, so this is one short read.
func (s *Service) MatchTopics(ctx context.Context, g GuildID, prefix string, max int) ([]Topic, error) {
	b, err := s.guildBank(ctx, g)
	if err != nil {
		return nil, err
	}
	return b.MatchTopics(prefix, max), nil
}

func (s *Service) guildBank(ctx context.Context, g GuildID) (*Bank, error) {
	var b *Bank
	err := s.store.View(ctx, func(tx Tx) error {
		gd, _, err := tx.Guild(g)
		if err != nil {
			return err
		}
		b, err = s.bankFor(tx, gd)
		return err
	})
	return b, err
}

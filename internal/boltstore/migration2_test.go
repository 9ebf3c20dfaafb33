package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/fsrs"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// v1State is what a schema-v1 file holds, read with the v1 decoders (JSON, card v1).
type v1State struct {
	members  map[quiz.GuildID][]quiz.Member
	attempts map[quiz.GuildID][]quiz.Attempt
	sessions map[quiz.GuildID][]quiz.Session
	cards    map[[2]uint64][]quiz.Card // guild, user
	reports  map[quiz.GuildID][]quiz.Report
	due      int
}

func readV1(t *testing.T, path string) v1State {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := v1State{members: map[quiz.GuildID][]quiz.Member{}, attempts: map[quiz.GuildID][]quiz.Attempt{},
		sessions: map[quiz.GuildID][]quiz.Session{}, cards: map[[2]uint64][]quiz.Card{}, reports: map[quiz.GuildID][]quiz.Report{}}
	err = db.View(func(tx *bolt.Tx) error {
		st.due = tx.Bucket(bucketKeyDue).Stats().KeyN
		return tx.Bucket(bucketKeyGuilds).ForEach(func(gk, _ []byte) error {
			g := quiz.GuildID(binary.BigEndian.Uint64(gk))
			gb := tx.Bucket(bucketKeyGuilds).Bucket(gk)
			each := func(name []byte, fn func(k, v []byte) error) error {
				if b := gb.Bucket(name); b != nil {
					return b.ForEach(fn)
				}
				return nil
			}
			return errors.Join(
				each(bucketKeyMembers, func(_, v []byte) error {
					var m quiz.Member
					err := decodeJSON(v, &m)
					st.members[g] = append(st.members[g], m)
					return err
				}),
				each(bucketKeyAttempts, func(k, v []byte) error {
					if !isJSON(v) {
						t.Errorf("v1 fixture: attempt %x is not JSON", k)
					}
					var a quiz.Attempt
					err := decodeJSON(v, &a)
					st.attempts[g] = append(st.attempts[g], a)
					return err
				}),
				each(bucketKeySessions, func(k, v []byte) error {
					var s quiz.Session
					err := decodeJSON(v, &s)
					st.sessions[g] = append(st.sessions[g], s)
					return err
				}),
				each(bucketKeyReports, func(_, v []byte) error {
					var r quiz.Report
					err := decodeJSON(v, &r)
					st.reports[g] = append(st.reports[g], r)
					return err
				}),
				each(bucketKeyCards, func(uk, _ []byte) error {
					u := binary.BigEndian.Uint64(uk)
					return gb.Bucket(bucketKeyCards).Bucket(uk).ForEach(func(k, v []byte) error {
						if v[0] != cardCodecV1 {
							t.Errorf("v1 fixture: card %s is version %d", k, v[0])
						}
						c, err := decodeCard(string(k), v)
						st.cards[[2]uint64{uint64(g), u}] = append(st.cards[[2]uint64{uint64(g), u}], c)
						return err
					})
				}),
			)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "quiz.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMigration2 opens a database written by the schema-v1 release (testdata/v1.db, see
// testdata/README.md): it is backed up, migrated, and keeps every member's streak and answers,
// every attempt, session, report and queued reveal; its cards are v2 with the FSRS state
// that FSRS computes from each card's graded history (due within a day of a replay here).
func TestMigration2(t *testing.T) {
	path := copyFixture(t, "v1.db")
	if _, v, _ := rawState(t, path); v != 1 {
		t.Fatalf("fixture schema_version %d; want 1", v)
	}
	before := readV1(t, path)
	if len(before.attempts[7]) < 100 || len(before.cards) < 3 || before.due == 0 {
		t.Fatalf("fixture too small: %d attempts, %d card sets, %d due", len(before.attempts[7]), len(before.cards), before.due)
	}
	beforeHash := hashFile(t, path)
	beforeKeys := dumpFile(t, path)

	// Without a Scheduler the migration refuses (graded cards cannot be rebuilt), changing nothing.
	if _, err := Open(path, Options{}); !errors.Is(err, errNoScheduler) {
		t.Fatalf("Open without a Scheduler = %v; want errNoScheduler", err)
	}
	if hashFile(t, path) != beforeHash {
		t.Fatal("a failed migration changed the file")
	}

	sched := fsrs.New()
	s := openTest(t, path, Options{Scheduler: sched})
	if _, err := os.Stat(path + ".pre-v2.bak"); err != nil {
		t.Errorf("no backup before migrating: %v", err)
	}
	// The backup is a copy of the live keys (deleted data is not carried along), not of pages.
	diffDumps(t, "the backup against the v1 file", dumpFile(t, path+".pre-v2.bak"), beforeKeys)

	cmpTimes := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	view := func(fn func(tx quiz.Tx) error) {
		t.Helper()
		if err := s.View(t.Context(), fn); err != nil {
			t.Fatal(err)
		}
	}
	graded := 0
	view(func(tx quiz.Tx) error {
		for g, ms := range before.members {
			var got []quiz.Member
			if err := tx.Members(g, func(m quiz.Member) bool { got = append(got, m); return true }); err != nil {
				return err
			}
			if d := cmp.Diff(got, ms, cmpTimes); d != "" {
				t.Errorf("members of %d changed (-got +want):\n%s", g, d)
			}
			for _, m := range ms {
				as, err := tx.Attempts(g, m.User)
				if err != nil {
					return err
				}
				var want []quiz.Attempt
				for _, a := range before.attempts[g] {
					if a.User == m.User {
						want = append(want, a)
					}
				}
				if d := cmp.Diff(as, want, cmpTimes); d != "" {
					t.Errorf("attempts of %d/%d changed (-got +want):\n%s", g, m.User, d)
				}
				cards, err := tx.Cards(g, m.User)
				if err != nil {
					return err
				}
				old := before.cards[[2]uint64{uint64(g), uint64(m.User)}]
				if len(cards) != len(old) {
					t.Errorf("%d/%d: %d cards after, %d before", g, m.User, len(cards), len(old))
					continue
				}
				for i, c := range cards {
					o := old[i]
					if c.QuestionID != o.QuestionID || c.Asked != o.Asked || !c.LastAsked.Equal(o.LastAsked) || c.Ease != o.Ease {
						t.Errorf("card %s: identity changed: %+v, was %+v", c.QuestionID, c, o)
					}
					// What FSRS makes of this card's history, replayed here.
					var hist []quiz.Attempt
					for _, a := range want {
						if a.QuestionID == c.QuestionID && a.Grade != "" {
							hist = append(hist, a)
						}
					}
					slices.SortFunc(hist, func(x, y quiz.Attempt) int { return x.GradedAt.Compare(y.GradedAt) })
					if len(hist) == 0 {
						if !c.Due.IsZero() || c.State != quiz.CardNew {
							t.Errorf("card %s was never graded but has due %v, state %d", c.QuestionID, c.Due, c.State)
						}
						continue
					}
					graded++
					var r quiz.Card
					for _, a := range hist {
						r = sched.Review(r, a.Grade, a.GradedAt, quiz.DefaultRetention)
					}
					if d := c.Due.Sub(r.Due).Abs(); d > 24*time.Hour {
						t.Errorf("card %s: due %v, FSRS from its %d grades says %v (%v apart)", c.QuestionID, c.Due, len(hist), r.Due, d)
					}
					if c.State == quiz.CardNew || c.Stability <= 0 || c.Difficulty < 1 || c.Difficulty > 10 || !c.LastReview.Equal(hist[len(hist)-1].GradedAt) {
						t.Errorf("card %s: no FSRS state after migrating: %+v", c.QuestionID, c)
					}
					if c.LastGrade != hist[len(hist)-1].Grade {
						t.Errorf("card %s: last grade %s; history ends with %s", c.QuestionID, c.LastGrade, hist[len(hist)-1].Grade)
					}
				}
			}
		}
		for g, ss := range before.sessions {
			var got []quiz.Session
			if err := tx.Sessions(g, 0, func(s quiz.Session) bool { got = append(got, s); return true }); err != nil {
				return err
			}
			if d := cmp.Diff(got, ss, cmpTimes); d != "" {
				t.Errorf("sessions of %d changed (-got +want):\n%s", g, d)
			}
		}
		for g, rs := range before.reports {
			got, err := tx.Reports(g)
			if err != nil {
				return err
			}
			if d := cmp.Diff(got, rs, cmpTimes); d != "" {
				t.Errorf("reports of %d changed (-got +want):\n%s", g, d)
			}
		}
		due, err := tx.DueUntil(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 1<<20)
		if len(due) != before.due {
			t.Errorf("%d due entries after, %d before (%v)", len(due), before.due, err)
		}
		return err
	})
	if graded < 20 {
		t.Errorf("only %d graded cards checked", graded)
	}

	// Everything is in the v2 encodings now.
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeyGuilds).ForEach(func(gk, _ []byte) error {
			gb := tx.Bucket(bucketKeyGuilds).Bucket(gk)
			for _, name := range [][]byte{bucketKeyAttempts, bucketKeySessions} {
				if err := gb.Bucket(name).ForEach(func(k, v []byte) error {
					if isJSON(v) {
						t.Errorf("%s/%x is still JSON", name, k)
					}
					return nil
				}); err != nil {
					return err
				}
			}
			return gb.Bucket(bucketKeyCards).ForEach(func(uk, _ []byte) error {
				return gb.Bucket(bucketKeyCards).Bucket(uk).ForEach(func(k, v []byte) error {
					if v[0] != cardCodecV2 {
						t.Errorf("card %s is still version %d", k, v[0])
					}
					return nil
				})
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.db.View(func(tx *bolt.Tx) error {
		if v, _ := getU64(tx.Bucket(bucketKeyMeta).Get(bucketKeySchemaVersion)); v != 2 {
			t.Errorf("schema_version %d after Open; want 2", v)
		}
		return nil
	})
}

// TestMigration2HalfConverted runs the v2 migration over a file where some values are already
// in the v2 form (as a copy restored mid-way, or a v2 writer racing nothing): it converts the
// rest and leaves those alone.
func TestMigration2HalfConverted(t *testing.T) {
	path := copyFixture(t, "v1.db")
	before := readV1(t, path)
	var sample quiz.Attempt
	rawBolt(func(tx *bolt.Tx) error {
		gb := tx.Bucket(bucketKeyGuilds).Bucket(u64(7))
		sample = before.attempts[7][0]
		data, err := encodeAttempt(sample)
		if err != nil {
			return err
		}
		s := before.sessions[7][0]
		sdata, err := encodeSession(s)
		if err != nil {
			return err
		}
		return errors.Join(gb.Bucket(bucketKeyAttempts).Put(attemptKey(sample.User, sample.Session), data),
			gb.Bucket(bucketKeySessions).Put(u64(uint64(s.ID)), sdata))
	})(t, path)
	s := openTest(t, path, Options{Scheduler: fsrs.New()})
	err := s.View(t.Context(), func(tx quiz.Tx) error {
		as, err := tx.Attempts(7, sample.User)
		if err != nil {
			return err
		}
		n := 0
		for _, a := range before.attempts[7] {
			if a.User == sample.User {
				n++
			}
		}
		if len(as) != n || !bytes.Equal([]byte(as[0].Text), []byte(sample.Text)) {
			t.Errorf("after a half-converted migration: %d attempts (want %d), first %q", len(as), n, as[0].Text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigration2Fresh: a new file is laid out at v2 directly, with no backup and no Scheduler.
func TestMigration2Fresh(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "quiz.db"), Options{})
	seed(t, s)
	if names := dirNames(t, dir); !slices.Equal(names, []string{"quiz.db"}) {
		t.Errorf("folder holds %v; want only quiz.db", names)
	}
}

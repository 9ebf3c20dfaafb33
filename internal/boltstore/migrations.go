package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// migration changes the layout from version-1 to version.
type migration struct {
	version uint64
	name    string
	fn      func(tx *bolt.Tx, env migrateEnv) error
}

// migrateEnv is what a migration may need beyond the file.
type migrateEnv struct {
	sched quiz.Scheduler // Options.Scheduler; nil if none was given
}

// migrations MUST be ordered by version, from 1 without gaps; the last one is the schema this
// code writes. Each runs at Open in its own Update, which also sets meta/schema_version. A
// migration test MUST be added for each (migrations_test.go). Update doc.go in the same change.
var migrations = []migration{
	{version: 1, name: "create layout", fn: migrateCreateLayout},
	{version: 2, name: "FSRS cards, binary sessions and attempts", fn: migrateV2},
}

// migrateCreateLayout creates the top-level buckets and marks the file as ours. Guild buckets
// are created on each guild's first write.
func migrateCreateLayout(tx *bolt.Tx, _ migrateEnv) error {
	for _, name := range topBuckets {
		if _, err := createBucketIfNotExists(tx, name); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketKeyMeta).Put(bucketKeyApp, appName)
}

func checkMigrations(list []migration) error {
	if len(list) == 0 {
		return fmt.Errorf("boltstore: no migrations")
	}
	for i, m := range list {
		if m.version != uint64(i+1) || m.fn == nil {
			return fmt.Errorf("boltstore: migration %d (%q) is out of order or has no function", i, m.name)
		}
	}
	return nil
}

// errNoScheduler fails the v2 migration of a file with graded cards when Open was given no
// Scheduler to rebuild them with.
var errNoScheduler = errors.New("graded cards need rebuilding with FSRS, but Options.Scheduler is nil")

// migrateV2 converts schema v1 to v2, guild by guild, in the one transaction the runner gives:
//
//   - attempts (JSON) are re-encoded binary, one member's prefix at a time; the member's graded
//     attempts are kept for the next step;
//   - cards (binary v1) are rewritten as v2, their review state rebuilt by quiz.RebuildCard
//     with env.sched from that member's graded attempts (or from the SM-2 state alone), so the
//     FSRS schedule is what FSRS would have made of the history;
//   - sessions (JSON) are re-encoded binary.
//
// Members, streaks, posts and the rest are untouched. Values already in the v2 form are left
// as they are, so running it on a half-converted file converts the rest. The new buckets
// (mocks, mock_index, awards, recaps) are created on each guild's next write.
func migrateV2(tx *bolt.Tx, env migrateEnv) error {
	guilds := tx.Bucket(bucketKeyGuilds)
	if guilds == nil {
		return nil
	}
	var ids [][]byte
	if err := guilds.ForEach(func(k, v []byte) error {
		if v == nil {
			ids = append(ids, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range ids {
		g, ok := getU64(k)
		if !ok {
			return fmt.Errorf("bad guild key %x", k)
		}
		gb := guilds.Bucket(k)
		if err := migrateV2Members(gb, quiz.GuildID(g), env.sched); err != nil {
			return fmt.Errorf("guild %d: %w", g, err)
		}
		if err := migrateV2Sessions(gb.Bucket(bucketKeySessions), quiz.GuildID(g)); err != nil {
			return fmt.Errorf("guild %d: sessions: %w", g, err)
		}
	}
	return nil
}

// migrateV2Members re-encodes each member's attempts and rebuilds their cards.
func migrateV2Members(gb *bolt.Bucket, g quiz.GuildID, sched quiz.Scheduler) error {
	graded := map[uint64][]quiz.Attempt{} // by user; only those with a grade
	if ab := gb.Bucket(bucketKeyAttempts); ab != nil {
		type entry struct {
			k []byte
			a quiz.Attempt
		}
		var batch []entry
		flush := func() error {
			for _, e := range batch {
				data, err := encodeAttempt(e.a)
				if err != nil {
					return fmt.Errorf("attempt %x: %w", e.k, err)
				}
				if err := ab.Put(e.k, data); err != nil {
					return err
				}
			}
			batch = batch[:0]
			return nil
		}
		c := ab.Cursor()
		for k, v := c.First(); k != nil; {
			if len(k) != 16 {
				return fmt.Errorf("attempts: bad key %x", k)
			}
			u, s := binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])
			a, err := decodeAttempt(g, quiz.UserID(u), quiz.SessionID(s), v)
			if err != nil {
				return fmt.Errorf("attempt %x: %w", k, err)
			}
			if a.Grade != "" {
				graded[u] = append(graded[u], a)
			}
			if isJSON(v) {
				batch = append(batch, entry{bytes.Clone(k), a})
			}
			if len(batch) < 1000 {
				k, v = c.Next()
				continue
			}
			// Write outside the walk, then find our place again: bbolt cursors do not survive
			// writes to their bucket.
			last := batch[len(batch)-1].k
			if err := flush(); err != nil {
				return err
			}
			if k, v = c.Seek(last); k != nil && bytes.Equal(k, last) {
				k, v = c.Next()
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	cards := gb.Bucket(bucketKeyCards)
	if cards == nil {
		return nil
	}
	var users [][]byte
	if err := cards.ForEach(func(k, v []byte) error {
		if v == nil {
			users = append(users, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, uk := range users {
		u, ok := getU64(uk)
		if !ok {
			return fmt.Errorf("cards: bad user key %x", uk)
		}
		if err := migrateV2Cards(cards.Bucket(uk), graded[u], sched); err != nil {
			return fmt.Errorf("cards of %d: %w", u, err)
		}
	}
	return nil
}

// migrateV2Cards rewrites one member's cards as v2 with their review state rebuilt.
func migrateV2Cards(b *bolt.Bucket, graded []quiz.Attempt, sched quiz.Scheduler) error {
	byQuestion := map[string][]quiz.Attempt{}
	for _, a := range graded {
		byQuestion[a.QuestionID] = append(byQuestion[a.QuestionID], a)
	}
	var out []quiz.Card
	err := b.ForEach(func(k, v []byte) error {
		if len(v) > 0 && v[0] == cardCodecV2 {
			return nil // already converted
		}
		c, err := decodeCard(string(k), v)
		if err != nil {
			return err
		}
		hist := byQuestion[c.QuestionID]
		if sched == nil {
			if len(hist) > 0 || !c.Due.IsZero() {
				return fmt.Errorf("card %q: %w", c.QuestionID, errNoScheduler)
			}
		} else {
			c = quiz.RebuildCard(sched, c, hist)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range out {
		data, err := encodeCard(c)
		if err != nil {
			return fmt.Errorf("card %q: %w", c.QuestionID, err)
		}
		if err := b.Put([]byte(c.QuestionID), data); err != nil {
			return err
		}
	}
	return nil
}

// migrateV2Sessions re-encodes JSON sessions as binary, 1,000 at a time.
func migrateV2Sessions(b *bolt.Bucket, g quiz.GuildID) error {
	if b == nil {
		return nil
	}
	var from []byte
	for {
		type entry struct {
			k    []byte
			data []byte
		}
		var batch []entry
		c := b.Cursor()
		k, v := c.First()
		if from != nil {
			k, v = c.Seek(from)
		}
		for ; k != nil && len(batch) < 1000; k, v = c.Next() {
			if !isJSON(v) {
				continue
			}
			id, ok := getU64(k)
			if !ok {
				return fmt.Errorf("bad key %x", k)
			}
			s, err := decodeSession(g, quiz.SessionID(id), v)
			if err != nil {
				return fmt.Errorf("session %d: %w", id, err)
			}
			data, err := encodeSession(s)
			if err != nil {
				return fmt.Errorf("session %d: %w", id, err)
			}
			batch = append(batch, entry{bytes.Clone(k), data})
		}
		if len(batch) == 0 {
			return nil
		}
		for _, e := range batch {
			if err := b.Put(e.k, e.data); err != nil {
				return err
			}
		}
		if k == nil {
			return nil
		}
		from = bytes.Clone(k)
	}
}

// migrate brings the file from st.version to the last version in list. Before each migration of a
// file that holds data it writes path.pre-v<N>.bak (fsynced, then renamed into place, so a
// backup that exists is complete), and an existing one is replaced.
func (s *Store) migrate(st fileState, list []migration, env migrateEnv) error {
	for _, m := range list {
		if m.version <= st.version {
			continue
		}
		backup := ""
		if !st.fresh {
			backup = fmt.Sprintf("%s.pre-v%d.bak", s.path, m.version)
			if err := s.backupFile(backup, nil); err != nil {
				return fmt.Errorf("migrate to v%d (%s): back up to %s first: %w", m.version, m.name, backup, err)
			}
		}
		start := time.Now()
		err := s.db.Update(func(tx *bolt.Tx) error {
			var cur uint64
			if meta := tx.Bucket(bucketKeyMeta); meta != nil {
				cur, _ = getU64(meta.Get(bucketKeySchemaVersion))
			}
			if cur != m.version-1 {
				return fmt.Errorf("schema is v%d, want v%d", cur, m.version-1)
			}
			if err := m.fn(tx, env); err != nil {
				return err
			}
			meta, err := createBucketIfNotExists(tx, bucketKeyMeta)
			if err != nil {
				return err
			}
			return meta.Put(bucketKeySchemaVersion, u64(m.version))
		})
		if err != nil {
			return fmt.Errorf("migrate to v%d (%s): %w", m.version, m.name, err)
		}
		s.log.Info("boltstore: migrated", "path", s.path, "schema_version", m.version,
			"migration", m.name, "backup", backup, "took", time.Since(start))
		st.version = m.version
	}
	return nil
}

package boltstore

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// migration changes the layout from version-1 to version.
type migration struct {
	version uint64
	name    string
	fn      func(tx *bolt.Tx) error
}

// migrations MUST be ordered by version, from 1 without gaps; the last one is the schema this
// code writes. Each runs at Open in its own Update, which also sets meta/schema_version. A
// migration test MUST be added for each (migrations_test.go). Update doc.go in the same change.
var migrations = []migration{
	{version: 1, name: "create layout", fn: migrateCreateLayout},
}

// migrateCreateLayout creates the top-level buckets and marks the file as ours. Guild buckets
// are created on each guild's first write.
func migrateCreateLayout(tx *bolt.Tx) error {
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

// migrate brings the file from st.version to the last version in list. Before each migration of a
// file that holds data it writes path.pre-v<N>.bak (fsynced, then renamed into place, so a
// backup that exists is complete), and an existing one is replaced.
func (s *Store) migrate(st fileState, list []migration) error {
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
			if err := m.fn(tx); err != nil {
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

package boltstore

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func TestMigrationsOrdered(t *testing.T) {
	if err := checkMigrations(migrations); err != nil {
		t.Fatal(err)
	}
	noop := func(*bolt.Tx, migrateEnv) error { return nil }
	for name, list := range map[string][]migration{
		"empty":    nil,
		"gap":      {{1, "a", noop}, {3, "c", noop}},
		"unsorted": {{2, "b", noop}, {1, "a", noop}},
		"no fn":    {{1, "a", nil}},
	} {
		if err := checkMigrations(list); err == nil {
			t.Errorf("checkMigrations(%s) = nil; want an error", name)
		}
	}
}

// rawState reads meta/app, meta/schema_version and the root bucket names.
func rawState(t *testing.T, path string) (app string, version uint64, buckets []string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketKeyMeta); meta != nil {
			app = string(meta.Get(bucketKeyApp))
			version, _ = getU64(meta.Get(bucketKeySchemaVersion))
		}
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			buckets = append(buckets, string(name))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return app, version, buckets
}

// TestMigration1 covers migration 1, "create layout", from each state it can start from: no
// file, an empty file, and a bbolt file without buckets (an interrupted first Open).
func TestMigration1(t *testing.T) {
	for _, start := range []string{"NoFile", "EmptyFile", "EmptyBolt"} {
		t.Run(start, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "quiz.db")
			switch start {
			case "EmptyFile":
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			case "EmptyBolt":
				rawBolt(func(*bolt.Tx) error { return nil })(t, path)
			}
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			app, version, buckets := rawState(t, path)
			if app != "interviewbot" || version != 2 {
				t.Errorf("meta: app %q, schema_version %d; want interviewbot, 2", app, version)
			}
			if want := []string{"due", "guilds", "meta"}; !slices.Equal(buckets, want) {
				t.Errorf("root buckets %v; want %v", buckets, want)
			}
			// A file without data needs no backup.
			if names := dirNames(t, dir); !slices.Equal(names, []string{"quiz.db"}) {
				t.Errorf("folder holds %v; want only quiz.db", names)
			}
		})
	}
}

// TestMigrationRunner checks the machinery with made-up later migrations: a backup before each
// migration of a file with data, one Update per migration, version checks, a failing
// migration leaving the file as it was.
func TestMigrationRunner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "quiz.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	var ran []uint64
	v2 := migration{3, "add meta/test", func(tx *bolt.Tx, _ migrateEnv) error {
		ran = append(ran, 3)
		return tx.Bucket(bucketKeyMeta).Put([]byte("test"), []byte("v2"))
	}}
	v3 := migration{4, "rename meta/test", func(tx *bolt.Tx, _ migrateEnv) error {
		ran = append(ran, 4)
		meta := tx.Bucket(bucketKeyMeta)
		if v := meta.Get([]byte("test")); string(v) != "v2" {
			return errors.New("v3 ran before v2")
		}
		return errors.Join(meta.Delete([]byte("test")), meta.Put([]byte("test3"), []byte("v3")))
	}}
	boom := migration{5, "fail", func(tx *bolt.Tx, _ migrateEnv) error {
		_ = tx.Bucket(bucketKeyMeta).Put([]byte("test4"), []byte("half-done"))
		return errors.New("boom")
	}}

	var logs bytes.Buffer
	s, err = open(path, Options{Logger: newTextLogger(&logs)}, append(slices.Clone(migrations), v2, v3))
	if err != nil {
		t.Fatalf("open with v2, v3: %v", err)
	}
	checkSeed(t, s)
	if err := s.Check(); err != nil {
		t.Errorf("Check after migrating: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []uint64{3, 4}) {
		t.Errorf("migrations ran: %v; want [3 4]", ran)
	}
	if _, v, _ := rawState(t, path); v != 4 {
		t.Errorf("schema_version = %d; want 4", v)
	}
	if !strings.Contains(logs.String(), "schema_version=3") || !strings.Contains(logs.String(), "quiz.db.pre-v4.bak") {
		t.Errorf("logs lack the migrations:\n%s", logs.String())
	}
	// One backup per migration, each holding the state before it.
	for _, c := range []struct {
		name    string
		version uint64
	}{{"quiz.db.pre-v3.bak", 2}, {"quiz.db.pre-v4.bak", 3}} {
		p := filepath.Join(dir, c.name)
		if _, v, _ := rawState(t, p); v != c.version {
			t.Errorf("%s: schema_version %d; want %d", c.name, v, c.version)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v; want 0600", c.name, fi.Mode().Perm())
		}
	}

	// Nothing to do: no new backup, no change.
	h := hashFile(t, path)
	ran = nil
	s, err = open(path, Options{}, append(slices.Clone(migrations), v2, v3))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 0 || hashFile(t, path) != h {
		t.Errorf("reopening a current file ran %v or changed it", ran)
	}

	// A failing migration: Open fails, the file is untouched, the backup was taken.
	_, err = open(path, Options{}, append(slices.Clone(migrations), v2, v3, boom))
	if err == nil || !strings.Contains(err.Error(), "migrate to v5 (fail): boom") {
		t.Errorf("open with a failing migration = %v; want it to name the migration", err)
	}
	if hashFile(t, path) != h {
		t.Errorf("a failed migration changed the file")
	}
	if _, err := os.Stat(filepath.Join(dir, "quiz.db.pre-v5.bak")); err != nil {
		t.Errorf("no backup before the failed migration: %v", err)
	}

	// The current code refuses the migrated file.
	if _, err := Open(path, Options{}); !errors.Is(err, ErrTooNew) {
		t.Errorf("Open of a v4 file with v2 code = %v; want ErrTooNew", err)
	}

	// ReadOnly does not migrate.
	if _, err := open(path, Options{ReadOnly: true}, append(slices.Clone(migrations), v2, v3, boom)); err == nil ||
		!strings.Contains(err.Error(), "older") {
		t.Errorf("read-only open of an old file = %v; want a refusal to migrate", err)
	}
	if hashFile(t, path) != h {
		t.Errorf("a read-only open changed the file")
	}
}

package boltstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// openTest opens a store at path and closes it at the end of the test, after a Check.
func openTest(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	quiztest.TestStore(t, func(t *testing.T) quiz.Store {
		return openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
	})
}

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// dirNames lists the names in dir, to check that a failed Open created nothing.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// seed writes a little of everything through the store.
func seed(t *testing.T, s quiz.Store) {
	t.Helper()
	err := s.Update(t.Context(), func(tx quiz.Tx) error {
		id, err := tx.NextSessionID(7)
		if err != nil {
			return err
		}
		return errors.Join(
			tx.PutGuild(quiz.Guild{ID: 7, TZ: "Europe/Paris", ModRoles: []quiz.RoleID{1}}),
			tx.PutMember(quiz.Member{Guild: 7, User: 8, Name: "ada", Answered: 3}),
			tx.PutCard(7, 8, quiz.Card{QuestionID: "tcp-1", Asked: 2, Ease: 2.5}),
			tx.PutAttempt(quiz.Attempt{Guild: 7, User: 8, Session: id, QuestionID: "tcp-1", Text: "SYN"}),
			tx.PutSession(quiz.Session{Guild: 7, ID: id, QuestionID: "tcp-1", State: quiz.SessionOpen}),
			tx.PutDue(quiz.Due{At: time.UnixMilli(1_700_000_000_000), Guild: 7, Session: id}),
		)
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// checkSeed reads back what seed wrote.
func checkSeed(t *testing.T, s quiz.Store) {
	t.Helper()
	err := s.View(t.Context(), func(tx quiz.Tx) error {
		m, ok, err := tx.Member(7, 8)
		if err != nil || !ok || m.Name != "ada" || m.Answered != 3 {
			t.Errorf("Member(7, 8) = %+v, %v, %v; want ada with 3 answers", m, ok, err)
		}
		c, ok, err := tx.Card(7, 8, "tcp-1")
		if err != nil || !ok || c.Asked != 2 || c.Ease != 2.5 {
			t.Errorf("Card = %+v, %v, %v", c, ok, err)
		}
		ds, err := tx.DueUntil(time.UnixMilli(1_700_000_000_000), 10)
		if err != nil || len(ds) != 1 {
			t.Errorf("DueUntil = %v, %v; want 1 entry", ds, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreates(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"new.db", "empty.db"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if name == "empty.db" {
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := openTest(t, path, Options{})
			seed(t, s)
			checkSeed(t, s)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if name == "new.db" && fi.Mode().Perm() != 0o600 {
				t.Errorf("new file mode = %v; want 0600", fi.Mode().Perm())
			}
			if s.Path() != path {
				t.Errorf("Path() = %q; want %q", s.Path(), path)
			}
		})
	}
	t.Run("MissingFolder", func(t *testing.T) {
		_, err := Open(filepath.Join(dir, "nope", "quiz.db"), Options{})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open in a missing folder = %v; want fs.ErrNotExist", err)
		}
	})
	t.Run("Directory", func(t *testing.T) {
		if _, err := Open(dir, Options{}); err == nil {
			t.Errorf("Open(a directory) succeeded")
		}
	})
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	h := hashFile(t, path)
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSeed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if hashFile(t, path) != h {
		t.Errorf("opening and closing a current database changed the file")
	}
	if names := dirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"quiz.db"}) {
		t.Errorf("folder holds %v; want only quiz.db (no backup without a migration)", names)
	}
}

func TestOpenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s := openTest(t, path, Options{})
	seed(t, s)
	for _, ro := range []bool{false, true} {
		start := time.Now()
		_, err := Open(path, Options{Timeout: 100 * time.Millisecond, ReadOnly: ro})
		if !errors.Is(err, ErrInUse) {
			t.Errorf("second Open(ReadOnly=%v) = %v; want ErrInUse", ro, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("second Open(ReadOnly=%v) took %v; want about the 100ms timeout", ro, d)
		}
		t.Logf("second Open(ReadOnly=%v): %v", ro, err)
	}
	checkSeed(t, s) // the first store is unharmed
}

// rejectCase is a file Open must refuse without touching it.
type rejectCase struct {
	name  string
	write func(t *testing.T, path string)
	want  error
}

func testRejects(t *testing.T, cases []rejectCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "quiz.db")
			c.write(t, path)
			h := hashFile(t, path)
			for _, ro := range []bool{false, true} {
				s, err := Open(path, Options{ReadOnly: ro, Timeout: 200 * time.Millisecond})
				if err == nil {
					_ = s.Close()
				}
				if !errors.Is(err, c.want) {
					t.Errorf("Open(ReadOnly=%v) = %v; want %v", ro, err, c.want)
				} else {
					t.Logf("Open(ReadOnly=%v): %v", ro, err)
				}
			}
			if hashFile(t, path) != h {
				t.Errorf("Open changed the rejected file")
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"quiz.db"}) {
				t.Errorf("folder holds %v after a rejected Open; want only quiz.db", names)
			}
		})
	}
}

func writeBytes(b []byte) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// rawBolt creates a bbolt file and runs fn in one Update.
func rawBolt(fn func(tx *bolt.Tx) error) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(fn); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenRejectsCorrupt(t *testing.T) {
	pageSize := os.Getpagesize()
	testRejects(t, []rejectCase{
		{"RandomBytes", writeBytes(randomBytes(1, 64<<10)), ErrNotDatabase},
		{"RandomPage", writeBytes(randomBytes(2, 4096)), ErrNotDatabase},
		{"Text", writeBytes([]byte("hello, this is not a database\n")), ErrNotDatabase},
		{"Zeros", writeBytes(make([]byte, 32<<10)), ErrNotDatabase},
		{"SQLite", writeBytes(append([]byte("SQLite format 3\x00"), make([]byte, 8192)...)), ErrNotDatabase},
		{"GarbledDataPages", func(t *testing.T, path string) {
			// Our own database, meta pages intact, every other page random: bbolt accepts the
			// meta checksums and then reads garbage (and may panic); Open must still refuse.
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			copy(b[2*pageSize:], randomBytes(3, len(b)-2*pageSize))
			writeBytes(b)(t, path)
		}, ErrNotDatabase},
		{"Truncated", func(t *testing.T, path string) {
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			writeBytes(b[:pageSize+100])(t, path)
		}, ErrNotDatabase},
	})
}

func TestOpenRejectsForeign(t *testing.T) {
	testRejects(t, []rejectCase{
		{"OtherBuckets", rawBolt(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("widgets"))
			if err != nil {
				return err
			}
			return b.Put([]byte("k"), []byte("v"))
		}), ErrNotDatabase},
		{"OtherApp", rawBolt(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("meta"))
			if err != nil {
				return err
			}
			return errors.Join(b.Put([]byte("app"), []byte("otherbot")), b.Put([]byte("schema_version"), u64(1)))
		}), ErrNotDatabase},
		{"NoVersion", rawBolt(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("meta"))
			if err != nil {
				return err
			}
			return b.Put([]byte("app"), appName)
		}), ErrNotDatabase},
	})
}

func TestOpenRejectsTooNew(t *testing.T) {
	testRejects(t, []rejectCase{
		{"Version99", func(t *testing.T, path string) {
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			rawUpdate(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket(bucketKeyMeta).Put(bucketKeySchemaVersion, u64(99))
			})
		}, ErrTooNew},
	})
}

// rawUpdate runs fn in one bbolt Update on an existing file.
func rawUpdate(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// readOnlyFolder makes dir read-only (and writable again at cleanup). It skips the test when
// permissions are not enforced, as for root.
func readOnlyFolder(t *testing.T, dir string) {
	t.Helper()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, nil, 0o600); err == nil {
		_ = os.Remove(probe)
		t.Skipf("permissions are not enforced for this process (uid %d; root or CAP_DAC_OVERRIDE "+
			"ignores them), so a read-only folder cannot be simulated", os.Getuid())
	}
}

// denyWrites is an openFile that refuses to open for writing, as a read-only folder or mount
// does, whatever this process's uid.
func denyWrites(name string, flag int, perm os.FileMode) (*os.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE) != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	return os.OpenFile(name, flag, perm)
}

// TestOpenDeniedAccess: where the file cannot be opened for writing (a read-only folder or
// mount, simulated so that it holds for root too), Open fails with fs.ErrPermission and a
// message saying what the process needs, creates nothing and changes nothing.
func TestOpenDeniedAccess(t *testing.T) {
	t.Run("Create", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Open(filepath.Join(dir, "quiz.db"), Options{openFile: denyWrites})
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "permission denied: this process (uid") {
			t.Fatalf("Open where it cannot create = %v; want fs.ErrPermission explained", err)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v; want nothing", names)
		}
	})
	t.Run("Existing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "quiz.db")
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		seed(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		h := hashFile(t, path)
		if _, err := Open(path, Options{openFile: denyWrites}); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Open of a file it cannot write = %v; want fs.ErrPermission", err)
		}
		s, err = Open(path, Options{ReadOnly: true, openFile: denyWrites})
		if err != nil {
			t.Fatalf("Open(ReadOnly) of a file it cannot write = %v", err)
		}
		checkSeed(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if hashFile(t, path) != h {
			t.Error("the file changed")
		}
	})
	t.Run("ParentIsAFile", func(t *testing.T) {
		dir := t.TempDir()
		parent := filepath.Join(dir, "not-a-folder")
		if err := os.WriteFile(parent, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Open(filepath.Join(parent, "quiz.db"), Options{})
		if !errors.Is(err, syscall.ENOTDIR) || !strings.HasPrefix(err.Error(), "boltstore: open "+parent+"/quiz.db: ") {
			t.Fatalf("Open under a regular file = %v; want ENOTDIR with the path", err)
		}
		if got := mustReadFile(t, parent); string(got) != "x" {
			t.Errorf("the file in the way became %q", got)
		}
		if names := dirNames(t, dir); len(names) != 1 {
			t.Errorf("folder holds %v; want only the file", names)
		}
	})
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenReadOnlyFolder does the same with real permissions; it needs a process that
// permissions apply to (not root), and TestOpenDeniedAccess covers the rest.
func TestOpenReadOnlyFolder(t *testing.T) {
	t.Run("Create", func(t *testing.T) {
		dir := t.TempDir()
		readOnlyFolder(t, dir)
		_, err := Open(filepath.Join(dir, "quiz.db"), Options{})
		if !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("Open in a read-only folder = %v; want fs.ErrPermission", err)
		}
		t.Logf("Open: %v", err)
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v; want nothing", names)
		}
	})
	t.Run("ReadOnlyFile", func(t *testing.T) {
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
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		readOnlyFolder(t, dir)
		h := hashFile(t, path)
		_, err = Open(path, Options{})
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Open of a read-only file = %v; want fs.ErrPermission", err)
		}
		t.Logf("Open: %v", err)
		// Options.ReadOnly still works.
		s, err = Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("Open(ReadOnly) of a read-only file = %v", err)
		}
		checkSeed(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if hashFile(t, path) != h {
			t.Errorf("the read-only file changed")
		}
	})
}

func TestOpenReadOnlyOption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "quiz.db")
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(ReadOnly) of a missing file = %v; want fs.ErrNotExist", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("Open(ReadOnly) of a missing file created %v", names)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	h := hashFile(t, path)
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSeed(t, s)
	if err := s.Update(t.Context(), func(tx quiz.Tx) error { return tx.PutMember(quiz.Member{Guild: 1, User: 1}) }); err == nil {
		t.Errorf("Update on a read-only store succeeded")
	}
	// Two read-only opens share the lock.
	s2, err := Open(path, Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Errorf("second Open(ReadOnly) = %v", err)
	} else {
		_ = s2.Close()
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if hashFile(t, path) != h {
		t.Errorf("a read-only open changed the file")
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "quiz.db"), Options{})
	seed(t, s)

	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup returned %d; wrote %d bytes", n, buf.Len())
	}
	streamed := filepath.Join(dir, "streamed.db")
	if err := os.WriteFile(streamed, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "backups", "copy.db")
	if err := os.Mkdir(filepath.Dir(copied), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(copied); err != nil {
		t.Fatalf("BackupFile: %v", err)
	}
	if err := s.BackupFile(copied); err != nil { // replaces an existing backup
		t.Fatalf("BackupFile again: %v", err)
	}
	if names := dirNames(t, filepath.Dir(copied)); !slices.Equal(names, []string{"copy.db"}) {
		t.Errorf("backup folder holds %v; want only copy.db (no temporary files left)", names)
	}
	if err := s.BackupFile(s.Path()); err == nil {
		t.Errorf("BackupFile(the database itself) succeeded")
	}
	if err := s.BackupFile(filepath.Join(dir, "missing", "x.db")); err == nil {
		t.Errorf("BackupFile into a missing folder succeeded")
	}
	checkSeed(t, s) // still fine
	for _, p := range []string{streamed, copied} {
		c := openTest(t, p, Options{})
		checkSeed(t, c)
	}
}

// TestBackupHot backs up while writers run: the copy is consistent.
func TestBackupHot(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "quiz.db"), Options{NoSync: true})
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		defer close(done)
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := s.Update(t.Context(), func(tx quiz.Tx) error {
				return errors.Join(
					tx.PutMember(quiz.Member{Guild: 1, User: 1, Answered: i}),
					tx.PutAttempt(quiz.Attempt{Guild: 1, User: 1, Session: quiz.SessionID(i)}),
				)
			})
			if err != nil {
				done <- err
				return
			}
		}
	}()
	for i := range 5 {
		p := filepath.Join(dir, "hot.db")
		if err := s.BackupFile(p); err != nil {
			t.Fatal(err)
		}
		c, err := Open(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Check(); err != nil {
			t.Errorf("backup %d: Check: %v", i, err)
		}
		err = c.View(t.Context(), func(tx quiz.Tx) error {
			m, _, err := tx.Member(1, 1)
			if err != nil {
				return err
			}
			as, err := tx.Attempts(1, 1)
			if err != nil {
				return err
			}
			if len(as) != m.Answered {
				t.Errorf("backup %d: member answered %d but %d attempts: not one transaction's state", i, m.Answered, len(as))
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestCheckReportsProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s := openTest(t, path, Options{})
	seed(t, s)
	if err := s.Check(); err != nil {
		t.Fatalf("Check of a good database: %v", err)
	}
	// Remove the marker behind the store's back: Check notices.
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketKeyMeta).Delete(bucketKeyApp) }); err != nil {
		t.Fatal(err)
	}
	err := s.Check()
	if !errors.Is(err, ErrNotDatabase) {
		t.Errorf("Check without the marker = %v; want ErrNotDatabase", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketKeyMeta).Put(bucketKeyApp, appName) }); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateReturnsFnError(t *testing.T) {
	// fn's error comes back unwrapped, for every way of running fn.
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
	sentinel := errors.New("mine")
	for name, run := range map[string]func(context.Context, func(quiz.Tx) error) error{
		"View": s.View, "Update": s.Update, "Batch": s.Batch,
	} {
		if err := run(t.Context(), func(quiz.Tx) error { return sentinel }); err != sentinel {
			t.Errorf("%s returned %v; want fn's error unchanged", name, err)
		}
	}
}

func TestOpenLogs(t *testing.T) {
	var buf bytes.Buffer
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{Logger: newTextLogger(&buf)})
	_ = s
	for _, want := range []string{"boltstore: migrated", "schema_version=1", "boltstore: opened"} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

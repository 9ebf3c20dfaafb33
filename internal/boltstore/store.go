package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Errors from Open, to match with errors.Is. Every error Open returns leaves an existing file
// byte-for-byte as it was, except a failed migration, which can only have added a backup file
// next to it.
var (
	// ErrInUse means another process (or another Open in this one) holds the database: bbolt
	// could not lock the file within Options.Timeout.
	ErrInUse = errors.New("database in use by another process")
	// ErrNotDatabase means the file is not one of our databases: not a bbolt file, a corrupt
	// one, or a bbolt file of another application (no meta/app marker).
	ErrNotDatabase = errors.New("not an interviewbot database")
	// ErrTooNew means the file's schema version is newer than this code knows: it was written by
	// a newer release. Run that release, or restore a backup.
	ErrTooNew = errors.New("database schema is newer than this program")
)

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for the file lock; 0 means 1s.
	Timeout time.Duration
	// ReadOnly opens an existing file with a shared lock and never writes to it; Update and
	// Batch then fail. The schema must be current. A running bot holds an exclusive lock, so a
	// read-only Open beside it fails with ErrInUse: use the bot's own Backup instead.
	ReadOnly bool
	// Logger receives a line per migration and per open; nil discards.
	Logger *slog.Logger
	// NoSync skips fsync on commit. Benchmarks only: a crash can then corrupt the file.
	NoSync bool
	// Scheduler rebuilds cards' review state when a file is migrated to schema v2 (bot/ gives
	// internal/fsrs, as to quiz.Options). A migration that has graded cards to rebuild fails
	// without one; new and current files need none.
	Scheduler quiz.Scheduler

	// openFile replaces os.OpenFile, so tests can deny access the way a read-only folder or
	// mount does even where permissions are not enforced (root).
	openFile func(name string, flag int, perm os.FileMode) (*os.File, error)
}

const defaultTimeout = time.Second

// Store is a quiz.Store in one bbolt file.
type Store struct {
	// gate guards db, which Compact replaces: every transaction passes it while it runs, and
	// Compact shuts it for its final copy and the switch of files.
	gate     gate
	db       *bolt.DB
	path     string
	log      *slog.Logger
	schema   uint64 // the version this Store was opened for
	readOnly bool
	noSync   bool
	gc       groupCommit

	// maint serializes the long copies (Compact, Backup), so that Compact never waits for the
	// write lock behind a backup's read transaction while new transactions queue up behind it.
	maint sync.Mutex
	hooks compactHooks // tests only
}

var _ quiz.Store = (*Store)(nil)

// Open opens the database at path, creating it if the path does not exist or is an empty file,
// and migrates it to the current schema.
//
// An existing file is first inspected through a read-only bbolt handle; nothing is written
// until the file is known to be ours (meta/app is "interviewbot", or it is a bbolt file with no
// buckets at all, as bbolt leaves it when a first Open is interrupted) and not too new. Before
// each migration of a file holding data, a copy is written to path.pre-v<N>.bak.
//
// Returns errors matching ErrInUse, ErrNotDatabase, ErrTooNew, fs.ErrPermission (the file or,
// to create it, its folder is not writable) and fs.ErrNotExist (ReadOnly on a missing file).
func Open(path string, opts Options) (*Store, error) {
	return open(path, opts, migrations)
}

func open(path string, opts Options, list []migration) (*Store, error) {
	if path == "" {
		return nil, errors.New("boltstore: open: empty path")
	}
	if err := checkMigrations(list); err != nil {
		return nil, err
	}
	latest := list[len(list)-1].version
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	deadline := time.Now().Add(opts.Timeout)

	fi, err := os.Stat(path)
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, openError(path, err, opts.Timeout)
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("boltstore: open %s: not a regular file (%v)", path, fi.Mode().Type())
	}
	existing := err == nil && fi.Size() > 0

	if existing {
		// Look before writing: bbolt's read-write open can itself write to a file it accepts.
		rdb, err := boltOpen(path, &bolt.Options{ReadOnly: true, Timeout: remaining(deadline)}, opts.openFile)
		if err != nil {
			return nil, openError(path, err, opts.Timeout)
		}
		st, err := inspect(rdb)
		if err == nil {
			err = st.check(latest)
		}
		if err != nil {
			_ = rdb.Close()
			return nil, openError(path, err, opts.Timeout)
		}
		if opts.ReadOnly {
			if st.version < latest {
				_ = rdb.Close()
				return nil, fmt.Errorf("boltstore: open %s read-only: schema v%d is older than v%d; "+
					"open it read-write once to migrate", path, st.version, latest)
			}
			log.Info("boltstore: opened read-only", "path", path, "schema_version", st.version)
			return &Store{db: rdb, path: path, log: log, schema: latest, readOnly: true}, nil
		}
		if err := rdb.Close(); err != nil {
			return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
		}
	} else if opts.ReadOnly {
		return nil, fmt.Errorf("boltstore: open %s read-only: no database there: %w", path, fs.ErrNotExist)
	}

	db, err := boltOpen(path, &bolt.Options{Timeout: remaining(deadline), NoSync: opts.NoSync}, opts.openFile)
	if err != nil {
		return nil, openError(path, err, opts.Timeout)
	}
	s := &Store{db: db, path: path, log: log, schema: latest, noSync: opts.NoSync}
	// Look again, now that we hold the exclusive lock: the file may have changed meanwhile.
	st, err := inspect(db)
	if err == nil {
		err = st.check(latest)
	}
	if err != nil {
		_ = db.Close()
		return nil, openError(path, err, opts.Timeout)
	}
	if err := s.migrate(st, list, migrateEnv{sched: opts.Scheduler}); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	// A crash during Compact or Backup can leave a copy beside the file; it may hold data
	// erased since. We hold the exclusive lock, so no copy is being written now.
	removeStaleCopies(path, log)
	log.Info("boltstore: opened", "path", path, "schema_version", latest)
	return s, nil
}

func remaining(deadline time.Time) time.Duration {
	// bbolt treats 0 as "wait forever".
	return max(time.Until(deadline), time.Millisecond)
}

// boltOpen is bolt.Open that turns a panic over a garbage file into ErrNotDatabase and closes
// the file it had opened.
func boltOpen(path string, o *bolt.Options, openFile func(string, int, os.FileMode) (*os.File, error)) (db *bolt.DB, err error) {
	if openFile == nil {
		openFile = os.OpenFile
	}
	var f *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		file, err := openFile(name, flag, perm)
		f = file
		return file, err
	}
	defer func() {
		if r := recover(); r != nil {
			if f != nil {
				_ = f.Close()
			}
			db, err = nil, fmt.Errorf("%w: bbolt failed reading it: %v", ErrNotDatabase, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bolt.Open(path, 0o600, o)
}

// openError adds the "boltstore: open" prefix and maps bbolt's errors to ours.
func openError(path string, err error, timeout time.Duration) error {
	var errno syscall.Errno
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, ErrInUse), errors.Is(err, ErrNotDatabase), errors.Is(err, ErrTooNew):
		return fmt.Errorf("boltstore: open %s: %w", path, err)
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("boltstore: open %s: %w (no lock within %v): %w", path, ErrInUse, timeout, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("boltstore: open %s: permission denied: this process (uid %d) must be able to "+
			"read and write the file, and write its folder to create it or back it up: %w", path, os.Getuid(), err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrInvalidMapping):
		return fmt.Errorf("boltstore: open %s: %w: %w", path, ErrNotDatabase, err)
	case errors.As(err, &pathErr), errors.As(err, &errno):
		return fmt.Errorf("boltstore: open %s: %w", path, err)
	default:
		// bbolt's other complaints about a file ("file size too small", ...).
		return fmt.Errorf("boltstore: open %s: %w: %w", path, ErrNotDatabase, err)
	}
}

// fileState is what inspect found.
type fileState struct {
	fresh   bool   // a bbolt file without any bucket: ours to lay out
	version uint64 // meta/schema_version; 0 if fresh
}

func (st fileState) check(latest uint64) error {
	if st.version > latest {
		return fmt.Errorf("%w: schema v%d, this program knows up to v%d", ErrTooNew, st.version, latest)
	}
	return nil
}

// inspect reads the marker and schema version without writing. A panic inside bbolt (a
// damaged page) becomes ErrNotDatabase.
func inspect(db *bolt.DB) (st fileState, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bbolt failed reading it: %v", ErrNotDatabase, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	err = db.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Cursor().First(); k == nil {
			st.fresh = true
			return nil
		}
		meta := tx.Bucket(bucketKeyMeta)
		if meta == nil {
			return fmt.Errorf("%w: a bbolt file without a meta bucket (another application's?)", ErrNotDatabase)
		}
		if app := meta.Get(bucketKeyApp); !bytes.Equal(app, appName) {
			return fmt.Errorf("%w: meta/app is %q, want %q", ErrNotDatabase, app, appName)
		}
		v, ok := getU64(meta.Get(bucketKeySchemaVersion))
		if !ok || v == 0 {
			return fmt.Errorf("%w: meta/schema_version is missing or invalid", ErrNotDatabase)
		}
		st.version = v
		return nil
	})
	return st, err
}

// Path returns the database file's path, as given to Open.
func (s *Store) Path() string { return s.path }

// Close closes the database. Batch calls still queued fail without running their fns; Close
// waits for the commit in flight and for open transactions to finish.
//
// A Compact or Backup copy in progress finishes first.
func (s *Store) Close() error {
	s.maint.Lock()
	defer s.maint.Unlock()
	s.gc.close()
	s.gate.shut(nil)
	defer s.gate.reopen() // later transactions fail: the database is closed
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close %s: %w", s.path, err)
	}
	return nil
}

// View runs fn in a read-only bbolt transaction. It returns ctx.Err() without starting one if
// ctx is done; bbolt itself ignores ctx.
func (s *Store) View(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return run(s.viewDB, fn)
}

// Update runs fn in a read-write bbolt transaction, committed if fn returns nil and rolled back
// (sequences included) otherwise.
func (s *Store) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return run(s.updateDB, fn)
}

// viewDB and updateDB run a bbolt transaction on the current file; Compact waits for them
// before it switches files, and they wait for Compact's final copy.
func (s *Store) viewDB(fn func(*bolt.Tx) error) error {
	s.gate.enter()
	defer s.gate.leave()
	return s.db.View(fn)
}

func (s *Store) updateDB(fn func(*bolt.Tx) error) error {
	s.gate.enter()
	defer s.gate.leave()
	return s.db.Update(fn)
}

// run returns fn's own error as it is, and wraps errors from bbolt (a failed commit).
func run(do func(func(*bolt.Tx) error) error, fn func(quiz.Tx) error) error {
	var fnErr error
	err := do(func(tx *bolt.Tx) error {
		fnErr = fn(&boltTx{tx: tx})
		return fnErr
	})
	if err != nil && fnErr == nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	return err
}

// boltTx implements quiz.Tx over one bbolt transaction. Its methods decode values before
// returning, so nothing they return points into bbolt's memory.
type boltTx struct {
	tx *bolt.Tx
}

var errNotWritable = fmt.Errorf("write in a read-only transaction: %w", berrors.ErrTxNotWritable)

// guildBucket returns guilds/<g>/<sub>, or nil if the guild has no data yet.
func (t *boltTx) guildBucket(g quiz.GuildID, sub []byte) *bolt.Bucket {
	return getBucket(t.tx, bucketKeyGuilds, u64(uint64(g)), sub)
}

// writeGuildBucket returns guilds/<g>/<sub> for writing, creating the guild's buckets on its
// first write.
func (t *boltTx) writeGuildBucket(g quiz.GuildID, sub []byte) (*bolt.Bucket, error) {
	if !t.tx.Writable() {
		return nil, errNotWritable
	}
	if b := t.guildBucket(g, sub); b != nil {
		return b, nil
	}
	key := u64(uint64(g))
	for _, name := range guildBuckets {
		if _, err := createBucketIfNotExists(t.tx, bucketKeyGuilds, key, name); err != nil {
			return nil, err
		}
	}
	return createBucketIfNotExists(t.tx, bucketKeyGuilds, key, sub)
}

// writable returns errNotWritable in a read-only transaction, for writes that may find
// nothing to do and so would not otherwise fail.
func (t *boltTx) writable() error {
	if !t.tx.Writable() {
		return errNotWritable
	}
	return nil
}

// get decodes the JSON value at key in b into v; ok is false if b is nil or the key absent.
func getJSON(b *bolt.Bucket, key []byte, v any) (ok bool, err error) {
	if b == nil {
		return false, nil
	}
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decodeJSON(data, v)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// listJSON decodes every value in b (nil: none), in key order.
func listJSON[T any](b *bolt.Bucket) ([]T, error) {
	if b == nil {
		return nil, nil
	}
	var out []T
	err := b.ForEach(func(k, v []byte) error {
		var x T
		if err := decodeJSON(v, &x); err != nil {
			return fmt.Errorf("key %x: %w", k, err)
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// keys returns copies of the keys in b, in order; fn-calling iterators walk these so that fn
// may write to b.
func keys(b *bolt.Bucket) [][]byte {
	if b == nil {
		return nil
	}
	var out [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		out = append(out, bytes.Clone(k))
	}
	return out
}

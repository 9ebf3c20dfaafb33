package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CompactStats says what a Compact did.
type CompactStats struct {
	Before, After int64         // the file's size in bytes
	Copy          time.Duration // the first copy, while transactions kept running
	Pause         time.Duration // how long new transactions were held back
	Changes       int           // keys, buckets and sequences re-copied during the pause
	Retries       int           // shuts given up because transactions kept running (see shutGate)
}

// compactHooks let tests fail (or kill the process) between Compact's steps; nil fields do
// nothing. An error from copied or synced abandons the compaction; one from renamed is returned
// after the switch, which a rename makes unavoidable.
type compactHooks struct {
	copied  func() error // the first copy is written; transactions still run
	synced  func() error // transactions held back, the copy final and fsynced; not yet renamed
	renamed func() error // the copy has the database's name; the store still uses the old file
}

// Compact rewrites the database file so that it holds only the live keys: deleted data, which
// bbolt leaves in freed pages until they are reused, is gone from the file afterwards. Members'
// erasures call for it (see the package documentation, Operations).
//
// It copies the live keys into a fresh file beside the database, in one read transaction while
// transactions keep running. Then it holds back new transactions (View, Update and Batch wait),
// waits for those running, re-copies whatever was written since the copy began (nothing at all
// if no write was committed meanwhile), fsyncs the copy, renames it over the database, fsyncs
// the folder, switches the store to it and lets transactions go on. The pause is the final
// re-copy (a comparison of both files, with writes only where they differ) plus one fsync; the
// file's lock is held throughout, since the copy is locked by the handle that then serves it.
// Data deleted during the first copy is removed from the new file by the re-copy, but its bytes
// can remain in the new file's freed pages until the next Compact.
//
// At every instant the database's name holds either the old file or the complete, fsynced new
// one (a rename is atomic), so a crash loses nothing; a crash leaves at most a temporary copy,
// which the next Open removes. On an error before the rename the store goes on with the old
// file. ctx is checked during the first copy only.
func (s *Store) Compact(ctx context.Context) (CompactStats, error) {
	if s.readOnly {
		return CompactStats{}, fmt.Errorf("boltstore: compact %s: opened read-only", s.path)
	}
	if err := ctx.Err(); err != nil {
		return CompactStats{}, err
	}
	s.maint.Lock()
	defer s.maint.Unlock()
	st, err := s.compact(ctx)
	if err != nil {
		return st, fmt.Errorf("boltstore: compact %s: %w", s.path, err)
	}
	s.log.Info("boltstore: compacted", "path", s.path, "bytes_before", st.Before, "bytes_after", st.After,
		"copy", st.Copy, "pause", st.Pause, "recopied", st.Changes, "retries", st.Retries)
	return st, nil
}

func (s *Store) compact(ctx context.Context) (st CompactStats, err error) {
	start := time.Now()
	if fi, err := os.Stat(s.path); err == nil {
		st.Before = fi.Size()
	}
	f, err := os.CreateTemp(filepath.Dir(s.path), copyPrefix(s.path, "compact")+"*") // mode 0o600
	if err != nil {
		return st, err
	}
	tmp := f.Name()
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return st, err
	}
	// The copy's commits skip fsync (it is not the database until renamed); one Sync makes it
	// durable before the rename. This handle, and its lock on the file, then serve the store.
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		_ = os.Remove(tmp)
		return st, err
	}
	switched := false
	defer func() {
		if !switched {
			_ = dst.Close()
			_ = os.Remove(tmp)
		}
	}()

	// The copy is made from snap, a read transaction that stays open until the pause: while it
	// is open bbolt reuses none of its pages, so a bucket whose root page is the same in snap
	// and at the pause has not changed, and the pause re-copies only what did.
	snap, err := s.db.Begin(false)
	if err != nil {
		return st, err
	}
	err = copyTree(ctx, dst, snap, defaultCopyTxBytes)
	st.Copy = time.Since(start)
	if err != nil {
		_ = snap.Rollback()
		return st, fmt.Errorf("copy: %w", err)
	}
	// Make the bulk of the copy durable now, while transactions still run: the pause then
	// fsyncs only what it re-copies.
	if err := dst.Sync(); err != nil {
		_ = snap.Rollback()
		return st, fmt.Errorf("fsync the copy: %w", err)
	}
	if hook := s.hooks.copied; hook != nil {
		if err := hook(); err != nil {
			_ = snap.Rollback()
			return st, err
		}
	}

	var held time.Time // when the shut that held began: transactions wait from then
	snap, err = s.shutGate(dst, snap, &st, &held)
	if err != nil {
		return st, err
	}
	old, err := s.finishCompact(dst, tmp, snap, &st)
	s.gate.reopen()
	st.Pause = time.Since(held)
	if old == nil {
		return st, err
	}
	// Switched: the old file is nobody's any more (its name is the copy's); every transaction
	// on it ended before the switch.
	switched = true
	if cerr := old.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close the old file: %w", cerr))
	}
	if fi, serr := os.Stat(s.path); serr == nil {
		st.After = fi.Size()
	}
	return st, err
}

// shutPatience is how long Compact first waits for the running transactions when it shuts the
// gate; it doubles at each try, up to shutTries tries.
const (
	shutPatience = 100 * time.Millisecond
	shutTries    = 4
)

// shutGate shuts the gate (new transactions wait) while dst equals snap, and returns the read
// transaction dst equals, or nil if it had to give snap up (the pause then compares the files
// whole). Holding snap can keep a writer from growing bbolt's memory map, and so the gate from
// shutting: after a while it gives up, lets the waiting transactions in, re-syncs dst outside
// the gate without snap and tries again. snap is rolled back on error.
func (s *Store) shutGate(dst *bolt.DB, snap *bolt.Tx, st *CompactStats, held *time.Time) (*bolt.Tx, error) {
	patience := shutPatience
	for try := 1; ; try++ {
		*held = time.Now()
		if s.gate.shut(time.After(patience)) {
			return snap, nil
		}
		st.Retries++
		if err := snap.Rollback(); err != nil {
			return nil, err
		}
		var err error
		if snap, err = s.db.Begin(false); err != nil {
			return nil, err
		}
		err = dst.Update(func(dtx *bolt.Tx) error {
			_, err := syncTree(dtx, snap, nil)
			return err
		})
		if err != nil {
			_ = snap.Rollback()
			return nil, fmt.Errorf("re-copy the writes made during the copy: %w", err)
		}
		if try == shutTries {
			// Transactions keep the gate open: wait for them without holding a read
			// transaction, which nothing can then wait for.
			if err := snap.Rollback(); err != nil {
				return nil, err
			}
			*held = time.Now()
			s.gate.shut(nil)
			return nil, nil
		}
		patience *= 2
	}
}

// finishCompact runs with the gate shut: it re-copies what was committed since snap (all that
// differs, if snap is nil), fsyncs, renames the copy over the database and switches the store to
// it. It returns the old handle if it switched (err may then still report a failure after the
// rename), else nil and why not. It rolls snap back.
func (s *Store) finishCompact(dst *bolt.DB, tmp string, snap *bolt.Tx, st *CompactStats) (old *bolt.DB, err error) {
	if snap != nil {
		defer snap.Rollback()
	}
	err = s.db.View(func(stx *bolt.Tx) error {
		if snap != nil && stx.ID() == snap.ID() {
			return nil // nothing committed since the copy
		}
		return dst.Update(func(dtx *bolt.Tx) error {
			n, err := syncTree(dtx, stx, snap)
			st.Changes = n
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("re-copy the writes made during the copy: %w", err)
	}
	if st.Changes > 0 {
		if err := dst.Sync(); err != nil {
			return nil, fmt.Errorf("fsync the copy: %w", err)
		}
	}
	if hook := s.hooks.synced; hook != nil {
		if err := hook(); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return nil, err
	}
	// The copy is the database now: switch to it whatever happens next.
	var errs []error
	if hook := s.hooks.renamed; hook != nil {
		errs = append(errs, hook())
	}
	dst.NoSync = s.noSync
	old, s.db = s.db, dst
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		errs = append(errs, fmt.Errorf("the compacted file is in use, but making its rename durable failed (sync %s): %w",
			filepath.Dir(s.path), err))
	}
	return old, errors.Join(errs...)
}

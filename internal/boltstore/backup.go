package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Backup writes a consistent copy of the database to w while the store stays in use (a hot
// backup) and returns its size. The copy is a complete, compacted bbolt file holding only the
// live keys: it is built in a fresh temporary file beside the database, from one read
// transaction (so it is the database as of one instant), checked, and then streamed to w. Data
// deleted before Backup began is not in it, unlike tx.WriteTo, which copies freed pages too.
// The read transaction ends before w is written, so a slow w does not hold it open. The
// temporary file needs free space beside the database about the size of the live data.
func (s *Store) Backup(w io.Writer) (int64, error) {
	n, err := s.backupTo(w)
	if err != nil {
		return n, fmt.Errorf("boltstore: backup %s: %w", s.path, err)
	}
	return n, nil
}

func (s *Store) backupTo(w io.Writer) (n int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(s.path), copyPrefix(s.path, "backup")+"*") // mode 0o600
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Close(); err != nil {
		return 0, err
	}
	if err := s.copyFile(tmp); err != nil {
		return 0, err
	}
	if err := verifyBackup(tmp); err != nil {
		return 0, fmt.Errorf("the copy does not verify: %w", err)
	}
	f, err = os.Open(tmp)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// copyFile writes the live keys, as of one read transaction, into the new, empty file at path
// and fsyncs it. The copy's own commits skip fsync: the file is not in use until it is done.
func (s *Store) copyFile(path string) error {
	s.maint.Lock()
	defer s.maint.Unlock()
	dst, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return err
	}
	err = s.viewDB(func(stx *bolt.Tx) error {
		return copyTree(context.Background(), dst, stx, defaultCopyTxBytes)
	})
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyPrefix is the start of the name of a temporary copy of the database at path, made
// beside it: ".<name>.<kind>-". Open removes such files a crash left behind.
func copyPrefix(path, kind string) string {
	return "." + filepath.Base(path) + "." + kind + "-"
}

// removeStaleCopies removes the temporary copies (copyPrefix) a crash left beside path.
func removeStaleCopies(path string, log *slog.Logger) {
	for _, kind := range []string{"backup", "compact"} {
		pattern := filepath.Join(filepath.Dir(path), copyPrefix(path, kind)+"*")
		stale, _ := filepath.Glob(pattern)
		for _, f := range stale {
			if err := os.Remove(f); err != nil {
				log.Warn("boltstore: cannot remove a leftover copy of the database", "path", f, "err", err)
				continue
			}
			log.Info("boltstore: removed a leftover copy of the database", "path", f)
		}
	}
}

// BackupFile writes a verified backup to path atomically: the live keys are copied into a
// fresh file in path's folder (see Backup), which is fsynced, checked like WriteBackup's, and
// renamed over path. A file at path is thus either the old one or a complete new backup. It
// refuses to overwrite the database itself.
func (s *Store) BackupFile(path string) error {
	if err := s.backupFile(path, verifyBackup); err != nil {
		return fmt.Errorf("boltstore: backup %s to %s: %w", s.path, path, err)
	}
	return nil
}

// backupFile is BackupFile with the check given; migrations pass nil, since the file they copy
// is mid-upgrade.
func (s *Store) backupFile(path string, verify func(string) error) error {
	if fi, err := os.Stat(path); err == nil {
		if live, err := os.Stat(s.path); err == nil && os.SameFile(fi, live) {
			return errors.New("the backup path is the database itself")
		}
	}
	return writeAtomicFile(path, s.copyFile, verify)
}

// WriteBackup writes a backup to dest atomically: write to a temporary file in dest's folder,
// fsync, verify that it opens as our database and passes Check, then rename it over dest and
// fsync the folder. On any error dest is untouched and the temporary file removed.
func WriteBackup(dest string, write func(io.Writer) error) error {
	return writeAtomic(dest, write, verifyBackup)
}

// writeAtomic writes dest through a fsynced temporary file in its folder, checked by verify
// (if not nil) before it is renamed into place.
func writeAtomic(dest string, write func(io.Writer) error, verify func(path string) error) error {
	return writeAtomicFile(dest, func(tmp string) (err error) {
		f, err := os.OpenFile(tmp, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				_ = f.Close()
			}
		}()
		if err = write(f); err != nil {
			return err
		}
		if err = f.Sync(); err != nil {
			return err
		}
		return f.Close()
	}, verify)
}

// writeAtomicFile is writeAtomic for a writer that needs a file name (bbolt opens files by
// name), and the one place that makes and cleans up the temporary file: write fills the empty temporary file at the name it is given, and fsyncs it.
func writeAtomicFile(dest string, write func(path string) error, verify func(path string) error) (err error) {
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp-*") // mode 0o600: the data is private
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Close(); err != nil {
		return err
	}
	if err = write(tmp); err != nil {
		return err
	}
	return publish(tmp, dest, verify)
}

// publish verifies the complete temporary file tmp, if asked, then renames it over dest and
// makes the rename durable: the last steps of both atomic writes.
func publish(tmp, dest string, verify func(path string) error) error {
	if verify != nil {
		if err := verify(tmp); err != nil {
			return fmt.Errorf("the copy does not verify, so %s was left as it was: %w", dest, err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	dir := filepath.Dir(dest)
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s is complete, but making its rename durable failed (sync %s): %w", dest, dir, err)
	}
	return nil
}

// verifyBackup opens a backup read-only and checks its page structure and schema.
func verifyBackup(path string) error {
	st, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	err = st.Check()
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}

// Check verifies the file's page structure (bbolt's tx.Check, every problem reported) and our
// marker and schema version. It reads the whole file in one read transaction.
func (s *Store) Check() error {
	s.gate.enter()
	defer s.gate.leave()
	var errs []error
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	errs = append(errs, err)
	if st, err := inspect(s.db); err != nil {
		errs = append(errs, err)
	} else if st.fresh {
		errs = append(errs, errors.New("no buckets: the layout was never created"))
	} else if st.version != s.schema {
		errs = append(errs, fmt.Errorf("schema is v%d, want v%d", st.version, s.schema))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("boltstore: check %s: %w", s.path, err)
	}
	return nil
}

// Ping reports whether the database answers a read.
func (s *Store) Ping(ctx context.Context) error {
	return s.View(ctx, func(quiz.Tx) error { return nil })
}

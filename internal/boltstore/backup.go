package boltstore

import (
	"context"

	"errors"
	"fmt"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to w while the store stays in use (a hot
// backup: one read transaction, tx.WriteTo). The copy is a complete bbolt file. Keep w fast: the
// read transaction pins the pages it copies, so a slow writer makes the live file grow.
func (s *Store) Backup(w io.Writer) (int64, error) {
	n, err := s.writeTo(w)
	if err != nil {
		return n, fmt.Errorf("boltstore: backup %s: %w", s.path, err)
	}
	return n, nil
}

func (s *Store) writeTo(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a backup to path atomically: to a temporary file in the same folder, fsynced,
// then renamed over path. A file at path is thus either the old one or a complete new backup.
// It refuses to overwrite the database itself.
func (s *Store) BackupFile(path string) error {
	if err := s.backupFile(path); err != nil {
		return fmt.Errorf("boltstore: backup %s to %s: %w", s.path, path, err)
	}
	return nil
}

func (s *Store) backupFile(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if live, err := os.Stat(s.path); err == nil && os.SameFile(fi, live) {
			return errors.New("the backup path is the database itself")
		}
	}
	// Not verified by opening: migrations take this copy of a file that is mid-upgrade.
	return writeAtomic(path, func(w io.Writer) error {
		_, err := s.writeTo(w)
		return err
	}, nil)
}

// WriteBackup writes a backup to dest atomically: write to a temporary file in dest's folder,
// fsync, verify that it opens as our database and passes Check, then rename it over dest and
// fsync the folder. On any error dest is untouched and the temporary file removed.
func WriteBackup(dest string, write func(io.Writer) error) error {
	return writeAtomic(dest, write, verifyBackup)
}

// writeAtomic writes dest through a fsynced temporary file in its folder, checked by verify
// (if not nil) before it is renamed into place.
func writeAtomic(dest string, write func(io.Writer) error, verify func(path string) error) (err error) {
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp-*") // mode 0o600: the data is private
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if verify != nil {
		if err = verify(tmp); err != nil {
			return fmt.Errorf("the copy does not verify, so %s was left as it was: %w", dest, err)
		}
	}
	if err = os.Rename(tmp, dest); err != nil {
		return err
	}
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

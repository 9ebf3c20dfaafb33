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

func (s *Store) backupFile(path string) (err error) {
	if fi, err := os.Stat(path); err == nil {
		if live, err := os.Stat(s.path); err == nil && os.SameFile(fi, live) {
			return errors.New("the backup path is the database itself")
		}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0o600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = s.writeTo(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
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

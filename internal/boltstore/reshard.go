package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Resharding. Discord serves guild g on shard (g >> 22) % count, and each bot process keeps its
// shard's guilds in its own file. Everything in a file is keyed by guild: guilds/<g> holds the
// guild's whole sub-tree, and a due key carries the guild id. So a file splits or merges by
// guild: each guild's sub-tree is copied as it is (nested buckets, keys, values and bucket
// sequences, so NextSessionID and NextReportID continue where they were), and each due entry
// follows its guild.

// MaxReshardCount is the largest shard count Reshard accepts, so that a typo cannot create a
// million files.
const MaxReshardCount = 1 << 16

// defaultReshardTxBytes bounds what one write transaction copies (keys plus values): bbolt keeps
// a transaction's dirty pages in memory until it commits.
const defaultReshardTxBytes = 64 << 20

// ErrDuplicateGuild means a guild has data in more than one source file given to Reshard.
var ErrDuplicateGuild = errors.New("guild found in more than one source")

// ShardOf returns the shard that serves guild g among count shards, as Discord computes it:
// (g >> 22) % count. count must be positive.
func ShardOf(g quiz.GuildID, count int) int {
	return int((uint64(g) >> 22) % uint64(count))
}

// ShardFileName returns the name Reshard gives shard i of count: "shard-<i>-of-<count>.db".
func ShardFileName(i, count int) string {
	return fmt.Sprintf("shard-%d-of-%d.db", i, count)
}

// ReshardOptions configure Reshard.
type ReshardOptions struct {
	// Timeout bounds the wait for each source file's lock; 0 means 1s. A running bot holds its
	// file exclusively, so its file is refused with ErrInUse: stop every bot first.
	Timeout time.Duration
	// TxBytes bounds the keys and values copied per write transaction (a guild is never split
	// across two); 0 means 64 MiB.
	TxBytes int64
	// Logger receives a line per source and per shard written; nil discards.
	Logger *slog.Logger
}

// ReshardReport says what Reshard read and wrote.
type ReshardReport struct {
	Dir     string
	Count   int
	Sources []ReshardSource // in the order given
	Shards  []ReshardShard  // shard i at index i
}

// ReshardSource counts what one source file held.
type ReshardSource struct {
	Path   string
	Guilds int // guild sub-trees
	Due    int // due entries
}

// ReshardShard counts what one destination file holds.
type ReshardShard struct {
	Shard  int
	Path   string
	Guilds int   // guild sub-trees
	Due    int   // due entries
	Size   int64 // file size in bytes
}

// reshardHooks let tests fail or race Reshard between its steps; nil fields do nothing.
type reshardHooks struct {
	written func(shard int) error // after shard's file is written and verified, under its temporary name
	publish func(shard int) error // just before shard's file gets its final name
}

// Reshard splits or merges database files for a new shard count. It writes count files,
// dstDir/shard-<i>-of-<count>.db (ShardFileName), each holding every guild of shard i
// (ShardOf) found in the sources, with its due entries, and the meta bucket of the current
// schema.
//
// The sources are opened with Open's ReadOnly option (so a foreign, damaged, too-new or
// not-yet-migrated file, or one a running bot holds, is refused), checked with Check, and never
// written. A guild with data in two sources, or a bucket or meta key this schema does not
// have, is an error. dstDir is created if missing.
//
// Each shard is written to a temporary file in dstDir, in few transactions (see
// ReshardOptions.TxBytes), fsynced, reopened with Open, checked with Check, and its counts
// compared with what was copied. Only when every shard is verified do the files get their final
// names, each through a hard link that fails if the name exists, so an existing file is never
// replaced. On any error (ctx is checked between transactions) every file Reshard created is
// removed. A crash leaves hidden ".shard-*.tmp-*" files in dstDir, and, if it comes while the
// names are given, some of the final files (each complete): remove them all and run again.
//
// Returns errors matching fs.ErrExist (a destination exists), ErrDuplicateGuild, and Open's
// errors for the sources.
func Reshard(ctx context.Context, srcPaths []string, dstDir string, count int, opts ReshardOptions) (ReshardReport, error) {
	rep, err := reshard(ctx, srcPaths, dstDir, count, opts, reshardHooks{})
	if err != nil {
		return ReshardReport{}, fmt.Errorf("boltstore: reshard into %d shards: %w", count, err)
	}
	return rep, nil
}

// reshardSource is one open source and what scanning it found.
type reshardSource struct {
	path   string
	store  *Store
	guilds []uint64       // guild sub-trees, in key order
	due    map[uint64]int // due entries per guild
}

func reshard(ctx context.Context, srcPaths []string, dstDir string, count int, opts ReshardOptions, hooks reshardHooks) (rep ReshardReport, err error) {
	switch {
	case count < 1 || count > MaxReshardCount:
		return rep, fmt.Errorf("shard count %d is outside 1-%d", count, MaxReshardCount)
	case len(srcPaths) == 0:
		return rep, errors.New("no source files")
	case dstDir == "":
		return rep, errors.New("no destination folder")
	}
	if opts.TxBytes <= 0 {
		opts.TxBytes = defaultReshardTxBytes
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	// Refuse existing names before reading anything; the final link checks again.
	final := make([]string, count)
	var exist []error
	for i := range final {
		final[i] = filepath.Join(dstDir, ShardFileName(i, count))
		if _, err := os.Lstat(final[i]); err == nil {
			exist = append(exist, fmt.Errorf("destination %s already exists (reshard never overwrites; "+
				"move it away or pick another folder): %w", final[i], fs.ErrExist))
		} else if !errors.Is(err, fs.ErrNotExist) {
			exist = append(exist, err)
		}
	}
	if err := errors.Join(exist...); err != nil {
		return rep, err
	}

	srcs := make([]*reshardSource, 0, len(srcPaths))
	defer func() {
		for _, s := range srcs {
			_ = s.store.Close() // read-only: nothing to lose
		}
	}()
	for _, p := range srcPaths {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		st, err := Open(p, Options{ReadOnly: true, Timeout: opts.Timeout, Logger: log})
		if err != nil {
			return rep, fmt.Errorf("source: %w", err)
		}
		srcs = append(srcs, &reshardSource{path: p, store: st})
		if err := sameFileTwice(srcs); err != nil {
			return rep, err
		}
		if err := st.Check(); err != nil {
			return rep, fmt.Errorf("source: %w", err)
		}
	}
	owner := map[uint64]*reshardSource{}
	for _, s := range srcs {
		if err := s.scan(); err != nil {
			return rep, fmt.Errorf("source %s: %w", s.path, err)
		}
		for _, g := range s.allGuilds() {
			if o, ok := owner[g]; ok {
				return rep, fmt.Errorf("guild %d is in both %s and %s: %w", g, o.path, s.path, ErrDuplicateGuild)
			}
			owner[g] = s
		}
		rep.Sources = append(rep.Sources, ReshardSource{Path: s.path, Guilds: len(s.guilds), Due: s.dueTotal()})
		log.Info("boltstore: reshard source", "path", s.path, "guilds", len(s.guilds), "due", s.dueTotal())
	}

	// Write and verify every shard under a temporary name; on error remove whatever we made.
	createdDir := false
	if fi, err := os.Stat(dstDir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dstDir, 0o700); err != nil {
			return rep, err
		}
		createdDir = true
	} else if err != nil {
		return rep, err
	} else if !fi.IsDir() {
		return rep, fmt.Errorf("destination %s is not a folder", dstDir)
	}
	var temps, published []string
	defer func() {
		if err == nil {
			return
		}
		for _, p := range append(temps, published...) {
			_ = os.Remove(p)
		}
		if createdDir {
			_ = os.Remove(dstDir) // only if empty
		}
	}()
	for i := range count {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		f, err := os.CreateTemp(dstDir, "."+ShardFileName(i, count)+".tmp-*") // mode 0o600
		if err != nil {
			return rep, err
		}
		temps = append(temps, f.Name())
		if err := f.Close(); err != nil {
			return rep, err
		}
		sh, err := writeShard(ctx, f.Name(), i, count, srcs, opts.TxBytes)
		if err == nil {
			sh.Size, err = verifyShard(f.Name(), sh, count)
		}
		if err != nil {
			return rep, fmt.Errorf("shard %d (%s): %w", i, final[i], err)
		}
		sh.Path = final[i]
		rep.Shards = append(rep.Shards, sh)
		if hooks.written != nil {
			if err := hooks.written(i); err != nil {
				return rep, err
			}
		}
	}

	// Publish: link each verified file under its final name, which fails if the name exists.
	for i, tmp := range temps {
		if hooks.publish != nil {
			if err := hooks.publish(i); err != nil {
				return rep, err
			}
		}
		if err := linkNew(tmp, final[i]); err != nil {
			return rep, fmt.Errorf("shard %d: %w", i, err)
		}
		published = append(published, final[i])
		if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, err
		}
		log.Info("boltstore: reshard wrote shard", "shard", i, "count", count, "path", final[i],
			"guilds", rep.Shards[i].Guilds, "due", rep.Shards[i].Due, "bytes", rep.Shards[i].Size)
	}
	temps = nil
	if err := syncDir(dstDir); err != nil {
		return rep, err
	}
	rep.Dir, rep.Count = dstDir, count
	return rep, nil
}

// sameFileTwice reports whether the last source is the same file as an earlier one.
func sameFileTwice(srcs []*reshardSource) error {
	last := srcs[len(srcs)-1]
	li, err := os.Stat(last.path)
	if err != nil {
		return err
	}
	for _, s := range srcs[:len(srcs)-1] {
		if fi, err := os.Stat(s.path); err == nil && os.SameFile(fi, li) {
			return fmt.Errorf("source %s and %s are the same file", s.path, last.path)
		}
	}
	return nil
}

// scan lists the source's guilds and due entries, refusing anything this schema does not have:
// such data could not be given a shard.
func (s *reshardSource) scan() error {
	s.due = map[uint64]int{}
	return s.store.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			switch {
			case bytes.Equal(name, bucketKeyMeta):
				return forEachEntry(b, func(k []byte, isBucket bool) error {
					if isBucket || !bytes.Equal(k, bucketKeyApp) && !bytes.Equal(k, bucketKeySchemaVersion) {
						return fmt.Errorf("unknown entry meta/%q: this program cannot reshard it", k)
					}
					return nil
				})
			case bytes.Equal(name, bucketKeyDue):
				return forEachEntry(b, func(k []byte, isBucket bool) error {
					if isBucket || len(k) != 24 {
						return fmt.Errorf("bad due key %x", k)
					}
					s.due[dueGuild(k)]++
					return nil
				})
			case bytes.Equal(name, bucketKeyGuilds):
				return forEachEntry(b, func(k []byte, isBucket bool) error {
					g, ok := getU64(k)
					if !isBucket || !ok {
						return fmt.Errorf("guilds/%x is not a guild bucket", k)
					}
					s.guilds = append(s.guilds, g)
					return nil
				})
			default:
				return fmt.Errorf("unknown top-level bucket %q: this program cannot reshard it", name)
			}
		})
	})
}

// forEachEntry calls fn for each key in b, saying whether it names a nested bucket.
func forEachEntry(b *bolt.Bucket, fn func(k []byte, isBucket bool) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v == nil && b.Bucket(k) != nil); err != nil {
			return err
		}
	}
	return nil
}

// dueGuild returns the guild of a 24-byte due key (reveal_at ‖ guild ‖ session).
func dueGuild(k []byte) uint64 { return binary.BigEndian.Uint64(k[8:16]) }

// allGuilds returns every guild with data in the source: a sub-tree or a due entry.
func (s *reshardSource) allGuilds() []uint64 {
	gs := slices.Clone(s.guilds)
	for g := range s.due {
		if _, found := slices.BinarySearch(s.guilds, g); !found {
			gs = append(gs, g)
		}
	}
	return gs
}

func (s *reshardSource) dueTotal() int {
	n := 0
	for _, c := range s.due {
		n += c
	}
	return n
}

// writeShard fills the new, empty file at path with shard i's data and fsyncs it.
func writeShard(ctx context.Context, path string, i, count int, srcs []*reshardSource, txBytes int64) (sh ReshardShard, err error) {
	sh.Shard = i
	// The file is temporary until verified and linked, so commits need not fsync; one Sync at
	// the end makes it durable. Open lays out the top-level buckets and meta (app marker and
	// schema_version) of the current schema, the one the sources have: ReadOnly refused others.
	dst, err := Open(path, Options{NoSync: true})
	if err != nil {
		return sh, err
	}
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	for _, src := range srcs {
		var gs []uint64
		for _, g := range src.guilds {
			if ShardOf(quiz.GuildID(g), count) == i {
				gs = append(gs, g)
			}
		}
		if err := copyGuilds(ctx, dst.db, src, gs, txBytes); err != nil {
			return sh, err
		}
		sh.Guilds += len(gs)
	}

	// Due entries: a few keys per open session, all in one transaction.
	if err := ctx.Err(); err != nil {
		return sh, err
	}
	err = dst.db.Update(func(dtx *bolt.Tx) error {
		to := dtx.Bucket(bucketKeyDue)
		sh.Due = 0
		for _, src := range srcs {
			err := src.store.db.View(func(stx *bolt.Tx) error {
				from := stx.Bucket(bucketKeyDue)
				if from == nil {
					return nil
				}
				c := from.Cursor()
				for k, v := c.First(); k != nil; k, v = c.Next() {
					if ShardOf(quiz.GuildID(dueGuild(k)), count) != i {
						continue
					}
					// Put keeps v until commit, after this View has ended: copy it.
					if err := to.Put(k, bytes.Clone(v)); err != nil {
						return fmt.Errorf("due %x: %w", k, err)
					}
					sh.Due++
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("%s: %w", src.path, err)
			}
		}
		return nil
	})
	if err != nil {
		return sh, fmt.Errorf("copy due entries: %w", err)
	}
	if err := dst.db.Sync(); err != nil {
		return sh, fmt.Errorf("fsync: %w", err)
	}
	return sh, nil
}

// copyGuilds copies the sub-trees of guilds gs from src to dst in as few write transactions as
// txBytes allows, inside one read transaction on src (copyBuckets, shared with backups and
// compaction).
func copyGuilds(ctx context.Context, dst *bolt.DB, src *reshardSource, gs []uint64, txBytes int64) error {
	if len(gs) == 0 {
		return nil
	}
	keys := make([][]byte, len(gs))
	for i, g := range gs {
		keys[i] = u64(g)
	}
	return src.store.db.View(func(stx *bolt.Tx) error {
		if err := copyBuckets(ctx, dst, bucketKeyGuilds, stx.Bucket(bucketKeyGuilds), keys, txBytes); err != nil {
			return fmt.Errorf("from %s: %w", src.path, err)
		}
		return nil
	})
}

// verifyShard reopens a written shard with Open, runs Check and compares its counts with want.
// It returns the file's size.
func verifyShard(path string, want ReshardShard, count int) (size int64, err error) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := s.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := s.Check(); err != nil {
		return 0, err
	}
	var guilds, due int
	err = s.db.View(func(tx *bolt.Tx) error {
		return errors.Join(
			forEachEntry(tx.Bucket(bucketKeyGuilds), func(k []byte, isBucket bool) error {
				if g, ok := getU64(k); !ok || !isBucket || ShardOf(quiz.GuildID(g), count) != want.Shard {
					return fmt.Errorf("unexpected guilds/%x", k)
				}
				guilds++
				return nil
			}),
			forEachEntry(tx.Bucket(bucketKeyDue), func([]byte, bool) error { due++; return nil }),
		)
	})
	if err != nil {
		return 0, err
	}
	if guilds != want.Guilds || due != want.Due {
		return 0, fmt.Errorf("verify: holds %d guilds and %d due entries; copied %d and %d", guilds, due, want.Guilds, want.Due)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// linkNew gives the file tmp the new name dst, failing with fs.ErrExist if dst exists. A hard
// link cannot replace a file, unlike a rename. On a file system without hard links it checks,
// then renames: only a file created in between by another process could then be replaced.
func linkNew(tmp, dst string) error {
	err := os.Link(tmp, dst)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(dst); serr == nil {
		return &fs.PathError{Op: "link", Path: dst, Err: fs.ErrExist}
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return serr
	}
	return os.Rename(tmp, dst)
}

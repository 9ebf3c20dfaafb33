package boltstore

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Copying live keys. bbolt never clears a page it frees: a deleted answer stays readable in the
// file until its page happens to be reused, and tx.WriteTo copies freed pages too. Backups,
// compaction and Reshard therefore copy the live keys, bucket by bucket, into a fresh file, which
// then holds nothing that was deleted before the copy started.

// defaultCopyTxBytes bounds what one write transaction of a copy puts (keys plus values): bbolt
// keeps a transaction's dirty pages in memory until it commits.
const defaultCopyTxBytes = 64 << 20

// copyTree copies every top-level bucket of stx into dst, which has none of them yet. Like
// bbolt's own Compact, it commits a write transaction on dst whenever about txBytes were put,
// all inside the read transaction stx, so the values it puts (slices of the source's memory
// map, which Put keeps until commit) stay valid without a copy. A top-level bucket's own keys go
// in one transaction with it; each bucket directly under it is copied whole (see copyBuckets).
func copyTree(ctx context.Context, dst *bolt.DB, stx *bolt.Tx, txBytes int64) error {
	if txBytes <= 0 {
		txBytes = defaultCopyTxBytes
	}
	var names [][]byte
	c := stx.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		names = append(names, k)
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		from := stx.Bucket(name)
		if from == nil {
			return fmt.Errorf("top-level key %q is not a bucket", name)
		}
		var children [][]byte
		err := dst.Update(func(dtx *bolt.Tx) error {
			to, err := dtx.CreateBucket(name)
			if err != nil {
				return err
			}
			if seq := from.Sequence(); seq != 0 {
				if err := to.SetSequence(seq); err != nil {
					return err
				}
			}
			children = children[:0]
			c := from.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil && from.Bucket(k) != nil {
					children = append(children, k)
					continue
				}
				if err := to.Put(k, v); err != nil {
					return fmt.Errorf("key %x: %w", k, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		if err := copyBuckets(ctx, dst, name, from, children, txBytes); err != nil {
			return err
		}
	}
	return nil
}

// copyBuckets copies the nested buckets keys of from (in a read transaction that outlives this
// call) into the top-level bucket parent of dst, which has none of them yet, in as few write
// transactions as txBytes allows; one nested bucket is never split across two.
func copyBuckets(ctx context.Context, dst *bolt.DB, parent []byte, from *bolt.Bucket, keys [][]byte, txBytes int64) error {
	for pos := 0; pos < len(keys); {
		if err := ctx.Err(); err != nil {
			return err
		}
		next := pos
		err := dst.Update(func(dtx *bolt.Tx) error {
			to := dtx.Bucket(parent)
			if to == nil {
				return fmt.Errorf("no bucket %s in the copy", parent)
			}
			next = pos
			var size int64
			for next < len(keys) && size < txBytes {
				key := keys[next]
				nb, err := to.CreateBucket(key)
				if err != nil {
					return fmt.Errorf("%s/%x: %w", parent, key, err)
				}
				n, err := copyBucket(nb, from.Bucket(key))
				if err != nil {
					return fmt.Errorf("%s/%x: %w", parent, key, err)
				}
				size += n
				next++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("copy %s: %w", parent, err)
		}
		pos = next
	}
	return nil
}

// copyBucket copies everything in src into the empty bucket dst: keys, values, nested buckets
// and sequences. It returns the bytes of keys and values copied. src's transaction must outlive
// dst's commit (see copyTree).
func copyBucket(dst, src *bolt.Bucket) (int64, error) {
	if seq := src.Sequence(); seq != 0 {
		if err := dst.SetSequence(seq); err != nil {
			return 0, err
		}
	}
	var n int64
	c := src.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		n += int64(len(k) + len(v))
		if v == nil {
			if sb := src.Bucket(k); sb != nil {
				nb, err := dst.CreateBucket(k)
				if err != nil {
					return n, fmt.Errorf("bucket %x: %w", k, err)
				}
				m, err := copyBucket(nb, sb)
				n += m
				if err != nil {
					return n, fmt.Errorf("bucket %x: %w", k, err)
				}
				continue
			}
		}
		if err := dst.Put(k, v); err != nil {
			return n, fmt.Errorf("key %x: %w", k, err)
		}
	}
	return n, nil
}

// node is what the root of a transaction and a bucket have in common for syncTree.
type node interface {
	Cursor() *bolt.Cursor
	Bucket(name []byte) *bolt.Bucket
	CreateBucket(name []byte) (*bolt.Bucket, error)
	DeleteBucket(name []byte) error
}

// syncTree makes dtx hold exactly what stx holds, changing only what differs, and returns the
// number of changes (puts, deletes, buckets made or removed, sequences set). It walks both trees
// side by side in key order and writes only what was written to the source since dtx's file was
// copied from it. stx must outlive dtx's commit (values are not copied).
//
// base, if not nil, is an earlier read transaction of stx's file that dtx equals, still open:
// then a bucket whose root page is the same in base and stx is skipped unread. While base is
// open bbolt reuses none of the pages it can see, and a write to a bucket rewrites its root
// page (copy on write), so the same root page means the same bucket.
func syncTree(dtx, stx, base *bolt.Tx) (int, error) {
	if base == nil {
		return syncNode(dtx, stx, nil, nil, nil)
	}
	return syncNode(dtx, stx, base, nil, nil)
}

// syncDiff is what syncNode must change in one bucket: found by walking both cursors, applied
// after (writing under a cursor is not safe to iterate past).
type syncDiff struct {
	gone    [][]byte    // keys or buckets only in dst, or whose kind changed
	puts    [][2][]byte // values new or different in src
	created [][]byte    // buckets only in src, or whose kind changed
	nested  [][]byte    // buckets on both sides, synced in turn
}

// syncNode syncs the children of to (dst) with those of from (src); base is from as of syncTree's
// base, or nil. toB and fromB are to and from as buckets, nil at the root (which holds buckets
// only).
func syncNode(to, from, base node, toB, fromB *bolt.Bucket) (int, error) {
	changes := 0
	if toB != nil && toB.Sequence() != fromB.Sequence() {
		if err := toB.SetSequence(fromB.Sequence()); err != nil {
			return changes, err
		}
		changes++
	}
	d := diffNode(to, from)
	for _, k := range d.gone {
		if err := deleteKey(to, toB, k); err != nil {
			return changes, err
		}
		changes++
	}
	for _, kv := range d.puts {
		if err := toB.Put(kv[0], kv[1]); err != nil {
			return changes, fmt.Errorf("key %x: %w", kv[0], err)
		}
		changes++
	}
	for _, k := range d.created {
		nb, err := to.CreateBucket(k)
		if err != nil {
			return changes, fmt.Errorf("bucket %x: %w", k, err)
		}
		if _, err := copyBucket(nb, from.Bucket(k)); err != nil {
			return changes, fmt.Errorf("bucket %x: %w", k, err)
		}
		changes++
	}
	for _, k := range d.nested {
		tb, fb := to.Bucket(k), from.Bucket(k)
		var bn node
		if base != nil {
			if bb := base.Bucket(k); bb != nil {
				if fb.Root() != 0 && fb.Root() == bb.Root() {
					continue // unchanged since base (an inline bucket, root 0, is compared)
				}
				bn = bb
			}
		}
		n, err := syncNode(tb, fb, bn, tb, fb)
		changes += n
		if err != nil {
			return changes, fmt.Errorf("bucket %x: %w", k, err)
		}
	}
	return changes, nil
}

// diffNode walks the children of to and from together, in key order. Keys from dst are cloned
// (dst is written before its pages are read again); src's stay valid for its transaction.
func diffNode(to, from node) syncDiff {
	var d syncDiff
	tc, fc := to.Cursor(), from.Cursor()
	tk, tv := tc.First()
	fk, fv := fc.First()
	for tk != nil || fk != nil {
		c := 0
		switch {
		case tk == nil:
			c = 1
		case fk == nil:
			c = -1
		default:
			c = bytes.Compare(tk, fk)
		}
		if c < 0 { // only in dst
			d.gone = append(d.gone, bytes.Clone(tk))
			tk, tv = tc.Next()
			continue
		}
		fromBucket := fv == nil && from.Bucket(fk) != nil
		if c == 0 {
			toBucket := tv == nil && to.Bucket(tk) != nil
			switch {
			case fromBucket && toBucket:
				d.nested = append(d.nested, fk)
			case fromBucket != toBucket: // a key became a bucket or the reverse: replace it
				d.gone = append(d.gone, bytes.Clone(tk))
				d = d.add(fk, fv, fromBucket)
			case !bytes.Equal(tv, fv):
				d.puts = append(d.puts, [2][]byte{fk, fv})
			}
			tk, tv = tc.Next()
		} else { // only in src
			d = d.add(fk, fv, fromBucket)
		}
		fk, fv = fc.Next()
	}
	return d
}

func (d syncDiff) add(k, v []byte, isBucket bool) syncDiff {
	if isBucket {
		d.created = append(d.created, k)
	} else {
		d.puts = append(d.puts, [2][]byte{k, v})
	}
	return d
}

func deleteKey(n node, b *bolt.Bucket, k []byte) error {
	if n.Bucket(k) != nil {
		return n.DeleteBucket(k)
	}
	return b.Delete(k)
}

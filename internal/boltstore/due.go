package boltstore

import (
	"fmt"
	"math"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The due queue: due/<reveal_at unix-ms ‖ guild ‖ session> = empty. One top-level bucket for all
// guilds, so DueUntil is a single scan from the first key.

func (t *boltTx) PutDue(d quiz.Due) error {
	if err := t.putDue(d, true); err != nil {
		return fmt.Errorf("boltstore: put due %d/%d: %w", d.Guild, d.Session, err)
	}
	return nil
}

func (t *boltTx) DeleteDue(d quiz.Due) error {
	if err := t.putDue(d, false); err != nil {
		return fmt.Errorf("boltstore: delete due %d/%d: %w", d.Guild, d.Session, err)
	}
	return nil
}

func (t *boltTx) putDue(d quiz.Due, put bool) error {
	key, err := dueKey(d)
	if err != nil {
		return err
	}
	if err := t.writable(); err != nil {
		return err
	}
	b, err := createBucketIfNotExists(t.tx, bucketKeyDue)
	if err != nil {
		return err
	}
	if put {
		return b.Put(key, []byte{})
	}
	return b.Delete(key)
}

func (t *boltTx) DueUntil(until time.Time, n int) ([]quiz.Due, error) {
	return t.dueUntil(until, math.MaxInt, n)
}

// DueUntilPerGuild scans the keys (values are empty) up to until: a backlog costs a key read
// per entry, not a decode.
func (t *boltTx) DueUntilPerGuild(until time.Time, perGuild, n int) ([]quiz.Due, error) {
	return t.dueUntil(until, perGuild, n)
}

func (t *boltTx) dueUntil(until time.Time, perGuild, n int) ([]quiz.Due, error) {
	b := getBucket(t.tx, bucketKeyDue)
	limit := until.UnixMilli()
	if b == nil || n <= 0 || perGuild <= 0 || limit < 0 {
		return nil, nil
	}
	var out []quiz.Due
	taken := map[quiz.GuildID]int{}
	c := b.Cursor()
	for k, _ := c.First(); k != nil && len(out) < n; k, _ = c.Next() {
		d, err := decodeDueKey(k)
		if err != nil {
			return nil, fmt.Errorf("boltstore: list due: %w", err)
		}
		if d.At.UnixMilli() > limit {
			break
		}
		if taken[d.Guild] < perGuild {
			taken[d.Guild]++
			out = append(out, d)
		}
	}
	return out, nil
}

package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Attempts: guilds/<guild>/attempts/<user ‖ session> = binary quiz.Attempt
// (codec_records.go).

func (t *boltTx) Attempt(g quiz.GuildID, u quiz.UserID, s quiz.SessionID) (quiz.Attempt, bool, error) {
	b := t.guildBucket(g, bucketKeyAttempts)
	if b == nil {
		return quiz.Attempt{}, false, nil
	}
	data := b.Get(attemptKey(u, s))
	if data == nil {
		return quiz.Attempt{}, false, nil
	}
	a, err := decodeAttempt(g, u, s, data)
	if err != nil {
		return quiz.Attempt{}, false, fmt.Errorf("boltstore: get attempt %d/%d/%d: %w", g, u, s, err)
	}
	return a, true, nil
}

func (t *boltTx) PutAttempt(a quiz.Attempt) error {
	data, err := encodeAttempt(a)
	if err == nil {
		var b *bolt.Bucket
		if b, err = t.writeGuildBucket(a.Guild, bucketKeyAttempts); err == nil {
			err = b.Put(attemptKey(a.User, a.Session), data)
		}
	}
	if err != nil {
		return fmt.Errorf("boltstore: put attempt %d/%d/%d: %w", a.Guild, a.User, a.Session, err)
	}
	return nil
}

func (t *boltTx) Attempts(g quiz.GuildID, u quiz.UserID) ([]quiz.Attempt, error) {
	b := t.guildBucket(g, bucketKeyAttempts)
	if b == nil {
		return nil, nil
	}
	prefix := u64(uint64(u))
	var out []quiz.Attempt
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 16 {
			return nil, fmt.Errorf("boltstore: list attempts %d/%d: bad key %x", g, u, k)
		}
		a, err := decodeAttempt(g, u, quiz.SessionID(binary.BigEndian.Uint64(k[8:])), v)
		if err != nil {
			return nil, fmt.Errorf("boltstore: list attempts %d/%d: key %x: %w", g, u, k, err)
		}
		out = append(out, a)
	}
	return out, nil
}

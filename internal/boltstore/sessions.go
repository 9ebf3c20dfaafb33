package boltstore

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Sessions: guilds/<guild>/sessions/<session> = binary quiz.Session (codec_records.go); ids come
// from the bucket's NextSequence, so they start at 1, grow with time, and roll back with a
// failed transaction.

func (t *boltTx) NextSessionID(g quiz.GuildID) (quiz.SessionID, error) {
	b, err := t.writeGuildBucket(g, bucketKeySessions)
	if err != nil {
		return 0, fmt.Errorf("boltstore: next session id %d: %w", g, err)
	}
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("boltstore: next session id %d: %w", g, err)
	}
	return quiz.SessionID(id), nil
}

func (t *boltTx) ReserveSessionIDs(g quiz.GuildID, n int) (quiz.SessionID, error) {
	if n < 1 {
		return 0, fmt.Errorf("boltstore: reserve %d session ids of %d", n, g)
	}
	b, err := t.writeGuildBucket(g, bucketKeySessions)
	if err != nil {
		return 0, fmt.Errorf("boltstore: reserve session ids %d: %w", g, err)
	}
	seq := b.Sequence()
	if err := b.SetSequence(seq + uint64(n)); err != nil {
		return 0, fmt.Errorf("boltstore: reserve session ids %d: %w", g, err)
	}
	return quiz.SessionID(seq + 1), nil
}

func (t *boltTx) Session(g quiz.GuildID, s quiz.SessionID) (quiz.Session, bool, error) {
	b := t.guildBucket(g, bucketKeySessions)
	if b == nil {
		return quiz.Session{}, false, nil
	}
	data := b.Get(u64(uint64(s)))
	if data == nil {
		return quiz.Session{}, false, nil
	}
	v, err := decodeSession(g, s, data)
	if err != nil {
		return quiz.Session{}, false, fmt.Errorf("boltstore: get session %d/%d: %w", g, s, err)
	}
	return v, true, nil
}

func (t *boltTx) PutSession(s quiz.Session) error {
	data, err := encodeSession(s)
	if err == nil {
		var b *bolt.Bucket
		if b, err = t.writeGuildBucket(s.Guild, bucketKeySessions); err == nil {
			err = b.Put(u64(uint64(s.ID)), data)
		}
	}
	if err != nil {
		return fmt.Errorf("boltstore: put session %d/%d: %w", s.Guild, s.ID, err)
	}
	return nil
}

func (t *boltTx) DeleteSession(g quiz.GuildID, s quiz.SessionID) error {
	if err := t.writable(); err != nil {
		return fmt.Errorf("boltstore: delete session %d/%d: %w", g, s, err)
	}
	if b := t.guildBucket(g, bucketKeySessions); b != nil {
		if err := b.Delete(u64(uint64(s))); err != nil {
			return fmt.Errorf("boltstore: delete session %d/%d: %w", g, s, err)
		}
	}
	return nil
}

func (t *boltTx) SessionGuilds() ([]quiz.GuildID, error) {
	var out []quiz.GuildID
	root := getBucket(t.tx, bucketKeyGuilds)
	if root == nil {
		return nil, nil
	}
	c := root.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		id, ok := getU64(k)
		if !ok {
			return nil, fmt.Errorf("boltstore: list session guilds: bad guild key %x", k)
		}
		if b := root.Bucket(k).Bucket(bucketKeySessions); b != nil {
			if first, _ := b.Cursor().First(); first != nil {
				out = append(out, quiz.GuildID(id))
			}
		}
	}
	return out, nil
}

func (t *boltTx) Sessions(g quiz.GuildID, from quiz.SessionID, fn func(quiz.Session) bool) error {
	b := t.guildBucket(g, bucketKeySessions)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.Seek(u64(uint64(from))); k != nil; k, v = c.Next() {
		id, ok := getU64(k)
		if !ok {
			return fmt.Errorf("boltstore: list sessions of %d: bad key %x", g, k)
		}
		s, err := decodeSession(g, quiz.SessionID(id), v)
		if err != nil {
			return fmt.Errorf("boltstore: list sessions of %d: session %d: %w", g, id, err)
		}
		if !fn(s) {
			return nil
		}
	}
	return nil
}

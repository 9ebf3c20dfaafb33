package boltstore

import (
	"bytes"
	"errors"
	"fmt"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Members: guilds/<guild>/members/<user> = JSON quiz.Member.

func (t *boltTx) Member(g quiz.GuildID, u quiz.UserID) (quiz.Member, bool, error) {
	var m quiz.Member
	ok, err := getJSON(t.guildBucket(g, bucketKeyMembers), u64(uint64(u)), &m)
	if err != nil {
		return quiz.Member{}, false, fmt.Errorf("boltstore: get member %d/%d: %w", g, u, err)
	}
	return m, ok, nil
}

func (t *boltTx) PutMember(m quiz.Member) error {
	b, err := t.writeGuildBucket(m.Guild, bucketKeyMembers)
	if err == nil {
		err = putJSON(b, u64(uint64(m.User)), m)
	}
	if err != nil {
		return fmt.Errorf("boltstore: put member %d/%d: %w", m.Guild, m.User, err)
	}
	return nil
}

func (t *boltTx) Members(g quiz.GuildID, fn func(quiz.Member) bool) error {
	// Walk a copy of the keys and look each up again, so that fn may write.
	for _, k := range keys(t.guildBucket(g, bucketKeyMembers)) {
		u, ok := getU64(k)
		if !ok {
			return fmt.Errorf("boltstore: list members of %d: bad user key %x", g, k)
		}
		m, ok, err := t.Member(g, quiz.UserID(u))
		if err != nil {
			return err
		}
		if ok && !fn(m) {
			return nil
		}
	}
	return nil
}

// DeleteMember deletes the member, their cards bucket, their attempts (a prefix of keys) and
// the mocks they were the candidate of; in mocks they interviewed, Interviewer becomes 0.
func (t *boltTx) DeleteMember(g quiz.GuildID, u quiz.UserID) error {
	if err := t.deleteMember(g, u); err != nil {
		return fmt.Errorf("boltstore: delete member %d/%d: %w", g, u, err)
	}
	return nil
}

func (t *boltTx) deleteMember(g quiz.GuildID, u quiz.UserID) error {
	if err := t.writable(); err != nil {
		return err
	}
	key := u64(uint64(u))
	if b := t.guildBucket(g, bucketKeyMembers); b != nil {
		if err := b.Delete(key); err != nil {
			return err
		}
	}
	if b := t.guildBucket(g, bucketKeyCards); b != nil {
		if err := b.DeleteBucket(key); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return err
		}
	}
	if err := t.deleteMemberMocks(g, u); err != nil {
		return err
	}
	if b := t.guildBucket(g, bucketKeyAttempts); b != nil {
		// Collect first: deleting under a cursor can skip keys.
		var doomed [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(key); k != nil && bytes.HasPrefix(k, key); k, _ = c.Next() {
			doomed = append(doomed, bytes.Clone(k))
		}
		for _, k := range doomed {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Mocks: guilds/<guild>/mocks/<mock id> = JSON quiz.Mock (ids from NextSequence), and
// guilds/<guild>/mock_index/<user ‖ created unix-ms ‖ mock id> = ∅ for the candidate and, in a
// pair mock, the interviewer: a member's mocks in time order are one prefix scan.

func mockIndexKey(u quiz.UserID, m quiz.Mock) ([]byte, error) {
	ms := m.CreatedAt.UnixMilli()
	if ms < 0 {
		return nil, fmt.Errorf("created %v is before 1970", m.CreatedAt)
	}
	k := binary.BigEndian.AppendUint64(u64(uint64(u)), uint64(ms))
	return binary.BigEndian.AppendUint64(k, uint64(m.ID)), nil
}

// participants are the users a mock is indexed under.
func participants(m quiz.Mock) []quiz.UserID {
	out := []quiz.UserID{m.Candidate}
	if m.Interviewer != 0 && m.Interviewer != m.Candidate {
		out = append(out, m.Interviewer)
	}
	return out
}

func (t *boltTx) NextMockID(g quiz.GuildID) (quiz.MockID, error) {
	b, err := t.writeGuildBucket(g, bucketKeyMocks)
	if err != nil {
		return 0, fmt.Errorf("boltstore: next mock id %d: %w", g, err)
	}
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("boltstore: next mock id %d: %w", g, err)
	}
	return quiz.MockID(id), nil
}

func (t *boltTx) Mock(g quiz.GuildID, id quiz.MockID) (quiz.Mock, bool, error) {
	var m quiz.Mock
	ok, err := getJSON(t.guildBucket(g, bucketKeyMocks), u64(uint64(id)), &m)
	if err != nil {
		return quiz.Mock{}, false, fmt.Errorf("boltstore: get mock %d/%d: %w", g, id, err)
	}
	return m, ok, nil
}

func (t *boltTx) PutMock(m quiz.Mock) error {
	if err := t.putMock(m); err != nil {
		return fmt.Errorf("boltstore: put mock %d/%d: %w", m.Guild, m.ID, err)
	}
	return nil
}

func (t *boltTx) putMock(m quiz.Mock) error {
	if m.ID == 0 {
		return fmt.Errorf("zero id")
	}
	var keys [][]byte
	for _, u := range participants(m) {
		k, err := mockIndexKey(u, m)
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	old, found, err := t.Mock(m.Guild, m.ID)
	if err != nil {
		return err
	}
	b, err := t.writeGuildBucket(m.Guild, bucketKeyMocks)
	if err != nil {
		return err
	}
	idx, err := t.writeGuildBucket(m.Guild, bucketKeyMockIndex)
	if err != nil {
		return err
	}
	if found {
		if err := deleteMockIndex(idx, old); err != nil {
			return err
		}
	}
	if err := putJSON(b, u64(uint64(m.ID)), m); err != nil {
		return err
	}
	for _, k := range keys {
		if err := idx.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

func deleteMockIndex(idx *bolt.Bucket, m quiz.Mock) error {
	for _, u := range participants(m) {
		if k, err := mockIndexKey(u, m); err == nil {
			if err := idx.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *boltTx) MemberMocks(g quiz.GuildID, u quiz.UserID, n int) ([]quiz.Mock, error) {
	ids, err := t.memberMockIDs(g, u, n)
	if err != nil {
		return nil, fmt.Errorf("boltstore: list mocks %d/%d: %w", g, u, err)
	}
	var out []quiz.Mock
	for _, id := range ids {
		m, ok, err := t.Mock(g, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// memberMockIDs returns up to n of u's mock ids from the index, newest first; n < 0: all.
func (t *boltTx) memberMockIDs(g quiz.GuildID, u quiz.UserID, n int) ([]quiz.MockID, error) {
	idx := t.guildBucket(g, bucketKeyMockIndex)
	if idx == nil || n == 0 {
		return nil, nil
	}
	prefix := u64(uint64(u))
	c := idx.Cursor()
	var k []byte
	if u == math.MaxUint64 {
		k, _ = c.Last()
	} else if k, _ = c.Seek(u64(uint64(u) + 1)); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var out []quiz.MockID
	for ; k != nil && bytes.HasPrefix(k, prefix) && (n < 0 || len(out) < n); k, _ = c.Prev() {
		if len(k) != 24 {
			return nil, fmt.Errorf("bad index key %x", k)
		}
		out = append(out, quiz.MockID(binary.BigEndian.Uint64(k[16:])))
	}
	return out, nil
}

// deleteMemberMocks deletes the mocks u was the candidate of and takes u out of those they
// interviewed, for DeleteMember.
func (t *boltTx) deleteMemberMocks(g quiz.GuildID, u quiz.UserID) error {
	ids, err := t.memberMockIDs(g, u, -1)
	if err != nil || len(ids) == 0 {
		return err
	}
	b, idx := t.guildBucket(g, bucketKeyMocks), t.guildBucket(g, bucketKeyMockIndex)
	for _, id := range ids {
		m, ok, err := t.Mock(g, id)
		if err != nil {
			return err
		}
		switch {
		case !ok:
		case m.Candidate == u:
			if err := deleteMockIndex(idx, m); err != nil {
				return err
			}
			if err := b.Delete(u64(uint64(id))); err != nil {
				return err
			}
		default:
			m.Interviewer = 0
			if err := t.putMock(m); err != nil {
				return err
			}
		}
	}
	// Anything left under u (an index entry whose mock is gone).
	var doomed [][]byte
	c := idx.Cursor()
	prefix := u64(uint64(u))
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		doomed = append(doomed, bytes.Clone(k))
	}
	for _, k := range doomed {
		if err := idx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

package boltstore

import (
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Sessions: guilds/<guild>/sessions/<session> = JSON quiz.Session; ids come from the bucket's
// NextSequence, so they start at 1, and roll back with a failed transaction.

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

func (t *boltTx) Session(g quiz.GuildID, s quiz.SessionID) (quiz.Session, bool, error) {
	var v quiz.Session
	ok, err := getJSON(t.guildBucket(g, bucketKeySessions), u64(uint64(s)), &v)
	if err != nil {
		return quiz.Session{}, false, fmt.Errorf("boltstore: get session %d/%d: %w", g, s, err)
	}
	return v, ok, nil
}

func (t *boltTx) PutSession(s quiz.Session) error {
	b, err := t.writeGuildBucket(s.Guild, bucketKeySessions)
	if err == nil {
		err = putJSON(b, u64(uint64(s.ID)), s)
	}
	if err != nil {
		return fmt.Errorf("boltstore: put session %d/%d: %w", s.Guild, s.ID, err)
	}
	return nil
}

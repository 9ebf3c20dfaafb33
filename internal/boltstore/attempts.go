package boltstore

import (
	"bytes"
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Attempts: guilds/<guild>/attempts/<user ‖ session> = JSON quiz.Attempt.

func (t *boltTx) Attempt(g quiz.GuildID, u quiz.UserID, s quiz.SessionID) (quiz.Attempt, bool, error) {
	var a quiz.Attempt
	ok, err := getJSON(t.guildBucket(g, bucketKeyAttempts), attemptKey(u, s), &a)
	if err != nil {
		return quiz.Attempt{}, false, fmt.Errorf("boltstore: get attempt %d/%d/%d: %w", g, u, s, err)
	}
	return a, ok, nil
}

func (t *boltTx) PutAttempt(a quiz.Attempt) error {
	b, err := t.writeGuildBucket(a.Guild, bucketKeyAttempts)
	if err == nil {
		err = putJSON(b, attemptKey(a.User, a.Session), a)
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
		var a quiz.Attempt
		if err := decodeJSON(v, &a); err != nil {
			return nil, fmt.Errorf("boltstore: list attempts %d/%d: key %x: %w", g, u, k, err)
		}
		out = append(out, a)
	}
	return out, nil
}

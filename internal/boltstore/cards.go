package boltstore

import (
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Cards: guilds/<guild>/cards/<user>/<question id> = binary card (codec.go, version 2). One bucket per
// member, so Cards is one bucket walk and DeleteMember one DeleteBucket.

func (t *boltTx) Card(g quiz.GuildID, u quiz.UserID, questionID string) (quiz.Card, bool, error) {
	b := getBucket(t.tx, bucketKeyGuilds, u64(uint64(g)), bucketKeyCards, u64(uint64(u)))
	if b == nil || questionID == "" {
		return quiz.Card{}, false, nil
	}
	data := b.Get([]byte(questionID))
	if data == nil {
		return quiz.Card{}, false, nil
	}
	c, err := decodeCard(questionID, data)
	if err != nil {
		return quiz.Card{}, false, fmt.Errorf("boltstore: get card %d/%d: %w", g, u, err)
	}
	return c, true, nil
}

func (t *boltTx) PutCard(g quiz.GuildID, u quiz.UserID, c quiz.Card) error {
	if err := t.putCard(g, u, c); err != nil {
		return fmt.Errorf("boltstore: put card %d/%d/%q: %w", g, u, c.QuestionID, err)
	}
	return nil
}

func (t *boltTx) putCard(g quiz.GuildID, u quiz.UserID, c quiz.Card) error {
	key, err := questionKey(c.QuestionID)
	if err != nil {
		return err
	}
	cards, err := t.writeGuildBucket(g, bucketKeyCards)
	if err != nil {
		return err
	}
	data, err := encodeCard(c)
	if err != nil {
		return err
	}
	b, err := cards.CreateBucketIfNotExists(u64(uint64(u)))
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func (t *boltTx) Cards(g quiz.GuildID, u quiz.UserID) ([]quiz.Card, error) {
	b := getBucket(t.tx, bucketKeyGuilds, u64(uint64(g)), bucketKeyCards, u64(uint64(u)))
	if b == nil {
		return nil, nil
	}
	var out []quiz.Card
	err := b.ForEach(func(k, v []byte) error {
		c, err := decodeCard(string(k), v)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: list cards %d/%d: %w", g, u, err)
	}
	return out, nil
}

package boltstore

import (
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Guild configuration: guilds/<guild>/config/guild = JSON quiz.Guild.

func (t *boltTx) Guild(g quiz.GuildID) (quiz.Guild, bool, error) {
	var v quiz.Guild
	ok, err := getJSON(t.guildBucket(g, bucketKeyConfig), bucketKeyGuild, &v)
	if err != nil {
		return quiz.Guild{}, false, fmt.Errorf("boltstore: get guild %d: %w", g, err)
	}
	return v, ok, nil
}

func (t *boltTx) PutGuild(v quiz.Guild) error {
	b, err := t.writeGuildBucket(v.ID, bucketKeyConfig)
	if err == nil {
		err = putJSON(b, bucketKeyGuild, v)
	}
	if err != nil {
		return fmt.Errorf("boltstore: put guild %d: %w", v.ID, err)
	}
	return nil
}

func (t *boltTx) Guilds(fn func(quiz.Guild) bool) error {
	// Walk a copy of the ids so that fn may write.
	for _, k := range keys(getBucket(t.tx, bucketKeyGuilds)) {
		id, ok := getU64(k)
		if !ok {
			return fmt.Errorf("boltstore: list guilds: bad guild key %x", k)
		}
		g, ok, err := t.Guild(quiz.GuildID(id))
		if err != nil {
			return err
		}
		if ok && !fn(g) {
			return nil
		}
	}
	return nil
}

package boltstore

import (
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Daily posts: guilds/<guild>/posts/<day "2006-01-02"> = JSON quiz.Post.

func (t *boltTx) Post(g quiz.GuildID, d quiz.Day) (quiz.Post, bool, error) {
	key, err := dayKey(d)
	if err != nil {
		return quiz.Post{}, false, nil // no such key can exist
	}
	var p quiz.Post
	ok, err := getJSON(t.guildBucket(g, bucketKeyPosts), key, &p)
	if err != nil {
		return quiz.Post{}, false, fmt.Errorf("boltstore: get post %d/%v: %w", g, d, err)
	}
	return p, ok, nil
}

func (t *boltTx) PutPost(p quiz.Post) error {
	if err := t.putPost(p); err != nil {
		return fmt.Errorf("boltstore: put post %d/%v: %w", p.Guild, p.Day, err)
	}
	return nil
}

func (t *boltTx) putPost(p quiz.Post) error {
	key, err := dayKey(p.Day)
	if err != nil {
		return err
	}
	b, err := t.writeGuildBucket(p.Guild, bucketKeyPosts)
	if err != nil {
		return err
	}
	return putJSON(b, key, p)
}

func (t *boltTx) Posts(g quiz.GuildID) ([]quiz.Post, error) {
	ps, err := listJSON[quiz.Post](t.guildBucket(g, bucketKeyPosts))
	if err != nil {
		return nil, fmt.Errorf("boltstore: list posts %d: %w", g, err)
	}
	return ps, nil
}

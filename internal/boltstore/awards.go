package boltstore

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Awards: guilds/<guild>/awards/<month "2006-01"> = JSON quiz.Award; recaps:
// guilds/<guild>/recaps/<week's first day "2006-01-02"> = JSON quiz.Recap. Both key formats
// sort in time order.

func monthKey(month string) ([]byte, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil || t.Format("2006-01") != month {
		return nil, fmt.Errorf("month %q is not YYYY-MM", month)
	}
	return []byte(month), nil
}

func (t *boltTx) Award(g quiz.GuildID, month string) (quiz.Award, bool, error) {
	var a quiz.Award
	ok, err := getJSON(t.guildBucket(g, bucketKeyAwards), []byte(month), &a)
	if err != nil {
		return quiz.Award{}, false, fmt.Errorf("boltstore: get award %d/%s: %w", g, month, err)
	}
	return a, ok, nil
}

func (t *boltTx) PutAward(g quiz.GuildID, a quiz.Award) error {
	key, err := monthKey(a.Month)
	if err == nil {
		var b *bolt.Bucket
		if b, err = t.writeGuildBucket(g, bucketKeyAwards); err == nil {
			err = putJSON(b, key, a)
		}
	}
	if err != nil {
		return fmt.Errorf("boltstore: put award %d/%s: %w", g, a.Month, err)
	}
	return nil
}

func (t *boltTx) Recap(g quiz.GuildID, week quiz.Day) (quiz.Recap, bool, error) {
	key, err := dayKey(week)
	if err != nil {
		return quiz.Recap{}, false, nil
	}
	var r quiz.Recap
	ok, err := getJSON(t.guildBucket(g, bucketKeyRecaps), key, &r)
	if err != nil {
		return quiz.Recap{}, false, fmt.Errorf("boltstore: get recap %d/%s: %w", g, week, err)
	}
	return r, ok, nil
}

func (t *boltTx) PutRecap(g quiz.GuildID, r quiz.Recap) error {
	key, err := dayKey(r.Week)
	if err == nil {
		var b *bolt.Bucket
		if b, err = t.writeGuildBucket(g, bucketKeyRecaps); err == nil {
			err = putJSON(b, key, r)
		}
	}
	if err != nil {
		return fmt.Errorf("boltstore: put recap %d/%s: %w", g, r.Week, err)
	}
	return nil
}

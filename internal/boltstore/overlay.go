package boltstore

import (
	"bytes"
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// A guild's changes to the bank:
//   guilds/<guild>/overlay/<question id>        = JSON quiz.OverlayEntry
//   guilds/<guild>/overlay_topics/<slug>        = JSON quiz.TopicOverlay
//   guilds/<guild>/history/<id ‖ 0x00 ‖ u32 BE> = JSON quiz.HistoryEntry

func (t *boltTx) OverlayQuestions(g quiz.GuildID) ([]quiz.OverlayEntry, error) {
	es, err := listJSON[quiz.OverlayEntry](t.guildBucket(g, bucketKeyOverlay))
	if err != nil {
		return nil, fmt.Errorf("boltstore: list overlay %d: %w", g, err)
	}
	return es, nil
}

func (t *boltTx) OverlayQuestion(g quiz.GuildID, questionID string) (quiz.OverlayEntry, bool, error) {
	b := t.guildBucket(g, bucketKeyOverlay)
	key, err := questionKey(questionID)
	if b == nil || err != nil {
		return quiz.OverlayEntry{}, false, nil // an invalid id has no entry
	}
	v := b.Get(key)
	if v == nil {
		return quiz.OverlayEntry{}, false, nil
	}
	var e quiz.OverlayEntry
	if err := decodeJSON(v, &e); err != nil {
		return quiz.OverlayEntry{}, false, fmt.Errorf("boltstore: get overlay %d/%q: %w", g, questionID, err)
	}
	return e, true, nil
}

func (t *boltTx) PutOverlayQuestion(g quiz.GuildID, e quiz.OverlayEntry) error {
	if err := t.put(g, bucketKeyOverlay, e.QuestionID, e); err != nil {
		return fmt.Errorf("boltstore: put overlay %d/%q: %w", g, e.QuestionID, err)
	}
	return nil
}

func (t *boltTx) DeleteOverlayQuestion(g quiz.GuildID, questionID string) error {
	if err := t.writable(); err != nil {
		return fmt.Errorf("boltstore: delete overlay %d/%q: %w", g, questionID, err)
	}
	b := t.guildBucket(g, bucketKeyOverlay)
	if b == nil || questionID == "" {
		return nil
	}
	if err := b.Delete([]byte(questionID)); err != nil {
		return fmt.Errorf("boltstore: delete overlay %d/%q: %w", g, questionID, err)
	}
	return nil
}

func (t *boltTx) OverlayTopics(g quiz.GuildID) ([]quiz.TopicOverlay, error) {
	ts, err := listJSON[quiz.TopicOverlay](t.guildBucket(g, bucketKeyOverlayTopics))
	if err != nil {
		return nil, fmt.Errorf("boltstore: list overlay topics %d: %w", g, err)
	}
	return ts, nil
}

func (t *boltTx) PutOverlayTopic(g quiz.GuildID, tp quiz.TopicOverlay) error {
	if err := t.put(g, bucketKeyOverlayTopics, tp.Slug, tp); err != nil {
		return fmt.Errorf("boltstore: put overlay topic %d/%q: %w", g, tp.Slug, err)
	}
	return nil
}

// put stores v as JSON under the string key id in guilds/<g>/<sub>.
func (t *boltTx) put(g quiz.GuildID, sub []byte, id string, v any) error {
	key, err := questionKey(id)
	if err != nil {
		return err
	}
	b, err := t.writeGuildBucket(g, sub)
	if err != nil {
		return err
	}
	return putJSON(b, key, v)
}

func (t *boltTx) AddHistory(g quiz.GuildID, h quiz.HistoryEntry) error {
	if err := t.addHistory(g, h); err != nil {
		return fmt.Errorf("boltstore: add history %d/%q/%d: %w", g, h.QuestionID, h.Version, err)
	}
	return nil
}

func (t *boltTx) addHistory(g quiz.GuildID, h quiz.HistoryEntry) error {
	key, err := historyKey(h.QuestionID, h.Version)
	if err != nil {
		return err
	}
	b, err := t.writeGuildBucket(g, bucketKeyHistory)
	if err != nil {
		return err
	}
	return putJSON(b, key, h)
}

func (t *boltTx) History(g quiz.GuildID, questionID string) ([]quiz.HistoryEntry, error) {
	b := t.guildBucket(g, bucketKeyHistory)
	prefix, err := historyPrefix(questionID)
	if b == nil || err != nil {
		return nil, nil // an invalid id has no history
	}
	var out []quiz.HistoryEntry
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var h quiz.HistoryEntry
		if err := decodeJSON(v, &h); err != nil {
			return nil, fmt.Errorf("boltstore: list history %d/%q: %w", g, questionID, err)
		}
		out = append(out, h)
	}
	return out, nil
}

func (t *boltTx) TrimHistory(g quiz.GuildID, questionID string, keep int) error {
	if err := t.writable(); err != nil {
		return fmt.Errorf("boltstore: trim history %d/%q: %w", g, questionID, err)
	}
	b := t.guildBucket(g, bucketKeyHistory)
	prefix, err := historyPrefix(questionID)
	if b == nil || err != nil {
		return nil
	}
	// Walk back from the newest version: keys sort by version within the question's prefix.
	c := b.Cursor()
	k, _ := c.Seek(append(prefix, 0xff, 0xff, 0xff, 0xff, 0xff))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var drop [][]byte
	for n := 0; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if n++; n > keep {
			drop = append(drop, append([]byte(nil), k...))
		}
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("boltstore: trim history %d/%q: %w", g, questionID, err)
		}
	}
	return nil
}

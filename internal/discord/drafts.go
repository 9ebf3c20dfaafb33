package discord

import (
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

const draftTTL = 15 * time.Minute

// maxDrafts caps the drafts kept: beyond it the one closest to expiring is dropped (its
// author is told the draft expired, as after 15 minutes).
const maxDrafts = 1000

// drafts hold a question between the two modals of /bank add.
type drafts struct {
	mu   sync.Mutex
	next uint64
	m    map[uint64]draft
}

type draft struct {
	q       quiz.Question
	first   quiz.Lang
	guild   quiz.GuildID
	user    quiz.UserID
	expires time.Time
}

func (d *drafts) put(dr draft) uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[uint64]draft{}
	}
	now := time.Now()
	for id, x := range d.m {
		if now.After(x.expires) {
			delete(d.m, id)
		}
	}
	for len(d.m) >= maxDrafts {
		oldest, first := uint64(0), true
		for id, x := range d.m {
			if first || x.expires.Before(d.m[oldest].expires) {
				oldest, first = id, false
			}
		}
		delete(d.m, oldest)
	}
	d.next++
	dr.expires = time.Now().Add(draftTTL)
	d.m[d.next] = dr
	return d.next
}

func (d *drafts) get(id uint64, a quiz.Actor) (draft, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dr, ok := d.m[id]
	if !ok || dr.guild != a.Guild || dr.user != a.User || time.Now().After(dr.expires) {
		return draft{}, quiz.Errorf(quiz.ENOTFOUND, "bank.draft_expired")
	}
	return dr, nil
}

// update replaces a draft that is still kept (an expired or evicted one stays gone).
func (d *drafts) update(id uint64, dr draft) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.m[id]; ok {
		d.m[id] = dr
	}
}

func (d *drafts) drop(id uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, id)
}

package quiz

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// ProgressWeeks is how far back /progress looks.
const ProgressWeeks = 26

// Progress is a member's learning at a glance: what /progress draws and lists.
type Progress struct {
	Name     string
	Lang     Lang
	Zone     string // the member's time zone, in which Days are counted
	From, To Day    // the calendar shown: ProgressWeeks whole weeks ending with To (today)
	Daily    map[Day]int
	Streak   Streak
	Answered int
	Due      int             // cards due for review now
	Topics   []TopicProgress // weakest first (see TopicProgress.Weaker)
}

// TopicProgress is how much of one topic a member has seen and how well they recall it.
type TopicProgress struct {
	Topic  Topic
	Seen   int     // questions of the topic the member has been given
	Total  int     // questions in the topic
	Graded int     // of those, how many have a review state
	Recall float64 // mean estimated recall (FSRS retrievability) of the graded ones, 0 to 1
}

// Coverage is the share of the topic seen, 0 to 1.
func (t TopicProgress) Coverage() float64 {
	if t.Total == 0 {
		return 0
	}
	return float64(t.Seen) / float64(t.Total)
}

// Weaker orders topics for /interview weak: lowest recall first, then least covered; topics
// never practised come after every practised one, least covered first.
func (t TopicProgress) Weaker(u TopicProgress) bool {
	tp, up := t.Graded > 0, u.Graded > 0
	switch {
	case tp != up:
		return tp
	case tp && t.Recall != u.Recall:
		return t.Recall < u.Recall
	case t.Coverage() != u.Coverage():
		return t.Coverage() < u.Coverage()
	}
	return t.Topic.Slug < u.Topic.Slug
}

// topicProgress is how far a member with cards is in each topic of b at now, weakest first
// (TopicProgress.Weaker). Topics without questions are left out. A card's topic is the one it
// was asked under, else its question's in b; cards of questions no longer in a topic count
// toward it until Seen reaches Total. One pass over the cards: /interview weak runs it on every
// ask.
func topicProgress(b *Bank, cards []Card, now time.Time, s Scheduler) []TopicProgress {
	topics := b.topics
	out := make([]TopicProgress, 0, len(topics))
	idx := make(map[string]int, len(topics))
	for _, t := range topics {
		if n := len(b.byTopic[t.Slug]); n > 0 {
			idx[t.Slug] = len(out)
			out = append(out, TopicProgress{Topic: t, Total: n})
		}
	}
	recall := func(c *Card) float64 { return s.Retrievability(*c, now) }
	if curve, ok := s.(ForgettingCurve); ok {
		nowNs := now.UnixNano()
		recall = func(c *Card) float64 {
			if c.State == CardNew || c.Stability <= 0 || c.LastReview.IsZero() {
				return 0
			}
			return curve.Forgetting(max(0, float64(nowNs-c.LastReview.UnixNano())/float64(24*time.Hour)), c.Stability)
		}
	}
	// Question ids start with their topic in the shipped bank, so cards (sorted by id) come
	// grouped by topic and the map is seldom consulted.
	last, li := "", -1
	for i := range cards {
		c := &cards[i]
		slug := c.Topic
		if slug == "" {
			q, ok := b.byID[c.QuestionID]
			if !ok {
				continue
			}
			slug = q.Topic
		}
		if slug != last || li < 0 {
			j, ok := idx[slug]
			if !ok {
				continue
			}
			last, li = slug, j
		}
		tp := &out[li]
		tp.Seen++
		if !c.Due.IsZero() {
			tp.Graded++
			tp.Recall += recall(c) // summed here, averaged below
		}
	}
	for i := range out {
		out[i].Seen = min(out[i].Seen, out[i].Total)
		if out[i].Graded > 0 {
			out[i].Recall /= float64(out[i].Graded)
		}
	}
	slices.SortFunc(out, func(x, y TopicProgress) int {
		switch {
		case x.Weaker(y):
			return -1
		case y.Weaker(x):
			return 1
		}
		return 0
	})
	return out
}

// weakRequest reports whether r asks for the weakest topic: Weak, or Topic "weak" in a bank
// with no topic of that name.
func weakRequest(b *Bank, r AskRequest) bool {
	if r.Weak {
		return true
	}
	if r.Topic != TopicWeak {
		return false
	}
	_, named := b.Topic(TopicWeak)
	return !named
}

// weakestTopic is the topic /interview weak asks from: the first of topicProgress; "" (any
// topic) for an empty bank.
func weakestTopic(b *Bank, cards []Card, now time.Time, s Scheduler) string {
	tps := topicProgress(b, cards, now, s)
	if len(tps) == 0 {
		return ""
	}
	return tps[0].Topic.Slug
}

// Progress returns the actor's learning at a glance for /progress: answers per day over the
// last ProgressWeeks weeks in their zone, streak, totals, reviews due now and each topic of
// the server's bank, weakest first.
func (ms *Members) Progress(ctx context.Context, a Actor) (Progress, error) {
	if err := ms.allow(a, ActProgress); err != nil {
		return Progress{}, err
	}
	now := ms.now()
	var out Progress
	err := ms.store.View(ctx, func(tx Tx) error {
		g, m, err := memberIn(tx, a.Guild, a.User)
		if err != nil {
			return err
		}
		b, err := ms.bankFor(tx, g)
		if err != nil {
			return err
		}
		cards, err := tx.Cards(a.Guild, a.User)
		if err != nil {
			return err
		}
		attempts, err := tx.Attempts(a.Guild, a.User)
		if err != nil {
			return err
		}
		loc := ms.memberZone(m, g)
		out = progressOf(m, b, cards, attempts, now, loc, ms.sched)
		out.Name, out.Lang = cmp.Or(m.Name, a.Name), a.lang(m)
		return nil
	})
	return out, err
}

// progressOf is Progress's decision: values in, the view out.
func progressOf(m Member, b *Bank, cards []Card, attempts []Attempt, now time.Time, loc *time.Location, s Scheduler) Progress {
	to := DayOf(now, loc)
	p := Progress{Zone: loc.String(), From: to - ProgressWeeks*7 + 1, To: to, Daily: map[Day]int{},
		Streak: m.Streak.At(to).Streak, Answered: m.Answered}
	for _, at := range attempts {
		if at.AnsweredAt.IsZero() {
			continue
		}
		if d := DayOf(at.AnsweredAt, loc); d >= p.From && d <= p.To {
			p.Daily[d]++
		}
	}
	for _, c := range cards {
		if c.IsDue(now) {
			if _, ok := b.byID[c.QuestionID]; ok {
				p.Due++
			}
		}
	}
	p.Topics = topicProgress(b, cards, now, s)
	return p
}

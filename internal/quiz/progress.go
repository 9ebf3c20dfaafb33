package quiz

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

package quiz

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// replayScheduler records the reviews it is asked for and schedules each a day per review so
// far, so RebuildCard's replay order and inputs show in the result.
type replayScheduler struct{ calls []string }

func (s *replayScheduler) Review(c Card, g Grade, now time.Time, retention float64) Card {
	s.calls = append(s.calls, fmt.Sprintf("%s@%s r=%.2f", g, now.Format("01-02"), retention))
	c.Reps++
	if g == Again {
		c.Lapses++
	}
	c.Stability += 1
	c.Difficulty = 5
	c.State = CardReview
	c.Interval = c.Reps
	c.Due = now.Add(time.Duration(c.Reps) * 24 * time.Hour)
	c.LastReview, c.LastGrade = now, g
	return c
}
func (s *replayScheduler) Intervals(Card, time.Time, float64) map[Grade]time.Duration { return nil }
func (s *replayScheduler) Retrievability(Card, time.Time) float64                     { return 0 }

func TestRebuildCard(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 1, day, 9, 0, 0, 0, time.UTC) }
	base := Card{QuestionID: "q", Topic: "tcp", Asked: 4, LastAsked: d(9)}
	sm2 := func(reps, interval int, ease float64, due time.Time) Card {
		c := base
		c.Reps, c.Interval, c.Ease, c.Due, c.LastGrade = reps, interval, ease, due, Good
		return c
	}
	at := func(q string, g Grade, when time.Time) Attempt {
		return Attempt{QuestionID: q, Grade: g, GradedAt: when}
	}
	tests := []struct {
		name   string
		card   Card
		graded []Attempt
		want   Card
		calls  string
	}{
		{
			name:   "replays the graded attempts of the question in GradedAt order",
			card:   sm2(2, 6, 2.6, d(20)),
			graded: []Attempt{at("q", Hard, d(7)), at("other", Easy, d(2)), at("q", Good, d(1)), {QuestionID: "q", Text: "ungraded"}, at("q", Again, d(3))},
			want: Card{QuestionID: "q", Topic: "tcp", Asked: 4, LastAsked: d(9), Ease: 2.6, Reps: 3, Lapses: 1, Interval: 3,
				Due: d(10), LastGrade: Hard, Stability: 3, Difficulty: 5, State: CardReview, LastReview: d(7)},
			calls: "good@01-01 r=0.90, again@01-03 r=0.90, hard@01-07 r=0.90",
		},
		{
			name: "no history, SM-2 review state: derived from interval and ease",
			card: sm2(3, 15, 2.5, d(25)),
			want: func() Card {
				c := sm2(3, 15, 2.5, d(25))
				c.Stability, c.Difficulty, c.State, c.LastReview = 15, 5, CardReview, d(10)
				return c
			}(),
		},
		{
			name: "no history, failed card (reps 0, interval 0, ease at the floor): learning, stability 1, difficulty 9",
			card: sm2(0, 0, 1.3, d(9).Add(10*time.Minute)),
			want: func() Card {
				c := sm2(0, 0, 1.3, d(9).Add(10*time.Minute))
				c.Stability, c.Difficulty, c.State, c.LastReview = 1, 9, CardLearning, d(9).Add(10*time.Minute)
				return c
			}(),
		},
		{
			name: "no history, ease above 2.5 clamps difficulty at 1 only past 4.0",
			card: sm2(2, 6, 2.8, d(15)),
			want: func() Card {
				c := sm2(2, 6, 2.8, d(15))
				c.Stability, c.Difficulty, c.State, c.LastReview = 6, 5-0.3*4/1.2, CardReview, d(9)
				return c
			}(),
		},
		{
			name: "never graded: unchanged",
			card: base,
			want: base,
		},
		{
			name: "already FSRS, no history: unchanged",
			card: func() Card { c := sm2(1, 3, 0, d(12)); c.Stability, c.State = 3.2, CardReview; return c }(),
			want: func() Card { c := sm2(1, 3, 0, d(12)); c.Stability, c.State = 3.2, CardReview; return c }(),
		},
		{
			name:   "an unknown grade is skipped",
			card:   base,
			graded: []Attempt{at("q", "meh", d(1))},
			want:   base,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &replayScheduler{}
			got := RebuildCard(s, tc.card, tc.graded)
			if d := cmp.Diff(got, tc.want, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); d != "" {
				t.Errorf("RebuildCard (-got +want):\n%s", d)
			}
			if calls := strings.Join(s.calls, ", "); calls != tc.calls {
				t.Errorf("reviews replayed: %q; want %q", calls, tc.calls)
			}
		})
	}
}

func TestDifficultyFromEase(t *testing.T) {
	for _, tc := range []struct{ ease, want float64 }{
		{2.5, 5}, {1.3, 9}, {1.9, 7}, {0, 5}, {4.0, 0 + 1}, {5, 1}, {1.0, 10}, {0.5, 10},
	} {
		if got := difficultyFromEase(tc.ease); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("difficultyFromEase(%v) = %v; want %v", tc.ease, got, tc.want)
		}
	}
}

func TestSuggestGrade(t *testing.T) {
	for _, tc := range []struct {
		covered, total, hints int
		want                  Grade
		reason                string
	}{
		{4, 4, 0, Easy, "You covered 4 of 4 key points (100%): Easy."},
		{9, 10, 0, Easy, "You covered 9 of 10 key points (90%): Easy."},
		{4, 4, 1, Good, "You covered 4 of 4 key points (100%) with 1 hint (−15% each): 85%, Good."},
		{3, 5, 0, Good, "You covered 3 of 5 key points (60%): Good."},
		{3, 4, 1, Good, "You covered 3 of 4 key points (75%) with 1 hint (−15% each): 60%, Good."}, // exactly the threshold
		{1, 2, 1, Hard, "You covered 1 of 2 key points (50%) with 1 hint (−15% each): 35%, Hard."},
		{1, 3, 0, Hard, "You covered 1 of 3 key points (33%): Hard."},
		{1, 4, 0, Again, "You covered 1 of 4 key points (25%): Again."},
		{2, 3, 3, Again, "You covered 2 of 3 key points (67%) with 3 hints (−15% each): 22%, Again."},
		{0, 3, 0, Again, "You covered 0 of 3 key points (0%): Again."},
		{7, 3, 0, Easy, "You covered 3 of 3 key points (100%): Easy."}, // clamped
		{0, 0, 0, Good, "This question has no key points to check."},
	} {
		g, reason := SuggestGrade(tc.covered, tc.total, tc.hints)
		want := tc.want
		if g != want || reason != tc.reason {
			t.Errorf("SuggestGrade(%d, %d, %d) = %s, %q; want %s, %q", tc.covered, tc.total, tc.hints, g, reason, want, tc.reason)
		}
	}
	if _, r := suggest(2, 3, 0, Chinese); !strings.Contains(r, "要点") || !strings.Contains(r, "良好") {
		t.Errorf("Chinese reason = %q", r)
	}
}

func TestParseRetention(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.9", 0.9, true}, {"90", 0.9, true}, {"90%", 0.9, true}, {" 85 % ", 0.85, true}, {"0.80", 0.8, true},
		{"97", 0.97, true}, {"default", 0, true}, {"", 0, false}, {"Default", 0, true},
		{"0.79", 0, false}, {"98", 0, false}, {"1", 0, false}, {"0", 0, false}, {"-90", 0, false},
		{"ninety", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"0.975", 0, false},
	} {
		got, err := ParseRetention(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseRetention(%q) error code %s; want EINVALID", tc.in, ErrorCode(err))
		}
	}
}

func TestSessionExpired(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		s    Session
		now  time.Time
		want bool
	}{
		{"public, a week after its reveal", Session{OpenedAt: t0, RevealAt: t0.Add(10 * time.Minute)}, t0.Add(SessionKeep + 10*time.Minute), true},
		{"public, a minute short", Session{OpenedAt: t0, RevealAt: t0.Add(10 * time.Minute)}, t0.Add(SessionKeep + 9*time.Minute), false},
		{"private, a week after opening", Session{OpenedAt: t0, Private: true}, t0.Add(SessionKeep), true},
		{"private, a day after opening", Session{OpenedAt: t0, Private: true}, t0.Add(24 * time.Hour), false},
		{"daily, reveal 24 h later", Session{OpenedAt: t0, RevealAt: t0.Add(24 * time.Hour)}, t0.Add(SessionKeep + time.Hour), false},
		{"reveal before opening (clock step) counts from opening", Session{OpenedAt: t0, RevealAt: t0.Add(-time.Hour)}, t0.Add(SessionKeep - time.Minute), false},
	} {
		if got := sessionExpired(tc.s, tc.now); got != tc.want {
			t.Errorf("%s: sessionExpired = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestNextHint(t *testing.T) {
	at, err := nextHint(Attempt{}, false, 3)
	if err != nil || at.Hints != 1 {
		t.Fatalf("first hint: %+v, %v", at, err)
	}
	at, err = nextHint(at, true, 3)
	if err != nil || at.Hints != 2 {
		t.Fatalf("second hint: %+v, %v", at, err)
	}
	if _, err := nextHint(at, true, 3); ErrorCode(err) != ECONFLICT {
		t.Errorf("third hint of three key points = %v; want ECONFLICT (never the whole answer)", err)
	}
	if _, err := nextHint(Attempt{AnsweredAt: time.Now()}, true, 3); ErrorCode(err) != ECONFLICT {
		t.Errorf("hint after answering = %v; want ECONFLICT", err)
	}
	if _, err := nextHint(Attempt{}, false, 1); ErrorCode(err) != ECONFLICT {
		t.Errorf("hint with one key point = %v; want ECONFLICT", err)
	}
}

func TestTopicProgressAndWeakest(t *testing.T) {
	b := bigBank(t, 40, 4) // t0..t3, 10 questions each; q-000i is in topic t(i%4)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	card := func(i int, lastReview time.Duration, stability float64) Card {
		c := Card{QuestionID: fmt.Sprintf("q-%05d", i), Topic: fmt.Sprintf("t%d", i%4), Asked: 1}
		if stability > 0 {
			c.Due, c.LastReview, c.Stability, c.State = now, now.Add(-lastReview), stability, CardReview
		}
		return c
	}
	s := fakeRecall{}
	cards := []Card{
		card(0, 0, 10), card(4, 0, 10), // t0: recall 1
		card(1, 10*24*time.Hour, 10), // t1: recall 0.5
		card(5, 0, 0), card(9, 0, 0), // t1: seen, never graded
		card(2, 0, 0), // t2: seen only
		// t3: nothing
	}
	cards[2].Topic = "" // topic from the bank
	tps := topicProgress(b, sortCards(cards), now, s)
	var got []string
	for _, tp := range tps {
		got = append(got, fmt.Sprintf("%s seen=%d/%d graded=%d recall=%.2f", tp.Topic.Slug, tp.Seen, tp.Total, tp.Graded, tp.Recall))
	}
	want := []string{
		"t1 seen=3/10 graded=1 recall=0.50",
		"t0 seen=2/10 graded=2 recall=1.00",
		"t3 seen=0/10 graded=0 recall=0.00",
		"t2 seen=1/10 graded=0 recall=0.00",
	}
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("topicProgress (-got +want):\n%s", d)
	}
	if w := weakestTopic(b, cards, now, s); w != "t1" {
		t.Errorf("weakestTopic = %s; want t1", w)
	}
	if w := weakestTopic(b, nil, now, s); w != "t0" {
		t.Errorf("weakestTopic with no cards = %s; want the first topic, t0", w)
	}
	if !weakRequest(b, AskRequest{Topic: "weak"}) || !weakRequest(b, AskRequest{Weak: true}) || weakRequest(b, AskRequest{Topic: "t1"}) {
		t.Error("weakRequest misreads the request")
	}
}

// fakeRecall: recall halves every stability's worth of days.
type fakeRecall struct{ SM2 }

func (fakeRecall) Retrievability(c Card, now time.Time) float64 {
	if c.Stability == 0 {
		return 0
	}
	return math.Pow(0.5, now.Sub(c.LastReview).Hours()/24/c.Stability)
}

func sortCards(cs []Card) []Card {
	out := append([]Card(nil), cs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].QuestionID < out[i].QuestionID {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

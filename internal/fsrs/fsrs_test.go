package fsrs

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	gofsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// TestPinnedHistory pins FSRS's output for one fixed history, so a change of library version,
// weights or options shows up as a failing test rather than as members' schedules shifting.
func TestPinnedHistory(t *testing.T) {
	s := New()
	c := quiz.Card{QuestionID: "tcp-handshake"}
	steps := []struct {
		at    time.Time
		grade quiz.Grade
	}{{day(0), quiz.Good}, {day(3), quiz.Good}, {day(14), quiz.Again}, {day(15), quiz.Hard}, {day(20), quiz.Easy}}
	var got []string
	for _, st := range steps {
		c = s.Review(c, st.grade, st.at, quiz.DefaultRetention)
		got = append(got, fmt.Sprintf("%s: S=%.3f D=%.3f state=%d ivl=%dd due=%s", st.grade,
			round(c.Stability), round(c.Difficulty), c.State, c.Interval, c.Due.Format(time.DateOnly)))
	}
	want := []string{ // go-fsrs v3.3.1, default weights, long-term scheduler, no fuzz
		"good: S=3.173 D=5.282 state=2 ivl=3d due=2026-03-04",
		"good: S=10.739 D=5.273 state=2 ivl=11d due=2026-03-15",
		"again: S=2.186 D=6.791 state=2 ivl=2d due=2026-03-17",
		"hard: S=2.659 D=7.293 state=2 ivl=3d due=2026-03-19",
		"easy: S=25.491 D=6.837 state=2 ivl=25d due=2026-04-15",
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("step %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	if c.Reps != 5 || c.Lapses != 1 || !c.LastReview.Equal(day(20)) || c.LastGrade != quiz.Easy {
		t.Errorf("counters after the history: %+v", c)
	}
}

func TestIntervalsGrowWithGradeAndShrinkWithRetention(t *testing.T) {
	s := New()
	c := s.Review(quiz.Card{}, quiz.Good, day(0), quiz.DefaultRetention)
	c = s.Review(c, quiz.Good, day(3), quiz.DefaultRetention)
	iv := s.Intervals(c, day(14), quiz.DefaultRetention)
	if !(iv[quiz.Again] < iv[quiz.Hard] && iv[quiz.Hard] < iv[quiz.Good] && iv[quiz.Good] < iv[quiz.Easy]) {
		t.Fatalf("intervals not ordered by grade: %v", iv)
	}
	for g, d := range iv {
		if d%(24*time.Hour) != 0 || d < 24*time.Hour {
			t.Errorf("%s interval %v is not a whole number of days", g, d)
		}
	}
	strict := s.Intervals(c, day(14), quiz.MaxRetention)
	loose := s.Intervals(c, day(14), quiz.MinRetention)
	if !(strict[quiz.Good] < iv[quiz.Good] && iv[quiz.Good] < loose[quiz.Good]) {
		t.Errorf("Good at 0.97 / 0.90 / 0.80 = %v / %v / %v; want higher retention to mean sooner reviews", strict[quiz.Good], iv[quiz.Good], loose[quiz.Good])
	}
	// Review agrees with the preview.
	if got := s.Review(c, quiz.Good, day(14), quiz.DefaultRetention).Due.Sub(day(14)); got != iv[quiz.Good] {
		t.Errorf("Review's Good interval %v != preview %v", got, iv[quiz.Good])
	}
	// Out-of-range retention is clamped, not trusted.
	if a, b := s.Intervals(c, day(14), 5)[quiz.Good], strict[quiz.Good]; a != b {
		t.Errorf("retention 5 gave %v; want it clamped to 0.97 (%v)", a, b)
	}
}

func TestRetrievability(t *testing.T) {
	s := New()
	if r := s.Retrievability(quiz.Card{}, day(0)); r != 0 {
		t.Fatalf("new card retrievability = %v; want 0", r)
	}
	c := s.Review(quiz.Card{}, quiz.Good, day(0), quiz.DefaultRetention)
	r1, r2 := s.Retrievability(c, day(1)), s.Retrievability(c, day(30))
	if !(r1 > 0.9 && r1 <= 1 && r2 < r1 && r2 > 0) {
		t.Fatalf("retrievability after 1 and 30 days = %v, %v; want it to fall from above 0.9", r1, r2)
	}
	// At the due date recall is about the target retention.
	if r := s.Retrievability(c, c.Due); math.Abs(r-quiz.DefaultRetention) > 0.03 {
		t.Errorf("retrievability at due = %.3f; want about %.2f", r, quiz.DefaultRetention)
	}
}

func TestRetrievabilityMatchesLibrary(t *testing.T) {
	s := New()
	lib := gofsrs.NewFSRS(s.params)
	c := quiz.Card{}
	for i, g := range []quiz.Grade{quiz.Good, quiz.Hard, quiz.Again, quiz.Easy, quiz.Good} {
		c = s.Review(c, g, day(i*4), quiz.DefaultRetention)
		for _, later := range []int{0, 1, 7, 30, 365} {
			now := day(i*4 + later)
			if got, want := s.Retrievability(c, now), lib.GetRetrievability(toFSRS(c), now); math.Abs(got-want) > 1e-12 {
				t.Errorf("step %d +%dd: retrievability %v, go-fsrs says %v", i, later, got, want)
			}
		}
	}
}

// TestConcurrentUse: one Scheduler serves every member at once (go-fsrs alone would race).
func TestConcurrentUse(t *testing.T) {
	s := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c := quiz.Card{}
			for j := range 50 {
				c = s.Review(c, quiz.Grades[(i+j)%4], day(j), quiz.DefaultRetention)
				_ = s.Intervals(c, day(j+1), quiz.DefaultRetention)
			}
		})
	}
	wg.Wait()
}

// BenchmarkReview reports the cost of one review; scheduling happens once per grade click.
func BenchmarkReview(b *testing.B) {
	s := New()
	c := s.Review(quiz.Card{}, quiz.Good, day(0), quiz.DefaultRetention)
	for b.Loop() {
		_ = s.Review(c, quiz.Good, day(5), quiz.DefaultRetention)
	}
}

// BenchmarkRetrievability10k reports what ranking 10,000 cards by recall costs (the weakest-
// topic pick does this), against the 100 µs budget of picking a question.
func BenchmarkRetrievability10k(b *testing.B) {
	s := New()
	cards := make([]quiz.Card, 10000)
	for i := range cards {
		cards[i] = s.Review(quiz.Card{}, quiz.Grades[i%4], day(i%60), quiz.DefaultRetention)
	}
	now := day(90)
	start := time.Now()
	for b.Loop() {
		sum := 0.0
		for _, c := range cards {
			sum += s.Retrievability(c, now)
		}
		_ = sum
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/10k-cards")
}

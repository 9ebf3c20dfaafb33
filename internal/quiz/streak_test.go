package quiz

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStreakRecord(t *testing.T) {
	d := Date(2026, time.March, 1)
	tests := []struct {
		name        string
		days        []Day
		wantCurrent int
		wantBest    int
		wantActive  int
		wantFreezes int
	}{
		{"first answer", []Day{d}, 1, 1, 1, 0},
		{"same day twice counts once", []Day{d, d}, 1, 1, 1, 0},
		{"consecutive days", []Day{d, d + 1, d + 2}, 3, 3, 3, 0},
		{"gap without freeze resets", []Day{d, d + 1, d + 3}, 1, 2, 3, 0},
		{"seven days earn a freeze", []Day{d, d + 1, d + 2, d + 3, d + 4, d + 5, d + 6}, 7, 7, 7, 1},
		{"freeze bridges one missed day and adds nothing", []Day{d, d + 1, d + 2, d + 3, d + 4, d + 5, d + 6, d + 8}, 8, 8, 8, 0},
		{"two missed days with one freeze reset", []Day{d, d + 1, d + 2, d + 3, d + 4, d + 5, d + 6, d + 9}, 1, 7, 8, 0},
		{"an earlier day changes nothing", []Day{d + 5, d}, 1, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Streak
			for _, day := range tt.days {
				s = s.Record(day)
			}
			if s.Current != tt.wantCurrent || s.Best != tt.wantBest || s.DaysActive != tt.wantActive || s.Freezes != tt.wantFreezes {
				t.Errorf("Record(%v) = current %d best %d active %d freezes %d; want %d %d %d %d",
					tt.days, s.Current, s.Best, s.DaysActive, s.Freezes, tt.wantCurrent, tt.wantBest, tt.wantActive, tt.wantFreezes)
			}
		})
	}
}

func TestStreakFreezesCapped(t *testing.T) {
	var s Streak
	d := Date(2026, time.January, 1)
	for i := range 30 {
		s = s.Record(d + Day(i))
	}
	if s.Freezes != MaxFreezes {
		t.Errorf("after 30 days Freezes = %d; want %d", s.Freezes, MaxFreezes)
	}
	if len(s.Log) > maxStreakLog {
		t.Errorf("log has %d events; want at most %d", len(s.Log), maxStreakLog)
	}
}

func TestStreakAt(t *testing.T) {
	d := Date(2026, time.May, 10)
	s := Streak{}.Record(d)
	if st := s.At(d); !st.AnsweredToday || st.Current != 1 || st.Broken {
		t.Errorf("At(same day) = %+v", st)
	}
	if st := s.At(d + 1); st.AnsweredToday || st.Current != 1 || st.Broken {
		t.Errorf("At(next day) = %+v; the streak is alive until the day ends", st)
	}
	if st := s.At(d + 2); !st.Broken || st.Current != 0 {
		t.Errorf("At(two days later) = %+v; want broken", st)
	}
}

// TestStreakAtMissedDays: missed days are covered while freezes last; only more missed days
// than freezes break the streak.
func TestStreakAtMissedDays(t *testing.T) {
	d := Date(2026, time.May, 10)
	for _, c := range []struct {
		freezes, missed int
		broken          bool
	}{
		{0, 0, false}, {0, 1, true},
		{1, 0, false}, {1, 1, false}, {1, 2, true},
		{2, 1, false}, {2, 2, false}, {2, 3, true},
	} {
		s := Streak{Current: 9, Best: 9, LastDay: d, Freezes: c.freezes}
		st := s.At(d + Day(c.missed) + 1)
		want := StreakStatus{Streak: s, Today: d + Day(c.missed) + 1, FreezesNeeded: c.missed, Broken: c.broken}
		if c.broken {
			want.Current = 0
		}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("%d freeze(s), %d day(s) missed: At = %+v; want %+v", c.freezes, c.missed, st, want)
		}
		text := strings.Join(ExplainStreakIn(st, English), "\n")
		if strings.Contains(text, "broken") != c.broken {
			t.Errorf("%d freeze(s), %d day(s) missed: explanation %q; broken should be %v", c.freezes, c.missed, text, c.broken)
		}
	}
}

func TestRecordDoesNotShareLog(t *testing.T) {
	a := Streak{}.Record(Date(2026, 1, 1))
	b := a.Record(Date(2026, 1, 2))
	c := a.Record(Date(2026, 1, 5))
	if b.Log[len(b.Log)-1].Current != 2 || c.Log[len(c.Log)-1].Current != 1 {
		t.Errorf("records from one streak share their log: b=%v c=%v", b.Log, c.Log)
	}
}

func ExampleStreak_Record() {
	var s Streak
	start := Date(2026, time.June, 1)
	for i := range 7 {
		s = s.Record(start + Day(i))
	}
	s = s.Record(start + 8) // June 8 missed: the freeze earned on day 7 covers it
	fmt.Println(s.Current, s.Best, s.Freezes)
	for _, line := range ExplainStreakIn(s.At(start+8), English)[7:] {
		fmt.Println(line)
	}
	// Output:
	// 8 8 0
	// 2026-06-07: 7 days in a row earned a freeze
	// 2026-06-08: missed, a freeze kept the streak at 7
	// 2026-06-09: answered, streak 8
	// Today (2026-06-09): answered, the streak is safe.
}

func TestDayOfDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	// 23:30 local on the day clocks go back is still that day, though 25 hours long.
	at := time.Date(2026, time.November, 1, 23, 30, 0, 0, ny)
	if got, want := DayOf(at, ny).String(), "2026-11-01"; got != want {
		t.Errorf("DayOf(%v) = %s; want %s", at, got, want)
	}
	if got, want := DayOf(at, time.UTC).String(), "2026-11-02"; got != want {
		t.Errorf("DayOf(%v, UTC) = %s; want %s", at, got, want)
	}
}

func TestDayAt(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	lhi, _ := time.LoadLocation("Australia/Lord_Howe")
	santiago, _ := time.LoadLocation("America/Santiago")
	havana, _ := time.LoadLocation("America/Havana")
	tests := []struct {
		name   string
		day    Day
		hh, mm int
		loc    *time.Location
		want   string // UTC
	}{
		{"plain", Date(2026, 6, 1), 9, 0, ny, "2026-06-01T13:00:00Z"},
		{"spring forward gap moves to the gap's end", Date(2026, 3, 8), 2, 30, ny, "2026-03-08T07:00:00Z"},
		{"just before the gap", Date(2026, 3, 8), 1, 59, ny, "2026-03-08T06:59:00Z"},
		{"fall back ambiguous time is the first occurrence", Date(2026, 11, 1), 1, 30, ny, "2026-11-01T05:30:00Z"},
		{"berlin gap", Date(2026, 3, 29), 2, 15, berlin, "2026-03-29T01:00:00Z"},
		{"berlin repeat", Date(2026, 10, 25), 2, 15, berlin, "2026-10-25T00:15:00Z"},
		{"lord howe half-hour gap", Date(2026, 10, 4), 2, 10, lhi, "2026-10-03T15:30:00Z"},
		{"santiago skips midnight", Date(2026, 9, 6), 0, 0, santiago, "2026-09-06T04:00:00Z"},
		{"santiago after the skipped midnight", Date(2026, 9, 6), 0, 30, santiago, "2026-09-06T04:00:00Z"},
		{"havana skips midnight", Date(2026, 3, 8), 0, 0, havana, "2026-03-08T05:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.day.At(tt.hh, tt.mm, tt.loc).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("%s.At(%02d:%02d, %s) = %s; want %s", tt.day, tt.hh, tt.mm, tt.loc, got, tt.want)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	c := Card{QuestionID: "q"}
	c = SM2{}.Review(c, Good, now, 0)
	if c.Interval != 1 || !c.Due.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("first Good: interval %d due %v", c.Interval, c.Due)
	}
	c = SM2{}.Review(c, Good, c.Due, 0)
	if c.Interval != 6 {
		t.Fatalf("second Good: interval %d; want 6", c.Interval)
	}
	c = SM2{}.Review(c, Good, c.Due, 0)
	if c.Interval != 15 { // 6 * 2.5 (ease stays 2.5 on Good)
		t.Fatalf("third Good: interval %d; want 15", c.Interval)
	}
	lapsed := SM2{}.Review(c, Again, c.Due, 0)
	if lapsed.Reps != 0 || lapsed.Lapses != 1 || !lapsed.Due.Equal(c.Due.Add(10*time.Minute)) || lapsed.Ease >= c.Ease {
		t.Fatalf("Again: %+v", lapsed)
	}
	hard := SM2{}.Review(c, Hard, c.Due, 0)
	easy := SM2{}.Review(c, Easy, c.Due, 0)
	if !(hard.Interval < 15*2 && hard.Interval > 15 && easy.Interval > 15*2) {
		t.Fatalf("Hard %d, Easy %d after interval 15", hard.Interval, easy.Interval)
	}
	for range 50 {
		c = SM2{}.Review(c, Hard, c.Due, 0)
	}
	if c.Ease < minEase {
		t.Fatalf("ease %v below the minimum", c.Ease)
	}
}

package quiz_test

import (
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestDayAtRepeatedTimes: a wall time that happens twice is its first occurrence, whatever the
// size of the shift (30 minutes at Lord Howe, 1 hour in most zones, 2 hours at Troll).
func TestDayAtRepeatedTimes(t *testing.T) {
	for _, tc := range []struct {
		zone   string
		day    quiz.Day
		hh, mm int
		want   string // UTC
	}{
		{"Australia/Lord_Howe", quiz.Date(2026, 4, 5), 1, 45, "2026-04-04T14:45:00Z"}, // +11 then +10:30
		{"Antarctica/Troll", quiz.Date(2026, 10, 25), 1, 30, "2026-10-24T23:30:00Z"},  // +02 then +00
		{"Antarctica/Troll", quiz.Date(2026, 10, 25), 2, 30, "2026-10-25T00:30:00Z"},
		{"Europe/London", quiz.Date(2026, 10, 25), 1, 30, "2026-10-25T00:30:00Z"}, // +01 then +00
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Skip("no tzdata:", err)
		}
		if got := tc.day.At(tc.hh, tc.mm, loc).UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("%s.At(%02d:%02d, %s) = %s; want %s (the first occurrence)", tc.day, tc.hh, tc.mm, tc.zone, got, tc.want)
		}
	}
}

// TestDateBefore1970: days before the epoch count down from it (1969-12-31 is -1) and do not
// collapse onto 1970-01-01, which would be the zero Day, "none".
func TestDateBefore1970(t *testing.T) {
	for _, tc := range []struct {
		y    int
		m    time.Month
		d    int
		want quiz.Day
	}{{1970, 1, 2, 1}, {1969, 12, 31, -1}, {1969, 12, 30, -2}, {1900, 1, 1, -25567}} {
		got := quiz.Date(tc.y, tc.m, tc.d)
		if got != tc.want {
			t.Errorf("Date(%d, %d, %d) = %d; want %d", tc.y, tc.m, tc.d, got, tc.want)
		}
		if s := got.String(); s != time.Date(tc.y, tc.m, tc.d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) {
			t.Errorf("Date(%d, %d, %d).String() = %s", tc.y, tc.m, tc.d, s)
		}
	}
}

package quiz

import (
	"fmt"
	"time"
)

// Day is a civil date (no time zone): the number of days since 1970-01-01. The zero Day means
// "none". Days sort and subtract like integers, so streak gaps are plain differences.
type Day int32

// DayOf returns the civil date of t in loc. Midnight in loc starts a new Day, whatever DST does.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Date(y, m, d)
}

// Date returns the Day for a year, month and day.
func Date(y int, m time.Month, d int) Day {
	secs := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Unix()
	days := secs / 86400
	if secs < 0 && secs%86400 != 0 {
		days-- // floor, so days before 1970 do not collapse onto 1970-01-01
	}
	return Day(days)
}

// ParseDay parses "2006-01-02".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("quiz: parse day %q: %w", s, err)
	}
	return Date(t.Date()), nil
}

// Civil returns the day's year, month and day.
func (d Day) Civil() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// String formats the day as "2006-01-02".
func (d Day) String() string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// Weekday returns the day of the week.
func (d Day) Weekday() time.Weekday { return time.Unix(int64(d)*86400, 0).UTC().Weekday() }

// At returns the instant of the wall-clock time hh:mm on day d in loc. A time that does not
// exist that day (skipped when clocks go forward) becomes the first instant after the gap; a
// time that happens twice (clocks going back) is its first occurrence.
func (d Day) At(hh, mm int, loc *time.Location) time.Time {
	y, m, dd := d.Civil()
	t := time.Date(y, m, dd, hh, mm, 0, 0, loc)
	if !sameWall(t, loc, dd, hh, mm) {
		// time.Date resolved a skipped wall time with one of the two offsets; the gap ends at
		// the zone transition next to t. If t reads earlier than asked (possibly the day
		// before, when midnight itself is skipped), the transition is after t.
		start, end := t.ZoneBounds()
		lt := t.In(loc)
		if lday := Date(lt.Date()); lday < d || (lday == d && wall(lt) < hh*60+mm) {
			return end
		}
		return start
	}
	for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if c := t.Add(-back); sameWall(c, loc, dd, hh, mm) {
			t = c
		}
	}
	return t
}

func wall(t time.Time) int {
	h, m, _ := t.Clock()
	return h*60 + m
}

func sameWall(t time.Time, loc *time.Location, day, hh, mm int) bool {
	l := t.In(loc)
	return l.Day() == day && wall(l) == hh*60+mm
}

// MarshalText formats the day as "2006-01-02" ("" for the zero Day), so stored and exported
// JSON is readable.
func (d Day) MarshalText() ([]byte, error) {
	if d == 0 {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses "2006-01-02"; "" is the zero Day.
func (d *Day) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDay(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

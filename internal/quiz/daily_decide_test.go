package quiz

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestNextDailyAction(t *testing.T) {
	day := Date(2026, 3, 2)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	on := Daily{Enabled: true, At: "09:00"}
	paused := Daily{Enabled: true, At: "09:00", Paused: true}
	skipToday := Daily{Enabled: true, At: "09:00", Skip: day}
	grace := 2 * time.Hour
	post := func(s PostState, attempt int) Post { return Post{Day: day, State: s, Attempt: attempt} }
	tests := []struct {
		name  string
		d     Daily
		p     Post
		found bool
		late  time.Duration
		force bool
		want  dailyAction
	}{
		{name: "no record, on time", d: on, want: dailyAction{kind: dailyPost}},
		{name: "no record, within the grace", d: on, late: grace, want: dailyAction{kind: dailyPost}},
		{name: "no record, past the grace", d: on, late: grace + time.Minute,
			want: dailyAction{kind: dailySkip, note: "missed by 2h1m0s, more than the grace period"}},
		{name: "past the grace, forced", d: on, late: grace + time.Minute, force: true, want: dailyAction{kind: dailyPost}},
		{name: "sent", d: on, p: post(PostSent, 0), found: true, want: dailyAction{kind: dailyNothing}},
		{name: "sent, forced", d: on, p: post(PostSent, 0), found: true, force: true, want: dailyAction{kind: dailyNothing}},
		{name: "skipped", d: on, p: post(PostSkipped, 1), found: true, want: dailyAction{kind: dailyNothing}},
		{name: "skipped, forced: a new attempt", d: on, p: post(PostSkipped, 1), found: true, force: true, want: dailyAction{kind: dailyPost, attempt: 2}},
		{name: "failed: a new attempt", d: on, p: post(PostFailed, 0), found: true, want: dailyAction{kind: dailyPost, attempt: 1}},
		{name: "failed while paused", d: paused, p: post(PostFailed, 0), found: true, want: dailyAction{kind: dailyNothing}},
		{name: "claimed: repeat", d: on, p: post(PostClaimed, 3), found: true, want: dailyAction{kind: dailyRepeat}},
		{name: "claimed, past the grace", d: on, p: post(PostClaimed, 0), found: true, late: 3 * time.Hour,
			want: dailyAction{kind: dailySkip, note: "missed by 3h0m0s, more than the grace period"}},
		{name: "paused", d: paused, want: dailyAction{kind: dailyNothing}},
		{name: "paused, forced", d: paused, force: true, want: dailyAction{kind: dailyPost}},
		{name: "off", d: Daily{At: "09:00"}, want: dailyAction{kind: dailyNothing}},
		{name: "skipped by a moderator", d: skipToday, late: 3 * time.Hour, want: dailyAction{kind: dailySkip, note: "skipped by a moderator"}},
		{name: "skipped by a moderator, forced", d: skipToday, force: true, want: dailyAction{kind: dailyPost}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextDailyAction(tt.d, tt.p, tt.found, day, at, at.Add(tt.late), grace, tt.force)
			if got != tt.want {
				t.Errorf("nextDailyAction = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestDailySlots(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	mon := Date(2026, 3, 2) // a Monday
	d := Daily{Enabled: true, At: "09:00"}
	tests := []struct {
		name string
		d    Daily
		loc  *time.Location
		now  time.Time
		want []Day
	}{
		{"before today's time: yesterday only", d, time.UTC, time.Date(2026, 3, 2, 8, 59, 0, 0, time.UTC), []Day{mon - 1}},
		{"at today's time: both", d, time.UTC, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), []Day{mon - 1, mon}},
		{"in the schedule's zone", d, berlin, time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC), []Day{mon - 1, mon}},
		{"weekdays on a Monday: not Sunday", Daily{Enabled: true, At: "09:00", Weekdays: 0b0111110}, time.UTC,
			time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), []Day{mon}},
		{"paused", Daily{Enabled: true, At: "09:00", Paused: true}, time.UTC, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), nil},
		{"off", Daily{At: "09:00"}, time.UTC, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), nil},
		{"unreadable time", Daily{Enabled: true, At: "nine"}, time.UTC, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Day
			for _, s := range dailySlots(tt.d, tt.loc, tt.now) {
				got = append(got, s.day)
				if want := s.day.At(9, 0, tt.loc); !s.at.Equal(want) {
					t.Errorf("slot %s at %v; want %v", s.day, s.at, want)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("dailySlots = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestNeedsPost(t *testing.T) {
	setAt := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		p     Post
		found bool
		at    time.Time
		want  bool
	}{
		{"no record, due after setup", Post{}, false, setAt, true},
		{"no record, due before setup", Post{}, false, setAt.Add(-time.Minute), false},
		{"claimed", Post{State: PostClaimed}, true, setAt.Add(-time.Hour), true},
		{"failed", Post{State: PostFailed}, true, setAt, true},
		{"sent", Post{State: PostSent}, true, setAt, false},
		{"skipped", Post{State: PostSkipped}, true, setAt, false},
	}
	for _, tt := range tests {
		if got := needsPost(tt.p, tt.found, tt.at, setAt); got != tt.want {
			t.Errorf("%s: needsPost = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestAfterDaily(t *testing.T) {
	claimed := Post{State: PostClaimed, Nonce: "n1"}
	transient := errors.New("503")
	tests := []struct {
		name string
		p    Post
		perr error
		want dailyRecord
	}{
		{"sent", claimed, nil, dailySent},
		{"gone channel pauses", claimed, Errorf(ENOTFOUND, "Unknown Channel"), dailyFailed},
		{"no access pauses", claimed, Errorf(EFORBIDDEN, "Missing Access"), dailyFailed},
		{"transient keeps the claim", claimed, transient, dailySettled},
		{"settled by another run", Post{State: PostSent, Nonce: "n1"}, nil, dailySettled},
		{"claimed again by another run", Post{State: PostClaimed, Nonce: "n2"}, nil, dailySettled},
	}
	for _, tt := range tests {
		if got := afterDaily(tt.p, "n1", tt.perr); got != tt.want {
			t.Errorf("%s: afterDaily = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestDailyNonceAttempts(t *testing.T) {
	day := Date(2026, 3, 2)
	a, b := dailyNonce(1, day, 0), dailyNonce(1, day, 1)
	if a == b || a != dailyNonce(1, day, 0) || len(a) > 25 {
		t.Errorf("dailyNonce: %q, %q; want stable, distinct per attempt, at most 25 characters", a, b)
	}
}

func TestChooseDaily(t *testing.T) {
	q := func(id string) Question { return Question{ID: id} }
	cands := []Question{q("a"), q("b"), q("c"), q("d")}
	first := func(int) int { return 0 }
	tests := []struct {
		name  string
		posts []Post
		want  string
	}{
		{"nothing posted", nil, "a"},
		{"the unused first", []Post{{QuestionID: "a"}, {QuestionID: "b"}}, "c"},
		{"a skipped post does not use its question", []Post{{QuestionID: "a", State: PostSkipped}}, "a"},
		{"all used: the one posted longest ago", []Post{{QuestionID: "c"}, {QuestionID: "a"}, {QuestionID: "d"}, {QuestionID: "b"}}, "c"},
	}
	for _, tt := range tests {
		if got := chooseDaily(cands, tt.posts, first); got.ID != tt.want {
			t.Errorf("%s: chooseDaily = %s; want %s", tt.name, got.ID, tt.want)
		}
	}
	// A new cycle draws from the older half, so it never repeats the previous post.
	posts := []Post{{QuestionID: "c"}, {QuestionID: "a"}, {QuestionID: "d"}, {QuestionID: "b"}}
	if got := chooseDaily(cands, posts, func(n int) int { return n - 1 }); got.ID != "a" {
		t.Errorf("chooseDaily's last choice in a new cycle = %s; want a (b and d are the newer half)", got.ID)
	}
}

func TestDailyRevealAt(t *testing.T) {
	day := Date(2026, 3, 2)
	at := day.At(9, 0, time.UTC)
	tests := []struct {
		after time.Duration
		want  time.Time
	}{
		{0, at.Add(DefaultDailyRevealAfter)},
		{time.Hour, at.Add(time.Hour)},
		{24 * time.Hour, at.Add(24*time.Hour - time.Minute)}, // a minute before the next post
	}
	for _, tt := range tests {
		if got := dailyRevealAt(Daily{At: "09:00", RevealAfter: tt.after}, time.UTC, at, day); !got.Equal(tt.want) {
			t.Errorf("dailyRevealAt(reveal_after %v) = %v; want %v", tt.after, got, tt.want)
		}
	}
}

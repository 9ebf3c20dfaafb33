package quiz_test

import (
	"slices"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Fast, store-light unit tests of the rules: who may moderate, what /daily setup accepts, and
// when the next daily post is due. They are what kills mutants under .ci/mutate, which runs the
// package's tests with -short (without the year-long TestDailyExactlyOnceAcrossAYear).

// TestModeratorRights: Manage Server (Manager) always moderates; otherwise only a member
// holding the server's moderator role does. Only a Manager may choose that role, and the role
// is per server.
func TestModeratorRights(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	const role quiz.RoleID = 555
	manager := quiz.Actor{Guild: 10, User: 1, Manager: true}
	withRole := quiz.Actor{Guild: 10, User: 2, Roles: []quiz.RoleID{7, role}}
	otherRole := quiz.Actor{Guild: 10, User: 3, Roles: []quiz.RoleID{7, 8}}
	plain := quiz.Actor{Guild: 10, User: 4}
	elsewhere := quiz.Actor{Guild: 11, User: 2, Roles: []quiz.RoleID{role}}

	check := func(when string, a quiz.Actor, want string) {
		t.Helper()
		if got := quiz.ErrorCode(e.app.Moderation.CheckModerator(ctx, a)); got != want && !(want == "" && got == "") {
			t.Errorf("%s: CheckModerator(user %d, roles %v, manager %v) = %q; want %q", when, a.User, a.Roles, a.Manager, got, want)
		}
	}
	ok := ""
	check("before any role", manager, ok)
	check("before any role", withRole, quiz.EFORBIDDEN)
	check("before any role", plain, quiz.EFORBIDDEN)
	check("in a DM", quiz.Actor{User: 1, Manager: true}, quiz.EINVALID)

	if err := e.app.Moderation.SetModeratorRole(ctx, withRole, role); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Fatalf("a member without Manage Server set the moderator role: %v", err)
	}
	if err := e.app.Moderation.SetModeratorRole(ctx, manager, role); err != nil {
		t.Fatal(err)
	}
	check("with the role set", manager, ok)
	check("with the role set", withRole, ok)
	check("with the role set", otherRole, quiz.EFORBIDDEN)
	check("with the role set", plain, quiz.EFORBIDDEN)
	check("the role in another server", elsewhere, quiz.EFORBIDDEN)

	// A role moderator may use the moderator commands, not only pass the check.
	if _, err := e.app.Daily.Setup(ctx, withRole, quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "UTC"}); err != nil {
		t.Errorf("SetupDaily by a role moderator: %v", err)
	}
	if _, err := e.app.Daily.Setup(ctx, otherRole, quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "UTC"}); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("SetupDaily by a member without the role = %v; want forbidden", err)
	}
	if _, err := e.app.Daily.Pause(ctx, plain, true); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("PauseDaily by a member = %v; want forbidden", err)
	}
	if _, err := e.app.Daily.PostNow(ctx, otherRole); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("PostDailyNow by a member = %v; want forbidden", err)
	}

	// Clearing the role (0) leaves only Manage Server.
	if err := e.app.Moderation.SetModeratorRole(ctx, manager, 0); err != nil {
		t.Fatal(err)
	}
	check("after clearing the role", withRole, quiz.EFORBIDDEN)
	check("after clearing the role", manager, ok)
}

func TestParseWeekdaysRules(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint8
	}{
		{"", 0}, {"every day", 0}, {"Daily", 0},
		{"weekdays", 0b0111110}, {"weekends", 0b1000001},
		{"sun", 0b0000001}, {"sat", 0b1000000},
		{"mon,wed,fri", 0b0101010}, {"Mon Wed; Fri", 0b0101010}, {"monday,tuesday", 0b0000110},
		{"sun,mon,tue,wed,thu,fri,sat", 0}, // all seven is every day
	} {
		got, err := quiz.ParseWeekdays(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseWeekdays(%q) = %07b, %v; want %07b", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"mo", "xyz", "mon,funday", "s"} {
		if _, err := quiz.ParseWeekdays(in); quiz.ErrorCode(err) != quiz.EINVALID {
			t.Errorf("ParseWeekdays(%q) = %v; want invalid", in, err)
		}
	}
	for bits, want := range map[uint8]string{0: "every day", 0b0111110: "weekdays", 0b1000001: "weekends",
		0b0101010: "Mon, Wed, Fri", 0b0000001: "Sun", 0b1000000: "Sat"} {
		if got := quiz.WeekdayNames(bits); got != want {
			t.Errorf("WeekdayNames(%07b) = %q; want %q", bits, got, want)
		}
	}
}

// TestSetupDailyValidates: the bounds of reveal_after, the channel, topics (case, separators,
// duplicates, unknown ones) and the server's zone defaulting to the schedule's.
func TestSetupDailyValidates(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp", "http"))
	req := func(mut func(*quiz.DailyRequest)) quiz.DailyRequest {
		r := quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "Europe/Paris"}
		mut(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		r    quiz.DailyRequest
		want string
	}{
		{"reveal_after 0 is the default", req(func(r *quiz.DailyRequest) { r.RevealAfter = 0 }), ""},
		{"reveal_after 24 h", req(func(r *quiz.DailyRequest) { r.RevealAfter = 24 * time.Hour }), ""},
		{"reveal_after over 24 h", req(func(r *quiz.DailyRequest) { r.RevealAfter = 24*time.Hour + time.Minute }), quiz.EINVALID},
		{"reveal_after negative", req(func(r *quiz.DailyRequest) { r.RevealAfter = -time.Minute }), quiz.EINVALID},
		{"no channel", req(func(r *quiz.DailyRequest) { r.Channel = 0 }), quiz.EINVALID},
		{"bad time", req(func(r *quiz.DailyRequest) { r.At = "25:00" }), quiz.EINVALID},
		{"bad zone", req(func(r *quiz.DailyRequest) { r.TZ = "Mars/Olympus" }), quiz.EINVALID},
		{"bad days", req(func(r *quiz.DailyRequest) { r.Days = "someday" }), quiz.EINVALID},
		{"unknown topic", req(func(r *quiz.DailyRequest) { r.Topics = "tcp,nope" }), quiz.ENOTFOUND},
	} {
		_, err := e.app.Daily.Setup(ctx, mod, tc.r)
		if got := quiz.ErrorCode(err); err == nil && tc.want != "" || err != nil && got != tc.want {
			t.Errorf("%s: SetupDaily = %v; want code %q", tc.name, err, tc.want)
		}
	}
	d, err := e.app.Daily.Setup(ctx, mod, req(func(r *quiz.DailyRequest) { r.Topics = "TCP, http,tcp"; r.At = "7:05pm" }))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Topics, []string{"tcp", "http"}) || d.At != "19:05" || d.TZ != "Europe/Paris" {
		t.Errorf("SetupDaily = topics %q at %q tz %q; want [tcp http] at 19:05 in Europe/Paris", d.Topics, d.At, d.TZ)
	}
	// The server had no zone: it takes the schedule's; a later schedule does not change it.
	if _, err := e.app.Daily.Setup(ctx, mod, req(func(r *quiz.DailyRequest) { r.TZ = "Asia/Tokyo" })); err != nil {
		t.Fatal(err)
	}
	var g quiz.Guild
	_ = e.store.View(ctx, func(tx quiz.Tx) error { g, _, err = tx.Guild(10); return err })
	if g.TZ != "Europe/Paris" || g.Daily.TZ != "Asia/Tokyo" {
		t.Errorf("guild zone %q, daily zone %q; want Europe/Paris kept, Asia/Tokyo for the schedule", g.TZ, g.Daily.TZ)
	}
}

// TestSetupDailyLanguage: the daily post speaks the moderator's language: their own setting if
// they set one, else their client's locale.
func TestSetupDailyLanguage(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	zhClient := quiz.Actor{Guild: 10, User: 5, Manager: true, Locale: "zh-CN"}
	d, err := e.app.Daily.Setup(ctx, zhClient, quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "UTC"})
	if err != nil || d.Lang != quiz.Chinese {
		t.Fatalf("SetupDaily from a zh-CN client: lang %q, %v; want zh", d.Lang, err)
	}
	if _, err := e.app.Members.SetLanguage(ctx, zhClient, "en"); err != nil {
		t.Fatal(err)
	}
	d, err = e.app.Daily.Setup(ctx, zhClient, quiz.DailyRequest{Channel: 77, At: "09:00", TZ: "UTC"})
	if err != nil || d.Lang != quiz.English {
		t.Errorf("SetupDaily by a zh-CN client who chose English: lang %q, %v; want en", d.Lang, err)
	}
}

// TestShowDailyNext: the next post is today's if its time is still ahead (or now), else the
// next day the schedule posts on, skipping a skipped day and days already posted.
func TestShowDailyNext(t *testing.T) {
	e := newEnv(t, testBank(t, 5, "tcp"))
	// Monday 2026-03-02, 12:00 UTC.
	setup := func(at, days string) {
		t.Helper()
		if _, err := e.app.Daily.Setup(ctx, mod, quiz.DailyRequest{Channel: 77, At: at, TZ: "UTC", Days: days}); err != nil {
			t.Fatal(err)
		}
	}
	next := func() time.Time {
		t.Helper()
		st, err := e.app.Daily.Show(ctx, mod)
		if err != nil {
			t.Fatal(err)
		}
		return st.Next
	}
	utc := func(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, time.UTC) }

	if _, err := e.app.Daily.Show(ctx, mod); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("ShowDaily before setup = %v; want not found", err)
	}
	setup("13:00", "")
	if got := next(); !got.Equal(utc(2, 13, 0)) {
		t.Errorf("at 12:00 for 13:00: next = %v; want today 13:00", got)
	}
	setup("12:00", "")
	if got := next(); !got.Equal(utc(2, 12, 0)) {
		t.Errorf("at 12:00 for 12:00: next = %v; want now", got)
	}
	setup("11:59", "")
	if got := next(); !got.Equal(utc(3, 11, 59)) {
		t.Errorf("at 12:00 for 11:59: next = %v; want tomorrow", got)
	}
	setup("13:00", "fri")
	if got := next(); !got.Equal(utc(6, 13, 0)) {
		t.Errorf("Fridays only, on a Monday: next = %v; want Friday", got)
	}
	setup("13:00", "")
	day, err := e.app.Daily.Skip(ctx, mod)
	if err != nil {
		t.Fatal(err)
	}
	if got := next(); day != quiz.DayOf(utc(2, 0, 0), time.UTC) || !got.Equal(utc(3, 13, 0)) {
		t.Errorf("after skipping %s: next = %v; want tomorrow", day, got)
	}
	if _, err := e.app.Daily.Pause(ctx, mod, true); err != nil {
		t.Fatal(err)
	}
	if got := next(); !got.IsZero() {
		t.Errorf("paused: next = %v; want none", got)
	}
}

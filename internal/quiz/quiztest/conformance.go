package quiztest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestStore is the conformance suite for quiz.Store implementations. newStore must return a
// new, empty store for every call; it runs once per subtest, and should register its own
// cleanup (closing, consistency checks) with t.Cleanup.
//
// Beyond the quiz.Store and quiz.Tx doc comments, the suite pins down these behaviours, which
// both MemStore and boltstore.Store have:
//
//   - Times survive as instants: compare with time.Time.Equal (cmp does), not ==. Due.At is
//     kept to the millisecond (truncated); PutDue rejects times before 1970, including the zero
//     time.
//   - nil and empty slices are interchangeable (cmpopts.EquateEmpty).
//   - Empty keys are rejected: a Card or OverlayEntry without QuestionID, a TopicOverlay
//     without Slug, a HistoryEntry without QuestionID (or with a NUL in it, or a Version
//     outside 0..2³²-1). A Post's Day must lie in years 1-9999.
//   - AddHistory with the QuestionID and Version of an existing entry replaces it.
//   - DueUntil with max <= 0 returns nothing. Deleting something absent is not an error.
//   - Members and Guilds may be called with a fn that writes through the same tx; every
//     entry present when iteration started (and not deleted since) is visited exactly once.
//   - Every write method fails inside View.
//   - Sequences: a rolled-back Update may or may not advance them; the suite only requires
//     ids to stay unique and increasing among committed transactions, and logs which it saw.
//   - A Mock needs a non-zero ID and a CreatedAt from 1970 on (it keys the member index); an
//     Award's Month must be "YYYY-MM"; a Recap's Week must lie in years 1-9999.
//   - DeleteMember deletes the mocks the member was the candidate of and sets Interviewer to 0
//     in those they interviewed.
func TestStore(t *testing.T, newStore func(t *testing.T) quiz.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s quiz.Store)
	}{
		{"Guild", testGuild},
		{"Guilds", testGuilds},
		{"Member", testMember},
		{"Members", testMembers},
		{"MembersWriteWhileIterating", testMembersWrite},
		{"Card", testCard},
		{"Cards", testCards},
		{"Attempt", testAttempt},
		{"Attempts", testAttempts},
		{"DeleteMember", testDeleteMember},
		{"Session", testSession},
		{"NextSessionID", testNextSessionID},
		{"ReserveSessionIDs", testReserveSessionIDs},
		{"Due", testDue},
		{"DueLimitAndPrecision", testDueLimit},
		{"DuePerGuild", testDuePerGuild},
		{"Post", testPost},
		{"Overlay", testOverlay},
		{"OverlayTopics", testOverlayTopics},
		{"History", testHistory},
		{"OverlayQuestion", testOverlayQuestion},
		{"TrimHistory", testTrimHistory},
		{"Report", testReport},
		{"NextReportID", testNextReportID},
		{"InvalidInput", testInvalidInput},
		{"RollbackOnError", testRollbackOnError},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ReadYourWrites", testReadYourWrites},
		{"Isolation", testIsolation},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"CopySafety", testCopySafety},
		{"BatchConcurrent", testBatchConcurrent},
		{"CancelledContext", testCancelledContext},
		{"SessionsScanAndDelete", testSessionsScan},
		{"Mock", testMock},
		{"MemberMocks", testMemberMocks},
		{"DeleteMemberMocks", testDeleteMemberMocks},
		{"AwardAndRecap", testAwardRecap},
		{"CopySafetyV2", testCopySafetyV2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// Fixtures. Every field is set; times carry nanoseconds and, in places, a non-UTC zone.

var (
	t0     = time.Date(2025, 3, 30, 9, 15, 0, 123456789, time.UTC)
	zone8  = time.FixedZone("UTC+8", 8*3600)
	errBad = errors.New("quiztest: deliberate failure")
)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func fullGuild(id quiz.GuildID) quiz.Guild {
	return quiz.Guild{
		ID:          id,
		TZ:          "Europe/Berlin",
		ModRoles:    []quiz.RoleID{7, 1 << 60},
		RevealAfter: 90 * time.Minute,
		BankRev:     12,
		Daily: quiz.Daily{
			Enabled:     true,
			Channel:     1234567890123456789,
			At:          "09:00",
			TZ:          "Asia/Shanghai",
			Topics:      []string{"tcp", "redis"},
			Weekdays:    0b0111110,
			RevealAfter: 24 * time.Hour,
			Role:        42,
			Paused:      true,
			PauseReason: "missing permission",
			Skip:        quiz.Date(2025, 12, 25),
			SetBy:       99,
			SetAt:       at(1).In(zone8),
			Lang:        quiz.Chinese,
		},
		ChampionRole: 1 << 61,
		Recap:        true,
	}
}

func fullMember(g quiz.GuildID, u quiz.UserID) quiz.Member {
	return quiz.Member{
		Guild: g,
		User:  u,
		Name:  fmt.Sprintf("user %d 用户", u),
		Lang:  quiz.English,
		TZ:    "America/New_York",
		Streak: quiz.Streak{
			Current: 3, Best: 9, DaysActive: 40, LastDay: quiz.Date(2025, 3, 29), Freezes: 1,
			Log: []quiz.StreakEvent{
				{Day: quiz.Date(2025, 3, 27), Kind: quiz.EventAnswered, Current: 1},
				{Day: quiz.Date(2025, 3, 28), Kind: quiz.EventFreezeUsed, Current: 2},
			},
		},
		Answered:     40,
		Month:        "2025-03",
		MonthAnswers: 11,
		LastQuestion: "tcp-handshake",
		LastSeen:     at(2).In(zone8),
		Retention:    0.85,
	}
}

func fullCard(id string) quiz.Card {
	return quiz.Card{
		QuestionID: id,
		Asked:      5,
		LastAsked:  at(3),
		Reps:       2,
		Lapses:     1,
		Ease:       2.36,
		Interval:   6,
		Due:        at(6 * 24 * 60),
		LastGrade:  quiz.Hard,
		Topic:      "tcp",
		Stability:  6.25,
		Difficulty: 6.5,
		State:      quiz.CardRelearning,
		LastReview: at(6),
	}
}

func fullAttempt(g quiz.GuildID, u quiz.UserID, s quiz.SessionID) quiz.Attempt {
	return quiz.Attempt{
		Guild:      g,
		User:       u,
		Session:    s,
		QuestionID: fmt.Sprintf("q-%d", s),
		Text:       "SYN, SYN-ACK, ACK.\n三次握手",
		AnsweredAt: at(4),
		RevealedAt: at(5),
		Grade:      quiz.Good,
		GradedAt:   at(6).In(zone8),
		Hints:      2,
		Covered:    []int{0, 2},
		Suggested:  quiz.Hard,
		Mock:       1 << 40,
	}
}

func fullSession(g quiz.GuildID, id quiz.SessionID) quiz.Session {
	return quiz.Session{
		Guild:         g,
		ID:            id,
		QuestionID:    "tcp-handshake",
		Topic:         "tcp",
		Channel:       555,
		Message:       666,
		OpenedBy:      777,
		OpenedAt:      at(7),
		RevealAt:      at(67),
		Private:       true,
		Daily:         quiz.Date(2025, 3, 30),
		Lang:          quiz.Chinese,
		State:         quiz.SessionRevealed,
		Answers:       3,
		RevealMessage: 888,
	}
}

func fullPost(g quiz.GuildID, d quiz.Day) quiz.Post {
	return quiz.Post{
		Guild:      g,
		Day:        d,
		QuestionID: "redis-persistence",
		Session:    17,
		Nonce:      "daily:1:" + d.String(),
		Message:    999,
		State:      quiz.PostSent,
		ClaimedAt:  at(8),
		SentAt:     at(9),
		Note:       "retried once",
	}
}

func fullQuestion(id string) quiz.Question {
	return quiz.Question{
		ID:     id,
		Topic:  "tcp",
		Level:  quiz.Mid,
		Tags:   []string{"tcp", "handshake"},
		Prompt: quiz.Text{EN: "How does a TCP connection open?", ZH: "TCP 连接如何建立？"},
		Answer: quiz.Text{EN: "Three-way handshake.", ZH: "三次握手。"},
		KeyPoints: quiz.TextList{
			EN: []string{"SYN", "SYN-ACK", "ACK"},
			ZH: []string{"SYN", "SYN-ACK", "ACK"},
		},
		FollowUps: quiz.TextList{EN: []string{"Why not two?"}, ZH: []string{"为什么不是两次？"}},
	}
}

func fullOverlay(id string) quiz.OverlayEntry {
	q := fullQuestion(id)
	return quiz.OverlayEntry{
		QuestionID: id,
		Question:   &q,
		Added:      true,
		Disabled:   true,
		Version:    3,
		UpdatedBy:  31,
		UpdatedAt:  at(10),
	}
}

func fullTopic(slug string) quiz.TopicOverlay {
	return quiz.TopicOverlay{
		Slug:     slug,
		Title:    &quiz.Text{EN: "Title " + slug, ZH: "标题 " + slug},
		Added:    true,
		Disabled: true,
	}
}

func fullHistory(id string, v int) quiz.HistoryEntry {
	q := fullQuestion(id)
	return quiz.HistoryEntry{
		QuestionID: id,
		Version:    v,
		Action:     "edit",
		By:         32,
		At:         at(11 + v),
		Previous:   &q,
	}
}

func fullReport(id quiz.ReportID) quiz.Report {
	return quiz.Report{
		ID:         id,
		QuestionID: "tcp-handshake",
		By:         33,
		Reason:     "the answer is wrong",
		At:         at(12),
		Resolved:   true,
		ResolvedBy: 34,
		ResolvedAt: at(13),
		Resolution: "fixed",
	}
}

// Helpers.

func diff(got, want any) string { return cmp.Diff(got, want, cmpopts.EquateEmpty()) }

func update(t *testing.T, s quiz.Store, fn func(tx quiz.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s quiz.Store, fn func(tx quiz.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// get checks a getter's result: found must match want, or not found if want is nil.
func get[T any](t *testing.T, what string, got T, ok bool, err error, want *T) {
	t.Helper()
	switch {
	case err != nil:
		t.Fatalf("%s: unexpected error %v", what, err)
	case want == nil && ok:
		t.Errorf("%s = %+v, true; want not found", what, got)
	case want != nil && !ok:
		t.Errorf("%s: not found; want %+v", what, *want)
	case want != nil:
		if d := diff(got, *want); d != "" {
			t.Errorf("%s mismatch (-got +want):\n%s", what, d)
		}
	}
}

func list[T any](t *testing.T, what string, got []T, err error, want []T) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error %v", what, err)
	}
	if d := diff(got, want); d != "" {
		t.Errorf("%s mismatch (-got +want):\n%s", what, d)
	}
}

func ptr[T any](v T) *T { return &v }

func collectGuilds(tx quiz.Tx, limit int) ([]quiz.Guild, error) {
	var out []quiz.Guild
	err := tx.Guilds(func(g quiz.Guild) bool {
		out = append(out, g)
		return len(out) < limit
	})
	return out, err
}

func collectMembers(tx quiz.Tx, g quiz.GuildID, limit int) ([]quiz.Member, error) {
	var out []quiz.Member
	err := tx.Members(g, func(m quiz.Member) bool {
		out = append(out, m)
		return len(out) < limit
	})
	return out, err
}

// Ids chosen so that byte order and numeric order differ in every byte position that a naive
// encoding (little-endian, decimal strings) would get wrong.
var (
	orderedGuilds   = []quiz.GuildID{1, 2, 256, 1 << 40, 1<<63 + 5}
	orderedUsers    = []quiz.UserID{1, 2, 10, 256, 1 << 56}
	orderedSessions = []quiz.SessionID{1, 2, 10, 255, 256, 65536, 1 << 48}
)

// Subtests.

func testGuild(t *testing.T, s quiz.Store) {
	view(t, s, func(tx quiz.Tx) error {
		g, ok, err := tx.Guild(1)
		get(t, "Guild(1) in an empty store", g, ok, err, nil)
		return nil
	})
	want := fullGuild(1)
	update(t, s, func(tx quiz.Tx) error { return tx.PutGuild(want) })
	view(t, s, func(tx quiz.Tx) error {
		g, ok, err := tx.Guild(1)
		get(t, "Guild(1)", g, ok, err, &want)
		g, ok, err = tx.Guild(2)
		get(t, "Guild(2)", g, ok, err, nil)
		return nil
	})
	// Put replaces the whole record; a zero field stays zero.
	want2 := quiz.Guild{ID: 1, TZ: "UTC"}
	update(t, s, func(tx quiz.Tx) error { return tx.PutGuild(want2) })
	view(t, s, func(tx quiz.Tx) error {
		g, ok, err := tx.Guild(1)
		get(t, "Guild(1) after replacing", g, ok, err, &want2)
		return nil
	})
}

func testGuilds(t *testing.T, s quiz.Store) {
	view(t, s, func(tx quiz.Tx) error {
		gs, err := collectGuilds(tx, 100)
		list(t, "Guilds in an empty store", gs, err, nil)
		return nil
	})
	var want []quiz.Guild
	for _, id := range orderedGuilds {
		want = append(want, fullGuild(id))
	}
	update(t, s, func(tx quiz.Tx) error {
		for i := len(want) - 1; i >= 0; i-- { // reverse order on purpose
			if err := tx.PutGuild(want[i]); err != nil {
				return err
			}
		}
		// A guild with a member but no configuration is not listed.
		return tx.PutMember(fullMember(3, 1))
	})
	view(t, s, func(tx quiz.Tx) error {
		gs, err := collectGuilds(tx, 100)
		list(t, "Guilds", gs, err, want)
		gs, err = collectGuilds(tx, 2)
		list(t, "Guilds stopped after 2", gs, err, want[:2])
		return nil
	})
}

func testMember(t *testing.T, s quiz.Store) {
	want := fullMember(1, 10)
	update(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(1, 10)
		get(t, "Member(1, 10) before Put", m, ok, err, nil)
		return tx.PutMember(want)
	})
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(1, 10)
		get(t, "Member(1, 10)", m, ok, err, &want)
		m, ok, err = tx.Member(1, 11)
		get(t, "Member(1, 11)", m, ok, err, nil)
		m, ok, err = tx.Member(2, 10)
		get(t, "Member(2, 10)", m, ok, err, nil)
		return nil
	})
	want.Streak = quiz.Streak{}
	want.Name = ""
	update(t, s, func(tx quiz.Tx) error { return tx.PutMember(want) })
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(1, 10)
		get(t, "Member(1, 10) after replacing", m, ok, err, &want)
		return nil
	})
}

func testMembers(t *testing.T, s quiz.Store) {
	var want []quiz.Member
	for _, u := range orderedUsers {
		want = append(want, fullMember(1, u))
	}
	update(t, s, func(tx quiz.Tx) error {
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.PutMember(want[i]); err != nil {
				return err
			}
		}
		// Neighbouring guilds must not leak in.
		if err := tx.PutMember(fullMember(0, 5)); err != nil {
			return err
		}
		return tx.PutMember(fullMember(2, 5))
	})
	view(t, s, func(tx quiz.Tx) error {
		ms, err := collectMembers(tx, 1, 100)
		list(t, "Members(1)", ms, err, want)
		ms, err = collectMembers(tx, 1, 3)
		list(t, "Members(1) stopped after 3", ms, err, want[:3])
		ms, err = collectMembers(tx, 3, 100)
		list(t, "Members(3)", ms, err, nil)
		return nil
	})
}

func testMembersWrite(t *testing.T, s quiz.Store) {
	update(t, s, func(tx quiz.Tx) error {
		for _, u := range orderedUsers {
			if err := tx.PutMember(quiz.Member{Guild: 1, User: u, Answered: 1}); err != nil {
				return err
			}
		}
		return nil
	})
	var visited []quiz.UserID
	update(t, s, func(tx quiz.Tx) error {
		var werr error
		err := tx.Members(1, func(m quiz.Member) bool {
			visited = append(visited, m.User)
			m.Answered++
			m.MonthAnswers = 0
			werr = tx.PutMember(m)
			return werr == nil
		})
		return errors.Join(err, werr)
	})
	if d := diff(visited, orderedUsers); d != "" {
		t.Errorf("Members visited (-got +want):\n%s", d)
	}
	view(t, s, func(tx quiz.Tx) error {
		for _, u := range orderedUsers {
			m, ok, err := tx.Member(1, u)
			get(t, fmt.Sprintf("Member(1, %d)", u), m, ok, err, &quiz.Member{Guild: 1, User: u, Answered: 2})
		}
		return nil
	})
}

func testCard(t *testing.T, s quiz.Store) {
	want := fullCard("tcp-handshake")
	update(t, s, func(tx quiz.Tx) error {
		c, ok, err := tx.Card(1, 10, want.QuestionID)
		get(t, "Card before Put", c, ok, err, nil)
		return tx.PutCard(1, 10, want)
	})
	view(t, s, func(tx quiz.Tx) error {
		c, ok, err := tx.Card(1, 10, want.QuestionID)
		get(t, "Card(1, 10, tcp-handshake)", c, ok, err, &want)
		c, ok, err = tx.Card(1, 11, want.QuestionID)
		get(t, "Card(1, 11, tcp-handshake)", c, ok, err, nil)
		c, ok, err = tx.Card(2, 10, want.QuestionID)
		get(t, "Card(2, 10, tcp-handshake)", c, ok, err, nil)
		c, ok, err = tx.Card(1, 10, "tcp")
		get(t, "Card(1, 10, tcp)", c, ok, err, nil)
		return nil
	})
	// A never-graded card: zero times, zero ease.
	zero := quiz.Card{QuestionID: want.QuestionID, Asked: 1}
	update(t, s, func(tx quiz.Tx) error { return tx.PutCard(1, 10, zero) })
	view(t, s, func(tx quiz.Tx) error {
		c, ok, err := tx.Card(1, 10, want.QuestionID)
		get(t, "Card after replacing", c, ok, err, &zero)
		if ok && (!c.Due.IsZero() || !c.LastAsked.IsZero()) {
			t.Errorf("Card after replacing: Due=%v LastAsked=%v; want zero times", c.Due, c.LastAsked)
		}
		return nil
	})
}

func testCards(t *testing.T, s quiz.Store) {
	ids := []string{"a", "a-1", "a1", "b", "tcp", "tcp-handshake", "z"}
	var want []quiz.Card
	for i, id := range ids {
		c := fullCard(id)
		c.Asked = i
		want = append(want, c)
	}
	update(t, s, func(tx quiz.Tx) error {
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.PutCard(1, 10, want[i]); err != nil {
				return err
			}
		}
		for _, u := range []quiz.UserID{9, 11, 10 + 256} {
			if err := tx.PutCard(1, u, fullCard("other")); err != nil {
				return err
			}
		}
		return tx.PutCard(2, 10, fullCard("other"))
	})
	view(t, s, func(tx quiz.Tx) error {
		cs, err := tx.Cards(1, 10)
		list(t, "Cards(1, 10)", cs, err, want)
		cs, err = tx.Cards(1, 12)
		list(t, "Cards(1, 12)", cs, err, nil)
		cs, err = tx.Cards(3, 10)
		list(t, "Cards(3, 10)", cs, err, nil)
		return nil
	})
}

func testAttempt(t *testing.T, s quiz.Store) {
	want := fullAttempt(1, 10, 5)
	update(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Attempt(1, 10, 5)
		get(t, "Attempt before Put", a, ok, err, nil)
		return tx.PutAttempt(want)
	})
	view(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Attempt(1, 10, 5)
		get(t, "Attempt(1, 10, 5)", a, ok, err, &want)
		a, ok, err = tx.Attempt(1, 10, 6)
		get(t, "Attempt(1, 10, 6)", a, ok, err, nil)
		a, ok, err = tx.Attempt(1, 11, 5)
		get(t, "Attempt(1, 11, 5)", a, ok, err, nil)
		a, ok, err = tx.Attempt(2, 10, 5)
		get(t, "Attempt(2, 10, 5)", a, ok, err, nil)
		return nil
	})
	want.Grade = ""
	want.GradedAt = time.Time{}
	update(t, s, func(tx quiz.Tx) error { return tx.PutAttempt(want) })
	view(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Attempt(1, 10, 5)
		get(t, "Attempt after replacing", a, ok, err, &want)
		return nil
	})
}

func testAttempts(t *testing.T, s quiz.Store) {
	var want []quiz.Attempt
	for _, sid := range orderedSessions {
		want = append(want, fullAttempt(1, 256, sid))
	}
	update(t, s, func(tx quiz.Tx) error {
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.PutAttempt(want[i]); err != nil {
				return err
			}
		}
		// Users whose ids share bytes with 256, and the same user elsewhere.
		for _, u := range []quiz.UserID{1, 255, 257, 65536} {
			if err := tx.PutAttempt(fullAttempt(1, u, 3)); err != nil {
				return err
			}
		}
		return tx.PutAttempt(fullAttempt(2, 256, 3))
	})
	view(t, s, func(tx quiz.Tx) error {
		as, err := tx.Attempts(1, 256)
		list(t, "Attempts(1, 256)", as, err, want)
		as, err = tx.Attempts(1, 2)
		list(t, "Attempts(1, 2)", as, err, nil)
		as, err = tx.Attempts(3, 256)
		list(t, "Attempts(3, 256)", as, err, nil)
		return nil
	})
}

func testDeleteMember(t *testing.T, s quiz.Store) {
	seed := func(tx quiz.Tx, g quiz.GuildID, u quiz.UserID) error {
		return errors.Join(
			tx.PutMember(fullMember(g, u)),
			tx.PutCard(g, u, fullCard("a")),
			tx.PutCard(g, u, fullCard("b")),
			tx.PutAttempt(fullAttempt(g, u, 1)),
			tx.PutAttempt(fullAttempt(g, u, 2)),
		)
	}
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(seed(tx, 1, 10), seed(tx, 1, 11), seed(tx, 1, 10+256), seed(tx, 2, 10))
	})
	update(t, s, func(tx quiz.Tx) error {
		if err := tx.DeleteMember(1, 10); err != nil {
			return err
		}
		// Deleting what is not there is not an error.
		return errors.Join(tx.DeleteMember(1, 10), tx.DeleteMember(1, 12), tx.DeleteMember(9, 10))
	})
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(1, 10)
		get(t, "Member(1, 10) after delete", m, ok, err, nil)
		cs, err := tx.Cards(1, 10)
		list(t, "Cards(1, 10) after delete", cs, err, nil)
		c, ok, err := tx.Card(1, 10, "a")
		get(t, "Card(1, 10, a) after delete", c, ok, err, nil)
		as, err := tx.Attempts(1, 10)
		list(t, "Attempts(1, 10) after delete", as, err, nil)
		a, ok, err := tx.Attempt(1, 10, 1)
		get(t, "Attempt(1, 10, 1) after delete", a, ok, err, nil)
		ms, err := collectMembers(tx, 1, 100)
		list(t, "Members(1) after delete", ms, err, []quiz.Member{fullMember(1, 11), fullMember(1, 10+256)})
		for _, k := range []struct {
			g quiz.GuildID
			u quiz.UserID
		}{{1, 11}, {1, 10 + 256}, {2, 10}} {
			what := fmt.Sprintf("(%d, %d)", k.g, k.u)
			m, ok, err := tx.Member(k.g, k.u)
			get(t, "Member"+what, m, ok, err, ptr(fullMember(k.g, k.u)))
			cs, err := tx.Cards(k.g, k.u)
			list(t, "Cards"+what, cs, err, []quiz.Card{fullCard("a"), fullCard("b")})
			as, err := tx.Attempts(k.g, k.u)
			list(t, "Attempts"+what, as, err, []quiz.Attempt{fullAttempt(k.g, k.u, 1), fullAttempt(k.g, k.u, 2)})
		}
		return nil
	})
}

func testSession(t *testing.T, s quiz.Store) {
	var want quiz.Session
	update(t, s, func(tx quiz.Tx) error {
		id, err := tx.NextSessionID(1)
		if err != nil {
			return err
		}
		v, ok, err := tx.Session(1, id)
		get(t, "Session before Put", v, ok, err, nil)
		want = fullSession(1, id)
		return tx.PutSession(want)
	})
	view(t, s, func(tx quiz.Tx) error {
		v, ok, err := tx.Session(1, want.ID)
		get(t, "Session", v, ok, err, &want)
		v, ok, err = tx.Session(1, want.ID+1)
		get(t, "Session(next id)", v, ok, err, nil)
		v, ok, err = tx.Session(2, want.ID)
		get(t, "Session(other guild)", v, ok, err, nil)
		return nil
	})
	want.State = quiz.SessionOpen
	want.RevealMessage = 0
	update(t, s, func(tx quiz.Tx) error { return tx.PutSession(want) })
	view(t, s, func(tx quiz.Tx) error {
		v, ok, err := tx.Session(1, want.ID)
		get(t, "Session after replacing", v, ok, err, &want)
		return nil
	})
}

// testSequence checks a per-guild id allocator.
func testSequence(t *testing.T, s quiz.Store, next func(tx quiz.Tx, g quiz.GuildID) (uint64, error)) {
	alloc := func(g quiz.GuildID, n int) []uint64 {
		t.Helper()
		var ids []uint64
		update(t, s, func(tx quiz.Tx) error {
			ids = ids[:0] // idempotent if the store reruns fn
			for range n {
				id, err := next(tx, g)
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		return ids
	}
	a := append(alloc(1, 3), alloc(1, 1)...)
	a = append(a, alloc(1, 2)...)
	for i, id := range a {
		if id == 0 {
			t.Errorf("guild 1 id #%d = 0; want > 0", i)
		}
		if i > 0 && id <= a[i-1] {
			t.Errorf("guild 1 ids %v are not strictly increasing", a)
		}
	}
	// Guild 2 has its own sequence: its first id is what guild 1's was.
	b := alloc(2, 2)
	if b[0] != a[0] {
		t.Errorf("first id of guild 2 = %d; want %d like guild 1 (sequences are per guild)", b[0], a[0])
	}
	if b[1] <= b[0] {
		t.Errorf("guild 2 ids %v are not strictly increasing", b)
	}
	if c := alloc(1, 1); c[0] <= a[len(a)-1] {
		t.Errorf("guild 1 id after guild 2 allocated = %d; want > %d", c[0], a[len(a)-1])
	}
}

func testNextSessionID(t *testing.T, s quiz.Store) {
	testSequence(t, s, func(tx quiz.Tx, g quiz.GuildID) (uint64, error) {
		id, err := tx.NextSessionID(g)
		return uint64(id), err
	})
}

// testReserveSessionIDs: a reserved block starts after the ids handed out so far, per guild;
// NextSessionID and the next block continue after it; a block of no ids is refused.
func testReserveSessionIDs(t *testing.T, s quiz.Store) {
	var got []quiz.SessionID
	update(t, s, func(tx quiz.Tx) error {
		got = got[:0]
		a, err := tx.NextSessionID(1)
		if err != nil {
			return err
		}
		first, err := tx.ReserveSessionIDs(1, 10)
		if err != nil {
			return err
		}
		next, err := tx.NextSessionID(1)
		if err != nil {
			return err
		}
		again, err := tx.ReserveSessionIDs(1, 3)
		if err != nil {
			return err
		}
		other, err := tx.ReserveSessionIDs(2, 5)
		if err != nil {
			return err
		}
		got = append(got, a, first, next, again, other)
		return nil
	})
	if want := []quiz.SessionID{1, 2, 12, 13, 1}; !slices.Equal(got, want) {
		t.Errorf("NextSessionID, Reserve(10), NextSessionID, Reserve(3), Reserve(other guild, 5) = %v; want %v", got, want)
	}
	err := s.Update(context.Background(), func(tx quiz.Tx) error {
		_, err := tx.ReserveSessionIDs(1, 0)
		return err
	})
	if err == nil {
		t.Error("ReserveSessionIDs(g, 0) = nil error; want one")
	}
	update(t, s, func(tx quiz.Tx) error {
		id, err := tx.NextSessionID(1)
		if err == nil && id != 16 {
			t.Errorf("NextSessionID after the refused reservation = %d; want 16 (nothing reserved)", id)
		}
		return err
	})
}

func testNextReportID(t *testing.T, s quiz.Store) {
	testSequence(t, s, func(tx quiz.Tx, g quiz.GuildID) (uint64, error) {
		id, err := tx.NextReportID(g)
		return uint64(id), err
	})
}

func testDue(t *testing.T, s quiz.Store) {
	base := t0.Truncate(time.Millisecond)
	ms := func(n int) time.Time { return base.Add(time.Duration(n) * time.Millisecond) }
	// In key order: by At, then guild, then session.
	want := []quiz.Due{
		{At: ms(0), Guild: 1, Session: 2},
		{At: ms(0), Guild: 1, Session: 256},
		{At: ms(0), Guild: 256, Session: 1},
		{At: ms(1), Guild: 1, Session: 1},
		{At: ms(256), Guild: 0, Session: 0},
		{At: ms(1000), Guild: 2, Session: 7},
		{At: ms(1000), Guild: 1 << 40, Session: 7},
		{At: ms(3_600_000), Guild: 1, Session: 9},
	}
	update(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(ms(1<<40), 100)
		list(t, "DueUntil on an empty queue", ds, err, nil)
		for _, i := range []int{5, 0, 7, 3, 1, 6, 2, 4} {
			if err := tx.PutDue(want[i]); err != nil {
				return err
			}
		}
		return tx.PutDue(want[3]) // putting twice keeps one entry
	})
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(ms(1<<40), 100)
		list(t, "DueUntil(all)", ds, err, want)
		ds, err = tx.DueUntil(ms(1000), 100)
		list(t, "DueUntil(At of entries 5 and 6: included)", ds, err, want[:7])
		ds, err = tx.DueUntil(ms(999), 100)
		list(t, "DueUntil(1ms before entry 5)", ds, err, want[:5])
		ds, err = tx.DueUntil(ms(-1), 100)
		list(t, "DueUntil(before the first)", ds, err, nil)
		ds, err = tx.DueUntil(ms(1000).In(zone8), 100)
		list(t, "DueUntil(same instant, other zone)", ds, err, want[:7])
		return nil
	})
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(
			tx.DeleteDue(want[1]),
			tx.DeleteDue(quiz.Due{At: want[6].At.In(zone8), Guild: want[6].Guild, Session: want[6].Session}),
			tx.DeleteDue(quiz.Due{At: ms(2), Guild: 1, Session: 1}), // absent: no error
		)
	})
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(ms(1<<40), 100)
		list(t, "DueUntil after DeleteDue", ds, err, []quiz.Due{want[0], want[2], want[3], want[4], want[5], want[7]})
		return nil
	})
}

func testDuePerGuild(t *testing.T, s quiz.Store) {
	base := t0.Truncate(time.Millisecond)
	d := func(sec int, g quiz.GuildID, sid quiz.SessionID) quiz.Due {
		return quiz.Due{At: base.Add(time.Duration(sec) * time.Second), Guild: g, Session: sid}
	}
	// Guild 1's backlog comes first; guilds 2 and 3 are due later.
	all := []quiz.Due{d(0, 1, 1), d(1, 1, 2), d(2, 1, 3), d(3, 1, 4), d(4, 2, 1), d(5, 1, 5), d(6, 3, 1), d(7, 2, 2), d(99, 3, 2)}
	update(t, s, func(tx quiz.Tx) error {
		for _, e := range all {
			if err := tx.PutDue(e); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntilPerGuild(base.Add(10*time.Second), 2, 100)
		list(t, "DueUntilPerGuild(per guild 2)", ds, err, []quiz.Due{d(0, 1, 1), d(1, 1, 2), d(4, 2, 1), d(6, 3, 1), d(7, 2, 2)})
		ds, err = tx.DueUntilPerGuild(base.Add(10*time.Second), 1, 2)
		list(t, "DueUntilPerGuild(per guild 1, max 2)", ds, err, []quiz.Due{d(0, 1, 1), d(4, 2, 1)})
		ds, err = tx.DueUntilPerGuild(base.Add(10*time.Second), 0, 2)
		list(t, "DueUntilPerGuild(per guild 0)", ds, err, nil)
		return nil
	})
}

func testDueLimit(t *testing.T, s quiz.Store) {
	base := t0.Truncate(time.Millisecond)
	var want []quiz.Due
	for i := range 10 {
		want = append(want, quiz.Due{At: base.Add(time.Duration(i) * time.Second), Guild: 1, Session: quiz.SessionID(10 - i)})
	}
	update(t, s, func(tx quiz.Tx) error {
		for _, d := range want {
			if err := tx.PutDue(d); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx quiz.Tx) error {
		for _, n := range []int{1, 3, 10, 11} {
			ds, err := tx.DueUntil(base.Add(time.Hour), n)
			list(t, fmt.Sprintf("DueUntil(max=%d)", n), ds, err, want[:min(n, len(want))])
		}
		for _, n := range []int{0, -1} {
			ds, err := tx.DueUntil(base.Add(time.Hour), n)
			list(t, fmt.Sprintf("DueUntil(max=%d)", n), ds, err, nil)
		}
		ds, err := tx.DueUntil(base.Add(2500*time.Millisecond), 2)
		list(t, "DueUntil(2.5s, max=2)", ds, err, want[:2])
		return nil
	})

	// Sub-millisecond parts are dropped: the entry comes back truncated, is due at its
	// millisecond, and DeleteDue with the original time finds it.
	fine := quiz.Due{At: base.Add(time.Hour + 1500*time.Microsecond), Guild: 3, Session: 3}
	trunc := quiz.Due{At: base.Add(time.Hour + time.Millisecond), Guild: 3, Session: 3}
	update(t, s, func(tx quiz.Tx) error { return tx.PutDue(fine) })
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(trunc.At, 100)
		list(t, "DueUntil(sub-ms entry)", ds, err, append(append([]quiz.Due(nil), want...), trunc))
		return nil
	})
	update(t, s, func(tx quiz.Tx) error { return tx.DeleteDue(fine) })
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(trunc.At, 100)
		list(t, "DueUntil after deleting the sub-ms entry", ds, err, want)
		return nil
	})
}

func testPost(t *testing.T, s quiz.Store) {
	days := []quiz.Day{
		quiz.Date(1999, 12, 31), quiz.Date(2024, 2, 29), quiz.Date(2025, 1, 9),
		quiz.Date(2025, 1, 10), quiz.Date(2025, 12, 31), quiz.Date(2026, 1, 1),
	}
	var want []quiz.Post
	for _, d := range days {
		want = append(want, fullPost(1, d))
	}
	update(t, s, func(tx quiz.Tx) error {
		p, ok, err := tx.Post(1, days[0])
		get(t, "Post before Put", p, ok, err, nil)
		for _, i := range []int{3, 5, 0, 2, 4, 1} {
			if err := tx.PutPost(want[i]); err != nil {
				return err
			}
		}
		return tx.PutPost(fullPost(2, days[1]))
	})
	view(t, s, func(tx quiz.Tx) error {
		p, ok, err := tx.Post(1, days[2])
		get(t, "Post(1, 2025-01-09)", p, ok, err, &want[2])
		p, ok, err = tx.Post(1, quiz.Date(2025, 1, 11))
		get(t, "Post(1, 2025-01-11)", p, ok, err, nil)
		p, ok, err = tx.Post(3, days[2])
		get(t, "Post(3, 2025-01-09)", p, ok, err, nil)
		ps, err := tx.Posts(1)
		list(t, "Posts(1)", ps, err, want)
		ps, err = tx.Posts(2)
		list(t, "Posts(2)", ps, err, []quiz.Post{fullPost(2, days[1])})
		ps, err = tx.Posts(3)
		list(t, "Posts(3)", ps, err, nil)
		return nil
	})
	claimed := quiz.Post{Guild: 1, Day: days[2], QuestionID: "x", Nonce: "n", State: quiz.PostClaimed, ClaimedAt: at(1)}
	update(t, s, func(tx quiz.Tx) error { return tx.PutPost(claimed) })
	view(t, s, func(tx quiz.Tx) error {
		p, ok, err := tx.Post(1, days[2])
		get(t, "Post after replacing", p, ok, err, &claimed)
		return nil
	})
}

func testOverlay(t *testing.T, s quiz.Store) {
	ids := []string{"a", "a-b", "ab", "b", "tcp-1", "tcp-10", "tcp-2"}
	var want []quiz.OverlayEntry
	for _, id := range ids {
		want = append(want, fullOverlay(id))
	}
	shipped := quiz.OverlayEntry{QuestionID: "b", Disabled: true, Version: 4, UpdatedBy: 1, UpdatedAt: at(20)}
	update(t, s, func(tx quiz.Tx) error {
		es, err := tx.OverlayQuestions(1)
		list(t, "OverlayQuestions before Put", es, err, nil)
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.PutOverlayQuestion(1, want[i]); err != nil {
				return err
			}
		}
		return errors.Join(tx.PutOverlayQuestion(2, fullOverlay("zz")), tx.PutOverlayQuestion(1, shipped))
	})
	want[3] = shipped
	view(t, s, func(tx quiz.Tx) error {
		es, err := tx.OverlayQuestions(1)
		list(t, "OverlayQuestions(1)", es, err, want)
		es, err = tx.OverlayQuestions(3)
		list(t, "OverlayQuestions(3)", es, err, nil)
		return nil
	})
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.DeleteOverlayQuestion(1, "a-b"), tx.DeleteOverlayQuestion(1, "nope"), tx.DeleteOverlayQuestion(4, "a"))
	})
	view(t, s, func(tx quiz.Tx) error {
		es, err := tx.OverlayQuestions(1)
		list(t, "OverlayQuestions(1) after delete", es, err, append(append([]quiz.OverlayEntry(nil), want[:1]...), want[2:]...))
		es, err = tx.OverlayQuestions(2)
		list(t, "OverlayQuestions(2)", es, err, []quiz.OverlayEntry{fullOverlay("zz")})
		return nil
	})
}

func testOverlayTopics(t *testing.T, s quiz.Store) {
	slugs := []string{"a", "a-b", "go", "redis", "tcp"}
	var want []quiz.TopicOverlay
	for _, slug := range slugs {
		want = append(want, fullTopic(slug))
	}
	update(t, s, func(tx quiz.Tx) error {
		ts, err := tx.OverlayTopics(1)
		list(t, "OverlayTopics before Put", ts, err, nil)
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.PutOverlayTopic(1, want[i]); err != nil {
				return err
			}
		}
		return tx.PutOverlayTopic(2, fullTopic("x"))
	})
	view(t, s, func(tx quiz.Tx) error {
		ts, err := tx.OverlayTopics(1)
		list(t, "OverlayTopics(1)", ts, err, want)
		return nil
	})
	want[2] = quiz.TopicOverlay{Slug: "go", Disabled: true}
	update(t, s, func(tx quiz.Tx) error { return tx.PutOverlayTopic(1, want[2]) })
	view(t, s, func(tx quiz.Tx) error {
		ts, err := tx.OverlayTopics(1)
		list(t, "OverlayTopics(1) after replacing", ts, err, want)
		ts, err = tx.OverlayTopics(2)
		list(t, "OverlayTopics(2)", ts, err, []quiz.TopicOverlay{fullTopic("x")})
		return nil
	})
}

func testHistory(t *testing.T, s quiz.Store) {
	update(t, s, func(tx quiz.Tx) error {
		hs, err := tx.History(1, "tcp")
		list(t, "History before AddHistory", hs, err, nil)
		// Questions whose ids extend each other, versions crossing a byte boundary.
		return errors.Join(
			tx.AddHistory(1, fullHistory("tcp", 1)),
			tx.AddHistory(1, fullHistory("tcp-2", 1)),
			tx.AddHistory(1, fullHistory("tc", 1)),
			tx.AddHistory(1, fullHistory("tcp", 256)),
			tx.AddHistory(1, fullHistory("tcp", 2)),
			tx.AddHistory(1, fullHistory("tcp", 0)),
			tx.AddHistory(2, fullHistory("tcp", 5)),
		)
	})
	view(t, s, func(tx quiz.Tx) error {
		hs, err := tx.History(1, "tcp")
		list(t, "History(1, tcp)", hs, err, []quiz.HistoryEntry{
			fullHistory("tcp", 0), fullHistory("tcp", 1), fullHistory("tcp", 2), fullHistory("tcp", 256),
		})
		hs, err = tx.History(1, "tc")
		list(t, "History(1, tc)", hs, err, []quiz.HistoryEntry{fullHistory("tc", 1)})
		hs, err = tx.History(1, "t")
		list(t, "History(1, t)", hs, err, nil)
		hs, err = tx.History(2, "tcp")
		list(t, "History(2, tcp)", hs, err, []quiz.HistoryEntry{fullHistory("tcp", 5)})
		return nil
	})
	again := quiz.HistoryEntry{QuestionID: "tcp", Version: 2, Action: "disable", By: 1, At: at(99)}
	update(t, s, func(tx quiz.Tx) error { return tx.AddHistory(1, again) })
	view(t, s, func(tx quiz.Tx) error {
		hs, err := tx.History(1, "tcp")
		list(t, "History(1, tcp) after re-adding version 2", hs, err, []quiz.HistoryEntry{
			fullHistory("tcp", 0), fullHistory("tcp", 1), again, fullHistory("tcp", 256),
		})
		return nil
	})
}

func testOverlayQuestion(t *testing.T, s quiz.Store) {
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.PutOverlayQuestion(1, fullOverlay("tcp-1")), tx.PutOverlayQuestion(1, fullOverlay("tcp-10")),
			tx.PutOverlayQuestion(2, fullOverlay("tcp")))
	})
	view(t, s, func(tx quiz.Tx) error {
		for _, c := range []struct {
			g    quiz.GuildID
			id   string
			want bool
		}{{1, "tcp-1", true}, {1, "tcp-10", true}, {1, "tcp", false}, {2, "tcp", true}, {3, "tcp", false}, {1, "", false}} {
			e, ok, err := tx.OverlayQuestion(c.g, c.id)
			if err != nil || ok != c.want {
				t.Errorf("OverlayQuestion(%d, %q) = _, %v, %v; want %v, nil", c.g, c.id, ok, err, c.want)
			}
			if ok && !reflect.DeepEqual(e, fullOverlay(c.id)) {
				t.Errorf("OverlayQuestion(%d, %q) = %+v; want %+v", c.g, c.id, e, fullOverlay(c.id))
			}
		}
		return nil
	})
}

func testTrimHistory(t *testing.T, s quiz.Store) {
	update(t, s, func(tx quiz.Tx) error {
		var errs []error
		for _, v := range []int{1, 2, 3, 256, 257} {
			errs = append(errs, tx.AddHistory(1, fullHistory("tcp", v)))
		}
		errs = append(errs, tx.AddHistory(1, fullHistory("tcp-2", 1)), tx.AddHistory(1, fullHistory("tc", 1)),
			tx.AddHistory(2, fullHistory("tcp", 1)))
		return errors.Join(errs...)
	})
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.TrimHistory(1, "tcp", 2), tx.TrimHistory(1, "nope", 1), tx.TrimHistory(9, "tcp", 1))
	})
	view(t, s, func(tx quiz.Tx) error {
		hs, err := tx.History(1, "tcp")
		list(t, "History(1, tcp) after trimming to 2", hs, err, []quiz.HistoryEntry{fullHistory("tcp", 256), fullHistory("tcp", 257)})
		hs, err = tx.History(1, "tcp-2")
		list(t, "History(1, tcp-2)", hs, err, []quiz.HistoryEntry{fullHistory("tcp-2", 1)})
		hs, err = tx.History(1, "tc")
		list(t, "History(1, tc)", hs, err, []quiz.HistoryEntry{fullHistory("tc", 1)})
		hs, err = tx.History(2, "tcp")
		list(t, "History(2, tcp)", hs, err, []quiz.HistoryEntry{fullHistory("tcp", 1)})
		return nil
	})
	update(t, s, func(tx quiz.Tx) error { return tx.TrimHistory(1, "tcp", 0) })
	view(t, s, func(tx quiz.Tx) error {
		hs, err := tx.History(1, "tcp")
		list(t, "History(1, tcp) after trimming to 0", hs, err, nil)
		return nil
	})
}

func testReport(t *testing.T, s quiz.Store) {
	ids := []quiz.ReportID{1, 2, 3, 255, 256, 1 << 33}
	var want []quiz.Report
	for _, id := range ids {
		want = append(want, fullReport(id))
	}
	update(t, s, func(tx quiz.Tx) error {
		r, ok, err := tx.Report(1, 1)
		get(t, "Report before Put", r, ok, err, nil)
		for _, i := range []int{4, 2, 0, 5, 1, 3} {
			if err := tx.PutReport(1, want[i]); err != nil {
				return err
			}
		}
		return tx.PutReport(2, fullReport(9))
	})
	view(t, s, func(tx quiz.Tx) error {
		r, ok, err := tx.Report(1, 256)
		get(t, "Report(1, 256)", r, ok, err, &want[4])
		r, ok, err = tx.Report(1, 9)
		get(t, "Report(1, 9)", r, ok, err, nil)
		rs, err := tx.Reports(1)
		list(t, "Reports(1)", rs, err, want)
		rs, err = tx.Reports(3)
		list(t, "Reports(3)", rs, err, nil)
		return nil
	})
	open := quiz.Report{ID: 2, QuestionID: "q", By: 5, Reason: "typo", At: at(3)}
	update(t, s, func(tx quiz.Tx) error { return tx.PutReport(1, open) })
	view(t, s, func(tx quiz.Tx) error {
		r, ok, err := tx.Report(1, 2)
		get(t, "Report after replacing", r, ok, err, &open)
		return nil
	})
}

func testInvalidInput(t *testing.T, s quiz.Store) {
	update(t, s, func(tx quiz.Tx) error {
		for _, c := range []struct {
			name string
			err  error
		}{
			{"PutDue(zero time)", tx.PutDue(quiz.Due{Guild: 1, Session: 1})},
			{"PutDue(1969)", tx.PutDue(quiz.Due{At: time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), Guild: 1, Session: 1})},
			{"DeleteDue(zero time)", tx.DeleteDue(quiz.Due{Guild: 1, Session: 1})},
			{"PutCard(no question id)", tx.PutCard(1, 1, quiz.Card{Asked: 1})},
			{"PutOverlayQuestion(no question id)", tx.PutOverlayQuestion(1, quiz.OverlayEntry{Version: 1})},
			{"PutOverlayTopic(no slug)", tx.PutOverlayTopic(1, quiz.TopicOverlay{Added: true})},
			{"AddHistory(no question id)", tx.AddHistory(1, quiz.HistoryEntry{Version: 1})},
			{"AddHistory(NUL in question id)", tx.AddHistory(1, quiz.HistoryEntry{QuestionID: "a\x00b", Version: 1})},
			{"AddHistory(version -1)", tx.AddHistory(1, quiz.HistoryEntry{QuestionID: "a", Version: -1})},
			{"AddHistory(version 2^32)", tx.AddHistory(1, quiz.HistoryEntry{QuestionID: "a", Version: 1 << 32})},
			{"PutPost(year 10000)", tx.PutPost(quiz.Post{Guild: 1, Day: quiz.Date(10000, 1, 1)})},
			{"PutPost(year 0)", tx.PutPost(quiz.Post{Guild: 1, Day: -719163})}, // 0000-12-31
			{"PutMock(zero id)", tx.PutMock(quiz.Mock{Guild: 1, Candidate: 10, CreatedAt: at(1)})},
			{"PutMock(1969)", tx.PutMock(quiz.Mock{Guild: 1, ID: 1, Candidate: 10, CreatedAt: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)})},
			{"PutAward(bad month)", tx.PutAward(1, quiz.Award{Month: "2025-3"})},
			{"PutAward(no month)", tx.PutAward(1, quiz.Award{})},
			{"PutRecap(year 10000)", tx.PutRecap(1, quiz.Recap{Week: quiz.Date(10000, 1, 1)})},
		} {
			if c.err == nil {
				t.Errorf("%s succeeded; want an error", c.name)
			}
		}
		return nil
	})
	view(t, s, func(tx quiz.Tx) error {
		ds, err := tx.DueUntil(t0, 100)
		list(t, "DueUntil after invalid PutDue", ds, err, nil)
		cs, err := tx.Cards(1, 1)
		list(t, "Cards after invalid PutCard", cs, err, nil)
		ps, err := tx.Posts(1)
		list(t, "Posts after invalid PutPost", ps, err, nil)
		ms, err := tx.MemberMocks(1, 10, 10)
		list(t, "MemberMocks after invalid PutMock", ms, err, nil)
		return nil
	})
}

// snapshot is everything the rollback tests can see in guilds 1 and 2.
type snapshot struct {
	Guilds   []quiz.Guild
	Members  map[quiz.GuildID][]quiz.Member
	Cards    map[quiz.GuildID][]quiz.Card
	Attempts map[quiz.GuildID][]quiz.Attempt
	Sessions map[quiz.GuildID][]quiz.Session
	Posts    map[quiz.GuildID][]quiz.Post
	Overlay  map[quiz.GuildID][]quiz.OverlayEntry
	Topics   map[quiz.GuildID][]quiz.TopicOverlay
	History  map[quiz.GuildID][]quiz.HistoryEntry
	Reports  map[quiz.GuildID][]quiz.Report
	Due      []quiz.Due
}

func takeSnapshot(t *testing.T, s quiz.Store) snapshot {
	t.Helper()
	snap := snapshot{
		Members: map[quiz.GuildID][]quiz.Member{}, Cards: map[quiz.GuildID][]quiz.Card{},
		Attempts: map[quiz.GuildID][]quiz.Attempt{}, Sessions: map[quiz.GuildID][]quiz.Session{},
		Posts: map[quiz.GuildID][]quiz.Post{}, Overlay: map[quiz.GuildID][]quiz.OverlayEntry{},
		Topics: map[quiz.GuildID][]quiz.TopicOverlay{}, History: map[quiz.GuildID][]quiz.HistoryEntry{},
		Reports: map[quiz.GuildID][]quiz.Report{},
	}
	view(t, s, func(tx quiz.Tx) error {
		var errs []error
		check := func(err error) { errs = append(errs, err) }
		var err error
		snap.Guilds, err = collectGuilds(tx, 100)
		check(err)
		for _, g := range []quiz.GuildID{1, 2} {
			ms, err := collectMembers(tx, g, 100)
			check(err)
			snap.Members[g] = ms
			for _, u := range []quiz.UserID{10, 11} {
				cs, err := tx.Cards(g, u)
				check(err)
				snap.Cards[g] = append(snap.Cards[g], cs...)
				as, err := tx.Attempts(g, u)
				check(err)
				snap.Attempts[g] = append(snap.Attempts[g], as...)
			}
			for id := range quiz.SessionID(10) {
				v, ok, err := tx.Session(g, id)
				check(err)
				if ok {
					snap.Sessions[g] = append(snap.Sessions[g], v)
				}
			}
			snap.Posts[g], err = tx.Posts(g)
			check(err)
			snap.Overlay[g], err = tx.OverlayQuestions(g)
			check(err)
			snap.Topics[g], err = tx.OverlayTopics(g)
			check(err)
			for _, q := range []string{"a", "b"} {
				hs, err := tx.History(g, q)
				check(err)
				snap.History[g] = append(snap.History[g], hs...)
			}
			snap.Reports[g], err = tx.Reports(g)
			check(err)
		}
		snap.Due, err = tx.DueUntil(t0.Add(1000*time.Hour), 1000)
		check(err)
		return errors.Join(errs...)
	})
	return snap
}

// seedAll writes one of everything to guild 1 and returns the session and report ids used.
func seedAll(t *testing.T, s quiz.Store) (quiz.SessionID, quiz.ReportID) {
	t.Helper()
	var sid quiz.SessionID
	var rid quiz.ReportID
	update(t, s, func(tx quiz.Tx) error {
		var err1, err2 error
		sid, err1 = tx.NextSessionID(1)
		rid, err2 = tx.NextReportID(1)
		return errors.Join(err1, err2,
			tx.PutGuild(fullGuild(1)),
			tx.PutMember(fullMember(1, 10)),
			tx.PutCard(1, 10, fullCard("a")),
			tx.PutAttempt(fullAttempt(1, 10, sid)),
			tx.PutSession(fullSession(1, sid)),
			tx.PutDue(quiz.Due{At: at(60), Guild: 1, Session: sid}),
			tx.PutPost(fullPost(1, quiz.Date(2025, 3, 30))),
			tx.PutOverlayQuestion(1, fullOverlay("a")),
			tx.PutOverlayTopic(1, fullTopic("tcp")),
			tx.AddHistory(1, fullHistory("a", 1)),
			tx.PutReport(1, fullReport(rid)),
		)
	})
	return sid, rid
}

// writeEverything changes or deletes everything seedAll wrote and adds more, in guilds 1 and 2.
func writeEverything(tx quiz.Tx, sid quiz.SessionID) error {
	g := fullGuild(1)
	g.TZ = "UTC"
	m := fullMember(1, 10)
	m.Answered++
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	for _, gid := range []quiz.GuildID{1, 2} {
		s2, err := tx.NextSessionID(gid)
		add(err)
		r2, err := tx.NextReportID(gid)
		add(err)
		add(tx.PutSession(fullSession(gid, s2)))
		add(tx.PutReport(gid, fullReport(r2)))
		add(tx.PutMember(fullMember(gid, 11)))
		add(tx.PutCard(gid, 11, fullCard("b")))
		add(tx.PutAttempt(fullAttempt(gid, 11, s2)))
		add(tx.PutDue(quiz.Due{At: at(61), Guild: gid, Session: s2}))
		add(tx.PutPost(fullPost(gid, quiz.Date(2025, 3, 31))))
		add(tx.PutOverlayQuestion(gid, fullOverlay("b")))
		add(tx.PutOverlayTopic(gid, fullTopic("redis")))
		add(tx.AddHistory(gid, fullHistory("b", 1)))
	}
	add(tx.PutGuild(g))
	add(tx.PutGuild(fullGuild(2)))
	add(tx.PutMember(m))
	add(tx.DeleteMember(1, 10))
	add(tx.DeleteDue(quiz.Due{At: at(60), Guild: 1, Session: sid}))
	add(tx.DeleteOverlayQuestion(1, "a"))
	add(tx.AddHistory(1, fullHistory("a", 2)))
	return errors.Join(errs...)
}

func testRollbackOnError(t *testing.T, s quiz.Store) {
	sid, rid := seedAll(t, s)
	before := takeSnapshot(t, s)
	for _, run := range []struct {
		name string
		fn   func(context.Context, func(quiz.Tx) error) error
	}{{"Update", s.Update}, {"Batch", s.Batch}} {
		err := run.fn(t.Context(), func(tx quiz.Tx) error {
			if err := writeEverything(tx, sid); err != nil {
				t.Errorf("%s: writes failed: %v", run.name, err)
			}
			return fmt.Errorf("wrapped: %w", errBad)
		})
		if !errors.Is(err, errBad) {
			t.Errorf("%s returned %v; want fn's error", run.name, err)
		}
		if d := diff(takeSnapshot(t, s), before); d != "" {
			t.Errorf("%s that failed changed the store (-after +before):\n%s", run.name, d)
		}
	}
	var s2 quiz.SessionID
	var r2 quiz.ReportID
	update(t, s, func(tx quiz.Tx) error {
		var err1, err2 error
		s2, err1 = tx.NextSessionID(1)
		r2, err2 = tx.NextReportID(1)
		return errors.Join(err1, err2)
	})
	if s2 <= sid || r2 <= rid {
		t.Errorf("ids after rollbacks: session %d, report %d; want > %d, %d", s2, r2, sid, rid)
	}
	if s2 == sid+1 && r2 == rid+1 {
		t.Logf("sequences rolled back with the failed transactions")
	} else {
		t.Logf("sequences advanced in the failed transactions (session %d → %d, report %d → %d)", sid, s2, rid, r2)
	}
}

func testRollbackOnPanic(t *testing.T, s quiz.Store) {
	sid, _ := seedAll(t, s)
	before := takeSnapshot(t, s)
	for _, run := range []struct {
		name string
		fn   func(context.Context, func(quiz.Tx) error) error
	}{{"Update", s.Update}, {"Batch", s.Batch}} {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("%s: recovered %v; want fn's panic to reach the caller", run.name, r)
				}
			}()
			_ = run.fn(t.Context(), func(tx quiz.Tx) error {
				if err := writeEverything(tx, sid); err != nil {
					t.Errorf("%s: writes failed: %v", run.name, err)
				}
				panic("boom")
			})
		}()
		if d := diff(takeSnapshot(t, s), before); d != "" {
			t.Errorf("%s that panicked changed the store (-after +before):\n%s", run.name, d)
		}
	}
	// The store still works.
	update(t, s, func(tx quiz.Tx) error { return tx.PutMember(fullMember(1, 11)) })
}

func testReadYourWrites(t *testing.T, s quiz.Store) {
	sid, _ := seedAll(t, s)
	update(t, s, func(tx quiz.Tx) error {
		if err := writeEverything(tx, sid); err != nil {
			return err
		}
		g, ok, err := tx.Guild(2)
		get(t, "Guild(2)", g, ok, err, ptr(fullGuild(2)))
		gs, err := collectGuilds(tx, 100)
		if err != nil || len(gs) != 2 || gs[0].TZ != "UTC" {
			t.Errorf("Guilds inside the writing tx = %+v, %v; want guild 1 (changed) and 2", gs, err)
		}
		m, ok, err := tx.Member(1, 10)
		get(t, "Member(1, 10) after DeleteMember", m, ok, err, nil)
		ms, err := collectMembers(tx, 1, 100)
		list(t, "Members(1)", ms, err, []quiz.Member{fullMember(1, 11)})
		cs, err := tx.Cards(1, 10)
		list(t, "Cards(1, 10) after DeleteMember", cs, err, nil)
		cs, err = tx.Cards(2, 11)
		list(t, "Cards(2, 11)", cs, err, []quiz.Card{fullCard("b")})
		as, err := tx.Attempts(1, 10)
		list(t, "Attempts(1, 10) after DeleteMember", as, err, nil)
		ds, err := tx.DueUntil(at(1000), 100)
		if err != nil || len(ds) != 2 || ds[0].Guild != 1 || ds[1].Guild != 2 || !ds[0].At.Equal(at(61).Truncate(time.Millisecond)) {
			t.Errorf("DueUntil = %+v, %v; want the two new entries at %v", ds, err, at(61))
		}
		es, err := tx.OverlayQuestions(1)
		list(t, "OverlayQuestions(1)", es, err, []quiz.OverlayEntry{fullOverlay("b")})
		hs, err := tx.History(1, "a")
		list(t, "History(1, a)", hs, err, []quiz.HistoryEntry{fullHistory("a", 1), fullHistory("a", 2)})
		rs, err := tx.Reports(2)
		if err != nil || len(rs) != 1 {
			t.Errorf("Reports(2) = %+v, %v; want 1 report", rs, err)
		}
		ps, err := tx.Posts(1)
		if err != nil || len(ps) != 2 {
			t.Errorf("Posts(1) = %+v, %v; want 2 posts", ps, err)
		}
		return nil
	})
}

// testIsolation checks that a View running while an Update is in progress sees the state before
// it. (The Update waits on a channel, which real code must never do inside a transaction.)
func testIsolation(t *testing.T, s quiz.Store) {
	seedAll(t, s)
	before := takeSnapshot(t, s)
	inside, release := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.Update(t.Context(), func(tx quiz.Tx) error {
			if err := writeEverything(tx, 1); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	select {
	case <-inside:
	case err := <-errc:
		t.Fatalf("Update: %v", err)
	}
	d := diff(takeSnapshot(t, s), before)
	close(release)
	if d != "" {
		t.Errorf("a View saw an uncommitted Update (-during +before):\n%s", d)
	}
	if err := <-errc; err != nil {
		t.Fatalf("Update: %v", err)
	}
	if d := diff(takeSnapshot(t, s), before); d == "" {
		t.Errorf("the Update's writes are missing after it committed")
	}
}

func testViewIsReadOnly(t *testing.T, s quiz.Store) {
	sid, _ := seedAll(t, s)
	before := takeSnapshot(t, s)
	err := s.View(t.Context(), func(tx quiz.Tx) error {
		for _, g := range []quiz.GuildID{1, 3} { // an existing guild and a new one
			for _, c := range []struct {
				name string
				err  error
			}{
				{"PutGuild", tx.PutGuild(fullGuild(g))},
				{"PutMember", tx.PutMember(fullMember(g, 11))},
				{"DeleteMember", tx.DeleteMember(g, 10)},
				{"PutCard", tx.PutCard(g, 11, fullCard("c"))},
				{"PutAttempt", tx.PutAttempt(fullAttempt(g, 11, 1))},
				{"NextSessionID", second(tx.NextSessionID(g))},
				{"PutSession", tx.PutSession(fullSession(g, 5))},
				{"PutDue", tx.PutDue(quiz.Due{At: at(1), Guild: g, Session: 1})},
				{"DeleteDue", tx.DeleteDue(quiz.Due{At: at(60), Guild: g, Session: sid})},
				{"PutPost", tx.PutPost(fullPost(g, quiz.Date(2025, 1, 1)))},
				{"PutOverlayQuestion", tx.PutOverlayQuestion(g, fullOverlay("c"))},
				{"DeleteOverlayQuestion", tx.DeleteOverlayQuestion(g, "a")},
				{"PutOverlayTopic", tx.PutOverlayTopic(g, fullTopic("c"))},
				{"AddHistory", tx.AddHistory(g, fullHistory("a", 9))},
				{"NextReportID", second(tx.NextReportID(g))},
				{"PutReport", tx.PutReport(g, fullReport(7))},
				{"DeleteSession", tx.DeleteSession(g, sid)},
				{"NextMockID", second(tx.NextMockID(g))},
				{"PutMock", tx.PutMock(fullMock(g, 1, 10, 11))},
				{"PutAward", tx.PutAward(g, fullAward("2025-03"))},
				{"PutRecap", tx.PutRecap(g, fullRecap(quiz.Date(2025, 3, 24)))},
			} {
				if c.err == nil {
					t.Errorf("%s(guild %d) inside View succeeded; want an error", c.name, g)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	if d := diff(takeSnapshot(t, s), before); d != "" {
		t.Errorf("writes inside View changed the store (-after +before):\n%s", d)
	}
}

func second[T any](_ T, err error) error { return err }

func testCopySafety(t *testing.T, s quiz.Store) {
	g := fullGuild(1)
	m := fullMember(1, 10)
	e := fullOverlay("a")
	tp := fullTopic("tcp")
	h := fullHistory("a", 1)
	wantG, wantM, wantE, wantT, wantH := fullGuild(1), fullMember(1, 10), fullOverlay("a"), fullTopic("tcp"), fullHistory("a", 1)

	scribble := func(g *quiz.Guild, m *quiz.Member, e *quiz.OverlayEntry, tp *quiz.TopicOverlay, h *quiz.HistoryEntry) {
		g.ModRoles[0] = 666
		g.Daily.Topics[0] = "changed"
		m.Streak.Log[0].Kind = "changed"
		e.Question.Tags[0] = "changed"
		e.Question.KeyPoints.EN[0] = "changed"
		tp.Title.EN = "changed"
		h.Previous.Tags[0] = "changed"
		h.Previous.Prompt.EN = "changed"
	}
	checkAll := func(tx quiz.Tx, when string) {
		g, ok, err := tx.Guild(1)
		get(t, "Guild "+when, g, ok, err, &wantG)
		m, ok, err := tx.Member(1, 10)
		get(t, "Member "+when, m, ok, err, &wantM)
		ms, err := collectMembers(tx, 1, 10)
		list(t, "Members "+when, ms, err, []quiz.Member{wantM})
		es, err := tx.OverlayQuestions(1)
		list(t, "OverlayQuestions "+when, es, err, []quiz.OverlayEntry{wantE})
		ts, err := tx.OverlayTopics(1)
		list(t, "OverlayTopics "+when, ts, err, []quiz.TopicOverlay{wantT})
		hs, err := tx.History(1, "a")
		list(t, "History "+when, hs, err, []quiz.HistoryEntry{wantH})
	}

	update(t, s, func(tx quiz.Tx) error {
		err := errors.Join(tx.PutGuild(g), tx.PutMember(m), tx.PutOverlayQuestion(1, e), tx.PutOverlayTopic(1, tp), tx.AddHistory(1, h))
		if err != nil {
			return err
		}
		// Changing what was Put changes nothing stored.
		scribble(&g, &m, &e, &tp, &h)
		checkAll(tx, "after changing the Put values, same tx")
		return nil
	})
	view(t, s, func(tx quiz.Tx) error {
		checkAll(tx, "after changing the Put values")
		return nil
	})
	// Changing what a getter returned changes nothing stored, inside a View and an Update.
	for _, run := range []struct {
		name string
		fn   func(context.Context, func(quiz.Tx) error) error
	}{{"View", s.View}, {"Update", s.Update}} {
		err := run.fn(t.Context(), func(tx quiz.Tx) error {
			g, _, err1 := tx.Guild(1)
			m, _, err2 := tx.Member(1, 10)
			es, err3 := tx.OverlayQuestions(1)
			ts, err4 := tx.OverlayTopics(1)
			hs, err5 := tx.History(1, "a")
			if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
				return err
			}
			if len(es) != 1 || len(ts) != 1 || len(hs) != 1 {
				return fmt.Errorf("got %d overlay entries, %d topics, %d history entries; want 1 each", len(es), len(ts), len(hs))
			}
			scribble(&g, &m, &es[0], &ts[0], &hs[0])
			_ = tx.Members(1, func(m quiz.Member) bool { m.Streak.Log[0].Kind = "changed"; return true })
			_ = tx.Guilds(func(g quiz.Guild) bool { g.ModRoles[0] = 666; return true })
			checkAll(tx, "after changing returned values, same "+run.name)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
	}
	view(t, s, func(tx quiz.Tx) error {
		checkAll(tx, "at the end")
		return nil
	})
}

func testBatchConcurrent(t *testing.T, s quiz.Store) {
	const n = 32
	errs := make([]error, n+1)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Batch(t.Context(), func(tx quiz.Tx) error {
				m := fullMember(1, quiz.UserID(i+1))
				m.Answered = i
				return tx.PutMember(m)
			})
		})
	}
	// One batched fn fails: only its own write is lost.
	wg.Go(func() {
		errs[n] = s.Batch(t.Context(), func(tx quiz.Tx) error {
			if err := tx.PutMember(fullMember(1, 1000)); err != nil {
				return err
			}
			return errBad
		})
	})
	wg.Wait()
	for i, err := range errs[:n] {
		if err != nil {
			t.Errorf("Batch #%d: %v", i, err)
		}
	}
	if !errors.Is(errs[n], errBad) {
		t.Errorf("failing Batch returned %v; want its fn's error", errs[n])
	}
	view(t, s, func(tx quiz.Tx) error {
		ms, err := collectMembers(tx, 1, 1000)
		if err != nil {
			return err
		}
		if len(ms) != n {
			t.Errorf("Members after %d Batch calls: got %d", n, len(ms))
		}
		for i, m := range ms {
			if m.User != quiz.UserID(i+1) || m.Answered != i {
				t.Errorf("member #%d = user %d answered %d; want user %d answered %d", i, m.User, m.Answered, i+1, i)
			}
		}
		return nil
	})
}

func testCancelledContext(t *testing.T, s quiz.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, run := range []struct {
		name string
		fn   func(context.Context, func(quiz.Tx) error) error
	}{{"View", s.View}, {"Update", s.Update}, {"Batch", s.Batch}} {
		called := false
		err := run.fn(ctx, func(tx quiz.Tx) error {
			called = true
			return tx.PutMember(fullMember(1, 1))
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled ctx returned %v; want context.Canceled", run.name, err)
		}
		if called {
			t.Errorf("%s with a cancelled ctx called fn", run.name)
		}
	}
	dctx, dcancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer dcancel()
	if err := s.Update(dctx, func(quiz.Tx) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Update with an expired deadline returned %v; want context.DeadlineExceeded", err)
	}
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(1, 1)
		get(t, "Member written with a cancelled ctx", m, ok, err, nil)
		return nil
	})
}

func fullMock(g quiz.GuildID, id quiz.MockID, candidate, interviewer quiz.UserID) quiz.Mock {
	return quiz.Mock{
		Guild: g, ID: id, Mode: quiz.MockPair, Candidate: candidate, Interviewer: interviewer,
		Topic: "tcp", Minutes: 30, Deadline: at(40), Thread: 1 << 62, State: quiz.MockFinished,
		Steps: []quiz.MockStep{{
			QuestionID: "tcp-handshake", Level: quiz.Mid, Answer: "SYN, SYN-ACK, ACK",
			FollowUps: []string{"Why not two?"}, FollowUpAnswers: []string{"Old duplicates."},
			Hints: 1, Covered: []int{0, 1}, Grade: quiz.Good, StartedAt: at(11), AnsweredAt: at(12).In(zone8),
		}, {QuestionID: "tcp-close", StartedAt: at(13)}},
		Verdict: "hire", Lang: quiz.Chinese, CreatedAt: at(10), FinishedAt: at(39),
	}
}

func fullAward(month string) quiz.Award {
	return quiz.Award{Month: month, State: quiz.AwardGiven, Winner: 10, Answers: 42, Previous: 11, Role: 1 << 61,
		Message: 1 << 62, ClaimedAt: at(20), UpdatedAt: at(21).In(zone8)}
}

func fullRecap(week quiz.Day) quiz.Recap {
	return quiz.Recap{Week: week, State: quiz.RecapSent, Message: 1 << 62, ClaimedAt: at(22), SentAt: at(23)}
}

func collectSessions(tx quiz.Tx, g quiz.GuildID, from quiz.SessionID, limit int) ([]quiz.Session, error) {
	var out []quiz.Session
	err := tx.Sessions(g, from, func(s quiz.Session) bool {
		out = append(out, s)
		return len(out) < limit
	})
	return out, err
}

func testSessionsScan(t *testing.T, s quiz.Store) {
	view(t, s, func(tx quiz.Tx) error {
		gs, err := tx.SessionGuilds()
		list(t, "SessionGuilds of an empty store", gs, err, nil)
		ss, err := collectSessions(tx, 1, 0, 100)
		list(t, "Sessions of an empty store", ss, err, nil)
		return nil
	})
	var want []quiz.Session
	update(t, s, func(tx quiz.Tx) error {
		for i := len(orderedSessions) - 1; i >= 0; i-- {
			v := fullSession(orderedGuilds[1], orderedSessions[i])
			if err := tx.PutSession(v); err != nil {
				return err
			}
		}
		for _, id := range orderedSessions {
			want = append(want, fullSession(orderedGuilds[1], id))
		}
		// A guild with configuration but no session, and others with sessions.
		return errors.Join(tx.PutGuild(fullGuild(orderedGuilds[0])), tx.PutSession(fullSession(orderedGuilds[4], 1)),
			tx.PutSession(fullSession(orderedGuilds[2], 3)))
	})
	g := orderedGuilds[1]
	view(t, s, func(tx quiz.Tx) error {
		gs, err := tx.SessionGuilds()
		list(t, "SessionGuilds", gs, err, []quiz.GuildID{orderedGuilds[1], orderedGuilds[2], orderedGuilds[4]})
		ss, err := collectSessions(tx, g, 0, 100)
		list(t, "Sessions(from 0)", ss, err, want)
		ss, err = collectSessions(tx, g, 11, 100)
		list(t, "Sessions(from 11)", ss, err, want[3:])
		ss, err = collectSessions(tx, g, 255, 2)
		list(t, "Sessions(from 255, stop after 2)", ss, err, want[3:5])
		ss, err = collectSessions(tx, g, 1<<48+1, 100)
		list(t, "Sessions(past the last)", ss, err, nil)
		ss, err = collectSessions(tx, 3, 0, 100)
		list(t, "Sessions(unknown guild)", ss, err, nil)
		return nil
	})
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.DeleteSession(g, 10), tx.DeleteSession(g, 10), tx.DeleteSession(g, 12345), tx.DeleteSession(77, 1),
			tx.DeleteSession(orderedGuilds[4], 1))
	})
	view(t, s, func(tx quiz.Tx) error {
		v, ok, err := tx.Session(g, 10)
		get(t, "Session after DeleteSession", v, ok, err, nil)
		ss, err := collectSessions(tx, g, 0, 100)
		list(t, "Sessions after DeleteSession", ss, err, append(append([]quiz.Session(nil), want[:2]...), want[3:]...))
		gs, err := tx.SessionGuilds()
		list(t, "SessionGuilds after deleting a guild's only session", gs, err, []quiz.GuildID{orderedGuilds[1], orderedGuilds[2]})
		return nil
	})
}

func testMock(t *testing.T, s quiz.Store) {
	var want quiz.Mock
	update(t, s, func(tx quiz.Tx) error {
		id, err := tx.NextMockID(1)
		if err != nil {
			return err
		}
		id2, err := tx.NextMockID(1)
		if err != nil {
			return err
		}
		if id == 0 || id2 <= id {
			t.Errorf("NextMockID gave %d then %d; want increasing non-zero ids", id, id2)
		}
		m, ok, err := tx.Mock(1, id)
		get(t, "Mock before Put", m, ok, err, nil)
		want = fullMock(1, id, 10, 11)
		return tx.PutMock(want)
	})
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Mock(1, want.ID)
		get(t, "Mock", m, ok, err, &want)
		m, ok, err = tx.Mock(2, want.ID)
		get(t, "Mock(other guild)", m, ok, err, nil)
		return nil
	})
	want.State, want.Steps, want.Verdict = quiz.MockRunning, want.Steps[:1], ""
	update(t, s, func(tx quiz.Tx) error { return tx.PutMock(want) })
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Mock(1, want.ID)
		get(t, "Mock after replacing", m, ok, err, &want)
		return nil
	})
}

func testMemberMocks(t *testing.T, s quiz.Store) {
	// Mocks of user 10 created in an order that differs from their ids, one with 10 as
	// interviewer, others of other users.
	mk := func(id quiz.MockID, candidate, interviewer quiz.UserID, minutes int) quiz.Mock {
		m := fullMock(1, id, candidate, interviewer)
		m.CreatedAt = at(minutes)
		return m
	}
	mocks := []quiz.Mock{
		mk(1, 10, 0, 5), mk(2, 10, 11, 3), mk(3, 11, 10, 4), mk(4, 12, 13, 6), mk(5, 10, 0, 7), mk(6, 256, 0, 8),
	}
	update(t, s, func(tx quiz.Tx) error {
		for _, m := range mocks {
			if err := tx.PutMock(m); err != nil {
				return err
			}
		}
		return tx.PutMock(mk(1, 10, 0, 5)) // putting again keeps one index entry
	})
	view(t, s, func(tx quiz.Tx) error {
		ms, err := tx.MemberMocks(1, 10, 10)
		list(t, "MemberMocks(10)", ms, err, []quiz.Mock{mocks[4], mocks[0], mocks[2], mocks[1]})
		ms, err = tx.MemberMocks(1, 10, 2)
		list(t, "MemberMocks(10, max 2)", ms, err, []quiz.Mock{mocks[4], mocks[0]})
		ms, err = tx.MemberMocks(1, 11, 10)
		list(t, "MemberMocks(11)", ms, err, []quiz.Mock{mocks[2], mocks[1]})
		ms, err = tx.MemberMocks(1, 256, 10)
		list(t, "MemberMocks(256)", ms, err, []quiz.Mock{mocks[5]})
		ms, err = tx.MemberMocks(1, 10, 0)
		list(t, "MemberMocks(max 0)", ms, err, nil)
		ms, err = tx.MemberMocks(2, 10, 10)
		list(t, "MemberMocks(other guild)", ms, err, nil)
		return nil
	})
	// The interviewer changes: the index follows.
	moved := mocks[1]
	moved.Interviewer = 12
	update(t, s, func(tx quiz.Tx) error { return tx.PutMock(moved) })
	view(t, s, func(tx quiz.Tx) error {
		ms, err := tx.MemberMocks(1, 11, 10)
		list(t, "MemberMocks(11) after the interviewer changed", ms, err, []quiz.Mock{mocks[2]})
		ms, err = tx.MemberMocks(1, 12, 10)
		list(t, "MemberMocks(12) after the interviewer changed", ms, err, []quiz.Mock{mocks[3], moved})
		return nil
	})
}

func testDeleteMemberMocks(t *testing.T, s quiz.Store) {
	own, interviewed, other := fullMock(1, 1, 10, 11), fullMock(1, 2, 11, 10), fullMock(1, 3, 11, 12)
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.PutMock(own), tx.PutMock(interviewed), tx.PutMock(other), tx.PutMock(fullMock(2, 1, 10, 0)))
	})
	update(t, s, func(tx quiz.Tx) error { return tx.DeleteMember(1, 10) })
	interviewed.Interviewer = 0
	view(t, s, func(tx quiz.Tx) error {
		m, ok, err := tx.Mock(1, own.ID)
		get(t, "the deleted member's own mock", m, ok, err, nil)
		m, ok, err = tx.Mock(1, interviewed.ID)
		get(t, "a mock the deleted member interviewed", m, ok, err, &interviewed)
		ms, err := tx.MemberMocks(1, 10, 10)
		list(t, "MemberMocks of the deleted member", ms, err, nil)
		ms, err = tx.MemberMocks(1, 11, 10)
		list(t, "MemberMocks(11)", ms, err, []quiz.Mock{other, interviewed})
		ms, err = tx.MemberMocks(2, 10, 10)
		list(t, "MemberMocks in another guild", ms, err, []quiz.Mock{fullMock(2, 1, 10, 0)})
		return nil
	})
}

func testAwardRecap(t *testing.T, s quiz.Store) {
	week := quiz.Date(2025, 3, 24)
	view(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Award(1, "2025-03")
		get(t, "Award before Put", a, ok, err, nil)
		r, ok, err := tx.Recap(1, week)
		get(t, "Recap before Put", r, ok, err, nil)
		return nil
	})
	update(t, s, func(tx quiz.Tx) error {
		return errors.Join(tx.PutAward(1, fullAward("2025-03")), tx.PutAward(1, fullAward("2025-04")),
			tx.PutRecap(1, fullRecap(week)), tx.PutRecap(1, fullRecap(week+7)))
	})
	want := fullAward("2025-03")
	wantR := fullRecap(week)
	view(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Award(1, "2025-03")
		get(t, "Award(2025-03)", a, ok, err, &want)
		a, ok, err = tx.Award(2, "2025-03")
		get(t, "Award(other guild)", a, ok, err, nil)
		a, ok, err = tx.Award(1, "2025-05")
		get(t, "Award(2025-05)", a, ok, err, nil)
		r, ok, err := tx.Recap(1, week)
		get(t, "Recap", r, ok, err, &wantR)
		r, ok, err = tx.Recap(1, week+1)
		get(t, "Recap(another day)", r, ok, err, nil)
		return nil
	})
	want.State, want.Message = quiz.AwardAnnounced, 5
	wantR.State = quiz.RecapClaimed
	update(t, s, func(tx quiz.Tx) error { return errors.Join(tx.PutAward(1, want), tx.PutRecap(1, wantR)) })
	view(t, s, func(tx quiz.Tx) error {
		a, ok, err := tx.Award(1, "2025-03")
		get(t, "Award after replacing", a, ok, err, &want)
		r, ok, err := tx.Recap(1, week)
		get(t, "Recap after replacing", r, ok, err, &wantR)
		return nil
	})
}

// testCopySafetyV2 covers the slices schema v2 added: an attempt's Covered and a mock's steps.
func testCopySafetyV2(t *testing.T, s quiz.Store) {
	a, m := fullAttempt(1, 10, 1), fullMock(1, 1, 10, 11)
	wantA, wantM := fullAttempt(1, 10, 1), fullMock(1, 1, 10, 11)
	scribble := func(a *quiz.Attempt, m *quiz.Mock) {
		a.Covered[0] = 99
		m.Steps[0].Covered[0] = 99
		m.Steps[0].FollowUps[0] = "changed"
		m.Steps[0].FollowUpAnswers[0] = "changed"
		m.Steps[1].QuestionID = "changed"
	}
	check := func(tx quiz.Tx, when string) {
		got, ok, err := tx.Attempt(1, 10, 1)
		get(t, "Attempt "+when, got, ok, err, &wantA)
		as, err := tx.Attempts(1, 10)
		list(t, "Attempts "+when, as, err, []quiz.Attempt{wantA})
		gm, ok, err := tx.Mock(1, 1)
		get(t, "Mock "+when, gm, ok, err, &wantM)
		ms, err := tx.MemberMocks(1, 10, 10)
		list(t, "MemberMocks "+when, ms, err, []quiz.Mock{wantM})
	}
	update(t, s, func(tx quiz.Tx) error {
		if err := errors.Join(tx.PutAttempt(a), tx.PutMock(m)); err != nil {
			return err
		}
		scribble(&a, &m)
		check(tx, "after changing the Put values, same tx")
		return nil
	})
	view(t, s, func(tx quiz.Tx) error {
		got, _, err1 := tx.Attempt(1, 10, 1)
		gm, _, err2 := tx.Mock(1, 1)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		scribble(&got, &gm)
		as, _ := tx.Attempts(1, 10)
		ms, _ := tx.MemberMocks(1, 10, 10)
		if len(as) == 1 && len(ms) == 1 {
			scribble(&as[0], &ms[0])
		}
		check(tx, "after changing returned values")
		return nil
	})
}

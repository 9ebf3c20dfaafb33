package quiz_test

import (
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestViewerLanguage: /streak and /leaderboard speak the viewer's language (their setting, else
// their client's locale), not the language of the member shown or of the others listed.
func TestViewerLanguage(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	zhViewer, enMember := member(1), member(2) // both with en-US clients
	if _, err := e.app.Members.SetLanguage(ctx, zhViewer, "zh"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Members.SetLanguage(ctx, enMember, "en"); err != nil {
		t.Fatal(err)
	}
	answerOnce(t, e, enMember)
	answerOnce(t, e, zhViewer)

	if v, err := e.app.Members.Streak(ctx, zhViewer, enMember.User); err != nil || v.Lang != quiz.Chinese || v.Member.User != enMember.User {
		t.Errorf("the zh viewer's /streak of an en member = %s for user %d, %v; want zh", v.Lang, v.Member.User, err)
	}
	if v, err := e.app.Members.Streak(ctx, enMember, zhViewer.User); err != nil || v.Lang != quiz.English {
		t.Errorf("the en viewer's /streak of a zh member = %s, %v; want en", v.Lang, err)
	}
	if v, err := e.app.Members.Streak(ctx, zhViewer, zhViewer.User); err != nil || v.Lang != quiz.Chinese || v.Status.Current != 1 {
		t.Errorf("the zh member's own /streak = %s, current %d, %v; want zh, 1", v.Lang, v.Status.Current, err)
	}
	for _, board := range []quiz.Board{quiz.BoardStreak, quiz.BoardMonth} {
		if _, lang, err := e.app.Members.Leaderboard(ctx, zhViewer, board, 10); err != nil || lang != quiz.Chinese {
			t.Errorf("%s board for the zh viewer: %s, %v; want zh", board, lang, err)
		}
		if _, lang, err := e.app.Members.Leaderboard(ctx, enMember, board, 10); err != nil || lang != quiz.English {
			t.Errorf("%s board for the en viewer: %s, %v; want en", board, lang, err)
		}
		zhClient := quiz.Actor{Guild: 10, User: 50, Locale: "zh-CN"} // no member record yet
		if _, lang, err := e.app.Members.Leaderboard(ctx, zhClient, board, 10); err != nil || lang != quiz.Chinese {
			t.Errorf("%s board for a zh-CN client never seen: %s, %v; want zh", board, lang, err)
		}
	}
}

// TestLeaderboardRanks: members with nothing to show are left out, equal values share a rank
// (then by user id), and n cuts the list.
func TestLeaderboardRanks(t *testing.T) {
	e := newEnv(t, testBank(t, 10, "tcp"))
	for _, u := range []quiz.UserID{3, 1, 2} {
		answerOnce(t, e, member(u))
	}
	e.clock.Add(24 * time.Hour)
	answerOnce(t, e, member(2))
	if _, err := e.app.Members.SetLanguage(ctx, member(9), "en"); err != nil { // a member with no answers
		t.Fatal(err)
	}
	got, _, err := e.app.Members.Leaderboard(ctx, member(9), quiz.BoardStreak, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []quiz.Entry{{Rank: 1, User: 2, Value: 2}, {Rank: 2, User: 1, Value: 1}, {Rank: 2, User: 3, Value: 1}}
	if len(got) != len(want) {
		t.Fatalf("streak board = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i].Rank != want[i].Rank || got[i].User != want[i].User || got[i].Value != want[i].Value {
			t.Errorf("streak board line %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	if top, _, _ := e.app.Members.Leaderboard(ctx, member(9), quiz.BoardStreak, 2); len(top) != 2 || top[1].User != 1 {
		t.Errorf("top 2 = %+v; want users 2 and 1", top)
	}
	// Next month the month board starts empty; streaks carry on.
	e.clock.Set(time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	if month, _, _ := e.app.Members.Leaderboard(ctx, member(9), quiz.BoardMonth, 10); len(month) != 0 {
		t.Errorf("month board in a new month = %+v; want empty", month)
	}
}

func answerOnce(t *testing.T, e *env, a quiz.Actor) {
	t.Helper()
	s, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Answer(ctx, a, s.Session.ID, "x"); err != nil {
		t.Fatal(err)
	}
}

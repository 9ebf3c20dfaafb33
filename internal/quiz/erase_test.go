package quiz_test

import (
	"context"
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// TestAfterErase: Options.AfterErase runs once per committed erasure, and not for one that
// failed.
func TestAfterErase(t *testing.T) {
	calls := 0
	app := quiz.New(quiztest.NewMemStore(), testBank(t, 3, "tcp"), quiz.Options{AfterErase: func() { calls++ }})
	if err := app.Members.DeleteMember(t.Context(), member(1)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("AfterErase ran %d times after one erasure; want 1", calls)
	}
	done, cancel := context.WithCancel(t.Context())
	cancel()
	if err := app.Members.DeleteMember(done, member(2)); err == nil {
		t.Fatal("DeleteMember with a done context succeeded")
	}
	if calls != 1 {
		t.Errorf("AfterErase ran after a failed erasure (%d calls)", calls)
	}
}

package quiz_test

import (
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestPlatformGrantedModerator: a member the platform grants the moderator commands
// (Actor.Moderator) moderates like Manage Server, but may not choose the moderator role; a
// member with neither is refused.
func TestPlatformGrantedModerator(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	granted := quiz.Actor{Guild: 10, User: 5, Moderator: true}
	if err := e.app.Moderation.CheckModerator(ctx, granted); err != nil {
		t.Errorf("CheckModerator(granted) = %v; want nil", err)
	}
	if err := e.app.Moderation.SetModeratorRole(ctx, granted, 7); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("SetModeratorRole(granted) = %v; want EFORBIDDEN", err)
	}
	if err := e.app.Moderation.CheckModerator(ctx, quiz.Actor{Guild: 10, User: 6}); quiz.ErrorCode(err) != quiz.EFORBIDDEN {
		t.Errorf("CheckModerator(member) = %v; want EFORBIDDEN", err)
	}
}

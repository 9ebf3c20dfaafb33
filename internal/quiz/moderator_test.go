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

// TestDisableKeepsATopic: a moderator may disable every question of a topic but the last; the
// last is refused (the topic would be asked from nothing), and enabling one back is allowed.
func TestDisableKeepsATopic(t *testing.T) {
	e := newEnv(t, testBank(t, 2, "tcp", "http"))
	mod := quiz.Actor{Guild: 10, User: 5, Manager: true}
	if err := e.app.Moderation.SetDisabled(ctx, mod, "tcp-q0", true); err != nil {
		t.Fatalf("disabling one of two: %v", err)
	}
	if err := e.app.Moderation.SetDisabled(ctx, mod, "tcp-q1", true); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Fatalf("disabling the last enabled question of tcp = %v; want EINVALID", err)
	}
	if err := e.app.Moderation.SetDisabled(ctx, mod, "tcp-q0", false); err != nil {
		t.Fatalf("enabling it back: %v", err)
	}
	if err := e.app.Moderation.SetDisabled(ctx, mod, "tcp-q1", true); err != nil {
		t.Fatalf("disabling one of two again: %v", err)
	}
}

package quiztest

import (
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func TestMemStore(t *testing.T) {
	TestStore(t, func(*testing.T) quiz.Store { return NewMemStore() })
}

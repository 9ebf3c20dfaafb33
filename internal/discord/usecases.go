package discord

import (
	"context"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The domain as the handlers use it: one small interface per group of use cases, each naming
// only the methods this package calls. bot/ passes quiz.App's use cases, which also carry the
// publisher (this Bot) and the bank codec, so no call here hands either over.

// Practice is what the question buttons, /interview and /review need.
type Practice interface {
	Ask(ctx context.Context, a quiz.Actor, r quiz.AskRequest) (quiz.Asked, error)
	Next(ctx context.Context, a quiz.Actor, sid quiz.SessionID, r quiz.AskRequest) (quiz.Asked, error)
	Answer(ctx context.Context, a quiz.Actor, sid quiz.SessionID, text string) (quiz.Answered, error)
	Reveal(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.Answered, error)
	Grade(ctx context.Context, a quiz.Actor, sid quiz.SessionID, g quiz.Grade) (quiz.Graded, error)
	// Close reveals a public question now and returns the session and question to show.
	Close(ctx context.Context, a quiz.Actor, r quiz.CloseRequest) (quiz.Session, quiz.Question, error)
	Session(ctx context.Context, g quiz.GuildID, sid quiz.SessionID) (quiz.Session, quiz.Question, error)
	// SessionFor is Session for the member about to use it: another's private one is refused.
	SessionFor(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.Session, quiz.Question, error)
	SetSessionMessage(ctx context.Context, g quiz.GuildID, sid quiz.SessionID, ch quiz.ChannelID, msg quiz.MessageID) error
	Report(ctx context.Context, a quiz.Actor, sid quiz.SessionID, reason string) error
	MatchTopics(ctx context.Context, g quiz.GuildID, prefix string, max int) ([]quiz.Topic, error)
	// Hint, Check and Intervals are the learning aids: a key point before answering, the
	// checklist's suggested grade after, and each grade's interval for its button.
	Hint(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.HintResult, error)
	Check(ctx context.Context, a quiz.Actor, sid quiz.SessionID, covered []int) (quiz.Suggestion, error)
	Intervals(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (map[quiz.Grade]time.Duration, error)
}

// Members is what /streak, /leaderboard, /progress, /settings and /privacy need, and the language every
// reply is written in.
type Members interface {
	Lang(ctx context.Context, a quiz.Actor) quiz.Lang
	Streak(ctx context.Context, a quiz.Actor, u quiz.UserID) (quiz.StreakView, error)
	Leaderboard(ctx context.Context, a quiz.Actor, b quiz.Board, n int) ([]quiz.Entry, quiz.Lang, error)
	Settings(ctx context.Context, a quiz.Actor) (quiz.Settings, error)
	SetTimezone(ctx context.Context, a quiz.Actor, zone string) (string, error)
	SetLanguage(ctx context.Context, a quiz.Actor, lang string) (quiz.Lang, error)
	SetRetention(ctx context.Context, a quiz.Actor, value string) (float64, error)
	Progress(ctx context.Context, a quiz.Actor) (quiz.Progress, error)
	ExportMember(ctx context.Context, a quiz.Actor) (quiz.Export, error)
	DeleteMember(ctx context.Context, a quiz.Actor) error
}

// Daily is what /daily needs.
type Daily interface {
	Setup(ctx context.Context, a quiz.Actor, r quiz.DailyRequest) (quiz.Daily, error)
	Show(ctx context.Context, a quiz.Actor) (quiz.DailyStatus, error)
	Pause(ctx context.Context, a quiz.Actor, pause bool) (quiz.Daily, error)
	Skip(ctx context.Context, a quiz.Actor) (quiz.Day, error)
	PostNow(ctx context.Context, a quiz.Actor) (quiz.Post, error)
}

// Moderation is who may moderate (the router's check before a moderator command, /settings
// moderator-role) and the reports members file.
type Moderation interface {
	CheckModerator(ctx context.Context, a quiz.Actor) error
	SetModeratorRole(ctx context.Context, a quiz.Actor, role quiz.RoleID) error
	Reports(ctx context.Context, a quiz.Actor) ([]quiz.Report, error)
	ResolveReport(ctx context.Context, a quiz.Actor, id quiz.ReportID, note string) error
}

// Bank is what /bank needs to show and change a server's questions.
type Bank interface {
	BankQuestions(ctx context.Context, a quiz.Actor, topic string) ([]quiz.QuestionInfo, error)
	BankQuestion(ctx context.Context, a quiz.Actor, id string) (quiz.QuestionInfo, error)
	MatchQuestionIDs(ctx context.Context, a quiz.Actor, prefix string, max int) ([]string, error)
	AddQuestion(ctx context.Context, a quiz.Actor, q quiz.Question) error
	EditQuestion(ctx context.Context, a quiz.Actor, q quiz.Question, version int) error
	SetDisabled(ctx context.Context, a quiz.Actor, id string, disabled bool) error
	RemoveQuestion(ctx context.Context, a quiz.Actor, id string) error
	QuestionHistory(ctx context.Context, a quiz.Actor, id string) ([]quiz.HistoryEntry, error)
	ExportBank(ctx context.Context, a quiz.Actor, topic string) ([]quiz.ExportedFile, error)
	PreviewImport(ctx context.Context, a quiz.Actor, name string, data []byte) (quiz.ImportPlan, error)
	ApplyImport(ctx context.Context, a quiz.Actor, id uint64) (quiz.ImportPlan, error)
}

// FileParser reads a bank file attached to /bank add (bank.Codec).
type FileParser interface {
	Parse(name string, data []byte) (quiz.Topic, []quiz.Question, error)
}

// ProgressChart draws /progress (chart.Drawer): the picture, and the same facts as text for
// the embed, screen readers and Chinese labels.
type ProgressChart interface {
	Render(p quiz.Progress) ([]byte, error)
	Text(p quiz.Progress) string
}

// Mocks is what /mock and its buttons need.
type Mocks interface {
	Start(ctx context.Context, a quiz.Actor, r quiz.MockRequest) (quiz.MockView, error)
	Resume(ctx context.Context, a quiz.Actor) (quiz.MockView, error)
	Get(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	Answer(ctx context.Context, a quiz.Actor, id quiz.MockID, text string) (quiz.MockView, error)
	Hint(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	RevealNext(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	Check(ctx context.Context, a quiz.Actor, id quiz.MockID, step int, covered []int) (quiz.MockView, error)
	Grade(ctx context.Context, a quiz.Actor, id quiz.MockID, step int, g quiz.Grade) (quiz.MockView, error)
	End(ctx context.Context, a quiz.Actor, id quiz.MockID) (quiz.MockView, error)
	SetMockThread(ctx context.Context, a quiz.Actor, id quiz.MockID, thread quiz.ChannelID) error
	History(ctx context.Context, a quiz.Actor) ([]quiz.MockView, error)
}

// Awards is what /daily champion and /daily recap need.
type Awards interface {
	SetChampionRole(ctx context.Context, a quiz.Actor, role quiz.RoleID, check quiz.RoleCheck) error
	SetRecap(ctx context.Context, a quiz.Actor, on bool) error
	Status(ctx context.Context, a quiz.Actor) (quiz.AwardsStatus, error)
}

// UseCases are the domain's use cases the Bot serves; New needs every one. Moderation and Bank
// are both *quiz.Moderation in production.
type UseCases struct {
	Practice   Practice
	Members    Members
	Daily      Daily
	Moderation Moderation
	Bank       Bank
	Mocks      Mocks
	Awards     Awards
}

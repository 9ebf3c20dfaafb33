// Package console runs the practice use cases in a terminal: the same commands as on Discord,
// buttons shown as [labels] that can be typed, modal fields asked one line each. It reads
// commands until end of input, so it also works with a pipe.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Practice is the practice the console offers: questions, answers, grades and the topics.
type Practice interface {
	Ask(ctx context.Context, a quiz.Actor, r quiz.AskRequest) (quiz.Asked, error)
	Next(ctx context.Context, a quiz.Actor, sid quiz.SessionID, r quiz.AskRequest) (quiz.Asked, error)
	Answer(ctx context.Context, a quiz.Actor, sid quiz.SessionID, text string) (quiz.Answered, error)
	Reveal(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.Answered, error)
	Grade(ctx context.Context, a quiz.Actor, sid quiz.SessionID, g quiz.Grade) (quiz.Graded, error)
	Topics(ctx context.Context, g quiz.GuildID) ([]quiz.Topic, map[string]int, error)
	Hint(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.HintResult, error)
	Check(ctx context.Context, a quiz.Actor, sid quiz.SessionID, covered []int) (quiz.Suggestion, error)
}

// Members is the local member's own records: streak, leaderboard, settings and privacy.
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

// Chart draws /progress (chart.Drawer): the picture, and the same facts as text.
type Chart interface {
	Render(p quiz.Progress) ([]byte, error)
	Text(p quiz.Progress) string
}

// Console is one interactive session for one local member.
type Console struct {
	practice Practice
	members  Members
	mocks    Mocks
	actor    quiz.Actor
	in       io.Reader
	out      io.Writer
	log      *slog.Logger
	chart    Chart  // nil: /progress prints text only
	dir      string // where /progress writes its picture

	readOnce sync.Once
	lines    chan string // closed at end of input

	session quiz.SessionID // the question on screen
	stage   stage
	draft   string      // an answer too long to send, kept so it is not lost
	mock    quiz.MockID // the mock interview on screen
	focus   int         // the report's question being graded

	intervals map[quiz.Grade]time.Duration // where each grade leads, for the answered prompt
	suggested quiz.Grade                   // the checklist's suggestion, for accept
}

type stage int

const (
	idle        stage = iota
	asked             // [Answer] [Hint] [Reveal] [Next]
	answered          // [Again · 10m] [Hard · 1d] [Good · 1d] [Easy · 4d] [Next]
	mockRunning       // [Answer] [Hint] [End]
	mockGrading       // [check 1,2…] [Again] [Hard] [Good] [Easy] [End]
)

// New returns a console for actor reading in and writing out.
func New(p Practice, m Members, mk Mocks, actor quiz.Actor, in io.Reader, out io.Writer, log *slog.Logger) *Console {
	return &Console{practice: p, members: m, mocks: mk, actor: actor, in: in, out: out, log: log}
}

// WithChart lets /progress draw its picture with ch into a file in dir.
func (c *Console) WithChart(ch Chart, dir string) *Console {
	c.chart, c.dir = ch, dir
	return c
}

// Run reads commands until end of input (Ctrl-D), /quit, or ctx is done (Ctrl-C). Each is a
// normal way to leave, so each returns nil at once, without waiting for another line.
func (c *Console) Run(ctx context.Context) error {
	c.printf("%s\n", tr(c.lang(), "Interview practice (local console). Type /help for commands, /quit to leave.",
		"面试练习（本地控制台）。输入 /help 查看命令，/quit 退出。"))
	for {
		c.prompt()
		line, ok := c.readLine(ctx)
		if !ok {
			c.printf("\n")
			return nil
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if cmd := strings.ToLower(line); cmd == "/quit" || cmd == "/exit" {
			return nil
		}
		if err := c.handle(ctx, line); err != nil {
			c.reply(err)
		}
	}
}

// readLine returns the next line, or false at end of input or once ctx is done. Lines are read
// by one goroutine, so a read blocked on a terminal never holds up leaving: the process exits
// with that read still pending.
func (c *Console) readLine(ctx context.Context) (string, bool) {
	c.readOnce.Do(func() {
		c.lines = make(chan string)
		go func() {
			defer close(c.lines)
			// A Reader, not a Scanner: a line of any length (a pasted answer) arrives whole.
			r := bufio.NewReader(c.in)
			for {
				line, err := r.ReadString('\n')
				if line == "" && err != nil {
					return
				}
				select {
				case c.lines <- strings.TrimRight(line, "\r\n"):
				case <-ctx.Done():
					return
				}
			}
		}()
	})
	if ctx.Err() != nil {
		return "", false
	}
	select {
	case line, ok := <-c.lines:
		return line, ok
	case <-ctx.Done():
		return "", false
	}
}

func (c *Console) prompt() {
	switch c.stage {
	case asked:
		c.printf("%s > ", buttons(c.lang(), "Answer", "Hint", "Reveal", "Next"))
	case answered:
		c.printf("%s %s > ", c.gradeButtons(), buttons(c.lang(), "Next"))
	case mockRunning, mockGrading:
		c.printf("%s > ", c.mockPrompt())
	default:
		c.printf("> ")
	}
}

func (c *Console) lang() quiz.Lang { return c.members.Lang(context.Background(), c.actor) }

func buttons(l quiz.Lang, names ...string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "[" + l.T(n) + "]"
	}
	return strings.Join(parts, " ")
}

// problem is a console mistake (an unknown command, a bad argument) in both languages.
type problem struct{ en, zh string }

func (p *problem) Error() string { return "console: " + p.en }

// mistake returns a problem whose texts are formatted with the same args.
func mistake(en, zh string, args ...any) error {
	return &problem{en: fmt.Sprintf(en, args...), zh: fmt.Sprintf(zh, args...)}
}

// reply is the console's one mapping from errors to text.
func (c *Console) reply(err error) {
	l := c.lang()
	var p *problem
	if errors.As(err, &p) {
		c.printf("! %s\n", tr(l, p.en, p.zh))
		return
	}
	if quiz.ErrorCode(err) == quiz.EINTERNAL {
		c.log.Error("console command failed", "err", err)
	}
	c.printf("! %s\n", quiz.ErrorMessageIn(err, l))
}

func (c *Console) printf(format string, args ...any) { fmt.Fprintf(c.out, format, args...) }

// tr picks the text for l: the console's strings are en/zh pairs, like the Discord adapter's.
func tr(l quiz.Lang, en, zh string) string {
	if l == quiz.Chinese {
		return zh
	}
	return en
}

// Package console runs the practice use cases in a terminal: the same commands as on Discord,
// buttons shown as [labels] that can be typed, modal fields asked one line each. It reads
// commands until end of input, so it also works with a pipe.
package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
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
}

// Members is the local member's own records: streak, leaderboard, settings and privacy.
type Members interface {
	Lang(ctx context.Context, a quiz.Actor) quiz.Lang
	Streak(ctx context.Context, a quiz.Actor, u quiz.UserID) (quiz.StreakView, error)
	Leaderboard(ctx context.Context, a quiz.Actor, b quiz.Board, n int) ([]quiz.Entry, quiz.Lang, error)
	SetTimezone(ctx context.Context, a quiz.Actor, zone string) (string, error)
	SetLanguage(ctx context.Context, a quiz.Actor, lang string) (quiz.Lang, error)
	ExportMember(ctx context.Context, a quiz.Actor) (quiz.Export, error)
	DeleteMember(ctx context.Context, a quiz.Actor) error
}

// Console is one interactive session for one local member.
type Console struct {
	practice Practice
	members  Members
	actor    quiz.Actor
	in       *bufio.Scanner
	out      io.Writer
	log      *slog.Logger

	session quiz.SessionID // the question on screen
	stage   stage
}

type stage int

const (
	idle     stage = iota
	asked          // [Answer] [Reveal] [Next]
	answered       // [Again] [Hard] [Good] [Easy] [Next]
)

// New returns a console for actor reading in and writing out.
func New(p Practice, m Members, actor quiz.Actor, in io.Reader, out io.Writer, log *slog.Logger) *Console {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	return &Console{practice: p, members: m, actor: actor, in: sc, out: out, log: log}
}

// Run reads commands until end of input, /quit, or ctx is done. It returns nil at end of input.
func (c *Console) Run(ctx context.Context) error {
	c.printf("Interview practice (local console). Type /help for commands, /quit to leave.\n")
	for {
		c.prompt()
		line, ok := c.readLine(ctx)
		if !ok {
			c.printf("\n")
			return ctx.Err()
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if line == "/quit" || line == "/exit" {
			return nil
		}
		if err := c.handle(ctx, line); err != nil {
			c.reply(err)
		}
	}
}

// readLine reads one line; it gives up when ctx is done (the read itself cannot be cancelled,
// but a closed stdin or signal ends the process anyway).
func (c *Console) readLine(ctx context.Context) (string, bool) {
	if ctx.Err() != nil {
		return "", false
	}
	if !c.in.Scan() {
		return "", false
	}
	return c.in.Text(), true
}

func (c *Console) prompt() {
	switch c.stage {
	case asked:
		c.printf("%s > ", buttons(c.lang(), "Answer", "Reveal", "Next"))
	case answered:
		c.printf("%s > ", buttons(c.lang(), "Again", "Hard", "Good", "Easy", "Next"))
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

// reply is the console's one mapping from errors to text.
func (c *Console) reply(err error) {
	if quiz.ErrorCode(err) == quiz.EINTERNAL {
		c.log.Error("console command failed", "err", err)
	}
	c.printf("! %s\n", quiz.ErrorMessageIn(err, c.lang()))
}

func (c *Console) printf(format string, args ...any) { fmt.Fprintf(c.out, format, args...) }

func (c *Console) handle(ctx context.Context, line string) error {
	if !strings.HasPrefix(line, "/") {
		return c.button(ctx, line)
	}
	fields := strings.Fields(line)
	cmd, args := strings.TrimPrefix(fields[0], "/"), fields[1:]
	switch cmd {
	case "help":
		c.help()
	case "interview":
		topic := ""
		if len(args) > 0 {
			topic = args[0]
		}
		return c.ask(ctx, quiz.AskRequest{Topic: topic})
	case "review":
		return c.ask(ctx, quiz.AskRequest{Review: true})
	case "topics":
		return c.topics(ctx)
	case "streak":
		return c.streak(ctx)
	case "leaderboard":
		b := quiz.BoardStreak
		if len(args) > 0 && args[0] == "month" {
			b = quiz.BoardMonth
		}
		return c.leaderboard(ctx, b)
	case "settings":
		return c.settings(ctx, args)
	case "privacy":
		return c.privacy(ctx, args)
	default:
		return quiz.Errorf(quiz.EINVALID, "Unknown command /%s. Type /help for the list.", cmd)
	}
	return nil
}

func (c *Console) help() {
	c.printf(`Commands:
  /interview [topic]        a question (any topic if none); /topics lists them
  /review                   a question due for spaced review
  /streak                   your streak, and why it is what it is
  /leaderboard [month]      current streaks, or answers this month
  /settings timezone ZONE   e.g. Europe/Berlin (reset to clear)
  /settings language en|zh|auto
  /privacy export | delete  your data as JSON, or erase it
  /quit
After a question, type a button's label: answer, reveal, next; after answering: again, hard, good, easy.
`)
}

// button handles a typed button label.
func (c *Console) button(ctx context.Context, label string) error {
	l := strings.ToLower(label)
	lang := c.lang()
	is := func(name string) bool {
		return l == strings.ToLower(name) || l == strings.ToLower(lang.T(name)) || l == "["+strings.ToLower(name)+"]"
	}
	switch {
	case c.stage == idle:
		return quiz.Errorf(quiz.EINVALID, "Ask for a question first: /interview [topic].")
	case is("Next"):
		return c.next(ctx)
	case c.stage == asked && is("Answer"):
		return c.answer(ctx)
	case c.stage == asked && is("Reveal"):
		res, err := c.practice.Reveal(ctx, c.actor, c.session)
		if err != nil {
			return err
		}
		c.showReference(res)
		c.stage = answered
		return nil
	case c.stage == answered:
		for _, g := range quiz.Grades {
			if is(string(g)) || is(strings.ToUpper(string(g[:1]))+string(g[1:])) {
				return c.grade(ctx, g)
			}
		}
	}
	return quiz.Errorf(quiz.EINVALID, "Type one of the labels in brackets, or a /command.")
}

func (c *Console) ask(ctx context.Context, r quiz.AskRequest) error {
	asked, err := c.practice.Ask(ctx, c.actor, r)
	if err != nil {
		return err
	}
	c.show(asked)
	return nil
}

func (c *Console) next(ctx context.Context) error {
	asked, err := c.practice.Next(ctx, c.actor, c.session, quiz.AskRequest{})
	if err != nil {
		return err
	}
	c.show(asked)
	return nil
}

func (c *Console) show(a quiz.Asked) {
	c.session, c.stage = a.Session.ID, asked
	q, l := a.Question, a.Lang
	c.printf("\n── %s · %s · %s ──\n%s\n\n", q.Topic, l.T(string(q.Level)), q.ID, q.Prompt.In(l))
}

func (c *Console) answer(ctx context.Context) error {
	c.printf("%s (one line): ", c.lang().T("Your answer"))
	text, ok := c.readLine(ctx)
	if !ok {
		return nil
	}
	res, err := c.practice.Answer(ctx, c.actor, c.session, text)
	if err != nil {
		return err
	}
	c.showReference(res)
	if res.Counted {
		c.printf("Streak: %d day(s) in a row.\n", res.Streak.Current)
	}
	c.stage = answered
	return nil
}

func (c *Console) showReference(res quiz.Answered) {
	q, l := res.Question, res.Lang
	if s := strings.TrimSpace(q.Summary.In(l)); s != "" {
		c.printf("\n%s: %s\n", l.T("In short"), s)
	}
	c.printf("\n%s:\n%s\n", l.T("Reference answer"), strings.TrimSpace(q.Answer.In(l)))
	c.printf("\n%s:\n", l.T("Key points"))
	for _, k := range q.KeyPoints.In(l) {
		c.printf("  • %s\n", k)
	}
	if f := q.FollowUps.In(l); len(f) > 0 {
		c.printf("\n%s:\n", l.T("Follow-up questions"))
		for _, k := range f {
			c.printf("  ? %s\n", k)
		}
	}
	c.printf("\n%s\n", l.T("How did you do?"))
}

func (c *Console) grade(ctx context.Context, g quiz.Grade) error {
	res, err := c.practice.Grade(ctx, c.actor, c.session, g)
	if err != nil {
		return err
	}
	c.printf("Graded %s. %s: %s.\n", g, res.Lang.T("Next review"), res.Card.Due.Format(time.DateTime+" MST"))
	c.stage = idle
	return nil
}

func (c *Console) topics(ctx context.Context) error {
	ts, counts, err := c.practice.Topics(ctx, c.actor.Guild)
	if err != nil {
		return err
	}
	l := c.lang()
	for _, t := range ts {
		c.printf("  %-14s %3d  %s\n", t.Slug, counts[t.Slug], t.Title.In(l))
	}
	return nil
}

func (c *Console) streak(ctx context.Context) error {
	v, err := c.members.Streak(ctx, c.actor, c.actor.User)
	if err != nil {
		return err
	}
	s := v.Status
	c.printf("Streak: %d day(s) (best %d). Answers: %d. Days active: %d. Freezes: %d/%d. Days counted in %s.\n",
		s.Current, s.Best, v.Member.Answered, s.DaysActive, s.Freezes, quiz.MaxFreezes, v.Zone)
	for _, line := range quiz.ExplainStreakIn(s, c.lang()) {
		c.printf("  %s\n", line)
	}
	return nil
}

func (c *Console) leaderboard(ctx context.Context, b quiz.Board) error {
	entries, _, err := c.members.Leaderboard(ctx, c.actor, b, 10)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		c.printf("Nobody is on the board yet: answer a question to start.\n")
	}
	for _, e := range entries {
		c.printf("  %2d. %-20s %d\n", e.Rank, e.Name, e.Value)
	}
	return nil
}

func (c *Console) settings(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return quiz.Errorf(quiz.EINVALID, "Use /settings timezone ZONE or /settings language en|zh|auto.")
	}
	val := strings.Join(args[1:], " ")
	switch args[0] {
	case "timezone":
		z, err := c.members.SetTimezone(ctx, c.actor, val)
		if err != nil {
			return err
		}
		if z == "" {
			z = "the server's (UTC here)"
		}
		c.printf("Your days are now counted in %s.\n", z)
	case "language":
		l, err := c.members.SetLanguage(ctx, c.actor, val)
		if err != nil {
			return err
		}
		if l == "" {
			l = "auto"
		}
		c.printf("Language: %s.\n", l)
	default:
		return quiz.Errorf(quiz.EINVALID, "Unknown setting %q: use timezone or language.", args[0])
	}
	return nil
}

func (c *Console) privacy(ctx context.Context, args []string) error {
	switch strings.Join(args, " ") {
	case "export":
		e, err := c.members.ExportMember(ctx, c.actor)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(c.out)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	case "delete":
		c.printf("Type DELETE to erase your streak, answers and reviews: ")
		confirm, ok := c.readLine(ctx)
		if !ok || strings.TrimSpace(confirm) != "DELETE" {
			c.printf("Nothing was deleted.\n")
			return nil
		}
		if err := c.members.DeleteMember(ctx, c.actor); err != nil {
			return err
		}
		c.session, c.stage = 0, idle
		c.printf("Your data was deleted.\n")
		return nil
	}
	return quiz.Errorf(quiz.EINVALID, "Use /privacy export or /privacy delete.")
}

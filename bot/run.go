package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"runtime/debug"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones even on images without /usr/share/zoneinfo

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/console"
	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/ops"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/schedule"
	"github.com/interviewbot/interviewbot/questions"
)

// Build metadata, set with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// hooks lets tests drive the program's time and observe it; production leaves them zero.
type hooks struct {
	clock schedule.Clock
	// noScheduler leaves the periodic tasks to the test (app.runOnce).
	noScheduler bool
	// globalRate overrides the bot's REST rate (requests per second).
	globalRate int
	// deferAfter overrides how long a handler runs before the bot defers.
	deferAfter time.Duration
	// interactionDone is called after each interaction is logged and counted.
	interactionDone func()
	// wrapQuiz lets a test slow down or observe the domain under the Discord adapter.
	wrapQuiz func(discord.Quiz) discord.Quiz
	// started is called once the bot serves, with the running app.
	started func(*app)
}

// run is the whole program; main only supplies the process's context, arguments and streams,
// so tests start it exactly the same way.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWith(ctx, args, getenv, stdin, stdout, stderr, hooks{})
}

func runWith(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, h hooks) int {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return runCheck(args[1:], stdout, stderr)
		case "backup":
			return runBackup(args[1:], getenv, stdout, stderr)
		case "healthcheck":
			return runHealthcheck(ctx, args[1:], getenv, stdout, stderr)
		case "reshard":
			return runReshard(ctx, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, versionString())
			return 0
		}
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "bot: invalid configuration:\n%s\n", indent(err.Error()))
		return 2
	}
	if cfg.ShowVersion {
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	if cfg.Token == "" && !cfg.LogLevelSet {
		// The console talks to a person on the same terminal: only warnings and errors.
		cfg.LogLevel = slog.LevelWarn
	}
	log := newLogger(cfg, stderr)
	if h.clock == nil {
		h.clock = schedule.RealClock{}
	}
	if err := serve(ctx, cfg, log, stdin, stdout, h); err != nil {
		// Printed, not logged: start-up failures (a bank that does not validate) span lines.
		fmt.Fprintf(stderr, "bot: %v\n", err)
		return 1
	}
	return 0
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

func versionString() string {
	v := version
	if commit != "" {
		v += " (" + commit
		if date != "" {
			v += ", " + date
		}
		v += ")"
	} else if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v += " (" + s.Value + ")"
			}
		}
	}
	return "interviewbot " + v
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// loadBank loads the configured bank; a bank that does not validate stops the bot.
func loadBank(cfg Config) (*quiz.Bank, error) {
	var fsys fs.FS = questions.FS
	if cfg.QuestionsDir != "" {
		fsys = os.DirFS(cfg.QuestionsDir)
	}
	b, err := bank.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("the question bank does not validate, so the bot will not start:\n%w", err)
	}
	return b, nil
}

// serve runs the bot until ctx ends: the console when no token is set, else Discord.
func serve(ctx context.Context, cfg Config, log *slog.Logger, stdin io.Reader, stdout io.Writer, h hooks) error {
	b, err := loadBank(cfg)
	if err != nil {
		return err
	}
	st, err := boltstore.Open(cfg.DBPath, boltstore.Options{Timeout: time.Second, Logger: log})
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the database", "err", err)
		}
	}()
	m := ops.NewMetrics()
	svc := quiz.NewService(m.Store(st), b, quiz.Options{
		Now: h.clock.Now, Logger: log, RevealAfter: cfg.RevealAfter, Grace: cfg.Grace,
	})
	if cfg.Token == "" {
		log.Debug("no DISCORD_TOKEN: starting the local console", "db", cfg.DBPath, "questions", b.Len())
		actor := quiz.Actor{Guild: 0, User: 1, Name: localName(), Locale: cfg.Locale}
		return console.New(svc, actor, stdin, stdout, log).Run(ctx)
	}
	return serveDiscord(ctx, cfg, log, svc, st, m, h)
}

func localName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "you"
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones even on images without /usr/share/zoneinfo

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/chart"
	"github.com/interviewbot/interviewbot/internal/console"
	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/fsrs"
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

// run is the whole program; main only supplies the process's context, arguments and streams,
// so tests start it exactly the same way (with options to drive time and watch it).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...option) int {
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
		case "help":
			if len(args) > 1 && args[1] != "help" && args[1] != "version" {
				return run(ctx, []string{args[1], "-help"}, getenv, stdin, stdout, stderr, opts...)
			}
			args = []string{"-help"}
		}
	}
	cfg, err := parseConfig(args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if cfg.ShowVersion && err == nil {
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "bot: %v\n", ue.error)
		return 2
	}
	problems := []error{err}
	var ln net.Listener
	if cfg.Token == "" && getenv("DISCORD_TOKEN") == "" && getenv("DISCORD_TOKEN_FILE") == "" {
		if sign := serverSign(getenv, stdin, cfg); sign != "" {
			problems = append(problems, fmt.Errorf("DISCORD_TOKEN: not set, and this looks like a server (%s): "+
				"set DISCORD_TOKEN, or DISCORD_TOKEN_FILE to a file holding the token. Without a token the bot "+
				"runs its local console, which needs a terminal or piped input", sign))
		}
	}
	if cfg.HTTPAddr != "" && checkListenAddr(cfg.HTTPAddr) == nil && cfg.Token != "" {
		// Bound before anything connects, so a taken port is a start-up error like any other.
		l, lerr := net.Listen("tcp", cfg.HTTPAddr)
		if lerr != nil {
			var op *net.OpError
			if errors.As(lerr, &op) {
				lerr = op.Err
			}
			problems = append(problems, fmt.Errorf("-http (HTTP_ADDR): cannot listen on %s: %w", cfg.HTTPAddr, lerr))
		}
		ln = l
	}
	if err := errors.Join(problems...); err != nil {
		if ln != nil {
			ln.Close()
		}
		fmt.Fprintf(stderr, "bot: invalid configuration:\n%s\n", indent(err.Error()))
		return 2
	}
	if cfg.Token == "" && !cfg.LogLevelSet {
		// The console talks to a person on the same terminal: only warnings and errors.
		cfg.LogLevel = slog.LevelWarn
	}
	log := newLogger(cfg, stderr)
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	if err := serve(ctx, cfg, ln, log, stdin, stdout, newOptions(opts)); err != nil {
		// Printed, not logged: start-up failures (a bank that does not validate) span lines.
		fmt.Fprintf(stderr, "bot: %v\n", err)
		if errors.Is(err, discord.ErrTokenRefused) {
			return 2 // a setting to fix, not a failure a restart cures
		}
		return 1
	}
	return 0
}

// serverSign names why this process looks like a service rather than a person's console, or
// returns "". Piped input alone is not a sign: feeding the console a script is supported. The
// systemd and Kubernetes variables count only without a terminal, since a shell can inherit
// them (a terminal emulator run as a systemd user service, kubectl exec -it).
func serverSign(getenv func(string) string, stdin io.Reader, cfg Config) string {
	switch {
	case cfg.HTTPAddr != "":
		return "-http or HTTP_ADDR is set"
	case isNullDevice(stdin):
		return "standard input is " + os.DevNull + ", as under systemd or docker run without -i"
	case isTerminal(stdin):
		return ""
	case getenv("INVOCATION_ID") != "":
		return "started by systemd: INVOCATION_ID is set"
	case getenv("KUBERNETES_SERVICE_HOST") != "":
		return "running in Kubernetes: KUBERNETES_SERVICE_HOST is set"
	}
	return ""
}

// isTerminal reports whether r is a terminal (a character device other than the null device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && !isNullDevice(r)
}

// isNullDevice reports whether r is the null device (an input that never has anything to say).
func isNullDevice(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(fi, null)
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
		return nil, fmt.Errorf("the question bank does not validate, so the bot will not start:\n%w", bankError(err, cfg.QuestionsDir))
	}
	return b, nil
}

// eraseCompactEvery is the most often a member's erasure compacts the database: the first
// erasure after a quiet spell at once, the next ones together, at most this long after.
const eraseCompactEvery = 10 * time.Minute

// compactAfterErase compacts the file after a member's erasure, so that the erased bytes bbolt
// leaves in freed pages are gone within eraseCompactEvery. stop ends it; the wait is over
// before the database closes.
func compactAfterErase(ctx context.Context, st *boltstore.Store, log *slog.Logger, o options) (erased *schedule.Debounced, stop func()) {
	erased = schedule.NewDebounced("compact-after-erase", eraseCompactEvery, func(ctx context.Context) error {
		_, err := st.Compact(ctx)
		for _, f := range o.eraseCompacted {
			f(err)
		}
		return err
	})
	eraseCtx, stopErase := context.WithCancel(ctx)
	eraseDone := make(chan struct{})
	go func() {
		defer close(eraseDone)
		erased.Loop(eraseCtx, o.clock, log)
	}()
	return erased, func() {
		stopErase()
		<-eraseDone
	}
}

// serve runs the bot until ctx ends: the console when no token is set, else Discord.
func serve(ctx context.Context, cfg Config, ln net.Listener, log *slog.Logger, stdin io.Reader, stdout io.Writer, o options) error {
	if ln != nil {
		defer ln.Close() // closed by the HTTP server once it serves; here on an early return
	}
	b := o.bank
	if b == nil || cfg.QuestionsDir != "" {
		var err error
		if b, err = loadBank(cfg); err != nil {
			return err
		}
	}
	// One FSRS scheduler for grading and for the v2 migration's rebuild of SM-2 cards.
	sched := fsrs.New()
	st, err := boltstore.Open(cfg.DBPath, boltstore.Options{Timeout: time.Second, Logger: log, Scheduler: sched})
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the database", "err", err)
		}
	}()
	erased, stopErase := compactAfterErase(ctx, st, log, o)
	defer stopErase()
	m := ops.NewMetrics()
	// The use cases get their collaborators once, here: the bank codec, and the publisher
	// (none for the console, which posts nothing; the Discord bot otherwise, see serveDiscord).
	newDomain := func(pub quiz.Publisher) *quiz.App {
		return quiz.New(m.Store(st), b, quiz.Options{
			Now: o.clock.Now, Logger: log, RevealAfter: cfg.RevealAfter, Grace: cfg.Grace,
			Publisher: pub, Codec: bank.Codec{}, Scheduler: sched, AfterErase: erased.Trigger, Quotas: cfg.Quotas,
			RateLimits: cfg.RateLimits,
		})
	}
	if cfg.Token == "" {
		log.Debug("no DISCORD_TOKEN: starting the local console", "db", cfg.DBPath, "questions", b.Len())
		actor := quiz.Actor{Guild: 0, User: 1, Name: localName(), Locale: cfg.Locale}
		d := newDomain(nil)
		// /progress writes its picture next to the database, which is where the member looks.
		return console.New(d.Practice, d.Members, d.Mocks, actor, stdin, stdout, log).WithChart(chart.Drawer{}, filepath.Dir(cfg.DBPath)).Run(ctx)
	}
	return serveDiscord(ctx, cfg, ln, log, newDomain, st, m, o)
}

// bankError makes the file names in a bank error relative to where the command runs, by
// prefixing the bank's folder (dir "" is the embedded bank, whose names stay as they are).
func bankError(err error, dir string) error {
	if dir == "" {
		return err
	}
	var ps bank.Problems
	if errors.As(err, &ps) {
		out := make(bank.Problems, len(ps))
		for i, p := range ps {
			p.Path = filepath.Join(dir, p.Path)
			out[i] = p
		}
		return out
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: filepath.Join(dir, pe.Path), Err: pe.Err}
	}
	return err
}

func localName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "you"
}

// flags is a subcommand's flag set with the conventions every command shares: flags may come
// before or after the arguments ("--" ends them), -h and -help print the usage to stdout, and
// a usage error prints it to stderr.
type flags struct {
	*flag.FlagSet
	head           string
	stdout, stderr io.Writer
}

func newFlags(name, head string, stdout, stderr io.Writer) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), head: head, stdout: stdout, stderr: stderr}
	f.SetOutput(stderr)
	f.Usage = func() {} // printed by parse, to the right stream
	return f
}

// usage prints the usage text and the flags to w.
func (f *flags) usage(w io.Writer) {
	fmt.Fprint(w, f.head)
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(f.stderr)
}

// parse parses args and returns the positional arguments. On -help it prints the usage to
// stdout and returns flag.ErrHelp; on a usage error, the error and the usage to stderr.
func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			f.usage(f.stdout)
			return nil, err
		}
		if err != nil {
			f.usage(f.stderr)
			return nil, err
		}
		rest := f.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// exitCode is a subcommand's exit status after parse failed: 0 for -help, 2 for a usage error.
func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

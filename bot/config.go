package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Config is every setting of the bot. Each has a flag and an environment variable; the flag wins.
// The Discord token comes only from the environment (DISCORD_TOKEN) or a file
// (DISCORD_TOKEN_FILE), never a flag, so it does not show in process listings.
type Config struct {
	// Warnings are settings that work but should be fixed (a token file others can read); the
	// bot logs them at start-up.
	Warnings     []string
	DBPath       string
	QuestionsDir string
	GuildID      string
	APIURL       string
	LogLevel     slog.Level
	LogLevelSet  bool   // given by flag or environment (else the console keeps quiet)
	LogFormat    string // text, json, or auto
	HTTPAddr     string
	ShardID      int
	ShardCount   int
	RESTRate     int // REST requests per second this process may start (its share of the token's)
	RevealAfter  time.Duration
	Grace        time.Duration
	Tick         time.Duration
	CompactEvery time.Duration // how often the database file is compacted (erased data scrubbed)
	Token        string        // never logged
	BackupToken  string        // from BACKUP_TOKEN_FILE; empty turns /backup off; never logged
	Locale       string        // the console's language, from LANG
	ShowVersion  bool
	Quotas       quiz.Quotas
	RateLimits   quiz.RateLimits
	UploadLimit  int // bytes per uploaded file
}

// setting is one configuration entry: its flag, environment variable and help.
type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"db", "DB_PATH", "interviewbot.db", "bbolt database file"},
	{"questions", "QUESTIONS_DIR", "", "load the question bank from this folder instead of the embedded one"},
	{"guild", "DISCORD_GUILD_ID", "", "register commands on this one server (instant updates while developing) instead of globally"},
	{"discord-api", "DISCORD_API_URL", "https://discord.com", "base URL for Discord's REST API and gateway discovery (a REST proxy)"},
	{"log-level", "LOG_LEVEL", "info", "debug, info, warn or error"},
	{"log-format", "LOG_FORMAT", "auto", "text, json, or auto (text on a terminal, JSON otherwise)"},
	{"http", "HTTP_ADDR", "", "serve /healthz, /readyz, /metrics and (with BACKUP_TOKEN_FILE) /backup on this address, e.g. 127.0.0.1:8080"},
	{"shard-id", "SHARD_ID", "0", "this process's Discord shard"},
	{"shard-count", "SHARD_COUNT", "1", "total number of shards"},
	{"rest-rate", "REST_RATE", "", "REST requests per second this process may send; Discord's limit (50/s) is per bot token, shared by every shard (default 48 / -shard-count, at least 1)"},
	{"reveal-after", "REVEAL_AFTER", "10m", "post the reference answer of a public /interview question after this long (at least 1m)"},
	{"grace", "DAILY_GRACE", "2h", "after downtime, send a missed daily post or reveal at most this late (at least 1s and at least -tick)"},
	{"tick", "SCHEDULER_TICK", "20s", "how often the scheduler checks for due daily posts and reveals (at least 1s)"},
	{"compact-every", "COMPACT_EVERY", "24h", "how often the database file is rewritten without deleted data (at least 10m); a /privacy delete also starts a rewrite, at once or at most 10m after the last one"},
	{"quota-questions", "QUOTA_QUESTIONS", strconv.Itoa(quiz.DefaultQuestionQuota), "questions of its own one server's bank may hold"},
	{"quota-topics", "QUOTA_TOPICS", strconv.Itoa(quiz.DefaultTopicQuota), "topics one server's bank may hold, shipped ones included"},
	{"quota-history", "QUOTA_HISTORY", strconv.Itoa(quiz.DefaultHistoryQuota), "history versions kept per question"},
	{"quota-open-reports", "QUOTA_OPEN_REPORTS", strconv.Itoa(quiz.DefaultOpenReports), "unresolved reports one member may have"},
	{"rate-limits", "RATE_LIMITS", "", "per member and per server token buckets, e.g. ask=10/6s:120/250ms,report=3/5m:30/20s (burst/every for a member : for a server; actions ask, answer, report, progress, export, import; unnamed ones keep their defaults); off turns them off"},
	{"upload-limit", "DISCORD_UPLOAD_LIMIT", strconv.Itoa(discord.DefaultUploadLimit), "largest file the bot uploads, in bytes; larger exports go out compressed or in parts"},
}

// defaultRESTRate is what all shards together send per second by default, a margin under
// Discord's global limit of 50 per bot token; each process takes its share. maxRESTRate is the
// most one process may be given.
const (
	defaultRESTRate = 48
	maxRESTRate     = 50
)

// usageError is a command line that could not be parsed, as opposed to a bad setting.
type usageError struct{ error }

// mainUsage is the head of `bot -help` and `bot help`.
const mainUsage = `usage: bot [flags]            run the bot (the console when DISCORD_TOKEN is unset)
       bot check [-json] [DIR]   validate a question bank
       bot backup [-db FILE] [-http ADDR] DEST
                                 a consistent, checked copy of the database (from the
                                 running bot over HTTP when it holds the file); DEST may be
                                 a folder
       bot healthcheck [ADDR]    exit 0 if /readyz answers 200 (for container health checks)
       bot reshard -to DIR -count N FILE...   split or merge database files by server
       bot version               print the version
       bot help [COMMAND]        this text, or a command's

Secrets come only from the environment: DISCORD_TOKEN, or DISCORD_TOKEN_FILE (a file holding it);
BACKUP_TOKEN_FILE names a file whose content turns on GET /backup for requests that send it as a
bearer token (without it, /backup is off). LANG sets the console's language (e.g. zh_CN.UTF-8).

Exit status: 0 done, 1 failed, 2 invalid settings or usage.

Flags:
`

// parseConfig reads flags with environment fallbacks and validates them, reporting every
// problem at once, each naming its setting. -help prints the usage to stdout and returns
// flag.ErrHelp.
func parseConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) (Config, error) {
	fl := newFlags("bot", mainUsage, stdout, stderr)
	vals := map[string]*string{}
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		vals[s.flag] = fl.String(s.flag, def, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	version := fl.Bool("version", false, "print the version and exit")
	pos, err := fl.parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return Config{}, err
	}
	if err != nil {
		return Config{}, usageError{err}
	}
	if len(pos) > 0 {
		return Config{}, usageError{fmt.Errorf("unexpected argument %q (see bot -help)", pos[0])}
	}
	c := Config{
		DBPath: *vals["db"], QuestionsDir: *vals["questions"], GuildID: *vals["guild"],
		APIURL: strings.TrimRight(*vals["discord-api"], "/"), LogFormat: *vals["log-format"],
		HTTPAddr: *vals["http"], ShowVersion: *version, Locale: getenv("LANG"),
	}
	var errs []error
	bad := func(flagName, format string, args ...any) {
		var env string
		for _, s := range settings {
			if s.flag == flagName {
				env = s.env
			}
		}
		errs = append(errs, fmt.Errorf("-%s (%s): %s", flagName, env, fmt.Sprintf(format, args...)))
	}
	fl.Visit(func(f *flag.Flag) { c.LogLevelSet = c.LogLevelSet || f.Name == "log-level" })
	c.LogLevelSet = c.LogLevelSet || getenv("LOG_LEVEL") != ""
	if err := c.LogLevel.UnmarshalText([]byte(*vals["log-level"])); err != nil {
		bad("log-level", "want debug, info, warn or error, got %q", *vals["log-level"])
	}
	switch c.LogFormat {
	case "text", "json", "auto":
	default:
		bad("log-format", "want text, json or auto, got %q", c.LogFormat)
	}
	if c.DBPath == "" {
		bad("db", "must not be empty")
	} else if dir := filepath.Dir(c.DBPath); !isDir(dir) {
		bad("db", "the folder %s does not exist: create it, or choose another file", dir)
	}
	if c.QuestionsDir != "" && !isDir(c.QuestionsDir) {
		bad("questions", "%s is not a folder", c.QuestionsDir)
	}
	if c.HTTPAddr != "" {
		if err := checkListenAddr(c.HTTPAddr); err != nil {
			bad("http", "%v", err)
		}
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("discord-api", "want an http(s) URL, got %q", c.APIURL)
	} else if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		// The bot token goes to this address and it picks the gateway: only TLS or this machine.
		bad("discord-api", "%q would send the bot token unencrypted: use https, or http only to a proxy on this machine (127.0.0.1, ::1, localhost)", c.APIURL)
	}
	if c.GuildID != "" {
		if _, err := strconv.ParseUint(c.GuildID, 10, 64); err != nil {
			bad("guild", "want a numeric server id, got %q", c.GuildID)
		}
	}
	if c.ShardID, err = strconv.Atoi(*vals["shard-id"]); err != nil || c.ShardID < 0 {
		bad("shard-id", "want a number >= 0, got %q", *vals["shard-id"])
	}
	if c.ShardCount, err = strconv.Atoi(*vals["shard-count"]); err != nil || c.ShardCount < 1 {
		bad("shard-count", "want a number >= 1, got %q", *vals["shard-count"])
	} else if c.ShardID >= c.ShardCount {
		bad("shard-id", "must be less than -shard-count (%d), got %d", c.ShardCount, c.ShardID)
	}
	if v := *vals["rest-rate"]; v == "" {
		c.RESTRate = max(defaultRESTRate/max(c.ShardCount, 1), 1)
	} else if c.RESTRate, err = strconv.Atoi(v); err != nil || c.RESTRate < 1 || c.RESTRate > maxRESTRate {
		bad("rest-rate", "want requests per second from 1 to %d (Discord allows 50 per bot token, for all shards together), got %q", maxRESTRate, v)
	}
	for _, d := range []struct {
		flag string
		dst  *time.Duration
		min  time.Duration
	}{{"reveal-after", &c.RevealAfter, time.Minute}, {"grace", &c.Grace, time.Second}, {"tick", &c.Tick, time.Second},
		{"compact-every", &c.CompactEvery, 10 * time.Minute}} {
		v, err := time.ParseDuration(*vals[d.flag])
		if err != nil || v < d.min {
			bad(d.flag, "want a duration of at least %s such as 10m or 2h, got %q", d.min, *vals[d.flag])
			continue
		}
		*d.dst = v
	}
	if c.Grace > 0 && c.Tick > 0 && c.Grace < c.Tick {
		bad("grace", "must be at least -tick (%s), or every post would be skipped as late", c.Tick)
	}
	parseLimits(&c, vals, bad)
	tok, err := readToken(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c.Token = tok
	for _, env := range []string{"DISCORD_TOKEN_FILE", "BACKUP_TOKEN_FILE"} {
		if w := exposedFile(env, getenv(env)); w != "" {
			c.Warnings = append(c.Warnings, w)
		}
	}
	if c.BackupToken, err = readBackupToken(getenv); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// parseLimits reads the quotas, rate limits and upload limit.
func parseLimits(c *Config, vals map[string]*string, bad func(flagName, format string, args ...any)) {
	for _, q := range []struct {
		flag string
		dst  *int
		min  int
	}{{"quota-questions", &c.Quotas.Questions, 1}, {"quota-topics", &c.Quotas.Topics, 1}, {"quota-history", &c.Quotas.History, 1},
		{"quota-open-reports", &c.Quotas.OpenReports, 1}, {"upload-limit", &c.UploadLimit, 1 << 10}} {
		n, err := strconv.Atoi(*vals[q.flag])
		if err != nil || n < q.min {
			bad(q.flag, "want a whole number of at least %d, got %q", q.min, *vals[q.flag])
			continue
		}
		*q.dst = n
	}
	rl, err := quiz.ParseRateLimits(*vals["rate-limits"])
	if err != nil {
		bad("rate-limits", "%v", err)
	}
	c.RateLimits = rl
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// checkListenAddr checks the form of a listening address: host:port or :port, port 0-65535.
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port or :port, such as 127.0.0.1:8080, got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("want a port number 0-65535, got %q in %q", port, addr)
	}
	return nil
}

// readToken reads the Discord token from DISCORD_TOKEN or the file named by DISCORD_TOKEN_FILE.
// Error messages never include the token.
func readToken(getenv func(string) string) (string, error) {
	tok, file := getenv("DISCORD_TOKEN"), getenv("DISCORD_TOKEN_FILE")
	if tok != "" && file != "" {
		return "", errors.New("DISCORD_TOKEN and DISCORD_TOKEN_FILE are both set: use one")
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("DISCORD_TOKEN_FILE: cannot read the token file: %w", errors.Unwrap(err))
		}
		tok = strings.TrimSpace(string(b))
		if tok == "" {
			return "", errors.New("DISCORD_TOKEN_FILE: the token file is empty")
		}
	}
	tok = strings.TrimPrefix(strings.TrimSpace(tok), "Bot ")
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", errors.New("DISCORD_TOKEN: the token contains white space")
	}
	return tok, nil
}

// minBackupToken is the shortest backup token accepted: /backup hands out the whole database.
const minBackupToken = 16

// readBackupToken reads the token that guards GET /backup from the file BACKUP_TOKEN_FILE names.
// Error messages never include the token.
func readBackupToken(getenv func(string) string) (string, error) {
	file := getenv("BACKUP_TOKEN_FILE")
	if file == "" {
		return "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("BACKUP_TOKEN_FILE: cannot read the token file: %w", errors.Unwrap(err))
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < minBackupToken || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("BACKUP_TOKEN_FILE: the token must be at least %d characters without white space (for example: openssl rand -hex 32)", minBackupToken)
	}
	return tok, nil
}

// loopbackHost reports whether host names this machine: a plain-http proxy there is acceptable.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// exposedFile warns when the secret file env names can be read by its group or by others.
func exposedFile(env, path string) string {
	if path == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %s is readable by its group or others (mode %04o): chmod 600 %s", env, path, fi.Mode().Perm(), path)
}

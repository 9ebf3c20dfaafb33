package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestSettingsFailBeforeConnecting: a bad or taken listening address is found at start-up,
// with every other problem, before anything talks to Discord: exit 2.
func TestSettingsFailBeforeConnecting(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"no port", []string{"-http", "localhost"}, nil, []string{`-http (HTTP_ADDR): want host:port or :port`}},
		{"port out of range", nil, map[string]string{"HTTP_ADDR": ":99999"}, []string{`-http (HTTP_ADDR): want a port number 0-65535, got "99999"`}},
		{"port taken, and more", []string{"-http", taken.Addr().String(), "-log-level", "loud"}, nil, []string{
			"-http (HTTP_ADDR): cannot listen on " + taken.Addr().String() + ": bind: address already in use",
			"-log-level (LOG_LEVEL)",
		}},
		{"missing database folder", nil, map[string]string{"DB_PATH": filepath.Join(dir, "nope", "bot.db")}, []string{
			"-db (DB_PATH): the folder " + filepath.Join(dir, "nope") + " does not exist",
		}},
		{"missing bank folder", []string{"-questions", filepath.Join(dir, "bank")}, nil, []string{"-questions (QUESTIONS_DIR): " + filepath.Join(dir, "bank") + " is not a folder"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := discordtest.New(t)
			env := map[string]string{"DISCORD_TOKEN": "test-token", "DISCORD_API_URL": fake.URL(), "DB_PATH": filepath.Join(dir, "bot.db")}
			for k, v := range c.env {
				env[k] = v
			}
			code, out, errOut := runArgs(t, c.args, env, "")
			if code != 2 {
				t.Fatalf("exit %d; want 2\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if n := strings.Count(errOut, "nope"); n > 1 {
				t.Errorf("the missing folder is named %d times; want once:\n%s", n, errOut)
			}
			if rs := fake.Requests(); len(rs) > 0 || fake.Identifies() > 0 {
				t.Errorf("the bot talked to Discord (%d requests, %d IDENTIFY) before failing on its settings", len(rs), fake.Identifies())
			}
		})
	}
}

// TestNoTokenOnAServerRefuses: without a token, a process that is clearly a service does not
// start the console (which would exit 0 at once, and restart forever): exit 2 naming the
// variables to set. Piped input with none of those signs still gets the console.
func TestNoTokenOnAServerRefuses(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for _, c := range []struct {
		name  string
		args  []string
		env   map[string]string
		stdin *os.File
		want  string
	}{
		{"HTTP_ADDR", nil, map[string]string{"HTTP_ADDR": ":8080"}, nil, "HTTP_ADDR is set"},
		{"-http", []string{"-http", "127.0.0.1:8080"}, nil, nil, "HTTP_ADDR is set"},
		{"systemd", nil, map[string]string{"INVOCATION_ID": "0123abcd"}, nil, "INVOCATION_ID"},
		{"kubernetes", nil, map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, nil, "KUBERNETES_SERVICE_HOST"},
		{"stdin is the null device", nil, nil, null, os.DevNull},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "bot.db")
			env := map[string]string{"DB_PATH": db}
			for k, v := range c.env {
				env[k] = v
			}
			var in = strings.NewReader("/streak\n")
			var out, errb bytes.Buffer
			var code int
			if c.stdin != nil {
				code = run(t.Context(), c.args, func(k string) string { return env[k] }, c.stdin, &out, &errb)
			} else {
				code = run(t.Context(), c.args, func(k string) string { return env[k] }, in, &out, &errb)
			}
			if code != 2 {
				t.Fatalf("exit %d; want 2\n%s%s", code, out.String(), errb.String())
			}
			for _, w := range []string{c.want, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE"} {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			if out.Len() > 0 {
				t.Errorf("the console started: %s", out.String())
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("the database was created")
			}
		})
	}
	code, out, errOut := runArgs(t, nil, map[string]string{"DB_PATH": filepath.Join(t.TempDir(), "bot.db")}, "/streak\n")
	if code != 0 || !strings.Contains(out, "Streak") {
		t.Fatalf("piped console: exit %d\n%s%s", code, out, errOut)
	}
}

// TestBackupDestinations: the README's `backup backups/$(date +%F).db` creates the folder; a
// folder destination gets a dated file; errors name the destination, not a temporary file.
func TestBackupDestinations(t *testing.T) {
	st, db := opsLiveStore(t)
	st.Close() // the file is free: backup reads it directly
	dir := t.TempDir()
	backup := func(t *testing.T, dest string) (int, string, string) {
		t.Helper()
		return runArgs(t, []string{"backup", "-db", db, dest}, nil, "")
	}

	t.Run("missing folders are created", func(t *testing.T) {
		dest := filepath.Join(dir, "backups", "daily", "2026-12-07.db")
		code, out, errOut := backup(t, dest)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		opsAssertBackup(t, dest)
		if !strings.Contains(errOut, "created the folder "+filepath.Dir(dest)) {
			t.Errorf("stderr does not say which folder was created:\n%s", errOut)
		}
	})

	dated := regexp.MustCompile(`^interviewbot-\d{4}-\d{2}-\d{2}\.db$`)
	for _, c := range []struct{ name, dest string }{
		{"existing folder", dir},
		{"existing folder with a slash", dir + "/"},
		{"new folder named with a slash", filepath.Join(dir, "new") + "/"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := backup(t, c.dest)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			folder := filepath.Clean(c.dest)
			var got []string
			es, _ := os.ReadDir(folder)
			for _, e := range es {
				if dated.MatchString(e.Name()) {
					got = append(got, e.Name())
				}
			}
			if len(got) != 1 {
				t.Fatalf("%s holds %v; want one interviewbot-YYYY-MM-DD.db", folder, got)
			}
			path := filepath.Join(folder, got[0])
			opsAssertBackup(t, path)
			if !strings.Contains(out, "to "+path+" (verified)") {
				t.Errorf("stdout does not name %s:\n%s", path, out)
			}
		})
	}

	t.Run("a file where a folder should be", func(t *testing.T) {
		file := filepath.Join(dir, "plain")
		os.WriteFile(file, []byte("x"), 0o600)
		code, _, errOut := backup(t, filepath.Join(file, "b.db"))
		if code != 1 || !strings.Contains(errOut, file+" is not a folder") || strings.Contains(errOut, ".tmp-") {
			t.Fatalf("exit %d; want 1 naming %s:\n%s", code, file, errOut)
		}
	})

	t.Run("a folder that cannot be written", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes anywhere")
		}
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		dest := filepath.Join(ro, "b.db")
		code, _, errOut := backup(t, dest)
		if code != 1 || !strings.Contains(errOut, "cannot write "+dest) || strings.Contains(errOut, ".tmp-") {
			t.Fatalf("exit %d; want 1 naming %s, not the temporary file:\n%s", code, dest, errOut)
		}
	})
}

// TestHelpEverywhere: `help`, -h and -help print the usage to stdout and exit 0, for the bot
// and every subcommand.
func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"-h"}, {"-help"}, {"--help"},
		{"check", "-h"}, {"backup", "-help"}, {"healthcheck", "-h"}, {"reshard", "-help"},
		{"help", "check"}, {"help", "backup"}, {"help", "healthcheck"}, {"help", "reshard"},
		{"check", "somewhere", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runArgs(t, args, nil, "")
			if code != 0 || !strings.HasPrefix(out, "usage: bot") || errOut != "" {
				t.Fatalf("exit %d; want 0 with the usage on stdout\nstdout: %s\nstderr: %s", code, out, errOut)
			}
		})
	}
	code, out, errOut := runArgs(t, []string{"backup", "-nope", "x"}, nil, "")
	if code != 2 || out != "" || !strings.Contains(errOut, "flag provided but not defined: -nope") || !strings.Contains(errOut, "usage: bot backup") {
		t.Fatalf("a bad flag: exit %d; want 2 with the error and the usage on stderr\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// TestFlagsAfterArguments: flags work before or after the arguments, and "--" ends them.
func TestFlagsAfterArguments(t *testing.T) {
	bank := t.TempDir()
	writeBank(t, bank)
	code, out, errOut := runArgs(t, []string{"check", bank, "-json"}, nil, "")
	var sum checkSummary
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.Questions == 0 {
		t.Fatalf("check DIR -json: exit %d\n%s%s", code, out, errOut)
	}

	st, db := opsLiveStore(t)
	st.Close()
	dest := filepath.Join(t.TempDir(), "b.db")
	if code, out, errOut := runArgs(t, []string{"backup", dest, "-db", db, "-wait", "1s"}, nil, ""); code != 0 {
		t.Fatalf("backup DEST -db FILE: exit %d\n%s%s", code, out, errOut)
	}
	opsAssertBackup(t, dest)

	dash := filepath.Join(t.TempDir(), "-odd.db")
	if code, out, errOut := runArgs(t, []string{"backup", "-db", db, "--", dash}, nil, ""); code != 0 {
		t.Fatalf("backup -db FILE -- -odd.db: exit %d\n%s%s", code, out, errOut)
	}
	opsAssertBackup(t, dash)
}

// TestHealthcheckAddressForms: healthcheck takes what backup -http takes.
func TestHealthcheckAddressForms(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	hostport := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := net.SplitHostPort(hostport)
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"host:port", []string{hostport}, nil},
		{":port", []string{":" + port}, nil},
		{"0.0.0.0:port", []string{"0.0.0.0:" + port}, nil},
		{"base URL", []string{srv.URL}, nil},
		{"base URL with a slash", []string{srv.URL + "/"}, nil},
		{"full URL", []string{srv.URL + "/readyz"}, nil},
		{"-http", []string{"-http", ":" + port}, nil},
		{"HTTP_ADDR", nil, map[string]string{"HTTP_ADDR": ":" + port}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, append([]string{"healthcheck"}, c.args...), c.env, "")
			if code != 0 || !strings.Contains(out, "/readyz") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
		})
	}
}

// TestCheckNamesPaths: check names the folder it could not open, and prints problems with
// paths relative to where it runs, so editors can jump to them.
func TestCheckNamesPaths(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	code, out, errOut := runArgs(t, []string{"check", missing}, nil, "")
	if code != 2 || !strings.Contains(errOut, "cannot open the folder "+missing) || strings.Contains(errOut, "open .") {
		t.Fatalf("check of a missing folder: exit %d\n%s%s", code, out, errOut)
	}

	dir := filepath.Join(t.TempDir(), "questions")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "tcp.yaml"), []byte("topic: tcp\ntitle: {en: \"\"}\nquestions: []\n"), 0o644)
	file := filepath.Join(dir, "tcp.yaml")
	code, out, _ = runArgs(t, []string{"check", dir}, nil, "")
	if code != 1 || !strings.Contains(out, file+":2: title.en must not be empty\n") || !strings.HasPrefix(out, file+":") {
		t.Fatalf("check %s: exit %d\n%s", dir, code, out)
	}
	code, out, _ = runArgs(t, []string{"check", "-json", dir}, nil, "")
	var sum checkSummary
	if code != 1 || json.Unmarshal([]byte(out), &sum) != nil || len(sum.Problems) == 0 || !strings.HasPrefix(sum.Problems[0], file+":") {
		t.Fatalf("check -json %s: exit %d\n%s", dir, code, out)
	}
	// The bot itself, refusing a bank, names the files the same way.
	code, _, errOut = runArgs(t, []string{"-questions", dir}, map[string]string{"DB_PATH": filepath.Join(t.TempDir(), "x.db")}, "")
	if code != 1 || !strings.Contains(errOut, file+":2:") {
		t.Fatalf("bot -questions %s: exit %d\n%s", dir, code, errOut)
	}
}

// writeBank writes a bank that validates: the shipped tcp topic.
func writeBank(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "questions", "tcp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tcp.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTokenRefused: Discord answers 401: no retry, exit 2 with a message naming the setting.
func TestTokenRefused(t *testing.T) {
	fake := discordtest.New(t, discordtest.WithToken("the-right-token"))
	fake.ExpectViolation("bad Authorization header")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env := map[string]string{"DISCORD_TOKEN": "a-wrong-token", "DISCORD_API_URL": fake.URL(),
		"DB_PATH": filepath.Join(t.TempDir(), "bot.db"), "LOG_FORMAT": "json"}
	var out, errb syncBuffer
	attempts := 0
	code := run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb,
		withConnectBackoff(func(int) time.Duration { attempts++; return time.Millisecond }))
	if code != 2 {
		t.Fatalf("exit %d; want 2\n%s", code, errb.String())
	}
	const want = "the token was refused by Discord (401): check DISCORD_TOKEN"
	if !strings.Contains(errb.String(), want) || strings.Contains(errb.String(), "HTTP 401") {
		t.Fatalf("stderr does not say %q:\n%s", want, errb.String())
	}
	if attempts != 0 {
		t.Fatalf("a refused token was retried %d times", attempts)
	}
	if strings.Contains(errb.String(), "a-wrong-token") {
		t.Fatal("the token appears in the output")
	}
}

// TestUnreachableDiscordIsRetried: a DISCORD_API_URL that refuses connections is retried with
// backoff, logged with the configured URL (not discord.com), until the context ends; the token
// never shows.
func TestUnreachableDiscordIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close() // now it refuses connections
	const secret = "MTIzNDU2Nzg5.secret-token-value.abcdef"
	env := map[string]string{"DISCORD_TOKEN": secret, "DISCORD_API_URL": closed,
		"DB_PATH": filepath.Join(t.TempDir(), "bot.db"), "LOG_FORMAT": "json", "LOG_LEVEL": "debug"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var waits []int
	backoff := withConnectBackoff(func(attempt int) time.Duration {
		waits = append(waits, attempt)
		if attempt == 3 {
			cancel() // the signal arrives while Discord is still unreachable
		}
		return time.Millisecond
	})
	var out, errb syncBuffer
	code := run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb, backoff)
	logs := errb.String()
	if code != 0 {
		t.Fatalf("exit %d; want 0 (stopped by the signal)\n%s", code, logs)
	}
	if len(waits) != 3 {
		t.Fatalf("backoff asked for attempts %v; want 1, 2, 3", waits)
	}
	retries := grepLines(logs, `"msg":"discord: cannot connect; trying again"`)
	if n := strings.Count(retries, "\n") + 1; n != 3 || !strings.Contains(retries, "cannot reach "+closed+" (DISCORD_API_URL)") {
		t.Fatalf("want 3 logged retries naming %s:\n%s", closed, logs)
	}
	if strings.Contains(logs, "discord.com") {
		t.Errorf("the logs name discord.com, which was never dialled:\n%s", logs)
	}
	if strings.Contains(out.String()+logs, "secret-token-value") {
		t.Fatalf("the token appears in the output:\n%s", logs)
	}
}

// TestDiscordFailingAtStartIsRetried: Discord answering 500 twice, then normally: the bot
// retries (logged) and serves. It also logs the port it got for -http 127.0.0.1:0.
func TestDiscordFailingAtStartIsRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.FailNext("GET /gateway", 500, 2)
	attempts := 0
	b := e.start(withConnectBackoff(func(int) time.Duration { attempts++; return time.Millisecond }))
	if attempts != 2 {
		t.Errorf("backoff called %d times; want 2", attempts)
	}
	if n := strings.Count(b.logs.String(), `"msg":"discord: cannot connect; trying again"`); n != 2 {
		t.Errorf("%d retries logged; want 2", n)
	}
	e.wait(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))

	addr := strings.TrimPrefix(b.app.httpURL, "http://") // HTTP_ADDR=127.0.0.1:0
	if strings.HasSuffix(addr, ":0") {
		t.Fatalf("httpURL = %s; want the bound port", b.app.httpURL)
	}
	if line := grepLines(b.logs.String(), "serving the operator endpoints"); !strings.Contains(line, `"addr":"`+addr+`"`) {
		t.Fatalf("log line %q does not name the bound address %s", line, addr)
	}
}

// TestProxyErrorNamesTheProxy: a REST proxy answering an error that retrying cannot fix: exit
// 1 with the configured DISCORD_API_URL in the message.
func TestProxyErrorNamesTheProxy(t *testing.T) {
	fake := discordtest.New(t)
	fake.FailNext("GET /gateway", 403, 1)
	env := map[string]string{"DISCORD_TOKEN": "test-token", "DISCORD_API_URL": fake.URL(), "DB_PATH": filepath.Join(t.TempDir(), "bot.db")}
	code, _, errOut := runArgs(t, nil, env, "")
	if code != 1 || !strings.Contains(errOut, fake.URL()+" (DISCORD_API_URL) answered GET /api/v9/gateway with 403 Forbidden") {
		t.Fatalf("exit %d; want 1 naming %s:\n%s", code, fake.URL(), errOut)
	}
}

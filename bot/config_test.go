package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/boltstore"
	bolt "go.etcd.io/bbolt"
)

func runArgs(t *testing.T, args []string, env map[string]string, stdin string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestConsoleFromPipe is the README's first command with input from a pipe: no token, so the
// console, on the embedded bank and a fresh database; it exits 0 at end of input.
func TestConsoleFromPipe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "console.db")
	code, out, errOut := runArgs(t, nil, map[string]string{"DB_PATH": db},
		"/interview tcp\nanswer\nSYN, SYN-ACK, ACK\ngood\n/streak\n")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"── tcp ·", "Reference answer:", "Key points:", "Graded good", "Streak: 1 day in a row"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	// The same database again: the streak is still there.
	code, out, _ = runArgs(t, nil, map[string]string{"DB_PATH": db}, "/streak\n")
	if code != 0 || !strings.Contains(out, "Answers: 1.") {
		t.Fatalf("second run: exit %d\n%s", code, out)
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	code, _, errOut := runArgs(t, []string{"-log-level", "loud", "-shard-id", "3", "-shard-count", "2", "-reveal-after", "soon", "-grace", "5s"},
		map[string]string{"DISCORD_API_URL": "ftp://x", "DISCORD_GUILD_ID": "abc"}, "")
	if code != 2 {
		t.Fatalf("exit %d; want 2", code)
	}
	for _, want := range []string{"-log-level (LOG_LEVEL)", "-shard-id (SHARD_ID)", "-reveal-after (REVEAL_AFTER)", "-discord-api (DISCORD_API_URL)", "-guild (DISCORD_GUILD_ID)", "-grace (DAILY_GRACE)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error output lacks %q:\n%s", want, errOut)
		}
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	code, errOut, _ := runArgs(t, []string{"-help"}, nil, "")
	if code != 0 {
		t.Fatalf("-help exit %d", code)
	}
	for _, s := range settings {
		if !strings.Contains(errOut, "-"+s.flag) || !strings.Contains(errOut, s.env) {
			t.Errorf("-help lacks %s / %s", s.flag, s.env)
		}
	}
	if !strings.Contains(errOut, "DISCORD_TOKEN_FILE") {
		t.Error("-help does not say where the token comes from")
	}
}

// TestTokenNeverLeaks feeds a token through every path that can fail and checks it appears in
// no output. An unreachable Discord is retried until the context ends:
// TestUnreachableDiscordIsRetried covers it.
func TestTokenNeverLeaks(t *testing.T) {
	const secret = "MTIzNDU2Nzg5.secret-token-value.abcdef"
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(secret+"\n"), 0o600)
	cases := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"token file and bad config", []string{"-log-level", "x"}, map[string]string{"DISCORD_TOKEN_FILE": tokenFile, "DB_PATH": filepath.Join(dir, "b.db")}},
		{"both token sources", nil, map[string]string{"DISCORD_TOKEN": secret, "DISCORD_TOKEN_FILE": tokenFile}},
		{"token with white space", nil, map[string]string{"DISCORD_TOKEN": secret + " x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, c.args, c.env, "")
			if code == 0 {
				t.Fatalf("exit 0; want a failure")
			}
			if strings.Contains(out+errOut, "secret-token-value") {
				t.Fatalf("the token appears in the output:\n%s%s", out, errOut)
			}
		})
	}
	code, _, errOut := runArgs(t, nil, map[string]string{"DISCORD_TOKEN_FILE": filepath.Join(dir, "missing")}, "")
	if code != 2 || !strings.Contains(errOut, "DISCORD_TOKEN_FILE") {
		t.Fatalf("missing token file: exit %d %s", code, errOut)
	}
}

// TestBadDatabaseIsLeftUntouched: a corrupt file, a foreign bbolt file and a file written by a
// newer version each stop the bot with exit 1 and an error naming what is wrong (the store's
// error identity is checked too), and each file's bytes are exactly what they were.
func TestBadDatabaseIsLeftUntouched(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	editBolt(t, foreign, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("settings"))
		if err != nil {
			return err
		}
		return b.Put([]byte("theme"), []byte("dark"))
	})
	newer := filepath.Join(dir, "newer.db")
	st, err := boltstore.Open(newer, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	editBolt(t, newer, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, 99))
	})
	for _, c := range []struct {
		name, path string
		is         error
		msg        string
	}{
		{"corrupt", corrupt, boltstore.ErrNotDatabase, "bot: boltstore: open " + corrupt + ": not an interviewbot database: "},
		{"foreign", foreign, boltstore.ErrNotDatabase, "bot: boltstore: open " + foreign + ": not an interviewbot database: a bbolt file without a meta bucket (another application's?)\n"},
		{"newer", newer, boltstore.ErrTooNew, "bot: boltstore: open " + newer + ": database schema is newer than this program: schema v99, this program knows up to v2\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := mustRead(t, c.path)
			// The store's own verdict, by identity.
			if _, err := boltstore.Open(c.path, boltstore.Options{Timeout: time.Second}); !errors.Is(err, c.is) {
				t.Errorf("boltstore.Open = %v; want %v", err, c.is)
			}
			code, _, errOut := runArgs(t, nil, map[string]string{"DB_PATH": c.path}, "")
			if code != 1 || !strings.HasPrefix(errOut, c.msg) {
				t.Errorf("exit %d, %q; want exit 1 and %q", code, errOut, c.msg)
			}
			if !bytes.Equal(mustRead(t, c.path), before) {
				t.Error("the file was modified")
			}
			if names := dirEntries(t, dir); len(names) != 3 {
				t.Errorf("the folder holds %v; want only the three files (no backup or lock file left)", names)
			}
		})
	}
}

// editBolt creates or opens a bbolt file and runs fn in one write transaction.
func editBolt(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestBrokenBankRefusesToStart: a bank folder with a bad file stops the bot with the problems.
func TestBrokenBankRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tcp.yaml"), []byte("topic: udp\n"), 0o644)
	code, _, errOut := runArgs(t, nil, map[string]string{"QUESTIONS_DIR": dir, "DB_PATH": filepath.Join(dir, "x.db")}, "")
	if code != 1 || !strings.Contains(errOut, "tcp.yaml:1:") || !strings.Contains(errOut, "will not start") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
}

func TestCheckCommand(t *testing.T) {
	code, out, _ := runArgs(t, []string{"check", "-json"}, nil, "")
	if code != 0 || !strings.Contains(out, fmt.Sprintf(`"questions": %d`, shippedBank(t).Len())) || !strings.Contains(out, `"zh"`) {
		t.Fatalf("check -json: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tcp.yaml"), []byte("topic: tcp\ntitle: {en: \"\"}\nquestions: []\n"), 0o644)
	code, out, _ = runArgs(t, []string{"check", dir}, nil, "")
	if code != 1 || !strings.Contains(out, "tcp.yaml:2: title.en must not be empty") || !strings.Contains(out, "tcp.yaml:3: questions must not be empty") {
		t.Fatalf("check of a bad bank: exit %d\n%s", code, out)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package main

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/ops"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// opsLiveStore opens a database in a temporary folder and keeps it open, as the running bot
// does: another Open of the file then fails with boltstore.ErrInUse. It stores one guild so a
// copy can be told from an empty database.
func opsLiveStore(t *testing.T) (*boltstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.db")
	st, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(context.Background(), func(tx quiz.Tx) error {
		return tx.PutGuild(quiz.Guild{ID: 42, TZ: "Europe/Paris"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, path
}

// opsToken is the backup token the tests' servers require; opsTokenFile writes it to a file.
const opsToken = "0123456789abcdef0123456789abcdef"

func opsTokenFile(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "backup-token")
	if err := os.WriteFile(f, []byte(opsToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// opsBackupServer serves st through the bot's real operator handler, which requires opsToken.
func opsBackupServer(t *testing.T, st *boltstore.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(ops.New(ops.Options{DB: st, BackupToken: opsToken}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

func opsEnv(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// opsAssertBackup opens a backup and checks it holds the guild opsLiveStore wrote.
func opsAssertBackup(t *testing.T, path string) {
	t.Helper()
	st, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("check the backup: %v", err)
	}
	var g quiz.Guild
	var ok bool
	err = st.View(context.Background(), func(tx quiz.Tx) error {
		var err error
		g, ok, err = tx.Guild(42)
		return err
	})
	if err != nil || !ok || g.TZ != "Europe/Paris" {
		t.Fatalf("the backup's guild 42 = %+v, %v, %v; want the live one", g, ok, err)
	}
}

// opsNoTempFiles fails if a temporary backup file was left in dir.
func opsNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestBackupOfflineReadsTheFile(t *testing.T) {
	st, db := opsLiveStore(t)
	if err := st.Close(); err != nil { // the bot is stopped
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	var stdout, stderr bytes.Buffer
	code := runBackup([]string{"-db", db, dest}, opsEnv(nil), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "backed up "+db+" to "+dest+" (verified)") {
		t.Errorf("stdout = %q", stdout.String())
	}
	opsAssertBackup(t, dest)
	opsNoTempFiles(t, filepath.Dir(dest))
}

func TestBackupFallsBackToHTTPWhenTheBotHoldsTheDatabase(t *testing.T) {
	st, db := opsLiveStore(t)
	srv := opsBackupServer(t, st)
	addr := strings.TrimPrefix(srv.URL, "http://")
	port := addr[strings.LastIndex(addr, ":")+1:]

	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"HTTP_ADDR", []string{"-db", db, "-wait", "50ms"}, map[string]string{"HTTP_ADDR": addr}},
		{"DB_PATH and HTTP_ADDR as the container sets them", []string{"-wait", "50ms"},
			map[string]string{"DB_PATH": db, "HTTP_ADDR": ":" + port}},
		{"-http address", []string{"-db", db, "-wait", "50ms", "-http", addr}, nil},
		{"-http URL", []string{"-db", db, "-wait", "50ms", "-http", srv.URL + "/"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, "copy.db")
			if err := os.WriteFile(dest, []byte("an old backup"), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"BACKUP_TOKEN_FILE": opsTokenFile(t)}
			maps.Copy(env, tc.env)
			var stdout, stderr bytes.Buffer
			code := runBackup(append(tc.args, dest), opsEnv(env), &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), srv.URL+"/backup") || !strings.Contains(stdout.String(), "(verified)") {
				t.Errorf("stdout = %q; want it to name %s/backup and say verified", stdout.String(), srv.URL)
			}
			opsAssertBackup(t, dest)
			opsNoTempFiles(t, dir)
		})
	}
}

func TestBackupHTTPNotVerifiedLeavesDestAlone(t *testing.T) {
	_, db := opsLiveStore(t)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"not a database", func(w http.ResponseWriter, r *http.Request) {
			w.Write(bytes.Repeat([]byte("not bbolt "), 10000))
		}, "does not verify"},
		{"empty", func(w http.ResponseWriter, r *http.Request) {}, "does not verify"},
		{"short body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.Write([]byte("part of a file"))
		}, "unexpected EOF"},
		{"error status", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "gateway not connected", http.StatusServiceUnavailable)
		}, "503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			dir := t.TempDir()
			dest := filepath.Join(dir, "copy.db")
			old := []byte("the previous good backup")
			if err := os.WriteFile(dest, old, 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := runBackup([]string{"-db", db, "-wait", "50ms", "-http", srv.URL, dest}, opsEnv(nil), &stdout, &stderr)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr = %q; want it to contain %q", stderr.String(), tc.want)
			}
			if got, _ := os.ReadFile(dest); !bytes.Equal(got, old) {
				t.Errorf("dest was replaced by %d bytes; want it untouched", len(got))
			}
			opsNoTempFiles(t, dir)
		})
	}
}

func TestBackupHeldDatabaseWithoutAddressExplains(t *testing.T) {
	_, db := opsLiveStore(t)
	dest := filepath.Join(t.TempDir(), "copy.db")
	var stdout, stderr bytes.Buffer
	code := runBackup([]string{"-db", db, "-wait", "50ms", dest}, opsEnv(nil), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"in use", "-http", "HTTP_ADDR"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr = %q; want it to mention %q", stderr.String(), want)
		}
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("dest exists after a failed backup (stat: %v)", err)
	}
}

func TestBackupRefusesToOverwriteTheDatabase(t *testing.T) {
	st, db := opsLiveStore(t)
	srv := opsBackupServer(t, st)
	var stdout, stderr bytes.Buffer
	code := runBackup([]string{"-db", db, "-wait", "50ms", "-http", srv.URL, db}, opsEnv(nil), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "the database itself") {
		t.Fatalf("exit %d, stderr %q; want 1 and a refusal", code, stderr.String())
	}
	err := st.View(context.Background(), func(tx quiz.Tx) error {
		if _, ok, err := tx.Guild(42); err != nil || !ok {
			t.Errorf("the live database lost guild 42 (found %v, err %v)", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHostPortAndBackupURL(t *testing.T) {
	for in, want := range map[string]string{
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "127.0.0.1:8080",
		"10.0.0.5:9000":  "10.0.0.5:9000",
		"localhost:8080": "localhost:8080",
		"[::1]:8080":     "[::1]:8080",
	} {
		if got := hostPort(in); got != want {
			t.Errorf("hostPort(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		":8080":                          "http://127.0.0.1:8080/backup",
		"http://127.0.0.1:18080":         "http://127.0.0.1:18080/backup",
		"http://127.0.0.1:18080/":        "http://127.0.0.1:18080/backup",
		"https://ops.example/bot/backup": "https://ops.example/bot/backup",
	} {
		if got := backupURL(in); got != want {
			t.Errorf("backupURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBackupBesideTheRunningBot takes a backup while the real program runs and holds the
// database: the copy comes from its own /backup endpoint.
func TestBackupBesideTheRunningBot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tokenFile := opsTokenFile(t)
	b := e.startEnv([]string{"BACKUP_TOKEN_FILE", tokenFile})
	addr := strings.TrimPrefix(b.app.httpURL, "http://") // as HTTP_ADDR would name it
	dest := filepath.Join(t.TempDir(), "copy.db")

	// Without the token the bot refuses, and says what is needed.
	var stdout, stderr bytes.Buffer
	code := runBackup([]string{"-db", e.db, "-wait", "50ms", dest}, opsEnv(map[string]string{"HTTP_ADDR": addr}), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "401") || !strings.Contains(stderr.String(), "BACKUP_TOKEN_FILE") {
		t.Fatalf("backup without the token: exit %d, stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("a refused backup wrote %s", dest)
	}

	stdout.Reset()
	stderr.Reset()
	code = runBackup([]string{"-db", e.db, "-wait", "50ms", dest}, opsEnv(map[string]string{"HTTP_ADDR": addr, "BACKUP_TOKEN_FILE": tokenFile}), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "is in use") || !strings.Contains(stdout.String(), b.app.httpURL+"/backup") {
		t.Errorf("stdout %q, stderr %q; want the copy fetched from %s/backup", stdout.String(), stderr.String(), b.app.httpURL)
	}
	st, err := boltstore.Open(dest, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAPIURLMustBeTrusted: DISCORD_API_URL receives the bot token and picks the gateway, so
// plain http is refused unless it points at this machine.
func TestAPIURLMustBeTrusted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://discord.com", true},
		{"https://proxy.internal:8443", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://proxy.internal:8080", false},
		{"http://10.0.0.5", false},
	} {
		env := map[string]string{"DB_PATH": db, "DISCORD_API_URL": c.url}
		_, err := parseConfig(nil, func(k string) string { return env[k] }, &strings.Builder{}, &strings.Builder{})
		refused := err != nil && strings.Contains(err.Error(), "unencrypted")
		if refused == c.ok {
			t.Errorf("DISCORD_API_URL=%s: error %v; want refused=%v", c.url, err, !c.ok)
		}
	}
}

// TestReadableTokenFileWarns: a token file its group or others can read still works, with a
// warning that names it and the fix; a private one gives none. The token never appears.
func TestReadableTokenFileWarns(t *testing.T) {
	dir := t.TempDir()
	open, private := filepath.Join(dir, "open"), filepath.Join(dir, "private")
	const secret = "MTIz.secret-token-value"
	for f, mode := range map[string]os.FileMode{open: 0o644, private: 0o600} {
		if err := os.WriteFile(f, []byte(secret), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(f, mode); err != nil { // umask may have narrowed it
			t.Fatal(err)
		}
	}
	cfg := func(file string) Config {
		env := map[string]string{"DB_PATH": filepath.Join(dir, "x.db"), "DISCORD_TOKEN_FILE": file}
		c, err := parseConfig(nil, func(k string) string { return env[k] }, &strings.Builder{}, &strings.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := cfg(open)
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "chmod 600 "+open) || strings.Contains(c.Warnings[0], secret) || c.Token != secret {
		t.Errorf("a 0644 token file: warnings %q, token read %v", c.Warnings, c.Token == secret)
	}
	if c := cfg(private); len(c.Warnings) != 0 {
		t.Errorf("a 0600 token file: warnings %q; want none", c.Warnings)
	}
}

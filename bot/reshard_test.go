package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

func TestReshardUsage(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "old.db")
	for _, c := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"NoArgs", nil, "-to DIR is required"},
		{"NoTo", []string{"-count", "2", src}, "-to DIR is required"},
		{"NoCount", []string{"-to", dir, src}, "-count must be"},
		{"ZeroCount", []string{"-to", dir, "-count", "0", src}, "-count must be"},
		{"NegativeCount", []string{"-to", dir, "-count", "-3", src}, "-count must be"},
		{"HugeCount", []string{"-to", dir, "-count", "100000000", src}, "-count must be"},
		{"BadCount", []string{"-to", dir, "-count", "two", src}, "invalid value"},
		{"NoSources", []string{"-to", dir, "-count", "2"}, "name the source FILEs"},
		{"FromAndFiles", []string{"-to", dir, "-count", "2", "-from", dir, src}, "not both"},
		{"BadWait", []string{"-to", dir, "-count", "2", "-wait", "0s", src}, "-wait"},
		{"UnknownFlag", []string{"-into", dir, "-count", "2", src}, "flag provided but not defined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runReshard(t.Context(), c.args, &stdout, &stderr); code != 2 {
				t.Errorf("runReshard(%q) = %d; want 2", c.args, code)
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("runReshard(%q) stderr = %q; want it to mention %q", c.args, stderr.String(), c.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("runReshard(%q) stdout = %q; want nothing", c.args, stdout.String())
			}
		})
	}
	var stderr bytes.Buffer // -help prints to stdout, like every command's
	if code := runReshard(t.Context(), []string{"-help"}, &stderr, &bytes.Buffer{}); code != 0 {
		t.Errorf("runReshard(-help) = %d; want 0", code)
	}
	for _, flag := range []string{"-to", "-count", "-from", "-wait", "Exit status"} {
		if !strings.Contains(stderr.String(), flag) {
			t.Errorf("usage text does not mention %s:\n%s", flag, stderr.String())
		}
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("usage errors created %v", names)
	}
}

func TestReshardCommand(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old")
	if err := os.Mkdir(old, 0o700); err != nil {
		t.Fatal(err)
	}
	// Two guilds on different shards of 2.
	guilds := []quiz.GuildID{10 << 22, 11 << 22}
	st, err := boltstore.Open(filepath.Join(old, "quiz.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(t.Context(), func(tx quiz.Tx) error {
		for _, g := range guilds {
			if err := tx.PutGuild(quiz.Guild{ID: g}); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := st.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	out := filepath.Join(dir, "new")

	var stdout, stderr bytes.Buffer
	if code := runReshard(t.Context(), []string{"-to", out, "-count", "2", "-from", old}, &stdout, &stderr); code != 0 {
		t.Fatalf("runReshard = %d; stderr:\n%s", code, stderr.String())
	}
	t.Logf("stdout:\n%s", stdout.String())
	for _, want := range []string{`quiz\.db +2 +0\n`, `shard-0-of-2\.db +1 +0 +\d+\n`, `shard-1-of-2\.db +1 +0 +\d+\n`, `total: 2 servers, 0 due`} {
		if !regexp.MustCompile(want).MatchString(stdout.String()) {
			t.Errorf("stdout does not match %q:\n%s", want, stdout.String())
		}
	}

	// Again: the files exist now, so it fails (1) and changes nothing.
	before, _ := os.ReadFile(filepath.Join(out, "shard-0-of-2.db"))
	stdout.Reset()
	stderr.Reset()
	if code := runReshard(t.Context(), []string{"-to", out, "-count", "2", filepath.Join(old, "quiz.db")}, &stdout, &stderr); code != 1 {
		t.Errorf("second runReshard = %d; want 1", code)
	}
	if !strings.Contains(stderr.String(), "already exists") {
		t.Errorf("stderr = %q; want it to say the destination exists", stderr.String())
	}
	if after, _ := os.ReadFile(filepath.Join(out, "shard-0-of-2.db")); !bytes.Equal(before, after) {
		t.Errorf("a refused reshard changed shard-0-of-2.db")
	}
	// A missing source fails (1), not a usage error.
	if code := runReshard(t.Context(), []string{"-to", out, "-count", "3", filepath.Join(dir, "missing.db")}, &stdout, &stderr); code != 1 {
		t.Errorf("runReshard(missing source) = %d; want 1", code)
	}
}

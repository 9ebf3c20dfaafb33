package bank

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// TestGolden parses every testdata/<case>/tcp.yaml and compares the parsed questions, or the
// problems with their exact path:line, to testdata/<case>.golden.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/tcp.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, path := range dirs {
		name := filepath.Base(filepath.Dir(path))
		t.Run(name, func(t *testing.T) {
			got := loadResult(t, filepath.Dir(path))
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing golden file (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("Load(%s) =\n%s\nwant\n%s", name, got, want)
			}
			// Idempotence: loading twice gives the same result.
			if again := loadResult(t, filepath.Dir(path)); again != got {
				t.Errorf("second load differs:\n%s", again)
			}
		})
	}
}

func loadResult(t *testing.T, dir string) string {
	t.Helper()
	b, err := Load(os.DirFS(dir))
	if err != nil {
		var ps Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Load returned a non-Problems error: %v", err)
		}
		return "error:\n" + err.Error() + "\n"
	}
	out, err := json.MarshalIndent(b.Questions(""), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return "ok:\n" + string(out) + "\n"
}

func TestLoadAcrossFiles(t *testing.T) {
	valid, err := os.ReadFile("testdata/valid/tcp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	other := strings.ReplaceAll(string(valid), "topic: tcp", "topic: udp")
	fsys := fstest.MapFS{
		"tcp.yaml":    {Data: valid},
		"udp.yaml":    {Data: []byte(other)},
		"notes.yml":   {Data: []byte("x")},
		"README.md":   {Data: []byte("# not a bank file")},
		"schema.json": {Data: []byte("{}")},
	}
	_, err = Load(fsys)
	want := "notes.yml: bank files must end in .yaml, not .yml\n" +
		`udp.yaml:4: duplicate id "tcp-handshake" (first defined at tcp.yaml:4)`
	if err == nil || err.Error() != want {
		t.Fatalf("Load = %v\nwant\n%s", err, want)
	}
}

func TestLoadEmptyFolder(t *testing.T) {
	_, err := Load(fstest.MapFS{"README.md": {Data: []byte("x")}})
	if err == nil || !strings.Contains(err.Error(), "no .yaml bank files") {
		t.Fatalf("Load(empty) = %v", err)
	}
}

func TestLoadRejectsHugeFile(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	for i := range big {
		big[i] = '#'
	}
	_, err := Load(fstest.MapFS{"tcp.yaml": {Data: big}})
	if err == nil || !strings.Contains(err.Error(), "tcp.yaml: file is larger than") {
		t.Fatalf("Load(huge) = %v", err)
	}
}

// A file's problems read in English for `bot check` and in a moderator's language in Discord;
// the YAML library's own words are kept, after a translated lead.
func TestProblemsInChinese(t *testing.T) {
	_, err := Parse("tcp.yaml", []byte("topic: tcp\ntitle: {en: TCP, zh: TCP}\nquestions: [\n"))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("Parse = %v; want one problem", err)
	}
	en, zh := ps.Error(), ps.In(quiz.Chinese)
	if want := "tcp.yaml:3: invalid YAML: did not find expected node content"; en != want || en != "tcp.yaml:3: "+ps[0].Msg {
		t.Errorf("English = %q (Msg %q); want %q", en, ps[0].Msg, want)
	}
	if want := "tcp.yaml:3: YAML 语法错误：did not find expected node content"; zh != want {
		t.Errorf("Chinese = %q; want %q", zh, want)
	}
	_, err = Parse("tcp.yaml", []byte("topic: tcp\ntitle: {en: TCP, zh: TCP}\nquestions: {}\n"))
	if got := err.(Problems).In(quiz.Chinese); got != "tcp.yaml:3: questions 必须是列表，实际是映射" {
		t.Errorf("Chinese = %q", got)
	}
}

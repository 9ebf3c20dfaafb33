package bank

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, must either accept or
// report problems with a path, and anything it accepts must pass the domain's own checks.
func FuzzParse(f *testing.F) {
	// Seeds: each real bank file cut to its first question (whole files make the fuzzer crawl),
	// and every golden test case.
	seeds, _ := filepath.Glob("../../questions/*.yaml")
	cases, _ := filepath.Glob("testdata/*/tcp.yaml")
	for _, path := range append(seeds, cases...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if first := bytes.Index(data, []byte("\n  - id:")); first >= 0 {
			if second := bytes.Index(data[first+1:], []byte("\n  - id:")); second >= 0 {
				data = data[:first+1+second+1]
			}
		}
		f.Add(filepath.Base(path), data)
	}
	f.Add("tcp.yaml", []byte("topic: tcp\n"))
	f.Add("x.yaml", []byte("{[}"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) > MaxFileSize {
			return
		}
		file, err := Parse(name, data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Parse error is not Problems: %v", err)
			}
			for _, p := range ps {
				if p.Path != name || p.Msg == "" || p.Line < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		for _, q := range file.Questions {
			if ps := q.Check(); len(ps) > 0 {
				t.Fatalf("accepted question %q breaks rules: %v", q.ID, ps)
			}
			if q.Topic != file.Topic.Slug {
				t.Fatalf("question %q topic %q != file topic %q", q.ID, q.Topic, file.Topic.Slug)
			}
		}
		if ps := file.Topic.Check(); len(ps) > 0 {
			t.Fatalf("accepted topic breaks rules: %v", ps)
		}
		again, err := Parse(name, data)
		if err != nil || len(again.Questions) != len(file.Questions) {
			t.Fatalf("second Parse differs: %v", err)
		}
	})
}

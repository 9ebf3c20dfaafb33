package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules keeps the architecture honest: the domain and the scheduler use only the
// standard library, each outside library is imported by its one adapter, adapters do not import
// each other, and only bot/ (the wiring) imports the embedded bank.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const mod = "github.com/interviewbot/interviewbot/"
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "../...").Output()
	if err != nil {
		// A test that cannot see the imports must not pass as if it had checked them.
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		imports[strings.TrimPrefix(p.ImportPath, mod)] = p.Imports
	}
	stdlib := func(path string) bool { return !strings.Contains(strings.Split(path, "/")[0], ".") }
	owner := map[string]string{ // outside module -> the one package allowed to import it
		"github.com/bwmarrin/discordgo":             "internal/discord",
		"go.etcd.io/bbolt":                          "internal/boltstore",
		"go.yaml.in/yaml/v3":                        "internal/bank",
		"github.com/gorilla/websocket":              "internal/discord/discordtest",
		"github.com/getkin/kin-openapi":             "internal/discord/discordtest",
		"github.com/santhosh-tekuri/jsonschema":     "internal/discord/discordtest",
		"github.com/prometheus/":                    "internal/ops",
		"github.com/open-spaced-repetition/go-fsrs": "internal/fsrs",
		"golang.org/x/image":                        "internal/chart",
	}
	adapters := []string{"internal/discord", "internal/boltstore", "internal/console", "internal/bank", "internal/ops", "internal/fsrs", "internal/chart"}
	if len(imports) < 8 {
		t.Fatalf("go list found only %d packages", len(imports))
	}
	for pkg, imps := range imports {
		for _, imp := range imps {
			in := strings.TrimPrefix(imp, mod)
			switch {
			case (pkg == "internal/quiz" || pkg == "internal/schedule") && !stdlib(imp):
				t.Errorf("%s imports %s; it must use only the standard library", pkg, imp)
			case in == "questions" && pkg != "bot":
				t.Errorf("%s imports the embedded bank; only bot/ may", pkg)
			case in == "internal/discord/discordtest" || in == "internal/quiz/quiztest":
				t.Errorf("%s imports test support %s outside tests", pkg, in)
			}
			for lib, allowed := range owner {
				if strings.HasPrefix(imp, lib) && pkg != allowed {
					t.Errorf("%s imports %s; only %s may", pkg, imp, allowed)
				}
			}
			for _, a := range adapters {
				if pkg != a && strings.HasPrefix(pkg, "internal/") && in == a && !strings.HasPrefix(pkg, a+"/") {
					t.Errorf("adapter %s imports adapter %s", pkg, a)
				}
			}
		}
	}
}

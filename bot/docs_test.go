package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// notSettings are upper-case names the docs mention that are not the bot's settings: the Go
// toolchain's and runtime's, systemd's, a gateway event, and the knobs of .ci/mutate (a
// developer script, not the bot).
var notSettings = []string{"CGO_ENABLED", "GOMEMLIMIT", "INTERACTION_CREATE", "AF_INET", "AF_INET6", "AF_UNIX",
	"MUTATE_MIN_EFFICACY", "MUTATE_WORKERS"}

// serverSigns are variables the bot reads only to tell a service from a person's console.
var serverSigns = []string{"INVOCATION_ID", "KUBERNETES_SERVICE_HOST"}

// TestSettingsAgree: every environment variable and flag named in README.md, deploy/ and
// -help exists in the code, and every one the code reads or defines is documented.
func TestSettingsAgree(t *testing.T) {
	read, codeEnv := envRead(t)
	help, readme, envExample, docs := settingsDocs(t)
	checkEnvDocumented(t, read, codeEnv, help, readme, envExample, docs)
	helpFlags := checkFlagTable(t, help, readme)
	checkCommandFlags(t, docs, helpFlags)
}

// envRead runs the program up to its settings check, and each subcommand, and returns the
// environment variables they really read (recorded through getenv), also sorted.
func envRead(t *testing.T) (read map[string]bool, codeEnv []string) {
	// The variables the program really reads, recorded through getenv: the bot up to its
	// settings check, and each subcommand.
	var mu sync.Mutex
	read = map[string]bool{}
	getenv := func(k string) string {
		mu.Lock()
		defer mu.Unlock()
		read[k] = true
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var sink syncBuffer
	run(ctx, []string{"-log-level", "invalid"}, getenv, strings.NewReader(""), &sink, &sink)
	for _, sub := range []string{"backup", "healthcheck", "check", "reshard"} {
		run(ctx, []string{sub, "-help"}, getenv, strings.NewReader(""), &sink, &sink)
	}
	for k := range read {
		codeEnv = append(codeEnv, k)
	}
	slices.Sort(codeEnv)
	return read, codeEnv
}

// settingsDocs returns -help, README.md, deploy/bot.env.example, and every text that names
// settings by where it is.
func settingsDocs(t *testing.T) (help, readme, envExample string, docs map[string]string) {
	code, help, _ := runArgs(t, []string{"-help"}, nil, "")
	if code != 0 {
		t.Fatalf("-help: exit %d", code)
	}
	readme = readRepoFile(t, "README.md")
	deploy := map[string]string{}
	filepath.WalkDir(filepath.Join("..", "deploy"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			deploy[path] = string(b)
		}
		return nil
	})
	envExample = readRepoFile(t, "deploy/bot.env.example")

	docs = map[string]string{"README.md": readme, "-help": help}
	for k, v := range deploy {
		docs[k] = v
	}
	return help, readme, envExample, docs
}

// checkEnvDocumented: every upper-case NAME_LIKE_THIS (and LANG) the docs name is read by the
// program, and every variable read is documented.
func checkEnvDocumented(t *testing.T, read map[string]bool, codeEnv []string, help, readme, envExample string, docs map[string]string) {
	envName := regexp.MustCompile(`\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|LANG)\b`)
	for where, text := range docs {
		for _, n := range envName.FindAllString(text, -1) {
			if !read[n] && !slices.Contains(notSettings, n) {
				t.Errorf("%s names %s, which the program does not read", where, n)
			}
		}
	}
	// Code → docs: every variable read is in the README; the settings also in -help and in
	// bot.env.example.
	for _, n := range codeEnv {
		if !strings.Contains(readme, n) {
			t.Errorf("README.md does not document %s, which the program reads", n)
		}
		if slices.Contains(serverSigns, n) {
			continue
		}
		if !strings.Contains(help, n) {
			t.Errorf("-help does not mention %s", n)
		}
		if !regexp.MustCompile(`(?m)^#?` + n + `=`).MatchString(envExample) {
			t.Errorf("deploy/bot.env.example does not document %s", n)
		}
	}

}

// checkFlagTable checks the flags -help lists against the README's configuration table, both
// ways, and returns them.
func checkFlagTable(t *testing.T, help, readme string) map[string]bool {
	helpFlags := flagsIn(help)
	tableFlags := map[string]bool{}
	tableEnv := map[string]string{}
	row := regexp.MustCompile("(?m)^\\| (`-[a-z-]+`(?:, `-[a-z-]+`)*|—) \\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\|")
	for _, m := range row.FindAllStringSubmatch(readme, -1) {
		flags := regexp.MustCompile("`-([a-z-]+)`").FindAllStringSubmatch(m[1], -1)
		envs := regexp.MustCompile("`([A-Z_]+)`").FindAllStringSubmatch(m[2], -1)
		for i, f := range flags {
			tableFlags[f[1]] = true
			if i < len(envs) {
				tableEnv[f[1]] = envs[i][1]
			}
			if !helpFlags[f[1]] {
				t.Errorf("README.md's table names -%s, which the bot does not define", f[1])
			}
		}
	}
	for f := range helpFlags {
		if f == "version" {
			continue
		}
		if !tableFlags[f] {
			t.Errorf("README.md's table does not document -%s", f)
		}
	}
	for _, s := range settings {
		if tableEnv[s.flag] != s.env {
			t.Errorf("README.md's table pairs -%s with %q; the code with %s", s.flag, tableEnv[s.flag], s.env)
		}
	}
	if !strings.Contains(help, "/backup") || !strings.Contains(help, "BACKUP_TOKEN_FILE") {
		t.Error("-help does not say how /backup is turned on")
	}
	return helpFlags
}

// checkCommandFlags: every flag given to a command in the docs exists for that command.
func checkCommandFlags(t *testing.T, docs map[string]string, helpFlags map[string]bool) {
	subFlags := map[string]map[string]bool{"": helpFlags}
	for _, sub := range []string{"backup", "healthcheck", "check", "reshard"} {
		_, out, _ := runArgs(t, []string{sub, "-help"}, nil, "")
		subFlags[sub] = flagsIn(out)
	}
	// A command where a command starts: at the start of a line (after sudo), after a backtick
	// or after exec.
	call := regexp.MustCompile("(?m)(?:^\\s*(?:sudo )?|`|exec )(?:/usr/local/bin/|\\./)?(?:interviewbot|/bot|go run \\./bot)((?: +(?:check|backup|healthcheck|reshard))?)((?: [^\\n`#'\"]*)?)")
	flagArg := regexp.MustCompile(`(?:^|\s)-([a-z][a-z-]*)`)
	for where, text := range docs {
		for _, m := range call.FindAllStringSubmatch(text, -1) {
			sub := strings.TrimSpace(m[1])
			for _, f := range flagArg.FindAllStringSubmatch(m[2], -1) {
				if f[1] != "h" && f[1] != "help" && !subFlags[sub][f[1]] {
					t.Errorf("%s: %q uses -%s, which `%s` does not define", where, strings.TrimSpace(m[0]), f[1], strings.TrimSpace("bot "+sub))
				}
			}
		}
	}
}

// flagsIn returns the flags a usage text lists (PrintDefaults lines).
func flagsIn(usage string) map[string]bool {
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`).FindAllStringSubmatch(usage, -1) {
		out[m[1]] = true
	}
	return out
}

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeployRestartsAndImages: the systemd unit does not restart on a configuration error
// (exit 2) and gives each shard a valid port; the Kubernetes image is a pinned release, and the
// files say how to build and push it.
func TestDeployRestartsAndImages(t *testing.T) {
	unit := readRepoFile(t, "deploy/interviewbot.service")
	for _, want := range []string{"\nRestart=on-failure\n", "\nRestartPreventExitStatus=2\n"} {
		if !strings.Contains(unit, want) {
			t.Errorf("interviewbot.service lacks %q", strings.TrimSpace(want))
		}
	}
	if regexp.MustCompile(`HTTP_ADDR=\S*%i`).MatchString(unit) {
		t.Error("interviewbot.service builds a port from %i, which breaks past shard 9 (808%i)")
	}
	// The per-shard recipe gives shards 0-11 distinct valid ports.
	recipe := regexp.MustCompile(`HTTP_ADDR=127\.0\.0\.1:\$\(\((\d+) \+ i\)\)`).FindStringSubmatch(unit)
	if recipe == nil || !strings.Contains(unit, "EnvironmentFile=/etc/interviewbot/shard-%i.env") {
		t.Fatal("interviewbot.service does not show how to give each shard its port")
	}
	// The bot itself refuses a bad port: what a shard past 9 got from 808%i.
	if err := checkListenAddr("127.0.0.1:80810"); err == nil {
		t.Error("checkListenAddr accepts port 80810")
	}

	var sts, kust map[string]any
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "deploy/kubernetes/statefulset.yaml")), &sts); err != nil {
		t.Fatal(err)
	}
	kustText := readRepoFile(t, "deploy/kubernetes/kustomization.yaml")
	if err := yaml.Unmarshal([]byte(kustText), &kust); err != nil {
		t.Fatal(err)
	}
	ctr := yget(t, sts, "spec", "template", "spec", "containers", 0)
	image, _ := yget(t, ctr, "image").(string)
	policy, _ := yget(t, ctr, "imagePullPolicy").(string)
	_, tag, hasTag := strings.Cut(image, ":")
	if policy != "Always" && (!hasTag || tag == "latest") {
		t.Errorf("statefulset.yaml: image %q with imagePullPolicy %q: a node would keep its first pull", image, policy)
	}
	name, _, _ := strings.Cut(image, ":")
	img := yget(t, kust, "images", 0)
	if yget(t, img, "name") != name {
		t.Errorf("kustomization.yaml images[0].name = %v; want %s, the statefulset's image", yget(t, img, "name"), name)
	}
	if nt := yget(t, img, "newTag"); nt == "latest" || (nt == nil && yget(t, img, "digest") == nil) {
		t.Errorf("kustomization.yaml sets tag %v; want a release tag or a digest", nt)
	}
	for _, want := range []string{"docker build", "docker push", "kustomize edit set image"} {
		if !strings.Contains(kustText, want) {
			t.Errorf("kustomization.yaml does not say how to build, push and name the image (%q)", want)
		}
	}
}

// TestReadmeBuildsTheBinaryItCalls: the README builds `interviewbot`, calls it so, and keeps
// its two first commands.
func TestReadmeBuildsTheBinaryItCalls(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	for _, want := range []string{"go build -o interviewbot ./bot", "go run ./bot ", "go test -race ./..."} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`(?m)^(\s*)bot (check|backup|healthcheck|reshard)\b.*`).FindString(readme); m != "" {
		t.Errorf("README.md calls the binary bot, not interviewbot: %q", m)
	}
}

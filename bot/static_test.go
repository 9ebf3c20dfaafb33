package main

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestStaticBinary builds the bot as the Dockerfile does and checks that the result runs on
// distroless/static: no dynamic loader, no shared libraries, build metadata from -ldflags, and
// the embedded bank valid, in an empty environment.
func TestStaticBinary(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipped in -short mode: builds the binary with the go command, which takes seconds")
	}
	bin := buildBinary(t, "-ldflags", "-s -w -X main.version=test-1.2.3 -X main.commit=abc1234 -X main.date=2025-01-02T03:04:05Z")
	t.Run("statically linked", func(t *testing.T) { checkStaticELF(t, bin) })
	t.Run("trimpath", func(t *testing.T) { checkTrimpath(t, bin) })
	const want = "interviewbot test-1.2.3 (abc1234, 2025-01-02T03:04:05Z)"
	for _, args := range [][]string{{"-version"}, {"version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, code := runInEmptyEnv(t, bin, args...)
			if code != 0 || strings.TrimSpace(out) != want {
				t.Errorf("bot %s: exit %d, output %q; want 0 and %q", args[0], code, out, want)
			}
		})
	}
	t.Run("check", func(t *testing.T) {
		out, code := runInEmptyEnv(t, bin, "check")
		if code != 0 || !strings.Contains(out, "embedded bank: OK") {
			t.Errorf("bot check: exit %d, want 0; output:\n%s", code, out)
		}
	})
	t.Run("healthcheck without a bot", func(t *testing.T) {
		// The container health check: exit 1 (unhealthy), not 2 (no such subcommand).
		out, code := runInEmptyEnv(t, bin, "healthcheck", "http://127.0.0.1:1/readyz")
		if code != 1 {
			t.Errorf("bot healthcheck against nothing: exit %d, want 1; output:\n%s", code, out)
		}
	})
}

// checkStaticELF: no dynamic loader, no shared libraries.
func checkStaticELF(t *testing.T, bin string) {
	if runtime.GOOS != "linux" {
		t.Skipf("ELF checks need linux, not %s", runtime.GOOS)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has a PT_INTERP program header: it needs a dynamic loader, which distroless/static lacks")
		}
	}
	libs, err := f.ImportedLibraries() // the DT_NEEDED entries
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v (DT_NEEDED); want none", libs)
	}
}

// checkTrimpath: the binary holds no path of the build folder.
func checkTrimpath(t *testing.T, bin string) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(root+string(filepath.Separator))) {
		t.Errorf("the binary contains the build folder %s: -trimpath missing?", root)
	}
}

// runInEmptyEnv runs the binary as distroless would: no HOME, no USER and no /etc files
// besides passwd, group and CA certificates. It returns the output and the exit code.
func runInEmptyEnv(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{}
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s %v: %v", bin, args, err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

// environWithout is os.Environ() without the named variables.
func environWithout(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			keep = keep && k != n
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}

// TestDockerfileAndDeployFiles keeps the Dockerfile and deploy/ consistent with the program:
// a cheap reading, since neither docker nor a cluster runs in CI.
func TestDockerfileAndDeployFiles(t *testing.T) {
	t.Run("Dockerfile", checkDockerfile)
	t.Run(".dockerignore", checkDockerignore)
	t.Run("bot.env.example", checkEnvExample)
	t.Run("docker-compose.yml", checkCompose)
	t.Run("kubernetes", checkKubernetes)
}

// checkDockerfile: the Dockerfile builds a static binary with metadata and runs it as nonroot with the operator settings.
func checkDockerfile(t *testing.T) {
	// Join continuation lines so each instruction is one line.
	df := strings.ReplaceAll(readRepoFile(t, "Dockerfile"), "\\\n", " ")
	for _, re := range []string{
		`(?m)^FROM (--platform=\S+ )?golang:1\.\d+(@sha256:[0-9a-f]{64})? AS build$`,
		`(?m)^RUN .*CGO_ENABLED=0 .*go build -trimpath .*-ldflags "-s -w -X main\.version=\$\{VERSION\} -X main\.commit=\$\{COMMIT\} -X main\.date=\$\{DATE\}"`,
		`(?m)^ARG VERSION=`, `(?m)^ARG COMMIT=`, `(?m)^ARG DATE=`,
		`(?m)^FROM gcr\.io/distroless/static-debian12:nonroot(@sha256:[0-9a-f]{64})?$`,
		`(?m)^ENV .*DB_PATH=/data/interviewbot\.db`,
		`(?m)^ENV .*HTTP_ADDR=:8080`,
		`(?m)^VOLUME (\["/data"\]|/data)$`,
		`(?m)^EXPOSE 8080$`,
		`(?m)^HEALTHCHECK .*CMD \["/bot", ?"healthcheck"\]$`,
		`(?m)^USER (nonroot|65532)(:(nonroot|65532))?$`,
		`(?m)^STOPSIGNAL SIGTERM$`,
		`(?m)^ENTRYPOINT \["/bot"\]$`,
	} {
		if !regexp.MustCompile(re).MatchString(df) {
			t.Errorf("the Dockerfile has no line matching %s", re)
		}
	}
}

// checkDockerignore: .dockerignore keeps databases out and every package the binary is built from in.
func checkDockerignore(t *testing.T) {
	di := readRepoFile(t, ".dockerignore")
	for _, line := range []string{"**/*.db", "!go.mod", "!go.sum"} {
		if !strings.Contains(di, "\n"+line+"\n") {
			t.Errorf(".dockerignore lacks the line %q", line)
		}
	}
	// Every folder holding a package the binary is built from must be in the build context.
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to list the packages with: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, _ := filepath.Abs("..")
	for _, dir := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			t.Fatal(err)
		}
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if !strings.Contains(di, "\n!"+top+"/\n") && !strings.Contains(di, "\n!"+top+"\n") {
			t.Errorf(".dockerignore leaves %s/ out of the build context, but %s is built from it", top, rel)
		}
	}
}

// checkEnvExample: deploy/bot.env.example documents every setting and the token.
func checkEnvExample(t *testing.T) {
	env := readRepoFile(t, "deploy/bot.env.example")
	names := []string{"DISCORD_TOKEN", "DISCORD_TOKEN_FILE"}
	for _, s := range settings {
		names = append(names, s.env)
	}
	for _, n := range names {
		if !regexp.MustCompile(`(?m)^#?` + n + `=`).MatchString(env) {
			t.Errorf("deploy/bot.env.example does not document %s", n)
		}
	}
}

// checkCompose: deploy/docker-compose.yml runs the image with its volume, env file and health check.
func checkCompose(t *testing.T) {
	var c map[string]any
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "deploy/docker-compose.yml")), &c); err != nil {
		t.Fatal(err)
	}
	bot := yget(t, c, "services", "bot")
	for _, want := range []struct {
		got  any
		want string
	}{
		{yget(t, bot, "ports", 0), "127.0.0.1:8080:8080"},
		{yget(t, bot, "volumes", 0), "data:/data"},
		{yget(t, bot, "env_file"), "bot.env"},
		{yget(t, bot, "restart"), "unless-stopped"},
		{yget(t, bot, "stop_grace_period"), "30s"},
		{yget(t, bot, "healthcheck", "test", 1), "/bot"},
		{yget(t, bot, "healthcheck", "test", 2), "healthcheck"},
		{yget(t, bot, "build", "context"), ".."},
	} {
		if want.got != want.want {
			t.Errorf("compose service bot: got %v, want %v", want.got, want.want)
		}
	}
}

// checkKubernetes: deploy/kubernetes runs one replica, locked down, with its volume, secret and probes.
func checkKubernetes(t *testing.T) {
	docs := map[string]any{}
	for _, f := range []string{"statefulset.yaml", "pvc.yaml", "secret.example.yaml", "service.yaml", "networkpolicy.yaml"} {
		var d map[string]any
		if err := yaml.Unmarshal([]byte(readRepoFile(t, "deploy/kubernetes/"+f)), &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if d["apiVersion"] == nil || d["kind"] == nil || yget(t, d, "metadata", "namespace") != nil {
			t.Errorf("%s: want apiVersion, kind and no namespace", f)
		}
		docs[f] = d
	}
	sts := docs["statefulset.yaml"]
	pod := yget(t, sts, "spec", "template", "spec")
	ctr := yget(t, pod, "containers", 0)
	env := map[string]any{}
	envList, _ := yget(t, ctr, "env").([]any)
	for _, e := range envList {
		env[fmt.Sprint(yget(t, e, "name"))] = yget(t, e, "value")
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"replicas", yget(t, sts, "spec", "replicas"), 1},
		{"terminationGracePeriodSeconds", yget(t, pod, "terminationGracePeriodSeconds"), 30},
		{"pod runAsNonRoot", yget(t, pod, "securityContext", "runAsNonRoot"), true},
		{"readOnlyRootFilesystem", yget(t, ctr, "securityContext", "readOnlyRootFilesystem"), true},
		{"allowPrivilegeEscalation", yget(t, ctr, "securityContext", "allowPrivilegeEscalation"), false},
		{"capabilities drop", yget(t, ctr, "securityContext", "capabilities", "drop", 0), "ALL"},
		{"containerPort", yget(t, ctr, "ports", 0, "containerPort"), 8080},
		{"liveness path", yget(t, ctr, "livenessProbe", "httpGet", "path"), "/healthz"},
		{"readiness path", yget(t, ctr, "readinessProbe", "httpGet", "path"), "/readyz"},
		{"HTTP_ADDR", env["HTTP_ADDR"], ":8080"},
		{"DB_PATH", env["DB_PATH"], fmt.Sprint(yget(t, ctr, "volumeMounts", 0, "mountPath")) + "/interviewbot.db"},
		{"SHARD_ID", env["SHARD_ID"], "0"},
		{"claimName", yget(t, pod, "volumes", 0, "persistentVolumeClaim", "claimName"), yget(t, docs["pvc.yaml"], "metadata", "name")},
		{"secretName", yget(t, pod, "volumes", 1, "secret", "secretName"), yget(t, docs["secret.example.yaml"], "metadata", "name")},
		{"token file", env["DISCORD_TOKEN_FILE"], fmt.Sprint(yget(t, ctr, "volumeMounts", 1, "mountPath")) + "/" +
			fmt.Sprint(yget(t, pod, "volumes", 1, "secret", "items", 0, "path"))},
	} {
		if c.got != c.want {
			t.Errorf("statefulset.yaml %s = %v, want %v", c.what, c.got, c.want)
		}
	}
	key := fmt.Sprint(yget(t, pod, "volumes", 1, "secret", "items", 0, "key"))
	if yget(t, docs["secret.example.yaml"], "stringData", key) == nil {
		t.Errorf("secret.example.yaml has no key %q, which statefulset.yaml mounts", key)
	}
	if _, ok := yget(t, ctr, "resources", "limits", "memory").(string); !ok {
		t.Error("statefulset.yaml: no memory limit")
	}
}

// yget walks decoded YAML by map keys and list indexes; nil if a step is missing.
func yget(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

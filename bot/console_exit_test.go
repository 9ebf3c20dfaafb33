package main

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConsoleLeavesAtOnce runs the built binary as a person would, with no token, and leaves
// the console the three ways a person does: Ctrl-C (SIGINT, while the console waits for a
// line), Ctrl-D (end of input) and /quit. Each must end the process at once with exit 0 and
// nothing on stderr: no "context canceled", no waiting for another Enter.
func TestConsoleLeavesAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds the binary with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command in PATH to build the binary with: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bot")
	// The flags of TestStaticBinary, so the builds share the build cache.
	build := exec.Command(goTool, "build", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	build.Env = append(environWithout("CGO_ENABLED", "GOFLAGS"), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, how := range []string{"Ctrl-C", "Ctrl-D", "/quit"} {
		t.Run(how, func(t *testing.T) {
			cmd := exec.Command(bin, "-db", filepath.Join(dir, strings.Trim(how, "/")+".db"))
			cmd.Env = append(environWithout("DISCORD_TOKEN", "DISCORD_TOKEN_FILE", "HTTP_ADDR", "INVOCATION_ID",
				"KUBERNETES_SERVICE_HOST", "LANG", "LC_ALL"), "LANG=C.UTF-8")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			screen := bufio.NewReader(stdout)
			banner, err := screen.ReadString('>') // the first prompt: the console waits for a line
			if err != nil || !strings.Contains(banner, "/quit") {
				t.Fatalf("banner %q, %v; stderr: %s", banner, err, stderr.String())
			}
			go io.Copy(io.Discard, screen)
			switch how {
			case "Ctrl-C":
				err = cmd.Process.Signal(syscall.SIGINT)
			case "Ctrl-D":
				err = stdin.Close()
			default:
				_, err = io.WriteString(stdin, "/quit\n")
			}
			if err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("after %s the process ended with %v; want exit 0. stderr: %s", how, err, stderr.String())
				}
			case <-time.After(10 * time.Second): // a deadline for a hung process, not a wait for timing
				t.Fatalf("after %s the process was still running 10s later (with stdin open, nothing typed)", how)
			}
			if stderr.Len() > 0 {
				t.Errorf("after %s stderr = %q; want nothing", how, stderr.String())
			}
		})
	}
}

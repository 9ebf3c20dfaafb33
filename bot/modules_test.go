package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestNoStaleCrypto: discordgo still asks for a 2021 golang.org/x/crypto. Only its nacl,
// salsa20 and poly1305 packages are linked (none of the vulnerable ssh ones), but image scanners
// flag the module version, so go.mod requires a current one.
func TestNoStaleCrypto(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "golang.org/x/crypto").Output()
	if err != nil {
		t.Fatalf("go list -m golang.org/x/crypto: %v", err)
	}
	v := strings.TrimSpace(string(out))
	var major, minor int
	if _, err := fmt.Sscanf(v, "v%d.%d.", &major, &minor); err != nil || major == 0 && minor < 45 {
		t.Fatalf("golang.org/x/crypto is %s; require v0.45.0 or later (go get golang.org/x/crypto@v0.45.0)", v)
	}
}

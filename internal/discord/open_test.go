package discord

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestOpenErrors: what Open says about a failed connection, and whether it tries again.
func TestOpenErrors(t *testing.T) {
	b := &Bot{opts: Options{APIURL: "http://proxy.internal:3000"}}
	req, _ := http.NewRequest(http.MethodGet, "https://discord.com/api/v9/gateway", nil)
	rest := func(code int) error {
		return fmt.Errorf("discord: register commands: %w", &discordgo.RESTError{Request: req,
			Response:     &http.Response{StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code))},
			ResponseBody: []byte(`{"message": "x"}`)})
	}
	refused := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	for _, c := range []struct {
		name  string
		err   error
		retry bool
		want  string
		token bool
	}{
		{"REST 401", rest(401), false, "the token was refused by Discord (401): check DISCORD_TOKEN", true},
		{"gateway", fmt.Errorf("gateway: %w", errors.New("websocket: close 1006 (abnormal closure)")), true, "discord: connect: gateway: websocket: close 1006", false},
		{"REST 500", rest(500), true, "http://proxy.internal:3000 (DISCORD_API_URL) answered GET /api/v9/gateway with 500", false},
		{"REST 403", rest(403), false, "http://proxy.internal:3000 (DISCORD_API_URL) answered GET /api/v9/gateway with 403", false},
		{"connection refused", refused, true, "cannot reach http://proxy.internal:3000 (DISCORD_API_URL): dial tcp: connect: connection refused", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := retryable(c.err); got != c.retry {
				t.Errorf("retryable(%v) = %v; want %v", c.err, got, c.retry)
			}
			got := b.explain(c.err)
			if !strings.Contains(got.Error(), c.want) || strings.Contains(got.Error(), "discord.com") {
				t.Errorf("explain(%v) = %q; want it to contain %q and not discord.com", c.err, got, c.want)
			}
			if errors.Is(got, ErrTokenRefused) != c.token {
				t.Errorf("errors.Is(explain(%v), ErrTokenRefused) = %v; want %v", c.err, !c.token, c.token)
			}
		})
	}
	if d := defaultBackoff(1); d.Seconds() != 1 {
		t.Errorf("defaultBackoff(1) = %v; want 1s", d)
	}
	if d := defaultBackoff(100); d.Minutes() != 1 {
		t.Errorf("defaultBackoff(100) = %v; want 1m", d)
	}
}

package discord

import "testing"

// TestAttachmentHost: attachments are fetched only from Discord's CDN over https, or from the
// configured API address (a test's fake); look-alike hosts, other ports, plain http and
// credentials in the URL are refused.
func TestAttachmentHost(t *testing.T) {
	prod := &Bot{opts: Options{APIURL: "https://discord.com"}}
	fake := &Bot{opts: Options{APIURL: "http://127.0.0.1:43210"}}
	for _, c := range []struct {
		b    *Bot
		url  string
		want bool
	}{
		{prod, "https://cdn.discordapp.com/attachments/1/2/tcp.yaml", true},
		{prod, "https://media.discordapp.net/attachments/1/2/tcp.yaml", true},
		{prod, "https://cdn.discordapp.com:443/ephemeral-attachments/1/2/tcp.yaml", true},
		{prod, "http://cdn.discordapp.com/attachments/1/2/tcp.yaml", false},
		{prod, "https://cdn.discordapp.com.evil.example/tcp.yaml", false},
		{prod, "https://cdn.discordapp.com:8443/tcp.yaml", false},
		{prod, "https://user:pw@cdn.discordapp.com/tcp.yaml", false},
		{prod, "http://169.254.169.254/latest/meta-data/", false},
		{prod, "http://127.0.0.1:43210/attachments/1/tcp.yaml", false},
		{fake, "http://127.0.0.1:43210/attachments/1/tcp.yaml", true},
		{fake, "http://127.0.0.1:9999/attachments/1/tcp.yaml", false},
		{fake, "file:///etc/passwd", false},
		{fake, "::not a url", false},
	} {
		if got := c.b.attachmentHost(c.url); got != c.want {
			t.Errorf("attachmentHost(%q) with API %s = %v; want %v", c.url, c.b.opts.APIURL, got, c.want)
		}
	}
}

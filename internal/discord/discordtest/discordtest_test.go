package discordtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

const (
	guildID   = "200000000000000001"
	channelID = "200000000000000002"
	roleID    = "200000000000000003"
	appID     = "100000000000000001"
)

var member = discordtest.User{ID: "300000000000000001", Username: "alice", Roles: []string{roleID}, Permissions: "8"}

func newFake(t *testing.T, opts ...discordtest.Option) *discordtest.Server {
	t.Helper()
	s := discordtest.New(t, opts...)
	s.AddGuild(discordtest.Guild{
		ID: guildID, Name: "Practice", OwnerID: member.ID,
		Channels: []discordtest.Channel{{ID: channelID, Name: "interviews", Type: 0}},
		Roles:    []discordtest.Role{{ID: roleID, Name: "mod", Permissions: "32"}},
	})
	return s
}

// session returns a discordgo session wired to the fake, not yet opened.
func session(t *testing.T, s *discordtest.Server) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: s.Transport(), Timeout: 10 * time.Second}
	dg.Identify.Intents = discordgo.IntentsGuilds
	return dg
}

// connect opens a session with an INTERACTION_CREATE channel and waits for READY.
func connect(t *testing.T, s *discordtest.Server) (*discordgo.Session, <-chan *discordgo.InteractionCreate) {
	t.Helper()
	dg := session(t, s)
	ics := make(chan *discordgo.InteractionCreate, 16)
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { ics <- ic })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { dg.Close() })
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	return dg, ics
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return c
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx(t).Done():
		var zero T
		t.Fatalf("timed out waiting for %T", zero)
		return zero
	}
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return -1
}

func TestConnectReadyGuildCreate(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	guilds := make(chan *discordgo.GuildCreate, 4)
	ready := make(chan *discordgo.Ready, 2)
	dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guilds <- g })
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { dg.Close() })
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	r := recv(t, ready)
	if r.User.ID != appID || !r.User.Bot || r.Version != 9 || r.SessionID == "" {
		t.Errorf("READY = user %+v v%d session %q", r.User, r.Version, r.SessionID)
	}
	g := recv(t, guilds)
	if g.ID != guildID || len(g.Channels) != 1 || g.Channels[0].ID != channelID {
		t.Errorf("GUILD_CREATE = %+v", g.Guild)
	}
	var modPerms int64 = -1
	for _, r := range g.Roles {
		if r.ID == roleID {
			modPerms = r.Permissions
		}
	}
	if modPerms != 32 {
		t.Errorf("role %s permissions = %d; want 32", roleID, modPerms)
	}
	if got := s.Identifies(); got != 1 {
		t.Errorf("Identifies() = %d; want 1", got)
	}

	s.AddGuild(discordtest.Guild{ID: "200000000000000009", Name: "Late"})
	if g := recv(t, guilds); g.ID != "200000000000000009" {
		t.Errorf("GUILD_CREATE after connect = %s", g.ID)
	}
}

func TestSlashReply(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	i := s.Slash(guildID, channelID, member, "interview",
		discordtest.Opt{Name: "start", Type: 1, Options: []discordtest.Opt{{Name: "topic", Type: 3, Value: "tcp"}}})
	ic := recv(t, ics)

	data := ic.ApplicationCommandData()
	if data.Name != "interview" || len(data.Options) != 1 || data.Options[0].Name != "start" ||
		data.Options[0].Options[0].StringValue() != "tcp" {
		t.Errorf("command data = %+v", data)
	}
	if ic.AppID != appID || ic.GuildID != guildID || ic.ChannelID != channelID || ic.Token != i.Token {
		t.Errorf("interaction = app %s guild %s channel %s", ic.AppID, ic.GuildID, ic.ChannelID)
	}
	if ic.Member == nil || ic.Member.User.ID != member.ID || ic.Member.Permissions != allPermissions || ic.AppPermissions == 0 {
		t.Errorf("member = %+v, app_permissions %d", ic.Member, ic.AppPermissions)
	}

	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         "Question 1",
			Embeds:          []*discordgo.MessageEmbed{{Title: "TCP", Description: "Explain the handshake."}},
			AllowedMentions: noMentions(),
			Flags:           discordgo.MessageFlagsEphemeral,
		},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("InteractionRespond() = %v", err)
	}
	resp, err := i.Wait(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != 4 || resp.Content != "Question 1" || resp.Flags != 64 || len(resp.Embeds) != 1 || resp.Embeds[0].Title != "TCP" {
		t.Errorf("Wait() = %+v", resp)
	}
	if i.Latency() <= 0 {
		t.Errorf("Latency() = %v; want > 0", i.Latency())
	}

	content := "Question 1 (edited)"
	if _, err := dg.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{
		Content: &content, AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("InteractionResponseEdit() = %v", err)
	}
	orig, ok := i.Original()
	if !ok || orig.Content != content || orig.Edits != 1 || orig.Flags != 64 {
		t.Errorf("Original() = %+v, %v", orig, ok)
	}
	fm, err := dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{
		Content: "follow-up", AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("FollowupMessageCreate() = %v", err)
	}
	if f := i.Followups(); len(f) != 1 || f[0].ID != fm.ID || f[0].Content != "follow-up" {
		t.Errorf("Followups() = %+v", f)
	}
	// A message with only a file is not empty: Discord requires one of content, embeds,
	// sticker_ids, components, files[n] or poll.
	if _, err := dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{
		Files:           []*discordgo.File{{Name: "tcp.yaml", ContentType: "application/yaml", Reader: strings.NewReader("topic: tcp\n")}},
		AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("a file-only follow-up was refused: %v", err)
	}
	if msgs := s.Messages(channelID); len(msgs) != 0 {
		t.Errorf("Messages() = %d channel posts; want 0 (replies are not channel posts)", len(msgs))
	}
}

// allPermissions is what Discord puts in member.permissions for an owner or an administrator.
const allPermissions = int64(1)<<52 - 1

// TestMemberPermissionsAsDiscordComputes: member.permissions is computed from the guild's
// roles and owner, as Discord does, so a bot's own permission check sees realistic values.
func TestMemberPermissionsAsDiscordComputes(t *testing.T) {
	s := discordtest.New(t)
	const owner, modRole, adminRole = "300000000000000010", "200000000000000011", "200000000000000012"
	s.AddGuild(discordtest.Guild{
		ID: guildID, Name: "Practice", OwnerID: owner,
		Channels: []discordtest.Channel{{ID: channelID, Name: "interviews"}},
		Roles: []discordtest.Role{
			{ID: modRole, Name: "mod", Permissions: "32"},
			{ID: adminRole, Name: "admin", Permissions: "8"},
		},
	})
	_, ics := connect(t, s)
	for _, c := range []struct {
		name string
		u    discordtest.User
		want int64
	}{
		{"plain member", discordtest.User{ID: "300000000000000011"}, 0},
		{"unknown role", discordtest.User{ID: "300000000000000012", Roles: []string{"200000000000000099"}}, 0},
		{"role with Manage Server", discordtest.User{ID: "300000000000000013", Roles: []string{modRole}}, 32},
		{"Manage Server held directly", discordtest.User{ID: "300000000000000014", Permissions: "32"}, 32},
		{"role with Administrator", discordtest.User{ID: "300000000000000015", Roles: []string{adminRole}}, allPermissions},
		{"Administrator held directly", discordtest.User{ID: "300000000000000016", Permissions: "8"}, allPermissions},
		{"owner", discordtest.User{ID: owner}, allPermissions},
	} {
		s.Slash(guildID, channelID, c.u, "interview")
		ic := recv(t, ics)
		if ic.Member == nil || ic.Member.Permissions != c.want {
			t.Errorf("%s: member.permissions = %+v; want %d", c.name, ic.Member, c.want)
		}
	}
}

func TestLateCallback(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithCallbackDeadline(100*time.Millisecond))
	s.ExpectViolation("late callback")
	dg, ics := connect(t, s)
	i := s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	if _, err := i.Wait(ctx(t)); err == nil || !strings.Contains(err.Error(), "no callback within") {
		t.Fatalf("Wait() = %v; want the deadline error", err)
	}
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}, discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 10062 {
		t.Errorf("late InteractionRespond() = %v; want code 10062", err)
	}
}

func TestDoubleCallback(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("already acknowledged")
	dg, ics := connect(t, s)
	s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	defer1 := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := dg.InteractionRespond(ic.Interaction, defer1, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("first InteractionRespond() = %v", err)
	}
	err := dg.InteractionRespond(ic.Interaction, defer1, discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 40060 {
		t.Errorf("second InteractionRespond() = %v; want code 40060", err)
	}
}

func TestMissingAllowedMentions(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("allowed_mentions missing")
	dg, ics := connect(t, s)
	i := s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "@everyone hello"},
	}, discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 50035 {
		t.Errorf("InteractionRespond() = %v; want code 50035", err)
	}
	if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], "allowed_mentions missing") {
		t.Errorf("Violations() = %q", v)
	}
	if _, ok := i.Response(); ok {
		t.Error("a rejected callback counted as the response")
	}
}

func TestEveryoneInParseRejected(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation(`parse contains "everyone"`)
	dg := session(t, s)
	_, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content:         "@everyone daily question",
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeEveryone}},
	}, discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 50035 {
		t.Errorf("ChannelMessageSendComplex() = %v; want code 50035", err)
	}
}

func TestReconnectResumeReplays(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	s.Reconnect()
	i := s.Slash(guildID, channelID, member, "interview") // sent during the gap
	ic := recv(t, ics)
	if ic.ID != i.ID {
		t.Fatalf("replayed interaction %s; want %s", ic.ID, i.ID)
	}
	if err := s.Await(ctx(t), func() bool { return s.Resumes() == 1 }); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := s.Identifies(); got != 1 {
		t.Errorf("Identifies() = %d; want 1 (resumed, not re-identified)", got)
	}
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "ok", AllowedMentions: noMentions()},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("InteractionRespond() = %v", err)
	}
	if _, err := i.Wait(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidSessionReidentifies(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	readies := make(chan *discordgo.Ready, 4)
	ics := make(chan *discordgo.InteractionCreate, 4)
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { readies <- r })
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { ics <- ic })
	if err := dg.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dg.Close() })
	first := recv(t, readies)
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	s.InvalidSession()
	i := s.Slash(guildID, channelID, member, "interview")
	second := recv(t, readies)
	if second.SessionID == first.SessionID {
		t.Errorf("second READY reuses session %s", first.SessionID)
	}
	if ic := recv(t, ics); ic.ID != i.ID {
		t.Errorf("interaction after re-IDENTIFY = %s; want %s", ic.ID, i.ID)
	}
	if got := s.Identifies(); got != 2 {
		t.Errorf("Identifies() = %d; want 2", got)
	}
}

func TestDropConnectionResumes(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	_, ics := connect(t, s)
	s.DropConnection()
	i := s.Slash(guildID, channelID, member, "interview")
	if ic := recv(t, ics); ic.ID != i.ID {
		t.Errorf("interaction after resume = %s; want %s", ic.ID, i.ID)
	}
	if err := s.Await(ctx(t), func() bool { return s.Resumes() == 1 }); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestBulkOverwrite(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	perm := int64(discordgo.PermissionManageGuild)
	cmds := []*discordgo.ApplicationCommand{{
		Name: "interview", Description: "Practice an interview question",
		DefaultMemberPermissions: &perm,
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Topic",
			Required: true, Autocomplete: true,
		}},
	}}
	got, err := dg.ApplicationCommandBulkOverwrite(appID, guildID, cmds, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite() = %v", err)
	}
	if len(got) != 1 || got[0].ID == "" || got[0].Name != "interview" || got[0].GuildID != guildID {
		t.Errorf("overwrite returned %+v", got)
	}
	if n := len(s.Commands(guildID)); n != 1 || s.CommandOverwrites() != 1 {
		t.Errorf("Commands() = %d, CommandOverwrites() = %d", n, s.CommandOverwrites())
	}

	s.ExpectViolation("description") // the spec or the fake's own check

	cmds[0].Description = strings.Repeat("d", 101)
	_, err = dg.ApplicationCommandBulkOverwrite(appID, guildID, cmds, discordgo.WithContext(ctx(t)))
	if restCode(err) != 50035 {
		t.Errorf("overwrite with a 101-character description = %v; want code 50035", err)
	}
	if s.CommandOverwrites() != 1 {
		t.Errorf("CommandOverwrites() = %d after a rejected overwrite; want 1", s.CommandOverwrites())
	}
}

func TestCommandRules(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	tests := []struct {
		name string
		cmd  *discordgo.ApplicationCommand
		want string
	}{
		{"uppercase", &discordgo.ApplicationCommand{Name: "Interview", Description: "x"}, "must be lowercase"},
		{"space", &discordgo.ApplicationCommand{Name: "two words", Description: "x"}, "does not match"},
		{"required after optional", &discordgo.ApplicationCommand{Name: "a", Description: "x", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "o", Description: "o"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "r", Description: "r", Required: true},
		}}, "required option after an optional one"},
		{"autocomplete with choices", &discordgo.ApplicationCommand{Name: "a", Description: "x", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "o", Description: "o", Autocomplete: true,
				Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}},
		}}, "autocomplete together with choices"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ExpectViolation(tt.want)
			_, err := dg.ApplicationCommandBulkOverwrite(appID, "", []*discordgo.ApplicationCommand{tt.cmd}, discordgo.WithContext(ctx(t)))
			if restCode(err) != 50035 {
				t.Errorf("overwrite = %v; want code 50035", err)
			}
			found := false
			for _, v := range s.Violations() {
				found = found || strings.Contains(v, tt.want)
			}
			if !found {
				t.Errorf("Violations() = %q; want one containing %q", s.Violations(), tt.want)
			}
		})
	}
}

type messageSendNonce struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

func TestNonceDedupe(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	ep := discordgo.EndpointChannelMessages(channelID)
	post := func(content string) *discordgo.Message {
		t.Helper()
		body := messageSendNonce{&discordgo.MessageSend{Content: content, AllowedMentions: noMentions()}, "daily|g|2026-01-02", true}
		raw, err := dg.RequestWithBucketID("POST", ep, body, ep, discordgo.WithContext(ctx(t)))
		if err != nil {
			t.Fatalf("post = %v", err)
		}
		var m discordgo.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	a := post("Daily question")
	b := post("Daily question (retry)")
	if a.ID != b.ID || b.Content != "Daily question" {
		t.Errorf("repeated nonce returned %s %q; want %s %q", b.ID, b.Content, a.ID, a.Content)
	}
	msgs := s.Messages(channelID)
	if len(msgs) != 1 || msgs[0].Nonce != "daily|g|2026-01-02" {
		t.Errorf("Messages() = %+v; want one message", msgs)
	}
}

func TestFailNext429ThenSuccess(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	limited := make(chan *discordgo.RateLimit, 2)
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) { limited <- r })
	s.FailNext("POST /channels/*/messages", 429, 1)
	m, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "hi", AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("ChannelMessageSendComplex() = %v", err)
	}
	recv(t, limited)
	var statuses []int
	for _, r := range s.Requests() {
		if r.Method == "POST" {
			statuses = append(statuses, r.Status)
		}
	}
	if len(statuses) != 2 || statuses[0] != 429 || statuses[1] != 200 {
		t.Errorf("POST statuses = %v; want [429 200]", statuses)
	}
	if got := s.Messages(channelID); len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("Messages() = %+v", got)
	}
	if s.RateLimited() != 1 {
		t.Errorf("RateLimited() = %d; want 1", s.RateLimited())
	}

	s.FailNext("POST /channels/*/messages", 500, 1)
	_, err = dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "hi", AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != 500 {
		t.Errorf("after FailNext 500: %v", err)
	}
}

func TestGlobalRateLimit(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithGlobalRateLimit(1))
	dg := session(t, s)
	for range 3 {
		if _, err := dg.Channel(channelID, discordgo.WithContext(ctx(t))); err != nil {
			t.Fatalf("Channel() = %v", err)
		}
	}
	if s.RateLimited() == 0 {
		t.Error("no global 429 after 3 requests at 1/s")
	}
	var global bool
	for _, r := range s.Requests() {
		global = global || r.Status == 429
	}
	if !global {
		t.Errorf("Requests() shows no 429: %+v", s.Requests())
	}
}

func TestOpenAPICatchesLongButtonLabel(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	if !s.SchemaValidation() {
		t.Skip("OpenAPI description not found; schema validation is off")
	}
	s.ExpectViolation("openapi")
	dg := session(t, s)
	_, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content:         "Question",
		AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: strings.Repeat("l", 81), CustomID: "v1:answer:1"},
		}}},
	}, discordgo.WithContext(ctx(t)))
	if restCode(err) != 50035 {
		t.Errorf("post with an 81-character label = %v; want code 50035", err)
	}
	v := s.Violations()
	if len(v) != 1 || !strings.HasPrefix(v[0], "openapi:") {
		t.Errorf("Violations() = %q; want one openapi violation", v)
	}
}

func TestValidRequestsPassOpenAPI(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	m, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content:         "Daily question",
		Embeds:          []*discordgo.MessageEmbed{{Title: "TCP", Description: "Why three packets?", Footer: &discordgo.MessageEmbedFooter{Text: "bank"}}},
		AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Answer", CustomID: "v1:answer:1"},
		}}},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("ChannelMessageSendComplex() = %v", err)
	}

	// Button → modal → submit → ephemeral ack, then the post is updated.
	click := s.Click(guildID, channelID, member, m.ID, "v1:answer:1")
	ic := recv(t, ics)
	if d := ic.MessageComponentData(); d.CustomID != "v1:answer:1" || ic.Message == nil || ic.Message.ID != m.ID {
		t.Fatalf("component data = %+v, message %v", d, ic.Message)
	}
	err = dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: "v1:submit:1", Title: "Your answer",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: "answer", Label: "Answer", Style: discordgo.TextInputParagraph, Required: true, MaxLength: 4000},
			}}},
		},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("modal = %v", err)
	}
	if r, err := click.Wait(ctx(t)); err != nil || r.Type != 9 || r.ModalCustomID != "v1:submit:1" || r.ModalTitle != "Your answer" {
		t.Errorf("click.Wait() = %+v, %v", r, err)
	}

	sub := s.SubmitModalOnMessage(guildID, channelID, member, m.ID, "v1:submit:1", map[string]string{"answer": "SYN, SYN-ACK, ACK"})
	ic = recv(t, ics)
	md := ic.ModalSubmitData()
	in := md.Components[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
	if md.CustomID != "v1:submit:1" || in.CustomID != "answer" || in.Value != "SYN, SYN-ACK, ACK" {
		t.Errorf("modal data = %+v, input %+v", md, in)
	}
	if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("defer = %v", err)
	}
	if _, ok := sub.Original(); ok {
		t.Error("Original() after a bare deferral reports a message")
	}
	saved := "Saved."
	if _, err := dg.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &saved, AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("edit = %v", err)
	}
	if o, ok := sub.Original(); !ok || o.Content != saved || o.Flags != 64 {
		t.Errorf("Original() = %+v, %v", o, ok)
	}

	autocompleteRoundTrip(t, s, dg, ics)
	editDMAndFetch(t, s, dg, m.ID)
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q; want none", v)
	}
}

// autocompleteRoundTrip: an autocomplete interaction and its choices.
func autocompleteRoundTrip(t *testing.T, s *discordtest.Server, dg *discordgo.Session, ics <-chan *discordgo.InteractionCreate) {
	ac := s.Autocomplete(guildID, channelID, member, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "tc", Focused: true})
	ic := recv(t, ics)
	if ic.Type != discordgo.InteractionApplicationCommandAutocomplete {
		t.Fatalf("type = %v", ic.Type)
	}
	if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "TCP", Value: "tcp"}}},
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("autocomplete = %v", err)
	}
	if r, err := ac.Wait(ctx(t)); err != nil || len(r.Choices) != 1 || r.Choices[0].Value != "tcp" {
		t.Errorf("ac.Wait() = %+v, %v", r, err)
	}

}

// editDMAndFetch: a channel message edited, a DM sent, a member and the bot's user fetched.
func editDMAndFetch(t *testing.T, s *discordtest.Server, dg *discordgo.Session, msgID string) {
	edited := "Daily question (closed)"
	if _, err := dg.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: msgID, Channel: channelID, Content: &edited, AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("edit = %v", err)
	}
	dm, err := dg.UserChannelCreate(member.ID, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("UserChannelCreate() = %v", err)
	}
	if _, err := dg.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{Content: "streak: 3", AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatalf("DM = %v", err)
	}
	if d := s.DMs(member.ID); len(d) != 1 || d[0].Content != "streak: 3" {
		t.Errorf("DMs() = %+v", d)
	}
	if msgs := s.Messages(channelID); len(msgs) != 1 || msgs[0].Content != edited || msgs[0].Edits != 1 {
		t.Errorf("Messages() = %+v", msgs)
	}
	if _, err := dg.GuildMember(guildID, member.ID, discordgo.WithContext(ctx(t))); err != nil {
		t.Errorf("GuildMember() = %v", err)
	}
	if _, err := dg.User("@me", discordgo.WithContext(ctx(t))); err != nil {
		t.Errorf("User(@me) = %v", err)
	}
}

func TestDeletedAndDeniedChannels(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg := session(t, s)
	send := &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}
	s.DenyChannel(channelID)
	if _, err := dg.ChannelMessageSendComplex(channelID, send, discordgo.WithContext(ctx(t))); restCode(err) != 50013 {
		t.Errorf("post to a denied channel = %v; want 50013", err)
	}
	s.DeleteChannel(channelID)
	if _, err := dg.ChannelMessageSendComplex(channelID, send, discordgo.WithContext(ctx(t))); restCode(err) != 10003 {
		t.Errorf("post to a deleted channel = %v; want 10003", err)
	}
}

// manualClock is a clock the test moves by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestWebhookBeforeCallbackAndExpiredToken(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)}
	s := newFake(t, discordtest.WithClock(clock.Now))
	s.ExpectViolation("before the initial callback")
	s.ExpectViolation("token 16m0s old")
	dg, ics := connect(t, s)
	s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	content := "too early"
	_, err := dg.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	if restCode(err) != 10015 {
		t.Errorf("edit before callback = %v; want 10015", err)
	}
	if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	clock.Advance(16 * time.Minute)
	_, err = dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "late", AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	if restCode(err) != 50027 {
		t.Errorf("follow-up after 16m = %v; want 50027", err)
	}
}

func TestWrongToken(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("bad Authorization")
	s.ExpectViolation("IDENTIFY with a wrong token")
	bad, err := discordgo.New("Bot wrong")
	if err != nil {
		t.Fatal(err)
	}
	bad.Client = &http.Client{Transport: s.Transport()}
	if _, err := bad.Channel(channelID, discordgo.WithContext(ctx(t))); err == nil {
		t.Error("Channel() with a wrong token succeeded")
	}

	dg := session(t, s) // REST token right, gateway token wrong
	dg.Identify.Token = "Bot wrong"
	dg.ShouldReconnectOnError = false
	if err := dg.Open(); err == nil {
		dg.Close()
		t.Error("Open() with a wrong IDENTIFY token succeeded")
	}
	if s.Identifies() != 0 {
		t.Errorf("Identifies() = %d; want 0", s.Identifies())
	}
}

func TestHeartbeatsAcked(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithHeartbeatInterval(200*time.Millisecond))
	connect(t, s)
	// discordgo reconnects after 5 intervals without an ACK; 6 beats prove the ACKs.
	if err := s.Await(ctx(t), func() bool { return s.Heartbeats() >= 6 }); err != nil {
		t.Fatal(err)
	}
	if s.Identifies() != 1 || s.Resumes() != 0 {
		t.Errorf("Identifies() = %d, Resumes() = %d; want 1, 0", s.Identifies(), s.Resumes())
	}
}

func TestInteractionQueuedBeforeConnect(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	i := s.Slash(guildID, channelID, member, "interview")
	_, ics := connect(t, s)
	if ic := recv(t, ics); ic.ID != i.ID {
		t.Errorf("interaction = %s; want %s", ic.ID, i.ID)
	}
}

// TestDiscordgoTrafficIsClean sends the requests a bot typically makes and
// checks that none is a violation and that every reply of the fake matches
// the spec (so strict clients can decode it).
func TestDiscordgoTrafficIsClean(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.CheckReplies()
	dg, ics := connect(t, s)
	c := ctx(t)
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	err := overwriteRichCommands(c, dg)
	check("overwrite", err)
	m, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content:         "<@" + member.ID + "> question",
		AllowedMentions: &discordgo.MessageAllowedMentions{Users: []string{member.ID}},
		Embeds: []*discordgo.MessageEmbed{{Type: discordgo.EmbedTypeRich, Title: "T", Color: 0x5865F2,
			Fields: []*discordgo.MessageEmbedField{{Name: "a", Value: "b", Inline: true}}, Footer: &discordgo.MessageEmbedFooter{Text: "f"}}},
		Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Answer", CustomID: "v1:answer:1", Style: discordgo.PrimaryButton},
				discordgo.Button{Label: "Docs", URL: "https://example.com", Style: discordgo.LinkButton},
			}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.SelectMenu{CustomID: "v1:pick", Placeholder: "Pick", Options: []discordgo.SelectMenuOption{{Label: "a", Value: "a"}}},
			}},
		},
	}, discordgo.WithContext(c))
	if err != nil {
		t.Fatalf("post: %v", err)
	}

	s.Click(guildID, channelID, member, m.ID, "v1:answer:1")
	ic := recv(t, ics)
	check("type 7", dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "closed", AllowedMentions: noMentions(),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Answer", CustomID: "v1:answer:1", Disabled: true}}}}},
	}, discordgo.WithContext(c)))
	if got := s.Messages(channelID); len(got) != 1 || got[0].Content != "closed" || got[0].Edits != 1 {
		t.Errorf("after type 7: Messages() = %+v", got)
	}

	click := s.Click(guildID, channelID, member, m.ID, "v1:answer:1")
	ic = recv(t, ics)
	check("type 6", dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, discordgo.WithContext(c)))
	content := "edited via @original"
	_, err = dg.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions(), Components: &[]discordgo.MessageComponent{}}, discordgo.WithContext(c))
	check("edit @original after type 6", err)
	if o, ok := click.Original(); !ok || o.ID != m.ID || o.Content != content {
		t.Errorf("Original() after type 6 = %+v, %v; want the clicked message", o, ok)
	}
	fm, err := dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "fu", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}, discordgo.WithContext(c))
	check("follow-up", err)
	_, err = dg.FollowupMessageEdit(ic.Interaction, fm.ID, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}, discordgo.WithContext(c))
	check("follow-up edit", err)
	check("follow-up delete", dg.FollowupMessageDelete(ic.Interaction, fm.ID, discordgo.WithContext(c)))
	fetchEverything(c, dg, check)
	check("delete", dg.ChannelMessageDelete(channelID, m.ID, discordgo.WithContext(c)))

	if v := s.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
	if s.SchemaValidation() {
		if e := s.ReplyErrors(); len(e) != 0 {
			t.Errorf("fake replies failing the spec:\n%s", strings.Join(e, "\n"))
		}
	}
}

// overwriteRichCommands registers commands with every feature the bot could use: default
// permissions, localizations, subcommands, choices, bounds and a message command.
func overwriteRichCommands(c context.Context, dg *discordgo.Session) error {
	perm := int64(discordgo.PermissionManageGuild)
	minv, dmp := 1.0, false
	_, err := dg.ApplicationCommandBulkOverwrite(appID, "", []*discordgo.ApplicationCommand{
		{Name: "interview", Description: "Practice", DefaultMemberPermissions: &perm, DMPermission: &dmp,
			NameLocalizations: &map[discordgo.Locale]string{discordgo.ChineseCN: "面试"},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "start", Description: "Start", Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Topic", Required: true,
						Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "TCP", Value: "tcp"}}},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "n", Description: "N", MinValue: &minv, MaxValue: 10},
				}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "streak", Description: "Streak"},
			}},
		{Name: "Report", Type: discordgo.MessageApplicationCommand},
	}, discordgo.WithContext(c))
	return err
}

// fetchEverything reads the channel, the bot's user, a member, a DM channel, the guild and the
// commands, reporting each failure through check.
func fetchEverything(c context.Context, dg *discordgo.Session, check func(what string, err error)) {
	var err error
	_, err = dg.Channel(channelID, discordgo.WithContext(c))
	check("channel", err)
	_, err = dg.User("@me", discordgo.WithContext(c))
	check("@me", err)
	_, err = dg.GuildMember(guildID, member.ID, discordgo.WithContext(c))
	check("member", err)
	_, err = dg.UserChannelCreate(member.ID, discordgo.WithContext(c))
	check("DM channel", err)
	_, err = dg.Guild(guildID, discordgo.WithContext(c))
	check("guild", err)
	_, err = dg.ApplicationCommands(appID, "", discordgo.WithContext(c))
	check("commands", err)
}

// TestAttachmentSizeLimit: interactions carry attachment_size_limit, and an upload over it is
// refused with 413 / 40005 (and recorded as a violation), while one at the limit goes through.
func TestAttachmentSizeLimit(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithAttachmentSizeLimit(1000))
	s.ExpectViolation("attachment_size_limit")
	dg, ics := connect(t, s)
	s.Slash(guildID, channelID, member, "privacy", discordtest.Opt{Name: "export", Type: 1})
	ic := recv(t, ics)
	if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	send := func(n int) error {
		_, err := dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{
			Files:           []*discordgo.File{{Name: "export.json", ContentType: "application/json", Reader: strings.NewReader(strings.Repeat("x", n))}},
			AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
		}, discordgo.WithContext(ctx(t)))
		return err
	}
	if err := send(1000); err != nil {
		t.Errorf("a file at the limit was refused: %v", err)
	}
	var rerr *discordgo.RESTError
	if err := send(1001); !errors.As(err, &rerr) || rerr.Response.StatusCode != 413 || rerr.Message == nil || rerr.Message.Code != 40005 {
		t.Errorf("a file over the limit = %v; want 413 / 40005", err)
	}
	if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], "1001-byte file is over the 1000-byte attachment_size_limit") {
		t.Errorf("Violations() = %q", v)
	}
}

// TestRecordingOff: with recording off the fake keeps no transcript and no request log, yet
// still delivers, checks and answers; turned on again, it records again.
func TestRecordingOff(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	respond := func(content string) {
		t.Helper()
		i := s.Slash(guildID, channelID, member, "interview")
		ic := recv(t, ics)
		if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: noMentions()},
		}, discordgo.WithContext(ctx(t))); err != nil {
			t.Fatalf("InteractionRespond() = %v", err)
		}
		if r, err := i.Wait(ctx(t)); err != nil || r.Content != content {
			t.Fatalf("Wait() = %+v, %v; want the reply %q", r, err, content)
		}
	}
	s.SetRecording(false)
	before, logged := len(s.Requests()), len(s.Transcript())
	respond("quiet")
	if n, l := len(s.Requests()), len(s.Transcript()); n != before || l != logged {
		t.Errorf("with recording off: %d requests and %d transcript bytes; want %d and %d as before", n, l, before, logged)
	}
	if strings.Contains(s.Transcript(), "quiet") {
		t.Errorf("the transcript holds a reply sent with recording off")
	}
	s.SetRecording(true)
	respond("loud")
	if n := len(s.Requests()); n != before+1 || !strings.Contains(s.Transcript(), "loud") {
		t.Errorf("recording on again: %d requests (want %d), transcript holds the reply: %v", n, before+1, strings.Contains(s.Transcript(), "loud"))
	}
}

// TestOpenAPICatchesBadCallbackBody: a callback body is checked against its type's branch of
// the spec (compiled once, then reused): an 81-character button label is refused the first time
// and again the second, and a valid reply passes in between.
func TestOpenAPICatchesBadCallbackBody(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	if !s.SchemaValidation() {
		t.Skip("OpenAPI description not found; schema validation is off")
	}
	dg, ics := connect(t, s)
	reply := func(label string) error {
		t.Helper()
		s.Slash(guildID, channelID, member, "interview")
		ic := recv(t, ics)
		return dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "Question", AllowedMentions: noMentions(),
				Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: label, CustomID: "v1:answer:1"},
				}}}},
		}, discordgo.WithContext(ctx(t)))
	}
	s.ExpectViolation("openapi")
	for i, label := range []string{strings.Repeat("l", 81), "Answer", strings.Repeat("l", 81)} {
		err := reply(label)
		if bad := len(label) > 80; bad != (restCode(err) == 50035) || !bad && err != nil {
			t.Errorf("reply %d (label of %d characters) = %v; want code 50035 only for the long label", i, len(label), err)
		}
	}
	v := s.Violations()
	if len(v) != 2 || !strings.HasPrefix(v[0], "openapi:") || !strings.Contains(v[0], "label") {
		t.Errorf("Violations() = %q; want two openapi violations naming the label", v)
	}
}

func TestMain(m *testing.M) { os.Exit(discordtest.RunTests(m, 8)) }

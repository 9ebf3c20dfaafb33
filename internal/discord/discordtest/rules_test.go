package discordtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// Tests of the permission, role, thread and gateway rules of the fake,
// driven through discordgo as a bot would use it.

const (
	lowRole   = "200000000000000011"
	highRole  = "200000000000000012"
	midRole   = "200000000000000013"
	otherUser = "300000000000000002"
	modUser   = "300000000000000003"
)

func perm(p int64) string { return strconv.FormatInt(p, 10) }

func TestCommandDeliveryByPermissions(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithCommandPermissions())
	dg, ics := connect(t, s)
	perms := make(chan *discordgo.ApplicationCommandPermissionsUpdate, 4)
	dg.AddHandler(func(_ *discordgo.Session, e *discordgo.ApplicationCommandPermissionsUpdate) { perms <- e })
	manage := int64(discordgo.PermissionManageGuild)
	if _, err := dg.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{
		{Name: "interview", Description: "Practice"},
		{Name: "bank", Description: "Moderate", DefaultMemberPermissions: &manage},
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	bank := s.CommandID(guildID, "bank")

	plain := discordtest.User{ID: otherUser, Permissions: "0", Roles: []string{lowRole}}
	mod := discordtest.User{ID: modUser, Permissions: perm(discordgo.PermissionManageGuild)}
	admin := discordtest.User{ID: "300000000000000004", Permissions: perm(discordgo.PermissionAdministrator)}
	owner := discordtest.User{ID: member.ID, Permissions: "0"} // newFake's owner
	deliver := func(u discordtest.User, name string, want bool) {
		t.Helper()
		i := s.Slash(guildID, channelID, u, name)
		if want {
			if err := i.Err(); err != nil {
				t.Errorf("/%s by %s: %v; want delivered", name, u.ID, err)
				return
			}
			if ic := recv(t, ics); ic.ID != i.ID {
				t.Errorf("delivered %s; want %s", ic.ID, i.ID)
			}
			return
		}
		_, err := i.Wait(ctx(t))
		if !errors.Is(err, discordtest.ErrCommandNotAvailable) {
			t.Errorf("/%s by %s: Wait() = %v; want ErrCommandNotAvailable", name, u.ID, err)
		}
	}

	// default_member_permissions: Manage Server, Administrator, the owner.
	deliver(plain, "interview", true)
	deliver(plain, "bank", false)
	deliver(mod, "bank", true)
	deliver(admin, "bank", true)
	deliver(owner, "bank", true)

	// A role override lets a member without Manage Server use /bank.
	s.SetCommandPermissions(guildID, bank, discordtest.CommandPermission{ID: lowRole, Type: discordtest.CommandPermissionRole, Permission: true})
	if e := recv(t, perms); e.ID != bank || e.GuildID != guildID || len(e.Permissions) != 1 || e.Permissions[0].ID != lowRole {
		t.Errorf("APPLICATION_COMMAND_PERMISSIONS_UPDATE = %+v", e.GuildApplicationCommandPermissions)
	}
	deliver(plain, "bank", true)
	// A user override wins over the member's roles, and an @everyone override replaces
	// default_member_permissions, so Manage Server no longer suffices; admins still pass.
	s.SetCommandPermissions(guildID, bank,
		discordtest.CommandPermission{ID: lowRole, Type: discordtest.CommandPermissionRole, Permission: true},
		discordtest.CommandPermission{ID: otherUser, Type: discordtest.CommandPermissionUser, Permission: false},
		discordtest.CommandPermission{ID: guildID, Type: discordtest.CommandPermissionRole, Permission: false})
	recv(t, perms)
	deliver(plain, "bank", false)
	deliver(mod, "bank", false)
	deliver(admin, "bank", true)

	// An application-wide channel override closes the channel to every command but for admins.
	s.SetCommandPermissions(guildID, bank)
	recv(t, perms)
	allChannels := "200000000000000000" // guild id - 1
	s.SetCommandPermissions(guildID, appID, discordtest.CommandPermission{ID: allChannels, Type: discordtest.CommandPermissionChannel, Permission: false},
		discordtest.CommandPermission{ID: channelID, Type: discordtest.CommandPermissionChannel, Permission: true})
	recv(t, perms)
	deliver(plain, "interview", true) // this channel is allowed explicitly
	s.SetCommandPermissions(guildID, appID, discordtest.CommandPermission{ID: channelID, Type: discordtest.CommandPermissionChannel, Permission: false})
	recv(t, perms)
	deliver(plain, "interview", false)
	deliver(mod, "bank", false)
	deliver(admin, "interview", true)

	// The bot reads the overrides with its token and cannot write them.
	all, err := dg.GuildApplicationCommandsPermissions(appID, guildID, discordgo.WithContext(ctx(t)))
	if err != nil || len(all) != 1 || all[0].ID != appID || all[0].Permissions[0].Type != discordgo.ApplicationCommandPermissionTypeChannel {
		t.Errorf("GuildApplicationCommandsPermissions() = %v, %v", all, err)
	}
	if _, err := dg.ApplicationCommandPermissions(appID, guildID, bank, discordgo.WithContext(ctx(t))); restCode(err) != 10066 {
		t.Errorf("ApplicationCommandPermissions(bank) = %v; want 10066", err)
	}
	if one, err := dg.ApplicationCommandPermissions(appID, guildID, appID, discordgo.WithContext(ctx(t))); err != nil || one.ID != appID {
		t.Errorf("ApplicationCommandPermissions(app) = %v, %v", one, err)
	}
	s.ExpectViolation("a bot token cannot edit command permissions")
	err = dg.ApplicationCommandPermissionsEdit(appID, guildID, bank, &discordgo.ApplicationCommandPermissionsList{}, discordgo.WithContext(ctx(t)))
	if restCode(err) != 20001 {
		t.Errorf("ApplicationCommandPermissionsEdit() = %v; want 403 20001", err)
	}
}

func TestCommandPermissionsOffByDefault(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	none := int64(0)
	if _, err := dg.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{
		{Name: "bank", Description: "Moderate", DefaultMemberPermissions: &none},
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	i := s.Slash(guildID, channelID, discordtest.User{ID: otherUser, Permissions: "0"}, "bank")
	if ic := recv(t, ics); ic.ID != i.ID {
		t.Errorf("delivered %s; want %s", ic.ID, i.ID)
	}
}

// TestPermissionOrder checks compute_overwrites from topics/permissions.mdx.
func TestPermissionOrder(t *testing.T) {
	t.Parallel()
	const (
		view  = discordtest.PermViewChannel
		send  = discordtest.PermSendMessages
		embed = discordtest.PermEmbedLinks
	)
	everyone := func(allow, deny int64) discordtest.Overwrite {
		return discordtest.Overwrite{ID: guildID, Type: discordtest.OverwriteRole, Allow: perm(allow), Deny: perm(deny)}
	}
	role := func(id string, allow, deny int64) discordtest.Overwrite {
		return discordtest.Overwrite{ID: id, Type: discordtest.OverwriteRole, Allow: perm(allow), Deny: perm(deny)}
	}
	mem := func(allow, deny int64) discordtest.Overwrite {
		return discordtest.Overwrite{ID: otherUser, Type: discordtest.OverwriteMember, Allow: perm(allow), Deny: perm(deny)}
	}
	tests := []struct {
		name  string
		roles []string
		ows   []discordtest.Overwrite
		want  int64
	}{
		{"base: @everyone and roles", []string{lowRole}, nil, view | send | embed},
		{"@everyone deny", nil, []discordtest.Overwrite{everyone(0, view)}, send},
		{"role allow beats @everyone deny", []string{lowRole}, []discordtest.Overwrite{everyone(0, view), role(lowRole, view, 0)}, view | send | embed},
		{"role allow beats another role's deny", []string{lowRole, midRole}, []discordtest.Overwrite{role(lowRole, 0, send), role(midRole, send, 0)}, view | send | embed},
		{"member deny beats role allow", []string{lowRole}, []discordtest.Overwrite{role(lowRole, send, 0), mem(0, send)}, view | embed},
		{"member allow beats role deny", []string{lowRole}, []discordtest.Overwrite{role(lowRole, 0, send), mem(send, 0)}, view | send | embed},
		{"other roles' overwrites do not apply", nil, []discordtest.Overwrite{role(lowRole, 0, view)}, view | send},
		{"administrator ignores overwrites", []string{highRole}, []discordtest.Overwrite{everyone(0, view), mem(0, send)}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := discordtest.New(t)
			s.AddGuild(discordtest.Guild{ID: guildID, OwnerID: member.ID, EveryonePermissions: perm(view | send),
				Channels: []discordtest.Channel{{ID: channelID, Name: "c", Overwrites: tt.ows}},
				Roles: []discordtest.Role{{ID: lowRole, Name: "low", Permissions: perm(embed)}, {ID: midRole, Name: "mid"},
					{ID: highRole, Name: "high", Permissions: perm(discordtest.PermAdministrator)}}})
			got := s.MemberPermissions(channelID, discordtest.User{ID: otherUser, Roles: tt.roles})
			if tt.want == -1 {
				if got&(view|send|discordtest.PermManageRoles) != view|send|discordtest.PermManageRoles {
					t.Errorf("MemberPermissions() = %d; want every permission", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("MemberPermissions() = %d; want %d", got, tt.want)
			}
		})
	}
}

func TestBotChannelPermissions(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	c := ctx(t)
	botRole := s.BotRoleID(guildID)
	send := func(ms *discordgo.MessageSend) (*discordgo.Message, error) {
		ms.AllowedMentions = noMentions()
		return dg.ChannelMessageSendComplex(channelID, ms, discordgo.WithContext(c))
	}

	// Defaults: the bot's invite permissions, everything works.
	if got := s.BotPermissions(channelID); got != discordtest.DefaultBotPermissions {
		t.Errorf("BotPermissions() = %d; want %d", got, discordtest.DefaultBotPermissions)
	}
	first, err := send(&discordgo.MessageSend{Content: "hello", Embeds: []*discordgo.MessageEmbed{{Title: "T"}}})
	if err != nil || len(first.Embeds) != 1 {
		t.Fatalf("post = %v, %v", first, err)
	}
	s.Slash(guildID, channelID, member, "interview")
	if ic := recv(t, ics); ic.AppPermissions != discordtest.DefaultBotPermissions {
		t.Errorf("app_permissions = %d; want %d", ic.AppPermissions, discordtest.DefaultBotPermissions)
	}

	// @everyone loses View Channel: 50001 for every channel route.
	s.SetChannelOverwrites(channelID, discordtest.Overwrite{ID: guildID, Type: discordtest.OverwriteRole, Deny: perm(discordtest.PermViewChannel)})
	if _, err := send(&discordgo.MessageSend{Content: "x"}); restCode(err) != 50001 {
		t.Errorf("post without View Channel = %v; want 50001", err)
	}
	if _, err := dg.ChannelMessages(channelID, 10, "", "", "", discordgo.WithContext(c)); restCode(err) != 50001 {
		t.Errorf("list without View Channel = %v; want 50001", err)
	}
	edited := "edited"
	if _, err := dg.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: first.ID, Channel: channelID, Content: &edited, AllowedMentions: noMentions()}, discordgo.WithContext(c)); restCode(err) != 50001 {
		t.Errorf("edit without View Channel = %v; want 50001", err)
	}
	s.Slash(guildID, channelID, member, "interview")
	if ic := recv(t, ics); ic.AppPermissions&discordgo.PermissionViewChannel != 0 {
		t.Errorf("app_permissions = %d; want no View Channel", ic.AppPermissions)
	}

	// The bot's role sees the channel again but may not send: 50013.
	s.SetChannelOverwrites(channelID,
		discordtest.Overwrite{ID: guildID, Type: discordtest.OverwriteRole, Deny: perm(discordtest.PermViewChannel)},
		discordtest.Overwrite{ID: botRole, Type: discordtest.OverwriteRole, Allow: perm(discordtest.PermViewChannel), Deny: perm(discordtest.PermSendMessages)})
	if _, err := send(&discordgo.MessageSend{Content: "x"}); restCode(err) != 50013 {
		t.Errorf("post without Send Messages = %v; want 50013", err)
	}
	if _, err := dg.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: first.ID, Channel: channelID, Content: &edited, AllowedMentions: noMentions()}, discordgo.WithContext(c)); err != nil {
		t.Errorf("edit of its own message without Send Messages = %v; want allowed", err)
	}

	// A member overwrite for the bot allows sending, but denies Embed Links and Read Message History.
	s.SetChannelOverwrites(channelID,
		discordtest.Overwrite{ID: botRole, Type: discordtest.OverwriteRole, Deny: perm(discordtest.PermSendMessages)},
		discordtest.Overwrite{ID: appID, Type: discordtest.OverwriteMember, Allow: perm(discordtest.PermSendMessages),
			Deny: perm(discordtest.PermEmbedLinks | discordtest.PermReadMessageHistory)})
	m, err := send(&discordgo.MessageSend{Content: "kept", Embeds: []*discordgo.MessageEmbed{{Title: "dropped"}}})
	if err != nil || m.Content != "kept" || len(m.Embeds) != 0 {
		t.Errorf("post without Embed Links = %+v, %v; want the content without embeds", m, err)
	}
	if got, _ := s.Message(m.ID); !got.EmbedsRemoved || len(got.Embeds) != 0 {
		t.Errorf("Message() = %+v; want EmbedsRemoved", got)
	}
	_, err = send(&discordgo.MessageSend{Content: "reply", Reference: &discordgo.MessageReference{MessageID: first.ID, ChannelID: channelID}})
	if restCode(err) != 50013 {
		t.Errorf("reply without Read Message History = %v; want 50013", err)
	}
	if msgs, err := dg.ChannelMessages(channelID, 10, "", "", "", discordgo.WithContext(c)); err != nil || len(msgs) != 0 {
		t.Errorf("list without Read Message History = %d messages, %v; want none", len(msgs), err)
	}
	if _, err := dg.ChannelMessage(channelID, first.ID, discordgo.WithContext(c)); restCode(err) != 50001 {
		t.Errorf("get without Read Message History = %v; want 50001", err)
	}

	// Administrator ignores every overwrite.
	s.SetBotPermissions(guildID, discordtest.PermAdministrator)
	if _, err := send(&discordgo.MessageSend{Content: "reply", Reference: &discordgo.MessageReference{MessageID: first.ID, ChannelID: channelID}}); err != nil {
		t.Errorf("reply as Administrator = %v", err)
	}
	if got := s.InvalidRequests(); got != 6 {
		t.Errorf("InvalidRequests() = %d; want 6 (the 403s)", got)
	}
}

func TestRolePings(t *testing.T) {
	t.Parallel()
	s := discordtest.New(t)
	s.AddGuild(discordtest.Guild{ID: guildID, Channels: []discordtest.Channel{{ID: channelID, Name: "daily"}},
		Roles: []discordtest.Role{{ID: lowRole, Name: "learners", Mentionable: true}, {ID: highRole, Name: "staff"}}})
	dg := session(t, s)
	content := "<@&" + lowRole + "> <@&" + highRole + "> <@&" + guildID + "> today's question"
	post := func() *discordgo.Message {
		m, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: content,
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: []string{lowRole, highRole, guildID}}},
			discordgo.WithContext(ctx(t)))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := post()
	if got, _ := s.Message(m.ID); !slices.Equal(got.PingedRoles, []string{lowRole}) || !slices.Equal(m.MentionRoles, []string{lowRole}) {
		t.Errorf("pinged %v (mention_roles %v); want only the mentionable role", got.PingedRoles, m.MentionRoles)
	}
	// Not listed in allowed_mentions: no ping, even when mentionable.
	m2, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: content, AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	if got, _ := s.Message(m2.ID); err != nil || len(got.PingedRoles) != 0 {
		t.Errorf("pinged %v, %v; want none", got.PingedRoles, err)
	}
	// Mention Everyone pings any role, never @everyone through a role mention.
	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions|discordtest.PermMentionEveryone)
	m = post()
	if got, _ := s.Message(m.ID); !slices.Equal(got.PingedRoles, []string{lowRole, highRole}) {
		t.Errorf("with Mention Everyone pinged %v; want both roles", got.PingedRoles)
	}
	// A role made mentionable later.
	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions)
	s.SetRole(guildID, discordtest.Role{ID: highRole, Name: "staff", Mentionable: true})
	m = post()
	if got, _ := s.Message(m.ID); !slices.Equal(got.PingedRoles, []string{lowRole, highRole}) {
		t.Errorf("after SetRole pinged %v; want both roles", got.PingedRoles)
	}
}

func TestRoleHierarchy(t *testing.T) {
	t.Parallel()
	s := discordtest.New(t)
	s.AddGuild(discordtest.Guild{ID: guildID, Channels: []discordtest.Channel{{ID: channelID, Name: "c"}},
		Roles: []discordtest.Role{
			{ID: lowRole, Name: "learner", Position: 1},
			{ID: highRole, Name: "staff", Position: 5},
		},
		BotRolePosition: 3})
	u := discordtest.User{ID: otherUser}
	s.AddMember(guildID, u)
	dg := session(t, s)
	c := ctx(t)

	roles, err := dg.GuildRoles(guildID, discordgo.WithContext(c))
	if err != nil || len(roles) != 4 {
		t.Fatalf("GuildRoles() = %v, %v", roles, err)
	}
	me, err := dg.GuildMember(guildID, appID, discordgo.WithContext(c))
	if err != nil || !slices.Equal(me.Roles, []string{s.BotRoleID(guildID)}) {
		t.Fatalf("GuildMember(bot) = %+v, %v", me, err)
	}
	for _, r := range roles {
		if r.ID == s.BotRoleID(guildID) && (r.Position != 3 || !r.Managed || r.Permissions != discordtest.DefaultBotPermissions) {
			t.Errorf("bot role = %+v", r)
		}
	}

	if err := dg.GuildMemberRoleAdd(guildID, u.ID, lowRole, discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Errorf("add without Manage Roles = %v; want 50013", err)
	}
	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions|discordtest.PermManageRoles)
	if err := dg.GuildMemberRoleAdd(guildID, u.ID, lowRole, discordgo.WithContext(c)); err != nil {
		t.Errorf("add a lower role = %v", err)
	}
	if got := s.MemberRoles(guildID, u.ID); !slices.Equal(got, []string{lowRole}) {
		t.Errorf("MemberRoles() = %v", got)
	}
	if err := dg.GuildMemberRoleAdd(guildID, u.ID, highRole, discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Errorf("add a higher role = %v; want 50013", err)
	}
	if err := dg.GuildMemberRoleAdd(guildID, u.ID, s.BotRoleID(guildID), discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Errorf("add its own (managed, equal) role = %v; want 50013", err)
	}
	if err := dg.GuildMemberRoleAdd(guildID, "300000000000000099", lowRole, discordgo.WithContext(c)); restCode(err) != 10007 {
		t.Errorf("add to a stranger = %v; want 10007", err)
	}
	if err := dg.GuildMemberRoleRemove(guildID, u.ID, lowRole, discordgo.WithContext(c)); err != nil {
		t.Errorf("remove a lower role = %v", err)
	}
	if got := s.MemberRoles(guildID, u.ID); len(got) != 0 {
		t.Errorf("MemberRoles() after remove = %v", got)
	}
	// Staff moved below the bot's role: the bot may hand it out.
	s.SetRole(guildID, discordtest.Role{ID: highRole, Name: "staff", Position: 2})
	if err := dg.GuildMemberRoleAdd(guildID, u.ID, highRole, discordgo.WithContext(c)); err != nil {
		t.Errorf("add staff once below the bot's role = %v", err)
	}
	// Holding a higher role lifts the bot's highest role, but not above itself.
	s.SetRole(guildID, discordtest.Role{ID: highRole, Name: "staff", Position: 5})
	s.SetBotRoles(guildID, highRole)
	if err := dg.GuildMemberRoleRemove(guildID, u.ID, highRole, discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Errorf("remove its own highest role from a member = %v; want 50013", err)
	}
	if err := dg.GuildMemberRoleAdd(guildID, u.ID, lowRole, discordgo.WithContext(c)); err != nil {
		t.Errorf("add learner = %v", err)
	}
}

func TestPrivateThreads(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	c := ctx(t)
	start := &discordgo.ThreadStart{Name: "mock interview", Type: discordgo.ChannelTypeGuildPrivateThread, AutoArchiveDuration: 60}
	if _, err := dg.ThreadStartComplex(channelID, start, discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Fatalf("private thread without Create Private Threads = %v; want 50013", err)
	}
	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions|discordtest.PermCreatePrivateThreads)
	th, err := dg.ThreadStartComplex(channelID, start, discordgo.WithContext(c))
	if err != nil || th.Type != discordgo.ChannelTypeGuildPrivateThread || th.ParentID != channelID || th.ThreadMetadata.Invitable {
		t.Fatalf("ThreadStartComplex() = %+v, %v; want a private thread, not invitable as asked", th, err)
	}
	// Without "invitable" a private thread is invitable (members may add others).
	ep := discordgo.EndpointChannelThreads(channelID)
	raw, err := dg.RequestWithBucketID(http.MethodPost, ep, map[string]any{"name": "open", "type": 12}, ep, discordgo.WithContext(c))
	var closed discordgo.Channel
	if err != nil || json.Unmarshal(raw, &closed) != nil || closed.ThreadMetadata == nil || !closed.ThreadMetadata.Invitable {
		t.Fatalf("private thread without invitable = %s, %v; want invitable", raw, err)
	}
	if got := s.Threads(channelID); !slices.Equal(got, []string{th.ID, closed.ID}) {
		t.Errorf("Threads() = %v", got)
	}
	post := func() error {
		_, err := dg.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "Q1", AllowedMentions: noMentions()}, discordgo.WithContext(c))
		return err
	}
	if err := post(); restCode(err) != 50013 {
		t.Errorf("post in a thread without Send Messages in Threads = %v; want 50013", err)
	}
	candidate := discordtest.User{ID: otherUser, Permissions: "0"}
	s.AddMember(guildID, candidate)
	if err := dg.ThreadMemberAdd(th.ID, candidate.ID, discordgo.WithContext(c)); restCode(err) != 50013 {
		t.Errorf("add member without Send Messages in Threads = %v; want 50013", err)
	}

	// Outsiders do not see the thread, so their commands there never arrive.
	if _, err := s.Slash(guildID, th.ID, candidate, "interview").Wait(c); !errors.Is(err, discordtest.ErrCommandNotAvailable) {
		t.Errorf("outsider's command in the thread = %v; want not delivered", err)
	}

	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions|discordtest.PermCreatePrivateThreads|discordtest.PermSendMessagesInThreads)
	if err := post(); err != nil {
		t.Errorf("post in the thread = %v", err)
	}
	if got := s.Messages(th.ID); len(got) != 1 {
		t.Errorf("Messages(thread) = %v", got)
	}
	if err := dg.ThreadMemberAdd(th.ID, candidate.ID, discordgo.WithContext(c)); err != nil {
		t.Errorf("ThreadMemberAdd() = %v", err)
	}
	if got := s.ThreadMembers(th.ID); !slices.Equal(got, []string{appID, candidate.ID}) {
		t.Errorf("ThreadMembers() = %v", got)
	}
	i := s.Slash(guildID, th.ID, candidate, "interview")
	ic := recv(t, ics)
	if ic.ID != i.ID || ic.AppPermissions&discordgo.PermissionSendMessagesInThreads == 0 {
		t.Errorf("member's command in the thread: %s app_permissions %d", ic.ID, ic.AppPermissions)
	}
	mod := discordtest.User{ID: modUser, Permissions: perm(discordtest.PermManageThreads)}
	s.Slash(guildID, th.ID, mod, "interview")
	if ic := recv(t, ics); ic.Member.User.ID != mod.ID {
		t.Errorf("Manage Threads member's command = %v", ic.Member.User.ID)
	}

	// Without View Channel on the parent the thread is out of reach.
	s.SetChannelOverwrites(channelID, discordtest.Overwrite{ID: s.BotRoleID(guildID), Type: discordtest.OverwriteRole, Deny: perm(discordtest.PermViewChannel)})
	if err := post(); restCode(err) != 50001 {
		t.Errorf("post in a thread of a hidden channel = %v; want 50001", err)
	}
}

func TestIdentifyConcurrency(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)}
	s := discordtest.New(t, discordtest.WithIdentifyConcurrency(1), discordtest.WithClock(clock.Now))
	gb, err := session(t, s).GatewayBot(discordgo.WithContext(ctx(t)))
	if err != nil || gb.SessionStartLimit.MaxConcurrency != 1 {
		t.Fatalf("GatewayBot() = %+v, %v", gb, err)
	}
	openShard(t, s, 0, 2)
	// Shard 1 is in the same bucket (1 % 1 == 0) within 5 s: op 9, and discordgo
	// re-identifies at once until the window passes.
	done := make(chan *shardClient, 1)
	go func() { done <- openShardNoWait(t, s, 1, 2) }()
	if err := s.Await(ctx(t), func() bool { return s.IdentifyRejections() > 0 }); err != nil {
		t.Fatal(err)
	}
	if s.ConnectedShard(1) || s.Identifies() != 1 {
		t.Errorf("shard 1 connected (%v) or identifies = %d before the window passed", s.ConnectedShard(1), s.Identifies())
	}
	clock.Advance(5 * time.Second)
	if err := s.WaitReadyShard(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	<-done
	if s.Identifies() != 2 {
		t.Errorf("Identifies() = %d; want 2", s.Identifies())
	}
}

func TestIdentifyConcurrencyBuckets(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)}
	s := discordtest.New(t, discordtest.WithIdentifyConcurrency(2), discordtest.WithClock(clock.Now))
	openShard(t, s, 0, 2)
	openShard(t, s, 1, 2) // bucket 1: no wait
	if n := s.IdentifyRejections(); n != 0 {
		t.Errorf("IdentifyRejections() = %d; want 0", n)
	}
}

func TestInvalidRequests(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)}
	s := newFake(t, discordtest.WithClock(clock.Now))
	dg := session(t, s)
	c := ctx(t)
	s.DenyChannel(channelID)
	send := &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}
	for range 2 {
		if _, err := dg.ChannelMessageSendComplex(channelID, send, discordgo.WithContext(c)); restCode(err) != 50013 {
			t.Fatalf("post = %v; want 50013", err)
		}
	}
	s.FailNext("GET /channels/*", http.StatusTooManyRequests, 1)
	if _, err := dg.Channel(channelID, discordgo.WithContext(c)); err != nil {
		t.Fatal(err)
	}
	bad, _ := discordgo.New("Bot wrong")
	bad.Client = s.Client()
	s.ExpectViolation("bad Authorization header")
	if _, err := bad.Channel(channelID, discordgo.WithContext(c)); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong token = %v; want 401", err)
	}
	// A 400 does not count.
	s.ExpectViolation("empty message")
	_, _ = dg.ChannelMessageSendComplex("200000000000000077", &discordgo.MessageSend{AllowedMentions: noMentions()}, discordgo.WithContext(c))
	if got := s.InvalidRequests(); got != 4 {
		t.Errorf("InvalidRequests() = %d; want 4 (two 403, one 429, one 401)", got)
	}
	clock.Advance(10 * time.Minute)
	if got := s.InvalidRequests(); got != 0 {
		t.Errorf("InvalidRequests() 10 minutes later = %d; want 0", got)
	}
}

// TestNewRoutesMatchSpec checks the fake's replies on the permission, role and
// thread routes against the OpenAPI description.
func TestNewRoutesMatchSpec(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.CheckReplies()
	s.SetBotPermissions(guildID, discordtest.DefaultBotPermissions|discordtest.PermManageRoles|
		discordtest.PermCreatePrivateThreads|discordtest.PermSendMessagesInThreads)
	s.AddMember(guildID, discordtest.User{ID: otherUser})
	dg := session(t, s)
	c := ctx(t)
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	_, err := dg.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{{Name: "bank", Description: "Moderate"}}, discordgo.WithContext(c))
	check("overwrite", err)
	s.SetCommandPermissions(guildID, s.CommandID(guildID, "bank"), discordtest.CommandPermission{ID: roleID, Type: discordtest.CommandPermissionRole, Permission: true})
	_, err = dg.GuildApplicationCommandsPermissions(appID, guildID, discordgo.WithContext(c))
	check("command permissions", err)
	_, err = dg.ApplicationCommandPermissions(appID, guildID, s.CommandID(guildID, "bank"), discordgo.WithContext(c))
	check("command permission", err)
	_, err = dg.GuildRoles(guildID, discordgo.WithContext(c))
	check("roles", err)
	_, err = dg.GuildMember(guildID, appID, discordgo.WithContext(c))
	check("bot member", err)
	check("role add", dg.GuildMemberRoleAdd(guildID, otherUser, roleID, discordgo.WithContext(c)))
	check("role remove", dg.GuildMemberRoleRemove(guildID, otherUser, roleID, discordgo.WithContext(c)))
	th, err := dg.ThreadStartComplex(channelID, &discordgo.ThreadStart{Name: "t", Type: discordgo.ChannelTypeGuildPrivateThread, Invitable: false}, discordgo.WithContext(c))
	if err != nil {
		t.Fatalf("thread: %v", err)
	}
	check("thread member", dg.ThreadMemberAdd(th.ID, otherUser, discordgo.WithContext(c)))
	_, err = dg.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "hi", AllowedMentions: noMentions()}, discordgo.WithContext(c))
	check("post in thread", err)
	_, err = dg.Channel(th.ID, discordgo.WithContext(c))
	check("get thread", err)
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
	if s.SchemaValidation() {
		if e := s.ReplyErrors(); len(e) != 0 {
			t.Errorf("fake replies failing the spec:\n%s", strings.Join(e, "\n"))
		}
	}
}

// TestFailNextAfter: the request takes effect and its reply is replaced. discordgo retries a
// 502, so a callback counted by Discord is retried and answered 40060, which is then no
// violation; a channel post exists once although the client saw only the failure.
func TestFailNextAfter(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	c := ctx(t)

	ix := s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	s.FailNextAfter("POST /interactions/*/*/callback", http.StatusBadGateway, 1)
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "question", AllowedMentions: noMentions()}}, discordgo.WithContext(c))
	if restCode(err) != 40060 {
		t.Errorf("InteractionRespond() after a lost 502 = %v; want 40060 from discordgo's retry", err)
	}
	if r, ok := ix.Response(); !ok || r.Content != "question" {
		t.Errorf("Response() = %+v, %v; want the first callback's", r, ok)
	}
	if m, err := dg.InteractionResponse(ic.Interaction, discordgo.WithContext(c)); err != nil || m.Content != "question" {
		t.Errorf("@original = %v, %v", m, err)
	}

	// A second callback without a lost reply is still a violation.
	s.ExpectViolation("second callback")
	if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource},
		discordgo.WithContext(c)); restCode(err) != 40060 {
		t.Errorf("second InteractionRespond() = %v; want 40060", err)
	}

	dg.MaxRestRetries = 0
	s.FailNextAfter("POST /channels/*/messages", http.StatusBadGateway, 1)
	if _, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "posted", AllowedMentions: noMentions()},
		discordgo.WithContext(c)); err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("post = %v; want the 502", err)
	}
	if got := s.Messages(channelID); len(got) != 1 || got[0].Content != "posted" {
		t.Errorf("Messages() = %+v; want the post, which took effect", got)
	}
}

func TestCurrentApplication(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.CheckReplies()
	dg := session(t, s)
	raw, err := dg.RequestWithBucketID("GET", discordgo.EndpointApplication("@me"), nil, discordgo.EndpointApplication("@me"), discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatal(err)
	}
	var app discordgo.Application
	if err := json.Unmarshal(raw, &app); err != nil || app.ID != appID {
		t.Errorf("GET /applications/@me = %+v, %v", app, err)
	}
	if s.SchemaValidation() {
		if e := s.ReplyErrors(); len(e) != 0 {
			t.Errorf("reply fails the spec:\n%s", strings.Join(e, "\n"))
		}
	}
}

// TestCommandPermissionsFromRoles: default_member_permissions is checked against the member's
// permissions as Discord computes them, roles included.
func TestCommandPermissionsFromRoles(t *testing.T) {
	t.Parallel()
	s := newFake(t, discordtest.WithCommandPermissions())
	dg, _ := connect(t, s)
	manage := int64(discordgo.PermissionManageGuild)
	if _, err := dg.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{
		{Name: "bank", Description: "Moderate", DefaultMemberPermissions: &manage},
	}, discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	// newFake's roleID grants Manage Server.
	viaRole := discordtest.User{ID: otherUser, Roles: []string{roleID}}
	if err := s.Slash(guildID, channelID, viaRole, "bank").Err(); err != nil {
		t.Errorf("/bank by a member whose role grants Manage Server: %v; want delivered", err)
	}
	if _, err := s.Slash(guildID, channelID, discordtest.User{ID: modUser}, "bank").Wait(ctx(t)); !errors.Is(err, discordtest.ErrCommandNotAvailable) {
		t.Errorf("/bank by a member without it: %v; want not delivered", err)
	}
}

// TestSelect: a string select delivers component_type 3 with the values picked, and only
// what the client would let a member pick.
func TestSelect(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	c := ctx(t)
	zero := 0
	m, err := dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "checklist", AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: "v1:pick:1", MinValues: &zero, MaxValues: 2,
				Options: []discordgo.SelectMenuOption{{Label: "a", Value: "0"}, {Label: "b", Value: "1"}, {Label: "c", Value: "2"}}},
		}}}}, discordgo.WithContext(c))
	if err != nil {
		t.Fatal(err)
	}
	member := discordtest.User{ID: otherUser, Permissions: "0"}
	s.Select(guildID, channelID, member, m.ID, "v1:pick:1", []string{"0", "2"})
	ic := recv(t, ics)
	d := ic.MessageComponentData()
	if d.ComponentType != discordgo.SelectMenuComponent || d.CustomID != "v1:pick:1" || !slices.Equal(d.Values, []string{"0", "2"}) {
		t.Errorf("select data = %+v", d)
	}
	if ic.Message == nil || ic.Message.ID != m.ID {
		t.Errorf("select interaction's message = %+v", ic.Message)
	}
	s.Select(guildID, channelID, member, m.ID, "v1:pick:1", nil)
	if d := recv(t, ics).MessageComponentData(); len(d.Values) != 0 {
		t.Errorf("none picked: values %v", d.Values)
	}
	for name, bad := range map[string]struct {
		id     string
		values []string
	}{
		"not an option": {"v1:pick:1", []string{"7"}},
		"too many":      {"v1:pick:1", []string{"0", "1", "2"}},
		"no such menu":  {"v1:other", []string{"0"}},
	} {
		if _, err := s.Select(guildID, channelID, member, m.ID, bad.id, bad.values).Wait(c); !errors.Is(err, discordtest.ErrSelectInvalid) {
			t.Errorf("%s: Wait() = %v; want ErrSelectInvalid", name, err)
		}
	}
}

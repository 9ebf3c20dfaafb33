package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// What the bot may do in a channel.
//
// Interactions arrive, and their replies succeed, whatever the bot may do in the channel; its
// own posts and edits do not. Without View Channel or Send Messages (Send Messages in Threads
// in a thread) a post is refused with 403; without Read Message History a reply (a reveal under
// its question) and an edit are; and without Embed Links Discord keeps the text and silently
// drops the embeds, so a question arrives without its question. Every 403 counts toward
// Discord's 10,000 invalid requests per 10 minutes, after which it bans the IP. So the bot
// checks first, from the interaction's app_permissions or from the gateway state (roles and
// channel overwrites), and stops using a channel that answered 403 or 404 until the server's
// roles, the channel or the bot's roles change.

// A channel permission the bot needs, with the name Discord's settings show.
type channelPerm struct {
	bit  int64
	name string
}

var (
	permViewChannel     = channelPerm{discordgo.PermissionViewChannel, "View Channel"}
	permSendMessages    = channelPerm{discordgo.PermissionSendMessages, "Send Messages"}
	permSendInThreads   = channelPerm{discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads"}
	permEmbedLinks      = channelPerm{discordgo.PermissionEmbedLinks, "Embed Links"}
	permReadHistory     = channelPerm{discordgo.PermissionReadMessageHistory, "Read Message History"}
	permMentionEveryone = int64(discordgo.PermissionMentionEveryone)
)

// postingPerms are what a public question needs in its channel: the post or reply itself, its
// embeds, and the edits and the reveal (a reply) that follow.
func postingPerms(thread bool) []channelPerm {
	send := permSendMessages
	if thread {
		send = permSendInThreads
	}
	return []channelPerm{permViewChannel, send, permEmbedLinks, permReadHistory}
}

// missingPerms names the permissions of need that have lacks, in order; Administrator has all.
func missingPerms(have int64, need []channelPerm) []string {
	if have&permAdministrator != 0 {
		return nil
	}
	var out []string
	for _, p := range need {
		if have&p.bit == 0 {
			out = append(out, p.name)
		}
	}
	return out
}

// joinNames lists names as "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// permsError says what the bot lacks in a channel and how to give it.
func permsError(ch quiz.ChannelID, missing []string) error {
	return quiz.Errorf(quiz.EFORBIDDEN, "perms.missing", joinNames(missing), ch)
}

// isThread reports whether the gateway state knows channelID as a thread.
func (b *Bot) isThread(channelID string) bool {
	ch, err := b.s.State.Channel(channelID)
	return err == nil && ch.IsThread()
}

// botID is the bot's user id (which is, for current applications, the application id).
func (b *Bot) botID() string {
	if b.user.ID != "" {
		return b.user.ID
	}
	return b.appID
}

// channelPerms computes the bot's permissions in a guild channel from the gateway state (the
// guild's roles, the bot's roles, the channel's overwrites); ok is false when the state does
// not know the channel, the guild or the bot's member.
func (b *Bot) channelPerms(channelID string) (perms int64, guildID string, ok bool) {
	ch, err := b.s.State.Channel(channelID)
	if err != nil || ch.GuildID == "" {
		return 0, "", false
	}
	target := ch.ID
	if ch.IsThread() && ch.ParentID != "" {
		target = ch.ParentID // a thread takes its parent's overwrites
	}
	p, err := b.s.State.UserChannelPermissions(b.botID(), target)
	if err != nil {
		return 0, ch.GuildID, false
	}
	return p, ch.GuildID, true
}

// blocked remembers the channels that answered the bot's post or edit with 403 or 404, so it
// does not try them again (each refusal counts toward Discord's ban) until something changes,
// or for at most blockedTTL: a change the gateway did not report (a re-IDENTIFY loses events)
// then costs one refused request an hour. It keeps at most maxBlocked channels, dropping the
// oldest block first.
type blocked struct {
	mu  sync.Mutex
	m   map[string]blockedChannel // channel id ->
	now func() time.Time          // tests; default time.Now
}

const (
	blockedTTL = time.Hour
	maxBlocked = 10000
)

type blockedChannel struct {
	guild string
	err   error
	at    time.Time
}

func (bl *blocked) clock() time.Time {
	if bl.now != nil {
		return bl.now()
	}
	return time.Now()
}

func (bl *blocked) get(channelID string) error {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	c, ok := bl.m[channelID]
	if !ok {
		return nil
	}
	if bl.clock().Sub(c.at) >= blockedTTL {
		delete(bl.m, channelID)
		return nil
	}
	return c.err
}

func (bl *blocked) set(channelID, guildID string, err error) {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if bl.m == nil {
		bl.m = map[string]blockedChannel{}
	}
	now := bl.clock()
	makeRoom(bl.m, channelID, maxBlocked, blockedTTL, now, func(c blockedChannel) time.Time { return c.at })
	bl.m[channelID] = blockedChannel{guild: guildID, err: err, at: now}
}

// makeRoom lets key join m without m growing past max: when key is new and m is full it drops
// the entries older than ttl and, if it is still full, the oldest one. at says when an entry
// was written. The caches it serves are bounded so a bot in many servers keeps a fixed memory.
func makeRoom[V any](m map[string]V, key string, max int, ttl time.Duration, now time.Time, at func(V) time.Time) {
	if _, ok := m[key]; ok || len(m) < max {
		return
	}
	oldest, first := "", now
	for id, v := range m {
		if t := at(v); now.Sub(t) >= ttl {
			delete(m, id)
		} else if !t.After(first) {
			oldest, first = id, t
		}
	}
	if len(m) >= max {
		delete(m, oldest)
	}
}

// clear forgets the blocks of a channel, or of every channel of a guild.
func (bl *blocked) clear(channelID, guildID string) {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	for id, c := range bl.m {
		if id == channelID || (guildID != "" && c.guild == guildID) {
			delete(bl.m, id)
		}
	}
}

// watchPermissions clears blocks when the gateway reports a change that may grant permissions:
// the channel, the server's roles or the bot's member (its roles).
func (b *Bot) watchPermissions() {
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.ChannelUpdate) {
		if e.Channel != nil {
			b.blocked.clear(e.ID, "")
		}
	})
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleUpdate) { b.blocked.clear("", e.GuildID) })
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleCreate) { b.blocked.clear("", e.GuildID) })
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleDelete) { b.blocked.clear("", e.GuildID) })
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildMemberUpdate) {
		if e.Member != nil && e.User != nil && e.User.ID == b.botID() {
			b.blocked.clear("", e.GuildID)
		}
	})
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildCreate) {
		if e.Guild != nil {
			b.blocked.clear("", e.ID)
		}
	})
}

// mayPost checks, before a channel post or edit, that the bot may do it: the channel did not
// answer 403 or 404 before, and the gateway state grants need. It returns the service's
// EFORBIDDEN (permanent: retrying will not help) naming what is missing; a channel the state
// does not know is tried.
func (b *Bot) mayPost(ch quiz.ChannelID, need func(thread bool) []channelPerm) error {
	id := ch.String()
	if err := b.blocked.get(id); err != nil {
		return err
	}
	perms, guild, ok := b.channelPerms(id)
	if !ok {
		return nil
	}
	if missing := missingPerms(perms, need(b.isThread(id))); len(missing) > 0 {
		err := permsError(ch, missing)
		b.blocked.set(id, guild, err)
		return err
	}
	return nil
}

// refused records a channel that answered 403 or 404 and returns the service's error for it.
func (b *Bot) refused(ch quiz.ChannelID, err error) error {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	var qerr error
	switch re.Response.StatusCode {
	case http.StatusNotFound:
		qerr = quiz.Errorf(quiz.ENOTFOUND, "perms.channel_gone", ch)
	case http.StatusForbidden:
		missing := missingPerms(0, postingPerms(b.isThread(ch.String())))
		if perms, _, ok := b.channelPerms(ch.String()); ok {
			if m := missingPerms(perms, postingPerms(b.isThread(ch.String()))); len(m) > 0 {
				missing = m
			}
		}
		qerr = quiz.Errorf(quiz.EFORBIDDEN, "perms.refused", ch, joinNames(missing), ch)
	default:
		return err
	}
	guild := ""
	if c, e := b.s.State.Channel(ch.String()); e == nil {
		guild = c.GuildID
	}
	b.blocked.set(ch.String(), guild, qerr)
	return qerr
}

// interviewPerms says why a public question cannot be posted in the interaction's channel:
// the permissions app_permissions lacks, or nil.
func (b *Bot) interviewPerms(i *discordgo.Interaction) []string {
	if i.GuildID == "" {
		return nil
	}
	return missingPerms(i.AppPermissions, postingPerms(b.isThread(i.ChannelID)))
}

// dailyChannelPerms checks /daily setup's channel: the bot's permissions there, computed from
// the gateway state (read from Discord when the state does not know the channel). It returns
// the permissions missing, and the bot's permissions.
func (b *Bot) dailyChannelPerms(ctx context.Context, guildID string, ch quiz.ChannelID) ([]string, int64, error) {
	need := postingPerms(false)
	perms, in, ok := b.channelPerms(ch.String())
	if !ok {
		c, err := b.s.Channel(ch.String(), discordgo.WithContext(ctx))
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && (re.Response.StatusCode == http.StatusForbidden || re.Response.StatusCode == http.StatusNotFound) {
			return []string{permViewChannel.name}, 0, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("discord: read channel %d: %w", ch, err)
		}
		if err := b.s.State.ChannelAdd(c); err != nil {
			return nil, 0, fmt.Errorf("discord: channel %d: %w", ch, err)
		}
		if perms, in, ok = b.channelPerms(ch.String()); !ok {
			return nil, 0, fmt.Errorf("discord: cannot compute the bot's permissions in channel %d", ch)
		}
	}
	if in != guildID {
		// The option's id is whatever the client sent: the bot is in other servers too.
		return nil, 0, quiz.Errorf(quiz.EINVALID, "error.d_is_not_a_channel", ch)
	}
	return missingPerms(perms, need), perms, nil
}

// checkRole refuses a role that is not one of server guildID's: a role option's id is whatever
// the client sent. The state knows the server's roles from GUILD_CREATE; one it lacks (created
// a moment ago) is looked up once.
func (b *Bot) checkRole(ctx context.Context, guildID string, role quiz.RoleID) error {
	if role == 0 {
		return nil
	}
	if _, err := b.s.State.Role(guildID, role.String()); err == nil {
		return nil
	}
	roles, err := b.s.GuildRoles(guildID, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: read the roles of %s: %w", guildID, err)
	}
	for _, r := range roles {
		if r.ID == role.String() {
			return nil
		}
	}
	return quiz.Errorf(quiz.EINVALID, "error.d_is_not_a_role", role)
}

// Package discordtest is a stateful fake of Discord for tests.
//
// It listens on 127.0.0.1 and speaks the real wire protocol, so a real
// *discordgo.Session works against it unchanged: REST under /api/v9/...
// and the gateway WebSocket at /gw (HELLO, IDENTIFY → READY + GUILD_CREATE,
// heartbeat ACKs, RESUME with replay, op 7 and op 9). Tests drive
// interactions (Slash, Autocomplete, Click, Select, SubmitModal), inject faults
// (FailNext; FailNextAfter, a reply lost after the request took effect; DropConnection, Reconnect, InvalidSession, DeleteChannel,
// DenyChannel, permissions and overwrites) and inspect what the bot sent (Messages, DMs,
// Interaction.Original, Followups, Requests, Transcript, Uploads).
//
// Files sent as multipart/form-data (payload_json plus files[n]) on a
// message, an interaction callback, a follow-up or an edit become the
// message's Attachments, served from the fake's address; an embed's
// attachment://name image or thumbnail comes back as the file's URL, and one
// naming a file the message lacks is a violation (Discord shows no image). A
// file over the 10 MiB attachment_size_limit is refused with 413/40005.
//
//	s := discordtest.New(t)
//	s.AddGuild(discordtest.Guild{ID: "2001", Channels: []discordtest.Channel{{ID: "2002", Name: "q"}}})
//	dg, _ := discordgo.New("Bot test-token")
//	dg.Client = s.Client() // or Client.Transport = s.Transport()
//	// ... dg.Open(); t.Cleanup(func() { dg.Close() }); s.WaitReady(ctx)
//	i := s.Slash("2001", "2002", discordtest.User{ID: "3001", Permissions: "0"}, "interview")
//	resp, err := i.Wait(ctx)
//
// # Rules
//
// The fake enforces shared/discord-limits.md. A break is a violation: it is
// answered with Discord's error, recorded (Violations, Transcript) and fails
// the test at cleanup unless the test called ExpectViolation with a
// substring of it. Checked: the Authorization header; one initial callback
// per interaction (40060), within the deadline from delivery (10062), of a
// type the interaction accepts; webhook tokens (unknown 404/10015, older
// than the token life 401/50027, used before the initial callback
// 404/10015); message bodies (allowed_mentions present on creates and on
// edits that change content or embeds, no "everyone"/"roles" in parse, no
// "users" with a users list; content, embed, component, modal, text input
// and autocomplete limits, select options (label and value 1-100,
// description 100, unique values), counted in runes; empty messages 50006); bulk
// overwrites of commands (name regex and lowercase, lengths, counts,
// required before optional, autocomplete with choices, 8000 characters);
// nonce length; routes the fake does not implement. When the official
// OpenAPI description is found at ../shared/discord-api-spec/openapi.json
// relative to the module root, every request is also validated against it
// (v10 paths, int-like strings normalised, the callback branch chosen by
// type); such violations start with "openapi:" and take precedence over the
// fake's own checks of the same request.
//
// # Permissions, roles and threads
//
// The fake computes permissions as topics/permissions.mdx describes: the
// owner and Administrator have everything; else @everyone's permissions
// (Guild.EveryonePermissions) OR the member's roles', then the channel's
// @everyone overwrite, the member's role overwrites combined, and the
// member's own overwrite. Threads take their parent's overwrites; a private
// thread is visible only to its members and to Manage Threads.
//
// The bot holds a managed role (BotRoleID) with DefaultBotPermissions (View
// Channel, Send Messages, Embed Links, Read Message History) above every test
// role, so by default it may do what it always could. Tests change that with
// Guild fields or SetBotPermissions, SetBotRoles, SetRole and
// SetChannelOverwrites (each sends the gateway update). Always on:
//
//   - Channel routes need View Channel (else 403 50001); a post needs Send
//     Messages, or Send Messages in Threads in a thread, and a reply
//     (message_reference) Read Message History (else 403 50013); GET of one
//     message needs Read Message History (50001) and a list without it is
//     empty. Without Embed Links a post keeps its content and loses its
//     embeds (Message.EmbedsRemoved). Interaction callbacks and webhooks are
//     not checked, as on Discord. app_permissions is the same computation.
//   - Role mentions ping (Message.PingedRoles, mention_roles) only when
//     allowed_mentions allows them and the role is Mentionable or the bot has
//     Mention Everyone; <@&guild_id> pings no one.
//   - PUT/DELETE /guilds/{g}/members/{u}/roles/{r} need Manage Roles and a
//     role below the bot's highest (else 403 50013); GET /guilds/{g}/roles.
//     AddMember and MemberRoles for the members.
//   - POST /channels/{c}/threads (type 12 needs Create Private Threads, 11
//     Create Public Threads; a private thread is invitable unless created
//     with invitable false) and PUT /channels/{t}/thread-members/{u} (Send
//     Messages in Threads); ThreadMembers, Threads. An interaction in a
//     private thread from a member who cannot see it is not delivered.
//   - Select picks in a string select only what the client offers: the
//     menu's options, min_values to max_values of them (else not delivered,
//     ErrSelectInvalid).
//   - InvalidRequests counts 401, 403 and non-shared 429 replies over 10
//     minutes; 10,000 is a violation.
//
// Opt-in, because the bot's tests rely on the kinder behaviour:
//
//   - WithCommandPermissions: Slash and Autocomplete deliver a command only
//     to members allowed by its default_member_permissions (against their
//     permissions from User.Permissions and their roles) or by overrides
//     (SetCommandPermissions, readable over REST, sent as
//     APPLICATION_COMMAND_PERMISSIONS_UPDATE). Interaction.Wait then returns
//     ErrCommandNotAvailable.
//   - WithIdentifyConcurrency: one IDENTIFY per 5 s (WithClock time) per
//     bucket shard_id % max_concurrency; the excess gets op 9.
//
// # Behaviour worth knowing
//
//   - Ids must be snowflakes (decimal strings); the spec rejects others.
//   - Sharding: each IDENTIFY's "shard" [id, count] (default [0, 1]) opens
//     the session of that shard, and several shards may be connected at
//     once. A session gets only its guilds, those with
//     (guild_id >> 22) % count == id (ShardOf): in READY (which echoes
//     "shard"), as GUILD_CREATE and as INTERACTION_CREATE; DM interactions
//     go to shard 0. WaitReady, Connected, Reconnect, InvalidSession and
//     DropConnection act on shard 0 (an unsharded client); WaitReadyShard
//     and ConnectedShard take a shard. Identifies, Resumes and Heartbeats
//     count over all shards.
//   - Interactions dispatched while no client of their shard is connected
//     are queued for that shard: a RESUME replays them, a new IDENTIFY of
//     the shard delivers them after READY. The callback deadline and token
//     life start at delivery.
//   - After a type 5 deferral the first follow-up completes the deferred
//     message (becomes @original), as Discord does.
//   - Messages lists channel posts only; interaction replies are reached
//     through the Interaction. Type 6/7 callbacks make the component's
//     message the @original.
//   - enforce_nonce dedupes for five minutes (WithClock time): the earlier
//     message is returned and nothing new is created.
//   - Rate limits: 5/s per channel for channel posts, 50/s per route
//     otherwise, and the global limit over non-interaction routes. Bucket
//     429s are counted (RateLimited) but are not violations. Rate windows
//     use real time.
//   - WaitReady also waits for the client's first heartbeat: closing a
//     discordgo Session before it arrives races with discordgo's heartbeat
//     goroutine, which then reconnects forever. After Reconnect or
//     DropConnection, wait for Resumes() to grow, then WaitReady.
//
// Import it only from _test.go files. Its non-test files import only the
// standard library, gorilla/websocket and kin-openapi; they never import
// discordgo.
package discordtest

package discordtest_test

import (
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// Guilds of a two-shard bot: (id >> 22) % 2 is 0 for the first two and 1 for the others.
const (
	shard0Guild   = "200000000000000001"
	shard0Channel = "200000000000000002"
	shard0Late    = "200000000000000009"
	shard1Guild   = "200000000004194305"
	shard1Channel = "200000000004194306"
	shard1Late    = "200000000004194313"
)

// readyInfo is what a READY said, copied in the handler (discordgo's State changes the
// guilds afterwards).
type readyInfo struct {
	shard  [2]int
	guilds []string
}

// shardClient is one discordgo Session of a sharded bot and the events it received, in
// the order the fake sent them (SyncEvents runs handlers in the read loop).
type shardClient struct {
	dg     *discordgo.Session
	ready  chan readyInfo
	guilds chan string // GUILD_CREATE guild ids
	ics    chan *discordgo.InteractionCreate
}

func openShard(t *testing.T, s *discordtest.Server, id, count int) *shardClient {
	t.Helper()
	c := &shardClient{dg: session(t, s), ready: make(chan readyInfo, 4),
		guilds: make(chan string, 16), ics: make(chan *discordgo.InteractionCreate, 16)}
	c.dg.ShardID, c.dg.ShardCount = id, count
	c.dg.SyncEvents = true
	c.dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		info := readyInfo{shard: [2]int{-1, -1}}
		if r.Shard != nil {
			info.shard = *r.Shard
		}
		for _, g := range r.Guilds {
			info.guilds = append(info.guilds, g.ID)
		}
		c.ready <- info
	})
	c.dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { c.guilds <- g.ID })
	c.dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { c.ics <- ic })
	if err := c.dg.Open(); err != nil {
		t.Fatalf("shard %d: Open() = %v", id, err)
	}
	t.Cleanup(func() { c.dg.Close() })
	if err := s.WaitReadyShard(ctx(t), id); err != nil {
		t.Fatalf("shard %d: %v", id, err)
	}
	return c
}

// openShardNoWait is openShard without waiting for the shard to be ready.
func openShardNoWait(t *testing.T, s *discordtest.Server, id, count int) *shardClient {
	t.Helper()
	c := &shardClient{dg: session(t, s), ready: make(chan readyInfo, 4),
		guilds: make(chan string, 16), ics: make(chan *discordgo.InteractionCreate, 16)}
	c.dg.ShardID, c.dg.ShardCount = id, count
	if err := c.dg.Open(); err != nil {
		t.Errorf("shard %d: Open() = %v", id, err)
	}
	t.Cleanup(func() { c.dg.Close() })
	return c
}

func TestShardsGetOnlyTheirGuilds(t *testing.T) {
	t.Parallel()
	for g, want := range map[string]int{shard0Guild: 0, shard0Late: 0, shard1Guild: 1, shard1Late: 1, "": 0} {
		if got := discordtest.ShardOf(g, 2); got != want {
			t.Fatalf("ShardOf(%q, 2) = %d; want %d", g, got, want)
		}
	}
	s := discordtest.New(t)
	s.AddGuild(discordtest.Guild{ID: shard0Guild, Name: "Zero", Channels: []discordtest.Channel{{ID: shard0Channel, Name: "q"}}})
	s.AddGuild(discordtest.Guild{ID: shard1Guild, Name: "One", Channels: []discordtest.Channel{{ID: shard1Channel, Name: "q"}}})

	// Queued before any client: it waits for shard 1, even though shard 0 connects first.
	early := s.Slash(shard1Guild, shard1Channel, member, "interview")

	c0 := openShard(t, s, 0, 2)
	if s.ConnectedShard(1) {
		t.Fatal("ConnectedShard(1) before shard 1 connected")
	}
	c1 := openShard(t, s, 1, 2)
	if !s.Connected() || !s.ConnectedShard(0) || !s.ConnectedShard(1) {
		t.Fatalf("Connected() = %v, ConnectedShard(0) = %v, ConnectedShard(1) = %v", s.Connected(), s.ConnectedShard(0), s.ConnectedShard(1))
	}
	if got := s.Identifies(); got != 2 {
		t.Errorf("Identifies() = %d; want 2", got)
	}

	for _, tc := range []struct {
		c     *shardClient
		shard int
		guild string
	}{{c0, 0, shard0Guild}, {c1, 1, shard1Guild}} {
		r := recv(t, tc.c.ready)
		if r.shard != [2]int{tc.shard, 2} || !slices.Equal(r.guilds, []string{tc.guild}) {
			t.Errorf("shard %d READY: shard %v, guilds %v; want [%d 2], [%s]", tc.shard, r.shard, r.guilds, tc.shard, tc.guild)
		}
		if g := recv(t, tc.c.guilds); g != tc.guild {
			t.Errorf("shard %d: GUILD_CREATE %s; want %s", tc.shard, g, tc.guild)
		}
	}
	// The queued interaction went to shard 1 right after its READY.
	if ic := recv(t, c1.ics); ic.ID != early.ID {
		t.Errorf("shard 1: first interaction %s; want the queued %s", ic.ID, early.ID)
	}

	// Guilds added later reach only their shard's session.
	s.AddGuild(discordtest.Guild{ID: shard1Late, Name: "One late"})
	s.AddGuild(discordtest.Guild{ID: shard0Late, Name: "Zero late"})
	if g := recv(t, c0.guilds); g != shard0Late {
		t.Errorf("shard 0: late GUILD_CREATE %s; want %s", g, shard0Late)
	}
	if g := recv(t, c1.guilds); g != shard1Late {
		t.Errorf("shard 1: late GUILD_CREATE %s; want %s", g, shard1Late)
	}

	interactionsByShard(t, s, c0, c1)
	shardZeroDrops(t, s, c0, c1)

	// Nothing else arrived anywhere: each session's channels are empty (events are handled
	// in order, and every later event has been received).
	for i, c := range []*shardClient{c0, c1} {
		if n := len(c.ics) + len(c.guilds) + len(c.ready); n != 0 {
			t.Errorf("shard %d: %d unexpected events", i, n)
		}
	}
	if got := s.Identifies(); got != 2 {
		t.Errorf("Identifies() = %d; want 2 (shard 0 resumed)", got)
	}
}

// interactionsByShard: interactions go to their guild's shard, DMs to shard 0, and a shard
// answers its own.
func interactionsByShard(t *testing.T, s *discordtest.Server, c0, c1 *shardClient) {
	i0 := s.Slash(shard0Guild, shard0Channel, member, "interview")
	i1 := s.Slash(shard1Guild, shard1Channel, member, "interview")
	dm := s.Slash("", "", member, "streak")
	if ic := recv(t, c0.ics); ic.ID != i0.ID || ic.GuildID != shard0Guild {
		t.Errorf("shard 0: interaction %s in %q; want %s", ic.ID, ic.GuildID, i0.ID)
	}
	if ic := recv(t, c0.ics); ic.ID != dm.ID || ic.GuildID != "" {
		t.Errorf("shard 0: interaction %s in %q; want the DM %s", ic.ID, ic.GuildID, dm.ID)
	}
	ic1 := recv(t, c1.ics)
	if ic1.ID != i1.ID || ic1.GuildID != shard1Guild {
		t.Errorf("shard 1: interaction %s in %q; want %s", ic1.ID, ic1.GuildID, i1.ID)
	}
	err := c1.dg.InteractionRespond(ic1.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "from shard 1", AllowedMentions: noMentions()},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("shard 1: InteractionRespond() = %v", err)
	}
	if r, err := i1.Wait(ctx(t)); err != nil || r.Content != "from shard 1" {
		t.Errorf("shard 1 reply = %+v, %v", r, err)
	}
}

// shardZeroDrops: while shard 0 is away its interactions wait for its RESUME, and shard 1's
// still flow.
func shardZeroDrops(t *testing.T, s *discordtest.Server, c0, c1 *shardClient) {
	resumes := s.Resumes()
	s.DropConnection()
	if s.ConnectedShard(0) || !s.ConnectedShard(1) {
		t.Errorf("after DropConnection: ConnectedShard(0) = %v, ConnectedShard(1) = %v; want false, true", s.ConnectedShard(0), s.ConnectedShard(1))
	}
	gap0 := s.Slash(shard0Guild, shard0Channel, member, "interview")
	gap1 := s.Slash(shard1Late, shard1Channel, member, "interview")
	if ic := recv(t, c1.ics); ic.ID != gap1.ID {
		t.Errorf("shard 1 during shard 0's gap: interaction %s; want %s", ic.ID, gap1.ID)
	}
	if ic := recv(t, c0.ics); ic.ID != gap0.ID {
		t.Errorf("shard 0 after resuming: interaction %s; want %s", ic.ID, gap0.ID)
	}
	if err := s.Await(ctx(t), func() bool { return s.Resumes() > resumes }); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidShardRejected(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("invalid shard")
	dg := session(t, s)
	dg.ShouldReconnectOnError = false
	// discordgo checks ShardID < ShardCount itself; with ShardCount unset it sends
	// Identify.Shard as given.
	dg.Identify.Shard = &[2]int{3, 2}
	if err := dg.Open(); err == nil {
		dg.Close()
		t.Fatal("Open() with shard [3 2] succeeded")
	}
	if s.Identifies() != 0 {
		t.Errorf("Identifies() = %d; want 0", s.Identifies())
	}
}

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// A guild on shard 1 of 2: (guildC >> 22) % 2 == 1, while guildA and guildB are on shard 0.
const (
	guildC   = "100000000004194404"
	channelC = "200000000000000300"
)

// withDB returns a copy of e (same fake, clock and deadline) whose processes use another
// database file, for a second shard process.
func (e *env) withDB(name string) *env {
	c := *e
	c.db = filepath.Join(e.t.TempDir(), name)
	return &c
}

// answerQuestion asks /interview in a guild, answers it through the modal and returns the
// interaction ids involved, checking each step was answered.
func answerQuestion(t *testing.T, e *env, guild, channel string, u discordtest.User, topic string) []string {
	t.Helper()
	ask := e.fake.Slash(guild, channel, u, "interview", opt("topic", topic))
	r := e.wait(ask)
	if r.Type != 4 || len(r.Embeds) != 1 || !strings.HasPrefix(r.Embeds[0].Title, topic) {
		t.Fatalf("/interview %s in %s = type %d embeds %+v; want a %s question", topic, guild, r.Type, r.Embeds, topic)
	}
	q, ok := ask.Original()
	if !ok {
		t.Fatalf("/interview in %s: no @original", guild)
	}
	ids := customIDs(t, r.Components)
	click := e.fake.Click(guild, channel, u, q.ID, ids["answer"])
	m := e.wait(click)
	if m.Type != 9 || m.ModalCustomID == "" {
		t.Fatalf("Answer in %s = type %d; want a modal", guild, m.Type)
	}
	submit := e.fake.SubmitModalOnMessage(guild, channel, u, q.ID, m.ModalCustomID, map[string]string{"answer": "my answer"})
	ref := e.wait(submit)
	if ref.Type != 4 || ref.Flags&64 == 0 || len(ref.Embeds) == 0 {
		t.Fatalf("answer in %s got %+v; want the private reference answer", guild, ref)
	}
	return []string{ask.ID, click.ID, submit.ID}
}

// stored reports what a process's database holds about member u of guild: whether the member
// exists, how many answers they have, and how many attempts.
func stored(t *testing.T, a *app, guild string, u discordtest.User) (found bool, answered, attempts int) {
	t.Helper()
	gid, err := quiz.ParseID(guild)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := quiz.ParseID(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = a.store.View(ctx, func(tx quiz.Tx) error {
		m, ok, err := tx.Member(quiz.GuildID(gid), quiz.UserID(uid))
		if err != nil {
			return err
		}
		at, err := tx.Attempts(quiz.GuildID(gid), quiz.UserID(uid))
		found, answered, attempts = ok, m.Answered, len(at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found, answered, attempts
}

// answeredBy returns the interaction ids a process logged an "interaction" line for.
func answeredBy(logs string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(logs, "\n") {
		if !strings.Contains(l, `"msg":"interaction"`) {
			continue
		}
		if _, rest, ok := strings.Cut(l, `"interaction_id":"`); ok {
			id, _, _ := strings.Cut(rest, `"`)
			out[id] = true
		}
	}
	return out
}

// TestShardsServeTheirGuilds runs two shard processes (SHARD_COUNT=2), each with its own
// database, against one fake Discord: each serves only its guilds' interactions, keeps only
// their data, and only shard 0 registers the commands.
func TestShardsServeTheirGuilds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.AddGuild(discordtest.Guild{ID: guildC, Name: "C", Channels: []discordtest.Channel{{ID: channelC, Name: "general"}}})
	if discordtest.ShardOf(guildA, 2) != 0 || discordtest.ShardOf(guildC, 2) != 1 {
		t.Fatalf("guild shards: A %d, C %d; want 0, 1", discordtest.ShardOf(guildA, 2), discordtest.ShardOf(guildC, 2))
	}

	e1 := e.withDB("shard1.db")
	b0 := e.startEnv([]string{"SHARD_ID", "0", "SHARD_COUNT", "2"})
	b1 := e1.startEnv([]string{"SHARD_ID", "1", "SHARD_COUNT", "2"})
	if err := e.fake.WaitReadyShard(e.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if b0.app.store.Path() == b1.app.store.Path() {
		t.Fatalf("both shards use %s", b0.app.store.Path())
	}
	if n := e.fake.CommandOverwrites(); n != 1 {
		t.Fatalf("command overwrites = %d; want 1, by shard 0 only", n)
	}
	if n := e.fake.Identifies(); n != 2 {
		t.Fatalf("identifies = %d; want one per shard", n)
	}

	var want0, want1 []string // interactions each process must have handled
	want0 = append(want0, answerQuestion(t, e, guildA, channelA, ada, "tcp")...)
	want1 = append(want1, answerQuestion(t, e, guildC, channelC, bob, "http")...)

	checkShardDatabases(t, b0.app, b1.app)

	// /streak reaches the process owning the guild, which has the answer.
	stA := e.fake.Slash(guildA, channelA, ada, "streak")
	if m := e.final(stA); !strings.Contains(embedText(m.Embeds), "**1** day in a row") {
		t.Fatalf("/streak in guild A = %s", embedText(m.Embeds))
	}
	stC := e.fake.Slash(guildC, channelC, bob, "streak")
	if m := e.final(stC); !strings.Contains(embedText(m.Embeds), "连续 **1** 天") {
		t.Fatalf("/streak in guild C = %s", embedText(m.Embeds))
	}
	want0 = append(want0, stA.ID)
	want1 = append(want1, stC.ID)

	// Both shut down cleanly; then their logs are complete.
	for i, b := range []*bot{b1, b0} {
		if code, took := b.stop(); code != 0 || took > 10*time.Second {
			t.Fatalf("shard %d shutdown: exit %d after %s; want 0 within 10 s\n%s", 1-i, code, took, b.logs.String())
		}
	}
	by0, by1 := answeredBy(b0.logs.String()), answeredBy(b1.logs.String())
	for _, id := range want0 {
		if !by0[id] || by1[id] {
			t.Errorf("interaction %s in guild A: handled by shard 0 %v, shard 1 %v; want shard 0 only", id, by0[id], by1[id])
		}
	}
	for _, id := range want1 {
		if !by1[id] || by0[id] {
			t.Errorf("interaction %s in guild C: handled by shard 1 %v, shard 0 %v; want shard 1 only", id, by1[id], by0[id])
		}
	}
	if strings.Contains(b1.logs.String(), "commands registered") || !strings.Contains(b0.logs.String(), "commands registered") {
		t.Errorf("commands registered: shard 0 %v, shard 1 %v; want shard 0 only",
			strings.Contains(b0.logs.String(), "commands registered"), strings.Contains(b1.logs.String(), "commands registered"))
	}
	if n := e.fake.CommandOverwrites(); n != 1 {
		t.Errorf("command overwrites = %d at the end; want 1", n)
	}
}

// checkShardDatabases: each answer is in its shard's database only.
func checkShardDatabases(t *testing.T, a0, a1 *app) {
	for _, c := range []struct {
		name   string
		a      *app
		guild  string
		u      discordtest.User
		answer int // 0: the member must not be stored at all
	}{
		{"shard 0", a0, guildA, ada, 1},
		{"shard 1", a1, guildA, ada, 0},
		{"shard 1", a1, guildC, bob, 1},
		{"shard 0", a0, guildC, bob, 0},
	} {
		found, answered, attempts := stored(t, c.a, c.guild, c.u)
		if c.answer == 0 && (found || attempts != 0) {
			t.Errorf("%s's database holds %s in guild %s (answered %d, %d attempts); want nothing", c.name, c.u.Username, c.guild, answered, attempts)
		}
		if c.answer != 0 && (!found || answered != c.answer || attempts != 1) {
			t.Errorf("%s's database: %s in guild %s found %v, answered %d, %d attempts; want %d answer, 1 attempt", c.name, c.u.Username, c.guild, found, answered, attempts, c.answer)
		}
	}
}

package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestDailyPostEndToEnd sets up a daily question from Discord and drives the scheduler with a
// manual clock: one post at the local time, none more after reruns, a restart, or an injected
// 429; the reveal after reveal_after; and a deleted channel pausing the schedule and telling
// the moderator.
func TestDailyPostEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRole(guildA, discordtest.Role{ID: "400000000000000001", Name: "daily", Mentionable: true})
	b := e.start()
	dailySetupFromDiscord(t, e)
	post := dailyPostsOnce(t, e, b)
	// Restart: the new process finds the post recorded and does not post again.
	b.stop()
	b = e.start()
	b.app.runOnce(e.ctx)
	if n := len(e.fake.Messages(channelA)); n != 1 {
		t.Fatalf("%d posts after a restart; want 1", n)
	}

	// A member answers the daily question; it counts toward their streak.
	ids := customIDs(t, post.Components)
	m := e.wait(e.fake.Click(guildA, channelA, ada, post.ID, ids["answer"]))
	e.wait(e.fake.SubmitModalOnMessage(guildA, channelA, ada, post.ID, m.ModalCustomID, map[string]string{"answer": "x"}))

	// 12 hours later the reference answer is posted under it.
	e.clock.Set(time.Date(2026, 3, 6, 13, 30, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	posts := e.fake.Messages(channelA)
	if len(posts) != 2 || !strings.Contains(posts[1].Content, "1 answered") || !strings.Contains(embedText(posts[1].Embeds), "Reference answer") {
		t.Fatalf("after 12 h: %d messages, last %q", len(posts), posts[len(posts)-1].Content)
	}

	dailyChannelDeleted(t, e, b)
	dailyServerB(t, e, b)
}

// dailySetupFromDiscord: refusals, bad input, then a schedule at 09:30 in Shanghai.
func dailySetupFromDiscord(t *testing.T, e *env) {
	// A member without Manage Server is refused, whatever their client shows.
	deny := e.final(e.fake.Slash(guildA, channelA, ada, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:30"), opt("timezone", "Asia/Shanghai"))))
	if deny.Flags&64 == 0 || !strings.Contains(deny.Content, "Only moderators") {
		t.Fatalf("member /daily setup = %+v; want a private refusal", deny)
	}
	bad := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "9h30"), opt("timezone", "Asia/Shanghai"))))
	if !strings.Contains(bad.Content, "Invalid time") {
		t.Fatalf("bad time = %q", bad.Content)
	}
	badZone := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:30"), opt("timezone", "Asia/Beijing"))))
	if !strings.Contains(badZone.Content, "Unknown time zone") {
		t.Fatalf("bad zone = %q", badZone.Content)
	}
	ok := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:30"),
		opt("timezone", "Asia/Shanghai"), opt("topics", "tcp,redis"), discordtestRole("role", "400000000000000001"))))
	if !strings.Contains(embedText(ok.Embeds), "09:30 Asia/Shanghai") {
		t.Fatalf("/daily setup = %s", embedText(ok.Embeds))
	}
}

// dailyPostsOnce: not before the time, then exactly one post despite a 429, pinging only the role.
func dailyPostsOnce(t *testing.T, e *env, b *bot) (post discordtest.Message) {
	// 2026-03-06 01:29 UTC is 09:29 in Shanghai: not yet.
	e.clock.Set(time.Date(2026, 3, 6, 1, 29, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	if n := len(e.fake.Messages(channelA)); n != 0 {
		t.Fatalf("%d posts before the time", n)
	}
	e.clock.Set(time.Date(2026, 3, 6, 1, 30, 0, 0, time.UTC))
	e.fake.FailNext("POST /channels/*/messages", 429, 1)
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	posts := e.fake.Messages(channelA)
	if len(posts) != 1 {
		t.Fatalf("%d posts at 09:30; want exactly 1\n%s", len(posts), grepLines(b.logs.String(), "daily"))
	}
	post = posts[0]
	var am struct {
		Parse []string `json:"parse"`
		Roles []string `json:"roles"`
	}
	json.Unmarshal(post.AllowedMentions, &am)
	if len(am.Parse) != 0 || len(am.Roles) != 1 || am.Roles[0] != "400000000000000001" || post.Nonce == "" {
		t.Fatalf("daily post allowed_mentions %s nonce %q; want only the chosen role and a nonce", post.AllowedMentions, post.Nonce)
	}
	if !strings.Contains(embedText(post.Embeds), "Daily question 2026-03-06") {
		t.Fatalf("daily post = %s", embedText(post.Embeds))
	}
	return post
}

// dailyChannelDeleted: the next day's post fails, the schedule pauses, the moderator is told.
func dailyChannelDeleted(t *testing.T, e *env, b *bot) {
	// The channel is deleted: the next day's post fails, the schedule pauses, the moderator is told.
	e.fake.DeleteChannel(channelA)
	e.clock.Set(time.Date(2026, 3, 7, 1, 30, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	dms := e.fake.DMs(mod.ID)
	if len(dms) != 1 || !strings.Contains(dms[0].Content, "paused") {
		t.Fatalf("DMs to the moderator = %+v; want one saying the schedule paused", dms)
	}
	show := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("show")))
	if !strings.Contains(embedText(show.Embeds), "Paused:") {
		t.Fatalf("/daily show = %s", embedText(show.Embeds))
	}
}

// dailyServerB: a 503 on the first try, then one post; /daily now, pause, resume and skip.
func dailyServerB(t *testing.T, e *env, b *bot) {
	// Server B: a 503 on the first try; the next pass posts it, once.
	e.final(e.fake.Slash(guildB, channelB, mod, "daily", sub("setup", chanOpt("channel", channelB), opt("time", "18:00"), opt("timezone", "Europe/Berlin"))))
	e.clock.Set(time.Date(2026, 3, 7, 17, 0, 0, 0, time.UTC)) // 18:00 in Berlin
	e.fake.FailNext("POST /channels/*/messages", 503, 1)
	b.app.runOnce(e.ctx)
	if n := len(e.fake.Messages(channelB)); n != 0 {
		t.Fatalf("%d posts despite the 503", n)
	}
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	if n := len(e.fake.Messages(channelB)); n != 1 {
		t.Fatalf("%d posts after the retry; want 1", n)
	}
	// /daily now on a day already posted says so; pause, resume and skip.
	now1 := e.final(e.fake.Slash(guildB, channelB, mod, "daily", sub("now")))
	if !strings.Contains(now1.Content, "already posted") || len(e.fake.Messages(channelB)) != 1 {
		t.Fatalf("/daily now after the post = %q, %d posts", now1.Content, len(e.fake.Messages(channelB)))
	}
	if r := e.final(e.fake.Slash(guildB, channelB, mod, "daily", sub("pause"))); !strings.Contains(embedText(r.Embeds), "Paused") {
		t.Fatalf("/daily pause = %s", embedText(r.Embeds))
	}
	if r := e.final(e.fake.Slash(guildB, channelB, mod, "daily", sub("resume"))); strings.Contains(embedText(r.Embeds), "Paused") || !strings.Contains(embedText(r.Embeds), "Next post") {
		t.Fatalf("/daily resume = %s", embedText(r.Embeds))
	}
	if r := e.final(e.fake.Slash(guildB, channelB, mod, "daily", sub("skip"))); !strings.Contains(r.Content, "will be skipped") {
		t.Fatalf("/daily skip = %q", r.Content)
	}
}

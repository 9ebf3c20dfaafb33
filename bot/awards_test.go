package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

const (
	championRole = "400000000000000101"
	guildR       = "100000000000000304"
	channelR     = "200000000000000304"
	learnerRole  = "400000000000000301" // below the bot's role in guild R
	staffRole    = "400000000000000302" // above it
)

// answerPrivately asks u a private question and answers it, as a member does.
func answerPrivately(e *env, guild, channel string, u discordtest.User) {
	e.t.Helper()
	t := e.t.(*testing.T)
	q := e.final(e.fake.Slash(guild, channel, u, "interview", opt("private", true)))
	r := e.wait(e.fake.Click(guild, channel, u, q.ID, customIDs(t, q.Components)["answer"]))
	e.final(e.fake.SubmitModalOnMessage(guild, channel, u, q.ID, r.ModalCustomID, map[string]string{"answer": "my answer"}))
}

// announcements are the bot's posts in channel whose embed title contains title.
func announcements(e *env, channel, title string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range e.fake.Messages(channel) {
		if len(m.Embeds) > 0 && strings.Contains(m.Embeds[0].Title, title) {
			out = append(out, m)
		}
	}
	return out
}

// roleRequests counts the bot's role changes on members.
func roleRequests(e *env, method string) int {
	n := 0
	for _, rq := range e.fake.Requests() {
		if rq.Method == method && strings.Contains(rq.Path, "/roles/") && strings.Contains(rq.Path, "/members/") {
			n++
		}
	}
	return n
}

// TestChampionAcrossDST moves the champion role at month boundaries in Havana, where
// 2026-11-01 00:00 happens twice (clocks go back from 01:00 to 00:00): the October award comes
// at the first midnight and only once, through the second midnight and a restart; at the next
// boundary the role moves from October's champion to November's.
func TestChampionAcrossDST(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetBotPermissions(guildA, discordtest.DefaultBotPermissions|discordtest.PermManageRoles)
	e.fake.SetRole(guildA, discordtest.Role{ID: championRole, Name: "Champion", Position: 1})
	e.fake.AddMember(guildA, ada)
	e.fake.AddMember(guildA, bob)
	e.clock.Set(time.Date(2026, 10, 20, 15, 0, 0, 0, time.UTC))
	b := e.start()
	e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:00"), opt("timezone", "America/Havana"))))
	set := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("champion", discordtestRole("role", championRole))))
	if !strings.Contains(set.Content, "<@&"+championRole+">") {
		t.Fatalf("/daily champion = %q", set.Content)
	}
	answerPrivately(e, guildA, channelA, ada)
	answerPrivately(e, guildA, channelA, ada)
	answerPrivately(e, guildA, channelA, bob)

	// 03:59 UTC is 23:59 on 31 October in Havana (UTC-4): October is not over.
	e.clock.Set(time.Date(2026, 11, 1, 3, 59, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	if got := e.fake.MemberRoles(guildA, ada.ID); len(got) != 0 || len(announcements(e, channelA, "Champion")) != 0 {
		t.Fatalf("before the month ended: ada's roles %v, announcements %d", got, len(announcements(e, channelA, "Champion")))
	}
	// 04:00 UTC: the first 00:00 of 1 November.
	e.clock.Set(time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	if got := e.fake.MemberRoles(guildA, ada.ID); !slices.Equal(got, []string{championRole}) {
		t.Fatalf("at the first midnight: ada's roles %v; want the champion role", got)
	}
	ann := announcements(e, channelA, "Champion of 2026-10")
	if len(ann) != 1 || !strings.Contains(ann[0].Embeds[0].Description, "<@"+ada.ID+">") || !strings.Contains(ann[0].Embeds[0].Description, "2 answers") {
		t.Fatalf("announcements = %+v", ann)
	}
	// 05:00 UTC is 00:00 again (UTC-5), then a restart: nothing more.
	e.clock.Set(time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.stop()
	e.clock.Set(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC))
	b = e.start()
	b.app.runOnce(e.ctx)
	if n, puts := len(announcements(e, channelA, "Champion")), roleRequests(e, "PUT"); n != 1 || puts != 1 {
		t.Fatalf("after the second midnight and a restart: %d announcements, %d role grants; want 1 and 1", n, puts)
	}
	if show := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("show"))); !strings.Contains(embedText(show.Embeds), "Champion of 2026-10: <@"+ada.ID+">") {
		t.Fatalf("/daily show after the award:\n%s", embedText(show.Embeds))
	}

	// November: bob answers more; at the next boundary (UTC-5) the role moves to him.
	e.clock.Set(time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
	for range 3 {
		answerPrivately(e, guildA, channelA, bob)
	}
	e.clock.Set(time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	if a, bb := e.fake.MemberRoles(guildA, ada.ID), e.fake.MemberRoles(guildA, bob.ID); len(a) != 0 || !slices.Equal(bb, []string{championRole}) {
		t.Fatalf("after November: ada %v, bob %v; want the role moved to bob", a, bb)
	}
	nov := announcements(e, channelA, "Champion of 2026-11")
	if len(nov) != 1 || !strings.Contains(nov[0].Embeds[0].Description, "<@"+bob.ID+">") || !strings.Contains(nov[0].Embeds[0].Description, "Thank you, <@"+ada.ID+">") {
		t.Fatalf("November's announcement = %+v", nov)
	}
}

// TestChampionRefusedSetup: /daily champion refuses, explaining, without Manage Roles and for
// a role at or above the bot's highest role (in English and Chinese); a role that later moves
// above the bot's is handled at run time: Discord's 403 (50013) is recorded once, the award is
// announced without the role, and the moderator is told how to fix it.
func TestChampionRefusedSetup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.AddGuild(discordtest.Guild{ID: guildR, Name: "C", Channels: []discordtest.Channel{{ID: channelR, Name: "general"}},
		Roles: []discordtest.Role{{ID: learnerRole, Name: "learner", Position: 1}, {ID: staffRole, Name: "staff", Position: 5}}, BotRolePosition: 3})
	e.fake.AddMember(guildR, ada)
	e.clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	b := e.start()
	modZh := discordtest.User{ID: "300000000000000004", Username: "mod2", Locale: "zh-CN", Permissions: "32"}

	r := e.final(e.fake.Slash(guildR, channelR, mod, "daily", sub("champion", discordtestRole("role", learnerRole))))
	if r.Flags&64 == 0 || !strings.Contains(r.Content, "Manage Roles") {
		t.Fatalf("without Manage Roles = %q", r.Content)
	}
	e.fake.SetBotPermissions(guildR, discordtest.DefaultBotPermissions|discordtest.PermManageRoles)
	r = e.final(e.fake.Slash(guildR, channelR, mod, "daily", sub("champion", discordtestRole("role", staffRole))))
	if !strings.Contains(r.Content, "below my highest role") {
		t.Fatalf("a role above the bot's = %q", r.Content)
	}
	r = e.final(e.fake.Slash(guildR, channelR, modZh, "daily", sub("champion", discordtestRole("role", staffRole))))
	if !strings.Contains(r.Content, "冠军角色必须低于我的最高角色") {
		t.Fatalf("a role above the bot's, in Chinese = %q", r.Content)
	}
	if r = e.final(e.fake.Slash(guildR, channelR, mod, "daily", sub("champion", discordtestRole("role", learnerRole)))); !strings.Contains(r.Content, "<@&"+learnerRole+">") {
		t.Fatalf("a role below the bot's = %q", r.Content)
	}
	e.final(e.fake.Slash(guildR, channelR, mod, "daily", sub("setup", chanOpt("channel", channelR), opt("time", "09:00"), opt("timezone", "UTC"))))
	answerPrivately(e, guildR, channelR, ada)

	// Someone moves the role above the bot's before the month ends.
	e.fake.SetRole(guildR, discordtest.Role{ID: learnerRole, Name: "learner", Position: 4})
	e.clock.Set(time.Date(2026, 4, 1, 0, 10, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	if got := e.fake.MemberRoles(guildR, ada.ID); len(got) != 0 || roleRequests(e, "PUT") != 1 {
		t.Fatalf("role above the bot's at run time: ada %v, %d grants tried; want none given, one try", got, roleRequests(e, "PUT"))
	}
	dms := e.fake.DMs(mod.ID)
	if len(dms) != 1 || !strings.Contains(dms[0].Content, "could not be given") || !strings.Contains(dms[0].Content, "/daily champion") {
		t.Fatalf("DMs to the moderator = %+v", dms)
	}
	ann := announcements(e, channelR, "Champion of 2026-03")
	if len(ann) != 1 || strings.Contains(ann[0].Embeds[0].Description, "now hold") {
		t.Fatalf("announcement without the role = %+v", ann)
	}
}

// TestWeeklyRecapOncePerWeek: with the recap on, each Monday at the daily post's time the
// daily channel gets last week's recap (its questions linked, who answered, streaks and the
// champion race), once, across reruns and a restart; off, none.
func TestWeeklyRecapOncePerWeek(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "09:00"), opt("timezone", "Europe/Berlin"))))
	if r := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("recap", opt("state", "on")))); !strings.Contains(r.Content, "weekly recap is on") {
		t.Fatalf("/daily recap on = %q", r.Content)
	}
	var first discordtest.Message
	for day := 6; day <= 8; day++ {
		e.clock.Set(time.Date(2026, 3, day, 8, 0, 0, 0, time.UTC)) // 09:00 in Berlin
		b.app.runOnce(e.ctx)
		if day == 6 {
			posts := e.fake.Messages(channelA)
			if len(posts) != 1 {
				t.Fatalf("daily posts on the 6th = %d", len(posts))
			}
			first = posts[0]
			r := e.wait(e.fake.Click(guildA, channelA, ada, first.ID, customIDs(t, first.Components)["answer"]))
			e.wait(e.fake.SubmitModalOnMessage(guildA, channelA, ada, first.ID, r.ModalCustomID, map[string]string{"answer": "x"}))
		}
	}
	e.clock.Set(time.Date(2026, 3, 9, 7, 59, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	if n := len(announcements(e, channelA, "Week")); n != 0 {
		t.Fatalf("%d recaps before Monday 09:00", n)
	}
	e.clock.Set(time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	b.stop()
	b = e.start()
	b.app.runOnce(e.ctx)
	recaps := announcements(e, channelA, "Week 2026-03-02 – 2026-03-08")
	if len(recaps) != 1 {
		t.Fatalf("%d recaps of the week; want 1", len(announcements(e, channelA, "Week")))
	}
	text := recaps[0].Embeds[0].Description
	link := fmt.Sprintf("https://discord.com/channels/%s/%s/%s", guildA, channelA, first.ID)
	if !strings.Contains(text, "**1** members") || !strings.Contains(text, link) || !strings.Contains(text, "<@"+ada.ID+">") || recaps[0].Nonce == "" {
		t.Fatalf("recap = %s (nonce %q); want 1 member, the link %s and ada in the lists", text, recaps[0].Nonce, link)
	}
	if show := e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("show"))); !strings.Contains(embedText(show.Embeds), fmt.Sprintf("Weekly recap: on, next <t:%d:R>", time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC).Unix())) {
		t.Fatalf("/daily show with the recap on:\n%s", embedText(show.Embeds))
	}
	e.clock.Set(time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	if n := len(announcements(e, channelA, "Week")); n != 2 {
		t.Fatalf("%d recaps after the second Monday; want 2", n)
	}
	e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("recap", opt("state", "off"))))
	e.clock.Set(time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC))
	b.app.runOnce(e.ctx)
	if n := len(announcements(e, channelA, "Week")); n != 2 {
		t.Fatalf("%d recaps with the recap off; want still 2", n)
	}
}

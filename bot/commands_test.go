package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// answerPrivately asks u a private tcp question and answers it.
func (e *env) answerPrivately(u discordtest.User, text string) {
	e.t.Helper()
	t := e.t.(*testing.T)
	ask := e.fake.Slash(guildA, channelA, u, "interview", opt("topic", "tcp"), opt("private", true))
	r := e.wait(ask)
	msg, ok := ask.Original()
	if !ok || r.Flags&64 == 0 {
		e.t.Fatalf("/interview private = %+v; want a private question", r)
	}
	modal := e.wait(e.fake.Click(guildA, channelA, u, msg.ID, customIDs(t, r.Components)["answer"]))
	if modal.Type != 9 {
		e.t.Fatalf("Answer = type %d; want a form", modal.Type)
	}
	done := e.final(e.fake.SubmitModalOnMessage(guildA, channelA, u, msg.ID, modal.ModalCustomID, map[string]string{"answer": text}))
	if !strings.Contains(embedText(done.Embeds), "Reference answer") && !strings.Contains(embedText(done.Embeds), "参考答案") {
		e.t.Fatalf("answer reply = %q %s; want the reference answer", done.Content, embedText(done.Embeds))
	}
}

// TestStreakCoveredMissEndToEnd: seven days of answers earn a freeze; a missed day is then
// covered, and /streak says so (the streak is intact and answering today uses the freeze), not
// that it is broken. A second miss with no freeze left is broken.
func TestStreakCoveredMissEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	for day := range 7 {
		if day > 0 {
			e.clock.Advance(24 * time.Hour)
		}
		e.answerPrivately(ada, "SYN, SYN-ACK, ACK")
	}
	streak := func() string {
		t.Helper()
		return embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds)
	}
	if got := streak(); !strings.Contains(got, "**7** days in a row") || !strings.Contains(got, "freezes 1/2") || !strings.Contains(got, "7 days in a row earned a freeze") {
		t.Fatalf("/streak after 7 days = %s", got)
	}
	// 2026-03-12 is missed; on 2026-03-13 the freeze covers it.
	e.clock.Advance(48 * time.Hour)
	got := streak()
	if !strings.Contains(got, "**7** days in a row") || strings.Contains(got, "broken") ||
		!strings.Contains(got, "Today (2026-03-13): not answered yet; answering today uses 1 freeze.") {
		t.Fatalf("/streak the day after a covered miss = %s; want the streak intact and the freeze named", got)
	}
	e.answerPrivately(ada, "again")
	if got := streak(); !strings.Contains(got, "**8** days in a row") || !strings.Contains(got, "2026-03-12: missed, a freeze kept the streak at 7") || !strings.Contains(got, "freezes 0/2") {
		t.Fatalf("/streak after using the freeze = %s", got)
	}
	// Two more days missed with no freeze: broken.
	e.clock.Advance(72 * time.Hour)
	if got := streak(); !strings.Contains(got, "**0** days in a row") || !strings.Contains(got, "the streak is broken, 2 days were missed and 0 freezes held") {
		t.Fatalf("/streak after an uncovered miss = %s; want broken", got)
	}
}

// TestBankDisableEnableRemoveEndToEnd: /bank disable stops a question being asked here (and
// only here), enable brings it back, remove deletes a server's own question and refuses a
// shipped one.
func TestBankDisableEnableRemoveEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	bankCmd := func(g string, o discordtest.Opt) string {
		t.Helper()
		m := e.final(e.fake.Slash(g, channelA, mod, "bank", o))
		if m.Flags&64 == 0 {
			t.Fatalf("/bank %s reply is public: %q", o.Name, m.Content)
		}
		return m.Content + "\n" + embedText(m.Embeds)
	}
	if got := bankCmd(guildA, sub("disable", opt("id", "tcp-handshake"))); !strings.Contains(got, "tcp-handshake is disabled in this server") {
		t.Fatalf("disable = %q", got)
	}
	if got := bankCmd(guildA, sub("show", opt("id", "tcp-handshake"))); !strings.Contains(got, "**disabled**") {
		t.Fatalf("show after disable = %q", got)
	}
	if got := bankCmd(guildA, sub("disable", opt("id", "tcp-handshake"))); !strings.Contains(got, "already disabled") {
		t.Fatalf("second disable = %q", got)
	}
	if got := bankCmd(guildB, sub("show", opt("id", "tcp-handshake"))); strings.Contains(got, "disabled") {
		t.Fatalf("server A's disable reached server B: %q", got)
	}
	// A disabled question is never asked: every tcp question but it comes up first.
	list := bankCmd(guildA, sub("list", opt("topic", "tcp")))
	enabled := strings.Count(list, "`tcp-") - 1
	for range enabled {
		ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"), opt("private", true))
		if r := e.wait(ask); strings.Contains(embedText(r.Embeds), "tcp-handshake") {
			t.Fatalf("a disabled question was asked: %s", embedText(r.Embeds))
		}
	}
	if got := bankCmd(guildA, sub("enable", opt("id", "tcp-handshake"))); !strings.Contains(got, "tcp-handshake is enabled in this server") {
		t.Fatalf("enable = %q", got)
	}
	if got := bankCmd(guildA, sub("show", opt("id", "tcp-handshake"))); strings.Contains(got, "disabled") {
		t.Fatalf("show after enable = %q", got)
	}
	if got := bankCmd(guildA, sub("remove", opt("id", "tcp-handshake"))); !strings.Contains(got, "ships with the bot: it can be disabled here, not removed") {
		t.Fatalf("remove of a shipped question = %q", got)
	}
	if got := bankCmd(guildA, sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", topicFile(t, "tcp", validQuestion("tcp", "tcp-ours"))))); !strings.Contains(got, "Added tcp-ours") {
		t.Fatalf("add = %q", got)
	}
	if got := bankCmd(guildA, sub("remove", opt("id", "tcp-ours"))); !strings.Contains(got, "tcp-ours was removed") {
		t.Fatalf("remove = %q", got)
	}
	if got := bankCmd(guildA, sub("show", opt("id", "tcp-ours"))); !strings.Contains(got, "No question with id") {
		t.Fatalf("show after remove = %q", got)
	}
	if got := bankCmd(guildA, sub("history", opt("id", "tcp-ours"))); !strings.Contains(got, "v2 · remove") {
		t.Fatalf("history after remove = %q", got)
	}
	if got := bankCmd(guildA, sub("remove", opt("id", "no-such-question"))); !strings.Contains(got, "No question with id") {
		t.Fatalf("remove of an unknown id = %q", got)
	}
}

// TestLeaderboardEndToEnd: both boards, posted publicly, with mentions that ping no one.
func TestLeaderboardEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	empty := e.final(e.fake.Slash(guildA, channelA, ada, "leaderboard"))
	if !strings.Contains(embedText(empty.Embeds), "Nobody is on the board yet") {
		t.Fatalf("empty leaderboard = %s", embedText(empty.Embeds))
	}
	e.answerPrivately(ada, "one")
	e.clock.Advance(24 * time.Hour)
	e.answerPrivately(ada, "two")
	e.answerPrivately(bob, "一")
	e.answerPrivately(bob, "二")
	e.answerPrivately(bob, "三")

	board := e.final(e.fake.Slash(guildA, channelA, bob, "leaderboard"))
	if board.Flags&64 != 0 {
		t.Fatal("/leaderboard is private; want it posted for the channel")
	}
	if got := embedText(board.Embeds); !strings.Contains(got, "排行榜 · 当前连续天数") ||
		!strings.Contains(got, "**1.** <@"+ada.ID+"> · 2 天") || !strings.Contains(got, "**2.** <@"+bob.ID+"> · 1 天") {
		t.Fatalf("/leaderboard (streaks, zh-CN viewer) = %s", got)
	}
	month := e.final(e.fake.Slash(guildA, channelA, ada, "leaderboard", opt("board", "month")))
	if got := embedText(month.Embeds); !strings.Contains(got, "answers this month") ||
		!strings.Contains(got, "**1.** <@"+bob.ID+"> · 3 answers") || !strings.Contains(got, "**2.** <@"+ada.ID+"> · 2 answers") {
		t.Fatalf("/leaderboard board:month = %s", got)
	}
	if other := e.final(e.fake.Slash(guildB, channelB, ada, "leaderboard")); !strings.Contains(embedText(other.Embeds), "Nobody is on the board yet") {
		t.Fatalf("server B's board shows server A's members: %s", embedText(other.Embeds))
	}
	var am struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
	}
	if err := json.Unmarshal(board.AllowedMentions, &am); err != nil || am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 {
		t.Fatalf("leaderboard allowed_mentions = %s; want nobody pinged", board.AllowedMentions)
	}
}

// TestPrivacyEndToEnd: /privacy export sends the member's data as a JSON file; /privacy delete
// asks first, then erases it, and only it.
func TestPrivacyEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.startEnv([]string{"RATE_LIMITS", "export=10/1s:10/1s"}) // it exports more often than members may

	e.answerPrivately(ada, "ada's secret answer")
	e.answerPrivately(bob, "bob's answer")
	export := func(u discordtest.User) map[string]any {
		t.Helper()
		before := len(e.fake.Uploads())
		m := e.final(e.fake.Slash(guildA, channelA, u, "privacy", sub("export")))
		ups := e.fake.Uploads()[before:]
		if m.Flags&64 == 0 || len(ups) != 1 || ups[0].Name != "interviewbot-"+guildA+"-"+u.ID+".json" {
			t.Fatalf("/privacy export = %q flags %d, %d file(s); want one private JSON file", m.Content, m.Flags, len(ups))
		}
		var out map[string]any
		if err := json.Unmarshal(ups[0].Data, &out); err != nil {
			t.Fatalf("export is not JSON: %v\n%s", err, ups[0].Data)
		}
		return out
	}
	got := export(ada)
	raw, _ := json.Marshal(got)
	if !strings.Contains(string(raw), "ada's secret answer") || strings.Contains(string(raw), "bob's answer") {
		t.Fatalf("ada's export = %s; want her answer and nobody else's", raw)
	}

	ask := e.fake.Slash(guildA, channelA, ada, "privacy", sub("delete"))
	r := e.wait(ask)
	msg, _ := ask.Original()
	if r.Flags&64 == 0 || !strings.Contains(r.Content, "cannot be undone") {
		t.Fatalf("/privacy delete = %+v; want a private confirmation", r)
	}
	if again := export(ada); !strings.Contains(mustJSON(t, again), "ada's secret answer") {
		t.Fatal("/privacy delete erased data before the member confirmed")
	}
	done := e.wait(e.fake.Click(guildA, channelA, ada, msg.ID, customIDs(t, r.Components)["forget"]))
	if done.Type != 7 || !strings.Contains(done.Content, "was deleted") {
		t.Fatalf("confirm = type %d %q", done.Type, done.Content)
	}
	if after := mustJSON(t, export(ada)); strings.Contains(after, "ada's secret answer") {
		t.Fatalf("after delete, ada's export = %s", after)
	}
	if bobs := mustJSON(t, export(bob)); !strings.Contains(bobs, "bob's answer") {
		t.Fatalf("ada's delete touched bob's data: %s", bobs)
	}
	if st := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds); !strings.Contains(st, "No answers yet") {
		t.Fatalf("/streak after delete = %s", st)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSettingsEndToEnd: /settings timezone (autocompleted) moves where a member's days end;
// /settings language chooses the language of questions and replies.
func TestSettingsEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	// Autocomplete: city names and prefixes, at most 25, each a real zone.
	ac := e.wait(e.fake.Autocomplete(guildA, channelA, ada, "settings",
		discordtest.Opt{Name: "timezone", Type: 1, Options: []discordtest.Opt{{Name: "zone", Type: 3, Value: "toky", Focused: true}}}))
	if ac.Type != 8 || len(ac.Choices) == 0 || ac.Choices[0].Value != "Asia/Tokyo" {
		t.Fatalf("zone autocomplete for toky = type %d %+v; want Asia/Tokyo first", ac.Type, ac.Choices)
	}
	wide := e.wait(e.fake.Autocomplete(guildA, channelA, ada, "settings",
		discordtest.Opt{Name: "timezone", Type: 1, Options: []discordtest.Opt{{Name: "zone", Type: 3, Value: "a", Focused: true}}}))
	if len(wide.Choices) != 25 {
		t.Fatalf("zone autocomplete for a = %d choices; want 25", len(wide.Choices))
	}
	for _, c := range wide.Choices {
		if v, _ := c.Value.(string); v == "" || v != c.Name || func() error { _, err := time.LoadLocation(v); return err }() != nil {
			t.Errorf("autocomplete offered %+v; want a real zone named as itself", c)
		}
	}

	settings := func(u discordtest.User, o discordtest.Opt) string {
		t.Helper()
		m := e.final(e.fake.Slash(guildA, channelA, u, "settings", o))
		if m.Flags&64 == 0 {
			t.Fatalf("/settings %s reply is public", o.Name)
		}
		return m.Content
	}
	if got := settings(ada, sub("timezone", opt("zone", "Asia/Tokyo"))); got != "Your days are now counted in Asia/Tokyo." {
		t.Fatalf("/settings timezone = %q", got)
	}
	if got := settings(ada, sub("timezone", opt("zone", "Mars/Olympus"))); !strings.Contains(got, "Unknown time zone") {
		t.Fatalf("/settings timezone Mars/Olympus = %q", got)
	}
	// The clock is 2026-03-05 08:00 UTC = 17:00 in Tokyo; at 15:30 UTC it is already the 6th there.
	e.answerPrivately(ada, "in Tokyo")
	if st := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds); !strings.Contains(st, "Days end at midnight in Asia/Tokyo") || !strings.Contains(st, "2026-03-05: answered") {
		t.Fatalf("/streak in Tokyo = %s", st)
	}
	e.clock.Advance(7*time.Hour + 30*time.Minute)
	if st := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds); !strings.Contains(st, "Today (2026-03-06): not answered yet") {
		t.Fatalf("/streak at 00:30 in Tokyo = %s; want the next day", st)
	}
	// Without a value the setting is shown and kept: resetting takes an explicit server.
	if got := settings(ada, sub("timezone")); !strings.Contains(got, "Your days are counted in Asia/Tokyo, your own setting") || !strings.Contains(got, "`server`") {
		t.Fatalf("/settings timezone with no value = %q; want the zone and how to change it", got)
	}
	if st := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds); !strings.Contains(st, "Days end at midnight in Asia/Tokyo") {
		t.Fatalf("/streak after /settings timezone with no value = %s; want the zone kept", st)
	}
	if got := settings(ada, sub("timezone", opt("zone", "server"))); got != "Your days are now counted in the server's zone, UTC." {
		t.Fatalf("/settings timezone server = %q", got)
	}
	if st := embedText(e.final(e.fake.Slash(guildA, channelA, ada, "streak")).Embeds); !strings.Contains(st, "Days end at midnight in UTC") {
		t.Fatalf("/streak after reset = %s", st)
	}

	// Language: ada (en-US) chooses Chinese, then back to her client's language.
	if got := settings(ada, sub("language", opt("language", "zh"))); got != "题目以中文显示（你自己选择的）。用 `/设置 语言` 修改，或选择“自动（跟随客户端）”跟随你的 Discord 语言。" {
		t.Fatalf("/settings language zh = %q", got)
	}
	if got := settings(ada, sub("language")); !strings.HasPrefix(got, "题目以中文显示（你自己选择的）") {
		t.Fatalf("/settings language with no value = %q; want Chinese kept and shown", got)
	}
	ask := e.wait(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"), opt("private", true)))
	if !strings.Contains(embedText(ask.Embeds), "请") && !strings.Contains(embedText(ask.Embeds), "？") {
		t.Fatalf("question after choosing zh = %s; want Chinese", embedText(ask.Embeds))
	}
	if got := settings(ada, sub("language", opt("language", "auto"))); !strings.HasPrefix(got, "Questions are shown in English, your Discord language.") {
		t.Fatalf("/settings language auto = %q", got)
	}
	if got := settings(bob, sub("language", opt("language", "en"))); !strings.HasPrefix(got, "Questions are shown in English, your own choice.") {
		t.Fatalf("bob (zh-CN) /settings language en = %q", got)
	}
}

// TestTokensNeverLogged: with debug logs, failing callbacks and failing channel posts, neither
// an interaction token nor the bot token appears in the bot's output or in discordgo's log.
func TestTokensNeverLogged(t *testing.T) {
	const botToken = "MTIzNDU2Nzg5.bot-token-secret.abcdef"
	var stdlog bytes.Buffer
	log.SetOutput(&stdlog) // discordgo logs through the standard logger
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	e := newEnv(t, discordtest.WithToken(botToken))
	// After a failed callback the bot tries a follow-up, which Discord refuses too.
	e.fake.ExpectViolation("before the initial callback")
	b := e.startEnv([]string{"DISCORD_TOKEN", botToken})

	var tokens []string
	send := func(ix *discordtest.Interaction) *discordtest.Interaction {
		tokens = append(tokens, ix.Token)
		return ix
	}
	// Callbacks that fail: discordgo's errors quote the URL, which holds the token. One at a
	// time (settle), so that each fault meets the interaction it was meant for.
	e.fake.FailNext("POST /interactions/*/*/callback", 500, 1)
	send(e.fake.Slash(guildA, channelA, ada, "streak"))
	e.settle(b)
	e.fake.FailNext("POST /interactions/*/*/callback", 0, 1) // hang up: a network error
	send(e.fake.Slash(guildA, channelA, ada, "leaderboard"))
	e.settle(b)
	// A public question whose reveal post (sent with the bot token) is refused.
	ask := send(e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp")))
	e.wait(ask)
	e.settle(b)
	e.fake.FailNext("POST /channels/*/messages", 403, 1)
	e.clock.Advance(30 * time.Minute)
	b.app.runOnce(e.ctx)
	e.settle(b)
	b.stop()

	out := b.logs.String() + stdlog.String()
	for _, tok := range append(tokens, botToken, "bot-token-secret") {
		if strings.Contains(out, tok) {
			t.Errorf("the output contains a token %q:\n%s", tok, grepLines(out, tok))
		}
	}
	// The failures were logged, with the URL's token replaced.
	for _, want := range []string{`"command":"streak"`, `"msg":"reveal not posted"`, "/callback", "[token]"} {
		if !strings.Contains(out, want) {
			t.Errorf("the logs lack %s:\n%s", want, out)
		}
	}
}

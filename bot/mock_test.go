package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// idWith finds the custom id of a component of msg whose id starts with prefix
// ("v1:mgrade:" …) and ends with suffix.
func idWith(t *testing.T, msg discordtest.Message, prefix, suffix string) string {
	t.Helper()
	var rows []component
	for _, raw := range msg.Components {
		var row component
		if err := json.Unmarshal(raw, &row); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
	for _, row := range rows {
		for _, c := range row.Components {
			if strings.HasPrefix(c.CustomID, prefix) && strings.HasSuffix(c.CustomID, suffix) {
				return c.CustomID
			}
		}
	}
	t.Fatalf("no component %s…%s on message %s: %s", prefix, suffix, msg.ID, msg.Components)
	return ""
}

// mockDriver answers a private mock interview's message as one member.
type mockDriver struct {
	e       *env
	u       discordtest.User
	guild   string
	channel string
}

// answer opens the answer form from msg and submits text; it returns the message as updated.
func (d mockDriver) answer(msg discordtest.Message, text string) discordtest.Message {
	d.e.t.Helper()
	r := d.e.wait(d.e.fake.Click(d.guild, d.channel, d.u, msg.ID, idWith(d.e.t.(*testing.T), msg, "v1:mans:", "")))
	if r.Type != 9 {
		d.e.t.Fatalf("Answer = response type %d (%s); want the form", r.Type, r.Content)
	}
	return d.e.final(d.e.fake.SubmitModalOnMessage(d.guild, d.channel, d.u, msg.ID, r.ModalCustomID, map[string]string{"answer": text}))
}

func (d mockDriver) click(msg discordtest.Message, customID string) discordtest.Message {
	d.e.t.Helper()
	return d.e.final(d.e.fake.Click(d.guild, d.channel, d.u, msg.ID, customID))
}

// latestMock is the member's newest mock, read from the domain.
func latestMock(t *testing.T, b *bot, guild string, u discordtest.User) quiz.MockView {
	t.Helper()
	g, _ := quiz.ParseID(guild)
	id, _ := quiz.ParseID(u.ID)
	vs, err := b.app.domain.Mocks.History(context.Background(), quiz.Actor{Guild: quiz.GuildID(g), User: quiz.UserID(id)})
	if err != nil || len(vs) == 0 {
		t.Fatalf("History() = %v, %v", vs, err)
	}
	return vs[0]
}

// card reads a member's card of a question from the database.
func card(t *testing.T, b *bot, guild string, u discordtest.User, qid string) quiz.Card {
	t.Helper()
	g, _ := quiz.ParseID(guild)
	id, _ := quiz.ParseID(u.ID)
	var c quiz.Card
	err := b.app.store.View(context.Background(), func(tx quiz.Tx) error {
		var err error
		c, _, err = tx.Card(quiz.GuildID(g), quiz.UserID(id), qid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMockSoloEndToEnd runs a solo mock interview through the fake: three questions of rising
// level in one private message with the clock, a hint, a follow-up after an answer, the time
// running out (the scheduled check ends it and tells the member), the report with its
// checklist and grades, each graded question entering review, and /mock history. A member
// with a Chinese client gets it in Chinese; bad input is refused clearly.
func TestMockSoloEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	d := mockDriver{e: e, u: ada, guild: guildA, channel: channelA}

	bad := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", opt("topic", "nosuchtopic"))))
	if bad.Flags&64 == 0 || !strings.Contains(bad.Content, "nosuchtopic") {
		t.Fatalf("/mock start with an unknown topic = %+v; want a private refusal naming it", bad)
	}

	m := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", opt("topic", "tcp"), opt("minutes", 10))))
	text := embedText(m.Embeds)
	clock := fmt.Sprintf("<t:%d:R>", e.clock.Now().Add(10*time.Minute).Unix())
	if m.Flags&64 == 0 || !strings.Contains(text, "question 1/3 · junior · tcp") || !strings.Contains(text, clock) {
		t.Fatalf("/mock start = flags %d\n%s\nwant private, question 1/3 junior, clock %s", m.Flags, text, clock)
	}
	m = d.click(m, idWith(t, m, "v1:mhint:", ""))
	if !strings.Contains(embedText(m.Embeds), "Hints") {
		t.Fatalf("after Hint:\n%s", embedText(m.Embeds))
	}
	m = d.answer(m, "SYN, SYN+ACK, ACK; FIN and ACK each way.")
	if text := embedText(m.Embeds); !strings.Contains(text, "Follow-up:") || !strings.Contains(text, "question 1/3") {
		t.Fatalf("after answering question 1: want its follow-up\n%s", text)
	}
	m = d.answer(m, "TIME_WAIT lasts 2 MSL.")
	if text := embedText(m.Embeds); !strings.Contains(text, "question 2/3 · mid") || strings.Contains(text, "Follow-up:") {
		t.Fatalf("after the follow-up: want question 2\n%s", text)
	}
	e.clock.Advance(4 * time.Minute)
	m = d.answer(m, "Slow start, congestion avoidance.")
	if !strings.Contains(embedText(m.Embeds), "Follow-up:") {
		t.Fatalf("after answering question 2: want its follow-up\n%s", embedText(m.Embeds))
	}

	// The time runs out: the scheduled check ends the mock and tells the member.
	e.clock.Advance(10 * time.Minute)
	b.app.runOnce(e.ctx)
	if dms := e.fake.DMs(ada.ID); len(dms) != 1 || !strings.Contains(dms[0].Content, "Time is up") {
		t.Fatalf("DMs after the timeout = %+v", dms)
	}
	rep := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("resume")))
	text = embedText(rep.Embeds)
	if rep.Flags&64 == 0 || !strings.Contains(text, "Time ran out") || !strings.Contains(text, "pending") || !strings.Contains(text, "Key points") {
		t.Fatalf("report after the timeout:\n%s", text)
	}
	v := latestMock(t, b, guildA, ada)
	// The checklist: the key points the answer covered, then the grade.
	rep = e.final(e.fake.Select(guildA, channelA, ada, rep.ID, idWith(t, rep, "v1:mcheck:", ":0"), []string{"0", "1"}))
	if strings.Count(embedText(rep.Embeds), "✅") != 2 {
		t.Fatalf("after ticking two key points:\n%s", embedText(rep.Embeds))
	}
	rep = d.click(rep, idWith(t, rep, "v1:mgrade:", ":0.good"))
	if !strings.Contains(rep.Content, "Question 2") {
		t.Fatalf("after grading question 1: want question 2 to grade, got %q", rep.Content)
	}
	rep = d.click(rep, idWith(t, rep, "v1:mgrade:", ":1.hard"))
	text = embedText(rep.Embeds)
	if len(rep.Components) != 0 || strings.Contains(text, "pending") || !strings.Contains(text, "not answered") {
		t.Fatalf("graded report: %d component rows\n%s", len(rep.Components), text)
	}
	for k, want := range []quiz.Grade{quiz.Good, quiz.Hard} {
		c := card(t, b, guildA, ada, v.Mock.Steps[k].QuestionID)
		if c.LastGrade != want || c.Due.IsZero() {
			t.Errorf("card of question %d = %+v; want graded %s and due for review", k+1, c, want)
		}
	}
	if c := card(t, b, guildA, ada, v.Mock.Steps[2].QuestionID); !c.Due.IsZero() {
		t.Errorf("unanswered question 3 entered review: %+v", c)
	}
	hist := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("history")))
	if text := embedText(hist.Embeds); !strings.Contains(text, "1. ") || !strings.Contains(text, "tcp · solo") || strings.Contains(text, "pending") {
		t.Fatalf("/mock history:\n%s", text)
	}

	mockInChineseEndedAtOnce(t, e)
}

// mockInChineseEndedAtOnce: in Chinese, a mock ended before any answer has nothing to report.
func mockInChineseEndedAtOnce(t *testing.T, e *env) {
	zb := mockDriver{e: e, u: bob, guild: guildA, channel: channelA}
	zm := e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("start", opt("minutes", 5))))
	if text := embedText(zm.Embeds); !strings.Contains(text, "模拟面试 · 第 1/3 题") || !strings.Contains(text, "结束时间") {
		t.Fatalf("/mock start in Chinese:\n%s", text)
	}
	zm = zb.click(zm, idWith(t, zm, "v1:mend:", ""))
	if text := embedText(zm.Embeds); !strings.Contains(text, "没有报告") {
		t.Fatalf("ended at once, in Chinese:\n%s", text)
	}
	if again := e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("resume"))); !strings.Contains(again.Content, "没有进行中的模拟面试") {
		t.Fatalf("/mock resume after ending = %q", again.Content)
	}
}

// TestMockResumesAfterRestart: a restart in the middle of a mock loses nothing answered; the
// member resumes where it stopped, and the old message's buttons still work.
func TestMockResumesAfterRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.start()
	d := mockDriver{e: e, u: ada, guild: guildA, channel: channelA}
	m := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", opt("topic", "tcp"))))
	m = d.answer(m, "Three-way handshake: SYN, SYN+ACK, ACK.")
	followUp := embedText(m.Embeds)
	if !strings.Contains(followUp, "Follow-up:") {
		t.Fatalf("after answering: %s", followUp)
	}
	b.stop()
	b = e.start()

	conflict := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start")))
	if !strings.Contains(conflict.Content, "/mock resume") {
		t.Fatalf("/mock start with one in progress = %q", conflict.Content)
	}
	r := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("resume")))
	if got := embedText(r.Embeds); got != followUp {
		t.Fatalf("resumed after a restart:\n%s\nwant where it stopped:\n%s", got, followUp)
	}
	// The message from before the restart still works.
	m = d.answer(m, "TIME_WAIT keeps the 4-tuple for 2 MSL.")
	if !strings.Contains(embedText(m.Embeds), "question 2/3") {
		t.Fatalf("after the restart, answering the follow-up: %s", embedText(m.Embeds))
	}
	v := latestMock(t, b, guildA, ada)
	s := v.Mock.Steps[0]
	if s.Answer != "Three-way handshake: SYN, SYN+ACK, ACK." || len(s.FollowUpAnswers) != 1 {
		t.Fatalf("question 1 after the restart = %+v", s)
	}
}

// pairPerms are the bot's permissions for a pair mock: its thread, members and posts.
const pairPerms = discordtest.DefaultBotPermissions | discordtest.PermCreatePrivateThreads | discordtest.PermSendMessagesInThreads

func partnerOpt(u discordtest.User) discordtest.Opt {
	return discordtest.Opt{Name: "partner", Type: 6, Value: u.ID}
}

// TestMockPairInThread: /mock start partner:@bob opens a private thread for the two; the
// interviewer gets the script privately and reveals the questions; the candidate sees only the
// questions revealed and answers; either may end it; the report is shared in the thread, the
// interviewer scores it, and the candidate's cards enter review.
func TestMockPairInThread(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetBotPermissions(guildA, pairPerms)
	e.fake.AddMember(guildA, bob)
	b := e.start()
	ok := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", opt("topic", "tcp"), partnerOpt(bob))))
	threads := e.fake.Threads(channelA)
	if len(threads) != 1 || ok.Flags&64 == 0 || !strings.Contains(ok.Content, "<#"+threads[0]+">") {
		t.Fatalf("/mock start partner = %q; threads %v", ok.Content, threads)
	}
	th := threads[0]
	for _, rq := range e.fake.Requests() {
		if rq.Method == "POST" && strings.HasSuffix(rq.Path, "/threads") && !strings.Contains(string(rq.Body), `"invitable":false`) {
			t.Errorf("mock thread created with %s; want invitable false (only the two belong in it)", rq.Body)
		}
	}
	if got := e.fake.ThreadMembers(th); len(got) != 3 || !slices.Contains(got, ada.ID) || !slices.Contains(got, bob.ID) {
		t.Fatalf("thread members = %v", got)
	}
	posts := e.fake.Messages(th)
	if len(posts) != 1 || !strings.Contains(embedText(posts[0].Embeds), "Waiting for the interviewer") {
		t.Fatalf("thread posts = %+v", posts)
	}
	intro := posts[0]
	cand := mockDriver{e: e, u: ada, guild: guildA, channel: th}
	interviewer := mockDriver{e: e, u: bob, guild: guildA, channel: th}

	// Only the interviewer sees the script, privately; only they reveal.
	if r := cand.click(intro, idWith(t, intro, "v1:mscript:", "")); !strings.Contains(r.Content, "Only the interviewer") {
		t.Fatalf("candidate's Script = %q", r.Content)
	}
	if r := cand.click(intro, idWith(t, intro, "v1:mnext:", "")); !strings.Contains(r.Content, "Only the interviewer") {
		t.Fatalf("candidate's Next = %q", r.Content)
	}
	script := interviewer.click(intro, idWith(t, intro, "v1:mscript:", ""))
	v := latestMock(t, b, guildA, ada)
	if script.Flags&64 == 0 || strings.Count(embedText(script.Embeds), "参考答案") != 3 {
		t.Fatalf("interviewer's script (bob reads Chinese): flags %d\n%s", script.Flags, embedText(script.Embeds))
	}
	q1 := interviewer.click(intro, idWith(t, intro, "v1:mnext:", ""))
	if q1.Flags&64 != 0 || !strings.Contains(embedText(q1.Embeds), "question 1/3") || strings.Contains(embedText(q1.Embeds), "Reference answer") {
		t.Fatalf("revealed question 1 (public in the thread, no answer):\n%s", embedText(q1.Embeds))
	}
	ans := cand.answer(q1, "SYN, SYN+ACK, ACK.")
	if ans.Flags&64 != 0 || !strings.Contains(ans.Content, "SYN, SYN+ACK, ACK.") {
		t.Fatalf("candidate's answer in the thread = %+v", ans)
	}
	fu := interviewer.click(ans, idWith(t, ans, "v1:mnext:", ""))
	if !strings.Contains(embedText(fu.Embeds), "Follow-up:") {
		t.Fatalf("revealed follow-up:\n%s", embedText(fu.Embeds))
	}
	q2 := interviewer.click(fu, idWith(t, fu, "v1:mnext:", ""))
	if !strings.Contains(embedText(q2.Embeds), "question 2/3") {
		t.Fatalf("revealed question 2:\n%s", embedText(q2.Embeds))
	}
	// The candidate ends it: the report is shared in the thread.
	rep := cand.click(q2, idWith(t, q2, "v1:mend:", ""))
	if rep.Flags&64 != 0 || !strings.Contains(embedText(rep.Embeds), "ended early") {
		t.Fatalf("report in the thread:\n%s", embedText(rep.Embeds))
	}
	if r := cand.click(rep, idWith(t, rep, "v1:mgrade:", ":0.easy")); !strings.Contains(r.Content, "interviewer scores") {
		t.Fatalf("candidate grading = %q", r.Content)
	}
	rep = interviewer.click(rep, idWith(t, rep, "v1:mgrade:", ":0.good"))
	if len(rep.Components) != 0 || strings.Contains(embedText(rep.Embeds), "pending") {
		t.Fatalf("graded pair report:\n%s", embedText(rep.Embeds))
	}
	if c := card(t, b, guildA, ada, v.Mock.Steps[0].QuestionID); c.LastGrade != quiz.Good || c.Due.IsZero() {
		t.Errorf("candidate's card = %+v; want graded good", c)
	}
	if c := card(t, b, guildA, bob, v.Mock.Steps[0].QuestionID); !c.Due.IsZero() {
		t.Errorf("interviewer's card = %+v; want none", c)
	}
	if h := e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("history"))); !strings.Contains(embedText(h.Embeds), "作为面试官") {
		t.Fatalf("interviewer's /mock history:\n%s", embedText(h.Embeds))
	}
}

// TestMockPairRefusedWithoutThreadPermissions: without Create Private Threads and Send
// Messages in Threads, a pair mock is refused naming both, and nothing is started.
func TestMockPairRefusedWithoutThreadPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.AddMember(guildA, bob)
	e.start()
	r := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", partnerOpt(bob))))
	if r.Flags&64 == 0 || !strings.Contains(r.Content, "Create Private Threads") || !strings.Contains(r.Content, "Send Messages in Threads") || !strings.Contains(r.Content, "Nothing was started") {
		t.Fatalf("pair mock without thread permissions = %q", r.Content)
	}
	if th := e.fake.Threads(channelA); len(th) != 0 {
		t.Fatalf("threads = %v", th)
	}
	if again := e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("resume"))); !strings.Contains(again.Content, "no mock interview in progress") {
		t.Fatalf("/mock resume after the refusal = %q", again.Content)
	}
	// Only Create Private Threads granted: the other is still named.
	e.fake.SetBotPermissions(guildA, discordtest.DefaultBotPermissions|discordtest.PermCreatePrivateThreads)
	r = e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("start", partnerOpt(ada))))
	if !strings.Contains(r.Content, "Send Messages in Threads") || strings.Contains(r.Content, "Create Private Threads") {
		t.Fatalf("pair mock with half the permissions = %q", r.Content)
	}
}

// TestMockPairAbandoned: a pair nobody continues closes itself when its time is up: the
// scheduled check ends it and tells both members, and both are free for another.
func TestMockPairAbandoned(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetBotPermissions(guildA, pairPerms)
	e.fake.AddMember(guildA, bob)
	b := e.start()
	e.final(e.fake.Slash(guildA, channelA, ada, "mock", sub("start", partnerOpt(bob), opt("minutes", 5))))
	if busy := e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("start"))); !strings.Contains(busy.Content, "已有一场进行中的模拟面试") {
		t.Fatalf("the interviewer starting another = %q", busy.Content)
	}
	e.clock.Advance(5*time.Minute + quiz.MockGrace - time.Second)
	b.app.runOnce(e.ctx)
	if n := len(e.fake.DMs(ada.ID)); n != 0 {
		t.Fatalf("%d DMs before the time (and its grace) is up", n)
	}
	e.clock.Advance(time.Second)
	b.app.runOnce(e.ctx)
	b.app.runOnce(e.ctx)
	for _, u := range []discordtest.User{ada, bob} {
		if dms := e.fake.DMs(u.ID); len(dms) != 1 || !(strings.Contains(dms[0].Content, "time ran out") || strings.Contains(dms[0].Content, "时间用完")) {
			t.Errorf("DMs to %s = %+v; want one saying it ended", u.Username, dms)
		}
	}
	if v := latestMock(t, b, guildA, ada); v.Mock.State != quiz.MockAbandoned {
		t.Errorf("state = %s; want abandoned", v.Mock.State)
	}
	if r := e.final(e.fake.Slash(guildA, channelA, bob, "mock", sub("start", opt("topic", "tcp")))); r.Flags&64 == 0 || !strings.Contains(embedText(r.Embeds), "第 1/3 题") {
		t.Fatalf("bob's own mock after the abandoned pair = %q %s", r.Content, embedText(r.Embeds))
	}
}

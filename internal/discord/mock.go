package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// /mock: a solo mock runs in one private message that each step rewrites; a pair mock runs in
// a private thread the bot opens for the two, where each step is a new message both see, and
// where only the interviewer's own replies (the script) are private.

var (
	permCreatePrivateThreads = channelPerm{discordgo.PermissionCreatePrivateThreads, "Create Private Threads"}
	permManageRoles          = int64(discordgo.PermissionManageRoles)
)

// threadPerms are what a pair mock needs in the channel its thread opens under: the thread
// itself, adding the two members and posting in it (with embeds).
func threadPerms() []channelPerm {
	return []channelPerm{permViewChannel, permCreatePrivateThreads, permSendInThreads, permEmbedLinks}
}

func (b *Bot) startMock(ctx context.Context, r *responder, o opts) error {
	req := quiz.MockRequest{Topic: o.str("topic"), Partner: quiz.UserID(o.id("partner")), AsInterviewer: o.str("as") == "interviewer"}
	if n, ok := o.number("minutes"); ok {
		req.Minutes = int(n)
	}
	if req.Partner == 0 {
		v, err := b.mocks.Start(ctx, r.actor, req)
		if err != nil {
			return err
		}
		return r.reply(ctx, mockMessage(v, true))
	}
	if res := r.i.ApplicationCommandData().Resolved; res != nil {
		if u, ok := res.Users[req.Partner.String()]; ok && u.Bot {
			req.PartnerBot = true
		}
	}
	// Checked before anything is saved: the thread, its members and its posts.
	if b.isThread(r.i.ChannelID) {
		return quiz.Errorf(quiz.EINVALID, "Start a pair mock interview in a text channel, not in a thread: the bot opens a private thread for the two of you.")
	}
	if missing := missingPerms(r.i.AppPermissions, threadPerms()); len(missing) > 0 {
		return quiz.Errorf(quiz.EINVALID, "A pair mock interview needs a private thread, and the bot lacks %s in <#%s>. In the channel's settings → Permissions, allow them for the bot's role (or the bot), then try again. Nothing was started.",
			joinNames(missing), r.i.ChannelID)
	}
	v, err := b.mocks.Start(ctx, r.actor, req)
	if err != nil {
		return err
	}
	thread, err := b.openMockThread(ctx, r, v)
	if err != nil {
		if _, endErr := b.mocks.End(ctx, r.actor, v.Mock.ID); endErr != nil {
			b.log.Warn("could not end a mock whose thread failed", "mock_id", v.Mock.ID, "err", endErr)
		}
		return err
	}
	return r.reply(ctx, message{Content: tr(v.Lang, fmt.Sprintf("Your mock interview is ready in <#%s>. The interviewer presses Script to see the questions privately, then Next to ask the first one.", thread),
		fmt.Sprintf("模拟面试已在 <#%s> 中准备好。面试官按“脚本”私下查看题目，再按“下一步”提出第一题。", thread)), Ephemeral: true})
}

// openMockThread opens the private thread of a pair mock, adds the two members, records it and
// posts the mock's first message there. It returns the thread's id.
func (b *Bot) openMockThread(ctx context.Context, r *responder, v quiz.MockView) (string, error) {
	l := v.Mock.Lang
	name := truncate(fmt.Sprintf("%s #%d", tr(l, "Mock interview", "模拟面试"), v.Mock.ID), 100)
	if err := b.lim.wait(ctx); err != nil {
		return "", err
	}
	// Not invitable: only the two (and moderators) belong in it.
	th, err := b.s.ThreadStartComplex(r.i.ChannelID, &discordgo.ThreadStart{Name: name, Type: discordgo.ChannelTypeGuildPrivateThread,
		AutoArchiveDuration: 1440, Invitable: false}, discordgo.WithContext(ctx))
	if err != nil {
		return "", threadRefused(r.i.ChannelID, err)
	}
	for _, u := range []quiz.UserID{v.Mock.Candidate, v.Mock.Interviewer} {
		if err := b.lim.wait(ctx); err != nil {
			return "", err
		}
		if err := b.s.ThreadMemberAdd(th.ID, u.String(), discordgo.WithContext(ctx)); err != nil {
			return "", threadRefused(th.ID, err)
		}
	}
	if err := b.mocks.SetMockThread(ctx, r.actor, v.Mock.ID, quiz.ChannelID(parseSnowflake(th.ID))); err != nil {
		return "", err
	}
	v.Lang = l
	m := mockMessage(v, false)
	intro := tr(l, fmt.Sprintf("Mock interview: <@%d> interviews <@%d>. Either of you can end it.", v.Mock.Interviewer, v.Mock.Candidate),
		fmt.Sprintf("模拟面试：<@%d> 面试 <@%d>。任何一方都可以结束。", v.Mock.Interviewer, v.Mock.Candidate))
	send := &discordgo.MessageSend{Content: intro, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
	if _, err := b.post(ctx, quiz.ChannelID(parseSnowflake(th.ID)), send, ""); err != nil {
		return "", err
	}
	return th.ID, nil
}

// threadRefused turns Discord's refusal of a thread call into what the member sees; the
// permissions may have changed since the interaction's app_permissions.
func threadRefused(ch string, err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusForbidden {
		return quiz.Errorf(quiz.EFORBIDDEN, "Discord refused to open the private thread (403): the bot needs %s in <#%s>. Nothing was started.",
			joinNames([]string{permCreatePrivateThreads.name, permSendInThreads.name}), ch)
	}
	return fmt.Errorf("discord: mock thread: %w", err)
}

func (b *Bot) resumeMock(ctx context.Context, r *responder, _ opts) error {
	v, err := b.mocks.Resume(ctx, r.actor)
	if err != nil {
		return err
	}
	m := mockMessage(v, true)
	if v.Mock.Mode == quiz.MockPair && v.Mock.Thread != 0 {
		m.Content = tr(v.Lang, fmt.Sprintf("Your pair mock interview is in <#%d>.", v.Mock.Thread), fmt.Sprintf("你的双人模拟面试在 <#%d> 中。", v.Mock.Thread))
		m.Components = nil
	}
	return r.reply(ctx, m)
}

func (b *Bot) mockHistory(ctx context.Context, r *responder, _ opts) error {
	views, err := b.mocks.History(ctx, r.actor)
	if err != nil {
		return err
	}
	return r.reply(ctx, historyMessage(b.members.Lang(ctx, r.actor), views))
}

// inThread reports whether the interaction comes from v's pair thread: only there do its
// steps and report go to the channel (both members see them); anywhere else they stay private.
func inThread(r *responder, v quiz.MockView) bool {
	return v.Mock.Mode == quiz.MockPair && v.Mock.Thread != 0 && r.i.ChannelID == v.Mock.Thread.String()
}

// showMock answers a mock action. In its pair thread each step is a new message for both
// (update: rewrite the clicked message instead, for the report's checklist and grades);
// elsewhere the private message clicked is rewritten.
func (b *Bot) showMock(ctx context.Context, r *responder, v quiz.MockView, update bool) error {
	if inThread(r, v) {
		v.Lang = v.Mock.Lang
		m := mockMessage(v, false)
		if v.TimeUp {
			m.Content = quiz.ErrorMessageIn(quiz.Errorf(quiz.ECONFLICT, "Time is up: this mock interview has ended. Your report is ready."), v.Lang)
		}
		if update && r.i.Message != nil {
			return r.updateMessage(ctx, m)
		}
		return r.reply(ctx, m)
	}
	m := mockMessage(v, true)
	if v.TimeUp {
		m.Content = strings.TrimSpace(quiz.ErrorMessageIn(quiz.Errorf(quiz.ECONFLICT, "Time is up: this mock interview has ended. Your report is ready."), v.Lang) + "\n" + m.Content)
	}
	if r.i.Message != nil && !r.messagePublic() {
		return r.updateMessage(ctx, m)
	}
	return r.reply(ctx, m)
}

// mockDefer picks how a mock action defers: a new message in the pair thread, or an update of
// the private message clicked.
func mockDefer(r *responder) {
	if r.messagePublic() {
		r.setDefer(deferPublic)
	}
}

func (b *Bot) openMockAnswer(ctx context.Context, r *responder, c customID) error {
	v, err := b.mocks.Get(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	if v.Role != quiz.MockCandidate {
		return quiz.Errorf(quiz.EFORBIDDEN, "Only the candidate answers in a mock interview.")
	}
	if v.Report != nil || v.Current < 0 {
		return b.showMock(ctx, r, v, false)
	}
	return r.modal(ctx, mockAnswerModal(v))
}

func (b *Bot) submitMockAnswer(ctx context.Context, r *responder, c customID) error {
	mockDefer(r)
	v, err := b.mocks.Answer(ctx, r.actor, quiz.MockID(c.ID), formValues(r)["answer"])
	if err != nil {
		return err
	}
	if inThread(r, v) && v.Report == nil {
		// The interviewer moves on: show them (and the candidate) the answer given.
		m := mockMessage(quiz.MockView{Mock: v.Mock, Lang: v.Mock.Lang, Questions: v.Questions, Current: v.Current, Role: v.Role}, false)
		m.Content = truncate(fmt.Sprintf("**%s:** %s", tr(v.Mock.Lang, "Answer", "回答"), formValues(r)["answer"]), maxContent)
		return r.reply(ctx, m)
	}
	return b.showMock(ctx, r, v, false)
}

func (b *Bot) mockHint(ctx context.Context, r *responder, c customID) error {
	mockDefer(r)
	v, err := b.mocks.Hint(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	return b.showMock(ctx, r, v, false)
}

func (b *Bot) mockNext(ctx context.Context, r *responder, c customID) error {
	mockDefer(r)
	v, err := b.mocks.RevealNext(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	return b.showMock(ctx, r, v, false)
}

func (b *Bot) mockScript(ctx context.Context, r *responder, c customID) error {
	v, err := b.mocks.Get(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	if v.Role != quiz.MockInterviewer {
		return quiz.Errorf(quiz.EFORBIDDEN, "Only the interviewer sees the script.")
	}
	return r.reply(ctx, scriptMessage(v))
}

func (b *Bot) mockEnd(ctx context.Context, r *responder, c customID) error {
	before, err := b.mocks.Get(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	// Closing a report rewrites it; ending a running pair mock posts the report for both.
	closing := before.Report != nil
	if !closing {
		mockDefer(r)
	}
	v, err := b.mocks.End(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	return b.showMock(ctx, r, v, closing)
}

func (b *Bot) mockCheck(ctx context.Context, r *responder, c customID) error {
	step, _ := strconv.Atoi(c.Arg)
	var covered []int
	for _, s := range r.i.MessageComponentData().Values {
		n, err := strconv.Atoi(s)
		if err != nil {
			return quiz.Errorf(quiz.EINVALID, "Unknown mock interview action.")
		}
		covered = append(covered, n)
	}
	if covered == nil {
		covered = []int{} // ticked none: still a checklist
	}
	v, err := b.mocks.Check(ctx, r.actor, quiz.MockID(c.ID), step, covered)
	if err != nil {
		return err
	}
	return b.showMock(ctx, r, v, true)
}

func (b *Bot) mockGrade(ctx context.Context, r *responder, c customID) error {
	step, g, _ := parseStepGrade(c.Arg)
	v, err := b.mocks.Grade(ctx, r.actor, quiz.MockID(c.ID), step, g)
	if err != nil {
		return err
	}
	return b.showMock(ctx, r, v, true)
}

func (b *Bot) mockReport(ctx context.Context, r *responder, c customID) error {
	v, err := b.mocks.Get(ctx, r.actor, quiz.MockID(c.ID))
	if err != nil {
		return err
	}
	return r.reply(ctx, mockMessage(v, true))
}

// parseStepGrade reads a report grade button's arg, "<step>.<grade>".
func parseStepGrade(arg string) (int, quiz.Grade, bool) {
	s, gs, ok := strings.Cut(arg, ".")
	step, err := strconv.Atoi(s)
	if !ok || err != nil || step < 0 || step >= 16 {
		return 0, "", false
	}
	g, ok := quiz.ParseGrade(gs)
	return step, g, ok
}

func validStepGrade(arg string) bool { _, _, ok := parseStepGrade(arg); return ok }

func validStep(arg string) bool {
	n, err := strconv.Atoi(arg)
	return err == nil && n >= 0 && n < 16
}

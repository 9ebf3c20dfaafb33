package discord

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Rendering of mock interviews (pure): the question asked now with the visible clock, the
// interviewer's script, the report with its checklist and grades, and /mock history.

const colorMock = 0xEB459E

// mockAskedNow is what the candidate is asked now in step k: the question, or its latest
// follow-up; follow is true for a follow-up.
func mockAskedNow(v quiz.MockView, k int) (text string, follow bool) {
	s := v.Mock.Steps[k]
	if s.FollowUpsAsked > 0 && s.FollowUpsAsked <= len(s.FollowUps) {
		return s.FollowUps[s.FollowUpsAsked-1], true
	}
	return v.Questions[k].Prompt.In(v.Lang), false
}

// mockTitle is "Mock interview · question 2/3 · mid · tcp".
func mockTitle(v quiz.MockView, k int) string {
	l := v.Lang
	q := v.Questions[k]
	t := tr(l, fmt.Sprintf("Mock interview · question %d/%d", k+1, len(v.Mock.Steps)), fmt.Sprintf("模拟面试 · 第 %d/%d 题", k+1, len(v.Mock.Steps)))
	if q.Level != "" {
		t += " · " + levelLabel(l, q.Level)
	}
	if q.Topic != "" {
		t += " · " + q.Topic
	}
	return truncate(t, maxEmbedTitle)
}

// clockLine shows the time left as a Discord timestamp, which every client counts down itself.
func clockLine(v quiz.MockView) string {
	return fmt.Sprintf("⏱️ %s %s", tr(v.Lang, "Time is up", "结束时间"), relTime(v.Mock.Deadline))
}

// mockMessage is a mock as its viewer sees it now: the question asked (with the clock and the
// buttons of the viewer's part), a waiting note, or the report.
func mockMessage(v quiz.MockView, ephemeral bool) message {
	if v.Mock.State == quiz.MockAbandoned {
		text := tr(v.Lang, "This mock interview ended before any answer: there is nothing to report. Start another with /mock start.",
			"这场模拟面试在作答前就结束了，没有报告。用 /mock start 再开始一场。")
		return message{Embeds: []*discordgo.MessageEmbed{infoEmbed(tr(v.Lang, "Mock interview", "模拟面试"), text)}, Components: []discordgo.MessageComponent{}, Ephemeral: ephemeral}
	}
	if v.Report != nil {
		return reportMessage(v, ephemeral)
	}
	l := v.Lang
	id := uint64(v.Mock.ID)
	if v.Current < 0 {
		text := tr(l, "Waiting for the interviewer to reveal the first question.", "等待面试官公布第一道题。")
		e := infoEmbed(tr(l, "Mock interview", "模拟面试"), text+"\n"+clockLine(v))
		return message{Embeds: []*discordgo.MessageEmbed{e}, Components: mockButtons(v), Ephemeral: ephemeral}
	}
	asked, follow := mockAskedNow(v, v.Current)
	var b strings.Builder
	if follow {
		fmt.Fprintf(&b, "%s\n\n**%s:** %s", v.Questions[v.Current].Prompt.In(l), tr(l, "Follow-up", "追问"), asked)
	} else {
		b.WriteString(asked)
	}
	if len(v.Hints) > 0 {
		fmt.Fprintf(&b, "\n\n**%s**\n", tr(l, "Hints", "提示"))
		for _, h := range v.Hints {
			fmt.Fprintf(&b, "• %s\n", h)
		}
	}
	fmt.Fprintf(&b, "\n\n%s", clockLine(v))
	e := &discordgo.MessageEmbed{Title: mockTitle(v, v.Current), Description: truncate(b.String(), maxEmbedDesc), Color: colorMock,
		Footer: &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("mock %d", id)}}
	return message{Embeds: []*discordgo.MessageEmbed{e}, Components: mockButtons(v), Ephemeral: ephemeral}
}

// mockButtons are the buttons under a running mock: Answer and Hint alone; in a pair (one
// message in the thread for both) Answer for the candidate, Script, Next and Hint for the
// interviewer; End for either.
func mockButtons(v quiz.MockView) []discordgo.MessageComponent {
	l := v.Lang
	id := uint64(v.Mock.ID)
	var row []discordgo.MessageComponent
	if v.Mock.Mode == quiz.MockPair {
		if v.Current >= 0 {
			row = append(row, button(discordgo.PrimaryButton, tr(l, "Answer (candidate)", "作答（候选人）"), customID{Action: actMockAnswer, ID: id}))
		}
		row = append(row,
			button(discordgo.SecondaryButton, tr(l, "Script (interviewer)", "脚本（面试官）"), customID{Action: actMockScript, ID: id}),
			button(discordgo.SuccessButton, tr(l, "Next (interviewer)", "下一步（面试官）"), customID{Action: actMockNext, ID: id}))
	} else {
		row = append(row, button(discordgo.PrimaryButton, l.T("Answer"), customID{Action: actMockAnswer, ID: id}),
			button(discordgo.SecondaryButton, tr(l, "Hint", "提示"), customID{Action: actMockHint, ID: id}))
	}
	row = append(row, button(discordgo.DangerButton, tr(l, "End", "结束"), customID{Action: actMockEnd, ID: id}))
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// mockAnswerModal asks for the answer to what is asked now.
func mockAnswerModal(v quiz.MockView) *discordgo.InteractionResponseData {
	l := v.Lang
	asked := ""
	if v.Current >= 0 {
		asked, _ = mockAskedNow(v, v.Current)
	}
	return &discordgo.InteractionResponseData{
		CustomID: customID{Action: actMockSubmit, ID: uint64(v.Mock.ID)}.String(),
		Title:    truncate(tr(l, "Your answer", "你的回答"), maxModalTitle),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: "answer", Label: truncate(tr(l, "Your answer", "你的回答"), maxInputLabel), Style: discordgo.TextInputParagraph,
				Placeholder: truncate(asked, maxPlaceholder), Required: true, MinLength: 1, MaxLength: quiz.MaxAnswerText},
		}}},
	}
}

// scriptMessage is the interviewer's script, privately: every question with its key points,
// follow-ups and reference answer; the current one marked.
func scriptMessage(v quiz.MockView) message {
	l := v.Lang
	var es []*discordgo.MessageEmbed
	for k, q := range v.Questions {
		var b strings.Builder
		mark := ""
		if k == v.Current {
			mark = " ▶"
		}
		fmt.Fprintf(&b, "%s\n\n**%s**\n", q.Prompt.In(l), l.T("Key points"))
		for i, p := range q.KeyPoints.In(l) {
			fmt.Fprintf(&b, "%d. %s\n", i+1, p)
		}
		if fu := v.Mock.Steps[k].FollowUps; len(fu) > 0 {
			fmt.Fprintf(&b, "\n**%s**\n", tr(l, "Follow-ups", "追问"))
			for i, f := range fu {
				done := "⬜"
				if i < v.Mock.Steps[k].FollowUpsAsked {
					done = "✅"
				}
				fmt.Fprintf(&b, "%s %s\n", done, f)
			}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s", l.T("Reference answer"), shortAnswer(q, l))
		es = append(es, &discordgo.MessageEmbed{Title: truncate(mockTitle(v, k)+mark, maxEmbedTitle), Description: truncate(b.String(), maxEmbedDesc), Color: colorMock})
	}
	content := tr(l, "Your script: only you see it. Ask each question aloud or let the candidate read it when you press Next; Next also moves to the follow-ups and then the next question.",
		"你的脚本（只有你能看到）。按“下一步”公布问题，再按会依次进入追问和下一题。")
	return message{Content: content, Embeds: fitEmbeds(es, maxEmbedTotal), Ephemeral: true}
}

func verdictLabel(l quiz.Lang, v quiz.Verdict) string {
	switch v {
	case quiz.VerdictStrongHire:
		return tr(l, "Strong hire", "强烈推荐录用")
	case quiz.VerdictHire:
		return tr(l, "Hire", "推荐录用")
	case quiz.VerdictLeanNo:
		return tr(l, "Lean no hire", "倾向不录用")
	case quiz.VerdictNoHire:
		return tr(l, "No hire", "不录用")
	}
	return tr(l, "pending: tick each question's checklist or grade it", "待定：请勾选每道题的要点或评分")
}

func endLine(l quiz.Lang, m quiz.Mock) string {
	switch m.End {
	case quiz.MockEndTimeout:
		return tr(l, "Time ran out: thank you for your answers, here is how it went.", "时间到了：感谢你的回答，下面是本次面试的情况。")
	case quiz.MockEndStopped:
		return tr(l, "The interview was ended early.", "面试已提前结束。")
	}
	return tr(l, "Every question was answered.", "所有问题都已作答。")
}

// gradeFocus is the question the grader works on now: the first answered one not graded, -1
// when none (or the report can no longer be graded).
func gradeFocus(v quiz.MockView) int {
	if v.Report == nil || !v.Report.Gradable {
		return -1
	}
	for k, s := range v.Mock.Steps {
		if !s.AnsweredAt.IsZero() && s.Grade == "" {
			return k
		}
	}
	return -1
}

// reportMessage is the report: a summary (verdict, time, per question answered, time, hints
// and grade), then the question being graded with its answers and a checklist of its key
// points, or, once graded, each question's answers and key points.
func reportMessage(v quiz.MockView, ephemeral bool) message {
	l := v.Lang
	rep := v.Report
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n**%s:** %s", endLine(l, v.Mock), tr(l, "Verdict", "结论"), verdictLabel(l, rep.Verdict.Verdict))
	if rep.Verdict.Verdict != quiz.VerdictPending {
		fmt.Fprintf(&b, " (%d%%)", int(rep.Verdict.Score*100+0.5))
	}
	fmt.Fprintf(&b, "\n**%s:** %s\n", tr(l, "Time taken", "用时"), rep.Took.Round(time.Second))
	for _, sr := range rep.Steps {
		s := v.Mock.Steps[sr.Step]
		state := tr(l, "not answered", "未作答")
		if sr.Answered {
			state = fmt.Sprintf("%s, %s, %d %s", tr(l, "answered", "已作答"), sr.Took.Round(time.Second), s.Hints, tr(l, "hints", "个提示"))
		}
		if s.Grade != "" {
			state += " · " + l.T(gradeName(s.Grade))
		}
		fmt.Fprintf(&b, "%d. %s — %s\n", sr.Step+1, truncate(v.Questions[sr.Step].Prompt.In(l), 80), state)
	}
	es := []*discordgo.MessageEmbed{{Title: tr(l, "Mock interview report", "模拟面试报告"), Description: truncate(b.String(), maxEmbedDesc), Color: colorMock,
		Footer: &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("mock %d", v.Mock.ID)}}}
	focus := gradeFocus(v)
	for k := range v.Mock.Steps {
		if focus < 0 || k == focus {
			es = append(es, stepReportEmbed(v, k))
		}
	}
	m := message{Embeds: fitEmbeds(es, maxEmbedTotal), Components: []discordgo.MessageComponent{}, Ephemeral: ephemeral}
	if focus >= 0 {
		m.Content = tr(l, fmt.Sprintf("Question %d: tick the key points the answer covered, then grade it; it enters your spaced review with that grade.", focus+1),
			fmt.Sprintf("第 %d 题：勾选回答覆盖的要点，然后评分；它会按这个评分进入间隔复习。", focus+1))
		m.Components = reportComponents(v, focus)
	}
	return m
}

func gradeName(g quiz.Grade) string { return strings.ToUpper(string(g[:1])) + string(g[1:]) }

// stepReportEmbed is question k of the report: the answers, the key points ticked or not, and
// the reference answer.
func stepReportEmbed(v quiz.MockView, k int) *discordgo.MessageEmbed {
	l := v.Lang
	s, q := v.Mock.Steps[k], v.Questions[k]
	var b strings.Builder
	ans := s.Answer
	if ans == "" && !s.AnsweredAt.IsZero() {
		ans = tr(l, "(answered aloud)", "（口头作答）")
	}
	if ans == "" {
		ans = tr(l, "(no answer)", "（未作答）")
	}
	fmt.Fprintf(&b, "**%s**\n%s\n", tr(l, "Answer", "回答"), truncate(ans, 600))
	for i, f := range s.FollowUps[:min(s.FollowUpsAsked, len(s.FollowUps))] {
		a := ""
		if i < len(s.FollowUpAnswers) {
			a = s.FollowUpAnswers[i]
		}
		fmt.Fprintf(&b, "**%s:** %s\n> %s\n", tr(l, "Follow-up", "追问"), f, truncate(cmpOr(strings.TrimSpace(a), "—"), 300))
	}
	fmt.Fprintf(&b, "\n**%s**\n", l.T("Key points"))
	for i, p := range q.KeyPoints.In(l) {
		box := "⬜"
		if slices.Contains(s.Covered, i) {
			box = "✅"
		}
		fmt.Fprintf(&b, "%s %d. %s\n", box, i+1, p)
	}
	fmt.Fprintf(&b, "\n**%s**\n%s", l.T("Reference answer"), shortAnswer(q, l))
	return &discordgo.MessageEmbed{Title: mockTitle(v, k), Description: truncate(b.String(), maxEmbedDesc), Color: colorAnswer}
}

// reportComponents are the checklist (a multi-select of the key points) and the grade buttons
// for question k, and a button that closes the report without grading the rest.
func reportComponents(v quiz.MockView, k int) []discordgo.MessageComponent {
	l := v.Lang
	id := uint64(v.Mock.ID)
	var rows []discordgo.MessageComponent
	if pts := v.Questions[k].KeyPoints.In(l); len(pts) > 0 {
		var options []discordgo.SelectMenuOption
		for i, p := range pts[:min(len(pts), 25)] {
			options = append(options, discordgo.SelectMenuOption{Label: truncate(fmt.Sprintf("%d. %s", i+1, p), 100), Value: strconv.Itoa(i),
				Default: slices.Contains(v.Mock.Steps[k].Covered, i)})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: customID{Action: actMockCheck, ID: id, Arg: strconv.Itoa(k)}.String(),
			Placeholder: truncate(tr(l, "Key points the answer covered", "回答覆盖的要点"), maxPlaceholder), MinValues: ptr(0), MaxValues: len(options), Options: options,
		}}})
	}
	var grades []discordgo.MessageComponent
	styles := map[quiz.Grade]discordgo.ButtonStyle{quiz.Again: discordgo.DangerButton, quiz.Hard: discordgo.SecondaryButton,
		quiz.Good: discordgo.SuccessButton, quiz.Easy: discordgo.PrimaryButton}
	for _, g := range quiz.Grades {
		label := l.T(gradeName(g))
		if g == v.Mock.Steps[k].Suggested {
			label += " ★"
		}
		grades = append(grades, button(styles[g], label, customID{Action: actMockGrade, ID: id, Arg: strconv.Itoa(k) + "." + string(g)}))
	}
	rows = append(rows, discordgo.ActionsRow{Components: grades},
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.SecondaryButton, tr(l, "Close the report", "关闭报告"), customID{Action: actMockEnd, ID: id})}})
	return rows
}

// historyMessage lists the viewer's last mocks, newest first, each with its verdict.
func historyMessage(l quiz.Lang, views []quiz.MockView) message {
	if len(views) == 0 {
		return message{Content: tr(l, "You have no mock interviews yet. Start one with /mock start.", "你还没有模拟面试记录。用 /mock start 开始一场。"), Ephemeral: true}
	}
	var b strings.Builder
	var buttons []discordgo.MessageComponent
	for i, v := range views {
		m := v.Mock
		state := tr(l, "in progress", "进行中")
		switch {
		case m.State == quiz.MockAbandoned:
			state = tr(l, "ended without answers", "无作答结束")
		case v.Report != nil:
			state = verdictLabel(l, v.Report.Verdict.Verdict)
		}
		part := tr(l, "solo", "单人")
		if m.Mode == quiz.MockPair {
			part = tr(l, "as candidate", "作为候选人")
			if v.Role == quiz.MockInterviewer {
				part = tr(l, "as interviewer", "作为面试官")
			}
		}
		topic := cmpOr(m.Topic, tr(l, "weakest topics", "薄弱主题"))
		fmt.Fprintf(&b, "%d. <t:%d:d> · %s · %s · %s\n", i+1, m.CreatedAt.Unix(), topic, part, state)
		if v.Report != nil && len(buttons) < 10 {
			buttons = append(buttons, button(discordgo.SecondaryButton, fmt.Sprintf("%s %d", tr(l, "Report", "报告"), i+1), customID{Action: actMockReport, ID: uint64(m.ID)}))
		}
	}
	m := message{Embeds: []*discordgo.MessageEmbed{infoEmbed(tr(l, "Your mock interviews", "你的模拟面试"), b.String())}, Ephemeral: true}
	for len(buttons) > 0 {
		n := min(len(buttons), 5)
		m.Components = append(m.Components, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	return m
}

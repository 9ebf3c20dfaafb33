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
	t := l.Msg("mock.question_title", k+1, len(v.Mock.Steps))
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
	return fmt.Sprintf("⏱️ %s %s", v.Lang.Msg("mock.time_is_up"), relTime(v.Mock.Deadline))
}

// mockMessage is a mock as its viewer sees it now: the question asked (with the clock and the
// buttons of the viewer's part), a waiting note, or the report.
func mockMessage(v quiz.MockView, ephemeral bool) message {
	if v.Mock.State == quiz.MockAbandoned {
		text := v.Lang.Msg("mock.this_mock_interview_ended_before")
		return message{Embeds: []*discordgo.MessageEmbed{infoEmbed(v.Lang.Msg("mock.mock_interview"), text)}, Components: []discordgo.MessageComponent{}, Ephemeral: ephemeral}
	}
	if v.Report != nil {
		return reportMessage(v, ephemeral)
	}
	l := v.Lang
	id := uint64(v.Mock.ID)
	if v.Current < 0 {
		text := l.Msg("mock.waiting_for_the_interviewer_to")
		e := infoEmbed(l.Msg("mock.mock_interview"), text+"\n"+clockLine(v))
		return message{Embeds: []*discordgo.MessageEmbed{e}, Components: mockButtons(v), Ephemeral: ephemeral}
	}
	asked, follow := mockAskedNow(v, v.Current)
	var b strings.Builder
	if follow {
		fmt.Fprintf(&b, "%s\n\n**%s:** %s", v.Questions[v.Current].Prompt.In(l), l.Msg("mock.follow_up"), asked)
	} else {
		b.WriteString(asked)
	}
	if len(v.Hints) > 0 {
		fmt.Fprintf(&b, "\n\n**%s**\n", l.Msg("mock.hints"))
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
			row = append(row, button(discordgo.PrimaryButton, l.Msg("mock.answer_candidate"), customID{Action: actMockAnswer, ID: id}))
		}
		row = append(row,
			button(discordgo.SecondaryButton, l.Msg("mock.script_interviewer"), customID{Action: actMockScript, ID: id}),
			button(discordgo.SuccessButton, l.Msg("mock.next_interviewer"), customID{Action: actMockNext, ID: id}))
	} else {
		row = append(row, button(discordgo.PrimaryButton, l.Msg("label.answer"), customID{Action: actMockAnswer, ID: id}),
			button(discordgo.SecondaryButton, l.Msg("mock.hint"), customID{Action: actMockHint, ID: id}))
	}
	row = append(row, button(discordgo.DangerButton, l.Msg("mock.end"), customID{Action: actMockEnd, ID: id}))
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
		Title:    truncate(l.Msg("label.your_answer"), maxModalTitle),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: "answer", Label: truncate(l.Msg("label.your_answer"), maxInputLabel), Style: discordgo.TextInputParagraph,
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
		fmt.Fprintf(&b, "%s\n\n**%s**\n", q.Prompt.In(l), l.Msg("label.key_points"))
		for i, p := range q.KeyPoints.In(l) {
			fmt.Fprintf(&b, "%d. %s\n", i+1, p)
		}
		if fu := v.Mock.Steps[k].FollowUps; len(fu) > 0 {
			fmt.Fprintf(&b, "\n**%s**\n", l.Msg("mock.follow_ups"))
			for i, f := range fu {
				done := "⬜"
				if i < v.Mock.Steps[k].FollowUpsAsked {
					done = "✅"
				}
				fmt.Fprintf(&b, "%s %s\n", done, f)
			}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s", l.Msg("label.reference_answer"), shortAnswer(q, l))
		es = append(es, &discordgo.MessageEmbed{Title: truncate(mockTitle(v, k)+mark, maxEmbedTitle), Description: truncate(b.String(), maxEmbedDesc), Color: colorMock})
	}
	content := l.Msg("mock.your_script_only_you_see")
	return message{Content: content, Embeds: fitEmbeds(es, maxEmbedTotal), Ephemeral: true}
}

func endLine(l quiz.Lang, m quiz.Mock) string {
	switch m.End {
	case quiz.MockEndTimeout:
		return l.Msg("mock.time_ran_out_thank_you")
	case quiz.MockEndStopped:
		return l.Msg("mock.the_interview_was_ended_early")
	}
	return l.Msg("mock.every_question_was_answered")
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
	fmt.Fprintf(&b, "%s\n\n**%s:** %s", endLine(l, v.Mock), l.Msg("mock.verdict"), rep.Verdict.Verdict.Label(l))
	if rep.Verdict.Verdict != quiz.VerdictPending {
		fmt.Fprintf(&b, " (%d%%)", int(rep.Verdict.Score*100+0.5))
	}
	fmt.Fprintf(&b, "\n**%s:** %s\n", l.Msg("mock.time_taken"), rep.Took.Round(time.Second))
	for _, sr := range rep.Steps {
		s := v.Mock.Steps[sr.Step]
		state := l.Msg("mock.not_answered")
		if sr.Answered {
			state = fmt.Sprintf("%s, %s, %d %s", l.Msg("mock.answered"), sr.Took.Round(time.Second), s.Hints, l.Msg("mock.hints_2"))
		}
		if s.Grade != "" {
			state += " · " + l.Msg(s.Grade.Label())
		}
		fmt.Fprintf(&b, "%d. %s — %s\n", sr.Step+1, truncate(v.Questions[sr.Step].Prompt.In(l), 80), state)
	}
	es := []*discordgo.MessageEmbed{{Title: l.Msg("mock.mock_interview_report"), Description: truncate(b.String(), maxEmbedDesc), Color: colorMock,
		Footer: &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("mock %d", v.Mock.ID)}}}
	focus := gradeFocus(v)
	for k := range v.Mock.Steps {
		if focus < 0 || k == focus {
			es = append(es, stepReportEmbed(v, k))
		}
	}
	m := message{Embeds: fitEmbeds(es, maxEmbedTotal), Components: []discordgo.MessageComponent{}, Ephemeral: ephemeral}
	if focus >= 0 {
		m.Content = l.Msg("mock.grade_focus", focus+1)
		m.Components = reportComponents(v, focus)
	}
	return m
}

// stepReportEmbed is question k of the report: the answers, the key points ticked or not, and
// the reference answer.
func stepReportEmbed(v quiz.MockView, k int) *discordgo.MessageEmbed {
	l := v.Lang
	s, q := v.Mock.Steps[k], v.Questions[k]
	var b strings.Builder
	ans := s.Answer
	if ans == "" && !s.AnsweredAt.IsZero() {
		ans = l.Msg("mock.answered_aloud")
	}
	if ans == "" {
		ans = l.Msg("mock.no_answer")
	}
	fmt.Fprintf(&b, "**%s**\n%s\n", l.Msg("mock.answer"), truncate(ans, 600))
	for i, f := range s.FollowUps[:min(s.FollowUpsAsked, len(s.FollowUps))] {
		a := ""
		if i < len(s.FollowUpAnswers) {
			a = s.FollowUpAnswers[i]
		}
		fmt.Fprintf(&b, "**%s:** %s\n> %s\n", l.Msg("mock.follow_up"), f, truncate(cmpOr(strings.TrimSpace(a), "—"), 300))
	}
	fmt.Fprintf(&b, "\n**%s**\n", l.Msg("label.key_points"))
	for i, p := range q.KeyPoints.In(l) {
		box := "⬜"
		if slices.Contains(s.Covered, i) {
			box = "✅"
		}
		fmt.Fprintf(&b, "%s %d. %s\n", box, i+1, p)
	}
	fmt.Fprintf(&b, "\n**%s**\n%s", l.Msg("label.reference_answer"), shortAnswer(q, l))
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
			Placeholder: truncate(l.Msg("mock.key_points_the_answer_covered"), maxPlaceholder), MinValues: ptr(0), MaxValues: len(options), Options: options,
		}}})
	}
	var grades []discordgo.MessageComponent
	styles := map[quiz.Grade]discordgo.ButtonStyle{quiz.Again: discordgo.DangerButton, quiz.Hard: discordgo.SecondaryButton,
		quiz.Good: discordgo.SuccessButton, quiz.Easy: discordgo.PrimaryButton}
	for _, g := range quiz.Grades {
		label := l.Msg(g.Label())
		if g == v.Mock.Steps[k].Suggested {
			label += " ★"
		}
		grades = append(grades, button(styles[g], label, customID{Action: actMockGrade, ID: id, Arg: strconv.Itoa(k) + "." + string(g)}))
	}
	rows = append(rows, discordgo.ActionsRow{Components: grades},
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.SecondaryButton, l.Msg("mock.close_the_report"), customID{Action: actMockEnd, ID: id})}})
	return rows
}

// historyMessage lists the viewer's last mocks, newest first, each with its verdict.
func historyMessage(l quiz.Lang, views []quiz.MockView) message {
	if len(views) == 0 {
		return message{Content: l.Msg("mock.you_have_no_mock_interviews"), Ephemeral: true}
	}
	var b strings.Builder
	var buttons []discordgo.MessageComponent
	for i, v := range views {
		m := v.Mock
		state := l.Msg("mock.in_progress")
		switch {
		case m.State == quiz.MockAbandoned:
			state = l.Msg("mock.ended_without_answers")
		case v.Report != nil:
			state = v.Report.Verdict.Verdict.Label(l)
		}
		part := l.Msg("mock.solo")
		if m.Mode == quiz.MockPair {
			part = l.Msg("mock.as_candidate")
			if v.Role == quiz.MockInterviewer {
				part = l.Msg("mock.as_interviewer")
			}
		}
		topic := cmpOr(m.Topic, l.Msg("mock.weakest_topics"))
		fmt.Fprintf(&b, "%d. <t:%d:d> · %s · %s · %s\n", i+1, m.CreatedAt.Unix(), topic, part, state)
		if v.Report != nil && len(buttons) < 10 {
			buttons = append(buttons, button(discordgo.SecondaryButton, fmt.Sprintf("%s %d", l.Msg("mock.report"), i+1), customID{Action: actMockReport, ID: uint64(m.ID)}))
		}
	}
	m := message{Embeds: []*discordgo.MessageEmbed{infoEmbed(l.Msg("mock.your_mock_interviews"), b.String())}, Ephemeral: true}
	for len(buttons) > 0 {
		n := min(len(buttons), 5)
		m.Components = append(m.Components, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	return m
}

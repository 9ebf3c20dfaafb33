package discord

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Limits of a string select (discord-limits.md): option labels, values and descriptions.
const (
	maxOptionLabel = 100
	maxOptionDesc  = 100
	maxOptions     = 25
	maxSelectHint  = 150 // placeholder
)

// progressFile is the name /progress uploads its picture under; the embed shows it through
// attachment://progressFile.
const progressFile = "progress.png"

func gradeText(l quiz.Lang, g quiz.Grade) string {
	return l.T(strings.ToUpper(string(g[:1])) + string(g[1:]))
}

// gradeRow is the grade buttons, each labelled with where it leads ("Good · 4d") when iv says;
// the suggested grade, if any, is the highlighted "Accept" button.
func gradeRow(l quiz.Lang, sid quiz.SessionID, iv map[quiz.Grade]time.Duration, suggested quiz.Grade) discordgo.ActionsRow {
	styles := map[quiz.Grade]discordgo.ButtonStyle{quiz.Again: discordgo.DangerButton, quiz.Hard: discordgo.SecondaryButton,
		quiz.Good: discordgo.SuccessButton, quiz.Easy: discordgo.PrimaryButton}
	var row []discordgo.MessageComponent
	for _, g := range quiz.Grades {
		label, style := gradeText(l, g), styles[g]
		if d, ok := iv[g]; ok {
			label += " · " + l.Interval(d)
		}
		if suggested != "" {
			style = discordgo.SecondaryButton
			if g == suggested {
				label, style = "✓ "+tr(l, "Accept: ", "采纳：")+label, discordgo.SuccessButton
			}
		}
		row = append(row, button(style, label, customID{Action: actGrade, ID: uint64(sid), Arg: string(g)}))
	}
	return discordgo.ActionsRow{Components: row}
}

// checklistRow is the multi-select of the key points an answer covered, numbered as the key
// points embed numbers them. A key point may be 200 characters, twice an option label: the
// label carries its start and the description the rest (the embed has it whole).
func checklistRow(l quiz.Lang, q quiz.Question, sid quiz.SessionID, ticked []int) (discordgo.ActionsRow, bool) {
	points := q.KeyPoints.In(l)
	n := min(len(points), maxOptions)
	if n == 0 {
		return discordgo.ActionsRow{}, false
	}
	opts := make([]discordgo.SelectMenuOption, n)
	for i, p := range points[:n] {
		label, desc := splitOption(fmt.Sprintf("%d. %s", i+1, p))
		opts[i] = discordgo.SelectMenuOption{Label: label, Description: desc, Value: strconv.Itoa(i), Default: slices.Contains(ticked, i)}
	}
	menu := discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: customID{Action: actCheck, ID: uint64(sid)}.String(),
		Placeholder: truncate(tr(l, "Tick the key points your answer covered", "勾选你的回答覆盖了哪些要点"), maxSelectHint),
		MinValues:   ptr(0), MaxValues: n, Options: opts}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}}, true
}

// splitOption cuts text into an option label and, for what does not fit, a description.
func splitOption(text string) (label, desc string) {
	r := []rune(text)
	if len(r) <= maxOptionLabel {
		return text, ""
	}
	return string(r[:maxOptionLabel-1]) + "…", truncate("…"+string(r[maxOptionLabel-1:]), maxOptionDesc)
}

// hintsLine says how many key points were taken as hints, shown with the reference answer.
func hintsLine(l quiz.Lang, hints int) string {
	switch {
	case hints <= 0:
		return ""
	case hints == 1:
		return tr(l, "💡 You took 1 hint: key point 1.", "💡 你用了 1 次提示：要点 1。")
	}
	return fmt.Sprintf(tr(l, "💡 You took %d hints: key points 1–%d.", "💡 你用了 %d 次提示：要点 1–%d。"), hints, hints)
}

// answerComponents are the checklist (when the question has key points) over the grade buttons.
func answerComponents(l quiz.Lang, q quiz.Question, sid quiz.SessionID, iv map[quiz.Grade]time.Duration, ticked []int, suggested quiz.Grade) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	if row, ok := checklistRow(l, q, sid, ticked); ok {
		rows = append(rows, row)
	}
	return append(rows, gradeRow(l, sid, iv, suggested))
}

// suggestionMessage rewrites the private answer message after the checklist: the suggested
// grade and why, the ticks kept, the suggested grade's button to accept it.
func suggestionMessage(s quiz.Suggestion, q quiz.Question, sid quiz.SessionID, iv map[quiz.Grade]time.Duration, embeds []*discordgo.MessageEmbed) message {
	l := s.Lang
	lines := []string{}
	if h := hintsLine(l, s.Hints); h != "" {
		lines = append(lines, h)
	}
	lines = append(lines, fmt.Sprintf(tr(l, "**Suggested grade: %s.** %s", "**建议评分：%s。** %s"), gradeText(l, s.Grade), s.Reason),
		tr(l, "Accept it, or pick another grade.", "采纳它，或选择其他评分。"))
	return message{Content: truncate(strings.Join(lines, "\n"), maxContent), Embeds: embeds,
		Components: answerComponents(l, q, sid, iv, s.Covered, s.Grade), Ephemeral: true}
}

// hintMessage shows the key points taken as hints so far, privately, with the way on: Answer,
// and another Hint while one is left.
func hintMessage(h quiz.HintResult) message {
	l := h.Lang
	var b strings.Builder
	for i, p := range h.Points {
		fmt.Fprintf(&b, "%d. %s\n", i+1, p)
	}
	title := fmt.Sprintf(tr(l, "Hint %d · %s", "提示 %d · %s"), h.Hints, h.Question.ID)
	note := tr(l, "That was the last hint: the last key point is yours to find. Each hint lowers the suggested grade a little.",
		"这是最后一次提示：最后一个要点要靠你自己。每次提示都会让建议评分略降。")
	sid := uint64(h.Session.ID)
	row := []discordgo.MessageComponent{button(discordgo.PrimaryButton, l.T("Answer"), customID{Action: actAnswer, ID: sid})}
	if h.Left > 0 {
		note = tr(l, quiz.Count(l, h.Left, "more hint", "more hints", "")+" available. Each hint lowers the suggested grade a little.",
			fmt.Sprintf("还可以再提示 %d 次。每次提示都会让建议评分略降。", h.Left))
		row = append(row, button(discordgo.SecondaryButton, tr(l, "Another hint", "再提示一次"), customID{Action: actHint, ID: sid}))
	}
	return message{Content: note, Embeds: []*discordgo.MessageEmbed{infoEmbed(title, b.String())},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}, Ephemeral: true}
}

// progressMessage is /progress: the picture inside the embed (attachment://), the same facts
// as text for screen readers and Chinese labels, and a button to practise the weakest topic.
func progressMessage(p quiz.Progress, text string, png []byte) message {
	l := p.Lang
	title := tr(l, "Progress", "进度")
	if p.Name != "" {
		title += " · " + p.Name
	}
	e := infoEmbed(title, text)
	e.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + progressFile}
	return message{Embeds: fitEmbeds([]*discordgo.MessageEmbed{e}, maxEmbedTotal), Ephemeral: true,
		Files: []*discordgo.File{{Name: progressFile, ContentType: "image/png", Reader: bytes.NewReader(png)}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.PrimaryButton, tr(l, "Practise weak topics", "练习薄弱主题"), customID{Action: actWeak}),
		}}}}
}

// retentionSet confirms /settings retention.
func retentionSet(l quiz.Lang, v float64) string {
	return fmt.Sprintf(tr(l, "Your reviews are now scheduled for about %d%% recall: higher means more reviews, lower means fewer reviews and more forgetting.",
		"你的复习现在按约 %d%% 的记忆率安排：越高复习越多，越低复习越少、忘得越多。"), int(math.Round(v*100)))
}

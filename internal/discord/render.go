package discord

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Discord's limits (see discord-limits.md) that rendering must respect.
const (
	maxContent      = 2000
	maxEmbedDesc    = 4096
	maxEmbedTitle   = 256
	maxFieldValue   = 1024
	maxEmbedTotal   = 6000
	maxFooter       = 2048
	maxModalTitle   = 45
	maxInputLabel   = 45
	maxPlaceholder  = 100
	maxChoiceName   = 100
	maxAutocomplete = 25
	colorQuestion   = 0x5865F2
	colorAnswer     = 0x57F287
	colorInfo       = 0xFEE75C
)

// noMentions is set on every message the bot sends: bank text and member input never ping.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// message is what a handler answers with; the responder turns it into the right API call.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Ephemeral  bool
	Files      []*discordgo.File
}

func levelLabel(l quiz.Lang, lv quiz.Level) string { return l.Msg(lv.Label()) }

// questionEmbed shows a question. answered < 0 hides the count (private sessions).
func questionEmbed(q quiz.Question, l quiz.Lang, sess quiz.Session, answered int) *discordgo.MessageEmbed {
	title := fmt.Sprintf("%s · %s", q.Topic, levelLabel(l, q.Level))
	if sess.Daily != 0 {
		title = fmt.Sprintf("%s %s · %s", l.Msg("label.daily_question"), sess.Daily, title)
	}
	footer := q.ID
	if answered >= 0 {
		footer = fmt.Sprintf("%s · %d %s", q.ID, answered, l.Msg("label.answered"))
	}
	if note := fallbackNote(q, l); note != "" {
		footer += " · " + note
	}
	return &discordgo.MessageEmbed{
		Title:       truncate(title, maxEmbedTitle),
		Description: truncate(q.Prompt.In(l), maxEmbedDesc),
		Color:       colorQuestion,
		Footer:      &discordgo.MessageEmbedFooter{Text: truncate(footer, maxFooter)},
	}
}

func button(style discordgo.ButtonStyle, label string, id customID) discordgo.Button {
	return discordgo.Button{Style: style, Label: truncate(label, 80), CustomID: id.String()}
}

// questionButtons are the buttons under a question: Answer, Hint (when the question has key
// points to spare), Reveal, Next (not on a daily question), then, in a second row, Close
// (public and not yet revealed: reveal now) and Report.
func questionButtons(l quiz.Lang, sess quiz.Session, revealed bool, keyPoints int) []discordgo.MessageComponent {
	sid := uint64(sess.ID)
	row := []discordgo.MessageComponent{button(discordgo.PrimaryButton, l.Msg("label.answer"), customID{Action: actAnswer, ID: sid})}
	if keyPoints > 1 {
		row = append(row, button(discordgo.SecondaryButton, l.Msg("label.hint"), customID{Action: actHint, ID: sid}))
	}
	row = append(row, button(discordgo.SecondaryButton, l.Msg("label.reveal"), customID{Action: actReveal, ID: sid}))
	if sess.Daily == 0 {
		row = append(row, button(discordgo.SecondaryButton, l.Msg("label.next"), customID{Action: actNext, ID: sid}))
	}
	var more []discordgo.MessageComponent
	if !sess.Private && !revealed {
		more = append(more, button(discordgo.DangerButton, l.Msg("label.close"), customID{Action: actClose, ID: sid}))
	}
	more = append(more, button(discordgo.SecondaryButton, l.Msg("label.report"), customID{Action: actReport, ID: sid}))
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}, discordgo.ActionsRow{Components: more}}
}

// questionMessage is a question as posted (publicly or privately).
func questionMessage(q quiz.Question, l quiz.Lang, sess quiz.Session) message {
	answered := sess.Answers
	if sess.Private {
		answered = -1
	}
	return message{
		Embeds:     []*discordgo.MessageEmbed{questionEmbed(q, l, sess, answered)},
		Components: questionButtons(l, sess, sess.State == quiz.SessionRevealed, len(q.KeyPoints.In(l))),
		Ephemeral:  sess.Private,
	}
}

// fallbackNote says that a server's question, written in one language, is shown in the other
// because it has no text in l; "" when it is shown in l.
func fallbackNote(q quiz.Question, l quiz.Lang) string {
	shown, fallback := q.Prompt.Shown(l)
	switch {
	case !fallback:
		return ""
	case shown == quiz.Chinese:
		return l.Msg("label.shown_in_chinese")
	}
	return l.Msg("label.shown_in_english")
}

// shortAnswer is the 30-second answer: the question's summary, or for questions imported
// before summaries existed, the start of the answer.
func shortAnswer(q quiz.Question, l quiz.Lang) string {
	if s := strings.TrimSpace(q.Summary.In(l)); s != "" {
		return s
	}
	return truncate(strings.TrimSpace(q.Answer.In(l)), quiz.MaxSummaryLen)
}

// embedsSize is what Discord counts toward a message's 6000-character embed total: titles,
// descriptions, field names and values, footers and author names, in runes.
func embedsSize(es []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if e.Footer != nil {
			n += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			n += utf8.RuneCountInString(e.Author.Name)
		}
		for _, f := range e.Fields {
			n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
	}
	return n
}

// fitEmbeds shortens the longest descriptions until the embeds together fit in limit characters:
// the last guard of every message that puts several texts together.
func fitEmbeds(es []*discordgo.MessageEmbed, limit int) []*discordgo.MessageEmbed {
	for over := embedsSize(es) - limit; over > 0; over = embedsSize(es) - limit {
		var longest *discordgo.MessageEmbed
		for _, e := range es {
			if longest == nil || utf8.RuneCountInString(e.Description) > utf8.RuneCountInString(longest.Description) {
				longest = e
			}
		}
		n := utf8.RuneCountInString(longest.Description)
		if n <= 1 {
			break // titles and footers alone: nothing more to shorten
		}
		longest.Description = truncate(longest.Description, max(n-over, 1))
	}
	return es
}

// referenceEmbeds renders the summary, reference answer, key points and follow-ups inside the
// 6000 character total: follow-ups are dropped first, then the answer is shortened.
func referenceEmbeds(q quiz.Question, l quiz.Lang, extraTitle string) []*discordgo.MessageEmbed {
	return referenceEmbedsWithin(q, l, extraTitle, maxEmbedTotal)
}

// referenceEmbedsWithin is referenceEmbeds in budget characters, for a message whose other
// embeds take the rest of the 6000.
func referenceEmbedsWithin(q quiz.Question, l quiz.Lang, extraTitle string, budget int) []*discordgo.MessageEmbed {
	title := truncate(fmt.Sprintf("%s · %s%s", l.Msg("label.reference_answer"), q.ID, extraTitle), maxEmbedTitle)
	var kp strings.Builder
	for i, k := range q.KeyPoints.In(l) {
		fmt.Fprintf(&kp, "%d. %s\n", i+1, k) // numbered as the checklist numbers them
	}
	var fu strings.Builder
	for _, f := range q.FollowUps.In(l) {
		fmt.Fprintf(&fu, "• %s\n", f)
	}
	lead := ""
	if note := fallbackNote(q, l); note != "" {
		lead = "*" + note + "*\n\n"
	}
	if s := strings.TrimSpace(q.Summary.In(l)); s != "" {
		lead += fmt.Sprintf("**%s:** %s\n\n", l.Msg("label.in_short"), s)
	}
	answer := strings.TrimSpace(q.Answer.In(l))
	kpTitle, fuTitle := l.Msg("label.key_points"), l.Msg("label.follow_ups")
	size := func() int {
		n := utf8.RuneCountInString(title) + utf8.RuneCountInString(lead) + utf8.RuneCountInString(answer) +
			utf8.RuneCountInString(kpTitle) + utf8.RuneCountInString(kp.String())
		if fu.Len() > 0 {
			n += utf8.RuneCountInString(fuTitle) + utf8.RuneCountInString(fu.String())
		}
		return n
	}
	if size() > budget {
		fu.Reset()
	}
	if over := size() - budget; over > 0 {
		answer = truncate(answer, max(utf8.RuneCountInString(answer)-over-1, 1))
	}
	embeds := []*discordgo.MessageEmbed{
		{Title: title, Description: truncate(lead+answer, maxEmbedDesc), Color: colorAnswer},
		{Title: kpTitle, Description: truncate(kp.String(), maxEmbedDesc), Color: colorAnswer},
	}
	if fu.Len() > 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: fuTitle, Description: truncate(fu.String(), maxEmbedDesc), Color: colorInfo})
	}
	return fitEmbeds(embeds, budget)
}

// shortReferenceEmbed is what a channel sees when a question is revealed: the 30-second answer
// and the key points, so the channel stays readable; the full answer is one click away.
func shortReferenceEmbed(q quiz.Question, l quiz.Lang) *discordgo.MessageEmbed {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n**%s**\n", shortAnswer(q, l), l.Msg("label.key_points"))
	for _, k := range q.KeyPoints.In(l) {
		fmt.Fprintf(&b, "• %s\n", k)
	}
	return &discordgo.MessageEmbed{
		Title:       truncate(fmt.Sprintf("%s · %s", l.Msg("label.reference_answer"), q.ID), maxEmbedTitle),
		Description: truncate(b.String(), maxEmbedDesc),
		Color:       colorAnswer,
	}
}

// answeredMessage is the private reply after an answer or a reveal: the reference answer with
// the key points numbered, the hints taken, the checklist and the grade buttons.
func answeredMessage(res quiz.Answered, answered bool) message {
	l := res.Lang
	var lines []string
	if answered && res.Counted {
		lines = append(lines, l.Msg("answer.streak", quiz.MsgID("label.streak"), res.Streak.Current))
	}
	if h := hintsLine(l, res.Hints); h != "" {
		lines = append(lines, h)
	}
	ask := l.Msg("label.how_did_you_do")
	if len(res.Question.KeyPoints.In(l)) > 0 {
		ask += " " + l.Msg("practice.tick_the_key_points_you")
	}
	lines = append(lines, ask)
	return message{
		Content:    strings.Join(lines, "\n"),
		Embeds:     referenceEmbeds(res.Question, l, ""),
		Components: answerComponents(l, res.Question, res.Session.ID, res.Intervals, nil, ""),
		Ephemeral:  true,
	}
}

// revealMessage is the public reference answer posted under a question: the summary and key
// points, with a button that shows the full answer privately.
func revealMessage(p quiz.RevealPost) *discordgo.MessageSend {
	l := p.Lang
	m := &discordgo.MessageSend{
		Content: fmt.Sprintf("%d %s", p.Answers, l.Msg("label.answered")),
		Embeds:  []*discordgo.MessageEmbed{shortReferenceEmbed(p.Question, l)},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.SecondaryButton, l.Msg("label.full_answer"), customID{Action: actFull, ID: uint64(p.Session.ID)}),
		}}},
		AllowedMentions: noMentions(),
	}
	if p.ReplyTo != 0 {
		m.Reference = &discordgo.MessageReference{MessageID: p.ReplyTo.String(), ChannelID: p.Channel.String(), FailIfNotExists: ptr(false)}
	}
	return m
}

// answerModal asks for an answer: one required paragraph field.
func answerModal(q quiz.Question, l quiz.Lang, sid quiz.SessionID) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		CustomID: customID{Action: actSubmit, ID: uint64(sid)}.String(),
		Title:    truncate(l.Msg("label.your_answer")+" · "+q.Topic, maxModalTitle),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{
				CustomID: "answer", Label: truncate(l.Msg("label.your_answer"), maxInputLabel), Style: discordgo.TextInputParagraph,
				Placeholder: truncate(q.Prompt.In(l), maxPlaceholder), Required: true, MinLength: 1, MaxLength: quiz.MaxAnswerText,
			},
		}}},
	}
}

// reportModal asks why a question is wrong.
func reportModal(l quiz.Lang, sid quiz.SessionID) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		CustomID: customID{Action: actReportSend, ID: uint64(sid)}.String(),
		Title:    truncate(l.Msg("label.report"), maxModalTitle),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{
				CustomID: "reason", Label: truncate(l.Msg("report.form_label"), maxInputLabel), Style: discordgo.TextInputParagraph,
				Placeholder: truncate(l.Msg("report.form_placeholder"), maxPlaceholder), Required: true, MinLength: 5, MaxLength: 1000,
			},
		}}},
	}
}

func infoEmbed(title, desc string) *discordgo.MessageEmbed {
	return &discordgo.MessageEmbed{Title: truncate(title, maxEmbedTitle), Description: truncate(desc, maxEmbedDesc), Color: colorInfo}
}

// streakMessage shows a member's streak and why it is what it is. name is how to call them in
// the title, where mentions do not render; the description mentions them.
func streakMessage(v quiz.StreakView, who quiz.UserID, name string) message {
	s, l := v.Status, v.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "<@%d>\n", who)
	zone := v.Zone
	if zone == "" {
		zone = l.Msg("streak.own_zone")
	}
	b.WriteString(l.Msg("streak.summary", s.Current, quiz.Noun{N: s.Current, Unit: "unit.day"}, s.Best,
		quiz.Counted{N: v.Member.Answered, Unit: "unit.answer"}, quiz.Counted{N: s.DaysActive, Unit: "unit.day"}, s.Freezes, quiz.MaxFreezes, zone))
	for _, line := range quiz.ExplainStreakIn(s, l) {
		b.WriteString(line + "\n")
	}
	title := l.Msg("label.streak")
	if name != "" {
		title += " · " + escapeMarkdown(name, 200)
	}
	return message{Embeds: []*discordgo.MessageEmbed{infoEmbed(title, b.String())}, Ephemeral: true}
}

// leaderboardMessage lists the top members; mentions inside embeds never ping.
func leaderboardMessage(entries []quiz.Entry, board quiz.Board, l quiz.Lang) message {
	title := l.Msg("leaderboard.streaks")
	unit := quiz.MsgID("unit.day")
	if board == quiz.BoardMonth {
		title = l.Msg("leaderboard.month")
		unit = "unit.answer"
	}
	var b strings.Builder
	if len(entries) == 0 {
		b.WriteString(l.Msg("leaderboard.empty"))
	}
	for _, e := range entries {
		fmt.Fprintf(&b, "**%d.** <@%d> · %s\n", e.Rank, e.User, quiz.Counted{N: e.Value, Unit: unit}.In(l))
	}
	return message{Embeds: []*discordgo.MessageEmbed{infoEmbed(title, b.String())}}
}

func relTime(t time.Time) string { return fmt.Sprintf("<t:%d:R>", t.Unix()) }

// escapeMarkdown makes a member's text show as typed in a message or embed, in at most max
// characters: every character Discord's markdown gives a meaning (emphasis, spoilers, quotes,
// headings, lists, code, masked links, mentions, emoji, autolinked URLs) gets a backslash,
// which Discord drops when it renders. Without it a report reason could carry a masked link
// ([looks safe](https://evil)) or a fake heading into the moderators' view. The cut never
// splits an escape from its character.
func escapeMarkdown(s string, max int) string {
	var b strings.Builder
	n, total := 0, utf8.RuneCountInString(s)
	for i, r := range []rune(s) {
		w := 1
		if strings.ContainsRune(markdownSpecials, r) {
			w = 2
		}
		// Room for this character, and for "…" unless it is the last one.
		if n+w > max || (i < total-1 && n+w > max-1) {
			b.WriteString("…")
			break
		}
		if w == 2 {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		n += w
	}
	return b.String()
}

const markdownSpecials = "\\*_~`|>#-[]()<:@!."

// timestamp shows a moment as Discord timestamps, which each client shows in its own zone
// and language: the date and time, then how far away it is.
func timestamp(a quiz.At) string {
	return fmt.Sprintf("<t:%d:f> (<t:%d:R>)", a.Time.Unix(), a.Time.Unix())
}

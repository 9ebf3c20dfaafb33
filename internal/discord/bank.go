package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

const (
	maxAttachment = 1 << 20 // bank files, as for `bot check`
	pageSize      = 15
)

func (b *Bot) bankList(ctx context.Context, r *responder, o opts) error {
	return b.listPage(ctx, r, o.str("topic"), 0, false)
}

// bankPage turns a page of /bank list.
func (b *Bot) bankPage(ctx context.Context, r *responder, c customID) error {
	topic, _, _ := strings.Cut(c.Arg, "#")
	return b.listPage(ctx, r, topic, int(c.ID), true)
}

func (b *Bot) bankShow(ctx context.Context, r *responder, o opts) error {
	in, err := b.bank.BankQuestion(ctx, r.actor, o.str("id"))
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	// The question and its reference answer share one message's 6000 characters of embeds.
	qe := questionEmbed(in.Question, l, quiz.Session{}, -1)
	embeds := append([]*discordgo.MessageEmbed{qe}, referenceEmbedsWithin(in.Question, l, "", maxEmbedTotal-embedsSize([]*discordgo.MessageEmbed{qe}))...)
	state := l.Msg("bank.source", in.Source, in.Version)
	if in.Disabled {
		state += l.Msg("bank.disabled_mark")
	}
	return r.reply(ctx, message{Content: state, Embeds: embeds, Ephemeral: true})
}

func (b *Bot) bankDisable(ctx context.Context, r *responder, o opts) error {
	return b.setDisabled(ctx, r, o.str("id"), true)
}

func (b *Bot) bankEnable(ctx context.Context, r *responder, o opts) error {
	return b.setDisabled(ctx, r, o.str("id"), false)
}

func (b *Bot) setDisabled(ctx context.Context, r *responder, id string, disabled bool) error {
	if err := b.bank.SetDisabled(ctx, r.actor, id, disabled); err != nil {
		return err
	}
	done := quiz.MsgID("bank.now_enabled")
	if disabled {
		done = "bank.now_disabled"
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg(done, id), Ephemeral: true})
}

func (b *Bot) bankRemove(ctx context.Context, r *responder, o opts) error {
	if err := b.bank.RemoveQuestion(ctx, r.actor, o.str("id")); err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("bank.removed", o.str("id")), Ephemeral: true})
}

func (b *Bot) bankHistory(ctx context.Context, r *responder, o opts) error {
	hs, err := b.bank.QuestionHistory(ctx, r.actor, o.str("id"))
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	var s strings.Builder
	if len(hs) == 0 {
		s.WriteString(l.Msg("bank.no_history"))
	}
	for _, h := range hs {
		by := fmt.Sprintf("<@%d>", h.By)
		if h.By == 0 {
			by = l.Msg("bank.erased_member")
		}
		fmt.Fprintf(&s, "v%d · %s · %s · <t:%d:f>\n", h.Version, h.Action, by, h.At.Unix())
	}
	return r.reply(ctx, message{Embeds: []*discordgo.MessageEmbed{infoEmbed(l.Msg("bank.history_title", o.str("id")), s.String())}, Ephemeral: true})
}

func (b *Bot) bankReports(ctx context.Context, r *responder, _ opts) error {
	return b.reportsMessage(ctx, r, false)
}

func (b *Bot) resolveReport(ctx context.Context, r *responder, c customID) error {
	if err := b.mods.ResolveReport(ctx, r.actor, quiz.ReportID(c.ID), quiz.English.Msg("bank.resolved_from_discord")); err != nil {
		return err
	}
	return b.reportsMessage(ctx, r, true)
}

// listPage shows one page of the bank: as a reply, or as an update of the page before.
func (b *Bot) listPage(ctx context.Context, r *responder, topic string, page int, update bool) error {
	infos, err := b.bank.BankQuestions(ctx, r.actor, topic)
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	pages := max(1, (len(infos)+pageSize-1)/pageSize)
	page = min(max(page, 0), pages-1)
	var s strings.Builder
	for _, in := range infos[page*pageSize : min(len(infos), (page+1)*pageSize)] {
		mark := ""
		switch {
		case in.Disabled:
			mark = l.Msg("bank.list_disabled")
		case in.Source != "shipped":
			mark = " · " + in.Source
		}
		fmt.Fprintf(&s, "`%s` %s%s\n", in.Question.ID, truncate(in.Question.Prompt.In(l), 60), mark)
	}
	title := l.Msg("bank.list_title", cmpOr(topic, l.Msg("bank.all_topics")), page+1, pages, quiz.Counted{N: len(infos), Unit: "unit.question"})
	m := message{Embeds: []*discordgo.MessageEmbed{infoEmbed(title, s.String())}, Ephemeral: true}
	if pages > 1 {
		prev := button(discordgo.SecondaryButton, "◀", customID{Action: actPage, ID: uint64(max(page-1, 0)), Arg: topic})
		next := button(discordgo.SecondaryButton, "▶", customID{Action: actPage, ID: uint64(min(page+1, pages-1)), Arg: topic})
		prev.Disabled, next.Disabled = page == 0, page == pages-1
		// Two buttons may not share a custom ID: the disabled one gets a distinct one.
		if prev.Disabled {
			prev.CustomID = customID{Action: actPage, ID: uint64(page), Arg: topic + "#p"}.String()
		}
		if next.Disabled {
			next.CustomID = customID{Action: actPage, ID: uint64(page), Arg: topic + "#n"}.String()
		}
		m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{prev, next}}}
	}
	if update {
		return r.updateMessage(ctx, m)
	}
	return r.reply(ctx, m)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// reportsMessage lists the open reports with Resolve buttons: as a reply, or as an update of
// the list before.
func (b *Bot) reportsMessage(ctx context.Context, r *responder, update bool) error {
	reports, err := b.mods.Reports(ctx, r.actor)
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	var s strings.Builder
	var rows []discordgo.MessageComponent
	if len(reports) == 0 {
		s.WriteString(l.Msg("bank.no_reports"))
	}
	for i, rep := range reports {
		if i < 10 {
			by, reason := fmt.Sprintf("<@%d>", rep.By), escapeMarkdown(strings.ReplaceAll(rep.Reason, "\n", " "), 300)
			if rep.Erased {
				by, reason = l.Msg("bank.erased_member"), l.Msg("bank.erased_reason")
			}
			s.WriteString(l.Msg("bank.report_line", rep.ID, rep.QuestionID, by, rep.At.Unix(), reason))
		}
		if i < 5 {
			rows = append(rows, button(discordgo.SuccessButton, l.Msg("bank.resolve_button", rep.ID), customID{Action: actResolve, ID: uint64(rep.ID)}))
		}
	}
	if len(reports) > 10 {
		s.WriteString(l.Msg("bank.more_reports", len(reports)-10))
	}
	m := message{Embeds: []*discordgo.MessageEmbed{infoEmbed(l.Msg("bank.reports_title", len(reports)), s.String())}, Ephemeral: true,
		Components: []discordgo.MessageComponent{}}
	if len(rows) > 0 {
		m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: rows}}
	}
	if update {
		return r.updateMessage(ctx, m)
	}
	return r.reply(ctx, m)
}

func (b *Bot) bankAdd(ctx context.Context, r *responder, o opts) error {
	topic := strings.ToLower(strings.TrimSpace(o.str("topic")))
	level := quiz.Level(cmpOr(o.str("level"), string(quiz.Mid)))
	if att := o.str("file"); att != "" {
		name, data, err := b.attachment(ctx, r, att)
		if err != nil {
			return err
		}
		t, qs, err := b.opts.Parser.Parse(name, data)
		if err != nil {
			if quiz.ErrorCode(err) == quiz.EINTERNAL {
				return quiz.Errorf(quiz.EINVALID, "bank.file_invalid", name, fileProblems{err})
			}
			return err
		}
		if len(qs) != 1 || t.Slug != topic {
			return quiz.Errorf(quiz.EINVALID, "bank.add_one_question", topic)
		}
		if err := b.bank.AddQuestion(ctx, r.actor, qs[0]); err != nil {
			return err
		}
		return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("bank.added", qs[0].ID, topic), Ephemeral: true})
	}
	if !quiz.ValidTopicSlug(topic) {
		return quiz.Errorf(quiz.EINVALID, "bank.topic_rule")
	}
	// The id is a command option, so the form keeps its five fields for the texts.
	qid := strings.TrimSpace(strings.ToLower(o.str("id")))
	if !quiz.ValidQuestionID(qid) {
		return quiz.Errorf(quiz.EINVALID, "bank.id_rule")
	}
	first := b.members.Lang(ctx, r.actor)
	id := b.drafts.put(draft{q: quiz.Question{ID: qid, Topic: topic, Level: level, Tags: []string{topic}}, first: first, guild: r.actor.Guild, user: r.actor.User})
	return r.modal(ctx, questionModal(customID{Action: actAdd1, ID: id}, first.Msg("bank.step1_title"), first, first, nil))
}

// langName names a bank language in a message ("English", "中文").
func langName(l quiz.Lang) quiz.MsgID {
	if l == quiz.Chinese {
		return "settings.chinese"
	}
	return "settings.english"
}

func other(l quiz.Lang) quiz.Lang {
	if l == quiz.Chinese {
		return quiz.English
	}
	return quiz.Chinese
}

// addFirstLanguage keeps the first form of /bank add in the draft and offers the second.
func (b *Bot) addFirstLanguage(ctx context.Context, r *responder, c customID) error {
	dr, err := b.drafts.get(c.ID, r.actor)
	if err != nil {
		return err
	}
	setLang(&dr.q, dr.first, formValues(r))
	if err := requireSummary(dr.q, dr.first); err != nil {
		return err
	}
	b.drafts.update(c.ID, dr)
	second := other(dr.first)
	l, name, firstName := dr.first, langName(second), langName(dr.first)
	return r.reply(ctx, message{Content: l.Msg("bank.step2", name, firstName, name, firstName),
		Ephemeral: true, Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.PrimaryButton, l.Msg("bank.step2_button", name), customID{Action: actAdd2Open, ID: c.ID}),
			button(discordgo.SecondaryButton, l.Msg("bank.save_one_button", firstName), customID{Action: actAddOne, ID: c.ID}),
		}}}})
}

// addOneLanguage adds the draft as written in its first language only.
func (b *Bot) addOneLanguage(ctx context.Context, r *responder, c customID) error {
	dr, err := b.drafts.get(c.ID, r.actor)
	if err != nil {
		return err
	}
	if err := b.bank.AddQuestion(ctx, r.actor, dr.q); err != nil {
		return err
	}
	b.drafts.drop(c.ID)
	return r.reply(ctx, message{Content: dr.first.Msg("bank.added_one_language", dr.q.ID, dr.q.Topic, langName(dr.first), dr.q.Topic), Ephemeral: true})
}

// openSecondLanguage opens the second form of /bank add.
func (b *Bot) openSecondLanguage(ctx context.Context, r *responder, c customID) error {
	dr, err := b.drafts.get(c.ID, r.actor)
	if err != nil {
		return err
	}
	return r.modal(ctx, questionModal(customID{Action: actAdd2, ID: c.ID}, dr.first.Msg("bank.step2_title"), dr.first, other(dr.first), nil))
}

// addSecondLanguage completes the draft and adds the question.
func (b *Bot) addSecondLanguage(ctx context.Context, r *responder, c customID) error {
	dr, err := b.drafts.get(c.ID, r.actor)
	if err != nil {
		return err
	}
	setLang(&dr.q, other(dr.first), formValues(r))
	if err := requireSummary(dr.q, other(dr.first)); err != nil {
		return err
	}
	if err := b.bank.AddQuestion(ctx, r.actor, dr.q); err != nil {
		return err
	}
	b.drafts.drop(c.ID)
	return r.reply(ctx, message{Content: dr.first.Msg("bank.added_members", dr.q.ID, dr.q.Topic, dr.q.Topic), Ephemeral: true})
}

// bankEdit opens the edit form of one language, prefilled.
func (b *Bot) bankEdit(ctx context.Context, r *responder, o opts) error {
	in, err := b.bank.BankQuestion(ctx, r.actor, o.str("id"))
	if err != nil {
		return err
	}
	lang := quiz.English
	if o.str("language") == "zh" {
		lang = quiz.Chinese
	}
	l := b.members.Lang(ctx, r.actor)
	return r.modal(ctx, questionModal(customID{Action: actEdit, ID: uint64(in.Version), Arg: string(lang) + "/" + in.Question.ID},
		l.Msg("bank.edit_title", in.Question.ID), l, lang, &in.Question))
}

// saveEdit saves the edit form over the version it was opened on.
func (b *Bot) saveEdit(ctx context.Context, r *responder, c customID) error {
	lang, id, _ := strings.Cut(c.Arg, "/")
	in, err := b.bank.BankQuestion(ctx, r.actor, id)
	if err != nil {
		return err
	}
	q := in.Question.Clone()
	setLang(&q, quiz.Lang(lang), formValues(r))
	if err := requireSummary(q, quiz.Lang(lang)); err != nil {
		return err
	}
	if err := b.bank.EditQuestion(ctx, r.actor, q, int(c.ID)); err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("bank.saved", id, lang, id), Ephemeral: true})
}

// questionModal asks for one language's texts: the question, the summary, the answer, key points
// and follow-ups (one per line): Discord's five fields of a form. ui is the moderator's language,
// lang the one the texts are in.
func questionModal(id customID, title string, ui, lang quiz.Lang, q *quiz.Question) *discordgo.InteractionResponseData {
	in := func(cid, label string, style discordgo.TextInputStyle, required bool, max int, value, placeholder string) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: cid, Label: truncate(label, maxInputLabel), Style: style, Required: required, MaxLength: max,
			Value: value, Placeholder: truncate(placeholder, maxPlaceholder),
		}}}
	}
	var prompt, summary, answer, kps, fus string
	if q != nil {
		prompt, summary, answer = q.Prompt.EN, q.Summary.EN, q.Answer.EN
		if lang == quiz.Chinese {
			prompt, summary, answer = q.Prompt.ZH, q.Summary.ZH, q.Answer.ZH
		}
		kps = strings.Join(listIn(q.KeyPoints, lang), "\n")
		fus = strings.Join(listIn(q.FollowUps, lang), "\n")
	}
	rows := []discordgo.MessageComponent{
		in("question", ui.Msg("bank.form_question", lang), discordgo.TextInputParagraph, true, quiz.MaxQuestionLen, prompt, ""),
		in("summary", ui.Msg("bank.form_summary", lang), discordgo.TextInputParagraph, true, quiz.MaxSummaryLen, summary, ui.Msg("bank.form_summary_hint")),
		in("answer", ui.Msg("bank.form_answer", lang), discordgo.TextInputParagraph, true, quiz.MaxAnswerLen, answer, ui.Msg("bank.form_answer_hint")),
		in("key_points", ui.Msg("bank.form_key_points", lang), discordgo.TextInputParagraph, true, 4000, kps, ui.Msg("bank.form_key_points_hint")),
		in("follow_ups", ui.Msg("bank.form_follow_ups", lang), discordgo.TextInputParagraph, false, 4000, fus, ui.Msg("bank.form_follow_ups_hint")),
	}
	return &discordgo.InteractionResponseData{CustomID: id.String(), Title: truncate(title, maxModalTitle), Components: rows}
}

func listIn(t quiz.TextList, l quiz.Lang) []string {
	if l == quiz.Chinese {
		return t.ZH
	}
	return t.EN
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// requireSummary refuses a form without its summary: files in the old format may lack one, but
// a form always asks for it (a forged submit can still send it empty).
func requireSummary(q quiz.Question, l quiz.Lang) error {
	s := q.Summary.EN
	if l == quiz.Chinese {
		s = q.Summary.ZH
	}
	if strings.TrimSpace(s) == "" {
		return quiz.Errorf(quiz.EINVALID, "bank.summary_required", l)
	}
	return nil
}

// setLang fills one language of q from a modal's values.
func setLang(q *quiz.Question, l quiz.Lang, v map[string]string) {
	p, s, a := strings.TrimSpace(v["question"]), strings.TrimSpace(v["summary"]), strings.TrimSpace(v["answer"])
	k, f := lines(v["key_points"]), lines(v["follow_ups"])
	if l == quiz.Chinese {
		q.Prompt.ZH, q.Summary.ZH, q.Answer.ZH, q.KeyPoints.ZH, q.FollowUps.ZH = p, s, a, k, f
		return
	}
	q.Prompt.EN, q.Summary.EN, q.Answer.EN, q.KeyPoints.EN, q.FollowUps.EN = p, s, a, k, f
}

func (b *Bot) bankExport(ctx context.Context, r *responder, o opts) error {
	files, err := b.bank.ExportBank(ctx, r.actor, o.str("topic"))
	if err != nil {
		return err
	}
	intro := b.members.Lang(ctx, r.actor).Msg("bank.exported", quiz.Counted{N: len(files), Unit: "unit.topic_file"})
	return b.sendUploads(ctx, r, intro, exportUploads(files))
}

func (b *Bot) bankImport(ctx context.Context, r *responder, o opts) error {
	name, data, err := b.attachment(ctx, r, o.str("file"))
	if err != nil {
		return err
	}
	plan, err := b.bank.PreviewImport(ctx, r.actor, name, data)
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	if len(plan.Added)+len(plan.Changed)+len(plan.Disabled) == 0 && !plan.NewTopic {
		return r.reply(ctx, message{Content: l.Msg("import.no_changes", plan.In(l)), Ephemeral: true})
	}
	return r.reply(ctx, message{Content: truncate(l.Msg("import.preview", plan.In(l)), maxContent), Ephemeral: true,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.SuccessButton, l.Msg("import.apply"), customID{Action: actConfirm, ID: plan.ID}),
			button(discordgo.SecondaryButton, l.Msg("import.cancel"), customID{Action: actCancel, ID: plan.ID}),
		}}}})
}

func (b *Bot) applyImport(ctx context.Context, r *responder, c customID) error {
	plan, err := b.bank.ApplyImport(ctx, r.actor, c.ID)
	if err != nil {
		return err
	}
	l := b.members.Lang(ctx, r.actor)
	return r.updateMessage(ctx, message{Content: l.Msg("import.done", plan.In(l)), Components: []discordgo.MessageComponent{}, Ephemeral: true})
}

func (b *Bot) cancelImport(ctx context.Context, r *responder, _ customID) error {
	return r.updateMessage(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("import.cancelled"), Components: []discordgo.MessageComponent{}, Ephemeral: true})
}

// attachment downloads an attached file (at most 1 MiB) named by an attachment option.
func (b *Bot) attachment(ctx context.Context, r *responder, id string) (string, []byte, error) {
	res := r.i.ApplicationCommandData().Resolved
	if res == nil || res.Attachments[id] == nil {
		return "", nil, quiz.Errorf(quiz.EINVALID, "bank.attach_yaml")
	}
	a := res.Attachments[id]
	if a.Size > maxAttachment {
		return "", nil, quiz.Errorf(quiz.EINVALID, "bank.file_too_big", a.Filename, a.Size)
	}
	if !b.attachmentHost(a.URL) {
		// Discord always serves attachments from its CDN; any other address came from a forged
		// interaction, and fetching it would make the bot a proxy into its own network.
		b.log.Warn("refused an attachment outside Discord's CDN", "interaction_id", r.i.ID, "url", a.URL)
		return "", nil, quiz.Errorf(quiz.EINVALID, "bank.attachment_url")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.URL, nil)
	if err != nil {
		return "", nil, quiz.Errorf(quiz.EINVALID, "bank.attachment_url")
	}
	resp, err := b.s.Client.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("discord: download attachment: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("discord: download attachment: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAttachment+1))
	if err != nil {
		return "", nil, fmt.Errorf("discord: download attachment: %w", err)
	}
	if len(data) > maxAttachment {
		return "", nil, quiz.Errorf(quiz.EINVALID, "bank.file_over_limit", a.Filename)
	}
	return a.Filename, data, nil
}

// attachmentHosts are where Discord serves attachments (its CDN and media proxy).
var attachmentHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// attachmentHost reports whether an attachment's url is Discord's: https on its CDN, or the
// configured API address (DISCORD_API_URL, which a test's fake serves attachments from).
func (b *Bot) attachmentHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil {
		return false
	}
	if u.Scheme == "https" && slices.Contains(attachmentHosts, u.Hostname()) && (u.Port() == "" || u.Port() == "443") {
		return true
	}
	api, err := url.Parse(b.opts.APIURL)
	return err == nil && u.Scheme == api.Scheme && u.Host == api.Host
}

// fileProblems is why an attached bank file does not validate, cut to fit a message, in the
// moderator's language when the parser's error can say it in theirs (bank.Problems).
type fileProblems struct{ err error }

func (p fileProblems) In(l quiz.Lang) string {
	var lz interface {
		error
		In(quiz.Lang) string
	}
	if errors.As(p.err, &lz) {
		return truncate(lz.In(l), 1800)
	}
	return truncate(p.err.Error(), 1800)
}

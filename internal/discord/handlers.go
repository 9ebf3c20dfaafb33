package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

func (b *Bot) autocomplete(ctx context.Context, r *responder) error {
	d := r.i.ApplicationCommandData()
	_, o := commandOptions(d)
	f, ok := o.focused()
	if !ok {
		return r.choices(ctx, nil)
	}
	typed, _ := f.Value.(string)
	var cs []*discordgo.ApplicationCommandOptionChoice
	switch f.Name {
	case "topic":
		topics, err := b.practice.MatchTopics(ctx, r.actor.Guild, typed, maxAutocomplete)
		if err != nil {
			return err
		}
		l := b.members.Lang(ctx, r.actor)
		if w := weakChoice(l, typed, topics); w != nil {
			cs = append(cs, w)
		}
		for _, t := range topics {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: truncate(t.Slug+" · "+t.Title.In(l), maxChoiceName), Value: t.Slug})
		}
	case "zone", "timezone":
		for _, z := range matchZones(typed, maxAutocomplete) {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: z, Value: z})
		}
	case "id":
		// Only the moderators' /bank commands have an id option; the service checks the right.
		r.actor.Moderator = !r.actor.Manager && b.mayUse(ctx, r.i, "bank")
		ids, err := b.bank.MatchQuestionIDs(ctx, r.actor, typed, maxAutocomplete)
		if err != nil {
			return err
		}
		for _, id := range ids {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: id, Value: id})
		}
	}
	return r.choices(ctx, cs)
}

func (b *Bot) interview(ctx context.Context, r *responder, o opts) error {
	return b.ask(ctx, r, quiz.AskRequest{Topic: o.str("topic"), Private: o.boolean("private")})
}

func (b *Bot) review(ctx context.Context, r *responder, _ opts) error {
	return b.ask(ctx, r, quiz.AskRequest{Review: true, Private: true})
}

// ask asks the service for a question in this channel and shows it.
func (b *Bot) ask(ctx context.Context, r *responder, req quiz.AskRequest) error {
	req.Channel = quiz.ChannelID(parseSnowflake(r.i.ChannelID))
	missing := b.privateHere(r, &req)
	return b.showing(ctx, r, &req, missing, func() error {
		_, err := b.practice.Ask(ctx, r.actor, req)
		return err
	})
}

// showing sets req.Show to reply with the question, then runs ask (which calls the service
// with req): the member gets the question before its session is written (the write waits for
// no one, and carries the message the reply created, so one commit does both). A refusal
// comes back from ask; an error after the reply too, and the member is told privately.
func (b *Bot) showing(ctx context.Context, r *responder, req *quiz.AskRequest, missing []string, ask func() error) error {
	var replyErr error
	req.Show = func(asked quiz.Asked) (quiz.ChannelID, quiz.MessageID) {
		ch, msg, err := b.showAsked(ctx, r, asked, missing)
		replyErr = err
		return ch, msg
	}
	if err := ask(); err != nil {
		return err
	}
	return replyErr
}

// privateHere makes a public question private when the bot could not follow it up in this
// channel (post it with its embeds, edit its answered count, reply with its reveal), and
// returns the permissions it lacks (app_permissions), or nil.
func (b *Bot) privateHere(r *responder, req *quiz.AskRequest) []string {
	if req.Private {
		return nil
	}
	missing := b.interviewPerms(r.i)
	if len(missing) > 0 {
		req.Private = true
		r.setDefer(deferPrivate)
	}
	return missing
}

// showAsked shows an asked question: publicly in the channel, returning its message for the
// answered count and the reveal, or privately, saying which permissions made it so (missing).
// A public question whose reply was deferred is read back after the handler, and recorded then.
func (b *Bot) showAsked(ctx context.Context, r *responder, asked quiz.Asked, missing []string) (quiz.ChannelID, quiz.MessageID, error) {
	m := questionMessage(asked.Question, asked.Lang, asked.Session)
	if asked.Session.Private {
		if len(missing) > 0 {
			m.Content = asked.Lang.Msg("practice.private_because_perms") +
				asked.Lang.Msg("perms.missing", joinNames(missing), quiz.ChannelID(parseSnowflake(r.i.ChannelID)))
		}
		return 0, 0, r.reply(ctx, m)
	}
	posted, err := r.replyPosted(ctx, m)
	if err != nil {
		return 0, 0, err
	}
	if posted != nil && r.deliveredPublic() {
		return quiz.ChannelID(parseSnowflake(posted.ChannelID)), quiz.MessageID(parseSnowflake(posted.ID)), nil
	}
	if r.deliveredPublic() {
		// Deferred first (a slow moment): read the message back, after the handler.
		b.background(ctx, func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, replyTimeout)
			defer cancel()
			msg, err := r.original(ctx)
			if err != nil {
				b.log.Warn("could not read back a posted question", "session_id", asked.Session.ID, "err", r.redact(err))
				return
			}
			err = b.practice.SetSessionMessage(ctx, r.actor.Guild, asked.Session.ID, quiz.ChannelID(parseSnowflake(msg.ChannelID)), quiz.MessageID(parseSnowflake(msg.ID)))
			if err != nil {
				b.log.Error("could not record a posted question", "session_id", asked.Session.ID, "err", err)
			}
		})
	}
	return 0, 0, nil
}

// rememberMessage records the public message a button was pressed on, when the session does
// not know it yet (reading it back after posting failed).
func (b *Bot) rememberMessage(ctx context.Context, r *responder, sess quiz.Session) {
	if sess.Message != 0 || sess.Private || !r.messagePublic() || !carriesSession(r.i.Message, sess.ID) {
		return
	}
	err := b.practice.SetSessionMessage(ctx, r.actor.Guild, sess.ID, quiz.ChannelID(parseSnowflake(r.i.ChannelID)), quiz.MessageID(parseSnowflake(r.i.Message.ID)))
	if err != nil {
		b.log.Warn("could not record a question's message", "session_id", sess.ID, "err", err)
	}
}

// carriesSession reports whether message m has a button of session sid. Discord fills in the
// clicked message itself, so its buttons are the bot's; the custom id clicked is the client's
// word. A message is taken as a session's (to record it, or to close it) only if it carries it.
func carriesSession(m *discordgo.Message, sid quiz.SessionID) bool {
	return carries(m, sessionAction, sid.String())
}

// carries reports whether message m has a button or menu whose custom id has an action that
// family accepts and the id id. Parsed by hand: parseCustomID reads the actions table, which
// refers to the handlers.
func carries(m *discordgo.Message, family func(action string) bool, id string) bool {
	if m == nil {
		return false
	}
	for _, row := range m.Components {
		var comps []discordgo.MessageComponent
		switch r := row.(type) {
		case *discordgo.ActionsRow:
			comps = r.Components
		case discordgo.ActionsRow:
			comps = r.Components
		}
		for _, c := range comps {
			parts := strings.SplitN(componentCustomID(c), ":", 4)
			if len(parts) >= 3 && parts[0] == customIDVersion && family(parts[1]) && parts[2] == id {
				return true
			}
		}
	}
	return false
}

// componentCustomID is a button's or a select menu's custom id ("" for anything else).
func componentCustomID(c discordgo.MessageComponent) string {
	switch x := c.(type) {
	case *discordgo.Button:
		return x.CustomID
	case discordgo.Button:
		return x.CustomID
	case *discordgo.SelectMenu:
		return x.CustomID
	case discordgo.SelectMenu:
		return x.CustomID
	}
	return ""
}

// sessionAction reports whether a custom id's action names a session by its id.
func sessionAction(a string) bool {
	switch a {
	case actAnswer, actReveal, actNext, actClose, actReport, actFull:
		return true
	}
	return false
}

// mockAction reports whether a custom id's action names a mock interview by its id.
func mockAction(a string) bool {
	switch a {
	case actMockAnswer, actMockSubmit, actMockHint, actMockNext, actMockScript, actMockEnd, actMockCheck, actMockGrade, actMockReport:
		return true
	}
	return false
}

// openAnswer opens the answer form.
func (b *Bot) openAnswer(ctx context.Context, r *responder, c customID) error {
	sid := quiz.SessionID(c.ID)
	sess, q, err := b.practice.SessionFor(ctx, r.actor, sid)
	if err != nil {
		return err
	}
	if err := r.modal(ctx, answerModal(q, b.members.Lang(ctx, r.actor), sid)); err != nil {
		return err
	}
	b.rememberMessage(ctx, r, sess)
	return nil
}

// submitAnswer records an answer and shows the reference answer privately.
func (b *Bot) submitAnswer(ctx context.Context, r *responder, c customID) error {
	sid := quiz.SessionID(c.ID)
	res, err := b.practice.Answer(ctx, r.actor, sid, formValues(r)["answer"])
	if err != nil {
		return err
	}
	if err := r.reply(ctx, answeredMessage(res, true)); err != nil {
		return err
	}
	if res.First && !res.Session.Private && res.Session.Message != 0 {
		b.scheduleCountEdit(ctx, r.actor.Guild, sid)
	}
	return nil
}

// reveal shows the reference answer to the clicker, privately.
func (b *Bot) reveal(ctx context.Context, r *responder, c customID) error {
	res, err := b.practice.Reveal(ctx, r.actor, quiz.SessionID(c.ID))
	if err != nil {
		return err
	}
	b.rememberMessage(ctx, r, res.Session)
	return r.reply(ctx, answeredMessage(res, false))
}

// next asks another question on the same topic.
func (b *Bot) next(ctx context.Context, r *responder, c customID) error {
	sid := quiz.SessionID(c.ID)
	sess, _, err := b.practice.SessionFor(ctx, r.actor, sid)
	if err != nil {
		return err
	}
	// Only the asker's Next posts publicly; anyone else continues privately.
	req := quiz.AskRequest{Channel: quiz.ChannelID(parseSnowflake(r.i.ChannelID)), Private: sess.Private || sess.OpenedBy != r.actor.User}
	if !req.Private {
		r.setDefer(deferPublic)
	}
	missing := b.privateHere(r, &req)
	return b.showing(ctx, r, &req, missing, func() error {
		_, err := b.practice.Next(ctx, r.actor, sid, req)
		return err
	})
}

// closeQuestion reveals a public question now and updates it to its final state, in one call
// of the domain, which also records the message the button is on if the session lacks it. The
// click's own response is the one edit of the question message: the reveal it posts is marked
// Closed, so PostReveal queues no edit of its own.
func (b *Bot) closeQuestion(ctx context.Context, r *responder, c customID) error {
	req := quiz.CloseRequest{Session: quiz.SessionID(c.ID)}
	if r.i.Message != nil && !carriesSession(r.i.Message, req.Session) {
		// Close rewrites the message it is on: a forged one on another message must not.
		return quiz.Errorf(quiz.EINVALID, "error.this_button_is_not_on")
	}
	if r.messagePublic() {
		req.Channel, req.Message = quiz.ChannelID(parseSnowflake(r.i.ChannelID)), quiz.MessageID(parseSnowflake(r.i.Message.ID))
	}
	sess, q, err := b.practice.Close(ctx, r.actor, req)
	if err != nil {
		return err
	}
	m := questionMessage(q, sess.Lang, sess)
	if r.i.Message != nil {
		// An update replaces the content too: keep the message's own (a daily post's role and
		// "Answer privately…" line).
		m.Content = r.i.Message.Content
	}
	if err := r.updateMessage(ctx, m); err != nil {
		b.scheduleCountEdit(ctx, r.actor.Guild, sess.ID) // the question still shows Close: fix it later
		return err
	}
	return nil
}

// grade records a self-grade and replaces the grade buttons with the next review date.
func (b *Bot) grade(ctx context.Context, r *responder, c customID) error {
	g, _ := quiz.ParseGrade(c.Arg)
	res, err := b.practice.Grade(ctx, r.actor, quiz.SessionID(c.ID), g)
	if err != nil {
		return err
	}
	l := res.Lang
	suggested := ""
	if res.Suggested == g {
		suggested = l.Msg("practice.as_suggested")
	}
	text := l.Msg("grade.graded", quiz.MsgID("grade.graded_word"), gradeText(l, g), suggested, quiz.MsgID("label.next_review"), relTime(res.Card.Due))
	return r.updateMessage(ctx, message{Content: text, Embeds: r.i.Message.Embeds, Components: []discordgo.MessageComponent{}, Ephemeral: true})
}

// openReport opens the form for reporting a wrong question.
func (b *Bot) openReport(ctx context.Context, r *responder, c customID) error {
	sid := quiz.SessionID(c.ID)
	if _, _, err := b.practice.SessionFor(ctx, r.actor, sid); err != nil {
		return err
	}
	return r.modal(ctx, reportModal(b.members.Lang(ctx, r.actor), sid))
}

func (b *Bot) sendReport(ctx context.Context, r *responder, c customID) error {
	if err := b.practice.Report(ctx, r.actor, quiz.SessionID(c.ID), formValues(r)["reason"]); err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.members.Lang(ctx, r.actor).Msg("report.thanks"), Ephemeral: true})
}

// fullAnswer shows the whole reference answer of a publicly revealed question, privately.
func (b *Bot) fullAnswer(ctx context.Context, r *responder, c customID) error {
	sess, q, err := b.practice.SessionFor(ctx, r.actor, quiz.SessionID(c.ID))
	if err != nil {
		return err
	}
	// Only a publicly revealed question has a Full answer button; anything else is forged.
	if sess.Private || sess.State != quiz.SessionRevealed {
		return quiz.Errorf(quiz.EFORBIDDEN, "session.not_revealed")
	}
	return r.reply(ctx, message{Embeds: referenceEmbeds(q, b.members.Lang(ctx, r.actor), ""), Ephemeral: true})
}

// formValues collects a submitted form's text inputs by custom ID.
func formValues(r *responder) map[string]string {
	out := map[string]string{}
	for _, row := range r.i.ModalSubmitData().Components {
		ar, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range ar.Components {
			if ti, ok := c.(*discordgo.TextInput); ok {
				out[ti.CustomID] = ti.Value
			}
		}
	}
	return out
}

func (b *Bot) streak(ctx context.Context, r *responder, o opts) error {
	who := r.actor.User
	name := r.actor.Name
	if id := o.id("member"); id != 0 {
		who = quiz.UserID(id)
		name = resolvedName(r.i.ApplicationCommandData().Resolved, fmt.Sprint(id))
	}
	v, err := b.members.Streak(ctx, r.actor, who)
	if err != nil {
		return err
	}
	return r.reply(ctx, streakMessage(v, who, name))
}

// resolvedName is how a member chosen in a user option is called: their server nickname, their
// display name or their username, from the interaction's resolved data; "" if it has none.
func resolvedName(res *discordgo.ApplicationCommandInteractionDataResolved, id string) string {
	if res == nil {
		return ""
	}
	if m := res.Members[id]; m != nil && m.Nick != "" {
		return m.Nick
	}
	if u := res.Users[id]; u != nil {
		if u.GlobalName != "" {
			return u.GlobalName
		}
		return u.Username
	}
	return ""
}

func (b *Bot) leaderboard(ctx context.Context, r *responder, o opts) error {
	board := quiz.BoardStreak
	if o.str("board") == "month" {
		board = quiz.BoardMonth
	}
	entries, lang, err := b.members.Leaderboard(ctx, r.actor, board, 10)
	if err != nil {
		return err
	}
	return r.reply(ctx, leaderboardMessage(entries, board, lang))
}

// setTimezone changes the member's zone, or with no value shows it and how to change it:
// resetting takes an explicit server, so a command sent without its value never wipes a choice.
func (b *Bot) setTimezone(ctx context.Context, r *responder, o opts) error {
	zone := strings.TrimSpace(o.str("zone"))
	if zone == "" {
		return b.showZone(ctx, r)
	}
	z, err := b.members.SetTimezone(ctx, r.actor, zone)
	if err != nil {
		return err
	}
	s, err := b.members.Settings(ctx, r.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	if z == "" {
		return r.reply(ctx, message{Content: l.Msg("settings.zone_set_server", s.ServerZone), Ephemeral: true})
	}
	return r.reply(ctx, message{Content: l.Msg("settings.zone_set", z), Ephemeral: true})
}

func (b *Bot) showZone(ctx context.Context, r *responder) error {
	s, err := b.members.Settings(ctx, r.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	if s.Zone == "" {
		return r.reply(ctx, message{Content: l.Msg("settings.zone_is_server", s.ServerZone), Ephemeral: true})
	}
	return r.reply(ctx, message{Content: l.Msg("settings.zone_is_own", s.Zone, s.ServerZone), Ephemeral: true})
}

// setLanguage changes the member's language, or with no value shows it; auto resets it.
func (b *Bot) setLanguage(ctx context.Context, r *responder, o opts) error {
	if v := strings.TrimSpace(o.str("language")); v != "" {
		if _, err := b.members.SetLanguage(ctx, r.actor, v); err != nil {
			return err
		}
	}
	s, err := b.members.Settings(ctx, r.actor)
	if err != nil {
		return err
	}
	l := s.Effective
	name := map[quiz.Lang]string{quiz.English: l.Msg("settings.english"), quiz.Chinese: l.Msg("settings.chinese")}[l]
	if s.Lang == "" {
		return r.reply(ctx, message{Content: l.Msg("settings.lang_is_discord", name), Ephemeral: true})
	}
	return r.reply(ctx, message{Content: l.Msg("settings.lang_is_own", name), Ephemeral: true})
}

func (b *Bot) setModeratorRole(ctx context.Context, r *responder, o opts) error {
	role := quiz.RoleID(o.id("role"))
	if err := b.checkRole(ctx, r.i.GuildID, role); err != nil {
		return err
	}
	if err := b.mods.SetModeratorRole(ctx, r.actor, role); err != nil {
		return err
	}
	return r.reply(ctx, message{Content: b.moderatorRoleNote(ctx, b.members.Lang(ctx, r.actor), r.i.GuildID, role), Ephemeral: true})
}

// moderatorRoleNote tells an admin what the moderator role now does and what is left for them
// to do: Discord shows /bank and /daily only to members with Manage Server unless the server's
// Integrations settings add the role, which a bot cannot do. It reads those settings to say
// whether that is done.
func (b *Bot) moderatorRoleNote(ctx context.Context, l quiz.Lang, guildID string, role quiz.RoleID) string {
	where := l.Msg("modrole.where", b.botName(l))
	if role == 0 {
		return l.Msg("modrole.cleared", where)
	}
	mention := fmt.Sprintf("<@&%d>", role)
	if r, err := b.s.State.Role(guildID, role.String()); err == nil && r.Permissions&(permManageGuild|permAdministrator) != 0 {
		return l.Msg("modrole.manage_server", mention)
	}
	// Read now, not from the cache: the admin may have just changed Integrations, and the
	// update event can be handled after this interaction (events run concurrently).
	ov := b.readOverrides(ctx, guildID)
	var todo, denied []string
	for _, name := range []string{"/bank", "/daily"} {
		allow, ok := b.roleOverride(ov, name[1:], role.String())
		switch {
		case ok && !allow:
			denied = append(denied, name)
		case !ok:
			todo = append(todo, name)
		}
	}
	if len(todo)+len(denied) == 0 {
		return l.Msg("modrole.done", mention, where)
	}
	var b2 strings.Builder
	b2.WriteString(l.Msg("modrole.step_left", mention, where))
	if len(todo) > 0 {
		b2.WriteString(l.Msg("modrole.todo", strings.Join(todo, l.Msg("modrole.then")), mention))
	}
	if len(denied) > 0 {
		if len(todo) > 0 {
			b2.WriteString(l.Msg("modrole.sep"))
		}
		b2.WriteString(l.Msg("modrole.denied", strings.Join(denied, l.Msg("modrole.and")), mention))
	}
	b2.WriteString(l.Msg("modrole.until"))
	return b2.String()
}

// botName is the bot's name as the Integrations settings list it.
func (b *Bot) botName(l quiz.Lang) string {
	if b.user.Username != "" {
		return b.user.Username
	}
	return l.Msg("modrole.this_bot")
}

func (b *Bot) exportMember(ctx context.Context, r *responder, _ opts) error {
	e, err := b.members.ExportMember(ctx, r.actor)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("interviewbot-%d-%d.json", r.actor.Guild, r.actor.User)
	l := b.members.Lang(ctx, r.actor)
	return b.sendUploads(ctx, r, l.Msg("practice.all_the_data_this_bot"),
		[]upload{{name, "application/json", data}})
}

// confirmDelete asks before /privacy delete erases anything; the button does it.
func (b *Bot) confirmDelete(ctx context.Context, r *responder, _ opts) error {
	l := b.members.Lang(ctx, r.actor)
	return r.reply(ctx, message{Content: l.Msg("practice.this_erases_your_settings_streak"), Ephemeral: true,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button(discordgo.DangerButton, l.Msg("privacy.delete_button"), customID{Action: actForget}),
		}}}})
}

// forget erases the member's data in this server, confirmed by the button.
func (b *Bot) forget(ctx context.Context, r *responder, _ customID) error {
	l := b.members.Lang(ctx, r.actor) // read before the erase takes the member's language setting
	if err := b.members.DeleteMember(ctx, r.actor); err != nil {
		return err
	}
	return r.updateMessage(ctx, message{Content: l.Msg("privacy.deleted"), Components: []discordgo.MessageComponent{}, Ephemeral: true})
}

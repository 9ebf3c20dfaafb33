// Package discord serves the practice use cases on Discord: slash commands with autocomplete,
// buttons and forms (modals), and the channel posts the use cases order (it implements
// quiz.Publisher). It is the only package that imports discordgo.
//
// # Layers
//
//   - bot.go: the Bot's lifetime. Open registers the interaction handler as a closure over its
//     ctx, connects and registers the commands; Close stops taking interactions and waits
//     (bounded) for those in flight and for background work.
//   - router.go: onInteraction routes each interaction from the tables below, starts the
//     defer timer, runs the handler and turns its error into the reply (errorReply).
//   - respond.go: the responder, which sends an interaction's one initial response (deferring
//     on its own when the handler is slow) and turns later replies into edits or follow-ups.
//   - commands.go, commands_bank.go, actions.go: the tables.
//   - usecases.go: the domain as the handlers see it, one small interface per group (Practice,
//     Members, Daily, Moderation, Bank, Mocks, Awards), given to New as UseCases.
//   - handlers.go, daily.go, bank.go, learn.go, mock.go, awards.go: the handlers (learn.go:
//     hints, the key-point checklist, /progress, weak topics, retention). They call the use
//     cases and answer with a message built by render.go, render_learn.go or mock_render.go
//     (pure functions, no I/O).
//   - publish.go: channel posts and the coalesced edits of a question's answered count;
//     awards.go also gives the champion role and posts the announcements (quiz.Announcer).
//
// # The tables
//
// Every interaction is routed from one entry. A slash command is an entry in commandTable (or
// in bankSubcommands for /bank): its definition, which commands() registers in one bulk
// overwrite, how it defers and its handler, a func(ctx, r, opts). A button or a form is an
// entry in actions, keyed by the action of its custom id "v1:<action>:<id>[:<arg>]": whether
// it is a form, how it defers, which args it accepts and its handler, a func(ctx, r,
// customID). parseCustomID accepts exactly the actions in the table, with their arg rule.
// Posted messages carry custom ids, so an action's name never changes once released.
//
// To add a button, say "Hint" under a question:
//
//  1. in actions.go, a name constant (actHint = "hint", with what its id holds) and its entry
//     in actions: actHint: {run: (*Bot).hint};
//  2. the handler, func (b *Bot) hint(ctx context.Context, r *responder, c customID) error,
//     which answers through r (r.reply, r.updateMessage or r.modal);
//  3. the button on the message it belongs to: button(style, label, customID{Action: actHint,
//     ID: ...}) in render.go.
//
// A form is the same with form: true; its handler reads the inputs with formValues(r). To add
// a command, add its entry to commandTable (a subcommand to its command's subs) and write its
// handler; set moderators on a command only moderators may use, and the router checks it
// before any handler runs. A moderator has Manage Server, or the server's moderator role, or
// is let use the command by Discord's own command permissions, which admins set in Server
// Settings → Integrations and the bot reads and caches (cmdperms.go).
//
// # Text
//
// Every word a member or a moderator sees comes from the message catalogue in the domain,
// internal/quiz/messages/*.json, in English and Chinese; handlers hold ids, never sentences.
// To add a sentence:
//
//  1. add a line to the table of its area (practice, members, moderation, console; bankfile
//     for a bank file's problems): "bank.removed": {"en": "%s was removed.", "zh": "%s 已删除。"}.
//     Ids are area.what, lower case; both texts take the same fmt verbs (Chinese may reorder
//     them with %[2]s);
//  2. render it in the reader's language: l.Msg("bank.removed", id), where l is
//     b.members.Lang(ctx, r.actor), or the Lang a use case returned (Asked.Lang, …). An
//     argument that is itself a quiz.MsgID is rendered in l too;
//  3. an error a member should read is quiz.Errorf(quiz.EINVALID, "bank.removed", id):
//     errorReply renders it in their language;
//  4. a number of things is a quiz.Counted{N: n, Unit: "unit.day"} argument: the unit's
//     English is "day|days" (singular|plural) and its Chinese the measure word ("天").
//
// quiz's TestCatalogue fails on an id with a language missing, on verbs that differ, on an id
// no code uses and on an id the code uses that the tables lack; TestNoInlineText here fails on
// a sentence written straight into a message, a button, an embed or the console. Until its line exists, an id
// renders as itself, as English: quiz.Errorf(code, "Some English %s.", x) keeps working.
//
// # Deferring
//
// Discord wants the first response within 3 seconds. A handler that has not answered after
// Options.DeferAfter (1.5 s) is deferred by the responder, as its entry says: deferPrivate (the
// default: a private "thinking…"), deferPublic (a public one, for a message the channel will
// see), deferUpdate (a button that rewrites the message it is on) or deferNever (a handler that
// opens a form, which must be the first response). The visibility is fixed by the first
// response, so the entry must match what the handler sends; an entry may decide from the
// options (howFor: /interview private, /bank add with a file), and a handler may change it
// before answering (r.setDefer: Next by the asker posts publicly).
//
// # Errors
//
// Handlers return errors; they never write error text themselves. errorReply in router.go is
// the one place an error becomes what the member sees: a quiz.Error's message in the member's
// language, privately; anything else is logged once with the interaction id and shown as a
// generic apology. An interaction that matches no entry (an unknown command, a custom
// id from another version or forged) gets an EINVALID reply.
//
// # Context
//
// No struct holds a context. Open's ctx is the bot's lifetime: each interaction is served
// with it, passed down to the responder. Work that outlives its handler (reading back a
// posted question, editing a question's count) runs through Bot.background, which keeps the
// caller's values but not its cancellation and ends with the bot's lifetime.
package discord

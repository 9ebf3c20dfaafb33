// Package quiz holds the rules of interview practice and the use cases that apply them:
// asking a question, answering, revealing, grading for spaced review, streaks, leaderboards,
// daily posts and moderators' changes to a server's bank.
//
// Vocabulary:
//   - Question: one bank entry, bilingual (Text), with a reference answer and key points.
//   - Bank: the questions a server can be asked (the shipped bank plus that server's Overlay).
//   - Session: one asking of one question in one place (a channel message, an ephemeral reply,
//     the console). Buttons refer to a session by its id.
//   - Answer: what a member wrote for a session.
//   - Card: a member's spaced-review state for one question, scheduled by a Scheduler (FSRS in
//     the bot, SM2 when none is given).
//   - Day: a civil date in some time zone; streaks and daily posts count Days, not 24h spans.
//   - Streak: a member's run of consecutive answering days, with freezes.
//
// One server must not hurt the others on the same store: Quotas bound what a server keeps
// (its own questions, topics, history, pending import previews, open reports per member),
// RateLimits bound how often a member and a server act (token buckets; refusals are
// ERATELIMIT, "try again in N s"), and RunDue posts due reveals round-robin by server.
// Changes to a server's bank read its merged bank, cached per revision, before taking the
// store's single writer, and write only the records they change.
//
// The package imports only the standard library. Storage is behind Store (store.go), posting to
// channels behind Publisher (publish.go); adapters implement them.
package quiz

package quiz

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Publisher posts to a server's channels for the use cases (daily questions and public
// reveals), outside any transaction. A retry with the same Nonce must not post twice (Discord's
// enforce_nonce). Errors with code ENOTFOUND or EFORBIDDEN mean the channel is gone or closed to
// the bot: retrying will not help. Any other error is treated as transient.
type Publisher interface {
	PostQuestion(ctx context.Context, p QuestionPost) (MessageID, error)
	PostReveal(ctx context.Context, p RevealPost) (MessageID, error)
	// Notify tells one member something privately (a direct message), best effort.
	Notify(ctx context.Context, g GuildID, u UserID, text string) error
}

// QuestionPost is a daily question to post.
type QuestionPost struct {
	Guild    GuildID
	Channel  ChannelID
	Session  Session
	Question Question
	Lang     Lang
	Day      Day
	Role     RoleID // mentioned, if set: the only mention a post may make
	Nonce    string
}

// RevealPost is a reference answer to post under a question message.
type RevealPost struct {
	Guild    GuildID
	Channel  ChannelID
	ReplyTo  MessageID // the question message; 0 if unknown
	Session  Session
	Question Question
	Lang     Lang
	Answers  int
	Nonce    string
	// Closed is true for a reveal a member asked for with Close: Practice.Close returns the
	// session for the caller to show the question message's final state itself.
	Closed bool
}

// nonce derives a Discord message nonce (<= 25 characters) from a job's identity, so a retry of
// the same job, even from another process after a crash, sends the same nonce.
func nonce(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:24]
}

// permanent reports whether a publishing error will not go away by retrying.
func permanent(err error) bool {
	c := ErrorCode(err)
	return c == ENOTFOUND || c == EFORBIDDEN || c == EINVALID
}

const (
	// retryDelay is how long a failed reveal waits before the next try.
	retryDelay = time.Minute
	// maxRevealTries bounds the retries of a reveal that keeps failing (30 minutes).
	maxRevealTries = 30
)

// Announcer changes members' roles and posts announcements for the monthly champion and the
// weekly recap (issue 15). It is kept apart from Publisher so that the adapters compile while
// they add it; bot/ passes it as Options.Announcer, or the Publisher also implements it (then it
// is used). Fold it into Publisher once internal/discord implements both methods.
type Announcer interface {
	// SetRole gives (give true) or takes member u's role in g. Both are idempotent (Discord's
	// PUT/DELETE guild member role), so a retry after a crash repeats them safely. ENOTFOUND: the
	// member or role is gone; EFORBIDDEN: the bot may not manage the role (Manage Roles, or the
	// role is above the bot's highest role).
	SetRole(ctx context.Context, g GuildID, u UserID, role RoleID, give bool) error
	// PostAnnouncement posts a in its channel, with a.Nonce (enforce_nonce), and returns the
	// message. Exactly one of a.Champion and a.Recap is set. No mentions may ping except
	// a.Champion.Winner's (the adapter allows that one user).
	PostAnnouncement(ctx context.Context, a Announcement) (MessageID, error)
}

// Announcement is a post in a server's daily channel: the month's champion or the week's recap.
// It carries data, not text: the adapter renders it in Lang.
type Announcement struct {
	Guild    GuildID
	Channel  ChannelID
	Lang     Lang
	Nonce    string
	Champion *ChampionNews
	Recap    *RecapNews
}

// ChampionNews is a month's champion, for the announcement.
type ChampionNews struct {
	Month      string // "2006-01", in the server's zone
	Winner     UserID
	Name       string // the winner's last display name
	Answers    int
	LongestRun int    // the longest run of consecutive answering days in the month
	Role       RoleID // given to Winner; 0 when giving failed (Note on the award says why)
	Previous   UserID // last month's holder, who lost the role; 0 = none or the same member
}

// RecapNews is a week's recap, for the post.
type RecapNews struct {
	From, To  Day             // the week summarised, both included
	Questions []RecapQuestion // the daily questions posted that week, oldest first
	Members   int             // members who answered at least once that week
	Answers   int             // answers given that week
	Streaks   []Entry         // the best current streaks (Value: days), best first
	Month     string          // the month of the race, "2006-01"
	Race      []Entry         // the champion race: answers this month so far, most first
	Champion  RoleID          // the champion role, if set (the race is for it)
}

// RecapQuestion is a daily question of the week, with its message so the adapter can link it.
type RecapQuestion struct {
	Day        Day
	QuestionID string
	Prompt     Text // empty when the question left the bank
	Channel    ChannelID
	Message    MessageID
	Answers    int // answers to its session, when the session is still stored
}

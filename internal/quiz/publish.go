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

package quiz

import (
	"context"
	"time"
)

// Store keeps all state. A use case reads in one View or writes in one Update; one that posts
// to a channel claims in one Update, posts outside any transaction and records in another.
// fn must not do slow work (no network, no sleeping): it runs while the store is locked.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
	// Batch is Update for many concurrent small writers: the store may coalesce calls into one
	// commit and may run fn more than once, so fn must only read and write through tx.
	Batch(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction. Reads see the transaction's own writes. Getters return copies;
// changing them changes nothing until a Put. "Not found" is reported by ok=false, not an error.
// It is the union of one interface per aggregate, so a helper can ask for only what it reads.
type Tx interface {
	GuildTx
	MemberTx
	SessionTx
	DailyTx
	BankTx
	ReportTx
	MockTx
	AwardTx
}

// GuildTx reads and writes servers' configuration.
type GuildTx interface {
	Guild(g GuildID) (Guild, bool, error)
	PutGuild(Guild) error
	// Guilds calls fn for every guild with stored configuration, in id order, until fn returns false.
	Guilds(fn func(Guild) bool) error
}

// MemberTx reads and writes members with their cards and attempts.
type MemberTx interface {
	Member(g GuildID, u UserID) (Member, bool, error)
	PutMember(Member) error
	// Members calls fn for every member of g, in user id order, until fn returns false.
	Members(g GuildID, fn func(Member) bool) error
	// DeleteMember removes the member with their cards and attempts.
	DeleteMember(g GuildID, u UserID) error

	Card(g GuildID, u UserID, questionID string) (Card, bool, error)
	PutCard(g GuildID, u UserID, c Card) error
	// Cards returns all of a member's cards, sorted by question id.
	Cards(g GuildID, u UserID) ([]Card, error)

	Attempt(g GuildID, u UserID, s SessionID) (Attempt, bool, error)
	PutAttempt(Attempt) error
	// Attempts returns all of a member's attempts, oldest session first.
	Attempts(g GuildID, u UserID) ([]Attempt, error)
}

// SessionTx reads and writes sessions and the queue of their reveals.
type SessionTx interface {
	// NextSessionID returns a new session id, unique within g.
	NextSessionID(g GuildID) (SessionID, error)
	// ReserveSessionIDs reserves n session ids of g, first to first+n-1: NextSessionID and
	// later reservations never return them.
	ReserveSessionIDs(g GuildID, n int) (first SessionID, err error)
	Session(g GuildID, s SessionID) (Session, bool, error)
	PutSession(Session) error

	// The due queue orders sessions by the time their reference answer is to be posted.
	PutDue(Due) error
	DeleteDue(Due) error
	// DueUntil returns up to max entries with At <= t, earliest first, across all guilds.
	DueUntil(t time.Time, max int) ([]Due, error)
	// DueUntilPerGuild is DueUntil taking at most perGuild entries of each guild, so that one
	// guild's backlog leaves room for the others'.
	DueUntilPerGuild(t time.Time, perGuild, max int) ([]Due, error)

	// SessionGuilds returns the guilds that hold at least one session, in id order.
	SessionGuilds() ([]GuildID, error)
	// Sessions calls fn for g's sessions with id >= from, in id order (oldest first), until fn
	// returns false. fn must not write through tx.
	Sessions(g GuildID, from SessionID, fn func(Session) bool) error
	// DeleteSession removes a session (not its due entry). Deleting an absent one is no error.
	DeleteSession(g GuildID, s SessionID) error
}

// DailyTx reads and writes the record of daily posts.
type DailyTx interface {
	Post(g GuildID, d Day) (Post, bool, error)
	PutPost(Post) error
	// Posts returns every daily post of g, oldest day first.
	Posts(g GuildID) ([]Post, error)
}

// BankTx reads and writes a server's changes to the bank and their history.
type BankTx interface {
	OverlayQuestions(g GuildID) ([]OverlayEntry, error) // sorted by question id
	// OverlayQuestion returns g's entry for one question, reading only that record.
	OverlayQuestion(g GuildID, questionID string) (OverlayEntry, bool, error)
	PutOverlayQuestion(g GuildID, e OverlayEntry) error
	DeleteOverlayQuestion(g GuildID, questionID string) error
	OverlayTopics(g GuildID) ([]TopicOverlay, error) // sorted by slug
	PutOverlayTopic(g GuildID, t TopicOverlay) error
	AddHistory(g GuildID, h HistoryEntry) error
	// History returns the changes to one question, oldest first.
	History(g GuildID, questionID string) ([]HistoryEntry, error)
	// TrimHistory removes all but the keep newest (highest version) history entries of one
	// question, reading only that question's entries.
	TrimHistory(g GuildID, questionID string, keep int) error
}

// ReportTx reads and writes members' reports of questions.
type ReportTx interface {
	NextReportID(g GuildID) (ReportID, error)
	PutReport(g GuildID, r Report) error
	Report(g GuildID, id ReportID) (Report, bool, error)
	// Reports returns every report of g, oldest first.
	Reports(g GuildID) ([]Report, error)
}

// MockTx reads and writes mock interviews, indexed by participant.
type MockTx interface {
	// NextMockID returns a new mock id, unique within g.
	NextMockID(g GuildID) (MockID, error)
	Mock(g GuildID, id MockID) (Mock, bool, error)
	// PutMock stores m and indexes it under its candidate and, for a pair, its interviewer
	// (an index entry of a participant who left the mock is removed).
	PutMock(Mock) error
	// MemberMocks returns up to max of u's mocks (as candidate or interviewer), newest
	// (by CreatedAt, then id) first.
	MemberMocks(g GuildID, u UserID, max int) ([]Mock, error)
}

// AwardTx reads and writes the monthly champion award and the weekly recap, each sent at
// most once (claimed, then recorded).
type AwardTx interface {
	Award(g GuildID, month string) (Award, bool, error) // month "2006-01"
	PutAward(g GuildID, a Award) error
	Recap(g GuildID, week Day) (Recap, bool, error) // week: its first day
	PutRecap(g GuildID, r Recap) error
}

// Guild is a server's configuration.
type Guild struct {
	ID          GuildID       `json:"id"`
	TZ          string        `json:"tz,omitempty"`           // IANA zone; "" = UTC
	ModRoles    []RoleID      `json:"mod_roles,omitempty"`    // members with one of these may moderate
	RevealAfter time.Duration `json:"reveal_after,omitempty"` // for /interview sessions; 0 = default
	BankRev     uint64        `json:"bank_rev,omitempty"`     // bumped on every overlay change
	Daily       Daily         `json:"daily,omitzero"`
	// ChampionRole is given each month to the member with the most answers; 0 = off.
	ChampionRole RoleID `json:"champion_role,omitempty"`
	// Recap turns on the weekly recap post in the daily channel.
	Recap bool `json:"recap,omitempty"`
	// Since the use cases: who set the champion role and when (a month that ended before is
	// not awarded), and when the recap was turned on (a week's slot before is not posted).
	ChampionSetBy UserID    `json:"champion_set_by,omitempty"`
	ChampionSince time.Time `json:"champion_since,omitzero"`
	RecapSince    time.Time `json:"recap_since,omitzero"`
}

// Daily is a server's daily-post schedule.
type Daily struct {
	Enabled     bool          `json:"enabled,omitempty"`
	Channel     ChannelID     `json:"channel,omitempty"`
	At          string        `json:"at,omitempty"` // "HH:MM" local time
	TZ          string        `json:"tz,omitempty"` // IANA zone
	Topics      []string      `json:"topics,omitempty"`
	Weekdays    uint8         `json:"weekdays,omitempty"` // bit i = time.Weekday(i); 0 = every day
	RevealAfter time.Duration `json:"reveal_after,omitempty"`
	Role        RoleID        `json:"role,omitempty"` // the one mention allowed
	Paused      bool          `json:"paused,omitempty"`
	PauseReason string        `json:"pause_reason,omitempty"`
	Skip        Day           `json:"skip,omitempty"` // a day not to post on
	SetBy       UserID        `json:"set_by,omitempty"`
	SetAt       time.Time     `json:"set_at,omitzero"`
	Lang        Lang          `json:"lang,omitempty"`
}

// Member is one user's state in one server.
type Member struct {
	Guild        GuildID   `json:"guild"`
	User         UserID    `json:"user"`
	Name         string    `json:"name,omitempty"` // last display name seen
	Lang         Lang      `json:"lang,omitempty"` // override; "" = from the client's locale
	TZ           string    `json:"tz,omitempty"`   // override; "" = the server's
	Streak       Streak    `json:"streak"`
	Answered     int       `json:"answered"`
	Month        string    `json:"month,omitempty"` // "2006-01" that MonthAnswers counts
	MonthAnswers int       `json:"month_answers,omitempty"`
	LastQuestion string    `json:"last_question,omitempty"`
	LastSeen     time.Time `json:"last_seen,omitzero"`
	// Retention is the recall FSRS schedules reviews for (MinRetention..MaxRetention); 0 =
	// DefaultRetention.
	Retention float64 `json:"retention,omitempty"`
}

// RetentionOrDefault is m's target recall.
func (m Member) RetentionOrDefault() float64 {
	if m.Retention == 0 {
		return DefaultRetention
	}
	return m.Retention
}

// Card is a member's spaced-review state for one question. Stability, Difficulty, State and
// LastReview are FSRS's memory model (see Scheduler); Ease is the SM-2 factor of cards
// graded before FSRS (or by the SM2 fallback), kept as history. Reps counts reviews.
type Card struct {
	QuestionID string    `json:"question_id"`
	Topic      string    `json:"topic"`        // the question's topic when last asked
	Asked      int       `json:"asked"`        // times the member was given the question
	LastAsked  time.Time `json:"last_asked"`   // when it was last given
	Reps       int       `json:"reps"`         // successful reviews in a row
	Lapses     int       `json:"lapses"`       // times graded Again after a success
	Ease       float64   `json:"ease"`         // SM-2 easiness factor; 0 until first graded
	Interval   int       `json:"interval"`     // days
	Due        time.Time `json:"due,omitzero"` // zero until first graded
	LastGrade  Grade     `json:"last_grade,omitempty"`
	Stability  float64   `json:"stability,omitempty"`  // days until recall falls to 90%
	Difficulty float64   `json:"difficulty,omitempty"` // 1 (easy) to 10 (hard)
	State      CardState `json:"state,omitempty"`
	LastReview time.Time `json:"last_review,omitzero"`
}

// Attempt is what a member did with one session: answered it, revealed it, graded it.
type Attempt struct {
	Guild      GuildID   `json:"guild"`
	User       UserID    `json:"user"`
	Session    SessionID `json:"session"`
	QuestionID string    `json:"question_id"`
	Text       string    `json:"text,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	RevealedAt time.Time `json:"revealed_at,omitzero"`
	Grade      Grade     `json:"grade,omitempty"`
	GradedAt   time.Time `json:"graded_at,omitzero"`
	Hints      int       `json:"hints,omitempty"`     // key points shown as hints before answering
	Covered    []int     `json:"covered,omitempty"`   // key points (indexes) the member says they covered
	Suggested  Grade     `json:"suggested,omitempty"` // SuggestGrade's grade from the checklist
	Mock       MockID    `json:"mock,omitempty"`      // the mock interview it was part of; 0 = none
}

// SessionState is where a session is in its life.
type SessionState string

const (
	SessionOpen     SessionState = "open"
	SessionRevealed SessionState = "revealed"
)

// Session is one asking of one question in one place.
type Session struct {
	Guild         GuildID      `json:"guild"`
	ID            SessionID    `json:"id"`
	QuestionID    string       `json:"question_id"`
	Topic         string       `json:"topic,omitempty"` // what was asked for ("" = any)
	Channel       ChannelID    `json:"channel,omitempty"`
	Message       MessageID    `json:"message,omitempty"`
	OpenedBy      UserID       `json:"opened_by,omitempty"`
	OpenedAt      time.Time    `json:"opened_at"`
	RevealAt      time.Time    `json:"reveal_at,omitzero"` // zero: no public reveal
	Private       bool         `json:"private,omitempty"`
	Daily         Day          `json:"daily,omitempty"` // the day of a daily post
	Lang          Lang         `json:"lang,omitempty"`
	State         SessionState `json:"state"`
	Answers       int          `json:"answers"`
	RevealMessage MessageID    `json:"reveal_message,omitempty"`
	RevealTries   int          `json:"reveal_tries,omitempty"`
}

// Due is an entry in the reveal queue.
type Due struct {
	At      time.Time `json:"at"`
	Guild   GuildID   `json:"guild"`
	Session SessionID `json:"session"`
}

// PostState is where a daily post is: claimed (about to be sent), sent, skipped or failed.
type PostState string

const (
	PostClaimed PostState = "claimed"
	PostSent    PostState = "sent"
	PostSkipped PostState = "skipped"
	PostFailed  PostState = "failed"
)

// Post is the daily post of one server on one day.
type Post struct {
	Guild      GuildID   `json:"guild"`
	Day        Day       `json:"day"`
	QuestionID string    `json:"question_id"`
	Session    SessionID `json:"session"`
	Nonce      string    `json:"nonce"`
	Message    MessageID `json:"message,omitempty"`
	State      PostState `json:"state"`
	ClaimedAt  time.Time `json:"claimed_at"`
	SentAt     time.Time `json:"sent_at,omitzero"`
	Note       string    `json:"note,omitempty"`
	Attempt    int       `json:"attempt,omitempty"` // a failed post retried after a fix gets a new nonce
}

// OverlayEntry is one server's change to one question.
type OverlayEntry struct {
	QuestionID string    `json:"question_id"`
	Question   *Question `json:"question,omitempty"` // the server's text (added or edited); nil = shipped text
	Added      bool      `json:"added,omitempty"`    // the server's own question
	Disabled   bool      `json:"disabled,omitempty"`
	Version    int       `json:"version"`
	UpdatedBy  UserID    `json:"updated_by"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TopicOverlay is one server's change to one topic.
type TopicOverlay struct {
	Slug     string `json:"slug"`
	Title    *Text  `json:"title,omitempty"`
	Added    bool   `json:"added,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
}

// HistoryEntry records one change to a server's bank.
type HistoryEntry struct {
	QuestionID string    `json:"question_id"`
	Version    int       `json:"version"`
	Action     string    `json:"action"` // add, edit, disable, enable, remove, import
	By         UserID    `json:"by"`
	At         time.Time `json:"at"`
	Previous   *Question `json:"previous,omitempty"`
}

// Report is a member's report of a wrong or bad question.
type Report struct {
	ID         ReportID  `json:"id"`
	QuestionID string    `json:"question_id"`
	By         UserID    `json:"by"`
	Reason     string    `json:"reason"`
	At         time.Time `json:"at"`
	Resolved   bool      `json:"resolved,omitempty"`
	ResolvedBy UserID    `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Resolution string    `json:"resolution,omitempty"`
	// Erased is set when the reporter deleted their data: By is then 0 and Reason "".
	Erased bool `json:"erased,omitempty"`
}

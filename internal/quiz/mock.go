package quiz

import "time"

// The state of issue 15's features: mock interviews, the monthly champion role and the weekly
// recap, stored in schema v2. Mock, Award and Recap are stored as JSON, so the fields added
// after v2 (marked "since the use cases") need no migration: older records read them as zero.
// The use cases are in mocks.go (Mocks), awards.go and recap.go (Awards); the rules in
// mock_rules.go and awards_rules.go.

// MockMode is who plays the interviewer.
type MockMode string

const (
	MockSolo MockMode = "solo" // the bot asks and follows up
	MockPair MockMode = "pair" // another member interviews
)

// MockState is where a mock interview is in its life.
type MockState string

const (
	MockWaiting   MockState = "waiting"   // a pair mock waiting for its interviewer
	MockRunning   MockState = "running"   // questions being asked
	MockFinished  MockState = "finished"  // over (done, ended or timed out): the report, being graded
	MockClosed    MockState = "closed"    // the report is graded (or its grading given up): final
	MockAbandoned MockState = "abandoned" // ended or timed out before any answer: nothing to report
)

// MockEnd is why a mock interview ended (since the use cases).
type MockEnd string

const (
	MockEndDone    MockEnd = "done"    // every question and follow-up was answered
	MockEndStopped MockEnd = "stopped" // a participant ended it (Mock.EndedBy)
	MockEndTimeout MockEnd = "timeout" // the time ran out
)

// Mock is one mock interview: a few questions in a row, in a thread, against the clock.
type Mock struct {
	Guild       GuildID    `json:"guild"`
	ID          MockID     `json:"id"`
	Mode        MockMode   `json:"mode"`
	Candidate   UserID     `json:"candidate"`
	Interviewer UserID     `json:"interviewer,omitempty"` // pair mode; 0 until someone takes it
	Topic       string     `json:"topic,omitempty"`       // "" = mixed
	Minutes     int        `json:"minutes"`               // the time allowed
	Deadline    time.Time  `json:"deadline,omitzero"`
	Thread      ChannelID  `json:"thread,omitempty"`
	State       MockState  `json:"state"`
	Steps       []MockStep `json:"steps,omitempty"`
	Verdict     string     `json:"verdict,omitempty"`
	Lang        Lang       `json:"lang,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  time.Time  `json:"finished_at,omitzero"`
	// Since the use cases.
	End     MockEnd `json:"end,omitempty"`
	EndedBy UserID  `json:"ended_by,omitempty"`
	Weak    bool    `json:"weak,omitempty"` // questions from the candidate's weakest topics
}

// MockStep is one question of a mock interview and what happened with it. Every step is chosen
// when the mock starts; a step is asked once StartedAt is set.
type MockStep struct {
	QuestionID string `json:"question_id"`
	Level      Level  `json:"level,omitempty"`
	Answer     string `json:"answer,omitempty"`
	// FollowUps are the follow-up questions chosen for this question (in the mock's language),
	// asked in order after the answer; FollowUpsAsked says how many were asked so far.
	FollowUps       []string  `json:"follow_ups,omitempty"`
	FollowUpAnswers []string  `json:"follow_up_answers,omitempty"` // same order as FollowUps
	Hints           int       `json:"hints,omitempty"`
	Covered         []int     `json:"covered,omitempty"` // key-point indexes
	Grade           Grade     `json:"grade,omitempty"`
	StartedAt       time.Time `json:"started_at,omitzero"`
	AnsweredAt      time.Time `json:"answered_at,omitzero"`
	// Since the use cases.
	FollowUpsAsked int       `json:"follow_ups_asked,omitempty"`
	Points         int       `json:"points,omitempty"`    // the question's key points, for the checklist
	Session        SessionID `json:"session,omitempty"`   // keys the candidate's Attempt (Attempt.Mock)
	Suggested      Grade     `json:"suggested,omitempty"` // SuggestGrade's grade from Covered
	DoneAt         time.Time `json:"done_at,omitzero"`    // the last follow-up answered (or moved on)
	GradedAt       time.Time `json:"graded_at,omitzero"`
}

// AwardState is where a month's champion award is. Each step is recorded before the next
// call to Discord, so a restart resumes instead of repeating.
type AwardState string

const (
	AwardClaimed   AwardState = "claimed"   // the winner is decided
	AwardGiven     AwardState = "given"     // the role moved to the winner
	AwardAnnounced AwardState = "announced" // the announcement is posted
)

// Award is one month's champion in one server.
type Award struct {
	Month     string     `json:"month"` // "2006-01"
	State     AwardState `json:"state"`
	Winner    UserID     `json:"winner,omitempty"`
	Answers   int        `json:"answers,omitempty"` // the winner's answers that month
	Previous  UserID     `json:"previous,omitempty"`
	Role      RoleID     `json:"role,omitempty"`
	Message   MessageID  `json:"message,omitempty"`
	ClaimedAt time.Time  `json:"claimed_at"`
	UpdatedAt time.Time  `json:"updated_at,omitzero"`
	// Since the use cases.
	PreviousRole RoleID    `json:"previous_role,omitempty"` // the role Previous held
	Channel      ChannelID `json:"channel,omitempty"`       // where it is announced; 0 = nowhere
	Nonce        string    `json:"nonce,omitempty"`
	Note         string    `json:"note,omitempty"` // why a step was skipped or failed
	LongestRun   int       `json:"longest_run,omitempty"`
	ReachedAt    time.Time `json:"reached_at,omitzero"` // when the winner reached Answers
	Lang         Lang      `json:"lang,omitempty"`
}

// RecapState is where a week's recap post is.
type RecapState string

const (
	RecapClaimed RecapState = "claimed"
	RecapSent    RecapState = "sent"
)

// Recap is one week's recap post in one server.
type Recap struct {
	Week      Day        `json:"week"` // the week's first day
	State     RecapState `json:"state"`
	Message   MessageID  `json:"message,omitempty"`
	ClaimedAt time.Time  `json:"claimed_at"`
	SentAt    time.Time  `json:"sent_at,omitzero"`
	// Since the use cases.
	Nonce string `json:"nonce,omitempty"`
	Note  string `json:"note,omitempty"`
}

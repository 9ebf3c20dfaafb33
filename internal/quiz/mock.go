package quiz

import "time"

// The state of issue 15's features: mock interviews, the monthly champion role and the weekly
// recap. The use cases that drive them need Discord (threads, roles, posts) and come with the
// adapter; these types fix what is stored, so the storage exists once, in schema v2.

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
	MockFinished  MockState = "finished"  // every step done, verdict given
	MockAbandoned MockState = "abandoned" // stopped, or its deadline passed
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
}

// MockStep is one question of a mock interview and what happened with it.
type MockStep struct {
	QuestionID      string    `json:"question_id"`
	Level           Level     `json:"level,omitempty"`
	Answer          string    `json:"answer,omitempty"`
	FollowUps       []string  `json:"follow_ups,omitempty"`        // the follow-up questions asked
	FollowUpAnswers []string  `json:"follow_up_answers,omitempty"` // same order as FollowUps
	Hints           int       `json:"hints,omitempty"`
	Covered         []int     `json:"covered,omitempty"` // key-point indexes
	Grade           Grade     `json:"grade,omitempty"`
	StartedAt       time.Time `json:"started_at,omitzero"`
	AnsweredAt      time.Time `json:"answered_at,omitzero"`
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
}

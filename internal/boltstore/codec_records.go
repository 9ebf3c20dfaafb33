package boltstore

import (
	"encoding/binary"
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Sessions and attempts are binary too (schema v2): they are most of what a busy server writes,
// one of each per answer (issue 12's budget is 400 bytes of live data per answered question).
// The ids are in the key and the guild in the bucket path, so the values do not repeat them.
// Strings, times and grades are as in cards (codec.go); enums are bytes. Readers still accept
// the JSON of schema v1 (a value starting with '{'), so a file is readable at every step of the
// v2 migration; writers always write binary.
//
// Session, version 1:
//
//	version        byte = 1
//	question_id    string
//	topic          string
//	channel        uvarint
//	message        uvarint
//	opened_by      uvarint
//	opened_at      time
//	reveal_at      time
//	private        byte 0|1
//	daily          varint (quiz.Day; 0 = not a daily post)
//	lang           string
//	state          byte: 0 none, 1 open, 2 revealed
//	answers        varint
//	reveal_message uvarint
//	reveal_tries   varint
//
// Attempt, version 1:
//
//	version     byte = 1
//	question_id string
//	text        string
//	answered_at time
//	revealed_at time
//	grade       grade byte
//	graded_at   time
//	hints       varint
//	covered     uvarint count, then each index as a varint
//	suggested   grade byte
//	mock        uvarint (quiz.MockID)
const (
	sessionCodecV1 = 1
	attemptCodecV1 = 1
)

var sessionStates = []quiz.SessionState{"", quiz.SessionOpen, quiz.SessionRevealed}

func encodeSession(s quiz.Session) ([]byte, error) {
	state := -1
	for i, x := range sessionStates {
		if x == s.State {
			state = i
		}
	}
	if state < 0 {
		return nil, fmt.Errorf("unknown session state %q", s.State)
	}
	b := make([]byte, 0, 96)
	b = append(b, sessionCodecV1)
	b = appendString(b, s.QuestionID)
	b = appendString(b, s.Topic)
	b = binary.AppendUvarint(b, uint64(s.Channel))
	b = binary.AppendUvarint(b, uint64(s.Message))
	b = binary.AppendUvarint(b, uint64(s.OpenedBy))
	b = appendTime(b, s.OpenedAt)
	b = appendTime(b, s.RevealAt)
	b = append(b, boolByte(s.Private))
	b = binary.AppendVarint(b, int64(s.Daily))
	b = appendString(b, string(s.Lang))
	b = append(b, byte(state))
	b = binary.AppendVarint(b, int64(s.Answers))
	b = binary.AppendUvarint(b, uint64(s.RevealMessage))
	return binary.AppendVarint(b, int64(s.RevealTries)), nil
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// decodeSession decodes session id of guild g, binary or (schema v1) JSON.
func decodeSession(g quiz.GuildID, id quiz.SessionID, data []byte) (quiz.Session, error) {
	if isJSON(data) {
		var s quiz.Session
		err := decodeJSON(data, &s)
		return s, err
	}
	r := cardReader{b: data}
	if v := r.byte(); r.err == nil && v != sessionCodecV1 {
		return quiz.Session{}, fmt.Errorf("unknown session encoding version %d", v)
	}
	s := quiz.Session{Guild: g, ID: id}
	s.QuestionID = r.bytes()
	s.Topic = r.bytes()
	s.Channel = quiz.ChannelID(r.uvarint())
	s.Message = quiz.MessageID(r.uvarint())
	s.OpenedBy = quiz.UserID(r.uvarint())
	s.OpenedAt = r.time()
	s.RevealAt = r.time()
	s.Private = r.bool()
	s.Daily = quiz.Day(r.int())
	s.Lang = quiz.Lang(r.bytes())
	if st := r.byte(); int(st) < len(sessionStates) {
		s.State = sessionStates[st]
	} else {
		r.fail(fmt.Errorf("unknown session state byte %d", st))
	}
	s.Answers = r.int()
	s.RevealMessage = quiz.MessageID(r.uvarint())
	s.RevealTries = r.int()
	r.end()
	return s, r.err
}

func encodeAttempt(a quiz.Attempt) ([]byte, error) {
	grade, err := gradeByte(a.Grade)
	if err != nil {
		return nil, err
	}
	suggested, err := gradeByte(a.Suggested)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 48+len(a.QuestionID)+len(a.Text)+len(a.Covered))
	b = append(b, attemptCodecV1)
	b = appendString(b, a.QuestionID)
	b = appendString(b, a.Text)
	b = appendTime(b, a.AnsweredAt)
	b = appendTime(b, a.RevealedAt)
	b = append(b, grade)
	b = appendTime(b, a.GradedAt)
	b = binary.AppendVarint(b, int64(a.Hints))
	b = binary.AppendUvarint(b, uint64(len(a.Covered)))
	for _, i := range a.Covered {
		b = binary.AppendVarint(b, int64(i))
	}
	b = append(b, suggested)
	return binary.AppendUvarint(b, uint64(a.Mock)), nil
}

// decodeAttempt decodes user u's attempt at session s in guild g, binary or (schema v1) JSON.
func decodeAttempt(g quiz.GuildID, u quiz.UserID, s quiz.SessionID, data []byte) (quiz.Attempt, error) {
	if isJSON(data) {
		var a quiz.Attempt
		err := decodeJSON(data, &a)
		return a, err
	}
	r := cardReader{b: data}
	if v := r.byte(); r.err == nil && v != attemptCodecV1 {
		return quiz.Attempt{}, fmt.Errorf("unknown attempt encoding version %d", v)
	}
	a := quiz.Attempt{Guild: g, User: u, Session: s}
	a.QuestionID = r.bytes()
	a.Text = r.bytes()
	a.AnsweredAt = r.time()
	a.RevealedAt = r.time()
	a.Grade = r.grade()
	a.GradedAt = r.time()
	a.Hints = r.int()
	if n := r.uvarint(); n > uint64(len(r.b)) {
		r.fail(errTruncated)
	} else if n > 0 {
		a.Covered = make([]int, n)
		for i := range a.Covered {
			a.Covered[i] = r.int()
		}
	}
	a.Suggested = r.grade()
	a.Mock = quiz.MockID(r.uvarint())
	r.end()
	return a, r.err
}

// isJSON tells a schema-v1 JSON value from a binary one, whose first byte is a small version.
func isJSON(data []byte) bool { return len(data) > 0 && data[0] == '{' }

func (r *cardReader) bool() bool {
	switch v := r.byte(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		r.fail(fmt.Errorf("bad bool byte %d", v))
		return false
	}
}

package quiz

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The rules of practice as pure functions: values in, values out, no store.

// askable reports why topic of b cannot be asked from: an unknown topic (listing the topics),
// an empty bank or an empty topic.
func askable(b *Bank, topic string) error {
	if topic != "" {
		if _, ok := b.Topic(topic); !ok {
			return b.TopicError(topic)
		}
	}
	if len(b.Questions(topic)) > 0 {
		return nil
	}
	if topic == "" {
		return Errorf(ENOTFOUND, "The question bank is empty.")
	}
	return Errorf(ENOTFOUND, "Topic %s has no questions.", topic)
}

// chooseQuestion decides what to ask: for a review the card due longest ago, else pick's
// choice. due is how many other reviews are due. loc is the member's zone, for the time of
// the next review when nothing is due.
func chooseQuestion(b *Bank, r AskRequest, cards []Card, last string, now time.Time, loc *time.Location, intn func(int) int) (q Question, due int, err error) {
	if err := askable(b, r.Topic); err != nil {
		return Question{}, 0, err
	}
	if r.Review {
		c, due, ok := reviewCard(b, cards, r.Topic, last, now)
		if !ok {
			return Question{}, 0, nothingDue(b, cards, r.Topic, last, now, loc)
		}
		q, _ := b.Question(c.QuestionID)
		return q, due, nil
	}
	q, ok := pick(b, r.Topic, cards, last, now, intn)
	if !ok {
		if r.Topic == "" {
			return Question{}, 0, Errorf(ENOTFOUND, "There is no other question in the bank right now.")
		}
		return Question{}, 0, Errorf(ENOTFOUND, "There is no other question in %s right now.", r.Topic)
	}
	return q, 0, nil
}

// reviewCard returns the card to review: of the cards due at now in topic ("" = any) whose
// question is still in b, and that were not just asked (last), the one due first. others is
// how many more are due.
func reviewCard(b *Bank, cards []Card, topic, last string, now time.Time) (c Card, others int, ok bool) {
	n := 0
	for _, x := range cards {
		if !x.IsDue(now) || x.QuestionID == last || (topic != "" && x.Topic != topic) {
			continue
		}
		if _, inBank := b.Question(x.QuestionID); !inBank {
			continue
		}
		if n == 0 || x.Due.Before(c.Due) {
			c = x
		}
		n++
	}
	return c, n - 1, n > 0
}

// Gone counts the scheduled cards whose question is no longer in b (removed, disabled, or
// not in the bank this bot loaded): reviews skips them, and says how many.
func Gone(b *Bank, cards []Card) int {
	n := 0
	for _, c := range cards {
		if _, ok := b.Question(c.QuestionID); !ok && !c.Due.IsZero() {
			n++
		}
	}
	return n
}

// nothingDue is the error for a review with nothing due: when the next one is, if any, in the
// member's zone loc. Cards whose question left b are never due again, so they neither set the
// next time nor stay silent: the message counts them as skipped.
func nothingDue(b *Bank, cards []Card, topic, last string, now time.Time, loc *time.Location) error {
	var next time.Time
	justAsked := false
	for _, c := range cards {
		if _, ok := b.Question(c.QuestionID); !ok || c.Due.IsZero() || (topic != "" && c.Topic != topic) {
			continue
		}
		if c.IsDue(now) && c.QuestionID == last {
			justAsked = true
			continue
		}
		if next.IsZero() || c.Due.Before(next) {
			next = c.Due
		}
	}
	gone := Gone(b, cards)
	switch {
	case justAsked && gone > 0:
		return Errorf(ENOTFOUND, "The only review due is the question you were just given: answer it, or reveal its answer. Reviews skipped because their question left the bank: %d.", gone)
	case justAsked:
		return Errorf(ENOTFOUND, "The only review due is the question you were just given: answer it, or reveal its answer.")
	case next.IsZero() && gone > 0:
		return Errorf(ENOTFOUND, "Nothing is due for review: grade a question after answering it and it will come back here. Reviews skipped because their question left the bank: %d.", gone)
	case next.IsZero():
		return Errorf(ENOTFOUND, "Nothing is due for review yet: grade a question after answering it and it will come back here.")
	case gone > 0:
		return Errorf(ENOTFOUND, "Nothing is due for review. The next review is due %s. Reviews skipped because their question left the bank: %d.", At{next, loc}, gone)
	}
	return Errorf(ENOTFOUND, "Nothing is due for review. The next review is due %s.", At{next, loc})
}

// newSession is the session that asks q of a at now. A question shown in a channel (not
// private) reveals its answer there after revealAfter.
func newSession(a Actor, r AskRequest, id SessionID, q Question, lang Lang, now time.Time, revealAfter time.Duration) Session {
	sess := Session{
		Guild: a.Guild, ID: id, QuestionID: q.ID, Topic: r.Topic, Channel: r.Channel,
		OpenedBy: a.User, OpenedAt: now, Private: r.Private, Lang: lang, State: SessionOpen,
	}
	if r.Channel != 0 && !r.Private {
		// The reveal is queued only once the question is known to be posted publicly
		// (SetSessionMessage): a reply that never reached the channel reveals nothing.
		sess.RevealAt = now.Add(revealAfter)
	}
	return sess
}

// askedCard is c after its question q was asked at now.
func askedCard(c Card, q Question, now time.Time) Card {
	c.QuestionID, c.Topic = q.ID, q.Topic
	c.Asked++
	c.LastAsked = now
	return c
}

// identify stamps m as a's member record, with the display name a was last seen with.
func identify(m Member, a Actor) Member {
	m.Guild, m.User = a.Guild, a.User
	if a.Name != "" {
		m.Name = a.Name
	}
	return m
}

// ValidateAnswer trims an answer and checks it is neither empty nor longer than MaxAnswerText.
func ValidateAnswer(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(text):
		return "", Errorf(EINVALID, "Your answer is not valid text.")
	case text == "":
		return "", Errorf(EINVALID, "Your answer is empty. Write what you would say in the interview, then submit.")
	case utf8.RuneCountInString(text) > MaxAnswerText:
		return "", Errorf(EINVALID, "Your answer is %d characters; the limit is %d.", utf8.RuneCountInString(text), MaxAnswerText)
	}
	return text, nil
}

// answeredAttempt is the attempt at after a's answer text to session sid at now; an earlier
// reveal, grade, hints and checklist are kept.
func answeredAttempt(at Attempt, a Actor, sid SessionID, questionID, text string, now time.Time) Attempt {
	return Attempt{Guild: a.Guild, User: a.User, Session: sid, QuestionID: questionID, Text: text,
		AnsweredAt: now, RevealedAt: at.RevealedAt, Grade: at.Grade, GradedAt: at.GradedAt,
		Hints: at.Hints, Covered: at.Covered, Suggested: at.Suggested, Mock: at.Mock}
}

// applyAnswer is what an answer at now does to member m, whose days are counted in loc. Only
// the first answer to a session counts: it records the day in the streak and adds to the
// totals and to this month's count (which restarts in a new month).
func applyAnswer(m Member, a Actor, now time.Time, loc *time.Location, first bool) Member {
	m = identify(m, a)
	m.LastSeen = now
	if !first {
		return m
	}
	m.Streak = m.Streak.Record(DayOf(now, loc))
	m.Answered++
	if month := now.In(loc).Format("2006-01"); m.Month != month {
		m.Month, m.MonthAnswers = month, 0
	}
	m.MonthAnswers++
	return m
}

// gradable reports why an attempt cannot be graded: it was neither answered nor revealed, or
// it was graded already.
func gradable(at Attempt, found bool) error {
	if !found || (at.AnsweredAt.IsZero() && at.RevealedAt.IsZero()) {
		return Errorf(EINVALID, "Answer this question (or reveal its answer) before grading it.")
	}
	if at.Grade != "" {
		return Errorf(ECONFLICT, "You already graded this question as %s.", at.Grade)
	}
	return nil
}

// closable reports why sess cannot be closed: it was never posted publicly, or its answer is
// already out.
func closable(sess Session) error {
	if sess.Private || sess.Channel == 0 || sess.Message == 0 {
		return Errorf(EINVALID, "This session is private: there is nothing to reveal publicly.")
	}
	if sess.State == SessionRevealed {
		return Errorf(ECONFLICT, "The answer to this question has already been posted.")
	}
	return nil
}

// checkReport trims a report's reason and checks its length.
func checkReport(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 5 || n > 1000 {
		return "", Errorf(EINVALID, "Say in 5 to 1000 characters what is wrong with the question.")
	}
	return reason, nil
}

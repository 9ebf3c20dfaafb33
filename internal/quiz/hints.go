package quiz

import (
	"context"
	"math"
	"slices"
)

// Hints and the key-point checklist (issue 14). Before answering, a member may ask for hints:
// each reveals the next key point, privately. After seeing the reference answer they tick the
// key points their answer covered, and get a suggested grade; they still choose the grade.

// HintResult is what a hint shows: the key points revealed so far, in the member's language.
type HintResult struct {
	Session  Session
	Question Question
	Lang     Lang
	Hints    int      // hints taken on this session, this one included
	Points   []string // the first Hints key points
	Left     int      // hints still available
}

// Hint reveals the next key point of session sid to the actor and records the number of
// hints on their attempt (answering afterwards keeps it). At most len(key points)−1 hints are
// given, so the answer is never handed over whole.
// Returns ENOTFOUND for an unknown session, ECONFLICT once the reference answer is shown (the
// member answered or revealed) or when no hint is left.
func (p *Practice) Hint(ctx context.Context, a Actor, sid SessionID) (HintResult, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return HintResult{}, err
	}
	var out HintResult
	err := p.store.Update(ctx, func(tx Tx) error {
		v, err := p.loadAttempt(tx, a, sid)
		if err != nil {
			return err
		}
		points := v.q.KeyPoints.In(a.lang(v.m))
		at, err := nextHint(v.at, v.found, len(points))
		if err != nil {
			return err
		}
		at.Guild, at.User, at.Session, at.QuestionID = a.Guild, a.User, sid, v.q.ID
		if err := tx.PutAttempt(at); err != nil {
			return err
		}
		out = HintResult{Session: v.sess, Question: v.q, Lang: a.lang(v.m), Hints: at.Hints,
			Points: slices.Clone(points[:at.Hints]), Left: maxHints(len(points)) - at.Hints}
		return nil
	})
	return out, err
}

// maxHints is how many hints a question with n key points allows: all but one.
func maxHints(n int) int { return max(n-1, 0) }

// nextHint is the attempt after one more hint, or why none can be given.
func nextHint(at Attempt, found bool, points int) (Attempt, error) {
	if found && (!at.AnsweredAt.IsZero() || !at.RevealedAt.IsZero()) {
		return at, Errorf(ECONFLICT, "hint.after_answer")
	}
	if at.Hints >= maxHints(points) {
		return at, Errorf(ECONFLICT, "hint.none_left", at.Hints, points)
	}
	at.Hints++
	return at, nil
}

// Suggestion is the grade the checklist suggests, with its reason in the member's language.
type Suggestion struct {
	Grade   Grade
	Reason  string
	Covered []int // the key points ticked, sorted
	Total   int
	Hints   int
	Lang    Lang
}

// Check records which key points (indexes into the question's key points) the actor's answer
// to session sid covered, and suggests a grade from them (SuggestGrade). The attempt keeps
// both; checking again replaces them, until the member grades.
// Returns ENOTFOUND for an unknown session, EINVALID before the reference answer is shown or
// for an index out of range, ECONFLICT once graded.
func (p *Practice) Check(ctx context.Context, a Actor, sid SessionID, covered []int) (Suggestion, error) {
	if err := p.pending.wait(ctx, a.Guild, sid); err != nil {
		return Suggestion{}, err
	}
	var out Suggestion
	err := p.store.Update(ctx, func(tx Tx) error {
		v, err := p.loadAttempt(tx, a, sid)
		if err != nil {
			return err
		}
		if err := gradable(v.at, v.found); err != nil {
			return err
		}
		total := len(v.q.KeyPoints.EN)
		cov, err := checkCovered(covered, total)
		if err != nil {
			return err
		}
		g, reason := suggest(len(cov), total, v.at.Hints, a.lang(v.m))
		v.at.Covered, v.at.Suggested = cov, g
		if err := tx.PutAttempt(v.at); err != nil {
			return err
		}
		out = Suggestion{Grade: g, Reason: reason, Covered: slices.Clone(cov), Total: total, Hints: v.at.Hints, Lang: a.lang(v.m)}
		return nil
	})
	return out, err
}

// checkCovered sorts and de-duplicates key-point indexes, and checks each is in 0..total−1.
func checkCovered(covered []int, total int) ([]int, error) {
	out := slices.Clone(covered)
	slices.Sort(out)
	out = slices.Compact(out)
	for _, i := range out {
		if i < 0 || i >= total {
			return nil, Errorf(EINVALID, "hint.no_point", i+1, total)
		}
	}
	if out == nil {
		out = []int{}
	}
	return out, nil
}

// HintPenalty is what each hint takes off the covered share in SuggestGrade.
const HintPenalty = 0.15

// SuggestGrade suggests a grade for an answer that covered covered of total key points after
// hints hints, with the reason in English. The rule:
//
//	score = covered/total − HintPenalty × hints   (at least 0)
//	score ≥ 0.9 → Easy   (everything, or nearly, and unaided)
//	score ≥ 0.6 → Good
//	score ≥ 0.3 → Hard
//	otherwise   → Again
//
// A key point shown as a hint and then covered still counts as covered; the penalty is what
// makes it cost. So all four of four points with one hint (0.85) is Good, not Easy. A question
// without key points suggests Good.
func SuggestGrade(covered, total, hints int) (Grade, string) {
	return suggest(covered, total, hints, English)
}

func suggest(covered, total, hints int, l Lang) (Grade, string) {
	if total <= 0 {
		return Good, l.Msg("hint.no_points")
	}
	covered = min(max(covered, 0), total)
	hints = max(hints, 0)
	share := float64(covered) / float64(total)
	score := math.Max(0, share-HintPenalty*float64(hints))
	var g Grade
	switch {
	case score >= 0.9-1e-9:
		g = Easy
	case score >= 0.6-1e-9:
		g = Good
	case score >= 0.3-1e-9:
		g = Hard
	default:
		g = Again
	}
	pct := func(f float64) int { return int(math.Round(f * 100)) }
	if hints == 0 {
		return g, l.Msg("hint.covered", covered, total, pct(share), g.Label())
	}
	return g, l.Msg("hint.covered_with_hints", covered, total, pct(share), Counted{hints, "unit.hint"}, pct(HintPenalty), pct(score), g.Label())
}

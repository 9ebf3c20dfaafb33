package discord

import (
	"errors"
	"strconv"
	"strings"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Custom IDs carry ids only, never state, plus a version, so buttons keep working after a
// restart: "v1:<action>:<session>[:<arg>]".
const customIDVersion = "v1"

// Component and modal actions.
const (
	actAnswer     = "answer"  // button: open the answer modal
	actSubmit     = "submit"  // modal: the answer
	actReveal     = "reveal"  // button: show the reference answer privately
	actNext       = "next"    // button: another question on the same topic
	actClose      = "close"   // button: reveal publicly now
	actGrade      = "grade"   // button: self-grade, arg = grade
	actReport     = "report"  // button: open the report modal
	actReportSend = "rsubmit" // modal: the report
	actPage       = "page"    // button: bank list paging, session = page, arg = topic
	actConfirm    = "confirm" // button: apply a pending import, session = import id
	actCancel     = "cancel"  // button: drop a pending import
	actResolve    = "resolve" // button: resolve a report, session = report id
	actForget     = "forget"  // button: confirm /privacy delete
	actAdd1       = "add1"    // modal: /bank add, first language; session = draft id
	actAdd2Open   = "add2"    // button: open the second-language modal; session = draft id
	actAdd2       = "add2m"   // modal: /bank add, second language; session = draft id
	actEdit       = "edit"    // modal: /bank edit; session = version, arg = lang/id
	actFull       = "full"    // button under a public reveal: the full reference answer, privately
)

type customID struct {
	Action  string
	Session uint64
	Arg     string
}

func (c customID) String() string {
	s := customIDVersion + ":" + c.Action + ":" + strconv.FormatUint(c.Session, 10)
	if c.Arg != "" {
		s += ":" + c.Arg
	}
	return s
}

var errBadCustomID = errors.New("discord: unknown custom id")

// parseCustomID parses a custom ID sent back by Discord. Anything not ours (an old version,
// another bot's format, a forged value) is an error.
func parseCustomID(s string) (customID, error) {
	if len(s) > 100 {
		return customID{}, errBadCustomID
	}
	parts := strings.SplitN(s, ":", 4)
	if len(parts) < 3 || parts[0] != customIDVersion || parts[1] == "" {
		return customID{}, errBadCustomID
	}
	id, err := strconv.ParseUint(parts[2], 10, 64)
	if err != nil {
		return customID{}, errBadCustomID
	}
	c := customID{Action: parts[1], Session: id}
	if len(parts) == 4 {
		c.Arg = parts[3]
	}
	switch c.Action {
	case actAnswer, actSubmit, actReveal, actNext, actClose, actReport, actReportSend, actConfirm, actCancel, actResolve,
		actForget, actAdd1, actAdd2Open, actAdd2, actEdit, actFull:
	case actGrade:
		if _, ok := quiz.ParseGrade(c.Arg); !ok {
			return customID{}, errBadCustomID
		}
	case actPage:
	default:
		return customID{}, errBadCustomID
	}
	return c, nil
}

package discord

import (
	"context"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Component actions, the <action> of a custom id. Messages already posted carry them, so a
// released name never changes. The comment says what the custom id's <id> and <arg> hold.
const (
	actAnswer     = "answer"  // button: open the answer form; id = session
	actSubmit     = "submit"  // form: the answer; id = session
	actReveal     = "reveal"  // button: show the reference answer privately; id = session
	actNext       = "next"    // button: another question on the same topic; id = session
	actClose      = "close"   // button: reveal publicly now; id = session
	actGrade      = "grade"   // button: self-grade; id = session, arg = grade
	actReport     = "report"  // button: open the report form; id = session
	actReportSend = "rsubmit" // form: the report; id = session
	actFull       = "full"    // button under a public reveal: the full answer, privately; id = session
	actForget     = "forget"  // button: confirm /privacy delete; id = 0
	actPage       = "page"    // button: /bank list paging; id = page, arg = topic[#p|#n]
	actConfirm    = "confirm" // button: apply a pending import; id = import
	actCancel     = "cancel"  // button: drop a pending import; id = import
	actResolve    = "resolve" // button: resolve a report; id = report
	actAdd1       = "add1"    // form: /bank add, first language; id = draft
	actAdd2Open   = "add2"    // button: open the second-language form; id = draft
	actAdd2       = "add2m"   // form: /bank add, second language; id = draft
	actAddOne     = "add1s"   // button: save a /bank add draft in its first language only; id = draft
	actEdit       = "edit"    // form: /bank edit; id = version, arg = lang/question id
	actHint       = "hint"    // button: the next key point as a hint, privately; id = session
	actCheck      = "check"   // string select: the key points an answer covered; id = session
	actWeak       = "weak"    // button under /progress: a question from the weakest topic; id = 0
	// Mock interviews: id = mock.
	actMockAnswer = "mans"    // button: open the answer form (candidate)
	actMockSubmit = "msub"    // form: the candidate's answer
	actMockHint   = "mhint"   // button: a key point as a hint
	actMockNext   = "mnext"   // button: the interviewer reveals the next question or follow-up
	actMockScript = "mscript" // button: the interviewer's script, privately
	actMockEnd    = "mend"    // button: end the mock, or close its report
	actMockCheck  = "mcheck"  // select: the key points an answer covered; arg = step
	actMockGrade  = "mgrade"  // button: grade a question of the report; arg = step.grade
	actMockReport = "mreport" // button (/mock history): a past report, privately
)

// action serves one button or form.
type action struct {
	form bool // a form's submission (a modal); otherwise a button
	// how says how to defer if the handler is slow: deferNever for a button that opens a form,
	// deferUpdate for one that rewrites the message it is on.
	how deferKind
	arg func(arg string) bool // accepts the custom id's arg; nil accepts any
	// moderators marks a moderator's button or form: the router checks the clicker first.
	moderators bool
	// moderatorsMayMore marks a button that lets moderators do more than others (Close on
	// another member's question): the router works out whether the clicker is one.
	moderatorsMayMore bool
	// ownReply marks a button that rewrites the message it is on, which must then be the
	// clicker's own private reply: a forged click on any other message (a public question, a
	// daily post) would otherwise replace it.
	ownReply bool
	// onMock marks a mock interview's button or form that may update the message it is on:
	// that message must carry the same mock's buttons, so a forged click cannot rewrite another.
	onMock bool
	// onMessage marks a form opened only from a button on a message: its submission may update
	// that message (Discord allows types 6 and 7 for it), so it may defer as deferUpdate.
	onMessage bool
	// commands are those whose Discord permissions make a moderator here; /bank if empty.
	commands []string
	run      func(b *Bot, ctx context.Context, r *responder, c customID) error
}

func (a action) moderatedBy() []string {
	if len(a.commands) == 0 {
		return []string{"bank"}
	}
	return a.commands
}

// actions routes every button and form the bot sends, by action; parseCustomID accepts exactly
// these.
var actions = map[string]action{
	actAnswer:     {how: deferNever, run: (*Bot).openAnswer},
	actSubmit:     {form: true, run: (*Bot).submitAnswer},
	actReveal:     {run: (*Bot).reveal},
	actNext:       {run: (*Bot).next},
	actClose:      {how: deferUpdate, moderatorsMayMore: true, commands: []string{"bank", "daily"}, run: (*Bot).closeQuestion},
	actGrade:      {how: deferUpdate, ownReply: true, arg: validGrade, run: (*Bot).grade},
	actReport:     {how: deferNever, run: (*Bot).openReport},
	actReportSend: {form: true, run: (*Bot).sendReport},
	actFull:       {run: (*Bot).fullAnswer},
	actForget:     {how: deferUpdate, ownReply: true, run: (*Bot).forget},
	actPage:       {moderators: true, how: deferUpdate, ownReply: true, run: (*Bot).bankPage},
	actConfirm:    {moderators: true, how: deferUpdate, ownReply: true, run: (*Bot).applyImport},
	actCancel:     {moderators: true, how: deferUpdate, ownReply: true, run: (*Bot).cancelImport},
	actResolve:    {moderators: true, how: deferUpdate, ownReply: true, run: (*Bot).resolveReport},
	actAdd1:       {moderators: true, form: true, run: (*Bot).addFirstLanguage},
	actAdd2Open:   {moderators: true, how: deferNever, run: (*Bot).openSecondLanguage},
	actAdd2:       {moderators: true, form: true, run: (*Bot).addSecondLanguage},
	actAddOne:     {moderators: true, run: (*Bot).addOneLanguage},
	actEdit:       {moderators: true, form: true, run: (*Bot).saveEdit},
	actHint:       {run: (*Bot).hint},
	actCheck:      {how: deferUpdate, ownReply: true, run: (*Bot).check},
	actWeak:       {run: (*Bot).practiseWeak},
	actMockAnswer: {how: deferNever, run: (*Bot).openMockAnswer},
	actMockSubmit: {form: true, onMessage: true, how: deferUpdate, onMock: true, run: (*Bot).submitMockAnswer},
	actMockHint:   {how: deferUpdate, onMock: true, run: (*Bot).mockHint},
	actMockNext:   {how: deferUpdate, onMock: true, run: (*Bot).mockNext},
	actMockScript: {run: (*Bot).mockScript},
	actMockEnd:    {how: deferUpdate, onMock: true, run: (*Bot).mockEnd},
	actMockCheck:  {how: deferUpdate, onMock: true, arg: validStep, run: (*Bot).mockCheck},
	actMockGrade:  {how: deferUpdate, onMock: true, arg: validStepGrade, run: (*Bot).mockGrade},
	actMockReport: {run: (*Bot).mockReport},
}

func validGrade(arg string) bool {
	_, ok := quiz.ParseGrade(arg)
	return ok
}

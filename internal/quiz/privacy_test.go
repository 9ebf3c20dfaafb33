package quiz_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestPrivacyExportAndDeleteCoverEverythingNamingTheMember: the export holds every record that
// names the member (reports with their words, the sessions they opened, attempts, cards,
// settings), and after the erase nothing stored names them or holds their words.
func TestPrivacyExportAndDeleteCoverEverythingNamingTheMember(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a, b := member(1), member(2)
	a.Manager = true // a also resolves b's report and set the daily schedule
	const reason, answer = "the answer misses TIME_WAIT entirely", "SYN, SYN-ACK, ACK"
	public, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Channel: 5})
	if err != nil {
		t.Fatal(err)
	}
	private, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Practice.Answer(ctx, a, private.Session.ID, answer); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Practice.Report(ctx, a, public.Session.ID, reason); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Practice.Report(ctx, b, public.Session.ID, "a typo in the question"); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Moderation.ResolveReport(ctx, a, 2, "fixed"); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Moderation.SetDisabled(ctx, a, private.Question.ID, true); err != nil {
		t.Fatal(err)
	}
	err = e.store.Update(ctx, func(tx quiz.Tx) error {
		g, _, err := tx.Guild(10)
		g.Daily = quiz.Daily{Channel: 5, At: "09:00", SetBy: a.User}
		if err == nil {
			err = tx.PutGuild(g)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	ex, err := e.app.Members.ExportMember(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Member == nil || len(ex.Cards) != 2 || len(ex.Attempts) != 1 || ex.Attempts[0].Text != answer {
		t.Errorf("export: member %v, %d cards, attempts %+v", ex.Member, len(ex.Cards), ex.Attempts)
	}
	if len(ex.Reports) != 2 || ex.Reports[0].Reason != reason || ex.Reports[1].ResolvedBy != a.User ||
		ex.Reports[1].Reason != "" || ex.Reports[1].By != 0 {
		t.Errorf("export reports = %+v; want theirs with its words, and the one they resolved without b's name or words", ex.Reports)
	}
	if len(ex.Sessions) != 2 || ex.Sessions[0].ID != public.Session.ID || ex.Sessions[1].ID != private.Session.ID {
		t.Errorf("export sessions = %+v; want the two they opened", ex.Sessions)
	}
	if len(ex.BankChanges) != 1 || ex.BankChanges[0].Action != "disable" || ex.BankChanges[0].QuestionID != private.Question.ID {
		t.Errorf("export bank changes = %+v; want the question they disabled", ex.BankChanges)
	}
	exb, _ := e.app.Members.ExportMember(ctx, b)
	if len(exb.Sessions) != 0 || len(exb.Reports) != 1 || exb.Reports[0].By != b.User {
		t.Errorf("b's export = sessions %+v, reports %+v; want only b's report", exb.Sessions, exb.Reports)
	}

	if err := e.app.Members.DeleteMember(ctx, a); err != nil {
		t.Fatal(err)
	}
	dump := storeDump(t, e)
	for _, leak := range []string{reason, answer, `"by":1,`, `"resolved_by":1,`, `"opened_by":1,`, `"set_by":1,`, `"user":1,`, `"updated_by":1,`} {
		if strings.Contains(dump, leak) {
			t.Errorf("after /privacy delete the store still holds %q:\n%s", leak, dump)
		}
	}
	if !strings.Contains(dump, "a typo in the question") {
		t.Errorf("b's report was erased too:\n%s", dump)
	}
	ex, _ = e.app.Members.ExportMember(ctx, a)
	if ex.Member != nil || len(ex.Cards)+len(ex.Attempts)+len(ex.Reports)+len(ex.Sessions)+len(ex.Mocks)+len(ex.BankChanges) != 0 {
		t.Errorf("export after the erase = %+v; want nothing", ex)
	}
}

// storeDump is every guild, member, session and report of server 10 as JSON, one per line.
func storeDump(t *testing.T, e *env) string {
	t.Helper()
	var out []any
	err := e.store.View(ctx, func(tx quiz.Tx) error {
		g, _, err := tx.Guild(10)
		out = append(out, g)
		if err != nil {
			return err
		}
		if err := tx.Members(10, func(m quiz.Member) bool { out = append(out, m); return true }); err != nil {
			return err
		}
		if err := tx.Sessions(10, 0, func(s quiz.Session) bool { out = append(out, s); return true }); err != nil {
			return err
		}
		rs, err := tx.Reports(10)
		for _, r := range rs {
			out = append(out, r)
		}
		if err != nil {
			return err
		}
		entries, err := tx.OverlayQuestions(10)
		for _, e := range entries {
			out = append(out, e)
			hs, err := tx.History(10, e.QuestionID)
			if err != nil {
				return err
			}
			for _, h := range hs {
				out = append(out, h)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, v := range out {
		data, _ := json.Marshal(v)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestStreakHidesAnotherMembersZone: /streak member:X shows X's personal time zone to X only;
// a member without one is counted in the server's zone, which anyone may see.
func TestStreakHidesAnotherMembersZone(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	x, y := member(1), member(2)
	if _, err := e.app.Members.SetTimezone(ctx, x, "Asia/Kathmandu"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Members.SetLanguage(ctx, x, "zh"); err != nil {
		t.Fatal(err)
	}
	if v, err := e.app.Members.Streak(ctx, x, x.User); err != nil || v.Zone != "Asia/Kathmandu" {
		t.Errorf("X's own streak zone = %q, %v; want Asia/Kathmandu", v.Zone, err)
	}
	v, err := e.app.Members.Streak(ctx, y, x.User)
	if err != nil || v.Zone != "" || v.Member.TZ != "" || v.Member.Lang != "" || v.Member.User != x.User {
		t.Errorf("X's streak seen by Y: zone %q, member %+v, %v; want neither zone nor settings", v.Zone, v.Member, err)
	}
	if v, err := e.app.Members.Streak(ctx, x, y.User); err != nil || v.Zone != "UTC" {
		t.Errorf("Y's streak (no zone of their own) seen by X: zone %q, %v; want the server's UTC", v.Zone, err)
	}
}

// TestPrivateSessionIsTheAskers: a forged button or form carrying another member's private
// session id answers, reveals, reports, hints, continues and opens nothing; the asker still can.
func TestPrivateSessionIsTheAskers(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	owner, other := member(1), member(2)
	asked, err := e.app.Practice.Ask(ctx, owner, quiz.AskRequest{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	sid := asked.Session.ID
	forbidden := map[string]error{}
	_, forbidden["Answer"] = e.app.Practice.Answer(ctx, other, sid, "stolen")
	_, forbidden["Reveal"] = e.app.Practice.Reveal(ctx, other, sid)
	forbidden["Report"] = e.app.Practice.Report(ctx, other, sid, "a forged report")
	_, forbidden["Hint"] = e.app.Practice.Hint(ctx, other, sid)
	_, forbidden["Next"] = e.app.Practice.Next(ctx, other, sid, quiz.AskRequest{Private: true})
	_, _, forbidden["SessionFor"] = e.app.Practice.SessionFor(ctx, other, sid)
	for name, err := range forbidden {
		if quiz.ErrorCode(err) != quiz.EFORBIDDEN {
			t.Errorf("%s on another member's private session = %v; want EFORBIDDEN", name, err)
		}
	}
	ex, _ := e.app.Members.ExportMember(ctx, other)
	if len(ex.Attempts)+len(ex.Reports)+len(ex.Cards) != 0 {
		t.Errorf("the forged calls left records: %+v", ex)
	}
	if _, _, err := e.app.Practice.SessionFor(ctx, owner, sid); err != nil {
		t.Errorf("SessionFor by the asker = %v", err)
	}
	if _, err := e.app.Practice.Answer(ctx, owner, sid, "mine"); err != nil {
		t.Errorf("Answer by the asker = %v", err)
	}
	// A public question stays open to everyone.
	pub, _ := e.app.Practice.Ask(ctx, owner, quiz.AskRequest{Channel: 5})
	if _, err := e.app.Practice.Answer(ctx, other, pub.Session.ID, "mine"); err != nil {
		t.Errorf("Answer to a public question by another member = %v", err)
	}
}

// TestCloseOnlyOnTheQuestionsMessage: Close rewrites the message it is clicked on, so a Close
// forged onto another public message (another question, a daily post) is refused.
func TestCloseOnlyOnTheQuestionsMessage(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	a := member(1)
	asked, err := e.app.Practice.Ask(ctx, a, quiz.AskRequest{Channel: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Practice.SetSessionMessage(ctx, 10, asked.Session.ID, 5, 100); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.app.Practice.Close(ctx, a, quiz.CloseRequest{Session: asked.Session.ID, Channel: 5, Message: 200})
	if quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("Close on another message = %v; want EINVALID", err)
	}
	if sess, _, _ := e.app.Practice.Session(ctx, 10, asked.Session.ID); sess.State != quiz.SessionOpen || sess.Message != 100 {
		t.Errorf("after the forged Close: %+v; want still open on message 100", sess)
	}
	if _, _, err := e.app.Practice.Close(ctx, a, quiz.CloseRequest{Session: asked.Session.ID, Channel: 5, Message: 100}); err != nil {
		t.Errorf("Close on the question's own message = %v", err)
	}
}

// TestExportOfAPairMock: a pair mock names both members; the candidate's export holds their
// answers, the interviewer's holds the mock without them. Erasing the interviewer leaves the
// candidate's mock without the interviewer's name.
func TestExportOfAPairMock(t *testing.T) {
	e := newEnv(t, testBank(t, 3, "tcp"))
	candidate, interviewer := member(1), member(2)
	mock := quiz.Mock{Guild: 10, Mode: quiz.MockPair, Candidate: candidate.User, Interviewer: interviewer.User, State: quiz.MockFinished,
		Verdict: "solid on handshakes", CreatedAt: e.clock.Now(),
		Steps: []quiz.MockStep{{QuestionID: "tcp-1", Answer: "the candidate's own words", FollowUps: []string{"why?"}, FollowUpAnswers: []string{"because"}}}}
	err := e.store.Update(ctx, func(tx quiz.Tx) error {
		id, err := tx.NextMockID(10)
		mock.ID = id
		if err == nil {
			err = tx.PutMock(mock)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := e.app.Members.ExportMember(ctx, candidate)
	if len(mine.Mocks) != 1 || mine.Mocks[0].Steps[0].Answer != "the candidate's own words" {
		t.Errorf("candidate's export mocks = %+v; want theirs with their answers", mine.Mocks)
	}
	theirs, _ := e.app.Members.ExportMember(ctx, interviewer)
	if len(theirs.Mocks) != 1 || theirs.Mocks[0].Steps[0].Answer != "" || theirs.Mocks[0].Steps[0].FollowUpAnswers != nil ||
		theirs.Mocks[0].Verdict != mock.Verdict || theirs.Mocks[0].Steps[0].FollowUps[0] != "why?" {
		t.Errorf("interviewer's export mocks = %+v; want the mock without the candidate's answers", theirs.Mocks)
	}
	if err := e.app.Members.DeleteMember(ctx, interviewer); err != nil {
		t.Fatal(err)
	}
	mine, _ = e.app.Members.ExportMember(ctx, candidate)
	if len(mine.Mocks) != 1 || mine.Mocks[0].Interviewer != 0 || mine.Mocks[0].Steps[0].Answer == "" {
		t.Errorf("candidate's mock after the interviewer's erase = %+v; want it kept, without the interviewer", mine.Mocks)
	}
}

package quiz_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// lineCodec is a bank codec for tests: the file topic.yaml holds one question id per line.
type lineCodec struct{}

func (lineCodec) Parse(name string, data []byte) (quiz.Topic, []quiz.Question, error) {
	slug := strings.TrimSuffix(name, ".yaml")
	var qs []quiz.Question
	for _, id := range strings.Fields(string(data)) {
		qs = append(qs, testQuestion(slug, id))
	}
	return quiz.Topic{Slug: slug, Title: quiz.Text{EN: slug, ZH: slug}}, qs, nil
}

func (lineCodec) Marshal(t quiz.Topic, qs []quiz.Question) ([]byte, error) {
	var b strings.Builder
	for _, q := range qs {
		fmt.Fprintln(&b, q.ID)
	}
	return []byte(b.String()), nil
}

// overlayWatch fails a test when a write transaction reads a server's whole overlay.
type overlayWatch struct {
	quiz.Store
	t *testing.T
}

func (s overlayWatch) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	return s.Store.Update(ctx, func(tx quiz.Tx) error { return fn(watchedTx{tx, s.t}) })
}

type watchedTx struct {
	quiz.Tx
	t *testing.T
}

func (tx watchedTx) OverlayQuestions(g quiz.GuildID) ([]quiz.OverlayEntry, error) {
	tx.t.Helper()
	tx.t.Errorf("OverlayQuestions(%d) read inside a write transaction", g)
	return tx.Tx.OverlayQuestions(g)
}

func quotaApp(t *testing.T, b *quiz.Bank, q quiz.Quotas) (*quiz.App, *clock) {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	st := overlayWatch{quiztest.NewMemStore(), t}
	return quiz.New(st, b, quiz.Options{Now: c.Now, Codec: lineCodec{}, Quotas: q}), c
}

var qmod = quiz.Actor{Guild: 10, User: 1, Manager: true}

// TestQuestionQuota: /bank add stops at the server's question quota with a message naming the
// limit, in both languages; removing a question makes room again. No change reads the whole
// overlay inside its write transaction.
func TestQuestionQuota(t *testing.T) {
	app, _ := quotaApp(t, testBank(t, 2, "tcp"), quiz.Quotas{Questions: 3})
	for i := range 3 {
		if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", fmt.Sprintf("own-%d", i))); err != nil {
			t.Fatalf("AddQuestion %d: %v", i, err)
		}
	}
	err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", "own-3"))
	if quiz.ErrorCode(err) != quiz.EINVALID || !strings.Contains(quiz.ErrorMessage(err), "3 questions of its own, its limit of 3") {
		t.Fatalf("AddQuestion past the quota = %v; want EINVALID naming the limit of 3", err)
	}
	if zh := quiz.ErrorMessageIn(err, quiz.Chinese); !strings.Contains(zh, "上限 3") {
		t.Errorf("Chinese message = %q; want it to name the limit", zh)
	}
	// Disabling a question and shipped edits do not free or take room; removing does.
	if err := app.Moderation.SetDisabled(ctx, qmod, "own-0", true); err != nil {
		t.Fatal(err)
	}
	if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", "own-3")); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("AddQuestion with a disabled question still stored = %v; want EINVALID", err)
	}
	if err := app.Moderation.RemoveQuestion(ctx, qmod, "own-0"); err != nil {
		t.Fatal(err)
	}
	if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", "own-3")); err != nil {
		t.Errorf("AddQuestion after a removal = %v; want nil", err)
	}
	if ids, err := app.Moderation.MatchQuestionIDs(ctx, qmod, "own", 25); err != nil || strings.Join(ids, ",") != "own-1,own-2,own-3" {
		t.Errorf("MatchQuestionIDs(own) = %v, %v; want own-1,own-2,own-3", ids, err)
	}
}

// TestImportQuota: a preview (and so its apply) that would take the server past its question
// or topic quota is refused, naming the file and the limit.
func TestImportQuota(t *testing.T) {
	app, _ := quotaApp(t, testBank(t, 2, "tcp", "dns"), quiz.Quotas{Questions: 3, Topics: 3})
	if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", "own-0")); err != nil {
		t.Fatal(err)
	}
	_, err := app.Moderation.PreviewImport(ctx, qmod, "tcp.yaml", []byte("tcp-q0 tcp-q1 own-0 a b c"))
	if quiz.ErrorCode(err) != quiz.EINVALID || !strings.Contains(quiz.ErrorMessage(err), "Importing tcp.yaml would add 3 questions, but this server's bank holds 1 of its own and its limit is 3") {
		t.Fatalf("PreviewImport past the quota = %v", err)
	}
	plan, err := app.Moderation.PreviewImport(ctx, qmod, "new.yaml", []byte("a b"))
	if err != nil {
		t.Fatalf("PreviewImport within the quota: %v", err)
	}
	if _, err := app.Moderation.ApplyImport(ctx, qmod, plan.ID); err != nil {
		t.Fatalf("ApplyImport: %v", err)
	}
	_, err = app.Moderation.PreviewImport(ctx, qmod, "other.yaml", []byte("x"))
	if quiz.ErrorCode(err) != quiz.EINVALID || !strings.Contains(quiz.ErrorMessage(err), "already has 3 topics, its limit of 3") {
		t.Errorf("PreviewImport of a topic past the topic quota = %v", err)
	}
	if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("other", "y")); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("AddQuestion in a topic past the topic quota = %v; want EINVALID", err)
	}
	if err := app.Moderation.AddQuestion(ctx, qmod, testQuestion("tcp", "y")); quiz.ErrorCode(err) != quiz.EINVALID {
		t.Errorf("AddQuestion past the question quota = %v; want EINVALID", err)
	}
}

// TestHistoryQuota: a question keeps only its newest History versions.
func TestHistoryQuota(t *testing.T) {
	app, _ := quotaApp(t, testBank(t, 2, "tcp"), quiz.Quotas{History: 2})
	for v := range 5 {
		q := testQuestion("tcp", "tcp-q0")
		q.Prompt.EN = fmt.Sprintf("Edit %d?", v)
		if err := app.Moderation.EditQuestion(ctx, qmod, q, v); err != nil {
			t.Fatalf("edit %d: %v", v, err)
		}
	}
	hs, err := app.Moderation.QuestionHistory(ctx, qmod, "tcp-q0")
	if err != nil || len(hs) != 2 || hs[0].Version != 4 || hs[1].Version != 5 {
		t.Errorf("QuestionHistory = %+v, %v; want versions 4 and 5", hs, err)
	}
}

// TestPreviewQuota: each moderator has one pending preview, a server Previews of them, and all
// servers' previews PreviewBytes of files; the oldest go first.
func TestPreviewQuota(t *testing.T) {
	app, c := quotaApp(t, testBank(t, 2, "tcp"), quiz.Quotas{Previews: 2, PreviewBytes: 12})
	preview := func(a quiz.Actor, data string) quiz.ImportPlan {
		t.Helper()
		c.Add(time.Second)
		p, err := app.Moderation.PreviewImport(ctx, a, "new.yaml", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// pending applies p: ENOTFOUND means it was dropped (ECONFLICT, an earlier apply in this
	// test changed the bank, means it was still there).
	pending := func(a quiz.Actor, p quiz.ImportPlan) bool {
		_, err := app.Moderation.ApplyImport(ctx, a, p.ID)
		if c := quiz.ErrorCode(err); c != "" && c != quiz.ENOTFOUND && c != quiz.ECONFLICT {
			t.Fatalf("ApplyImport: %v", err)
		}
		return quiz.ErrorCode(err) != quiz.ENOTFOUND
	}
	mod2, mod3 := quiz.Actor{Guild: 10, User: 2, Manager: true}, quiz.Actor{Guild: 10, User: 3, Manager: true}
	other := quiz.Actor{Guild: 20, User: 1, Manager: true}

	first, second := preview(qmod, "a"), preview(qmod, "b")
	if pending(qmod, first) {
		t.Error("a moderator's first preview survived their second")
	}
	p2, p3 := preview(mod2, "c"), preview(mod3, "d")
	if pending(qmod, second) {
		t.Error("the server's oldest preview survived past its quota of 2")
	}
	if !pending(mod3, p3) {
		t.Error("the newest preview was dropped")
	}
	// 12 bytes in all: a 12-byte file in another server pushes out the older 1-byte one.
	big := preview(other, "aaaaa bbbbbb")
	if pending(mod2, p2) {
		t.Error("a preview survived past the byte quota")
	}
	if !pending(other, big) {
		t.Error("the preview that fits was dropped")
	}
}

// TestOpenReportsQuota: a member's reports stop at Quotas.OpenReports until a moderator
// resolves one.
func TestOpenReportsQuota(t *testing.T) {
	app, _ := quotaApp(t, testBank(t, 2, "tcp"), quiz.Quotas{OpenReports: 2})
	// A public question, which other members may report too (a private one is its asker's).
	asked, err := app.Practice.Ask(ctx, member(5), quiz.AskRequest{Channel: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := app.Practice.Report(ctx, member(5), asked.Session.ID, "the answer is wrong"); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
	}
	err = app.Practice.Report(ctx, member(5), asked.Session.ID, "the answer is wrong")
	if quiz.ErrorCode(err) != quiz.EINVALID || !strings.Contains(quiz.ErrorMessage(err), "You have 2 open reports, the most one member may have (2)") {
		t.Fatalf("third report = %v; want EINVALID naming the limit", err)
	}
	if err := app.Practice.Report(ctx, member(6), asked.Session.ID, "another member's view"); err != nil {
		t.Errorf("another member's report = %v; want nil", err)
	}
	reports, err := app.Moderation.Reports(ctx, qmod)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Moderation.ResolveReport(ctx, qmod, reports[0].ID, "fixed"); err != nil {
		t.Fatal(err)
	}
	if err := app.Practice.Report(ctx, member(5), asked.Session.ID, "the answer is wrong"); err != nil {
		t.Errorf("report after one was resolved = %v; want nil", err)
	}
}

// TestRateLimitedAsk: Ask (and Next, which asks) stops at the member's rate with the time to
// wait, and works again once the clock has moved on.
func TestRateLimitedAsk(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	app := quiz.New(quiztest.NewMemStore(), testBank(t, 5, "tcp"), quiz.Options{Now: c.Now,
		RateLimits: quiz.RateLimits{quiz.ActAsk: {Member: quiz.Rate{Burst: 2, Every: 30 * time.Second}, Server: quiz.Rate{Burst: 100, Every: time.Second}}}})
	first, err := app.Practice.Ask(ctx, member(5), quiz.AskRequest{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Practice.Next(ctx, member(5), first.Session.ID, quiz.AskRequest{Private: true}); err != nil {
		t.Fatal(err)
	}
	_, err = app.Practice.Ask(ctx, member(5), quiz.AskRequest{Private: true})
	if quiz.ErrorCode(err) != quiz.ERATELIMIT || quiz.ErrorMessage(err) != "You're doing that too often. Try again in 30 s." {
		t.Fatalf("third ask = %v; want ERATELIMIT, try again in 30 s", err)
	}
	c.Add(30 * time.Second)
	if _, err := app.Practice.Ask(ctx, member(5), quiz.AskRequest{Private: true}); err != nil {
		t.Errorf("ask after the wait = %v; want nil", err)
	}
}

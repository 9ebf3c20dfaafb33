package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestReconnectsMidFlow interrupts an /interview flow with op 7 (RESUME), op 9 (re-IDENTIFY)
// and a dropped connection; every step still completes and nothing is lost.
func TestReconnectsMidFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "http"))
	r := e.wait(ask)
	q, _ := ask.Original()
	ids := customIDs(t, r.Components)

	resumes := e.fake.Resumes()
	e.fake.Reconnect()
	if err := e.fake.Await(e.ctx, func() bool { return e.fake.Resumes() > resumes }); err != nil {
		t.Fatal("no RESUME after op 7")
	}
	if err := e.fake.WaitReady(e.ctx); err != nil {
		t.Fatal(err)
	}
	m := e.wait(e.fake.Click(guildA, channelA, ada, q.ID, ids["answer"]))
	if m.Type != 9 {
		t.Fatalf("after op 7 Answer = type %d", m.Type)
	}

	identifies := e.fake.Identifies()
	e.fake.InvalidSession()
	if err := e.fake.Await(e.ctx, func() bool { return e.fake.Identifies() > identifies }); err != nil {
		t.Fatal("no IDENTIFY after op 9")
	}
	if err := e.fake.WaitReady(e.ctx); err != nil {
		t.Fatal(err)
	}
	ref := e.wait(e.fake.SubmitModalOnMessage(guildA, channelA, ada, q.ID, m.ModalCustomID, map[string]string{"answer": "idempotent methods"}))
	if ref.Flags&64 == 0 || !strings.Contains(embedText(ref.Embeds), "Reference answer") {
		t.Fatalf("after op 9 the answer got %+v", ref)
	}

	resumes = e.fake.Resumes()
	e.fake.DropConnection()
	if err := e.fake.Await(e.ctx, func() bool { return e.fake.Resumes() > resumes || e.fake.Identifies() > identifies+1 }); err != nil {
		t.Fatal("no reconnect after a dropped connection")
	}
	if err := e.fake.WaitReady(e.ctx); err != nil {
		t.Fatal(err)
	}
	st := e.final(e.fake.Slash(guildA, channelA, ada, "streak"))
	if !strings.Contains(embedText(st.Embeds), "**1** day in a row") {
		t.Fatalf("streak after reconnects = %s", embedText(st.Embeds))
	}
	// The commands were registered once, not again on every READY.
	if n := e.fake.CommandOverwrites(); n != 1 {
		t.Fatalf("command overwrites = %d after reconnects; want 1", n)
	}
}

// slowQuiz blocks Ask until release is closed, to force the bot to defer.
type slowQuiz struct {
	discord.Practice
	entered chan struct{}
	release chan struct{}
}

func (s slowQuiz) Ask(ctx context.Context, a quiz.Actor, r quiz.AskRequest) (quiz.Asked, error) {
	close(s.entered)
	<-s.release
	return s.Practice.Ask(ctx, a, r)
}

func TestSlowHandlerDefers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sq := slowQuiz{entered: make(chan struct{}), release: make(chan struct{})}
	e.start(withDeferAfter(200*time.Millisecond), withUseCases(func(uc discord.UseCases) discord.UseCases { sq.Practice = uc.Practice; uc.Practice = sq; return uc }))
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "go"))
	<-sq.entered
	r := e.wait(ask) // the deferral arrives while Ask is still blocked
	if r.Type != 5 {
		t.Fatalf("slow handler's first response = type %d; want 5 (deferred)", r.Type)
	}
	close(sq.release)
	m := e.final(ask)
	if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "go") {
		t.Fatalf("deferred response was edited to %+v", m)
	}
	if ask.Latency() > 3e9 {
		t.Fatalf("acknowledged after %s", ask.Latency())
	}
}

// heldWrite holds the session's write after the question was shown (Ask writes once Show
// returns) until release is closed, and closes reading when a session is first read by id.
type heldWrite struct {
	discord.Practice
	release chan struct{}
	reading chan struct{}
	once    *sync.Once
}

func (h heldWrite) Ask(ctx context.Context, a quiz.Actor, r quiz.AskRequest) (quiz.Asked, error) {
	show := r.Show
	r.Show = func(asked quiz.Asked) (quiz.ChannelID, quiz.MessageID) {
		ch, msg := show(asked)
		<-h.release
		return ch, msg
	}
	return h.Practice.Ask(ctx, a, r)
}

func (h heldWrite) SessionFor(ctx context.Context, a quiz.Actor, sid quiz.SessionID) (quiz.Session, quiz.Question, error) {
	h.once.Do(func() { close(h.reading) })
	return h.Practice.SessionFor(ctx, a, sid)
}

// TestQuestionShownBeforeWrite: /interview's question reaches Discord before its session is
// written (the write held here, with no deferral timer to hide a wait), as a full reply (4)
// with the message the fake created; the Answer button clicked before the write waits for it
// and opens the form; the session then holds the question's message (one write for both).
func TestQuestionShownBeforeWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := heldWrite{release: make(chan struct{}), reading: make(chan struct{}), once: &sync.Once{}}
	b := e.start(withDeferAfter(time.Hour), withUseCases(func(uc discord.UseCases) discord.UseCases { h.Practice = uc.Practice; uc.Practice = h; return uc }))
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "go"))
	r := e.wait(ask) // with the write held: only a reply sent before it can arrive
	question, ok := ask.Original()
	if r.Type != 4 || len(r.Embeds) != 1 || !ok {
		t.Fatalf("/interview with its write held: callback type %d with %d embeds (message %v); want the question (4)", r.Type, len(r.Embeds), ok)
	}
	click := e.fake.Click(guildA, channelA, ada, question.ID, customIDs(t, r.Components)["answer"])
	<-h.reading // the click reads the session while it is not written yet
	close(h.release)
	if form := e.wait(click); form.Type != 9 {
		t.Fatalf("Answer clicked before the session was written: callback type %d (%s); want the form (9)", form.Type, form.Content)
	}
	sid := sessionOfModal(t, e.wait(click).ModalCustomID)
	sess, _, err := b.app.domain.Practice.Session(e.ctx, quiz.GuildID(mustID(t, guildA)), sid)
	if err != nil || sess.Message != quiz.MessageID(mustID(t, question.ID)) {
		t.Fatalf("session %d: message %d, %v; want the question's message %s, written with the session", sid, sess.Message, err, question.ID)
	}
}

// TestSlowPrivateStaysPrivate: a slow private /interview defers privately, and a slow public
// one that ends in an error replaces its public "thinking…" with a private message.
func TestSlowPrivateStaysPrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sq := slowQuiz{entered: make(chan struct{}), release: make(chan struct{})}
	e.start(withDeferAfter(200*time.Millisecond), withUseCases(func(uc discord.UseCases) discord.UseCases { sq.Practice = uc.Practice; uc.Practice = sq; return uc }))
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "go"), opt("private", true))
	<-sq.entered
	if r := e.wait(ask); r.Type != 5 || r.Flags&64 == 0 {
		t.Fatalf("slow private /interview deferred with type %d flags %d; want a private deferral", r.Type, r.Flags)
	}
	close(sq.release)
	if m := e.final(ask); m.Flags&64 == 0 {
		t.Fatalf("the private question ended up public: %+v", m)
	}

	sq2 := slowQuiz{entered: make(chan struct{}), release: make(chan struct{})}
	e2 := newEnv(t)
	e2.start(withDeferAfter(200*time.Millisecond), withUseCases(func(uc discord.UseCases) discord.UseCases { sq2.Practice = uc.Practice; uc.Practice = sq2; return uc }))
	bad := e2.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "no-such-topic"))
	<-sq2.entered
	if r := e2.wait(bad); r.Type != 5 || r.Flags&64 != 0 {
		t.Fatalf("slow public /interview deferred with type %d flags %d", r.Type, r.Flags)
	}
	close(sq2.release)
	err := e2.fake.Await(e2.ctx, func() bool { return len(bad.Followups()) > 0 })
	if err != nil {
		t.Fatal("no follow-up with the error")
	}
	f := bad.Followups()[0]
	if f.Flags&64 == 0 || !strings.Contains(f.Content, "no topic") {
		t.Fatalf("error after a public deferral = %+v; want a private follow-up", f)
	}
	if orig, ok := bad.Original(); ok && !orig.Deleted {
		t.Fatalf("the public thinking message was left: %+v", orig)
	}
}

// slowNextQuiz blocks Next until release is closed.
type slowNextQuiz struct {
	discord.Practice
	entered chan struct{}
	release chan struct{}
}

func (s slowNextQuiz) Next(ctx context.Context, a quiz.Actor, sid quiz.SessionID, r quiz.AskRequest) (quiz.Asked, error) {
	close(s.entered)
	<-s.release
	return s.Practice.Next(ctx, a, sid, r)
}

// TestSlowNextStaysPublic: the asker's Next on a public question, when slow, defers publicly
// and the new question is posted for everyone.
func TestSlowNextStaysPublic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sq := slowNextQuiz{entered: make(chan struct{}), release: make(chan struct{})}
	e.start(withDeferAfter(200*time.Millisecond), withUseCases(func(uc discord.UseCases) discord.UseCases { sq.Practice = uc.Practice; uc.Practice = sq; return uc }))
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "os"))
	r := e.wait(ask)
	q, _ := ask.Original()
	next := e.fake.Click(guildA, channelA, ada, q.ID, customIDs(t, r.Components)["next"])
	<-sq.entered
	if d := e.wait(next); d.Type != 5 || d.Flags&64 != 0 {
		t.Fatalf("slow Next deferred with type %d flags %d; want a public deferral", d.Type, d.Flags)
	}
	close(sq.release)
	if m := e.final(next); m.Flags&64 != 0 || len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "os") {
		t.Fatalf("the asker's next question = %+v; want it public", m)
	}
}

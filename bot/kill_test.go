package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestKillMidAnswer runs the built bot as its own process against the fake Discord, has members
// answer a public question through the modal, and SIGKILLs the process while answers are in
// flight, then restarts it on the same database, 20 times. After the last (graceful)
// stop it opens the database read-only and checks that every answer the fake saw acknowledged
// (the reference answer came back in the callback) is stored with its text, and that each
// answer and its counters were written together: a session's answer count is the number of its
// stored answers, and a member's Answered is 1 exactly when their answer is stored.
//
// boltstore's TestCrash kills a process that writes records directly; this one goes through
// the modal, Service.Answer and its Batch, the reply, and a new process each time.
func TestKillMidAnswer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipped in -short mode: builds the binary with the go command and runs it 21 times")
	}
	bin := buildBinary(t)
	const kills = 20
	e := newEnv(t)
	var answers []killAnswer
	begin := time.Now()
	for life := 0; life <= kills; life++ {
		answers = append(answers, answerThroughALife(t, e, bin, life, life == kills)...)
	}
	took := time.Since(begin)
	acked, stored, storedUnacked := checkStoredAnswers(t, e, answers)
	t.Logf("%d kills and a graceful stop in %v: %d answers sent, %d acknowledged, %d stored (all acknowledged ones, plus %d stored before the kill cut their reply)",
		kills, took.Round(time.Millisecond), len(answers), acked, stored, storedUnacked)
	if acked == len(answers) {
		t.Errorf("every answer was acknowledged: no kill landed mid-answer")
	}
}

// buildBinary builds the bot as the Dockerfile does, a static binary, in a temporary folder,
// with extra go build flags.
func buildBinary(t testing.TB, extra ...string) string {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command in PATH to build the binary with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "bot")
	args := append(append([]string{"build", "-trimpath", "-buildvcs=false"}, extra...), "-o", bin, ".")
	build := exec.Command(goTool, args...)
	build.Env = append(environWithout("CGO_ENABLED", "GOFLAGS"), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// inFlight is how many answers TestKillMidAnswer keeps submitted and not yet acknowledged.
const inFlight = 6

// killAnswer is one answer TestKillMidAnswer submitted.
type killAnswer struct {
	ix      *discordtest.Interaction
	user    quiz.UserID
	session quiz.SessionID
	text    string
}

// life is one run of the process: a public question, and the answers members submit to it.
type life struct {
	t        *testing.T
	e        *env
	n        int
	question discordtest.Message
	form     discordtest.Response
	sid      quiz.SessionID
	batch    []killAnswer
}

// submit has the next member answer.
func (l *life) submit() {
	u := discordtest.User{ID: fmt.Sprintf("4%017d", l.n*100+len(l.batch)+1), Username: "m", Permissions: "0"}
	text := fmt.Sprintf("SYN, SYN-ACK, ACK (member %s, life %d)", u.ID, l.n)
	ix := l.e.fake.SubmitModalOnMessage(guildA, channelA, u, l.question.ID, l.form.ModalCustomID, map[string]string{"answer": text})
	l.batch = append(l.batch, killAnswer{ix: ix, user: quiz.UserID(parseSnowflake(u.ID)), session: l.sid, text: text})
}

// acked counts this life's acknowledged answers.
func (l *life) acked() int {
	n := 0
	for _, a := range l.batch {
		if answerAcknowledged(a.ix) {
			n++
		}
	}
	return n
}

// answerThroughALife starts the process, asks a question and has members answer it. The last
// life waits for all its answers and stops gracefully; the others are killed mid-answer.
func answerThroughALife(t *testing.T, e *env, bin string, n int, last bool) []killAnswer {
	p := startProcess(t, e, bin)
	asker := discordtest.User{ID: "300000000000000010", Username: "asker", Permissions: "0"}
	ask := e.fake.Slash(guildA, channelA, asker, "interview", opt("topic", "tcp"))
	r := e.wait(ask)
	question, ok := ask.Original()
	if !ok {
		t.Fatalf("life %d: /interview posted no question\n%s", n, p.logs.String())
	}
	first := discordtest.User{ID: fmt.Sprintf("4%017d", n*100+1), Username: "m", Permissions: "0"}
	form := e.wait(e.fake.Click(guildA, channelA, first, question.ID, customIDs(t, r.Components)["answer"]))
	l := &life{t: t, e: e, n: n, question: question, form: form, sid: sessionOfModal(t, form.ModalCustomID)}
	if last {
		for range inFlight {
			l.submit()
		}
		for _, a := range l.batch {
			if r := e.wait(a.ix); r.Type != 4 {
				t.Fatalf("life %d: answer callback type %d; want the reference answer (4)", n, r.Type)
			}
		}
		p.stop(t, syscall.SIGTERM)
		if code := p.cmd.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("SIGTERM after %d kills: exit %d; want 0\n%s", n, code, p.logs.String())
		}
		return l.batch
	}
	l.killMidAnswer(p)
	return l.batch
}

// killMidAnswer keeps inFlight answers open: each acknowledgement lets another member submit.
// The process is killed on the killAfter-th acknowledgement (1, 3, 5 … 11, then again, so early
// and late in the life), with the others at every stage: not yet read from the gateway, in the store's
// batch, or replying. In odd lives a burst of new answers arrives first, so the kill also lands
// while they are being read and stored.
func (l *life) killMidAnswer(p *process) {
	t, e := l.t, l.e
	killAfter := 1 + 2*(l.n%6)
	for range inFlight {
		l.submit()
	}
	for seen := 0; seen < killAfter; {
		err := e.fake.Await(p.ctx, func() bool { return l.acked() > seen })
		if err != nil {
			t.Fatalf("life %d: waiting for acknowledged answers (%d so far): %v\n%s", l.n, seen, err, p.logs.String())
		}
		n := l.acked()
		if n >= killAfter {
			if l.n%2 == 1 {
				for range inFlight {
					l.submit()
				}
			}
			break
		}
		for ; seen < n; seen++ {
			l.submit()
		}
	}
	p.stop(t, syscall.SIGKILL)
	t.Logf("life %d: killed after %d acknowledged answers of %d submitted", l.n, l.acked(), len(l.batch))
	// The fake notices the dead socket; the next process then gets a fresh session.
	if err := e.fake.Await(e.ctx, func() bool { return !e.fake.Connected() }); err != nil {
		t.Fatal(err)
	}
}

// checkStoredAnswers opens the database read-only after the last stop and checks that every
// acknowledged answer is stored with its text, and that each answer and its counters were
// written together.
func checkStoredAnswers(t *testing.T, e *env, answers []killAnswer) (acked, stored, storedUnacked int) {
	st, err := boltstore.Open(e.db, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the database after the last stop: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("database check after the kills: %v", err)
	}
	perSession := map[quiz.SessionID]int{}
	err = st.View(e.ctx, func(tx quiz.Tx) error {
		for _, a := range answers {
			at, found, err := tx.Attempt(quiz.GuildID(parseSnowflake(guildA)), a.user, a.session)
			if err != nil {
				return err
			}
			has := found && !at.AnsweredAt.IsZero()
			ack := answerAcknowledged(a.ix)
			if ack {
				acked++
			}
			if has {
				stored++
				perSession[a.session]++
				if !ack {
					storedUnacked++
				}
				if at.Text != a.text {
					t.Errorf("member %d's stored answer = %q; want %q", a.user, at.Text, a.text)
				}
			}
			if ack && !has {
				t.Errorf("member %d's answer to session %d was acknowledged but is not stored", a.user, a.session)
			}
			m, found, err := tx.Member(quiz.GuildID(parseSnowflake(guildA)), a.user)
			if err != nil {
				return err
			}
			if want := map[bool]int{true: 1}[has]; found && m.Answered != want || !found && has {
				t.Errorf("member %d: Answered = %d (found %v) with the answer stored = %v: torn write", a.user, m.Answered, found, has)
			}
		}
		for sid, n := range perSession {
			sess, found, err := tx.Session(quiz.GuildID(parseSnowflake(guildA)), sid)
			if err != nil {
				return err
			}
			if !found || sess.Answers != n {
				t.Errorf("session %d: Answers = %d (found %v); want %d, the answers stored", sid, sess.Answers, found, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return acked, stored, storedUnacked
}

// answerAcknowledged reports whether the member was shown the answer as recorded: the
// reference answer in the callback (type 4), or a deferral whose reply was then completed.
// A deferral alone is not an acknowledgement of the answer.
func answerAcknowledged(ix *discordtest.Interaction) bool {
	r, ok := ix.Response()
	if !ok {
		return false
	}
	if r.Type == 5 {
		_, done := ix.Original()
		return done
	}
	return r.Type == 4
}

// sessionOfModal reads the session from an answer form's custom ID ("v1:submit:<session>").
func sessionOfModal(t *testing.T, customID string) quiz.SessionID {
	t.Helper()
	parts := strings.Split(customID, ":")
	if len(parts) < 3 {
		t.Fatalf("answer form custom ID %q", customID)
	}
	id, err := strconv.ParseUint(parts[2], 10, 64)
	if err != nil {
		t.Fatalf("answer form custom ID %q: %v", customID, err)
	}
	return quiz.SessionID(id)
}

// process is one run of the built binary.
type process struct {
	cmd    *exec.Cmd
	logs   *syncBuffer
	ctx    context.Context // ends when the process exits
	exited chan struct{}
}

// startProcess starts the binary against the fake on e's database and waits until it has
// identified on the gateway and is ready.
func startProcess(t *testing.T, e *env, bin string) *process {
	t.Helper()
	before := e.fake.Identifies()
	p := &process{cmd: exec.Command(bin), logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = []string{"DISCORD_TOKEN=test-token", "DISCORD_API_URL=" + e.fake.URL(), "DB_PATH=" + e.db,
		"LOG_FORMAT=json", "LOG_LEVEL=warn"}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	p.ctx = ctx
	go func() {
		_ = p.cmd.Wait()
		cancel()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	err := e.fake.Await(ctx, func() bool { return e.fake.Identifies() > before })
	if err == nil {
		err = e.fake.WaitReady(ctx)
	}
	if err != nil {
		t.Fatalf("the bot did not connect: %v\n%s", err, p.logs.String())
	}
	return p
}

// stop sends sig and waits for the process to exit.
func (p *process) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatalf("the bot did not exit within 15 s of %v\n%s", sig, p.logs.String())
	}
}

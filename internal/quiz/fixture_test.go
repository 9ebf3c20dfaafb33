package quiz_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// testBank builds a bank with the given topics, n questions each.
func testBank(t testing.TB, n int, topics ...string) *quiz.Bank {
	t.Helper()
	var ts []quiz.Topic
	var qs []quiz.Question
	for _, topic := range topics {
		ts = append(ts, quiz.Topic{Slug: topic, Title: quiz.Text{EN: topic, ZH: topic + "（中文）"}})
		for i := range n {
			qs = append(qs, testQuestion(topic, fmt.Sprintf("%s-q%d", topic, i)))
		}
	}
	b, err := quiz.NewBank(ts, qs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testQuestion(topic, id string) quiz.Question {
	return quiz.Question{
		ID: id, Topic: topic, Level: quiz.Mid, Tags: []string{"t"},
		Prompt:    quiz.Text{EN: "Question " + id + "?", ZH: "问题 " + id + "？"},
		Answer:    quiz.Text{EN: "Answer " + id + ".", ZH: "答案 " + id + "。"},
		KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"甲", "乙", "丙"}},
	}
}

// clock is a settable time source for the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	app   *quiz.App
	store quiz.Store
	clock *clock
	bank  *quiz.Bank
	out   *forwarder // app's publisher
}

func newEnv(t testing.TB, b *quiz.Bank) *env {
	c := &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	st := quiztest.NewMemStore()
	i := 0
	out := &forwarder{Publisher: &publisher{}}
	app := quiz.New(st, b, quiz.Options{Now: c.Now, Intn: func(n int) int { i++; return i % n }, Publisher: out})
	return &env{app: app, store: st, clock: c, bank: b, out: out}
}

// use makes p the publisher of e's use cases (a fresh *publisher until then). Call it before
// the use cases post, not while they do.
func (e *env) use(p quiz.Publisher) { e.out.Publisher = p }

// close is Practice.Close of session sid, with its error only.
func (e *env) close(a quiz.Actor, sid quiz.SessionID) error {
	_, _, err := e.app.Practice.Close(ctx, a, quiz.CloseRequest{Session: sid})
	return err
}

// forwarder is the publisher given to quiz.New, forwarding to the one a test chose.
type forwarder struct{ quiz.Publisher }

var ctx = context.Background()

func member(u quiz.UserID) quiz.Actor {
	return quiz.Actor{Guild: 10, User: u, Name: fmt.Sprintf("user%d", u), Locale: "en-US"}
}

// publisher records posts and can fail.
type publisher struct {
	mu       sync.Mutex
	next     quiz.MessageID
	posts    []quiz.QuestionPost
	reveals  []quiz.RevealPost
	notified []string
	byNonce  map[string]quiz.MessageID
	fail     error // returned (once per call) while set
	failN    int
}

func (p *publisher) send(nonce string) (quiz.MessageID, error) {
	if p.failN > 0 {
		p.failN--
		return 0, p.fail
	}
	if p.byNonce == nil {
		p.byNonce = map[string]quiz.MessageID{}
	}
	if id, ok := p.byNonce[nonce]; ok {
		return id, nil
	}
	p.next++
	p.byNonce[nonce] = 1000 + p.next
	return 1000 + p.next, nil
}

func (p *publisher) PostQuestion(_ context.Context, q quiz.QuestionPost) (quiz.MessageID, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, err := p.send(q.Nonce)
	if err == nil {
		p.posts = append(p.posts, q)
	}
	return id, err
}

func (p *publisher) PostReveal(_ context.Context, r quiz.RevealPost) (quiz.MessageID, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, err := p.send(r.Nonce)
	if err == nil {
		p.reveals = append(p.reveals, r)
	}
	return id, err
}

func (p *publisher) Notify(_ context.Context, g quiz.GuildID, u quiz.UserID, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notified = append(p.notified, fmt.Sprintf("%d/%d: %s", g, u, text))
	return nil
}

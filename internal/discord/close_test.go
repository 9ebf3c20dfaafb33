package discord

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

const (
	testGuild   = "100000000000000100"
	testChannel = "200000000000000100"
)

var testAsker = discordtest.User{ID: "300000000000000001", Username: "ada", Locale: "en-US", Permissions: "0"}

// slowClose delays Close so the click is deferred before it is answered.
type slowClose struct {
	Practice
	delay time.Duration
}

func (q slowClose) Close(ctx context.Context, a quiz.Actor, r quiz.CloseRequest) (quiz.Session, quiz.Question, error) {
	time.Sleep(q.delay)
	return q.Practice.Close(ctx, a, r)
}

// countingStore counts the transactions the use cases run.
type countingStore struct {
	quiz.Store
	n atomic.Int64
}

func (s *countingStore) View(ctx context.Context, fn func(quiz.Tx) error) error {
	s.n.Add(1)
	return s.Store.View(ctx, fn)
}

func (s *countingStore) Update(ctx context.Context, fn func(quiz.Tx) error) error {
	s.n.Add(1)
	return s.Store.Update(ctx, fn)
}

func (s *countingStore) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	s.n.Add(1)
	return s.Store.Batch(ctx, fn)
}

// latePublisher is the Bot, as the use cases' publisher: it is set once the Bot exists, before
// it opens (as bot/ does).
type latePublisher struct{ quiz.Publisher }

// startTestBot runs a Bot on a one-question bank against the fake.
func startTestBot(t *testing.T, wrap func(UseCases) UseCases, deferAfter time.Duration) (*Bot, *discordtest.Server, context.Context, *countingStore) {
	t.Helper()
	fake := discordtest.New(t)
	fake.AddGuild(discordtest.Guild{ID: testGuild, Name: "A", Channels: []discordtest.Channel{{ID: testChannel, Name: "general"}}})
	bank, err := quiz.NewBank([]quiz.Topic{{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}}, []quiz.Question{{
		ID: "tcp-handshake", Topic: "tcp", Level: quiz.Mid, Tags: []string{"tcp"},
		Prompt:    quiz.Text{EN: "Why three segments?", ZH: "为什么是三个报文段？"},
		Answer:    quiz.Text{EN: "Both sides send and acknowledge an ISN.", ZH: "双方都要发送并确认 ISN。"},
		KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"甲", "乙", "丙"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	st := &countingStore{Store: quiztest.NewMemStore()}
	pub := &latePublisher{}
	app := quiz.New(st, bank, quiz.Options{Publisher: pub})
	uc := UseCases{Practice: app.Practice, Members: app.Members, Daily: app.Daily, Moderation: app.Moderation, Bank: app.Moderation, Mocks: app.Mocks, Awards: app.Awards}
	if wrap != nil {
		uc = wrap(uc)
	}
	b, err := New(uc, Options{Token: "test-token", APIURL: fake.URL(), DeferAfter: deferAfter})
	if err != nil {
		t.Fatal(err)
	}
	pub.Publisher = b
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	if err := b.Open(ctx, ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return b, fake, ctx, st
}

// settle waits until the bot has finished every interaction and background edit.
func (b *Bot) settle() {
	b.inflight.Wait()
	b.bg.Wait()
}

// TestCloseEditsQuestionOnce: a Close click edits the question message exactly once, whether
// the click is answered at once (type 7) or deferred first (type 6, then an edit of @original),
// and the reveal it posts does not queue a second edit of the same message.
func TestCloseEditsQuestionOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		wrap       func(UseCases) UseCases
		deferAfter time.Duration
		patches    int // PATCH requests the click may send
	}{
		{name: "answered at once"},
		{name: "deferred", wrap: func(uc UseCases) UseCases { uc.Practice = slowClose{uc.Practice, 300 * time.Millisecond}; return uc }, deferAfter: 50 * time.Millisecond, patches: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, fake, ctx, st := startTestBot(t, tc.wrap, tc.deferAfter)
			ask := fake.Slash(testGuild, testChannel, testAsker, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "tcp"})
			if _, err := ask.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			b.settle()
			question, ok := ask.Original()
			if !ok {
				t.Fatal("/interview posted no question")
			}
			closeID := customID{Action: actClose, ID: sessionOf(t, question)}.String()
			before, _ := fake.Message(question.ID)
			requests := len(fake.Requests())
			txs := st.n.Load()

			click := fake.Click(testGuild, testChannel, testAsker, question.ID, closeID)
			if _, err := click.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			b.settle()

			// One transaction claims the reveal, one records it; the handler reads nothing more.
			if got := st.n.Load() - txs; got != 2 {
				t.Errorf("Close ran %d store transactions; want 2", got)
			}
			after, _ := fake.Message(question.ID)
			if got := after.Edits - before.Edits; got != 1 {
				t.Errorf("Close edited the question message %d times; want 1", got)
			}
			patches := 0
			for _, rq := range fake.Requests()[requests:] {
				if rq.Method == "PATCH" {
					patches++
				}
			}
			if patches != tc.patches {
				t.Errorf("Close sent %d PATCH requests; want %d", patches, tc.patches)
			}
			if strings.Contains(string(after.Raw), `"`+closeID+`"`) {
				t.Errorf("the question still offers Close after it: %s", after.Raw)
			}
			if posts := fake.Messages(testChannel); len(posts) != 1 {
				t.Errorf("%d channel posts after Close; want the reveal", len(posts))
			}
		})
	}
}

// sessionOf reads the session id from a question message's Close button.
func sessionOf(t *testing.T, m discordtest.Message) uint64 {
	t.Helper()
	for _, raw := range m.Components {
		s := string(raw)
		if i := strings.Index(s, customIDVersion+":"+actClose+":"); i >= 0 {
			rest := s[i:]
			c, err := parseCustomID(rest[:strings.IndexByte(rest, '"')])
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
	}
	t.Fatalf("no Close button on %s", m.Raw)
	return 0
}

package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	bolt "go.etcd.io/bbolt"
)

func benchBank(tb testing.TB) *quiz.Bank {
	tb.Helper()
	topic := quiz.Topic{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}
	var qs []quiz.Question
	for i := range 1000 {
		qs = append(qs, quiz.Question{ID: fmt.Sprintf("q%04d", i), Topic: "tcp", Level: quiz.Mid, Tags: []string{"x"},
			Prompt: quiz.Text{EN: "q", ZH: "问"}, Answer: quiz.Text{EN: "a", ZH: "答"},
			KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"a", "b", "c"}}})
	}
	b, err := quiz.NewBank([]quiz.Topic{topic}, qs)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

const answerText = "SYN, then SYN-ACK, then ACK: both sides agree on initial sequence numbers and window sizes before data flows."

// BenchmarkAnswers records answers from 64 concurrent members through the whole use case
// (session, attempt, streak, card, counters in one transaction, fsync'd) and, in the same run,
// the same records written with raw bbolt Batch calls. It reports durable answers per second
// for both and their ratio (the aim: >= 0.8).
func BenchmarkAnswers(b *testing.B) {
	const members = 64
	ctx := context.Background()

	// The use case through Service.Answer.
	st, err := Open(filepath.Join(b.TempDir(), "svc.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	svc := quiz.NewService(st, benchBank(b), quiz.Options{Now: func() time.Time { return now }})
	sessions := make([][]quiz.SessionID, members)
	perMember := b.N/members + 1
	for m := range members {
		a := quiz.Actor{Guild: 1, User: quiz.UserID(1000 + m)}
		for range min(perMember, 50) {
			asked, err := svc.Ask(ctx, a, quiz.AskRequest{})
			if err != nil {
				b.Fatal(err)
			}
			sessions[m] = append(sessions[m], asked.Session.ID)
		}
	}
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for m := range members {
		wg.Go(func() {
			a := quiz.Actor{Guild: 1, User: quiz.UserID(1000 + m)}
			for i := 0; next.Add(1) <= int64(b.N); i++ {
				if _, err := svc.Answer(ctx, a, sessions[m][i%len(sessions[m])], answerText); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	svcRate := float64(b.N) / time.Since(start).Seconds()
	b.StopTimer()

	// The baseline: the same records (attempt, member, session, card) in the same bucket layout,
	// written with raw db.Batch and no reads: what bbolt itself costs for this data.
	raw, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.MaxBatchDelay = st.db.MaxBatchDelay // the same coalescing window as the store's
	if err := raw.Update(func(tx *bolt.Tx) error {
		g, err := tx.CreateBucketIfNotExists([]byte("guilds"))
		if err != nil {
			return err
		}
		gb, err := g.CreateBucketIfNotExists(u64(1))
		if err != nil {
			return err
		}
		for _, name := range []string{"attempts", "members", "sessions", "cards"} {
			if _, err := gb.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	next.Store(0)
	start = time.Now()
	for m := range members {
		wg.Go(func() {
			user := uint64(1000 + m)
			for i := 0; next.Add(1) <= int64(b.N); i++ {
				at := quiz.Attempt{Guild: 1, User: quiz.UserID(user), Session: quiz.SessionID(i), QuestionID: "q0001", Text: answerText, AnsweredAt: now}
				mem := quiz.Member{Guild: 1, User: quiz.UserID(user), Answered: i}
				sess := quiz.Session{Guild: 1, ID: quiz.SessionID(i), QuestionID: "q0001", Answers: i, State: quiz.SessionOpen}
				card := quiz.Card{QuestionID: "q0001", Topic: "tcp", Asked: 1, LastAsked: now}
				err := raw.Batch(func(tx *bolt.Tx) error {
					gb := tx.Bucket([]byte("guilds")).Bucket(u64(1))
					key := make([]byte, 16)
					binary.BigEndian.PutUint64(key, user)
					binary.BigEndian.PutUint64(key[8:], uint64(i))
					for _, kv := range []struct {
						bucket string
						key    []byte
						v      any
					}{{"attempts", key, at}, {"members", key[:8], mem}, {"sessions", key[8:], sess}} {
						data, err := json.Marshal(kv.v)
						if err != nil {
							return err
						}
						if err := gb.Bucket([]byte(kv.bucket)).Put(kv.key, data); err != nil {
							return err
						}
					}
					cb, err := gb.Bucket([]byte("cards")).CreateBucketIfNotExists(key[:8])
					if err != nil {
						return err
					}
					data, err := json.Marshal(card)
					if err != nil {
						return err
					}
					return cb.Put([]byte(card.QuestionID), data)
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	rawRate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(svcRate, "answers/s")
	b.ReportMetric(rawRate, "raw-batch-writes/s")
	b.ReportMetric(svcRate/rawRate, "ratio")
}

// BenchmarkAskWithHistory: a whole Ask (read member and 10,000 cards, pick, write the session)
// for a member with 10,000 past attempts, through bbolt.
func BenchmarkAskWithHistory(b *testing.B) {
	ctx := context.Background()
	st, err := Open(filepath.Join(b.TempDir(), "ask.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	topic := quiz.Topic{Slug: "t", Title: quiz.Text{EN: "T", ZH: "T"}}
	var qs []quiz.Question
	for i := range 10000 {
		qs = append(qs, quiz.Question{ID: fmt.Sprintf("q%05d", i), Topic: "t", Level: quiz.Mid, Tags: []string{"x"},
			Prompt: quiz.Text{EN: "q", ZH: "问"}, Answer: quiz.Text{EN: "a", ZH: "答"},
			KeyPoints: quiz.TextList{EN: []string{"a", "b", "c"}, ZH: []string{"a", "b", "c"}}})
	}
	bank, err := quiz.NewBank([]quiz.Topic{topic}, qs)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	err = st.Update(ctx, func(tx quiz.Tx) error {
		for i := range 10000 {
			c := quiz.Card{QuestionID: fmt.Sprintf("q%05d", i), Topic: "t", Asked: 1, LastAsked: now.Add(-time.Duration(i) * time.Minute)}
			c = quiz.SM2{}.Review(c, quiz.Good, c.LastAsked, 0)
			if err := tx.PutCard(1, 1, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	svc := quiz.NewService(st, bank, quiz.Options{Now: func() time.Time { return now }})
	a := quiz.Actor{Guild: 1, User: 1}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Ask(ctx, a, quiz.AskRequest{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/ask")
}

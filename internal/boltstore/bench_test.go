package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
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

// boltBatchDelay is the coalescing window the store gave bbolt's DB.Batch before it had its own
// group commit; the baselines use it.
const boltBatchDelay = 2 * time.Millisecond

// BenchmarkBatchLone: one writer alone, the member's own commit. Each iteration writes the
// same record three ways, in every order in turn: Store.Batch, a bare db.Update on the same file,
// and bbolt's DB.Batch (2 ms window). It reports each one's latency percentiles and Batch's
// over the bare Update's: a group commit should make them equal, where DB.Batch adds its delay.
func BenchmarkBatchLone(b *testing.B) {
	ctx := context.Background()
	st, err := Open(filepath.Join(b.TempDir(), "lone.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	st.db.MaxBatchDelay = boltBatchDelay
	m := quiz.Member{Guild: 1, User: 1, Name: "ada"}
	if err := st.Update(ctx, func(tx quiz.Tx) error { return tx.PutMember(m) }); err != nil {
		b.Fatal(err)
	}
	// bare runs fn through one of bbolt's own write paths.
	bare := func(do func(func(*bolt.Tx) error) error) func(func(quiz.Tx) error) error {
		return func(fn func(quiz.Tx) error) error {
			return do(func(tx *bolt.Tx) error { return fn(&boltTx{tx: tx}) })
		}
	}
	ways := []struct {
		name string
		do   func(func(quiz.Tx) error) error
		took []time.Duration
	}{
		{name: "batch", do: func(fn func(quiz.Tx) error) error { return st.Batch(ctx, fn) }},
		{name: "update", do: bare(st.db.Update)},
		{name: "bolt-batch", do: bare(st.db.Batch)},
	}
	// Every order in turn, so that each way follows each other equally often.
	orders := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for i := 0; b.Loop(); i++ {
		for _, j := range orders[i%len(orders)] {
			w := &ways[j]
			m.Answered++
			rec := m
			fn := func(tx quiz.Tx) error { return tx.PutMember(rec) }
			start := time.Now()
			err := w.do(fn)
			took := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			w.took = append(w.took, took)
		}
	}
	b.StopTimer()
	pct := make(map[string][2]float64)
	for _, w := range ways {
		p50, p99 := percentiles(w.took)
		pct[w.name] = [2]float64{p50, p99}
		b.ReportMetric(p50, w.name+"-p50-µs")
		b.ReportMetric(p99, w.name+"-p99-µs")
	}
	b.ReportMetric(pct["batch"][0]/pct["update"][0], "p50-ratio")
	b.ReportMetric(pct["batch"][1]/pct["update"][1], "p99-ratio")
}

// percentiles returns the 50th and 99th percentiles of ds in µs (nearest rank); it sorts ds.
func percentiles(ds []time.Duration) (p50, p99 float64) {
	slices.Sort(ds)
	at := func(p float64) float64 {
		i := max(int(math.Ceil(p*float64(len(ds))))-1, 0)
		return float64(ds[i].Nanoseconds()) / 1e3
	}
	return at(0.50), at(0.99)
}

// BenchmarkAnswers records answers from 64 concurrent members through the whole use case
// (session, attempt, streak, card, counters in one transaction, fsync'd) and, in the same run,
// the same records written with raw bbolt Batch calls (2 ms window), taking turns in rounds. It
// reports durable answers per second for both and their ratio (the aim: >= 0.8), and,
// for reference, the use case with bbolt's DB.Batch as the store's Batch (vs-bolt-batch).
func BenchmarkAnswers(b *testing.B) {
	const members, rounds = 64, 6
	b.StopTimer() // only the store's answers are timed
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	// The use case through Service.Answer, on the store's group commit and, for reference,
	// through bbolt's DB.Batch (the store's previous commit path); the raw baseline.
	ways := []struct {
		name string
		run  func(n int) time.Duration
		took time.Duration
	}{
		{name: "answers/s", run: benchAnswerer(b, members, now, func(st *Store) quiz.Store { return st })},
		{name: "bolt-batch-answers/s", run: benchAnswerer(b, members, now, func(st *Store) quiz.Store {
			st.db.MaxBatchDelay = boltBatchDelay
			return boltBatchStore{st}
		})},
		{name: "raw-batch-writes/s", run: benchRawWriter(b, members, now)},
	}
	// b.N writes each, in rounds that take turns, so that a change in the machine's load
	// during the run weighs on all three alike.
	done := 0
	for r := range rounds {
		n := b.N*(r+1)/rounds - done
		done += n
		for k := range ways {
			w := &ways[(r+k)%len(ways)]
			if w == &ways[0] {
				b.StartTimer()
			}
			w.took += w.run(n)
			b.StopTimer()
		}
	}
	rate := make(map[string]float64)
	for _, w := range ways {
		rate[w.name] = float64(b.N) / w.took.Seconds()
		b.ReportMetric(rate[w.name], w.name)
	}
	b.ReportMetric(rate["answers/s"]/rate["raw-batch-writes/s"], "ratio")
	b.ReportMetric(rate["answers/s"]/rate["bolt-batch-answers/s"], "vs-bolt-batch")
}

// benchRawWriter returns a function that writes n answers' records from members concurrent
// members with raw db.Batch and no reads, in the same bucket layout (attempt, member, session,
// card): what bbolt itself costs for this data.
func benchRawWriter(b *testing.B, members int, now time.Time) func(n int) time.Duration {
	raw, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = raw.Close() })
	raw.MaxBatchDelay = boltBatchDelay
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
	counts := make([]int, members) // records written by each member so far
	return func(n int) time.Duration {
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for m := range members {
			wg.Go(func() {
				user := uint64(1000 + m)
				for ; next.Add(1) <= int64(n); counts[m]++ {
					i := counts[m]
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
		return time.Since(start)
	}
}

// boltBatchStore is the store with bbolt's DB.Batch (2 ms window) as its Batch.
type boltBatchStore struct{ *Store }

func (s boltBatchStore) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return run(s.db.Batch, fn)
}

// benchAnswerer opens a fresh store (wrapped by wrap), has each of members members ask up to
// 50 questions, and returns a function that records n answers from them concurrently through
// Service.Answer and returns how long that took.
func benchAnswerer(b *testing.B, members int, now time.Time, wrap func(*Store) quiz.Store) func(n int) time.Duration {
	ctx := context.Background()
	st, err := Open(filepath.Join(b.TempDir(), "svc.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	practice := quiz.New(wrap(st), benchBank(b), quiz.Options{Now: func() time.Time { return now }}).Practice
	sessions := make([][]quiz.SessionID, members)
	for m := range members {
		a := quiz.Actor{Guild: 1, User: quiz.UserID(1000 + m)}
		for range min(b.N/members+1, 50) {
			asked, err := practice.Ask(ctx, a, quiz.AskRequest{})
			if err != nil {
				b.Fatal(err)
			}
			sessions[m] = append(sessions[m], asked.Session.ID)
		}
	}
	counts := make([]int, members) // answers given by each member so far
	return func(n int) time.Duration {
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for m := range members {
			wg.Go(func() {
				a := quiz.Actor{Guild: 1, User: quiz.UserID(1000 + m)}
				for ; next.Add(1) <= int64(n); counts[m]++ {
					sid := sessions[m][counts[m]%len(sessions[m])]
					if _, err := practice.Answer(ctx, a, sid, answerText); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
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
	practice := quiz.New(st, bank, quiz.Options{Now: func() time.Time { return now }}).Practice
	a := quiz.Actor{Guild: 1, User: 1}
	b.ResetTimer()
	for b.Loop() {
		if _, err := practice.Ask(ctx, a, quiz.AskRequest{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/ask")
}

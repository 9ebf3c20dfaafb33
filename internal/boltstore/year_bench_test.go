package boltstore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/fsrs"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// dayStore runs every use case of one simulated day inside one bbolt write transaction, so a
// year of real use-case writes (Ask, SetSessionMessage, Answer, Grade) takes seconds instead of
// a million commits. The records are exactly what the use cases write; only the commit
// grouping differs. fn errors fail the benchmark (nothing here rolls back).
type dayStore struct {
	tx *bolt.Tx
	tb testing.TB
}

func (d *dayStore) run(fn func(quiz.Tx) error) error {
	if err := fn(&boltTx{tx: d.tx}); err != nil {
		d.tb.Fatalf("use case failed inside the simulated day: %v", err)
	}
	return nil
}
func (d *dayStore) View(_ context.Context, fn func(quiz.Tx) error) error   { return d.run(fn) }
func (d *dayStore) Update(_ context.Context, fn func(quiz.Tx) error) error { return d.run(fn) }
func (d *dayStore) Batch(_ context.Context, fn func(quiz.Tx) error) error  { return d.run(fn) }

// realisticBank: 16 topics of 64 questions with ids like the shipped bank's ("tcp-q012").
func realisticBank(tb testing.TB) *quiz.Bank {
	topics := []string{"tcp", "http", "python", "concurrency", "redis", "databases", "os", "networking",
		"distributed", "go", "system-design", "web-security", "message-queues", "containers", "linux", "java"}
	var ts []quiz.Topic
	var qs []quiz.Question
	for _, tp := range topics {
		ts = append(ts, quiz.Topic{Slug: tp, Title: quiz.Text{EN: tp, ZH: tp}})
		for i := range 64 {
			qs = append(qs, quiz.Question{ID: fmt.Sprintf("%s-q%03d", tp, i), Topic: tp, Level: quiz.Mid, Tags: []string{"x"},
				Prompt: quiz.Text{EN: "q", ZH: "问"}, Answer: quiz.Text{EN: "a", ZH: "答"},
				KeyPoints: quiz.TextList{EN: []string{"a", "b", "c", "d"}, ZH: []string{"a", "b", "c", "d"}}})
		}
	}
	b, err := quiz.NewBank(ts, qs)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// guildBreakdown is liveBytes of each bucket under guild g (cards, attempts, sessions, …).
func guildBreakdown(db *bolt.DB, g uint64) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.View(func(tx *bolt.Tx) error {
		gb := getBucket(tx, bucketKeyGuilds, u64(g))
		if gb == nil {
			return fmt.Errorf("no guild %d", g)
		}
		return gb.ForEachBucket(func(k []byte) error {
			st := gb.Bucket(k).Stats()
			out[string(k)] = int64(st.LeafInuse + st.BranchInuse + st.InlineBucketInuse)
			return nil
		})
	})
	return out, err
}

// liveBytes is what bbolt's pages hold: leaf and branch bytes in use, headers included.
func liveBytes(db *bolt.DB) (int64, error) {
	var n int64
	err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			n += int64(st.LeafInuse + st.BranchInuse + st.InlineBucketInuse)
			return nil
		})
	})
	return n, err
}

func fileSize(tb testing.TB, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkYearOfAnswers simulates a year of one 5,000-member server answering 1,000 questions
// a day (each asked publicly, answered with 200 characters, as real answers are short, graded
// with FSRS), on a manual clock, running the prune task after every day. It reports the live
// bytes per answered question (bbolt pages in use over answers), the file size at months 6 and
// 12, and then the start-up: opening the year's file and the service answering its first
// read. Run it with -benchtime 1x (about a minute).
func BenchmarkYearOfAnswers(b *testing.B) {
	const (
		members   = 5000
		perDay    = 1000
		days      = 365
		textChars = 200
	)
	ctx := context.Background()
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "year.db")
		st, err := Open(path, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		bank := realisticBank(b)
		sched := fsrs.New()
		now := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		r := rand.New(rand.NewPCG(1, 2))
		day := &dayStore{tb: b}
		app := quiz.New(day, bank, quiz.Options{Now: clock, Scheduler: sched, Intn: r.IntN})
		pruner := quiz.New(st, bank, quiz.Options{Now: clock, Scheduler: sched})
		text := strings.Repeat("SYN, SYN-ACK, ACK. ", textChars/19+1)[:textChars]
		grades := []quiz.Grade{quiz.Good, quiz.Good, quiz.Good, quiz.Hard, quiz.Again, quiz.Easy}
		var sizes []int64
		var pruned int
		var pruneTime time.Duration
		for d := range days {
			start := now
			err := st.db.Update(func(tx *bolt.Tx) error {
				day.tx = tx
				for i := range perDay {
					a := quiz.Actor{Guild: 1234567890123456789, User: quiz.UserID(100000000000000000 + r.IntN(members)), Name: "member"}
					if err := answerPublicly(ctx, app, a, quiz.MessageID(1<<60+d*perDay+i), text, grades[r.IntN(len(grades))]); err != nil {
						return err
					}
					now = now.Add(12 * time.Hour / perDay)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			now = start.Add(24 * time.Hour)
			t0 := time.Now()
			rep, err := pruner.Daily.Prune(ctx, now)
			if err != nil {
				b.Fatal(err)
			}
			pruneTime += time.Since(t0)
			pruned += rep.Sessions
			if d == days/2-1 || d == days-1 {
				sizes = append(sizes, fileSize(b, path))
			}
		}
		live, err := liveBytes(st.db)
		if err != nil {
			b.Fatal(err)
		}
		parts, err := guildBreakdown(st.db, 1234567890123456789)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		answers := days * perDay
		// Where the bytes are: the two records an answer leaves for good.
		b.ReportMetric(float64(parts[string(bucketKeyAttempts)])/float64(answers), "attempt-bytes/answer")
		b.ReportMetric(float64(parts[string(bucketKeyCards)])/float64(answers), "card-bytes/answer")
		b.ReportMetric(float64(live)/float64(answers), "bytes/answer")
		b.ReportMetric(float64(sizes[0])/1e6, "MB@month6")
		b.ReportMetric(float64(sizes[1])/1e6, "MB@month12")
		b.ReportMetric(float64(pruned), "sessions-pruned")
		b.ReportMetric(float64(pruneTime.Milliseconds())/days, "prune-ms/day")

		b.ReportMetric(startup(b, path, bank, sched, clock), "startup-ms")
	}
}

// answerPublicly asks a public question as a, posts it as message msg, answers it with text
// and grades it g.
func answerPublicly(ctx context.Context, app *quiz.App, a quiz.Actor, msg quiz.MessageID, text string, g quiz.Grade) error {
	asked, err := app.Practice.Ask(ctx, a, quiz.AskRequest{Channel: 987654321098765432})
	if err != nil {
		return err
	}
	if err := app.Practice.SetSessionMessage(ctx, a.Guild, asked.Session.ID, 987654321098765432, msg); err != nil {
		return err
	}
	if _, err := app.Practice.Answer(ctx, a, asked.Session.ID, text); err != nil {
		return err
	}
	_, err = app.Practice.Grade(ctx, a, asked.Session.ID, g)
	return err
}

// startup opens the year's file (as bot/ does) and serves a first read; it returns how long
// that took, in milliseconds. Then it measures compaction and backup on it.
func startup(b *testing.B, path string, bank *quiz.Bank, sched quiz.Scheduler, clock func() time.Time) float64 {
	ctx := context.Background()
	t0 := time.Now()
	st, err := Open(path, Options{Scheduler: sched})
	if err != nil {
		b.Fatal(err)
	}
	svc := quiz.New(st, bank, quiz.Options{Now: clock, Scheduler: sched})
	if _, err := svc.Members.Progress(ctx, quiz.Actor{Guild: 1234567890123456789, User: 100000000000000001}); err != nil {
		b.Fatal(err)
	}
	took := float64(time.Since(t0).Microseconds()) / 1000
	yearCompactAndBackup(b, st)
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	return took
}

// yearCompactAndBackup reports, on the year's file, what the erase guarantee costs: a backup
// (the live keys copied into a fresh file, then streamed), a Compact while nothing is written
// (the copy, the pause, and the file size after, since pruning left pages free), and a Compact
// while a member's writes commit one after another all along (the pause then re-compares the
// files).
func yearCompactAndBackup(b *testing.B, st *Store) {
	ctx := context.Background()
	t0 := time.Now()
	n, err := st.Backup(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t0).Seconds(), "backup-s")
	b.ReportMetric(float64(n)/1e6, "MB-backup")
	cs, err := st.Compact(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(cs.Copy.Seconds(), "compact-copy-s")
	b.ReportMetric(float64(cs.Pause.Microseconds())/1000, "compact-pause-ms")
	b.ReportMetric(float64(cs.After)/1e6, "MB-after-compact")

	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			err := st.Update(ctx, func(tx quiz.Tx) error {
				return tx.PutMember(quiz.Member{Guild: 1234567890123456789, User: quiz.UserID(100000000000000000 + i%5000), Name: "m", Answered: i})
			})
			if err != nil {
				done <- err
				return
			}
		}
	}()
	cs, err = st.Compact(ctx)
	close(stop)
	if werr := <-done; err != nil || werr != nil {
		b.Fatal(err, werr)
	}
	b.ReportMetric(float64(cs.Pause.Microseconds())/1000, "busy-pause-ms")
	b.ReportMetric(float64(cs.Changes), "busy-recopied")
}

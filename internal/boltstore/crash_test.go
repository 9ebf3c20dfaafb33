package boltstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// crashChildEnv, when set to a path, turns TestCrash into the child process that writes to it.
const crashChildEnv = "BOLTSTORE_CRASH_CHILD_DB"

// TestCrash kills a writing process with SIGKILL at random points, again and again on the same
// file, and checks that every acknowledged transaction survived, whole, and that the file
// stays consistent.
//
// The child runs crashWriters concurrent writers, one per member u (users 1..crashWriters).
// Writer u writes its record n as one transaction: attempt (1, u, n) and member (1, u) with
// Answered n; it prints "ack u n" only after the call returned. Member 1 writes with Update,
// the others with Batch, so their records share group commits. After any kill the file must
// hold, for each member, attempts 1..Answered exactly (atomicity) with Answered >= the member's
// last ack (durability against a process crash; a power cut is out of reach of a test).
func TestCrash(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary 20 times")
	}
	const rounds = 20
	budget := time.Now().Add(12 * time.Second) // plus at most one 8s round: well under 30s
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)

	path := filepath.Join(t.TempDir(), "quiz.db")
	acked := make([]uint64, crashWriters+1) // by user
	start := time.Now()
	done := 0
	for round := range rounds {
		if time.Now().After(budget) {
			t.Logf("time budget spent after %d rounds", round)
			break
		}
		killAfter := 1 + rng.IntN(200)
		acked = crashRound(t, path, killAfter, acked)
		verifyCrashed(t, path, acked)
		done++
	}
	var total uint64
	for _, n := range acked {
		total += n
	}
	t.Logf("%d rounds, %d records acknowledged and verified, %v", done, total, time.Since(start).Round(time.Millisecond))
}

// crashWriters is the number of concurrent writers in the crash child.
const crashWriters = 8

// crashRound runs one child, kills it after killAfter acks and returns the last ack of each
// user.
func crashRound(t *testing.T, path string, killAfter int, acked []uint64) []uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrash$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(stdout)
	for n < killAfter && sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "ack ")
		if !ok {
			continue
		}
		us, ns, _ := strings.Cut(v, " ")
		u, err1 := strconv.Atoi(us)
		c, err2 := strconv.ParseUint(ns, 10, 64)
		if err1 != nil || err2 != nil || u < 1 || u > crashWriters {
			t.Fatalf("child wrote %q", sc.Text())
		}
		if c <= acked[u] {
			t.Errorf("child acknowledged %d for user %d after %d", c, u, acked[u])
		}
		acked[u] = c
		if n++; n == killAfter {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
		}
	}
	_, _ = io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	if n < killAfter {
		t.Fatalf("child stopped after %d of %d acks (%v):\n%s", n, killAfter, err, stderr.String())
	}
	return acked
}

func verifyCrashed(t *testing.T, path string, acked []uint64) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after a crash: %v", err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatalf("Check after a crash: %v", err)
	}
	err = s.View(t.Context(), func(tx quiz.Tx) error {
		for u := quiz.UserID(1); u <= crashWriters; u++ {
			m, _, err := tx.Member(1, u)
			if err != nil {
				return err
			}
			if uint64(m.Answered) < acked[u] {
				t.Errorf("member %d shows %d records; %d were acknowledged", u, m.Answered, acked[u])
			}
			as, err := tx.Attempts(1, u)
			if err != nil {
				return err
			}
			if len(as) != m.Answered {
				t.Errorf("member %d: %d attempts but member shows %d: a transaction was torn", u, len(as), m.Answered)
			}
			for i, a := range as {
				if a.Session != quiz.SessionID(i+1) || len(a.Text) != crashTextLen(uint64(i+1)) {
					t.Errorf("member %d: attempt #%d = session %d, %d bytes of text; want session %d", u, i, a.Session, len(a.Text), i+1)
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func crashTextLen(n uint64) int { return 50 + int(n*37%900) }

// crashChild writes records until killed (or 20,000 records a writer), acknowledging each on
// stdout.
func crashChild(path string) {
	fail := func(code int, err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(code)
	}
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fail(2, err)
	}
	ctx := context.Background()
	var out sync.Mutex
	var wg sync.WaitGroup
	for u := quiz.UserID(1); u <= crashWriters; u++ {
		write := s.Batch
		if u == 1 {
			write = s.Update
		}
		wg.Go(func() {
			var next uint64
			err := s.View(ctx, func(tx quiz.Tx) error {
				m, _, err := tx.Member(1, u)
				next = uint64(m.Answered) + 1
				return err
			})
			if err != nil {
				fail(3, err)
			}
			for n := next; n < next+20_000; n++ {
				err := write(ctx, func(tx quiz.Tx) error {
					return errors.Join(
						tx.PutAttempt(quiz.Attempt{Guild: 1, User: u, Session: quiz.SessionID(n), QuestionID: "crash",
							Text: strings.Repeat("x", crashTextLen(n))}),
						tx.PutMember(quiz.Member{Guild: 1, User: u, Answered: int(n)}),
					)
				})
				if err != nil {
					fail(4, err)
				}
				out.Lock()
				_, err = fmt.Fprintf(os.Stdout, "ack %d %d\n", u, n)
				out.Unlock()
				if err != nil {
					fail(5, err)
				}
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}

package boltstore

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// commits records the groups the store commits, through its test hook.
type commits struct {
	mu     sync.Mutex
	groups []int // fns in each committed group, in order
}

func (c *commits) hook(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.groups = append(c.groups, n)
}

func (c *commits) get() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.groups)
}

// watchCommits installs a commit hook on s that records every group; if hold, the first
// commit stops inside its write transaction, with the write lock held, until release is called.
// inFlight is closed once that first commit is held.
func watchCommits(s *Store, hold bool) (c *commits, inFlight <-chan struct{}, release func()) {
	c = &commits{}
	held, gate := make(chan struct{}), make(chan struct{})
	var once sync.Once
	s.gc.commit = func(n int) {
		c.hook(n)
		if hold {
			once.Do(func() {
				close(held)
				<-gate
			})
		}
	}
	var rel sync.Once
	return c, held, func() { rel.Do(func() { close(gate) }) }
}

// waitQueued installs a queued hook on s; the returned channel is closed when n callers wait.
func waitQueued(s *Store, n int) <-chan struct{} {
	ch := make(chan struct{})
	var once sync.Once
	s.gc.queued = func(q int) {
		if q >= n {
			once.Do(func() { close(ch) })
		}
	}
	return ch
}

// lastTxID returns bbolt's id of the last committed write transaction: it counts commits.
func lastTxID(t *testing.T, db *bolt.DB) int {
	t.Helper()
	var id int
	if err := db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

func putMember(u quiz.UserID) func(quiz.Tx) error {
	return func(tx quiz.Tx) error { return tx.PutMember(quiz.Member{Guild: 1, User: u, Answered: int(u)}) }
}

// members returns the users of guild 1's members.
func members(t *testing.T, s *Store) []quiz.UserID {
	t.Helper()
	var us []quiz.UserID
	err := s.View(t.Context(), func(tx quiz.Tx) error {
		return tx.Members(1, func(m quiz.Member) bool { us = append(us, m.User); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return us
}

// TestBatchLoneCommitsAtOnce: a lone Batch is one commit, made at once. Inside a synctest
// bubble the clock moves only when every goroutine waits on time, so a Batch that armed a timer
// (as bbolt's DB.Batch does for MaxBatchDelay) would show a fake-clock delay; ours shows none.
func TestBatchLoneCommitsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Open(filepath.Join(t.TempDir(), "quiz.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, _, _ := watchCommits(s, false)
		before := lastTxID(t, s.db)
		for i := range 3 {
			start := time.Now()
			if err := s.Batch(t.Context(), putMember(quiz.UserID(i+1))); err != nil {
				t.Fatalf("Batch: %v", err)
			}
			if d := time.Since(start); d != 0 {
				t.Errorf("lone Batch #%d took %v of fake time; want 0 (no timer)", i, d)
			}
		}
		if got, want := c.get(), []int{1, 1, 1}; !slices.Equal(got, want) {
			t.Errorf("groups committed = %v; want %v", got, want)
		}
		if got := lastTxID(t, s.db) - before; got != 3 {
			t.Errorf("bbolt counted %d commits for 3 lone Batch calls; want 3", got)
		}

		// The same measure on bbolt's own Batch sees its timer: the check above can fail.
		start := time.Now()
		if err := s.db.Batch(func(tx *bolt.Tx) error {
			return (&boltTx{tx: tx}).PutMember(quiz.Member{Guild: 1, User: 99})
		}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != s.db.MaxBatchDelay {
			t.Errorf("bbolt's DB.Batch took %v of fake time; want its MaxBatchDelay %v", d, s.db.MaxBatchDelay)
		}
	})
}

// TestBatchCoalesces: callers arriving while a commit is in flight share the next commit, in
// groups of at most maxGroup.
func TestBatchCoalesces(t *testing.T) {
	for _, tc := range []struct {
		name    string
		waiting int
		want    []int
	}{
		{"64 members", 64, []int{1, 64}},
		{"beyond a group", maxGroup + 200, []int{1, maxGroup, 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
			c, inFlight, release := watchCommits(s, true)
			defer release()
			queued := waitQueued(s, tc.waiting)
			before := lastTxID(t, s.db)

			var wg sync.WaitGroup
			errs := make([]error, tc.waiting+1)
			wg.Go(func() { errs[0] = s.Batch(t.Context(), putMember(1)) })
			<-inFlight
			for i := range tc.waiting {
				wg.Go(func() { errs[i+1] = s.Batch(t.Context(), putMember(quiz.UserID(i+2))) })
			}
			<-queued
			release()
			wg.Wait()

			for i, err := range errs {
				if err != nil {
					t.Errorf("Batch #%d: %v", i, err)
				}
			}
			if got := c.get(); !slices.Equal(got, tc.want) {
				t.Errorf("groups committed = %v; want %v", got, tc.want)
			}
			if got := lastTxID(t, s.db) - before; got != len(tc.want) {
				t.Errorf("bbolt counted %d commits; want %d", got, len(tc.want))
			}
			if got := len(members(t, s)); got != tc.waiting+1 {
				t.Errorf("%d members stored; want %d", got, tc.waiting+1)
			}
		})
	}
}

// TestBatchJoinsRunningTransaction: callers that queue while a transaction's fns are still
// running join it, before its commit.
func TestBatchJoinsRunningTransaction(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
	c, _, _ := watchCommits(s, false)
	const joiners = 5
	queued := waitQueued(s, joiners)
	before := lastTxID(t, s.db)
	running := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		err := s.Batch(t.Context(), func(tx quiz.Tx) error {
			close(running)
			<-queued // a slow fn, for the test's sake only
			return putMember(1)(tx)
		})
		if err != nil {
			t.Errorf("leader: %v", err)
		}
	})
	<-running
	for i := range joiners {
		wg.Go(func() {
			if err := s.Batch(t.Context(), putMember(quiz.UserID(i+2))); err != nil {
				t.Errorf("Batch #%d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if got, want := c.get(), []int{1 + joiners}; !slices.Equal(got, want) {
		t.Errorf("groups committed = %v; want %v", got, want)
	}
	if got := lastTxID(t, s.db) - before; got != 1 {
		t.Errorf("bbolt counted %d commits; want 1", got)
	}
	if got := len(members(t, s)); got != 1+joiners {
		t.Errorf("%d members stored; want %d", got, 1+joiners)
	}
}

// TestBatchErrorIsolation: in one group, a failing fn and a panicking fn lose only their own
// writes; the others commit together. A fn that fails after others in its transaction runs
// again alone; one that fails first in its transaction has run as if alone, and is not rerun.
func TestBatchErrorIsolation(t *testing.T) {
	errBad := errors.New("bad")
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})

	loneFailingBatch(t, s, errBad)

	c, inFlight, release := watchCommits(s, true)
	defer release()
	const good = 10
	queued := waitQueued(s, good+2)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.Batch(t.Context(), putMember(1)); err != nil {
			t.Errorf("leader: %v", err)
		}
	})
	<-inFlight
	goodErrs := make([]error, good)
	for i := range good {
		wg.Go(func() { goodErrs[i] = s.Batch(t.Context(), putMember(quiz.UserID(10+i))) })
	}
	var failRuns atomic.Int32
	var failErr error
	wg.Go(func() {
		failErr = s.Batch(t.Context(), func(tx quiz.Tx) error {
			failRuns.Add(1)
			if err := tx.PutMember(quiz.Member{Guild: 1, User: 900}); err != nil {
				return err
			}
			return errBad
		})
	})
	var recovered any
	wg.Go(func() {
		defer func() { recovered = recover() }()
		_ = s.Batch(t.Context(), func(tx quiz.Tx) error {
			if err := tx.PutMember(quiz.Member{Guild: 1, User: 901}); err != nil {
				return err
			}
			panic("boom")
		})
	})
	<-queued
	release()
	wg.Wait()

	for i, err := range goodErrs {
		if err != nil {
			t.Errorf("good Batch #%d: %v", i, err)
		}
	}
	if !errors.Is(failErr, errBad) {
		t.Errorf("failing Batch = %v; want %v", failErr, errBad)
	}
	if n := failRuns.Load(); n < 1 || n > 2 {
		t.Errorf("failing fn ran %d times; want 1 (first in its transaction) or 2 (then alone)", n)
	}
	if recovered != "boom" {
		t.Errorf("panicking Batch: recovered %v; want the fn's panic in its caller", recovered)
	}
	want := []quiz.UserID{1}
	for i := range good {
		want = append(want, quiz.UserID(10+i))
	}
	if got := members(t, s); !slices.Equal(got, want) {
		t.Errorf("members = %v; want %v", got, want)
	}
	// The leader's commit, then the good ones together: attempts that failed were rolled back,
	// and solo runs do not go through the group.
	if got := c.get(); len(got) != 2 || got[1] != good {
		t.Errorf("groups committed = %v; want [1 %d]", got, good)
	}
}

// loneFailingBatch: alone, a failing fn runs once and its error stands.
func loneFailingBatch(t *testing.T, s *Store, errBad error) {
	var runs atomic.Int32
	err := s.Batch(t.Context(), func(tx quiz.Tx) error {
		runs.Add(1)
		if err := tx.PutMember(quiz.Member{Guild: 1, User: 500}); err != nil {
			return err
		}
		return errBad
	})
	if !errors.Is(err, errBad) || runs.Load() != 1 {
		t.Errorf("lone failing Batch = %v after %d runs; want %v after 1", err, runs.Load(), errBad)
	}
}

// TestBatchContextDone: a caller whose ctx ends while queued returns at once, and its fn never
// runs; one taken into a group whose ctx ends before its fn's turn gets ctx.Err() and its fn
// never runs; a fn that has started completes even if its ctx ends meanwhile.
func TestBatchContextDone(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
	c, inFlight, release := watchCommits(s, true)
	defer release()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.Batch(t.Context(), putMember(1)); err != nil {
			t.Errorf("leader: %v", err)
		}
	})
	<-inFlight

	// Queued, then cancelled while the commit is still held: returns without waiting for it.
	queued := waitQueued(s, 1)
	qctx, qcancel := context.WithCancel(t.Context())
	var qran atomic.Bool
	qdone := make(chan error)
	go func() {
		qdone <- s.Batch(qctx, func(tx quiz.Tx) error { qran.Store(true); return putMember(2)(tx) })
	}()
	<-queued
	qcancel()
	if err := <-qdone; !errors.Is(err, context.Canceled) {
		t.Errorf("Batch cancelled while queued = %v; want context.Canceled", err)
	}

	// B then C queue together; B's fn runs first and cancels both contexts.
	queued = waitQueued(s, 2)
	bctx, bcancel := context.WithCancel(t.Context())
	cctx, ccancel := context.WithCancel(t.Context())
	var bErr, cErr error
	var cran atomic.Bool
	wg.Go(func() {
		bErr = s.Batch(bctx, func(tx quiz.Tx) error {
			bcancel()
			ccancel()
			return putMember(3)(tx)
		})
	})
	<-waitQueuedNow(s, 1)
	wg.Go(func() {
		cErr = s.Batch(cctx, func(tx quiz.Tx) error { cran.Store(true); return putMember(4)(tx) })
	})
	<-queued
	release()
	wg.Wait()

	if qran.Load() || cran.Load() {
		t.Errorf("fns of cancelled callers ran: queued %v, in group %v", qran.Load(), cran.Load())
	}
	if bErr != nil {
		t.Errorf("Batch whose ctx ended while its fn ran = %v; want nil (committed)", bErr)
	}
	if !errors.Is(cErr, context.Canceled) {
		t.Errorf("Batch cancelled before its turn in the group = %v; want context.Canceled", cErr)
	}
	if got, want := members(t, s), []quiz.UserID{1, 3}; !slices.Equal(got, want) {
		t.Errorf("members = %v; want %v", got, want)
	}
	if got, want := c.get(), []int{1, 1}; !slices.Equal(got, want) {
		t.Errorf("groups committed (fns run) = %v; want %v", got, want)
	}
}

// waitQueuedNow returns a channel closed once n callers are queued, polling the queue (the
// queued hook is taken by the caller).
func waitQueuedNow(s *Store, n int) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		for {
			s.gc.mu.Lock()
			q := len(s.gc.queue)
			s.gc.mu.Unlock()
			if q >= n {
				return
			}
			runtime.Gosched()
		}
	}()
	return ch
}

// TestBatchClose: Close with callers waiting fails the queued ones (their fns never run),
// waits for the commit in flight, and leaves no goroutine behind; Batch after Close fails.
func TestBatchClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "quiz.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	baseline := runtime.NumGoroutine()
	_, inFlight, release := watchCommits(s, true)
	defer release()
	const waiting = 50
	queued := waitQueued(s, waiting)

	var wg sync.WaitGroup
	var leaderErr error
	wg.Go(func() { leaderErr = s.Batch(t.Context(), putMember(1)) })
	<-inFlight
	errs := make([]error, waiting)
	var ran, returned atomic.Int32
	for i := range waiting {
		wg.Go(func() {
			errs[i] = s.Batch(t.Context(), func(tx quiz.Tx) error {
				ran.Add(1)
				return putMember(quiz.UserID(i + 2))(tx)
			})
			returned.Add(1)
		})
	}
	<-queued
	closed := make(chan error)
	go func() { closed <- s.Close() }()

	// The queued callers fail at once, while the commit is still held...
	for deadline := time.Now().Add(10 * time.Second); returned.Load() < waiting; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d queued callers returned after Close", returned.Load(), waiting)
		}
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v with a commit in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	// ...and Close returns once it is committed.
	release()
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
	if leaderErr != nil {
		t.Errorf("Batch in flight at Close = %v; want nil", leaderErr)
	}
	for i, err := range errs {
		if !errors.Is(err, berrors.ErrDatabaseNotOpen) {
			t.Errorf("Batch #%d queued at Close = %v; want ErrDatabaseNotOpen", i, err)
		}
	}
	if n := ran.Load(); n != 0 {
		t.Errorf("%d fns of callers queued at Close ran", n)
	}
	if err := s.Batch(t.Context(), putMember(99)); !errors.Is(err, berrors.ErrDatabaseNotOpen) {
		t.Errorf("Batch after Close = %v; want ErrDatabaseNotOpen", err)
	}
	// Every goroutine has returned: the commit path has none of its own.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close; %d before the callers started:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}

	s2, err := Open(s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, want := members(t, s2), []quiz.UserID{1}; !slices.Equal(got, want) {
		t.Errorf("members after reopening = %v; want %v", got, want)
	}
}

package boltstore

import (
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestBatchThenDecidesBeforeTheCommit: decided is called once the fn has run, while the commit
// is still in flight (held inside its transaction here); BatchThen returns only after the
// commit; a View started after decided waits for the commit and then finds the write, instead
// of reading the state before it.
func TestBatchThenDecidesBeforeTheCommit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
		_, inFlight, release := watchCommits(s, true)
		defer release()
		decided := make(chan struct{})
		returned := make(chan error, 1)
		go func() {
			returned <- s.BatchThen(t.Context(), putMember(7), func() { close(decided) })
		}()
		<-decided
		<-inFlight
		var read []quiz.UserID
		viewed := make(chan struct{})
		go func() {
			read = members(t, s)
			close(viewed)
		}()
		synctest.Wait()
		select {
		case err := <-returned:
			t.Fatalf("BatchThen returned (%v) while its commit was held", err)
		case <-viewed:
			t.Fatalf("a View started after decided read %v while the commit was held; want it to wait", read)
		default:
		}
		release()
		if err := <-returned; err != nil {
			t.Fatalf("BatchThen: %v", err)
		}
		<-viewed
		if !slices.Equal(read, []quiz.UserID{7}) {
			t.Errorf("the View after decided read members %v; want [7]", read)
		}
	})
}

// TestBatchThenDecidesOnceAndOnlyOnSuccess: a failing fn is never decided; a fn whose group is
// run again (another fn failed after it) is decided once, for the run that is committed; reads
// are not held after a commit that panicked.
func TestBatchThenDecidesOnceAndOnlyOnSuccess(t *testing.T) {
	errBad := errors.New("bad")
	s := openTest(t, filepath.Join(t.TempDir(), "quiz.db"), Options{})
	var lone atomic.Int32
	err := s.BatchThen(t.Context(), func(quiz.Tx) error { return errBad }, func() { lone.Add(1) })
	if !errors.Is(err, errBad) || lone.Load() != 0 {
		t.Fatalf("failing BatchThen = %v, decided %d times; want %v, never decided", err, lone.Load(), errBad)
	}

	_, inFlight, release := watchCommits(s, true)
	defer release()
	queued := waitQueued(s, 2)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.Batch(t.Context(), putMember(1)); err != nil {
			t.Errorf("leader: %v", err)
		}
	})
	<-inFlight
	var good, bad atomic.Int32
	var goodErr, badErr error
	wg.Go(func() {
		goodErr = s.BatchThen(t.Context(), putMember(2), func() { good.Add(1) })
	})
	<-waitQueuedNow(s, 1)
	wg.Go(func() {
		badErr = s.BatchThen(t.Context(), func(tx quiz.Tx) error {
			if err := tx.PutMember(quiz.Member{Guild: 1, User: 3}); err != nil {
				return err
			}
			return errBad
		}, func() { bad.Add(1) })
	})
	<-queued
	release()
	wg.Wait()
	if goodErr != nil || good.Load() != 1 {
		t.Errorf("good BatchThen = %v, decided %d times; want nil, once", goodErr, good.Load())
	}
	if !errors.Is(badErr, errBad) || bad.Load() != 0 {
		t.Errorf("failing BatchThen = %v, decided %d times; want %v, never", badErr, bad.Load(), errBad)
	}
	if got := members(t, s); !slices.Equal(got, []quiz.UserID{1, 2}) {
		t.Errorf("members = %v; want [1 2]", got)
	}

	// A commit that panics after decided (a test hook here) must not leave reads waiting.
	s.gc.commit = func(int) { panic("commit hook") }
	func() {
		defer func() { _ = recover() }()
		_ = s.BatchThen(t.Context(), putMember(4), func() {})
	}()
	s.gc.commit = nil
	if got := members(t, s); !slices.Equal(got, []quiz.UserID{1, 2}) {
		t.Errorf("members after a panicked commit = %v; want [1 2]", got)
	}
}

package boltstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// maxGroup bounds the fns one commit runs, so that a crowd is cut into commits of bounded
// length (bbolt's DefaultMaxBatchSize).
const maxGroup = 1000

// groupCommit is the commit path of Store.Batch: a group commit without a goroutine of its own
// and without a timer. See Store.Batch.
//
// The caller that finds no commit in flight becomes the leader and starts a write transaction
// at once. It runs its own fn, then, before committing, the fns of every caller that queued
// meanwhile (up to maxGroup fns in all). Callers that arrive while the commit is in flight
// queue up. When the commit is on disk, the leader answers its group, hands the commit path
// to the oldest queued caller, which leads the next transaction the same way, and returns. A
// caller thus waits for at most the commit in flight and the one that holds its fn.
type groupCommit struct {
	mu      sync.Mutex
	leading bool    // a leader holds the commit path
	queue   []*call // waiting callers, oldest first; none is taken
	active  int     // Batch calls between entry and return
	closed  bool
	drained chan struct{} // made by close, closed when active reaches 0

	// Test hooks, nil outside tests. queued runs after a call joins the queue, with the
	// queue's length; commit runs inside each group's write transaction, after its fns, with
	// the number of fns in the group.
	queued func(n int)
	commit func(n int)
}

// call is one Batch call.
type call struct {
	ctx   context.Context
	fn    func(quiz.Tx) error
	wake  chan wake // buffered: the sender never waits
	taken bool      // out of the queue (guarded by groupCommit.mu)

	// Set by the leader running the call's group.
	ran bool  // fn has run at least once
	err error // the call's outcome
}

// wake tells a queued caller either to lead the next commit or its outcome.
type wake struct {
	lead bool
	err  error
}

// errSolo tells a caller that its fn failed in a group after other fns, so its error may come
// from their writes: it runs fn again alone, as bbolt's Batch does. Never returned.
var errSolo = errors.New("boltstore: batch: run fn alone")

var errClosed = fmt.Errorf("boltstore: batch: %w", berrors.ErrDatabaseNotOpen)

// Batch runs fn in a write transaction that may hold other concurrent Batch calls' fns too,
// and returns once that transaction is committed (fsync'd unless Options.NoSync).
//
// If no Batch commit is in flight, fn runs and is committed at once: a lone writer pays one
// commit and never waits on a timer (unlike bbolt's DB.Batch, which waits MaxBatchDelay).
// Calls that arrive while a commit is in flight are committed together by the next one, up to
// 1,000 fns a commit; calls that arrive while a transaction's fns are still running join it.
//
// Each fn's outcome is its own. A fn that fails (or panics) after other fns ran in the same
// transaction is taken out; the others are run again without it and committed, and it is then
// run alone in its own transaction, whose outcome it returns (a panic reaches the caller). So
// fn may run more than once and must only read and write through tx.
//
// ctx is checked just before fn first runs: a caller whose ctx is done by then gets ctx.Err()
// and its fn never runs; once fn has run, the call completes whatever ctx does. After Close,
// Batch returns an error matching bbolt's ErrDatabaseNotOpen.
func (s *Store) Batch(ctx context.Context, fn func(quiz.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g := &s.gc
	c := &call{ctx: ctx, fn: fn}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return errClosed
	}
	g.active++
	defer g.exit()
	if !g.leading {
		g.leading = true
		g.mu.Unlock()
		return s.finish(c, s.lead([]*call{c}, c))
	}
	c.wake = make(chan wake, 1)
	g.queue = append(g.queue, c)
	n, hook := len(g.queue), g.queued
	g.mu.Unlock()
	if hook != nil {
		hook(n)
	}

	var w wake
	select {
	case w = <-c.wake:
	case <-ctx.Done():
		g.mu.Lock()
		if !c.taken {
			g.queue = slices.DeleteFunc(g.queue, func(q *call) bool { return q == c })
			g.mu.Unlock()
			return ctx.Err()
		}
		g.mu.Unlock()
		// Taken into a group: its leader checks ctx before fn runs; wait for the outcome.
		w = <-c.wake
	}
	if w.lead {
		return s.finish(c, s.lead(s.gather(c), c))
	}
	return s.finish(c, w.err)
}

// finish runs c's fn alone if its group said so.
func (s *Store) finish(c *call, err error) error {
	if err == errSolo {
		return run(s.updateDB, c.fn)
	}
	return err
}

// exit ends a Batch call, for Close.
func (g *groupCommit) exit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.active--
	if g.active == 0 && g.drained != nil {
		close(g.drained)
		g.drained = nil
	}
}

// lead commits group, with the calls that queue while its fns run, tells every member of the
// group but self its outcome, hands the commit path on, and returns self's outcome.
func (s *Store) lead(group []*call, self *call) error {
	delivered := false
	defer func() {
		if delivered {
			return
		}
		// Something outside the fns panicked (bbolt, a test hook): free the commit path and the
		// other callers before the panic goes on.
		for _, c := range group {
			if c.err == nil {
				c.err = errors.New("boltstore: batch: commit panicked")
			}
		}
		s.handOff()
		s.deliver(group, self)
	}()

	live := slices.Clone(group)
	for len(live) > 0 {
		failed, first := -1, false
		err := s.updateDB(func(tx *bolt.Tx) error {
			btx := &boltTx{tx: tx}
			ran := 0
			for i := 0; ; i++ {
				if i == len(live) {
					// Callers that arrived while these fns ran join before the commit starts.
					more := s.gatherMore(maxGroup - len(group))
					if len(more) == 0 {
						break
					}
					group, live = append(group, more...), append(live, more...)
				}
				c := live[i]
				if c.err != nil {
					continue // its ctx ended before its first run
				}
				if !c.ran {
					if err := c.ctx.Err(); err != nil {
						c.err = err
						continue
					}
					c.ran = true
				}
				if err := safelyCall(c.fn, btx); err != nil {
					failed, first = i, ran == 0
					c.err = err
					return err
				}
				ran++
			}
			if hook := s.gc.commit; hook != nil {
				hook(ran)
			}
			return nil
		})
		if failed >= 0 {
			c := live[failed]
			// A fn that failed first in its transaction saw only committed data, as if alone:
			// its error stands. Otherwise, and for a panic, it runs again alone.
			if _, ok := c.err.(panicked); ok || !first {
				c.err = errSolo
			}
			live = slices.Delete(live, failed, failed+1)
			continue
		}
		if err != nil {
			err = fmt.Errorf("boltstore: %w", err)
		}
		for _, c := range live {
			if c.err == nil {
				c.err = err
			}
		}
		break
	}
	delivered = true
	s.deliver(group, self)
	s.handOff()
	return self.err
}

// deliver sends each member of group but self its outcome.
func (s *Store) deliver(group []*call, self *call) {
	for _, c := range group {
		if c != self {
			c.wake <- wake{err: c.err}
		}
	}
}

// handOff gives the commit path to the oldest queued caller, or frees it if nobody waits.
func (s *Store) handOff() {
	g := &s.gc
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.leading = false
		return
	}
	g.take(1)[0].wake <- wake{lead: true}
}

// gather returns the group a new leader starts with: itself and up to maxGroup-1 queued
// calls. It is taken when the leader runs rather than at the hand-off, so that it holds every
// caller that arrived meanwhile.
func (s *Store) gather(leader *call) []*call {
	g := &s.gc
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*call{leader}, g.take(min(len(g.queue), maxGroup-1))...)
}

// gatherMore takes up to n queued calls into a group being run.
func (s *Store) gatherMore(n int) []*call {
	g := &s.gc
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.take(min(len(g.queue), max(n, 0)))
}

// take removes the n oldest calls from the queue and returns them; g.mu must be held.
func (g *groupCommit) take(n int) []*call {
	taken := slices.Clone(g.queue[:n])
	for _, c := range taken {
		c.taken = true
	}
	rest := copy(g.queue, g.queue[n:])
	clear(g.queue[rest:])
	g.queue = g.queue[:rest]
	return taken
}

// close makes later Batch calls fail, fails the queued ones (their fns never ran) and waits
// for the calls in progress, including the commit in flight, to return.
func (g *groupCommit) close() {
	g.mu.Lock()
	g.closed = true
	for _, c := range g.queue {
		c.taken = true
		c.wake <- wake{err: errClosed}
	}
	clear(g.queue)
	g.queue = nil
	var drained chan struct{}
	if g.active > 0 {
		if g.drained == nil {
			g.drained = make(chan struct{})
		}
		drained = g.drained
	}
	g.mu.Unlock()
	if drained != nil {
		<-drained
	}
}

// panicked is a panic recovered from a batched fn.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprintf("boltstore: batched fn panicked: %v", p.value) }

func safelyCall(fn func(quiz.Tx) error, tx quiz.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicked{r}
		}
	}()
	return fn(tx)
}

package schedule

import (
	"sync"
	"time"
)

// ManualClock is a Clock that moves only when told to, for tests of time-driven behaviour.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	// waiting is signalled whenever a goroutine starts waiting, so tests can wait for the
	// scheduler to be idle instead of sleeping.
	waiting chan struct{}
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewManualClock returns a clock reading now.
func NewManualClock(now time.Time) *ManualClock {
	return &ManualClock{now: now, waiting: make(chan struct{}, 1024)}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives when the clock has been advanced past d from now.
func (c *ManualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	select {
	case c.waiting <- struct{}{}:
	default:
	}
	return ch
}

// Waiting returns a channel signalled each time a goroutine starts waiting on the clock.
func (c *ManualClock) Waiting() <-chan struct{} { return c.waiting }

// Advance moves the clock forward by d, firing every timer that is due.
func (c *ManualClock) Advance(d time.Duration) {
	c.Set(c.Now().Add(d))
}

// Set moves the clock to t (never backwards), firing every timer that is due.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

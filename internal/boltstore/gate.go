package boltstore

import (
	"sync"
	"time"
)

// gate lets transactions through (enter, leave) until Compact or Close shuts it: then new
// transactions wait, and shut returns once the running ones have left. Unlike a sync.RWMutex,
// a shut can be abandoned: Compact holds a read transaction while it shuts the gate (to know
// which buckets are unchanged), and a writer that must grow bbolt's memory map waits for every
// read transaction to end, so Compact gives up after a while rather than wait for it forever.
type gate struct {
	mu     sync.Mutex
	active int
	shutCh chan struct{} // non-nil while shut or shutting; closed when the gate reopens
	idle   chan struct{} // non-nil while shutting; closed when the last transaction leaves
}

func (g *gate) enter() {
	g.mu.Lock()
	for g.shutCh != nil {
		wait := g.shutCh
		g.mu.Unlock()
		<-wait
		g.mu.Lock()
	}
	g.active++
	g.mu.Unlock()
}

func (g *gate) leave() {
	g.mu.Lock()
	g.active--
	if g.active == 0 && g.idle != nil {
		close(g.idle)
		g.idle = nil
	}
	g.mu.Unlock()
}

// shut stops new transactions and waits for the running ones to leave. If abandon receives
// first (nil: never), it reopens the gate and returns false. Only one shut at a time (the
// callers hold Store.maint).
func (g *gate) shut(abandon <-chan time.Time) bool {
	g.mu.Lock()
	g.shutCh = make(chan struct{})
	if g.active == 0 {
		g.mu.Unlock()
		return true
	}
	idle := make(chan struct{})
	g.idle = idle
	g.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-abandon:
	}
	g.mu.Lock()
	if g.idle == nil { // the last one left meanwhile
		g.mu.Unlock()
		return true
	}
	g.idle = nil
	g.mu.Unlock()
	g.reopen()
	return false
}

// reopen lets the waiting transactions in.
func (g *gate) reopen() {
	g.mu.Lock()
	close(g.shutCh)
	g.shutCh = nil
	g.mu.Unlock()
}

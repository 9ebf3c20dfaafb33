package quiz

import (
	"context"
	"sync"
)

// idBlockSize is how many session ids Ask reserves for a server at a time: one extra commit
// per 1,000 questions shown before they are written.
const idBlockSize = 1000

// maxIDBlocks bounds the servers whose reserved ids are remembered; past it one is forgotten
// (its unused ids are skipped, which costs nothing).
const maxIDBlocks = 4096

// sessionIDs hands out session ids that were reserved (written) in blocks beforehand, so that
// Ask can name a session before writing it: a crash between showing and writing leaves an
// unused id, never one id for two sessions.
type sessionIDs struct {
	mu     sync.Mutex
	blocks map[GuildID]idBlock
}

// idBlock is the unused part of a reserved block: next up to, not including, end.
type idBlock struct{ next, end SessionID }

// take returns an unused reserved id of g, reserving a new block through store when g has none.
func (s *sessionIDs) take(ctx context.Context, store Store, g GuildID) (SessionID, error) {
	s.mu.Lock()
	if b, ok := s.blocks[g]; ok && b.next < b.end {
		s.blocks[g] = idBlock{next: b.next + 1, end: b.end}
		s.mu.Unlock()
		return b.next, nil
	}
	s.mu.Unlock()
	var first SessionID
	err := store.Batch(ctx, func(tx Tx) error {
		var err error
		first, err = tx.ReserveSessionIDs(g, idBlockSize)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks == nil {
		s.blocks = map[GuildID]idBlock{}
	}
	if _, ok := s.blocks[g]; !ok && len(s.blocks) >= maxIDBlocks {
		for k := range s.blocks {
			delete(s.blocks, k)
			break
		}
	}
	s.blocks[g] = idBlock{next: first + 1, end: first + idBlockSize}
	return first, nil
}

// pendingSessions are the sessions shown before they are written (AskRequest.Show). A use case
// that finds a session by id waits for its write first (wait), so a member who clicks faster
// than the write never sees it missing.
type pendingSessions struct {
	mu sync.Mutex
	m  map[pendingKey]chan struct{}
}

type pendingKey struct {
	g GuildID
	s SessionID
}

// add marks g's session sid pending until the returned function is called.
func (p *pendingSessions) add(g GuildID, sid SessionID) (written func()) {
	ch := make(chan struct{})
	k := pendingKey{g, sid}
	p.mu.Lock()
	if p.m == nil {
		p.m = map[pendingKey]chan struct{}{}
	}
	p.m[k] = ch
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		delete(p.m, k)
		p.mu.Unlock()
		close(ch)
	}
}

// wait returns once g's session sid is not pending, or ctx's error.
func (p *pendingSessions) wait(ctx context.Context, g GuildID, sid SessionID) error {
	p.mu.Lock()
	ch := p.m[pendingKey{g, sid}]
	p.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

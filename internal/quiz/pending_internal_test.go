package quiz

import (
	"context"
	"testing"
)

// reserveStore is a Store whose Batch only reserves session ids, counting its commits.
type reserveStore struct {
	Store
	seq     map[GuildID]SessionID
	commits int
}

func (s *reserveStore) Batch(_ context.Context, fn func(Tx) error) error {
	s.commits++
	return fn(reserveTx{s: s})
}

type reserveTx struct {
	Tx
	s *reserveStore
}

func (t reserveTx) ReserveSessionIDs(g GuildID, n int) (SessionID, error) {
	first := t.s.seq[g] + 1
	t.s.seq[g] += SessionID(n)
	return first, nil
}

// TestSessionIDsReservedInBlocks: ids come from blocks reserved through the store, one commit
// per 1,000; a server's ids only ever grow, even after its block was forgotten; no more than
// maxIDBlocks servers' blocks are kept.
func TestSessionIDsReservedInBlocks(t *testing.T) {
	st := &reserveStore{seq: map[GuildID]SessionID{}}
	var ids sessionIDs
	last := map[GuildID]SessionID{}
	take := func(g GuildID) SessionID {
		t.Helper()
		id, err := ids.take(context.Background(), st, g)
		if err != nil {
			t.Fatal(err)
		}
		if id <= last[g] {
			t.Fatalf("guild %d: id %d after %d; ids must grow", g, id, last[g])
		}
		last[g] = id
		return id
	}
	for i := range idBlockSize {
		if id := take(1); id != SessionID(i+1) {
			t.Fatalf("take #%d = %d; want %d", i+1, id, i+1)
		}
	}
	if st.commits != 1 {
		t.Fatalf("%d commits for %d ids; want 1", st.commits, idBlockSize)
	}
	if id := take(1); id != idBlockSize+1 || st.commits != 2 {
		t.Fatalf("the id after the block = %d with %d commits; want %d, a second reservation", id, st.commits, idBlockSize+1)
	}
	for g := GuildID(2); g < 102; g++ {
		take(g)
	}
	before := st.commits
	for g := GuildID(1); g < 102; g++ {
		take(g) // well under maxIDBlocks servers: every block is still there
	}
	if st.commits != before {
		t.Fatalf("%d reservations for 101 servers that each had a block; want none", st.commits-before)
	}
	for g := GuildID(102); g < maxIDBlocks+1000; g++ {
		take(g)
	}
	if n := len(ids.blocks); n > maxIDBlocks {
		t.Fatalf("%d servers' blocks kept; want at most %d", n, maxIDBlocks)
	}
	for g := GuildID(1); g < maxIDBlocks+1000; g++ {
		take(g) // a forgotten server reserves anew; take checks its ids still grow
	}
}

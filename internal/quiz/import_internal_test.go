package quiz

import (
	"testing"
	"time"
)

// TestPlanIDsAreUnguessable: import plan ids travel in custom ids a client can forge, so they
// are random, not a counter another server could count along with.
func TestPlanIDsAreUnguessable(t *testing.T) {
	var im imports
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	seen := map[uint64]bool{}
	small := 0
	q := Quotas{Previews: 1, PreviewBytes: 1 << 30}
	for i := range 1000 {
		// A server each, so every plan stays and a repeated id would show.
		p := im.put(ImportPlan{guild: GuildID(i + 1), user: 1, expires: now.Add(time.Hour)}, now, q)
		if p.ID == 0 || seen[p.ID] || p.ID >= 1<<53 {
			t.Fatalf("plan id %d: zero, repeated or over 53 bits", p.ID)
		}
		seen[p.ID] = true
		if p.ID < 1<<32 {
			small++
		}
	}
	// A random 53-bit id is under 2^32 once in 2^21 draws.
	if small > 1 {
		t.Errorf("%d of 1000 plan ids are under 2^32; want random 53-bit ids", small)
	}
}

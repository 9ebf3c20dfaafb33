package quiz

import (
	"fmt"
	"testing"
)

func TestFairOrder(t *testing.T) {
	d := func(g GuildID, s SessionID) Due { return Due{Guild: g, Session: s} }
	for _, c := range []struct {
		in, want []Due
	}{
		{nil, []Due{}},
		{[]Due{d(1, 1), d(1, 2), d(1, 3), d(2, 1)}, []Due{d(1, 1), d(2, 1), d(1, 2), d(1, 3)}},
		{[]Due{d(3, 1), d(1, 1), d(3, 2), d(2, 1), d(1, 2), d(3, 3)}, []Due{d(3, 1), d(1, 1), d(2, 1), d(3, 2), d(1, 2), d(3, 3)}},
		{[]Due{d(1, 1), d(2, 1)}, []Due{d(1, 1), d(2, 1)}},
	} {
		if got := fairOrder(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("fairOrder(%v) = %v; want %v", c.in, got, c.want)
		}
	}
}

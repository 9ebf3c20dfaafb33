package boltstore

import (
	"bytes"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func TestCardCodec(t *testing.T) {
	zone := time.FixedZone("x", -7*3600)
	for _, c := range []quiz.Card{
		{QuestionID: "a"},
		{QuestionID: "tcp-handshake", Asked: 5, LastAsked: time.Date(2025, 3, 30, 9, 15, 0, 123456789, zone),
			Reps: 2, Lapses: 1, Ease: 2.36, Interval: 6, Due: time.Date(2025, 4, 5, 9, 15, 0, 0, time.UTC), LastGrade: quiz.Hard},
		{QuestionID: "extremes", Asked: math.MaxInt, Reps: math.MinInt, Lapses: -1, Ease: math.Inf(1), Interval: math.MaxInt32,
			LastAsked: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), Due: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
			LastGrade: "some-future-grade"},
		{QuestionID: "pre-1970", LastAsked: time.Date(1969, 7, 20, 20, 17, 0, 500, time.UTC), Due: time.Unix(-1, 0)},
	} {
		b := encodeCard(c)
		got, err := decodeCard(c.QuestionID, b)
		if err != nil {
			t.Fatalf("decodeCard(encodeCard(%+v)): %v", c, err)
		}
		if d := cmp.Diff(got, c); d != "" {
			t.Errorf("card round trip (-got +want):\n%s", d)
		}
		if got.LastAsked.Location() != time.UTC || got.Due.Location() != time.UTC {
			t.Errorf("decoded times are not UTC: %v, %v", got.LastAsked, got.Due)
		}
		// Every truncation and any trailing byte is an error, never a panic.
		for n := range len(b) {
			if _, err := decodeCard("x", b[:n]); err == nil {
				t.Errorf("decodeCard of %d of %d bytes succeeded", n, len(b))
			}
		}
		if _, err := decodeCard("x", append(slices.Clone(b), 0)); err == nil {
			t.Errorf("decodeCard with a trailing byte succeeded")
		}
	}
	zero := encodeCard(quiz.Card{QuestionID: "a"})
	if got, _ := decodeCard("a", zero); !got.Due.IsZero() || !got.LastAsked.IsZero() {
		t.Errorf("zero times came back as %v, %v", got.Due, got.LastAsked)
	}
	full := encodeCard(quiz.Card{QuestionID: "q", Asked: 12, LastAsked: time.Now(), Reps: 4, Ease: 2.5,
		Interval: 30, Due: time.Now().Add(30 * 24 * time.Hour), LastGrade: quiz.Good})
	t.Logf("encoded card: %d bytes", len(full))
	if len(full) > 48 {
		t.Errorf("a typical card encodes to %d bytes; want it compact", len(full))
	}
	if _, err := decodeCard("a", []byte{2}); err == nil {
		t.Errorf("decodeCard accepted an unknown version")
	}
}

func FuzzDecodeCard(f *testing.F) {
	f.Add(encodeCard(quiz.Card{QuestionID: "a"}))
	f.Add(encodeCard(quiz.Card{QuestionID: "a", Asked: 3, LastAsked: time.Now(), Ease: 2.5, LastGrade: quiz.Easy}))
	f.Add([]byte{1, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCard("q", b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to something that decodes the same.
		c2, err := decodeCard("q", encodeCard(c))
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !c.LastAsked.Equal(c2.LastAsked) || !c.Due.Equal(c2.Due) || c.Asked != c2.Asked ||
			c.LastGrade != c2.LastGrade || math.Float64bits(c.Ease) != math.Float64bits(c2.Ease) {
			t.Fatalf("round trip changed %+v to %+v", c, c2)
		}
	})
}

func TestKeyOrder(t *testing.T) {
	base := time.UnixMilli(1_700_000_000_000)
	dues := []quiz.Due{
		{At: base, Guild: 1, Session: 2},
		{At: base, Guild: 1, Session: 256},
		{At: base, Guild: 256, Session: 1},
		{At: base.Add(time.Millisecond), Guild: 0, Session: 0},
		{At: base.Add(255 * time.Millisecond), Guild: 0, Session: 0},
		{At: base.Add(256 * time.Millisecond), Guild: 0, Session: 0},
	}
	var prev []byte
	for _, d := range dues {
		k, err := dueKey(d)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Compare(prev, k) >= 0 {
			t.Errorf("dueKey(%+v) does not sort after the previous entry", d)
		}
		back, err := decodeDueKey(k)
		if err != nil || !back.At.Equal(d.At) || back.Guild != d.Guild || back.Session != d.Session {
			t.Errorf("decodeDueKey(dueKey(%+v)) = %+v, %v", d, back, err)
		}
		prev = k
	}
	if _, err := dueKey(quiz.Due{}); err == nil {
		t.Errorf("dueKey(zero time) succeeded")
	}

	prev = nil
	for _, d := range []quiz.Day{quiz.Date(1, 1, 2), quiz.Date(999, 12, 31), quiz.Date(1970, 1, 1),
		quiz.Date(2025, 9, 30), quiz.Date(2025, 10, 1), quiz.Date(9999, 12, 31)} {
		k, err := dayKey(d)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Compare(prev, k) >= 0 {
			t.Errorf("dayKey(%v) = %q does not sort after %q", d, k, prev)
		}
		prev = k
	}

	prev = nil
	for _, h := range []struct {
		id string
		v  int
	}{{"a", 0}, {"a", 1}, {"a", 255}, {"a", 256}, {"a", math.MaxUint32}, {"a-b", 0}, {"ab", 0}} {
		k, err := historyKey(h.id, h.v)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Compare(prev, k) >= 0 {
			t.Errorf("historyKey(%q, %d) does not sort after the previous entry", h.id, h.v)
		}
		prev = k
	}
	if k := attemptKey(1, 2); !bytes.HasPrefix(k, u64(1)) || bytes.Compare(k, attemptKey(2, 1)) >= 0 {
		t.Errorf("attemptKey does not order by user first")
	}
}

package boltstore

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func mustCard(t testing.TB, c quiz.Card) []byte {
	t.Helper()
	b, err := encodeCard(c)
	if err != nil {
		t.Fatalf("encodeCard(%+v): %v", c, err)
	}
	return b
}

// encodeCardV1 is schema v1's card encoder, as released: the migration test and the decoder's
// v1 path read what it wrote.
func encodeCardV1(c quiz.Card) []byte {
	b := []byte{cardCodecV1}
	b = binary.AppendVarint(b, int64(c.Asked))
	b = appendTimeV1(b, c.LastAsked)
	b = binary.AppendVarint(b, int64(c.Reps))
	b = binary.AppendVarint(b, int64(c.Lapses))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Ease))
	b = binary.AppendVarint(b, int64(c.Interval))
	b = appendTimeV1(b, c.Due)
	b = binary.AppendUvarint(b, uint64(len(c.LastGrade)))
	return append(b, c.LastGrade...)
}

// appendTimeV1 is version 1's time: varint unix seconds, uvarint nanoseconds.
func appendTimeV1(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// checkTruncations checks that every truncation of b and b with a trailing byte fail to decode.
func checkTruncations(t *testing.T, what string, b []byte, decode func([]byte) error) {
	t.Helper()
	for n := range len(b) {
		if err := decode(b[:n]); err == nil {
			t.Errorf("%s: decoding %d of %d bytes succeeded", what, n, len(b))
		}
	}
	if err := decode(append(slices.Clone(b), 0)); err == nil {
		t.Errorf("%s: decoding with a trailing byte succeeded", what)
	}
}

func TestCardCodec(t *testing.T) {
	zone := time.FixedZone("x", -7*3600)
	for _, c := range []quiz.Card{
		{QuestionID: "a"},
		{QuestionID: "tcp-handshake", Topic: "tcp", Asked: 5, LastAsked: time.Date(2025, 3, 30, 9, 15, 0, 123456789, zone),
			Reps: 2, Lapses: 1, Ease: 2.36, Interval: 6, Due: time.Date(2025, 4, 5, 9, 15, 0, 0, time.UTC), LastGrade: quiz.Hard,
			Stability: 10.739, Difficulty: 5.273, State: quiz.CardReview, LastReview: time.Date(2025, 3, 30, 9, 15, 0, 0, time.UTC)},
		{QuestionID: "extremes", Topic: "系统设计", Asked: math.MaxInt, Reps: math.MinInt, Lapses: -1, Ease: math.Inf(1), Interval: math.MaxInt32,
			LastAsked: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), Due: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
			LastGrade: quiz.Easy, Stability: math.MaxFloat64, Difficulty: -0, State: quiz.CardRelearning},
		{QuestionID: "pre-1970", LastAsked: time.Date(1969, 7, 20, 20, 17, 0, 500, time.UTC), Due: time.Unix(-1, 0)},
	} {
		b := mustCard(t, c)
		got, err := decodeCard(c.QuestionID, b)
		if err != nil {
			t.Fatalf("decodeCard(encodeCard(%+v)): %v", c, err)
		}
		if d := cmp.Diff(got, c); d != "" {
			t.Errorf("card round trip (-got +want):\n%s", d)
		}
		if got.LastAsked.Location() != time.UTC || got.Due.Location() != time.UTC || got.LastReview.Location() != time.UTC {
			t.Errorf("decoded times are not UTC: %v, %v, %v", got.LastAsked, got.Due, got.LastReview)
		}
		// Every truncation and any trailing byte is an error, never a panic.
		checkTruncations(t, "card "+c.QuestionID, b, func(b []byte) error { _, err := decodeCard("x", b); return err })
	}
	zero := mustCard(t, quiz.Card{QuestionID: "a"})
	if got, _ := decodeCard("a", zero); !got.Due.IsZero() || !got.LastAsked.IsZero() || !got.LastReview.IsZero() {
		t.Errorf("zero times came back as %v, %v, %v", got.Due, got.LastAsked, got.LastReview)
	}
	now := time.Now()
	full := mustCard(t, quiz.Card{QuestionID: "q", Topic: "system-design", Asked: 12, LastAsked: now, Reps: 4, Ease: 2.5,
		Interval: 30, Due: now.Add(30 * 24 * time.Hour), LastGrade: quiz.Good,
		Stability: 31.2, Difficulty: 5.1, State: quiz.CardReview, LastReview: now})
	t.Logf("encoded card: %d bytes", len(full))
	if len(full) > 96 {
		t.Errorf("a typical card encodes to %d bytes; want it compact", len(full))
	}
	if _, err := decodeCard("a", []byte{3}); err == nil {
		t.Errorf("decodeCard accepted an unknown version")
	}
	if _, err := encodeCard(quiz.Card{QuestionID: "a", LastGrade: "meh"}); err == nil {
		t.Errorf("encodeCard accepted an unknown grade")
	}
}

// TestCardCodecV1 reads cards as schema v1 wrote them: no topic and no memory state.
func TestCardCodecV1(t *testing.T) {
	c := quiz.Card{QuestionID: "tcp-handshake", Asked: 5, LastAsked: time.Date(2025, 3, 30, 9, 15, 0, 123456789, time.UTC),
		Reps: 2, Lapses: 1, Ease: 2.36, Interval: 6, Due: time.Date(2025, 4, 5, 9, 15, 0, 0, time.UTC), LastGrade: quiz.Hard}
	b := encodeCardV1(c)
	got, err := decodeCard(c.QuestionID, b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, c); d != "" {
		t.Errorf("v1 card (-got +want):\n%s", d)
	}
	checkTruncations(t, "v1 card", b, func(b []byte) error { _, err := decodeCard("x", b); return err })
}

func TestSessionCodec(t *testing.T) {
	for _, s := range []quiz.Session{
		{Guild: 1, ID: 1, OpenedAt: time.Unix(0, 0).UTC()},
		{Guild: 1 << 60, ID: 1 << 50, QuestionID: "tcp-handshake", Topic: "tcp", Channel: 1 << 62, Message: 1<<63 + 1, OpenedBy: 77,
			OpenedAt: time.Date(2025, 3, 30, 9, 15, 0, 123456789, time.UTC), RevealAt: time.Date(2025, 3, 30, 9, 25, 0, 1, time.UTC),
			Private: true, Daily: quiz.Date(2025, 3, 30), Lang: quiz.Chinese, State: quiz.SessionRevealed, Answers: 12,
			RevealMessage: 99, RevealTries: 3},
		{Guild: 2, ID: 3, State: quiz.SessionOpen, Daily: quiz.Date(1, 1, 1)},
	} {
		b, err := encodeSession(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeSession(s.Guild, s.ID, b)
		if err != nil {
			t.Fatalf("decodeSession: %v", err)
		}
		if d := cmp.Diff(got, s); d != "" {
			t.Errorf("session round trip (-got +want):\n%s", d)
		}
		checkTruncations(t, "session", b, func(b []byte) error { _, err := decodeSession(1, 1, b); return err })
		// Schema v1's JSON still reads.
		j, _ := encodeJSON(s)
		if got, err := decodeSession(s.Guild, s.ID, j); err != nil || cmp.Diff(got, s) != "" {
			t.Errorf("JSON session: %v, %s", err, cmp.Diff(got, s))
		}
	}
	if _, err := encodeSession(quiz.Session{State: "limbo"}); err == nil {
		t.Error("encodeSession accepted an unknown state")
	}
	typical, _ := encodeSession(quiz.Session{Guild: 1234567890123456789, ID: 123456, QuestionID: "tcp-handshake", Topic: "tcp",
		Channel: 1234567890123456789, Message: 1234567890123456789, OpenedBy: 1234567890123456789, OpenedAt: time.Now(),
		RevealAt: time.Now(), Lang: quiz.English, State: quiz.SessionRevealed, Answers: 3, RevealMessage: 1234567890123456789})
	j, _ := encodeJSON(quiz.Session{Guild: 1234567890123456789, ID: 123456, QuestionID: "tcp-handshake", Topic: "tcp",
		Channel: 1234567890123456789, Message: 1234567890123456789, OpenedBy: 1234567890123456789, OpenedAt: time.Now(),
		RevealAt: time.Now(), Lang: quiz.English, State: quiz.SessionRevealed, Answers: 3, RevealMessage: 1234567890123456789})
	t.Logf("a typical session: %d bytes binary, %d as JSON", len(typical), len(j))
}

func TestAttemptCodec(t *testing.T) {
	for _, a := range []quiz.Attempt{
		{Guild: 1, User: 2, Session: 3},
		{Guild: 1 << 60, User: 1 << 61, Session: 1 << 40, QuestionID: "tcp-handshake", Text: "SYN, SYN-ACK, ACK.\n三次握手",
			AnsweredAt: time.Date(2025, 3, 30, 9, 15, 0, 123456789, time.UTC), RevealedAt: time.Date(2025, 3, 30, 9, 16, 0, 0, time.UTC),
			Grade: quiz.Good, GradedAt: time.Date(2025, 3, 30, 9, 17, 0, 0, time.UTC), Hints: 2, Covered: []int{0, 2, 300},
			Suggested: quiz.Hard, Mock: 1 << 33},
	} {
		b, err := encodeAttempt(a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeAttempt(a.Guild, a.User, a.Session, b)
		if err != nil {
			t.Fatalf("decodeAttempt: %v", err)
		}
		if d := cmp.Diff(got, a); d != "" {
			t.Errorf("attempt round trip (-got +want):\n%s", d)
		}
		checkTruncations(t, "attempt", b, func(b []byte) error { _, err := decodeAttempt(1, 1, 1, b); return err })
		j, _ := encodeJSON(a)
		if got, err := decodeAttempt(a.Guild, a.User, a.Session, j); err != nil || cmp.Diff(got, a) != "" {
			t.Errorf("JSON attempt: %v, %s", err, cmp.Diff(got, a))
		}
	}
	for _, bad := range []quiz.Attempt{{Grade: "meh"}, {Suggested: "meh"}} {
		if _, err := encodeAttempt(bad); err == nil {
			t.Errorf("encodeAttempt(%+v) accepted an unknown grade", bad)
		}
	}
	text := strings.Repeat("x", 200)
	a := quiz.Attempt{Guild: 1234567890123456789, User: 1234567890123456789, Session: 123456, QuestionID: "tcp-handshake",
		Text: text, AnsweredAt: time.Now(), RevealedAt: time.Now(), Grade: quiz.Good, GradedAt: time.Now(), Hints: 1,
		Covered: []int{0, 1, 2}, Suggested: quiz.Good}
	b, _ := encodeAttempt(a)
	j, _ := encodeJSON(a)
	t.Logf("an attempt with a 200-character answer: %d bytes binary, %d as JSON", len(b), len(j))
	if len(b) > len(text)+64 {
		t.Errorf("attempt encodes to %d bytes, %d more than its text", len(b), len(b)-len(text))
	}
}

func FuzzDecodeCard(f *testing.F) {
	f.Add(encodeCardV1(quiz.Card{QuestionID: "a"}))
	f.Add(encodeCardV1(quiz.Card{QuestionID: "a", Asked: 3, LastAsked: time.Now(), Ease: 2.5, LastGrade: quiz.Easy}))
	f.Add(mustCard(f, quiz.Card{QuestionID: "a", Topic: "t", Asked: 3, LastAsked: time.Now(), Ease: 2.5, LastGrade: quiz.Easy,
		Stability: 3, Difficulty: 5, State: quiz.CardReview, LastReview: time.Now()}))
	f.Add([]byte{1, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCard("q", b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes (as v2) to something that decodes the same.
		enc, err := encodeCard(c)
		if err != nil {
			return // a v1 card with a grade v2 cannot hold
		}
		c2, err := decodeCard("q", enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !c.LastAsked.Equal(c2.LastAsked) || !c.Due.Equal(c2.Due) || c.Asked != c2.Asked || c.Topic != c2.Topic ||
			c.LastGrade != c2.LastGrade || math.Float64bits(c.Ease) != math.Float64bits(c2.Ease) ||
			math.Float64bits(c.Stability) != math.Float64bits(c2.Stability) || c.State != c2.State || !c.LastReview.Equal(c2.LastReview) {
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

// TestTimeCodec: times round-trip exactly, a time of whole milliseconds (what the domain's
// clock gives) takes 6 bytes in these years, the zero time 1, and a non-canonical form (the
// nanoseconds flag with none) is refused.
func TestTimeCodec(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		size int
	}{
		{time.Time{}, 1},
		{time.Date(2026, 12, 7, 10, 30, 0, 123_000_000, time.UTC), 6},
		{time.Date(2026, 12, 7, 10, 30, 0, 123_456_789, time.UTC), 9},
		{time.Date(2019, 12, 31, 23, 59, 59, 999_000_000, time.UTC), 1},
		{time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC), 0},
		{time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), 0},
		{time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), 0},
	} {
		b := appendTime(nil, c.t)
		r := cardReader{b: b}
		got := r.time()
		r.end()
		if r.err != nil || !got.Equal(c.t) || got.Location() != time.UTC {
			t.Errorf("time %v: decoded %v (%v), err %v", c.t, got, got.Location(), r.err)
		}
		if c.size > 0 && len(b) != c.size {
			t.Errorf("time %v: %d bytes; want %d", c.t, len(b), c.size)
		}
	}
	flagged := binary.AppendUvarint(nil, 1+(10<<1|1))
	r := cardReader{b: append(flagged, 0)}
	if r.time(); r.err == nil {
		t.Error("a time flagged with sub-millisecond nanoseconds of 0 was accepted")
	}
}

package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Keys. Integers are 8-byte big-endian so that byte order is numeric order.

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v) }

// getU64 decodes an 8-byte big-endian integer; ok is false if b has another length.
func getU64(b []byte) (uint64, bool) {
	if len(b) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}

// attemptKey is user ‖ session, so a member's attempts are one prefix, in session order.
func attemptKey(u quiz.UserID, s quiz.SessionID) []byte {
	return binary.BigEndian.AppendUint64(u64(uint64(u)), uint64(s))
}

// dueKey is reveal_at unix-ms ‖ guild ‖ session, so the queue is one range scan in due order.
// Times before 1970 (the zero time included) have no key.
func dueKey(d quiz.Due) ([]byte, error) {
	ms := d.At.UnixMilli()
	if ms < 0 {
		return nil, fmt.Errorf("due time %v is before 1970", d.At)
	}
	k := u64(uint64(ms))
	k = binary.BigEndian.AppendUint64(k, uint64(d.Guild))
	return binary.BigEndian.AppendUint64(k, uint64(d.Session)), nil
}

func decodeDueKey(k []byte) (quiz.Due, error) {
	if len(k) != 24 {
		return quiz.Due{}, fmt.Errorf("due key %x: want 24 bytes", k)
	}
	return quiz.Due{
		At:      time.UnixMilli(int64(binary.BigEndian.Uint64(k))).UTC(),
		Guild:   quiz.GuildID(binary.BigEndian.Uint64(k[8:])),
		Session: quiz.SessionID(binary.BigEndian.Uint64(k[16:])),
	}, nil
}

// dayKey is "2006-01-02", which sorts as days do for years 1-9999.
func dayKey(d quiz.Day) ([]byte, error) {
	if y, _, _ := d.Civil(); y < 1 || y > 9999 {
		return nil, fmt.Errorf("day %d is outside years 1-9999", int32(d))
	}
	return []byte(d.String()), nil
}

// questionKey checks a question id or topic slug used as a key.
func questionKey(id string) ([]byte, error) {
	switch {
	case id == "":
		return nil, errors.New("empty id")
	case strings.IndexByte(id, 0) >= 0:
		return nil, fmt.Errorf("id %q contains NUL", id)
	}
	return []byte(id), nil
}

// historyPrefix is question id ‖ 0x00. Ids never contain NUL (questionKey), so one question's
// entries are exactly the keys with this prefix.
func historyPrefix(id string) ([]byte, error) {
	k, err := questionKey(id)
	if err != nil {
		return nil, err
	}
	return append(k, 0), nil
}

// historyKey is question id ‖ 0x00 ‖ version u32 BE: per question, in version order.
func historyKey(id string, version int) ([]byte, error) {
	if version < 0 || version > math.MaxUint32 {
		return nil, fmt.Errorf("version %d out of range", version)
	}
	p, err := historyPrefix(id)
	if err != nil {
		return nil, err
	}
	return binary.BigEndian.AppendUint32(p, uint32(version)), nil
}

// Values are JSON, except cards.

func encodeJSON(v any) ([]byte, error) { return json.Marshal(v) }

// decodeJSON decodes into v; it copies everything it keeps, so data may be a bbolt slice.
func decodeJSON(data []byte, v any) error { return json.Unmarshal(data, v) }

// Cards use a compact binary encoding: a member can hold 10,000 of them, and a Card in JSON is
// about 300 bytes against about 50 here. The question id is the key, so it is not repeated.
// Version 2 (schema v2) is written; version 1 is still read.
//
//	version     byte = 2                          version 1 (schema v1):
//	topic       string                            (absent: v1 lost the topic)
//	asked       varint                            asked
//	last_asked  time                              last_asked (time v1)
//	reps        varint                            reps
//	lapses      varint                            lapses
//	ease        float                             ease (8 bytes, IEEE 754 binary64, BE)
//	interval    varint                            interval
//	due         time                              due (time v1)
//	last_grade  grade byte                        last_grade string
//	stability   8 bytes, IEEE 754 binary64, BE    (absent)
//	difficulty  8 bytes, IEEE 754 binary64, BE    (absent)
//	state       byte (quiz.CardState)             (absent)
//	last_review time                              (absent)
//
// A string is a uvarint length and its bytes; a grade byte is 0 for none, then again, hard,
// good, easy as 1-4.
//
// A time is a uvarint head: 0 for the zero time; otherwise 1 + (zigzag(ms) << 1 | f), where ms
// is milliseconds since 2020-01-01 UTC (floored) and f is 1 when a uvarint of the nanoseconds
// past that millisecond (1-999,999) follows. The domain reads its clock to the millisecond, so
// a time of these years takes 6 bytes, and any time round-trips exactly (in UTC). Version 1 of
// the card ("time v1") wrote varint unix seconds and uvarint nanoseconds: 9 to 10 bytes.
//
// A float is a uvarint of its IEEE 754 binary64 bits with the bytes reversed (as encoding/gob
// does): exact, and short for the round values SM-2's ease takes (0 before any grade, and
// always 0 for cards FSRS schedules: 1 byte; 2.5: 2 bytes). Stability and difficulty are
// arbitrary reals, so they keep 8 fixed bytes.
const (
	cardCodecV1 = 1
	cardCodecV2 = 2
)

func encodeCard(c quiz.Card) ([]byte, error) {
	grade, err := gradeByte(c.LastGrade)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(c.Topic))
	b = append(b, cardCodecV2)
	b = appendString(b, c.Topic)
	b = binary.AppendVarint(b, int64(c.Asked))
	b = appendTime(b, c.LastAsked)
	b = binary.AppendVarint(b, int64(c.Reps))
	b = binary.AppendVarint(b, int64(c.Lapses))
	b = appendFloat(b, c.Ease)
	b = binary.AppendVarint(b, int64(c.Interval))
	b = appendTime(b, c.Due)
	b = append(b, grade)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Stability))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Difficulty))
	b = append(b, byte(c.State))
	return appendTime(b, c.LastReview), nil
}

// timeEpoch is the origin of stored times, in unix milliseconds.
var timeEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	d := t.UnixMilli() - timeEpoch // floored: the nanoseconds past it are never negative
	z := uint64(d<<1) ^ uint64(d>>63)
	sub := uint64(t.Nanosecond() % 1e6)
	if sub == 0 {
		return binary.AppendUvarint(b, 1+z<<1)
	}
	b = binary.AppendUvarint(b, 1+(z<<1|1))
	return binary.AppendUvarint(b, sub)
}

func appendFloat(b []byte, f float64) []byte {
	return binary.AppendUvarint(b, bits.ReverseBytes64(math.Float64bits(f)))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// grades are the grade bytes 1-4; 0 is no grade.
var grades = []quiz.Grade{"", quiz.Again, quiz.Hard, quiz.Good, quiz.Easy}

func gradeByte(g quiz.Grade) (byte, error) {
	for i, x := range grades {
		if x == g {
			return byte(i), nil
		}
	}
	return 0, fmt.Errorf("unknown grade %q", g)
}

func (r *cardReader) grade() quiz.Grade {
	v := r.byte()
	if int(v) >= len(grades) {
		r.fail(fmt.Errorf("unknown grade byte %d", v))
		return ""
	}
	return grades[v]
}

// decodeCard decodes a card (version 1 or 2) stored under question id id. It copies what it
// keeps.
func decodeCard(id string, data []byte) (quiz.Card, error) {
	r := cardReader{b: data}
	v := r.byte()
	if r.err == nil && v != cardCodecV1 && v != cardCodecV2 {
		return quiz.Card{}, fmt.Errorf("card %q: unknown encoding version %d", id, v)
	}
	c := quiz.Card{QuestionID: id}
	time := r.time
	if v == cardCodecV1 {
		time = r.timeV1
	}
	if v == cardCodecV2 {
		c.Topic = r.bytes()
	}
	c.Asked = r.int()
	c.LastAsked = time()
	c.Reps = r.int()
	c.Lapses = r.int()
	if v == cardCodecV1 {
		c.Ease = math.Float64frombits(r.u64())
	} else {
		c.Ease = r.float()
	}
	c.Interval = r.int()
	c.Due = time()
	if v == cardCodecV1 {
		c.LastGrade = quiz.Grade(r.bytes())
	} else {
		c.LastGrade = r.grade()
		c.Stability = math.Float64frombits(r.u64())
		c.Difficulty = math.Float64frombits(r.u64())
		c.State = quiz.CardState(r.byte())
		c.LastReview = r.time()
	}
	r.end()
	if r.err != nil {
		return quiz.Card{}, fmt.Errorf("card %q: %w", id, r.err)
	}
	return c, nil
}

// end fails on trailing bytes.
func (r *cardReader) end() {
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d trailing bytes", len(r.b))
	}
}

var errTruncated = errors.New("truncated")

// cardReader reads fields off b; after the first error it returns zeros and keeps the error.
type cardReader struct {
	b   []byte
	err error
}

func (r *cardReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *cardReader) byte() byte {
	if len(r.b) < 1 {
		r.fail(errTruncated)
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *cardReader) varint() int64 { return readVarint(r, binary.Varint) }

func (r *cardReader) uvarint() uint64 { return readVarint(r, binary.Uvarint) }

// readVarint reads one signed or unsigned varint with decode (binary.Varint or Uvarint).
func readVarint[T int64 | uint64](r *cardReader, decode func([]byte) (T, int)) T {
	v, n := decode(r.b)
	if n <= 0 {
		r.fail(errTruncated)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *cardReader) int() int {
	v := r.varint()
	if int64(int(v)) != v { // 32-bit platforms
		r.fail(fmt.Errorf("integer %d out of range", v))
		return 0
	}
	return int(v)
}

func (r *cardReader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail(errTruncated)
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *cardReader) time() time.Time {
	head := r.uvarint()
	if r.err != nil || head == 0 {
		return time.Time{}
	}
	head--
	z := head >> 1
	d := int64(z>>1) ^ -int64(z&1)
	t := time.UnixMilli(d + timeEpoch).UTC()
	if head&1 == 1 {
		sub := r.uvarint()
		if sub == 0 || sub >= 1e6 {
			r.fail(fmt.Errorf("nanoseconds past the millisecond %d out of range", sub))
			return time.Time{}
		}
		t = t.Add(time.Duration(sub))
	}
	return t
}

func (r *cardReader) float() float64 {
	return math.Float64frombits(bits.ReverseBytes64(r.uvarint()))
}

// timeV1 reads a time as version 1 of the card wrote it.
func (r *cardReader) timeV1() time.Time {
	sec := r.varint()
	nsec := r.uvarint()
	if nsec >= 1e9 {
		r.fail(fmt.Errorf("nanoseconds %d out of range", nsec))
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *cardReader) bytes() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail(errTruncated)
		return ""
	}
	s := string(r.b[:n]) // string() copies
	r.b = r.b[n:]
	return s
}

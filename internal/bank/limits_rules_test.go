package bank

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func limitsQuestion(tags, keyPoints int) quiz.Question {
	q := quiz.Question{ID: "tcp-limits", Topic: "tcp", Level: quiz.Mid,
		Prompt: quiz.Text{EN: "Why?", ZH: "为什么？"}, Answer: quiz.Text{EN: "Because.", ZH: "因为。"}}
	for i := range tags {
		q.Tags = append(q.Tags, "tag"+string(rune('a'+i)))
	}
	q.KeyPoints.EN = slices.Repeat([]string{"point"}, keyPoints)
	q.KeyPoints.ZH = slices.Repeat([]string{"要点"}, keyPoints)
	return q
}

// TestParseListLimitsAtTheirBounds: 8 tags and 8 key points are allowed, 9 are not, in the
// parser itself (each problem at its line).
func TestParseListLimitsAtTheirBounds(t *testing.T) {
	topic := quiz.Topic{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}
	var c Codec
	for _, tc := range []struct {
		tags, points int
		want         string
	}{{8, 8, ""}, {9, 3, "tags"}, {3, 9, "key_points.en"}, {1, 3, ""}, {3, 2, "key_points.en"}} {
		data, err := c.Marshal(topic, []quiz.Question{limitsQuestion(tc.tags, tc.points)})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = c.Parse("tcp.yaml", data)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%d tags, %d key points: %v; want valid", tc.tags, tc.points, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%d tags, %d key points: %v; want a problem with %s", tc.tags, tc.points, err, tc.want)
		}
	}
}

// TestMarshalOmitsEmptyFollowUps: a question without follow-ups is written without the key.
func TestMarshalOmitsEmptyFollowUps(t *testing.T) {
	var c Codec
	q := limitsQuestion(1, 3)
	data, err := c.Marshal(quiz.Topic{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}, []quiz.Question{q})
	if err != nil || bytes.Contains(data, []byte("follow_ups")) {
		t.Errorf("Marshal without follow-ups = %s, %v; want no follow_ups key", data, err)
	}
	q.FollowUps = quiz.TextList{EN: []string{"And then?"}, ZH: []string{"然后呢？"}}
	data, err = c.Marshal(quiz.Topic{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}, []quiz.Question{q})
	if err != nil || !bytes.Contains(data, []byte("follow_ups")) {
		t.Errorf("Marshal with follow-ups = %s, %v; want them written", data, err)
	}
}

// TestFileSizeLimit: a file of exactly MaxFileSize bytes is read; one byte more is refused,
// by the loader and by /bank import alike.
func TestFileSizeLimit(t *testing.T) {
	valid, err := os.ReadFile("testdata/valid/tcp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pad := func(n int) []byte {
		b := append(slices.Clone(valid), "\n#"...)
		return append(b, bytes.Repeat([]byte("x"), n-len(b))...)
	}
	var c Codec
	load := func(data []byte) error {
		_, err := ParseFS(fstest.MapFS{"tcp.yaml": {Data: data}})
		return err
	}
	if err := load(pad(MaxFileSize)); err != nil {
		t.Errorf("loading a file of exactly %d bytes: %v", MaxFileSize, err)
	}
	if _, _, err := c.Parse("tcp.yaml", pad(MaxFileSize)); err != nil {
		t.Errorf("Codec.Parse of exactly %d bytes: %v", MaxFileSize, err)
	}
	if err := load(pad(MaxFileSize + 1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("loading a file of %d bytes = %v; want refused", MaxFileSize+1, err)
	}
	if _, _, err := c.Parse("tcp.yaml", pad(MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Codec.Parse of %d bytes = %v; want refused", MaxFileSize+1, err)
	}
}

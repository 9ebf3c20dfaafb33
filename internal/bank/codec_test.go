package bank

import (
	"os"
	"reflect"
	"testing"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// TestCodecRoundTrip writes every topic of the real bank and reads it back unchanged.
func TestCodecRoundTrip(t *testing.T) {
	files, err := ParseFS(os.DirFS("../../questions"))
	if err != nil {
		t.Fatal(err)
	}
	var c Codec
	for _, f := range files {
		data, err := c.Marshal(f.Topic, f.Questions)
		if err != nil {
			t.Fatal(err)
		}
		topic, qs, err := c.Parse(f.Topic.Slug+".yaml", data)
		if err != nil {
			t.Fatalf("%s: re-parse of the export failed:\n%v", f.Topic.Slug, err)
		}
		if !reflect.DeepEqual(topic, f.Topic) || !reflect.DeepEqual(normal(qs), normal(f.Questions)) {
			t.Errorf("%s: round trip changed the content", f.Topic.Slug)
		}
	}
}

func normal(qs []quiz.Question) []quiz.Question {
	out := make([]quiz.Question, len(qs))
	for i, q := range qs {
		if len(q.FollowUps.EN) == 0 {
			q.FollowUps = quiz.TextList{}
		}
		out[i] = q
	}
	return out
}

package bank

import (
	"os"
	"reflect"
	"strings"
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

// TestOneLanguageFile: a server's file written in one language per question parses, warns
// (at the question's line) that members of the other language see it marked, and is exported
// back without the missing language, so an export re-imports.
func TestOneLanguageFile(t *testing.T) {
	data, err := os.ReadFile("testdata/one-language/tcp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("tcp.yaml", data)
	if err != nil {
		t.Fatalf("a one-language file: %v", err)
	}
	if len(f.Warnings) != 2 || f.Warnings[0].Line != 4 || f.Warnings[1].Line != 14 ||
		!strings.Contains(f.Warnings[0].Msg, "written in en only: members who read zh see the en text") {
		t.Errorf("warnings = %v; want one per question, at its line", f.Warnings)
	}
	var c Codec
	out, err := c.Marshal(f.Topic, f.Questions)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), `zh: ""`) || strings.Contains(string(out), "zh: []") {
		t.Errorf("the export writes empty texts for the missing language:\n%s", out)
	}
	topic, qs, err := c.Parse("tcp.yaml", out)
	if err != nil || !reflect.DeepEqual(topic, f.Topic) || !reflect.DeepEqual(normal(qs), normal(f.Questions)) {
		t.Errorf("round trip of a one-language file: %v\n%s", err, out)
	}
}

func normal(qs []quiz.Question) []quiz.Question {
	out := make([]quiz.Question, len(qs))
	for i, q := range qs {
		if len(q.FollowUps.EN) == 0 && len(q.FollowUps.ZH) == 0 {
			q.FollowUps = quiz.TextList{}
		}
		if len(q.KeyPoints.ZH) == 0 {
			q.KeyPoints.ZH = nil
		}
		out[i] = q
	}
	return out
}

package bank

import (
	"bytes"
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"go.yaml.in/yaml/v3"
)

// Codec reads and writes single topic files; it implements quiz.BankCodec.
type Codec struct{}

var _ quiz.BankCodec = Codec{}

// Parse validates one topic file exactly like `bot check`.
func (Codec) Parse(name string, data []byte) (quiz.Topic, []quiz.Question, error) {
	if len(data) > MaxFileSize {
		return quiz.Topic{}, nil, Problems{newProblem(name, 0, "bankfile.too_large", MaxFileSize)}
	}
	f, err := Parse(name, data)
	if err != nil {
		return quiz.Topic{}, nil, err
	}
	return f.Topic, f.Questions, nil
}

// fileOut is the on-disk shape, in the order the format documents.
type fileOut struct {
	Topic     string        `yaml:"topic"`
	Title     textOut       `yaml:"title"`
	Questions []questionOut `yaml:"questions"`
}

// A language a server's question is not written in is left out, as it was imported.
type textOut struct {
	EN string `yaml:"en,omitempty"`
	ZH string `yaml:"zh,omitempty"`
}

type listOut struct {
	EN []string `yaml:"en,omitempty"`
	ZH []string `yaml:"zh,omitempty"`
}

type questionOut struct {
	ID        string   `yaml:"id"`
	Level     string   `yaml:"level"`
	Tags      []string `yaml:"tags,flow"`
	Question  textOut  `yaml:"question"`
	Summary   *textOut `yaml:"summary,omitempty"`
	Answer    textOut  `yaml:"answer"`
	KeyPoints listOut  `yaml:"key_points"`
	FollowUps *listOut `yaml:"follow_ups,omitempty"`
}

// Marshal writes a topic file that Parse reads back to the same topic and questions.
func (Codec) Marshal(t quiz.Topic, qs []quiz.Question) ([]byte, error) {
	out := fileOut{Topic: t.Slug, Title: textOut{t.Title.EN, t.Title.ZH}}
	for _, q := range qs {
		qo := questionOut{ID: q.ID, Level: string(q.Level), Tags: q.Tags,
			Question: textOut{q.Prompt.EN, q.Prompt.ZH}, Answer: textOut{q.Answer.EN, q.Answer.ZH},
			KeyPoints: listOut{q.KeyPoints.EN, q.KeyPoints.ZH}}
		if q.Summary != (quiz.Text{}) {
			qo.Summary = &textOut{q.Summary.EN, q.Summary.ZH}
		}
		if len(q.FollowUps.EN) > 0 || len(q.FollowUps.ZH) > 0 {
			qo.FollowUps = &listOut{q.FollowUps.EN, q.FollowUps.ZH}
		}
		out.Questions = append(out.Questions, qo)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("bank: marshal %s: %w", t.Slug, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("bank: marshal %s: %w", t.Slug, err)
	}
	return buf.Bytes(), nil
}

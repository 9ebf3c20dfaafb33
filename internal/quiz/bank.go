package quiz

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Bank is an immutable, validated set of topics and questions. Build one with NewBank;
// share it freely between goroutines.
type Bank struct {
	topics  []Topic               // sorted by slug
	byTopic map[string][]Question // in file order
	byID    map[string]*Question
	all     []Question
}

// NewBank checks the topics and questions and indexes them. It returns every problem found,
// joined, as an EINVALID *Error.
func NewBank(topics []Topic, questions []Question) (*Bank, error) {
	b := &Bank{byTopic: map[string][]Question{}, byID: map[string]*Question{}}
	var problems []string
	known := map[string]bool{}
	for _, t := range topics {
		for _, p := range t.Check() {
			problems = append(problems, fmt.Sprintf("topic %s: %s: %s", t.Slug, p.Field, p.Message))
		}
		if known[t.Slug] {
			problems = append(problems, fmt.Sprintf("topic %s: defined twice", t.Slug))
		}
		known[t.Slug] = true
		b.topics = append(b.topics, t)
	}
	for _, q := range questions {
		for _, p := range q.Check() {
			problems = append(problems, fmt.Sprintf("question %s: %s: %s", q.ID, p.Field, p.Message))
		}
		if !known[q.Topic] {
			problems = append(problems, fmt.Sprintf("question %s: unknown topic %q", q.ID, q.Topic))
		}
		if _, dup := b.byID[q.ID]; dup {
			problems = append(problems, fmt.Sprintf("question %s: duplicate id", q.ID))
			continue
		}
		q = q.Clone()
		b.all = append(b.all, q)
		b.byID[q.ID] = nil
	}
	if len(problems) > 0 {
		return nil, Errorf(EINVALID, "bank.invalid", strings.Join(problems, "\n"))
	}
	for i := range b.all {
		q := &b.all[i]
		b.byID[q.ID] = q
		b.byTopic[q.Topic] = append(b.byTopic[q.Topic], *q)
	}
	slices.SortFunc(b.topics, func(a, c Topic) int { return cmp.Compare(a.Slug, c.Slug) })
	return b, nil
}

// Topics returns the topics, sorted by slug.
func (b *Bank) Topics() []Topic { return slices.Clone(b.topics) }

// Topic returns the topic with slug s.
func (b *Bank) Topic(s string) (Topic, bool) {
	i, ok := slices.BinarySearchFunc(b.topics, s, func(t Topic, s string) int { return cmp.Compare(t.Slug, s) })
	if !ok {
		return Topic{}, false
	}
	return b.topics[i], true
}

// Question returns the question with the given id.
func (b *Bank) Question(id string) (Question, bool) {
	q := b.byID[id]
	if q == nil {
		return Question{}, false
	}
	return *q, true
}

// Questions returns the questions of a topic, or of every topic when topic is "".
// The slice is shared: do not modify it.
func (b *Bank) Questions(topic string) []Question {
	if topic == "" {
		return b.all
	}
	return b.byTopic[topic]
}

// Len returns the number of questions.
func (b *Bank) Len() int { return len(b.all) }

// Counts returns the number of questions per topic.
func (b *Bank) Counts() map[string]int {
	m := make(map[string]int, len(b.topics))
	for _, t := range b.topics {
		m[t.Slug] = len(b.byTopic[t.Slug])
	}
	return m
}

// TopicError is the error for an unknown topic: it lists the valid ones.
func (b *Bank) TopicError(topic string) error {
	slugs := make([]string, len(b.topics))
	for i, t := range b.topics {
		slugs[i] = t.Slug
	}
	return Errorf(ENOTFOUND, "practice.no_topic", quote(topic), strings.Join(slugs, ", "))
}

// MatchTopics returns up to max topics whose slug or title contains prefix (case-insensitive),
// prefix matches first; for autocomplete.
func (b *Bank) MatchTopics(prefix string, max int) []Topic {
	p := strings.ToLower(strings.TrimSpace(prefix))
	var first, rest []Topic
	for _, t := range b.topics {
		switch {
		case strings.HasPrefix(t.Slug, p):
			first = append(first, t)
		case strings.Contains(t.Slug, p) || strings.Contains(strings.ToLower(t.Title.EN), p) || strings.Contains(t.Title.ZH, p):
			rest = append(rest, t)
		}
	}
	out := append(first, rest...)
	if len(out) > max {
		out = out[:max]
	}
	return out
}

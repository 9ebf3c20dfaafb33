// Package bank reads question banks: one YAML file per topic (questions/<topic>.yaml), strictly,
// reporting every problem at once as "path:line: message".
package bank

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds one bank file; larger files are rejected before parsing.
const MaxFileSize = 1 << 20

// Problem is one thing wrong with a bank file. Msg is the English, for `bot check` and logs;
// ID and Args are its catalogue entry, so a moderator reads it in their language (In).
type Problem struct {
	Path string
	Line int // 0 when the problem is about the whole file
	Msg  string
	ID   quiz.MsgID // "" for a problem with no entry (a file system error): Msg is shown
	Args []any
}

func newProblem(path string, line int, id quiz.MsgID, args ...any) Problem {
	return Problem{Path: path, Line: line, Msg: quiz.English.Msg(id, args...), ID: id, Args: args}
}

func (p Problem) String() string { return p.In(quiz.English) }

// In is "path:line: what is wrong" in language l.
func (p Problem) In(l quiz.Lang) string {
	msg := p.Msg
	if p.ID != "" {
		msg = l.Msg(p.ID, p.Args...)
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, msg)
	}
	return fmt.Sprintf("%s: %s", p.Path, msg)
}

// Problems is every problem found in a bank, in file and line order.
type Problems []Problem

func (ps Problems) Error() string { return ps.In(quiz.English) }

// In is the problems in language l, a line each: quiz.Lang.Msg renders an argument that has
// In in the reader's language, so an error quoting Problems reads in Chinese for a zh moderator.
func (ps Problems) In(l quiz.Lang) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.In(l)
	}
	return strings.Join(lines, "\n")
}

// File is one parsed topic file.
type File struct {
	Topic     quiz.Topic
	Questions []quiz.Question
	// Lines maps each question id to the line of its entry, for cross-file checks.
	Lines map[string]int
	// Warnings are things that load but should be fixed: a missing summary, half-width
	// punctuation in Chinese text. `bot check` prints them; the shipped bank has none.
	Warnings Problems
}

// Load reads every .yaml file at the root of fsys and returns the bank, or Problems listing
// everything wrong across all files.
func Load(fsys fs.FS) (*quiz.Bank, error) {
	b, _, err := LoadWarn(fsys)
	return b, err
}

// LoadWarn is Load that also returns the warnings of every file, in file and line order.
func LoadWarn(fsys fs.FS) (*quiz.Bank, Problems, error) {
	files, err := ParseFS(fsys)
	if err != nil {
		return nil, nil, err
	}
	var warnings Problems
	for _, f := range files {
		warnings = append(warnings, f.Warnings...)
	}
	b, err := Build(files)
	return b, warnings, err
}

// ParseFS parses every .yaml file at the root of fsys, checking ids across files.
func ParseFS(fsys fs.FS) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	var (
		problems Problems
		files    []File
		seen     = map[string]string{} // id -> "path:line"
	)
	// Parse files in parallel (YAML parsing is the whole cost of loading a large bank), then
	// check ids across files in name order so problems come out the same every time.
	type parsed struct {
		name string
		file File
		err  error
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, ".yml"):
			problems = append(problems, newProblem(name, 0, "bankfile.yml"))
		case strings.HasSuffix(name, ".yaml"):
			names = append(names, name)
		}
	}
	results := make([]parsed, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := readLimited(fsys, name)
			if err != nil {
				results[i] = parsed{name: name, err: Problems{{Path: name, Msg: err.Error()}}}
				return
			}
			f, err := Parse(name, data)
			results[i] = parsed{name: name, file: f, err: err}
		})
	}
	wg.Wait()
	for _, r := range results {
		name, f, err := r.name, r.file, r.err
		var ps Problems
		if errors.As(err, &ps) {
			problems = append(problems, ps...)
		} else if err != nil {
			return nil, err
		}
		for _, q := range f.Questions {
			where := fmt.Sprintf("%s:%d", name, f.Lines[q.ID])
			if first, dup := seen[q.ID]; dup {
				problems = append(problems, newProblem(name, f.Lines[q.ID], "bankfile.duplicate_id_file", q.ID, first))
				continue
			}
			seen[q.ID] = where
		}
		if err == nil {
			files = append(files, f)
		}
	}
	if len(files) == 0 && len(problems) == 0 {
		problems = append(problems, newProblem(".", 0, "bankfile.none"))
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b Problem) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
		})
		return nil, problems
	}
	return files, nil
}

// Build turns parsed files into a bank.
func Build(files []File) (*quiz.Bank, error) {
	var (
		topics []quiz.Topic
		qs     []quiz.Question
	)
	for _, f := range files {
		topics = append(topics, f.Topic)
		qs = append(qs, f.Questions...)
	}
	return quiz.NewBank(topics, qs)
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileSize)
	}
	return data, nil
}

// Parse parses one topic file. name is its path, used in messages; the topic must equal the
// file's base name without ".yaml". On failure the error is Problems, and the returned File
// holds whatever question ids and lines could be read (for duplicate checks).
func Parse(name string, data []byte) (File, error) {
	p := &parser{path: name, file: File{Lines: map[string]int{}}}
	p.parse(data)
	if len(p.problems) > 0 {
		return p.file, p.problems
	}
	return p.file, nil
}

type parser struct {
	path     string
	problems Problems
	file     File
}

// errorf records a problem: id is a catalogue entry (messages/bankfile.json in quiz).
func (p *parser) errorf(line int, id quiz.MsgID, args ...any) {
	p.problems = append(p.problems, newProblem(p.path, line, id, args...))
}

func (p *parser) parse(data []byte) {
	if len(bytes.TrimSpace(data)) == 0 {
		p.errorf(0, "bankfile.empty")
		return
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8Offset(data)], []byte("\n"))
		p.errorf(line, "bankfile.not_utf8")
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		p.yamlError(err)
		return
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.errorf(extra.Line, "bankfile.one_document")
	} else if !errors.Is(err, io.EOF) {
		p.yamlError(err)
		return
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		p.errorf(0, "bankfile.empty")
		return
	}
	root := doc.Content[0]
	fields := p.mapping(root, "file", []string{"topic", "title", "questions"}, []string{"topic", "title", "questions"})
	if fields == nil {
		return
	}
	want := strings.TrimSuffix(path.Base(p.path), ".yaml")
	if n := fields["topic"]; n != nil {
		if s, ok := p.str(n, "topic"); ok {
			p.file.Topic.Slug = s
			if !quiz.ValidTopicSlug(s) {
				p.errorf(n.Line, "bankfile.topic_rule", s)
			} else if s != want {
				p.errorf(n.Line, "bankfile.topic_name", s, path.Base(p.path), want)
			}
		}
	}
	if n := fields["title"]; n != nil {
		p.file.Topic.Title = p.text(n, "title", quiz.MaxTitleLen)
	}
	if n := fields["questions"]; n != nil {
		p.questions(n)
	}
}

func (p *parser) yamlError(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			p.errorf(0, "bankfile.yaml_type", e)
		}
		return
	}
	// yaml.v3 syntax errors read "yaml: line N: message".
	msg := err.Error()
	line := 0
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		var n int
		if _, err := fmt.Sscanf(rest, "%d:", &n); err == nil {
			line = n
			msg = strings.TrimSpace(rest[strings.Index(rest, ":")+1:])
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	p.errorf(line, "bankfile.yaml_syntax", msg)
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

var kindNames = map[yaml.Kind]quiz.MsgID{
	yaml.MappingNode:  "bankfile.kind_mapping",
	yaml.SequenceNode: "bankfile.kind_list",
	yaml.ScalarNode:   "bankfile.kind_scalar",
	yaml.AliasNode:    "bankfile.kind_alias",
}

// mapping checks that n is a mapping with only allowed keys, each once, and all required keys;
// it returns the value nodes by key, or nil if n is not a mapping.
func (p *parser) mapping(n *yaml.Node, what string, allowed, required []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "bankfile.not_mapping", what, kindNames[n.Kind])
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(allowed, k.Value):
			p.errorf(k.Line, "bankfile.unknown_field", k.Value, what, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.errorf(k.Line, "bankfile.duplicate_field", k.Value, what)
		default:
			out[k.Value] = v
		}
	}
	for _, r := range required {
		if out[r] == nil {
			p.errorf(n.Line, "bankfile.missing_field", r, what)
		}
	}
	return out
}

func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n.Line, "bankfile.not_string", what)
		return "", false
	}
	return n.Value, true
}

// text reads a {en, zh} mapping. Either language may be left out (a server's question may be
// written in one); languages checks that a question's texts agree.
func (p *parser) text(n *yaml.Node, what string, max int) quiz.Text {
	var t quiz.Text
	fields := p.mapping(n, what, []string{"en", "zh"}, nil)
	if fields != nil && len(fields) == 0 {
		p.errorf(n.Line, "bankfile.needs_lang", what)
	}
	for _, ld := range []struct {
		lang string
		dst  *string
	}{{"en", &t.EN}, {"zh", &t.ZH}} {
		lang, dst := ld.lang, ld.dst
		v := fields[lang]
		if v == nil {
			continue
		}
		if s, ok := p.str(v, what+"."+lang); ok {
			*dst = s
			p.checkString(v, what+"."+lang, s, max)
			if lang == "zh" {
				p.lintChinese(contentLine(v), what+".zh", s)
			}
		}
	}
	return t
}

func (p *parser) list(n *yaml.Node, what string, min, max, maxLen int) quiz.TextList {
	var t quiz.TextList
	fields := p.mapping(n, what, []string{"en", "zh"}, nil)
	if fields != nil && len(fields) == 0 {
		p.errorf(n.Line, "bankfile.needs_lang", what)
	}
	counts := map[string]int{}
	for _, ld := range []struct {
		lang string
		dst  *[]string
	}{{"en", &t.EN}, {"zh", &t.ZH}} {
		lang, dst := ld.lang, ld.dst
		v := fields[lang]
		if v == nil {
			continue
		}
		w := what + "." + lang
		if v.Kind != yaml.SequenceNode {
			p.errorf(v.Line, "bankfile.not_list", w, kindNames[v.Kind])
			continue
		}
		counts[lang] = len(v.Content)
		if len(v.Content) < min || len(v.Content) > max {
			p.errorf(v.Line, "bankfile.list_size", w, min, max, len(v.Content))
		}
		for i, item := range v.Content {
			wi := fmt.Sprintf("%s[%d]", w, i)
			if s, ok := p.str(item, wi); ok {
				*dst = append(*dst, s)
				p.checkString(item, wi, s, maxLen)
				if lang == "zh" {
					p.lintChinese(contentLine(item), wi, s)
				}
			}
		}
	}
	if fields["en"] != nil && fields["zh"] != nil && counts["en"] != counts["zh"] {
		p.errorf(n.Line, "bankfile.list_mismatch", what, counts["en"], counts["zh"])
	}
	return t
}

// contentLine is the line where a scalar's text starts: a block scalar (| or >) starts on the
// line after its indicator.
func contentLine(n *yaml.Node) int {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Line + 1
	}
	return n.Line
}

func (p *parser) checkString(n *yaml.Node, what, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		p.errorf(n.Line, "bankfile.text_empty", what)
	case utf8.RuneCountInString(s) > max:
		p.errorf(n.Line, "bankfile.text_long", what, utf8.RuneCountInString(s), max)
	}
}

// questionFields lists the keys a question may have. summary is optional here so that banks
// written before it existed still import; the shipped bank's test requires it.
var (
	questionFields   = []string{"id", "level", "tags", "question", "summary", "answer", "key_points", "follow_ups"}
	questionRequired = []string{"id", "level", "tags", "question", "answer", "key_points"}
)

func (p *parser) questions(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "bankfile.questions_not_list", kindNames[n.Kind])
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n.Line, "bankfile.questions_empty")
	}
	ids := map[string]int{}
	for i, qn := range n.Content {
		what := fmt.Sprintf("question %d", i+1)
		fields := p.mapping(qn, what, questionFields, questionRequired)
		if fields == nil {
			continue
		}
		q := quiz.Question{Topic: p.file.Topic.Slug}
		dupID := false
		if v := fields["id"]; v != nil {
			if s, ok := p.str(v, "id"); ok {
				q.ID = s
				what = s
				if !quiz.ValidQuestionID(s) {
					p.errorf(v.Line, "bankfile.id_rule", s)
				} else if line, dup := ids[s]; dup {
					p.errorf(v.Line, "bankfile.duplicate_id", s, line)
					dupID = true
				} else {
					ids[s] = v.Line
					p.file.Lines[s] = qn.Line
				}
			}
		}
		if v := fields["level"]; v != nil {
			if s, ok := p.str(v, what+".level"); ok {
				q.Level = quiz.Level(s)
				if !slices.Contains(quiz.Levels, q.Level) {
					p.errorf(v.Line, "bankfile.level_rule", s)
				}
			}
		}
		if v := fields["tags"]; v != nil {
			q.Tags = p.tags(v)
		}
		if v := fields["question"]; v != nil {
			q.Prompt = p.text(v, what+".question", quiz.MaxQuestionLen)
		}
		if v := fields["summary"]; v != nil {
			q.Summary = p.text(v, what+".summary", quiz.MaxSummaryLen)
		} else {
			p.warnf(qn.Line, "%s has no summary: add the 30-second answer (summary: {en, zh}, at most %d characters each)", what, quiz.MaxSummaryLen)
		}
		if v := fields["answer"]; v != nil {
			q.Answer = p.text(v, what+".answer", quiz.MaxAnswerLen)
		}
		if v := fields["key_points"]; v != nil {
			q.KeyPoints = p.list(v, what+".key_points", quiz.MinKeyPoints, quiz.MaxKeyPoints, quiz.MaxKeyPointLen)
		}
		if v := fields["follow_ups"]; v != nil {
			q.FollowUps = p.list(v, what+".follow_ups", 0, quiz.MaxFollowUps, quiz.MaxFollowUpLen)
		}
		p.languages(qn, what, fields)
		if !dupID {
			p.file.Questions = append(p.file.Questions, q)
		}
	}
}

// languages checks that a question is whole in each language it is written in (those any of
// question, answer and key_points has) and has nothing in the others, pointing at the field;
// a question in one language loads with a warning, which the shipped bank may not have.
func (p *parser) languages(qn *yaml.Node, what string, fields map[string]*yaml.Node) {
	has := func(field, lang string) bool {
		n := fields[field]
		if n == nil || n.Kind != yaml.MappingNode {
			return false
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == lang {
				return true
			}
		}
		return false
	}
	var langs []string
	for _, l := range []string{"en", "zh"} {
		if has("question", l) || has("answer", l) || has("key_points", l) {
			langs = append(langs, l)
		}
	}
	// An optional text (summary, follow_ups) given only in a language the question is not
	// written in is named once, as that; not also as missing in the others.
	inWritten := func(f string) bool {
		return slices.ContainsFunc(langs, func(l string) bool { return has(f, l) }) || (f != "summary" && f != "follow_ups")
	}
	for _, l := range []string{"en", "zh"} {
		written := slices.Contains(langs, l)
		for _, f := range []string{"question", "summary", "answer", "key_points", "follow_ups"} {
			n := fields[f]
			if n == nil || n.Kind != yaml.MappingNode {
				continue
			}
			switch {
			case written && !has(f, l) && inWritten(f):
				p.errorf(n.Line, "bankfile.lang_missing", what, f, l, l, l)
			case !written && has(f, l):
				p.errorf(n.Line, "bankfile.lang_extra", what, f, l, l, l)
			}
		}
	}
	if len(langs) == 1 {
		other := map[string]string{"en": "zh", "zh": "en"}[langs[0]]
		p.warnf(qn.Line, "%s is written in %s only: members who read %s see the %s text, marked as such (fine for a server's own questions; the shipped bank needs both)",
			what, langs[0], other, langs[0])
	}
}

func (p *parser) tags(n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "bankfile.tags_not_list", kindNames[n.Kind])
		return nil
	}
	if len(n.Content) == 0 || len(n.Content) > quiz.MaxTags {
		p.errorf(n.Line, "bankfile.tags_size", quiz.MaxTags, len(n.Content))
	}
	var out []string
	for _, t := range n.Content {
		s, ok := p.str(t, "tag")
		if !ok {
			continue
		}
		if !quiz.ValidTopicSlug(s) {
			p.errorf(t.Line, "bankfile.tag_rule", s)
		} else if slices.Contains(out, s) {
			p.errorf(t.Line, "bankfile.duplicate_tag", s)
		}
		out = append(out, s)
	}
	return out
}

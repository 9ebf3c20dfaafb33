package quiz

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Lang is a language the bank is written in.
type Lang string

const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// Langs lists the languages every text must have, in display order.
var Langs = []Lang{English, Chinese}

// ParseLang accepts "en"/"zh" and common spellings; ok is false for anything else.
func ParseLang(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en", "english", "en-us", "en-gb":
		return English, true
	case "zh", "chinese", "中文", "zh-cn", "zh-tw":
		return Chinese, true
	}
	return "", false
}

// LangForLocale maps a Discord locale to the bank language: Chinese for zh-CN and zh-TW,
// English otherwise.
func LangForLocale(locale string) Lang {
	if strings.HasPrefix(strings.ToLower(locale), "zh") {
		return Chinese
	}
	return English
}

// Text is one text in every bank language.
type Text struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
}

// In returns the text in l, else in the other language: a server's own question may be
// written in one language only (see Shown).
func (t Text) In(l Lang) string {
	if shown, _ := t.Shown(l); shown == Chinese {
		return t.ZH
	}
	return t.EN
}

// Shown returns the language In(l) shows, and whether that is the other language because the
// text has none in l, so adapters can mark it.
func (t Text) Shown(l Lang) (Lang, bool) {
	switch {
	case l == Chinese && t.ZH == "" && t.EN != "":
		return English, true
	case l != Chinese && t.EN == "" && t.ZH != "":
		return Chinese, true
	case l == Chinese:
		return Chinese, false
	}
	return English, false
}

// Has reports whether the text is written in l.
func (t Text) Has(l Lang) bool {
	if l == Chinese {
		return strings.TrimSpace(t.ZH) != ""
	}
	return strings.TrimSpace(t.EN) != ""
}

// TextList is a list of texts in every bank language; both lists have the same length.
type TextList struct {
	EN []string `json:"en"`
	ZH []string `json:"zh"`
}

// In returns the list in l, else in the other language.
func (t TextList) In(l Lang) []string {
	if l == Chinese && len(t.ZH) > 0 || len(t.EN) == 0 {
		return t.ZH
	}
	return t.EN
}

// Level is how senior a question is.
type Level string

const (
	Junior Level = "junior"
	Mid    Level = "mid"
	Senior Level = "senior"
)

// Levels lists the valid levels.
var Levels = []Level{Junior, Mid, Senior}

// Question is one bank entry.
type Question struct {
	ID        string   `json:"id"`
	Topic     string   `json:"topic"`
	Level     Level    `json:"level"`
	Tags      []string `json:"tags"`
	Prompt    Text     `json:"question"`
	Summary   Text     `json:"summary,omitzero"` // the 30-second answer; optional for old imports
	Answer    Text     `json:"answer"`
	KeyPoints TextList `json:"key_points"`
	FollowUps TextList `json:"follow_ups,omitzero"`
}

// Clone returns a deep copy, so callers can change it without touching a shared bank.
func (q Question) Clone() Question {
	q.Tags = slices.Clone(q.Tags)
	q.KeyPoints = TextList{EN: slices.Clone(q.KeyPoints.EN), ZH: slices.Clone(q.KeyPoints.ZH)}
	q.FollowUps = TextList{EN: slices.Clone(q.FollowUps.EN), ZH: slices.Clone(q.FollowUps.ZH)}
	return q
}

// Topic is a named group of questions.
type Topic struct {
	Slug  string `json:"topic"`
	Title Text   `json:"title"`
}

// Limits on bank text, in runes. They keep every text inside one Discord message or embed.
const (
	MaxTopicLen     = 32
	MaxIDLen        = 64
	MaxTitleLen     = 100
	MaxQuestionLen  = 1000
	MaxAnswerLen    = 3500
	MaxSummaryLen   = 300
	MaxKeyPointLen  = 200
	MinKeyPoints    = 3
	MaxKeyPoints    = 8
	MaxFollowUpLen  = 300
	MaxFollowUps    = 5
	MaxTags         = 8
	MaxTagLen       = 32
	MaxAnswerText   = 4000 // a member's answer
	MaxTopicsInBank = 500
)

var (
	slugRe = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
	idRe   = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
)

// ValidTopicSlug reports whether s can name a topic.
func ValidTopicSlug(s string) bool { return slugRe.MatchString(s) }

// ValidQuestionID reports whether s can identify a question.
func ValidQuestionID(s string) bool { return idRe.MatchString(s) }

// Problem is one rule a question breaks. Field names the YAML path inside the question
// ("answer.zh", "key_points.en[2]"), so a loader can point at the line.
type Problem struct {
	Field   string
	Message string
}

// Check returns every rule q breaks; nil means valid. It does not check uniqueness across a bank.
func (q Question) Check() []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{field, msg}) }
	if !ValidQuestionID(q.ID) {
		add("id", "id must match [a-z0-9-]{1,64}, got "+quote(q.ID))
	}
	if !slices.Contains(Levels, q.Level) {
		add("level", "level must be junior, mid or senior, got "+quote(string(q.Level)))
	}
	switch {
	case len(q.Tags) == 0:
		add("tags", "at least one tag is required")
	case len(q.Tags) > MaxTags:
		add("tags", "at most 8 tags are allowed")
	}
	seen := map[string]bool{}
	for i, t := range q.Tags {
		f := "tags[" + strconv.Itoa(i) + "]"
		if !ValidTopicSlug(t) {
			add(f, "tag must match [a-z0-9-]{1,32}, got "+quote(t))
		}
		if seen[t] {
			add(f, "duplicate tag "+quote(t))
		}
		seen[t] = true
	}
	langs := q.Langs()
	if len(langs) == 0 {
		add("question", "the question needs its texts (question, answer, key points) in en, zh or both")
		langs = Langs // so every missing text is named too
	}
	ps = append(ps, checkText("question", q.Prompt, MaxQuestionLen, langs)...)
	if q.Summary != (Text{}) {
		ps = append(ps, checkText("summary", q.Summary, MaxSummaryLen, langs)...)
	}
	ps = append(ps, checkText("answer", q.Answer, MaxAnswerLen, langs)...)
	ps = append(ps, checkList("key_points", q.KeyPoints, MinKeyPoints, MaxKeyPoints, MaxKeyPointLen, langs)...)
	ps = append(ps, checkList("follow_ups", q.FollowUps, 0, MaxFollowUps, MaxFollowUpLen, langs)...)
	return ps
}

// Langs returns the languages q is written in: those in which it has any of its question,
// answer or key points (Check then requires all three). A server's own question may have one
// (members who read the other see it marked as such); the shipped bank has both
// (CheckBilingual).
func (q Question) Langs() []Lang {
	var out []Lang
	for _, l := range Langs {
		if q.Prompt.Has(l) || q.Answer.Has(l) || len(q.KeyPoints.langList(l)) > 0 {
			out = append(out, l)
		}
	}
	return out
}

func (t TextList) langList(l Lang) []string {
	if l == Chinese {
		return t.ZH
	}
	return t.EN
}

// CheckBilingual returns a problem for each language q is not written in: the shipped bank
// serves every server, so each of its questions has both.
func (q Question) CheckBilingual() []Problem {
	var ps []Problem
	for _, l := range Langs {
		if !slices.Contains(q.Langs(), l) {
			ps = append(ps, Problem{"question." + string(l), "the shipped bank needs every question in both en and zh; " + string(l) + " is missing"})
		}
	}
	return ps
}

// Check returns every rule t breaks.
func (t Topic) Check() []Problem {
	var ps []Problem
	if !ValidTopicSlug(t.Slug) {
		ps = append(ps, Problem{"topic", "topic must match [a-z0-9-]{1,32}, got " + quote(t.Slug)})
	}
	var langs []Lang
	for _, l := range Langs {
		if t.Title.Has(l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = Langs
	}
	return append(ps, checkText("title", t.Title, MaxTitleLen, langs)...)
}

// checkText checks t in each language of langs, and that it has no text in any other: a text
// in a language the question is not written in would never be shown whole.
func checkText(field string, t Text, max int, langs []Lang) []Problem {
	var ps []Problem
	for _, l := range Langs {
		s := t.EN
		if l == Chinese {
			s = t.ZH
		}
		f := field + "." + string(l)
		if !slices.Contains(langs, l) {
			if s != "" {
				ps = append(ps, Problem{f, notWritten(l)})
			}
			continue
		}
		if msg := checkString(s, max); msg != "" {
			ps = append(ps, Problem{f, msg})
		}
	}
	return ps
}

func notWritten(l Lang) string {
	return "the question has no " + string(l) + " text (question, answer, key points): give those in " + string(l) + " too, or leave this out"
}

func checkList(field string, t TextList, least, max, maxLen int, langs []Lang) []Problem {
	var ps []Problem
	lists := map[Lang][]string{English: t.EN, Chinese: t.ZH}
	for _, l := range Langs {
		items := lists[l]
		f := field + "." + string(l)
		if !slices.Contains(langs, l) {
			if len(items) > 0 {
				ps = append(ps, Problem{f, notWritten(l)})
			}
			continue
		}
		if len(items) < least || len(items) > max {
			if least > 0 {
				ps = append(ps, Problem{f, "needs " + strconv.Itoa(least) + "-" + strconv.Itoa(max) + " items, has " + strconv.Itoa(len(items))})
			} else {
				ps = append(ps, Problem{f, "allows at most " + strconv.Itoa(max) + " items, has " + strconv.Itoa(len(items))})
			}
		}
		for i, s := range items {
			if msg := checkString(s, maxLen); msg != "" {
				ps = append(ps, Problem{f + "[" + strconv.Itoa(i) + "]", msg})
			}
		}
	}
	// Both languages the same length; a list missing in one is named above, once.
	if len(langs) == len(Langs) && len(t.EN) != len(t.ZH) && (least == 0 || min(len(t.EN), len(t.ZH)) > 0) {
		ps = append(ps, Problem{field, "en has " + strconv.Itoa(len(t.EN)) + " items but zh has " + strconv.Itoa(len(t.ZH)) + "; they must match"})
	}
	return ps
}

func checkString(s string, max int) string {
	switch {
	case !utf8.ValidString(s):
		return "text is not valid UTF-8"
	case strings.TrimSpace(s) == "":
		return "text is required and must not be empty"
	case utf8.RuneCountInString(s) > max:
		return "text is " + strconv.Itoa(utf8.RuneCountInString(s)) + " characters, the limit is " + strconv.Itoa(max)
	}
	return ""
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + s + `"`
}

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// limitCase is one rule of the bank format at its boundary: set puts n runes (or n items) into a
// question. The numbers are written out here, not taken from the code's constants, so that a
// changed limit fails this test: they are the limits questions/README.md documents.
type limitCase struct {
	field string
	max   int
	set   func(q *quiz.Question, n int)
	form  bool // the /bank add and /bank edit forms carry this field
}

func limitCases() []limitCase {
	en := func(n int) string { return strings.Repeat("a", n) }
	zh := func(n int) string { return strings.Repeat("答", n) } // 3 bytes a rune: limits count runes
	items := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s %d", s, i)
		}
		return out
	}
	return []limitCase{
		{"question.en", 1000, func(q *quiz.Question, n int) { q.Prompt.EN = en(n) }, true},
		{"question.zh", 1000, func(q *quiz.Question, n int) { q.Prompt.ZH = zh(n) }, true},
		{"answer.en", 3500, func(q *quiz.Question, n int) { q.Answer.EN = en(n) }, true},
		{"answer.zh", 3500, func(q *quiz.Question, n int) { q.Answer.ZH = zh(n) }, true},
		{"summary.en", 300, func(q *quiz.Question, n int) { q.Summary = quiz.Text{EN: en(n), ZH: "摘要"} }, false},
		{"summary.zh", 300, func(q *quiz.Question, n int) { q.Summary = quiz.Text{EN: "summary", ZH: zh(n)} }, false},
		{"key_points.en[0]", 200, func(q *quiz.Question, n int) { q.KeyPoints.EN[0] = en(n) }, true},
		{"key_points.zh[0]", 200, func(q *quiz.Question, n int) { q.KeyPoints.ZH[0] = zh(n) }, true},
		{"follow_ups.en[0]", 300, func(q *quiz.Question, n int) { q.FollowUps.EN[0] = en(n) }, true},
		{"follow_ups.zh[0]", 300, func(q *quiz.Question, n int) { q.FollowUps.ZH[0] = zh(n) }, true},
		{"key_points (count)", 8, func(q *quiz.Question, n int) {
			q.KeyPoints = quiz.TextList{EN: items(n, "point"), ZH: items(n, "要点")}
		}, true},
		{"follow_ups (count)", 5, func(q *quiz.Question, n int) {
			q.FollowUps = quiz.TextList{EN: items(n, "follow-up"), ZH: items(n, "追问")}
		}, true},
		{"tags (count)", 8, func(q *quiz.Question, n int) {
			q.Tags = items(n, "tag")
			for i := range q.Tags {
				q.Tags[i] = fmt.Sprintf("tag-%d", i)
			}
		}, false},
		{"id", 64, func(q *quiz.Question, n int) { q.ID = "v-" + en(n-2) }, true},
	}
}

// formValues is what a member types into one language's form for q.
func formValues(q quiz.Question, l quiz.Lang) map[string]string {
	v := map[string]string{
		"question":   q.Prompt.EN,
		"summary":    q.Summary.EN,
		"answer":     q.Answer.EN,
		"key_points": strings.Join(q.KeyPoints.EN, "\n"),
		"follow_ups": strings.Join(q.FollowUps.EN, "\n"),
	}
	if l == quiz.Chinese {
		v["question"], v["summary"], v["answer"] = q.Prompt.ZH, q.Summary.ZH, q.Answer.ZH
		v["key_points"], v["follow_ups"] = strings.Join(q.KeyPoints.ZH, "\n"), strings.Join(q.FollowUps.ZH, "\n")
	}
	return v
}

// TestOneValidatorEverywhere submits every limit of the bank format at its boundary and one over
// it through each way a question gets in: the loader (bot check), /bank add's two forms,
// /bank edit's form, /bank add with a file, and /bank import. The forms' values are put straight
// into the modal-submit payload, so the forms' own max_length is not what refuses them. At the
// boundary every path accepts; one over, every path refuses, naming the field, and nothing
// changes. Duplicate ids are refused on every path too.
func TestOneValidatorEverywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.startEnv([]string{"RATE_LIMITS", "import=1000/1s:1000/1s"}) // it imports more often than moderators may
	v := &validator{t: t, e: e, base: validQuestion("limits", "limits-base")}
	// The edit target: a question of the server's own, so an import of its topic touches nothing else.
	if got := v.bankCmd(sub("add", opt("topic", "limits"), e.fake.Attach("file", "limits.yaml", v.file(v.base)))); !strings.Contains(got, "Added limits-base") {
		t.Fatalf("adding the base question = %q", got)
	}
	for i, c := range limitCases() {
		for _, over := range []bool{false, true} {
			n := c.max
			if over {
				n++
			}
			name := fmt.Sprintf("%s=%d", c.field, n)
			t.Run(name, func(t *testing.T) {
				field, _, _ := strings.Cut(c.field, " ")
				v.limit(&limitRun{t: t, c: c, name: name, field: field, n: n, over: over}, i)
			})
		}
	}
	v.duplicates()
}

// validator is server A in TestOneValidatorEverywhere, as the moderator sees it.
type validator struct {
	t    *testing.T
	e    *env
	base quiz.Question // the server's own question that /bank edit changes
}

func (v *validator) see(ix *discordtest.Interaction) string {
	v.t.Helper()
	m := v.e.final(ix)
	return m.Content + "\n" + embedText(m.Embeds)
}

func (v *validator) bankCmd(o discordtest.Opt) string {
	v.t.Helper()
	return v.see(v.e.fake.Slash(guildA, channelA, mod, "bank", o))
}

func (v *validator) exists(id string) bool {
	v.t.Helper()
	return !strings.Contains(v.bankCmd(sub("show", opt("id", id))), "No question with id")
}

func (v *validator) file(q quiz.Question) []byte { return topicFile(v.t, q.Topic, q) }

// addByForm adds q through /bank add's two forms and returns what the moderator last saw.
func (v *validator) addByForm(q quiz.Question) string {
	t, e := v.t, v.e
	t.Helper()
	form := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("add", opt("topic", q.Topic), opt("id", q.ID))))
	if form.Type != 9 {
		return form.Content // refused before the form: the id
	}
	step1 := e.fake.SubmitModal(guildA, channelA, mod, form.ModalCustomID, formValues(q, quiz.English))
	r1 := e.wait(step1)
	next := customIDs(t, r1.Components)["add2"]
	if next == "" {
		return r1.Content // refused at step 1
	}
	msg, _ := step1.Original()
	m2 := e.wait(e.fake.Click(guildA, channelA, mod, msg.ID, next))
	return v.see(e.fake.SubmitModal(guildA, channelA, mod, m2.ModalCustomID, formValues(q, quiz.Chinese)))
}

// editByForm saves q's texts in language l over question id through /bank edit's form.
func (v *validator) editByForm(id string, q quiz.Question, l quiz.Lang) string {
	v.t.Helper()
	form := v.e.wait(v.e.fake.Slash(guildA, channelA, mod, "bank", sub("edit", opt("id", id), opt("language", string(l)))))
	return v.see(v.e.fake.SubmitModal(guildA, channelA, mod, form.ModalCustomID, formValues(q, l)))
}

// limitRun is one limit case at one length: at the limit, or one over it.
type limitRun struct {
	t     *testing.T
	c     limitCase
	name  string // field=length
	field string // the field's name as refusals give it
	n     int
	over  bool
}

// check: at the limit the path accepts (and the question is in the bank, if added says);
// over it, the path refuses naming the field, and nothing is added.
func (lr *limitRun) check(path, got string, added func() bool) {
	lr.t.Helper()
	if lr.over {
		if !strings.Contains(got, "not valid") && !strings.Contains(got, "does not validate") && !strings.Contains(got, "must use a-z") {
			lr.t.Errorf("%s with %s: %q; want a refusal", path, lr.name, got)
		} else if lr.c.field != "id" && !strings.Contains(got, lr.field) {
			lr.t.Errorf("%s with %s: %q; want the refusal to name %s", path, lr.name, got, lr.field)
		}
		if added != nil && added() {
			lr.t.Errorf("%s with %s: over the limit, yet the question is in the bank", path, lr.name)
		}
		return
	}
	if strings.Contains(got, "⚠️") {
		lr.t.Errorf("%s with %s at the limit: %q; want it accepted", path, lr.name, got)
	}
	if added != nil && !added() {
		lr.t.Errorf("%s with %s: accepted, yet the question is not in the bank", path, lr.name)
	}
}

// suffix is s, unless the id is the field under test.
func (lr *limitRun) suffix(s string) string {
	if lr.c.field == "id" {
		return ""
	}
	return s
}

// limit submits case lr through every path: the loader, /bank add with a file, /bank import,
// /bank edit and /bank add's forms.
func (v *validator) limit(lr *limitRun, i int) {
	t, e, c, n, over, name := lr.t, v.e, lr.c, lr.n, lr.over, lr.name
	q := validQuestion("limits", fmt.Sprintf("limits-%d-%d", i, n))
	c.set(&q, n)
	// The loader, as bot check and start-up run it.
	_, _, err := bank.Codec{}.Parse("limits.yaml", v.file(q))
	got := "ok"
	if err != nil {
		got = "does not validate: " + err.Error()
	}
	lr.check("the loader", got, nil)

	// /bank add with a file, then the same id is gone again for the next path.
	q.ID += lr.suffix("-f")
	got = v.bankCmd(sub("add", opt("topic", "limits"), e.fake.Attach("file", "limits.yaml", v.file(q))))
	lr.check("/bank add file", got, func() bool { return v.exists(q.ID) })
	if v.exists(q.ID) {
		v.bankCmd(sub("remove", opt("id", q.ID)))
	}
	q.ID = strings.TrimSuffix(q.ID, lr.suffix("-f"))

	// /bank import: the topic becomes the base question plus q (preview only).
	got = v.bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", topicFile(t, "limits", v.base, q))))
	if !over && !strings.Contains(got, "1 to add") {
		t.Errorf("/bank import with %s: %q; want a preview adding it", name, got)
	}
	lr.check("/bank import", got, nil)

	if !c.form {
		return
	}
	if c.field != "id" && !strings.HasSuffix(c.field, "(count)") {
		v.edit(lr)
	}
	// /bank add, both forms.
	q.ID += lr.suffix("-m")
	got = v.addByForm(q)
	lr.check("/bank add form", got, func() bool { return v.exists(q.ID) })
}

// edit saves the case's field through /bank edit, in the language the field is in (counts must
// match across languages, so the count rows, which set both, are left to the add form).
func (v *validator) edit(lr *limitRun) {
	t, c, n, over, name := lr.t, lr.c, lr.n, lr.over, lr.name
	edits := strings.Count(v.bankCmd(sub("history", opt("id", v.base.ID))), "· edit")
	l := quiz.English
	if strings.Contains(c.field, ".zh") {
		l = quiz.Chinese
	}
	edited := v.base.Clone()
	edited.ID = v.base.ID
	c.set(&edited, n)
	got := v.editByForm(v.base.ID, edited, l)
	lr.check("/bank edit", got, nil)
	if !over && !strings.Contains(got, "Saved") {
		t.Errorf("/bank edit with %s: %q; want it saved", name, got)
	}
	if after := strings.Count(v.bankCmd(sub("history", opt("id", v.base.ID))), "· edit"); over && after != edits {
		t.Errorf("/bank edit with %s: over the limit, yet the history has %d edits (was %d)", name, after, edits)
	}
}

// duplicates: a shipped id, the server's own id, and twice in one file are refused on every path.
func (v *validator) duplicates() {
	t, e, base := v.t, v.e, v.base
	// Duplicate ids: a shipped id, the server's own id, and twice in one file.
	dup := validQuestion("tcp", "tcp-handshake")
	if got := v.addByForm(dup); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add form with the shipped id tcp-handshake = %q; want it refused as a duplicate", got)
	}
	if got := v.bankCmd(sub("show", opt("id", "tcp-handshake"))); !strings.Contains(got, "Source: shipped") || strings.Contains(got, "our proxy") {
		t.Errorf("after the refused duplicate, tcp-handshake = %q; want the shipped question untouched", got)
	}
	own := validQuestion("limits", "limits-base")
	if got := v.addByForm(own); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add form with the server's own id = %q; want it refused as a duplicate", got)
	}
	if got := v.bankCmd(sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", topicFile(t, "tcp", dup)))); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add file with tcp-handshake = %q; want it refused as a duplicate", got)
	}
	twice := topicFile(t, "limits", base, validQuestion("limits", "limits-twice"), validQuestion("limits", "limits-twice"))
	if got := v.bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", twice))); !strings.Contains(got, `duplicate id "limits-twice"`) {
		t.Errorf("/bank import with an id twice = %q; want it refused", got)
	}
	moved := topicFile(t, "limits", base, validQuestion("limits", "tcp-handshake"))
	if got := v.bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", moved))); !strings.Contains(got, "cannot move between topics") {
		t.Errorf("/bank import with another topic's id = %q; want it refused", got)
	}
}

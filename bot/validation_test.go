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
	e := newEnv(t)
	e.start(hooks{}, "RATE_LIMITS", "import=1000/1s:1000/1s") // it imports more often than moderators may
	see := func(ix *discordtest.Interaction) string {
		t.Helper()
		m := e.final(ix)
		return m.Content + "\n" + embedText(m.Embeds)
	}
	bankCmd := func(o discordtest.Opt) string {
		t.Helper()
		return see(e.fake.Slash(guildA, channelA, mod, "bank", o))
	}
	exists := func(id string) bool {
		t.Helper()
		return !strings.Contains(bankCmd(sub("show", opt("id", id))), "No question with id")
	}
	addByForm := func(q quiz.Question) string {
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
		return see(e.fake.SubmitModal(guildA, channelA, mod, m2.ModalCustomID, formValues(q, quiz.Chinese)))
	}
	editByForm := func(id string, q quiz.Question, l quiz.Lang) string {
		t.Helper()
		form := e.wait(e.fake.Slash(guildA, channelA, mod, "bank", sub("edit", opt("id", id), opt("language", string(l)))))
		return see(e.fake.SubmitModal(guildA, channelA, mod, form.ModalCustomID, formValues(q, l)))
	}
	file := func(q quiz.Question) []byte { return topicFile(t, q.Topic, q) }

	// The edit target: a question of the server's own, so an import of its topic touches nothing else.
	base := validQuestion("limits", "limits-base")
	if got := bankCmd(sub("add", opt("topic", "limits"), e.fake.Attach("file", "limits.yaml", file(base)))); !strings.Contains(got, "Added limits-base") {
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
				q := validQuestion("limits", fmt.Sprintf("limits-%d-%d", i, n))
				c.set(&q, n)
				field, _, _ := strings.Cut(c.field, " ")
				check := func(path, got string, added func() bool) {
					t.Helper()
					if over {
						if !strings.Contains(got, "not valid") && !strings.Contains(got, "does not validate") && !strings.Contains(got, "must use a-z") {
							t.Errorf("%s with %s: %q; want a refusal", path, name, got)
						} else if c.field != "id" && !strings.Contains(got, field) {
							t.Errorf("%s with %s: %q; want the refusal to name %s", path, name, got, field)
						}
						if added != nil && added() {
							t.Errorf("%s with %s: over the limit, yet the question is in the bank", path, name)
						}
						return
					}
					if strings.Contains(got, "⚠️") {
						t.Errorf("%s with %s at the limit: %q; want it accepted", path, name, got)
					}
					if added != nil && !added() {
						t.Errorf("%s with %s: accepted, yet the question is not in the bank", path, name)
					}
				}

				// The loader, as bot check and start-up run it.
				_, _, err := bank.Codec{}.Parse("limits.yaml", file(q))
				got := "ok"
				if err != nil {
					got = "does not validate: " + err.Error()
				}
				check("the loader", got, nil)

				suffix := func(s string) string {
					if c.field == "id" {
						return "" // the id is the field under test
					}
					return s
				}
				// /bank add with a file, then the same id is gone again for the next path.
				q.ID += suffix("-f")
				got = bankCmd(sub("add", opt("topic", "limits"), e.fake.Attach("file", "limits.yaml", file(q))))
				check("/bank add file", got, func() bool { return exists(q.ID) })
				if exists(q.ID) {
					bankCmd(sub("remove", opt("id", q.ID)))
				}
				q.ID = strings.TrimSuffix(q.ID, suffix("-f"))

				// /bank import: the topic becomes the base question plus q (preview only).
				got = bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", topicFile(t, "limits", base, q))))
				if !over && !strings.Contains(got, "1 to add") {
					t.Errorf("/bank import with %s: %q; want a preview adding it", name, got)
				}
				check("/bank import", got, nil)

				if !c.form {
					return
				}
				if c.field != "id" && !strings.HasSuffix(c.field, "(count)") {
					// /bank edit, in the language the field is in (counts must match across
					// languages, so the count rows, which set both, are left to the add form).
					edits := strings.Count(bankCmd(sub("history", opt("id", base.ID))), "· edit")
					l := quiz.English
					if strings.Contains(c.field, ".zh") {
						l = quiz.Chinese
					}
					edited := base.Clone()
					edited.ID = base.ID
					c.set(&edited, n)
					got = editByForm(base.ID, edited, l)
					check("/bank edit", got, nil)
					if !over && !strings.Contains(got, "Saved") {
						t.Errorf("/bank edit with %s: %q; want it saved", name, got)
					}
					if after := strings.Count(bankCmd(sub("history", opt("id", base.ID))), "· edit"); over && after != edits {
						t.Errorf("/bank edit with %s: over the limit, yet the history has %d edits (was %d)", name, after, edits)
					}
				}
				// /bank add, both forms.
				q.ID += suffix("-m")
				got = addByForm(q)
				check("/bank add form", got, func() bool { return exists(q.ID) })
			})
		}
	}

	// Duplicate ids: a shipped id, the server's own id, and twice in one file.
	dup := validQuestion("tcp", "tcp-handshake")
	if got := addByForm(dup); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add form with the shipped id tcp-handshake = %q; want it refused as a duplicate", got)
	}
	if got := bankCmd(sub("show", opt("id", "tcp-handshake"))); !strings.Contains(got, "Source: shipped") || strings.Contains(got, "our proxy") {
		t.Errorf("after the refused duplicate, tcp-handshake = %q; want the shipped question untouched", got)
	}
	own := validQuestion("limits", "limits-base")
	if got := addByForm(own); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add form with the server's own id = %q; want it refused as a duplicate", got)
	}
	if got := bankCmd(sub("add", opt("topic", "tcp"), e.fake.Attach("file", "tcp.yaml", topicFile(t, "tcp", dup)))); !strings.Contains(got, "already exists") {
		t.Errorf("/bank add file with tcp-handshake = %q; want it refused as a duplicate", got)
	}
	twice := topicFile(t, "limits", base, validQuestion("limits", "limits-twice"), validQuestion("limits", "limits-twice"))
	if got := bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", twice))); !strings.Contains(got, `duplicate id "limits-twice"`) {
		t.Errorf("/bank import with an id twice = %q; want it refused", got)
	}
	moved := topicFile(t, "limits", base, validQuestion("limits", "tcp-handshake"))
	if got := bankCmd(sub("import", e.fake.Attach("file", "limits.yaml", moved))); !strings.Contains(got, "cannot move between topics") {
		t.Errorf("/bank import with another topic's id = %q; want it refused", got)
	}
}

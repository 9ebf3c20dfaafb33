package discord

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/questions"
)

// TestChecklistFitsSelectLimits: eight key points of 200 characters each become eight options
// whose labels and descriptions stay within 100 characters, numbered, carrying the whole text
// between them but for a few characters at the cut (the embed has it whole).
func TestChecklistFitsSelectLimits(t *testing.T) {
	var points []string
	for i := range quiz.MaxKeyPoints {
		points = append(points, strings.Repeat(string(rune('a'+i)), quiz.MaxKeyPointLen))
	}
	q := quiz.Question{ID: "q", KeyPoints: quiz.TextList{EN: points, ZH: points}}
	row, ok := checklistRow(quiz.English, q, 42, []int{1, 3})
	if !ok {
		t.Fatal("no checklist for a question with key points")
	}
	menu := row.Components[0].(discordgo.SelectMenu)
	if len(menu.Options) != quiz.MaxKeyPoints || menu.MaxValues != quiz.MaxKeyPoints || *menu.MinValues != 0 || menu.CustomID != "v1:check:42" {
		t.Fatalf("menu = %d options, %d..%d, %q", len(menu.Options), *menu.MinValues, menu.MaxValues, menu.CustomID)
	}
	for i, o := range menu.Options {
		if n := utf8.RuneCountInString(o.Label); n > maxOptionLabel {
			t.Errorf("option %d label is %d characters", i, n)
		}
		if n := utf8.RuneCountInString(o.Description); n > maxOptionDesc {
			t.Errorf("option %d description is %d characters", i, n)
		}
		whole := strings.TrimSuffix(o.Label, "…") + strings.TrimSuffix(strings.TrimPrefix(o.Description, "…"), "…")
		if want := string(rune('1'+i)) + ". " + points[i]; whole != want[:len(whole)] || len(want)-len(whole) > 10 {
			t.Errorf("option %d = %q + %q; want the numbered key point", i, o.Label, o.Description)
		}
		if o.Default != (i == 1 || i == 3) {
			t.Errorf("option %d default = %v", i, o.Default)
		}
	}
	if _, ok := checklistRow(quiz.English, quiz.Question{ID: "q"}, 1, nil); ok {
		t.Error("a checklist for a question without key points")
	}
}

// TestGradeLabels: each grade button says where it leads, in the member's language, within
// the 80-character label limit; the suggested grade is the one to accept.
func TestGradeLabels(t *testing.T) {
	iv := map[quiz.Grade]time.Duration{quiz.Again: 10 * time.Minute, quiz.Hard: 5 * time.Hour, quiz.Good: 4 * 24 * time.Hour, quiz.Easy: 500 * 24 * time.Hour}
	labels := func(l quiz.Lang, suggested quiz.Grade) []string {
		var out []string
		for _, c := range gradeRow(l, 1, iv, suggested).Components {
			b := c.(discordgo.Button)
			if utf8.RuneCountInString(b.Label) > 80 {
				t.Errorf("label %q over 80", b.Label)
			}
			out = append(out, b.Label)
		}
		return out
	}
	if got, want := strings.Join(labels(quiz.English, ""), "|"), "Again · 10m|Hard · 5h|Good · 4d|Easy · 1.4y"; got != want {
		t.Errorf("English labels = %s; want %s", got, want)
	}
	if got, want := strings.Join(labels(quiz.Chinese, quiz.Good), "|"), "重来 · 10分钟|困难 · 5小时|✓ 采纳：良好 · 4天|简单 · 1.4年"; got != want {
		t.Errorf("Chinese labels with Good suggested = %s; want %s", got, want)
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{20 * time.Second, "1m"}, {90 * time.Minute, "2h"}, {36 * time.Hour, "2d"}, {95 * 24 * time.Hour, "3mo"}, {730 * 24 * time.Hour, "2y"}} {
		if got := quiz.English.Interval(tc.d); got != tc.want {
			t.Errorf("Interval(%v) = %q; want %q", tc.d, got, tc.want)
		}
	}
}

// TestQuestionButtonsRows: six buttons never share a row of five; Hint only when a question has
// a key point to spare.
func TestQuestionButtonsRows(t *testing.T) {
	for _, kp := range []int{0, 1, 3} {
		rows := questionButtons(quiz.English, quiz.Session{ID: 1}, false, kp)
		hint := false
		for _, r := range rows {
			row := r.(discordgo.ActionsRow)
			if len(row.Components) > 5 {
				t.Errorf("%d buttons in a row", len(row.Components))
			}
			for _, c := range row.Components {
				hint = hint || strings.Contains(c.(discordgo.Button).CustomID, ":hint:")
			}
		}
		if hint != (kp > 1) {
			t.Errorf("%d key points: Hint shown = %v", kp, hint)
		}
	}
}

// TestEveryChecklistFits: every shipped question's checklist, in both languages, keeps to the
// select's limits (25 options; label, value and description 100 characters).
func TestEveryChecklistFits(t *testing.T) {
	b, err := bank.Load(questions.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range b.Questions("") {
		for _, l := range quiz.Langs {
			row, ok := checklistRow(l, q, 123456789, []int{0})
			if !ok {
				t.Errorf("%s/%s: no checklist", q.ID, l)
				continue
			}
			menu := row.Components[0].(discordgo.SelectMenu)
			if len(menu.Options) > maxOptions || len(menu.CustomID) > 100 || utf8.RuneCountInString(menu.Placeholder) > maxSelectHint {
				t.Errorf("%s/%s: menu over its limits", q.ID, l)
			}
			for _, o := range menu.Options {
				if n, d := utf8.RuneCountInString(o.Label), utf8.RuneCountInString(o.Description); n < 1 || n > maxOptionLabel || d > maxOptionDesc || len(o.Value) > 100 {
					t.Errorf("%s/%s: option %q / %q over its limits", q.ID, l, o.Label, o.Description)
				}
			}
		}
	}
}

package chart

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

func TestText(t *testing.T) {
	p := sample()
	f := factsOf(p)
	for _, tc := range []struct {
		lang quiz.Lang
		want []string
	}{
		{quiz.English, []string{
			"**Streak:** 12 days (best 19) · **Answers:** " + fmt.Sprint(p.Answered) + " · **Due for review:** 7\n",
			fmt.Sprintf("**Last 26 weeks** (2025-03-13 to 2025-09-10, Europe/London): %d active days, %d answers; busiest week: %d answers from %s.\n",
				f.active, f.inRange, f.busiest, f.busiestFrom),
			"**Topics, weakest first**\n- distributed: 6/13 seen, recall 41%\n- concurrency: 9/13 seen, recall 58%\n",
			"- go: 3/13 seen, recall 97%\n- python: 2/13 seen, not graded yet\n- networking: 0/13 seen, not graded yet",
		}},
		{quiz.Chinese, []string{
			"**连续天数：** 12 天（最佳 19）· **回答总数：** " + fmt.Sprint(p.Answered) + " · **待复习：** 7 题\n",
			fmt.Sprintf("**近 26 周**（2025-03-13 至 2025-09-10，Europe/London）：活跃 %d 天，回答 %d 次；最忙的一周：自 %s 起回答 %d 次。\n",
				f.active, f.inRange, f.busiestFrom, f.busiest),
			"**各主题（最弱的在前）**\n- distributed：已见 6/13，记忆率 41%\n",
			"- networking：已见 0/13，尚未评分",
		}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			p.Lang = tc.lang
			got := Text(p)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Text(%s) = %q\nwant it to contain %q", tc.lang, got, w)
				}
			}
			if tc.lang == quiz.Chinese {
				// Chinese text uses full-width punctuation; the slugs and the zone are ASCII words.
				for _, r := range ",:;()" {
					if strings.ContainsRune(got, r) {
						t.Errorf("Chinese text contains the half-width %q:\n%s", r, got)
					}
				}
			}
		})
	}
}

func TestTextEmpty(t *testing.T) {
	for lang, want := range map[quiz.Lang]string{
		quiz.English: "**Streak:** 0 days (best 0) · **Answers:** 0 · **Due for review:** 0\n**Last 26 weeks** (1969-07-04 to 1970-01-01): 0 active days, 0 answers.\n\n**Topics, weakest first**\nNo topics yet.",
		quiz.Chinese: "**连续天数：** 0 天（最佳 0）· **回答总数：** 0 · **待复习：** 0 题\n**近 26 周**（1969-07-04 至 1970-01-01）：活跃 0 天，回答 0 次。\n\n**各主题（最弱的在前）**\n还没有主题。",
	} {
		if got := Text(quiz.Progress{Lang: lang}); got != want {
			t.Errorf("Text(zero Progress, %s) = %q; want %q", lang, got, want)
		}
	}
}

func TestTextBrokenStreak(t *testing.T) {
	p := sample()
	p.Streak.LastDay = p.To - 5 // five days missed, one freeze
	if got := Text(p); !strings.HasPrefix(got, "**Streak:** 0 days (best 19)") {
		t.Errorf("Text with a broken streak = %q; want it to show 0", got)
	}
}

func TestTextTruncates(t *testing.T) {
	for _, lang := range quiz.Langs {
		p := sample()
		p.Lang = lang
		p.Topics = nil
		const n = 300
		for i := range n {
			p.Topics = append(p.Topics, quiz.TopicProgress{Topic: quiz.Topic{Slug: fmt.Sprintf("topic-%03d-%s", i, strings.Repeat("x", 20))}, Seen: 1, Total: 13, Graded: 1, Recall: 0.5})
		}
		got := Text(p)
		if c := utf8.RuneCountInString(got); c > MaxTextRunes {
			t.Errorf("%s: Text is %d runes; want at most %d", lang, c, MaxTextRunes)
		}
		listed := strings.Count(got, "\n- ")
		more := fmt.Sprintf("… and %d more", n-listed)
		if lang == quiz.Chinese {
			more = fmt.Sprintf("…… 另有 %d 个主题", n-listed)
		}
		if listed == 0 || listed == n || !strings.HasSuffix(got, "\n"+more) {
			t.Errorf("%s: Text lists %d of %d topics and ends %q; want it to end with %q", lang, listed, n, got[max(0, len(got)-60):], more)
		}
		if c := utf8.RuneCountInString(got); c < MaxTextRunes-60 {
			t.Errorf("%s: Text is %d runes; it stopped well short of %d", lang, c, MaxTextRunes)
		}
	}
}

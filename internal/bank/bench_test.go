package bank

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// generated returns a bank of n questions of realistic size (about 2.5 KB of YAML each) over
// 50 topic files, each under the 1 MiB file limit.
func generated(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	return generatedFiles(tb, 50, n/50)
}

// generatedFiles returns files topic files of per questions each (200 make about 1 MiB).
func generatedFiles(tb testing.TB, files, per int) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{}
	for t := range files {
		topic := quiz.Topic{Slug: fmt.Sprintf("topic-%d", t), Title: quiz.Text{EN: "Topic", ZH: "主题"}}
		var qs []quiz.Question
		for i := range per {
			qs = append(qs, quiz.Question{
				ID: fmt.Sprintf("t%d-q%05d", t, i), Topic: topic.Slug, Level: quiz.Mid, Tags: []string{"performance", "io"},
				Prompt:    quiz.Text{EN: strings.Repeat("What happens when ", 8), ZH: strings.Repeat("会发生什么", 12)},
				Answer:    quiz.Text{EN: strings.Repeat("The kernel copies the data. ", 60), ZH: strings.Repeat("内核复制数据。", 120)},
				KeyPoints: quiz.TextList{EN: []string{"one point", "two points", "three points", "four"}, ZH: []string{"一", "二", "三", "四"}},
				FollowUps: quiz.TextList{EN: []string{"Why?", "How?"}, ZH: []string{"为什么？", "怎么做？"}},
			})
		}
		data, err := Codec{}.Marshal(topic, qs)
		if err != nil {
			tb.Fatal(err)
		}
		fsys[topic.Slug+".yaml"] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// BenchmarkLoad10k loads a generated bank of 10,000 questions; the target is well under a second.
func BenchmarkLoad10k(b *testing.B) {
	fsys := generated(b, 10000)
	size := 0
	for _, f := range fsys {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		bk, err := Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if bk.Len() != 10000 {
			b.Fatalf("loaded %d", bk.Len())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
}

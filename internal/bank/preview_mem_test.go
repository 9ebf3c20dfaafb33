package bank

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/quiz/quiztest"
)

// TestPreviewMemoryBounded: 16 moderators in 16 servers each preview a 1 MiB topic file and
// never confirm. Pending previews are bounded by Quotas.PreviewBytes, so the heap they hold
// stays near that bound instead of growing with every preview (unbounded, 40 such previews
// held 43.5 MiB: about 1.1 times each file, until they expired after 15 minutes).
func TestPreviewMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and parses 16 MiB of YAML")
	}
	fsys := generatedFiles(t, 16, 200) // 16 files of about 1 MiB
	var files [][]byte
	var names []string
	for name, f := range fsys {
		files, names = append(files, f.Data), append(names, name)
	}
	shipped, err := quiz.NewBank([]quiz.Topic{{Slug: "tcp", Title: quiz.Text{EN: "TCP", ZH: "TCP"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	app := quiz.New(quiztest.NewMemStore(), shipped, quiz.Options{Now: func() time.Time { return now }, Codec: Codec{},
		Quotas: quiz.Quotas{PreviewBytes: 4 << 20}})
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	total := 0
	for i := range len(files) {
		a := quiz.Actor{Guild: quiz.GuildID(i + 1), User: 1, Manager: true}
		if _, err := app.Moderation.PreviewImport(context.Background(), a, names[i], files[i]); err != nil {
			t.Fatal(err)
		}
		total += len(files[i])
	}
	held := int64(heap()) - int64(before)
	t.Logf("%d previews of %d MiB of files in all: %.1f MiB held with a 4 MiB bound", len(files), total>>20, float64(held)/(1<<20))
	if held > 8<<20 {
		t.Errorf("pending previews hold %.1f MiB; want them bounded near 4 MiB of files", float64(held)/(1<<20))
	}
	runtime.KeepAlive(app)
	runtime.KeepAlive(files)
}

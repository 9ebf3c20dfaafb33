package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// BenchmarkHeapGrowth serves 100,000 interactions after a warm-up of 10,000, as fast as the
// bot answers them (32 in flight): autocompletes of /interview's topic, /streak replies and
// public /interview questions (a session written, its message id recorded), from 500
// members, through the fake Discord (request validation off: the fake's own cost is not the
// subject). It reports the growth of the live heap after GC ("heap-growth-MB", failing at
// 1 MB or more) and of the process's resident memory ("rss-growth-MB", the fake included,
// both measured after GC with free memory returned to the system; the resident memory every
// 10,000 interactions is logged). Each interaction's token used to stay in discordgo's rate
// limiter for good (about 450 bytes per interaction, discordgo issue #1333): 45 MB over such
// a run.
//
// The fake forgets finished interactions and the harness drops the bot's log lines every
// 10,000 interactions, so that only the bot's own memory can grow. It takes a minute or two,
// hence a benchmark: go test -run XXX -bench HeapGrowth -benchtime 1x ./bot
func BenchmarkHeapGrowth(b *testing.B) {
	const (
		warmup   = 10_000
		n        = 100_000
		chunk    = 10_000
		inflight = 32
	)
	for b.Loop() {
		fake := discordtest.New(b, discordtest.WithGlobalRateLimit(100000))
		fake.SetSchemaValidation(false)
		fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", Channels: []discordtest.Channel{{ID: channelA, Name: "general"}}})
		e := &env{t: b, fake: fake, db: b.TempDir() + "/mem.db", ctx: context.Background()}
		bt := e.startEnv([]string{"LOG_LEVEL", "info"}, withClock(realClock{}))

		var rss []uint64 // MB, every chunk, as the run goes (no forced GC)
		serve := func(count int) {
			sem := make(chan struct{}, inflight)
			var wg sync.WaitGroup
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			for i := range count {
				if i > 0 && i%chunk == 0 {
					wg.Wait()
					fake.Forget()
					bt.logs.reset()
					rss = append(rss, rssBytes()>>20)
				}
				sem <- struct{}{}
				u := discordtest.User{ID: fmt.Sprintf("3%017d", i%500+1), Username: "m", Permissions: "0"}
				var ix *discordtest.Interaction
				switch i % 3 {
				case 0:
					ix = fake.Autocomplete(guildA, channelA, u, "interview", discordtest.Opt{Name: "topic", Type: 3, Value: "t", Focused: true})
				case 1:
					ix = fake.Slash(guildA, channelA, u, "streak")
				default:
					ix = fake.Slash(guildA, channelA, u, "interview", opt("topic", "tcp"))
				}
				wg.Go(func() {
					defer func() { <-sem }()
					if _, err := ix.Wait(ctx); err != nil {
						b.Error(err)
					}
				})
			}
			wg.Wait()
			fake.Forget()
			bt.logs.reset()
		}
		serve(warmup)
		heap0, rss0 := liveHeap(), rssBytes()
		rss = rss[:0]
		start := time.Now()
		serve(n)
		took := time.Since(start)
		heap1, rss1 := liveHeap(), rssBytes()
		bt.stop()
		b.Logf("resident memory every %d interactions (MB): %v; after GC and returning free memory: %d MB, then %d MB",
			chunk, rss, rss0>>20, rss1>>20)

		growth := (float64(heap1) - float64(heap0)) / (1 << 20)
		b.ReportMetric(growth, "heap-growth-MB")
		b.ReportMetric(float64(heap1)/(1<<20), "heap-MB")
		b.ReportMetric((float64(rss1)-float64(rss0))/(1<<20), "rss-growth-MB")
		b.ReportMetric(float64(rss1)/(1<<20), "rss-MB")
		b.ReportMetric(float64(n)/took.Seconds(), "interactions/s")
		if growth >= 1 {
			b.Errorf("the live heap grew by %.2f MB over %d interactions; want under 1 MB", growth, n)
		}
	}
}

// liveHeap returns the heap in use after a full collection, and returns free memory to the
// system so that resident memory can be compared.
func liveHeap() uint64 {
	var m runtime.MemStats
	for range 2 {
		runtime.GC()
	}
	debug.FreeOSMemory()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// rssBytes returns the process's resident memory (0 where /proc is absent).
func rssBytes() uint64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// reset drops what was written (a long run's log lines), releasing the memory.
func (s *syncBuffer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = bytes.Buffer{}
}

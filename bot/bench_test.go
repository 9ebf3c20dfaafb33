package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/schedule"
)

// BenchmarkInteractionLatency measures the time from INTERACTION_CREATE to the callback for
// /interview, at 200 and at 1,000 interactions per second, for the bot and, against the same
// kind of fake in the same run, for a bare discordgo handler that answers "ok": the floor, the
// protocol's own cost. It reports each side's p50 and p99 and both ratios, and fails on an
// error, a missed 3-second window or a reply that is not a question. The aim at 200/s:
// both ratios at most 1.5.
//
// Both clients run as processes of their own, measured from outside as Discord sees them: the
// bot is the built binary (production settings but RATE_LIMITS=off, a bbolt file with fsync,
// logs at info), the bare handler is this test binary started in its bare-client mode. In the
// fake's process their garbage would be collected on the fake's time and theirs on each
// other's. The fake's OpenAPI validation costs milliseconds per request, far more than either
// client, so it is off during the timed runs; a separate, untimed pass first sends the same
// traffic with it on (the fake fails the benchmark on any violation).
//
// Each side has its own fake and stays connected for the whole run; the traffic goes to one
// side at a time, in rounds that take turns (bare, bot, bare, …), each after a short warm-up,
// so that a noisy moment of a shared machine falls on both sides alike rather than on whichever
// ran then. The fakes record nothing while timed (SetRecording) and forget each round's
// interactions between rounds.
func BenchmarkInteractionLatency(b *testing.B) {
	bin := buildBinary(b)
	for _, c := range []struct{ rate, n, rounds int }{{200, 1000, 5}, {1000, 2000, 4}} {
		b.Run(fmt.Sprintf("%d/s", c.rate), func(b *testing.B) {
			// Untimed: the same traffic, validated, at 50/s (validation is slow; the fake loads the
			// spec once per process).
			for _, client := range []laneClient{bareProcess, botProcess(bin)} {
				l := newLane(b, true, client)
				l.run(b, 100, 50, 0)
				l.stop()
			}
			for b.Loop() {
				bare, bot := newLane(b, false, bareProcess), newLane(b, false, botProcess(bin))
				for range c.rounds {
					for _, l := range []*lane{bare, bot} {
						l.run(b, c.n/c.rounds, c.rate, c.rate/4)
					}
				}
				for _, l := range []*lane{bare, bot} {
					l.stop()
					slices.Sort(l.lat)
				}
				reportLatencies(b, bare.lat, bot.lat)
			}
		})
	}
}

func reportLatencies(b *testing.B, bare, bot []time.Duration) {
	p := func(l []time.Duration, q float64) time.Duration { return l[int(float64(len(l)-1)*q)] }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p(bot, 0.5)), "bot-p50-ms")
	b.ReportMetric(ms(p(bot, 0.99)), "bot-p99-ms")
	b.ReportMetric(ms(p(bare, 0.5)), "bare-p50-ms")
	b.ReportMetric(ms(p(bare, 0.99)), "bare-p99-ms")
	b.ReportMetric(float64(p(bot, 0.5))/float64(p(bare, 0.5)), "p50-ratio")
	b.ReportMetric(float64(p(bot, 0.99))/float64(p(bare, 0.99)), "p99-ratio")
	b.ReportMetric(ms(bot[len(bot)-1]), "bot-max-ms")
}

// bareClientEnv, set to a fake's URL, makes this test binary the bare client (TestMain).
const bareClientEnv = "INTERVIEWBOT_BENCH_BARE_CLIENT"

// runBareClient is a bare discordgo bot that answers every interaction with "ok", connected to
// the fake at fakeURL, until SIGTERM.
func runBareClient(fakeURL string) int {
	rt, err := discordtest.TransportTo(fakeURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s, err := discordgo.New("Bot test-token")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s.Client = &http.Client{Transport: rt}
	s.LogLevel = discordgo.LogError
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: 4, Data: &discordgo.InteractionResponseData{
			Content: "ok", AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}}})
	})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	if err := s.Open(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	<-stop
	s.Close()
	return 0
}

// laneClient starts a client connected to fake and returns how to stop it.
type laneClient func(tb testing.TB, fake *discordtest.Server) (stop func())

// bareProcess runs the bare client in a process of its own.
func bareProcess(tb testing.TB, fake *discordtest.Server) func() {
	self, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	return startClient(tb, exec.Command(self), bareClientEnv+"="+fake.URL())
}

// botProcess runs the built bot against the fake with a database of its own.
func botProcess(bin string) laneClient {
	return func(tb testing.TB, fake *discordtest.Server) func() {
		// Rate limits off: at 200/s from one server the default server bucket (4/s) would
		// refuse nearly every ask, and a refusal, which writes nothing, is not what is measured.
		return startClient(tb, exec.Command(bin), "DISCORD_TOKEN=test-token", "DISCORD_API_URL="+fake.URL(),
			"DB_PATH="+filepath.Join(tb.TempDir(), "bench.db"), "LOG_FORMAT=json", "LOG_LEVEL=info", "RATE_LIMITS=off")
	}
}

// startClient starts cmd with env and returns how to stop it (SIGTERM, then wait); its output
// is kept and shown if it exits with an error.
func startClient(tb testing.TB, cmd *exec.Cmd, env ...string) func() {
	out := &syncBuffer{}
	cmd.Env, cmd.Stdout, cmd.Stderr = env, out, out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			tb.Errorf("%s: %v\n%s", cmd.Path, err, out.String())
		}
	}
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// lane is one side of the latency benchmark: a fake (validating requests against the OpenAPI
// description or not), a client connected to it, and the latencies measured so far.
type lane struct {
	fake *discordtest.Server
	stop func()
	lat  []time.Duration
	sent int
}

func newLane(b *testing.B, validate bool, client laneClient) *lane {
	fake := discordtest.New(b, discordtest.WithGlobalRateLimit(100000))
	fake.SetSchemaValidation(validate)
	fake.SetRecording(validate) // the transcript and request log are test machinery: off when timed
	fake.AddGuild(discordtest.Guild{ID: guildA, Name: "A", Channels: []discordtest.Channel{{ID: channelA, Name: "general"}}})
	l := &lane{fake: fake, stop: client(b, fake)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		b.Fatal(err)
	}
	return l
}

// run sends warm then n /interview commands at rate per second from 2,000 members and keeps
// the latencies from INTERACTION_CREATE to callback of the last n. An interaction without a
// callback within Discord's 3 seconds fails b, and so does a bot's reply that is not a
// question (an embed with buttons): a refusal would be timed as if it were the work.
func (l *lane) run(b *testing.B, n, rate, warm int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	ixs := make([]*discordtest.Interaction, 0, warm+n)
	for range warm + n {
		<-tick.C
		l.sent++
		u := discordtest.User{ID: fmt.Sprintf("3%017d", l.sent%2000+1), Username: "m", Permissions: "0"}
		ixs = append(ixs, l.fake.Slash(guildA, channelA, u, "interview", opt("topic", "tcp")))
	}
	for k, ix := range ixs {
		r, err := ix.Wait(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if r.Type != 4 || ix.Latency() >= 3*time.Second {
			b.Fatalf("interaction %s: callback type %d after %v; want a reply (4) within 3 s", ix.ID, r.Type, ix.Latency())
		}
		if bare := r.Content == "ok"; !bare && (len(r.Embeds) == 0 || len(r.Components) == 0) {
			b.Fatalf("interaction %s: the reply is not a question: %q", ix.ID, r.Content)
		}
		if k >= warm {
			l.lat = append(l.lat, ix.Latency())
		}
	}
	l.fake.Forget() // untimed: the next round starts with a fake as light as the first
}

// BenchmarkDailyFanout: 1,000 servers whose daily post is due at the same minute. It reports the
// time until the last post, as a ratio to the ideal (servers / the fake's limit; the aim:
// <= 1.1), and fails on any duplicate post, lost post or 429: the bot must pace itself under
// Discord's global limit, never lean on 429s.
//
// The ratio is set by the bot's own limiter, not found by the benchmark: the bot sends at its
// configured rate, so the time to the last post is servers / that rate, and the ratio is the
// fake's limit over the bot's (plus the bot's own overhead).
//
//   - scaled: the fake enforces 100 requests/s (Discord's 50/s scaled up 2x so the run takes
//     10 s, not 20) and the bot's limit is set to 97% of it (97/s): ratio about 100/97 = 1.031.
//   - production: the fake enforces Discord's 50/s and the bot keeps the limit it uses in
//     production (discord.Options.GlobalRate's default, 48/s, 96%): ratio about 50/48 = 1.042.
func BenchmarkDailyFanout(b *testing.B) {
	b.Run("scaled", func(b *testing.B) { fanout(b, 1000, 100, 97) })
	b.Run("production", func(b *testing.B) { fanout(b, 1000, 50, 0) })
}

// fanout runs the daily fan-out of servers against a fake enforcing fakeLimit requests per
// second, with the bot's REST limit at botRate (0: the production default).
func fanout(b *testing.B, servers, fakeLimit, botRate int) {
	for b.Loop() {
		fake := discordtest.New(b, discordtest.WithGlobalRateLimit(fakeLimit))
		guild := func(i int) string { return fmt.Sprint(uint64(100000+i) << 22) }
		channel := func(i int) string { return fmt.Sprint(uint64(200000+i) << 22) }
		for i := range servers {
			fake.AddGuild(discordtest.Guild{ID: guild(i), Name: "g", Channels: []discordtest.Channel{{ID: channel(i), Name: "daily"}}})
		}
		e := &env{t: b, fake: fake, db: b.TempDir() + "/fanout.db", ctx: context.Background(),
			clock: schedule.NewManualClock(time.Date(2026, 3, 6, 8, 0, 0, 0, time.UTC))}
		bt := e.startEnv([]string{"LOG_LEVEL", "warn"}, withGlobalRate(botRate))
		for i := range servers {
			a := quiz.Actor{Guild: quiz.GuildID(parseSnowflake(guild(i))), User: 1, Manager: true}
			_, err := bt.app.domain.Daily.Setup(e.ctx, a, quiz.DailyRequest{Channel: quiz.ChannelID(parseSnowflake(channel(i))), At: "09:00", TZ: "UTC"})
			if err != nil {
				b.Fatal(err)
			}
		}
		e.clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC))
		start := time.Now()
		bt.app.runOnce(e.ctx)
		took := time.Since(start)
		bt.app.runOnce(e.ctx) // a second pass must post nothing more
		dups, lost := 0, 0
		for i := range servers {
			switch n := len(fake.Messages(channel(i))); {
			case n == 0:
				lost++
			case n > 1:
				dups += n - 1
			}
		}
		bt.stop()
		ideal := time.Duration(servers) * time.Second / time.Duration(fakeLimit)
		limited := fake.RateLimited()
		b.ReportMetric(took.Seconds(), "s-to-last-post")
		b.ReportMetric(took.Seconds()/ideal.Seconds(), "ratio-to-ideal")
		b.ReportMetric(float64(dups), "duplicates")
		b.ReportMetric(float64(lost), "lost")
		b.ReportMetric(float64(limited), "429s")
		if dups > 0 || lost > 0 || limited > 0 {
			b.Errorf("%d servers: %d duplicate posts, %d lost, %d 429s; want 0 of each", servers, dups, lost, limited)
		}
	}
}

func parseSnowflake(s string) uint64 {
	var v uint64
	fmt.Sscan(s, &v)
	return v
}

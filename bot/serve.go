package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/boltstore"
	"github.com/interviewbot/interviewbot/internal/chart"
	"github.com/interviewbot/interviewbot/internal/console"
	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/ops"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/schedule"
)

// Each adapter's interfaces, as the domain's use cases satisfy them.
var (
	_ discord.Practice   = (*quiz.Practice)(nil)
	_ discord.Members    = (*quiz.Members)(nil)
	_ discord.Daily      = (*quiz.DailyPosts)(nil)
	_ discord.Moderation = (*quiz.Moderation)(nil)
	_ discord.Bank       = (*quiz.Moderation)(nil)
	_ console.Practice   = (*quiz.Practice)(nil)
	_ console.Members    = (*quiz.Members)(nil)
	_ console.Mocks      = (*quiz.Mocks)(nil)
	_ discord.Mocks      = (*quiz.Mocks)(nil)
	_ discord.Awards     = (*quiz.Awards)(nil)
	_ quiz.Publisher     = (*discord.Bot)(nil)
	_ quiz.Announcer     = (*discord.Bot)(nil)
	_ quiz.Announcer     = (*botPublisher)(nil)
)

// app is the running bot; tests reach it through hooks.started.
type app struct {
	domain  *quiz.App
	bot     *discord.Bot
	store   *boltstore.Store
	metrics *ops.Metrics
	httpURL string                    // the health and metrics server's base URL, if any
	runOnce func(ctx context.Context) // one scheduler pass, for tests
}

// serveDiscord connects to Discord and serves until ctx ends, then shuts down in order: stop
// the scheduler, stop taking interactions and finish those in flight, close the gateway. The
// caller closes the database last.
//
// The bot is both the use cases' publisher and their consumer, and each wants the other at
// construction. pub breaks the cycle: the use cases are built with it (newDomain), the bot with
// the use cases, then pub is pointed at the bot, once, before the bot opens and before the
// scheduler starts; nothing posts before that, and the goroutines that post start after it.
func serveDiscord(ctx context.Context, cfg Config, ln net.Listener, log *slog.Logger, newDomain func(quiz.Publisher) *quiz.App, st *boltstore.Store, m *ops.Metrics, h hooks) error {
	pub := &botPublisher{}
	d := newDomain(pub)
	uc := discord.UseCases{Practice: d.Practice, Members: d.Members, Daily: d.Daily, Moderation: d.Moderation, Bank: d.Moderation,
		Mocks: d.Mocks, Awards: d.Awards}
	if h.wrapUseCases != nil {
		uc = h.wrapUseCases(uc)
	}
	var obs discord.Observer = m
	if h.interactionDone != nil {
		obs = notifyingObserver{m, h.interactionDone}
	}
	rate := cfg.RESTRate
	if h.globalRate != 0 {
		rate = h.globalRate
	}
	b, err := discord.New(uc, discord.Options{
		Token: cfg.Token, APIURL: cfg.APIURL, GuildID: cfg.GuildID, ShardID: cfg.ShardID, ShardCount: cfg.ShardCount,
		Logger: log, Observer: obs, Parser: bank.Codec{}, Chart: chart.Drawer{}, GlobalRate: rate, DeferAfter: h.deferAfter,
		ConnectBackoff: h.connectBackoff, After: h.identifyAfter, UploadLimit: cfg.UploadLimit,
	})
	if err != nil {
		return err
	}
	pub.Publisher, pub.Announcer = b, b
	a := &app{domain: d, bot: b, store: st, metrics: m}
	var wg sync.WaitGroup
	if ln != nil {
		a.httpURL = "http://" + ln.Addr().String()
		// The address as bound: with port 0 the system chose it.
		log.Info("serving the operator endpoints", "addr", ln.Addr().String(), "url", a.httpURL)
		// Served from before the first connection, so /healthz answers while Discord is still
		// unreachable (and /readyz says not ready).
		srv := ops.New(ops.Options{Ready: b.Ready, DB: st, Metrics: m, Logger: log, BackupToken: cfg.BackupToken})
		httpCtx, stopHTTP := context.WithCancel(context.WithoutCancel(ctx))
		defer stopHTTP()
		// The operator endpoints stay up until the bot has closed, so /readyz reports the
		// shutdown; they stop last.
		defer wg.Wait()
		defer stopHTTP()
		wg.Go(func() {
			if err := srv.Serve(httpCtx, ln); err != nil {
				log.Error("http server stopped", "err", err)
			}
		})
	}
	// The bot's own context outlives ctx so in-flight work can finish; it ends after Close.
	botCtx, stopBot := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBot()
	// ctx bounds the connection attempts: a signal while Discord is unreachable stops the bot.
	if err := b.Open(ctx, botCtx); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			log.Info("stopped before connecting to Discord", "err", err)
			return nil
		}
		return err
	}
	log.Info("bot started", "shard_id", cfg.ShardID, "shard_count", cfg.ShardCount, "version", versionString())

	tasks := []schedule.Task{
		{Name: "daily-post", Every: cfg.Tick, Run: func(ctx context.Context) error {
			rep, err := d.Daily.RunDaily(ctx, 64)
			m.Daily(rep)
			return err
		}},
		{Name: "reveal-due", Every: cfg.Tick, Run: func(ctx context.Context) error {
			n, err := d.Daily.RunDue(ctx)
			m.Reveals(n)
			return err
		}},
		// Mock interviews whose time ran out end, and their members are told (issue 15).
		{Name: "mock-timeouts", Every: cfg.Tick, Run: func(ctx context.Context) error {
			_, err := d.Mocks.RunMockTimeouts(ctx, h.clock.Now())
			return err
		}},
		// The monthly champion and the weekly recap: each is claimed in the database before
		// Discord is called, so it happens once per month or week whatever the tick and restarts.
		{Name: "monthly-champion", Every: awardsEvery, Run: func(ctx context.Context) error {
			_, err := d.Awards.RunMonthly(ctx, h.clock.Now())
			return err
		}},
		{Name: "weekly-recap", Every: awardsEvery, Run: func(ctx context.Context) error {
			_, err := d.Awards.RunWeekly(ctx, h.clock.Now())
			return err
		}},
		// Sessions past their reveal and a week's grace, in small transactions (issue 12).
		{Name: "prune", Every: time.Hour, Run: func(ctx context.Context) error {
			_, err := d.Daily.Prune(ctx, h.clock.Now())
			return err
		}},
		// Rewrites the file without deleted data (bbolt keeps it in freed pages); members'
		// erasures also compact it, sooner (serve).
		{Name: "compact", Every: cfg.CompactEvery, Run: func(ctx context.Context) error {
			_, err := st.Compact(ctx)
			return err
		}},
	}
	a.runOnce = func(ctx context.Context) {
		for _, t := range tasks {
			if err := t.Run(ctx); err != nil {
				log.Error("scheduled task failed", "task", t.Name, "err", err)
			}
		}
	}

	var sched sync.WaitGroup
	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	if !h.noScheduler {
		// The scheduler starts once, here, never from the gateway's Ready event (which fires
		// again after every reconnect).
		sched.Go(func() { schedule.Run(schedCtx, h.clock, log, tasks) })
	}

	if h.started != nil {
		h.started(a)
	}

	<-ctx.Done()
	log.Info("shutting down")
	// The scheduler's posts finish before the bot closes, so no post starts on a closed session.
	stopSched()
	sched.Wait()
	return b.Close()
}

// awardsEvery is how often the champion and recap jobs look for work: a month's award or a
// week's recap comes at most this late.
const awardsEvery = 10 * time.Minute

// botPublisher is the Discord bot as the use cases' Publisher and Announcer; serveDiscord sets
// both once the bot exists (see there).
type botPublisher struct {
	quiz.Publisher
	quiz.Announcer
}

// notifyingObserver tells a test when each interaction has been counted.
type notifyingObserver struct {
	*ops.Metrics
	done func()
}

func (o notifyingObserver) Interaction(name, outcome string, ack time.Duration) {
	o.Metrics.Interaction(name, outcome, ack)
	o.done()
}

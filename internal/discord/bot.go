package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Observer receives what the bot measures; bot/ turns it into metrics. All methods must be cheap.
type Observer interface {
	Interaction(name, outcome string, ack time.Duration)
	Gateway(event string) // connect, disconnect, resumed, ready
	RateLimited(bucket string)
}

type nopObserver struct{}

func (nopObserver) Interaction(string, string, time.Duration) {}
func (nopObserver) Gateway(string)                            {}
func (nopObserver) RateLimited(string)                        {}

// Options configures a Bot.
type Options struct {
	Token      string
	APIURL     string // base for REST and gateway discovery; default https://discord.com
	GuildID    string // register commands on this guild instead of globally
	ShardID    int
	ShardCount int
	Logger     *slog.Logger
	Observer   Observer
	// DeferAfter is how long a handler may run before the bot defers its response.
	DeferAfter time.Duration
	// GlobalRate caps the bot's own REST calls per second. Discord allows 50 per bot token,
	// across all shards; default 48 / ShardCount (at least 1), this process's share.
	GlobalRate int
	// Transport is the HTTP transport under the URL rewrite (tests); default http.DefaultTransport.
	Transport http.RoundTripper
	// CloseTimeout bounds the wait for in-flight interactions at shutdown.
	CloseTimeout time.Duration
	// Parser reads the file attached to /bank add. (Import and export go through the
	// domain, which has its own codec.)
	Parser FileParser
	// Chart draws /progress.
	Chart ProgressChart
	// ConnectBackoff is the wait before connection attempt attempt+1 at start-up (attempt
	// counts from 1); default 1 s doubling to at most 1 min.
	ConnectBackoff func(attempt int) time.Duration
	// After waits for the shard's turn to IDENTIFY (tests pass a manual clock's); default
	// time.After.
	After func(d time.Duration) <-chan time.Time
	// ReadyTimeout bounds the wait for READY after the gateway opened (default 2 min).
	ReadyTimeout time.Duration
	// UploadLimit is the largest file the bot uploads, in bytes; larger exports go out
	// compressed or in parts. Default DefaultUploadLimit.
	UploadLimit int
}

// Bot is a connected Discord bot.
type Bot struct {
	s        *discordgo.Session
	practice Practice
	members  Members
	daily    Daily
	mods     Moderation
	bank     Bank
	mocks    Mocks
	awards   Awards
	log      *slog.Logger
	obs      Observer
	opts     Options
	lim      *limiter
	ix       *ixClient // requests addressed by an interaction's token (ixclient.go)
	// done is closed when the bot's lifetime (Open's ctx) ends: it cancels background work,
	// which outlives the handler that started it.
	done chan struct{}

	mu        sync.Mutex
	closing   bool
	ready     bool
	readyCh   chan struct{} // closed at the first READY
	readyOnce sync.Once
	user      discordgo.User // the bot's user, from GET /users/@me
	inflight  sync.WaitGroup // interaction handlers
	bg        sync.WaitGroup // background edits
	edits     map[editKey]*pendingEdit
	appID     string
	drafts    drafts
	perms     *cmdPerms // the servers' command permissions, as Discord applies them
	blocked   blocked   // channels that refused the bot's posts
}

// New prepares a bot; Open connects it.
func New(uc UseCases, opts Options) (*Bot, error) {
	if uc.Practice == nil || uc.Members == nil || uc.Daily == nil || uc.Moderation == nil || uc.Bank == nil || uc.Mocks == nil || uc.Awards == nil {
		return nil, errors.New("discord: New needs every use case")
	}
	opts = opts.withDefaults()
	s, err := discordgo.New("Bot " + opts.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	rt, err := newRewriteTransport(opts.APIURL, opts.Transport)
	if err != nil {
		return nil, fmt.Errorf("discord: DISCORD_API_URL: %w", err)
	}
	s.Client = &http.Client{Transport: rt, Timeout: 20 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShardID, s.ShardCount = opts.ShardID, opts.ShardCount
	// discordgo logs request URLs holding interaction tokens at higher levels.
	s.LogLevel = discordgo.LogError
	s.ShouldReconnectOnError = true
	b := &Bot{s: s, practice: uc.Practice, members: uc.Members, daily: uc.Daily, mods: uc.Moderation, bank: uc.Bank, mocks: uc.Mocks, awards: uc.Awards, log: opts.Logger, obs: opts.Observer, opts: opts, lim: newLimiter(opts.GlobalRate),
		edits: map[editKey]*pendingEdit{}, done: make(chan struct{}), perms: newCmdPerms(), readyCh: make(chan struct{})}
	b.ix = newIXClient(s.Client, s.UserAgent, func(route string, wait time.Duration) {
		b.obs.RateLimited(route)
		b.log.Warn("discord: rate limited", "route", route, "retry_after", wait.String())
	})
	b.watchPermissions()
	b.watchGateway()
	return b, nil
}

// withDefaults fills in what the caller left zero.
func (opts Options) withDefaults() Options {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	if opts.UploadLimit <= 0 {
		opts.UploadLimit = DefaultUploadLimit
	}
	if opts.DeferAfter <= 0 {
		// Leaves over a second of the 3-second window for the deferral to reach Discord.
		opts.DeferAfter = 1500 * time.Millisecond
	}
	if opts.ShardCount < 1 {
		opts.ShardCount = 1
	}
	if opts.GlobalRate <= 0 {
		opts.GlobalRate = max(48/opts.ShardCount, 1) // a margin under Discord's 50/s, shared by the shards
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = 8 * time.Second
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://discord.com"
	}
	if opts.ConnectBackoff == nil {
		opts.ConnectBackoff = defaultBackoff
	}
	if opts.After == nil {
		opts.After = time.After
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 2 * time.Minute
	}
	return opts
}

// watchGateway follows the gateway: command permission changes, and the connection's state
// for readiness and the metrics.
func (b *Bot) watchGateway() {
	b.s.AddHandler(func(_ *discordgo.Session, e *discordgo.ApplicationCommandPermissionsUpdate) {
		if e.GuildApplicationCommandPermissions != nil {
			b.perms.update(e.GuildApplicationCommandPermissions)
		}
	})
	b.s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		b.mu.Lock()
		b.ready = true
		b.mu.Unlock()
		b.readyOnce.Do(func() { close(b.readyCh) })
		b.obs.Gateway("ready")
		b.log.Info("discord: ready", "session_guilds", len(r.Guilds), "shard_id", b.opts.ShardID)
	})
	// Note: Connect fires when the socket opens, before IDENTIFY or RESUME succeeds, so it does
	// not make the bot ready.
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		b.mu.Lock()
		b.ready = true
		b.mu.Unlock()
		b.obs.Gateway("resumed")
	})
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		b.mu.Lock()
		b.ready = false
		b.mu.Unlock()
		b.obs.Gateway("disconnect")
	})
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { b.obs.Gateway("connect") })
	b.s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
		b.obs.RateLimited(r.URL)
		b.log.Warn("discord: rate limited", "retry_after", r.RetryAfter.String())
	})
}

// ErrTokenRefused is returned by Open when Discord refuses the bot token: retrying cannot help.
var ErrTokenRefused = errors.New("the token was refused by Discord (401): check DISCORD_TOKEN, or the file DISCORD_TOKEN_FILE names")

// Open connects to the gateway and registers the commands in one bulk overwrite. While Discord
// cannot be reached it tries again, after opts.ConnectBackoff, until ctx ends; a refused token
// (ErrTokenRefused) or another answer that a retry cannot change ends it at once. life is the
// bot's lifetime: every interaction is served with it, and background work stops when it ends,
// so it should outlive Close. Call Open once.
func (b *Bot) Open(ctx, life context.Context) (err error) {
	// Registered before connecting, so no interaction arrives before its handler.
	b.s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteraction(life, ic) })
	context.AfterFunc(life, func() { close(b.done) })
	step := 0 // 1 token and application read, 2 our turn to identify, 3 gateway open, 4 READY
	defer func() {
		if err != nil && step >= 3 {
			b.s.Close()
		}
	}()
	for attempt := 1; ; attempt++ {
		err := b.connect(ctx, &step)
		if err == nil {
			return nil
		}
		retry := retryable(err)
		err = b.explain(err)
		if !retry {
			return err
		}
		wait := b.opts.ConnectBackoff(attempt)
		b.log.Warn("discord: cannot connect; trying again", "attempt", attempt, "retry_in", wait.String(), "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		if ctx.Err() != nil {
			return fmt.Errorf("%w (while trying again after: %v)", ctx.Err(), err)
		}
	}
}

// connect is one attempt: the token and the application, the shard's turn, the gateway and
// its READY, then the commands; each step once.
func (b *Bot) connect(ctx context.Context, step *int) error {
	if *step == 0 {
		// GET /gateway needs no token and the gateway refuses a bad one with a close code, so
		// an authenticated request first turns a refused token into a plain 401.
		u, err := b.s.User("@me", discordgo.WithContext(ctx))
		if err != nil {
			return err
		}
		b.user = *u
		// The application id addresses the commands and interaction replies: from Discord,
		// not from the gateway state, which an op 9 can leave empty.
		ep := discordgo.EndpointApplication("@me")
		raw, err := b.s.RequestWithBucketID(http.MethodGet, ep, nil, ep, discordgo.WithContext(ctx))
		if err != nil {
			return err
		}
		var app discordgo.Application
		if err := json.Unmarshal(raw, &app); err != nil || app.ID == "" {
			return fmt.Errorf("discord: GET /applications/@me: no application id (%v)", err)
		}
		b.appID = app.ID
		*step = 1
	}
	if *step == 1 {
		if err := b.awaitIdentifyTurn(ctx); err != nil {
			return err
		}
		*step = 2
	}
	if *step == 2 {
		if err := b.s.Open(); err != nil {
			return fmt.Errorf("gateway: %w", err)
		}
		*step = 3
	}
	if *step == 3 {
		// Open returns once the first frame after IDENTIFY arrived, READY or not (an op 9
		// Invalid Session, after which discordgo identifies again): wait for READY.
		t := time.NewTimer(b.opts.ReadyTimeout)
		defer t.Stop()
		select {
		case <-b.readyCh:
		case <-t.C:
			return fmt.Errorf("discord: gateway: no READY within %s", b.opts.ReadyTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
		*step = 4
	}
	return b.registerCommands(ctx)
}

// identifyInterval is Discord's IDENTIFY window: max_concurrency IDENTIFYs per 5 s, one per
// bucket shard_id % max_concurrency; identifyMargin covers the shards' processes starting a
// little apart.
const (
	identifyInterval = 5 * time.Second
	identifyMargin   = time.Second
)

// identifyWait is how long a shard waits at start-up so shards started together IDENTIFY in
// turn: the shards of one bucket (shard_id % maxConcurrency) one interval (plus a margin) apart,
// in shard order. Excess IDENTIFYs get op 9, which discordgo answers by identifying again at
// once, burning the 1,000 IDENTIFYs a day.
func identifyWait(shardID, maxConcurrency int) time.Duration {
	turn := shardID / max(maxConcurrency, 1)
	return time.Duration(turn) * (identifyInterval + identifyMargin)
}

// awaitIdentifyTurn waits for this shard's turn to IDENTIFY, from GET /gateway/bot's
// max_concurrency. A single shard never waits.
func (b *Bot) awaitIdentifyTurn(ctx context.Context) error {
	if b.opts.ShardCount <= 1 || b.opts.ShardID == 0 {
		return nil
	}
	gb, err := b.s.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		return err
	}
	wait := identifyWait(b.opts.ShardID, gb.SessionStartLimit.MaxConcurrency)
	if wait <= 0 {
		return nil
	}
	b.log.Info("discord: waiting for this shard's turn to identify", "shard_id", b.opts.ShardID,
		"max_concurrency", gb.SessionStartLimit.MaxConcurrency, "wait", wait.String())
	select {
	case <-b.opts.After(wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func defaultBackoff(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 6)
	return min(d, time.Minute)
}

// retryable reports whether another attempt may succeed: not after a request Discord rejected
// (4xx other than 429), a refused token included.
func retryable(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		c := re.Response.StatusCode
		return c == http.StatusTooManyRequests || c >= 500
	}
	return !errors.Is(err, ErrTokenRefused)
}

// explain turns a connection failure into what the operator needs: a refused token, or the
// configured address (DISCORD_API_URL) that could not be reached, rather than discordgo's
// "HTTP 401 Unauthorized" or a URL on discord.com that was never dialled.
func (b *Bot) explain(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Response.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("discord: %w", ErrTokenRefused)
		}
		what := "a request"
		if re.Request != nil {
			what = re.Request.Method + " " + re.Request.URL.Path
		}
		return fmt.Errorf("discord: %s (DISCORD_API_URL) answered %s with %s: %s",
			b.opts.APIURL, what, re.Response.Status, strings.TrimSpace(string(re.ResponseBody)))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("discord: cannot reach %s (DISCORD_API_URL): %w", b.opts.APIURL, ue.Err)
	}
	return fmt.Errorf("discord: connect: %w", err)
}

// registerCommands registers the commands (shard 0 only, so N shards do not overwrite N times)
// and learns their ids, which Discord's command permissions are keyed by: the other shards
// list them.
func (b *Bot) registerCommands(ctx context.Context) error {
	if b.opts.ShardID != 0 {
		cmds, err := b.s.ApplicationCommands(b.appID, b.opts.GuildID, discordgo.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("discord: list commands: %w", err)
		}
		b.perms.setCommands(cmds)
		return nil
	}
	cmds, err := b.s.ApplicationCommandBulkOverwrite(b.appID, b.opts.GuildID, commands(), discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: register commands: %w", err)
	}
	b.perms.setCommands(cmds)
	b.log.Info("discord: commands registered", "count", len(cmds), "guild_id", b.opts.GuildID)
	return nil
}

// Ready reports whether the gateway connection is up.
func (b *Bot) Ready() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ready && !b.closing
}

// Close stops taking interactions, waits (bounded) for those in flight and for background
// edits, then closes the gateway connection.
func (b *Bot) Close() error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.inflight.Wait()
		b.bg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(b.opts.CloseTimeout):
		b.log.Warn("discord: shutdown: interactions still running after the timeout")
	}
	return b.s.Close()
}

// background runs fn after a handler, owned by the bot: Close waits for it. fn's ctx keeps
// parent's values but not its cancellation (the handler's or a scheduler pass's context may end
// first); it ends when the bot's lifetime does. Nothing starts once the bot is closing: then
// background reports false.
func (b *Bot) background(parent context.Context, fn func(ctx context.Context)) bool {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return false
	}
	b.bg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.bg.Done()
		ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
		defer cancel()
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			select {
			case <-b.done:
				cancel()
			case <-stop:
			}
		}()
		fn(ctx)
	}()
	return true
}

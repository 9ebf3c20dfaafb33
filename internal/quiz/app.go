package quiz

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultRevealAfter      = 10 * time.Minute
	DefaultDailyRevealAfter = 12 * time.Hour
	DefaultGrace            = 2 * time.Hour
)

// Options configures the use cases. Zero values take defaults.
type Options struct {
	Now         func() time.Time // the clock; default time.Now
	Logger      *slog.Logger     // default discards
	Intn        func(n int) int  // randomness for picking; default math/rand/v2
	RevealAfter time.Duration    // public /interview sessions reveal after this; default 10 min
	Grace       time.Duration    // a missed daily post or reveal is still sent this late; default 2 h
	// Publisher posts daily questions and public reveals. Without one, every post fails (and
	// is retried) with an internal error.
	Publisher Publisher
	// Codec reads and writes bank files for /bank export and import. Without one they fail
	// with an internal error.
	Codec BankCodec
	// Scheduler schedules reviews after grading (bot/ gives internal/fsrs). Without one the
	// use cases fall back to SM2.
	Scheduler Scheduler
	// Quotas bound what one server keeps; zero fields take the defaults.
	Quotas Quotas
	// RateLimits bound how often members and servers may act; nil limits nothing (bot/
	// gives DefaultRateLimits unless configured otherwise).
	RateLimits RateLimits
	// Announcer gives the champion role and posts the champion and recap announcements.
	// Without one, the Publisher is used if it implements Announcer; else they fail (and are
	// retried) with an internal error.
	Announcer Announcer
	// AfterErase, if set, is called after a member's erasure (Members.DeleteMember) commits,
	// so that the store can scrub the erased bytes (bbolt keeps them in freed pages). It must
	// return at once.
	AfterErase func()
}

// App holds the use cases, grouped by who needs them. They share one store, bank, clock and
// publisher, and are safe for concurrent use.
type App struct {
	Practice   *Practice   // members practising: ask, answer, reveal, grade, close, report
	Members    *Members    // members' streaks, the leaderboard, settings and privacy
	Daily      *DailyPosts // the daily post (moderators' /daily) and the scheduler's jobs
	Moderation *Moderation // moderators' bank, reports and the moderator role
	Mocks      *Mocks      // mock interviews, solo and in pairs
	Awards     *Awards     // the monthly champion role and the weekly recap
}

// New returns the use cases over store, with bank as the shipped bank.
func New(store Store, bank *Bank, opts Options) *App {
	return newCore(store, bank, opts).app(&imports{})
}

// core is what every use case shares.
type core struct {
	store Store
	bank  *Bank
	now   func() time.Time
	log   *slog.Logger
	intn  func(int) int
	sched Scheduler
	opts  Options

	zones   *sync.Map  // zone name -> *time.Location
	banks   *sync.Map  // GuildID -> *bankState
	shipped *bankState // the state of a server that changed nothing
	quotas  Quotas
	limiter *limiter
	ids     *sessionIDs      // reserved ahead for Ask with Show
	pending *pendingSessions // shown by Ask, not yet written
}

func newCore(store Store, bank *Bank, opts Options) *core {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Intn == nil {
		opts.Intn = rand.IntN
	}
	if opts.RevealAfter <= 0 {
		opts.RevealAfter = DefaultRevealAfter
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.Publisher == nil {
		opts.Publisher = noPublisher{}
	}
	if opts.Codec == nil {
		opts.Codec = noCodec{}
	}
	if opts.Scheduler == nil {
		opts.Scheduler = SM2{}
	}
	if opts.Announcer == nil {
		if an, ok := opts.Publisher.(Announcer); ok {
			opts.Announcer = an
		} else {
			opts.Announcer = noPublisher{}
		}
	}
	// The clock is read to the millisecond: nothing here needs finer, and a stored time of
	// whole milliseconds is 3 to 4 bytes shorter (boltstore's time encoding).
	now := opts.Now
	return &core{store: store, bank: bank, now: func() time.Time { return now().Truncate(time.Millisecond) }, log: opts.Logger, intn: opts.Intn, sched: opts.Scheduler, opts: opts,
		zones: &sync.Map{}, banks: &sync.Map{}, shipped: shippedState(bank), quotas: opts.Quotas.withDefaults(),
		limiter: newLimiter(opts.RateLimits, defaultMaxBuckets), ids: &sessionIDs{}, pending: &pendingSessions{}}
}

func (c *core) app(imp *imports) *App {
	return &App{Practice: &Practice{c}, Members: &Members{c}, Daily: &DailyPosts{c}, Moderation: &Moderation{c, imp},
		Mocks: &Mocks{c}, Awards: &Awards{c}}
}

// with returns c with another publisher or codec (nil keeps c's); the caches stay shared.
func (c *core) with(pub Publisher, codec BankCodec) *core {
	if pub == nil && codec == nil {
		return c
	}
	cc := *c
	if pub != nil {
		cc.opts.Publisher = pub
		if an, ok := pub.(Announcer); ok {
			if _, none := cc.opts.Announcer.(noPublisher); none {
				cc.opts.Announcer = an
			}
		}
	}
	if codec != nil {
		cc.opts.Codec = codec
	}
	return &cc
}

var errNoPublisher = errors.New("quiz: no Publisher in Options")

type noPublisher struct{}

func (noPublisher) PostQuestion(context.Context, QuestionPost) (MessageID, error) {
	return 0, errNoPublisher
}
func (noPublisher) PostReveal(context.Context, RevealPost) (MessageID, error) {
	return 0, errNoPublisher
}
func (noPublisher) Notify(context.Context, GuildID, UserID, string) error { return errNoPublisher }
func (noPublisher) SetRole(context.Context, GuildID, UserID, RoleID, bool) error {
	return errNoAnnouncer
}
func (noPublisher) PostAnnouncement(context.Context, Announcement) (MessageID, error) {
	return 0, errNoAnnouncer
}

var errNoAnnouncer = errors.New("quiz: no Announcer in Options")

type noCodec struct{}

func (noCodec) Parse(string, []byte) (Topic, []Question, error) {
	return Topic{}, nil, errors.New("quiz: no BankCodec in Options")
}
func (noCodec) Marshal(Topic, []Question) ([]byte, error) {
	return nil, errors.New("quiz: no BankCodec in Options")
}

// Actor is who asks for a use case, as the adapter knows them.
type Actor struct {
	Guild  GuildID
	User   UserID
	Name   string // display name, for leaderboards
	Locale string // client locale, e.g. "zh-CN"
	Roles  []RoleID
	// Manager is true when the platform says the member may manage the server (Discord's
	// Manage Server or Administrator permission, computed by the adapter from the interaction).
	Manager bool
	// Moderator is true when the platform itself grants the member the moderator commands
	// (Discord: an Integrations override for /bank or /daily, read by the adapter).
	Moderator bool
}

// lang returns the language to show a in, given their stored member m: m's override, else
// a's client locale.
func (a Actor) lang(m Member) Lang {
	if m.Lang != "" {
		return m.Lang
	}
	return LangForLocale(a.Locale)
}

// location returns the zone named by an IANA name; "", "UTC" and unknown names give UTC.
func (c *core) location(name string) *time.Location {
	if name == "" || name == "UTC" {
		return time.UTC
	}
	if l, ok := c.zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	c.zones.Store(name, l)
	return l
}

// ParseZone validates an IANA time zone name for storing.
func ParseZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "local") {
		return nil, Errorf(EINVALID, "settings.zone_required")
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "settings.zone_unknown", quote(name))
	}
	return l, nil
}

// memberZone is the zone a member's days are counted in: theirs, else the server's, else UTC.
func (c *core) memberZone(m Member, g Guild) *time.Location {
	if m.TZ != "" {
		return c.location(m.TZ)
	}
	return c.location(g.TZ)
}

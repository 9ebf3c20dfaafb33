package main

import (
	"time"

	"github.com/interviewbot/interviewbot/internal/discord"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/internal/schedule"
)

// options are what a caller of run may change besides the configuration: the clock, and ways
// to observe the running bot. main passes none; the end-to-end tests drive time and watch
// interactions through them.
type options struct {
	clock schedule.Clock // default: the real clock
	// noScheduler leaves the periodic tasks to the caller (app.runOnce).
	noScheduler bool
	// globalRate overrides the bot's REST rate (requests per second).
	globalRate int
	// deferAfter overrides how long a handler runs before the bot defers.
	deferAfter time.Duration
	// interactionDone are called after each interaction is logged and counted.
	interactionDone []func()
	// wrapUseCases wraps the domain under the Discord adapter (to slow it down or observe it).
	wrapUseCases func(discord.UseCases) discord.UseCases
	// started are called once the bot serves, with the running app.
	started []func(*app)
	// connectBackoff overrides the wait before each new attempt to reach Discord at start-up.
	connectBackoff func(attempt int) time.Duration
	// identifyAfter overrides the wait for a shard's turn to IDENTIFY (default time.After).
	identifyAfter func(time.Duration) <-chan time.Time
	// bank is the shipped question bank, already loaded: used unless QUESTIONS_DIR is set
	// (the end-to-end tests load it once per process instead of at every start).
	bank *quiz.Bank
	// eraseCompacted are called after each compaction that answers members' erasures.
	eraseCompacted []func(error)
}

// An option changes one of run's options; later options win.
type option func(*options)

func newOptions(opts []option) options {
	o := options{clock: schedule.RealClock{}}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// withClock runs the bot, its domain and its scheduler on c.
func withClock(c schedule.Clock) option { return func(o *options) { o.clock = c } }

// withoutScheduler starts no scheduler: the caller runs the periodic tasks (app.runOnce).
func withoutScheduler() option { return func(o *options) { o.noScheduler = true } }

// withGlobalRate sets the bot's REST rate, in requests per second.
func withGlobalRate(perSecond int) option { return func(o *options) { o.globalRate = perSecond } }

// withDeferAfter sets how long a handler runs before the bot defers its interaction.
func withDeferAfter(d time.Duration) option { return func(o *options) { o.deferAfter = d } }

// onInteractionDone calls f after each interaction is logged and counted.
func onInteractionDone(f func()) option {
	return func(o *options) { o.interactionDone = append(o.interactionDone, f) }
}

// withUseCases wraps the domain the Discord adapter is given.
func withUseCases(wrap func(discord.UseCases) discord.UseCases) option {
	return func(o *options) { o.wrapUseCases = wrap }
}

// onStarted calls f once the bot serves, with the running app.
func onStarted(f func(*app)) option { return func(o *options) { o.started = append(o.started, f) } }

// withConnectBackoff sets the wait before each new attempt to reach Discord at start-up.
func withConnectBackoff(f func(attempt int) time.Duration) option {
	return func(o *options) { o.connectBackoff = f }
}

// withIdentifyAfter sets how a shard waits for its turn to IDENTIFY.
func withIdentifyAfter(f func(time.Duration) <-chan time.Time) option {
	return func(o *options) { o.identifyAfter = f }
}

// onEraseCompacted calls f after each compaction that answers members' erasures, with its error.
func onEraseCompacted(f func(error)) option {
	return func(o *options) { o.eraseCompacted = append(o.eraseCompacted, f) }
}

// withBank serves the given shipped bank instead of loading it (unless QUESTIONS_DIR is set).
func withBank(b *quiz.Bank) option { return func(o *options) { o.bank = b } }

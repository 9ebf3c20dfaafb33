package discord

import (
	"context"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Recording a posted question's message.
//
// A public /interview learns its message id from the callback, after the member has the
// question, and the session must record it (for the answered count and the reveal). Written at
// once, each /interview would commit twice, and the second commit, which no one waits for,
// queues on the disk in front of the next member's question. So the ids are gathered for
// sessionMsgDelay and written together: the store's group commit turns writers that arrive
// together into one commit. Nothing needs the id that soon: a click on the question carries
// its message, and the reveal is minutes away. Close waits for the last write (background).

// sessionMsgDelay is how long a posted question's message id waits to be written with others.
const sessionMsgDelay = 50 * time.Millisecond

// maxPendingSessionMsgs caps the ids waiting; beyond it a caller writes its own at once.
const maxPendingSessionMsgs = 10000

type sessionMsg struct {
	g   quiz.GuildID
	sid quiz.SessionID
	ch  quiz.ChannelID
	msg quiz.MessageID
}

type sessionMsgs struct {
	mu        sync.Mutex
	pending   []sessionMsg
	scheduled bool
}

// recordSessionMessage records that session sid was posted as msg in ch: soon, with others.
func (b *Bot) recordSessionMessage(ctx context.Context, g quiz.GuildID, sid quiz.SessionID, ch quiz.ChannelID, msg quiz.MessageID) error {
	sm := &b.sessionMsgs
	sm.mu.Lock()
	if len(sm.pending) >= maxPendingSessionMsgs {
		sm.mu.Unlock()
		return b.practice.SetSessionMessage(ctx, g, sid, ch, msg)
	}
	sm.pending = append(sm.pending, sessionMsg{g, sid, ch, msg})
	if sm.scheduled {
		sm.mu.Unlock()
		return nil
	}
	sm.scheduled = true
	sm.mu.Unlock()
	if !b.background(ctx, b.flushSessionMessages) {
		// Closing: no background work starts, so write what waits now.
		b.flushSessionMessages(ctx)
	}
	return nil
}

// flushSessionMessages waits sessionMsgDelay (less if the bot's lifetime ends), then writes
// every id waiting, concurrently, so that they share commits.
func (b *Bot) flushSessionMessages(ctx context.Context) {
	t := time.NewTimer(sessionMsgDelay)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
	}
	sm := &b.sessionMsgs
	sm.mu.Lock()
	batch := sm.pending
	sm.pending, sm.scheduled = nil, false
	sm.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, m := range batch {
		wg.Go(func() {
			if err := b.practice.SetSessionMessage(ctx, m.g, m.sid, m.ch, m.msg); err != nil {
				b.log.Error("could not record a posted question", "guild_id", m.g, "session_id", m.sid, "err", err)
			}
		})
	}
	wg.Wait()
}

package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Every per-key map the bot keeps is bounded: by a size cap with eviction, by a time to live,
// or both. These tests fill each past its cap.

func TestDraftsBounded(t *testing.T) {
	var d drafts
	a := quiz.Actor{Guild: 1, User: 2}
	first := d.put(draft{guild: a.Guild, user: a.User})
	for range maxDrafts + 4 {
		d.put(draft{guild: a.Guild, user: a.User})
	}
	if got := len(d.m); got != maxDrafts {
		t.Errorf("after %d drafts, %d kept; want %d", maxDrafts+5, got, maxDrafts)
	}
	if _, err := d.get(first, a); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("get(the oldest draft) = %v; want ENOTFOUND (evicted)", err)
	}
	d.update(first, draft{guild: a.Guild, user: a.User})
	if _, ok := d.m[first]; ok {
		t.Error("update brought an evicted draft back")
	}
	// Expired drafts go at the next put.
	for id, x := range d.m {
		x.expires = time.Now().Add(-time.Second)
		d.m[id] = x
	}
	d.put(draft{guild: a.Guild, user: a.User})
	if got := len(d.m); got != 1 {
		t.Errorf("after every draft expired and one more was put, %d kept; want 1", got)
	}
}

func TestBlockedBounded(t *testing.T) {
	now := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	bl := blocked{now: func() time.Time { return now }}
	refused := errors.New("refused")
	for i := range maxBlocked + 1 {
		bl.set(fmt.Sprint(i), "g", refused)
		now = now.Add(time.Millisecond)
	}
	if got := len(bl.m); got != maxBlocked {
		t.Errorf("after %d blocked channels, %d kept; want %d", maxBlocked+1, got, maxBlocked)
	}
	if err := bl.get("0"); err != nil {
		t.Errorf("get(the oldest block) = %v; want nil (evicted)", err)
	}
	if err := bl.get(fmt.Sprint(maxBlocked)); err != refused {
		t.Errorf("get(the newest block) = %v; want %v", err, refused)
	}
	now = now.Add(blockedTTL)
	if err := bl.get(fmt.Sprint(maxBlocked)); err != nil {
		t.Errorf("get after %v = %v; want nil (expired)", blockedTTL, err)
	}
	bl.set("new", "g", refused)
	if got := len(bl.m); got > maxBlocked {
		t.Errorf("%d kept; want at most %d", got, maxBlocked)
	}
}

func TestCmdPermsBounded(t *testing.T) {
	now := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	c := newCmdPerms()
	c.now = func() time.Time { return now }
	for i := range maxCmdPermGuilds + 1 {
		c.store(fmt.Sprint(i), map[string][]*discordgo.ApplicationCommandPermissions{})
		now = now.Add(time.Millisecond)
	}
	if got := len(c.guilds); got != maxCmdPermGuilds {
		t.Errorf("after %d servers, %d kept; want %d", maxCmdPermGuilds+1, got, maxCmdPermGuilds)
	}
	if _, ok := c.cached("0"); ok {
		t.Error("the least recently read server is still cached")
	}
	last := fmt.Sprint(maxCmdPermGuilds)
	if _, ok := c.cached(last); !ok {
		t.Error("the last server read is not cached")
	}
	// An update keeps a cached server current; after the TTL the server is read again.
	c.update(&discordgo.GuildApplicationCommandPermissions{ID: "7", GuildID: last,
		Permissions: []*discordgo.ApplicationCommandPermissions{{ID: "9", Type: overrideRole, Permission: true}}})
	if ov, _ := c.cached(last); len(ov["7"]) != 1 {
		t.Errorf("after an update, overrides = %v; want command 7's", ov)
	}
	now = now.Add(cmdPermsTTL)
	if _, ok := c.cached(last); ok {
		t.Errorf("overrides read %v ago are still used", cmdPermsTTL)
	}
}

func TestCountEditsBounded(t *testing.T) {
	b := &Bot{log: slog.New(slog.DiscardHandler), edits: map[editKey]*pendingEdit{}, done: make(chan struct{})}
	for i := range maxPendingEdits {
		b.edits[editKey{1, quiz.SessionID(i)}] = &pendingEdit{}
	}
	b.scheduleCountEdit(context.Background(), 1, maxPendingEdits+1)
	if got := len(b.edits); got != maxPendingEdits {
		t.Errorf("with %d edits pending, one more made %d; want %d", maxPendingEdits, got, maxPendingEdits)
	}
	// A session already pending is marked dirty, not added.
	b.scheduleCountEdit(context.Background(), 1, 0)
	if !b.edits[editKey{1, 0}].dirty || len(b.edits) != maxPendingEdits {
		t.Errorf("a second edit of a pending session: dirty %v, %d pending", b.edits[editKey{1, 0}].dirty, len(b.edits))
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestEraseEndToEnd: /privacy delete through the fake Discord and the real wiring. The first
// erasure after a quiet spell compacts the file at once; the next, within 10 minutes of it,
// waits for the 10 minutes, but a backup taken meanwhile, through the running bot's /backup,
// already holds none of it; after the 10 minutes the live file holds none of it either. Other
// members' answers stay in both.
func TestEraseEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	carol := discordtest.User{ID: "300000000000000011", Username: "carol", Locale: "en-US", Permissions: "0"}
	compacted := make(chan error, 4)
	tokenFile := opsTokenFile(t)
	b := e.startEnv([]string{"BACKUP_TOKEN_FILE", tokenFile}, onEraseCompacted(func(err error) { compacted <- err }))
	// Distinctive 3,000-character answers: any page left of one holds its marker.
	answer := func(marker string) string { return strings.Repeat(marker+" ", 3000/(len(marker)+1)) }
	carolText, adaText, bobText := answer("carol-erased-first"), answer("ada-erased-later"), answer("bob-kept-answer")
	e.answerPrivately(carol, carolText)
	e.answerPrivately(ada, adaText)
	e.answerPrivately(bob, bobText)
	inFile := func(path, marker string) bool {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Contains(data, []byte(marker))
	}
	if !inFile(e.db, "ada-erased-later") || !inFile(e.db, "carol-erased-first") {
		t.Fatal("the answers are not in the database file before the erasure: the test cannot see them go")
	}
	waitCompacted := func(what string) {
		t.Helper()
		select {
		case err := <-compacted:
			if err != nil {
				t.Fatalf("%s: the compaction failed: %v", what, err)
			}
		case <-e.ctx.Done():
			t.Fatalf("%s: no compaction; logs:\n%s", what, b.logs.String())
		}
	}

	e.forget(carol)
	waitCompacted("the first erasure")
	if inFile(e.db, "carol-erased-first") {
		t.Error("carol's erased answer is still in the database file after the compaction")
	}

	e.forget(ada)
	// The erasure is answered 10 minutes after the last compaction: the job now waits on the
	// clock (nothing else in the bot waits on it, the scheduler being off in tests).
	<-e.clock.Waiting()
	select {
	case <-compacted:
		t.Fatal("a second compaction within 10 minutes of the first")
	default:
	}
	t.Logf("before the compaction, ada's erased answer is in the live file: %v", inFile(e.db, "ada-erased-later"))
	dest := filepath.Join(t.TempDir(), "after-erase.db")
	var stdout, stderr bytes.Buffer
	env := opsEnv(map[string]string{"HTTP_ADDR": strings.TrimPrefix(b.app.httpURL, "http://"), "BACKUP_TOKEN_FILE": tokenFile})
	if code := runBackup([]string{"-db", e.db, "-wait", "50ms", dest}, env, &stdout, &stderr); code != 0 {
		t.Fatalf("backup: exit %d, stderr:\n%s", code, stderr.String())
	}
	if inFile(dest, "ada-erased-later") || inFile(dest, "carol-erased-first") {
		t.Error("a backup taken after the erasures holds an erased answer")
	}
	if !inFile(dest, "bob-kept-answer") {
		t.Error("the backup lost bob's answer")
	}

	e.clock.Advance(10 * time.Minute)
	waitCompacted("10 minutes after the first")
	if inFile(e.db, "ada-erased-later") {
		t.Error("ada's erased answer is still in the database file 10 minutes after /privacy delete")
	}
	if !inFile(e.db, "bob-kept-answer") {
		t.Error("the compaction lost bob's answer")
	}
	if n := strings.Count(b.logs.String(), "boltstore: compacted"); n != 2 {
		t.Errorf("%d compactions logged; want 2", n)
	}
}

// forget runs u's /privacy delete and confirms it.
func (e *env) forget(u discordtest.User) {
	e.t.Helper()
	ask := e.fake.Slash(guildA, channelA, u, "privacy", sub("delete"))
	r := e.wait(ask)
	msg, _ := ask.Original()
	done := e.wait(e.fake.Click(guildA, channelA, u, msg.ID, customIDs(e.t.(*testing.T), r.Components)["forget"]))
	if !strings.Contains(done.Content, "was deleted") {
		e.t.Fatalf("confirm = %q", done.Content)
	}
}

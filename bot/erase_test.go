package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestEraseCompactsEndToEnd: a member's /privacy delete compacts the database file at once
// (the first erasure after a quiet spell), so the bytes of their answer are gone from the file,
// while another member's answer stays.
func TestEraseCompactsEndToEnd(t *testing.T) {
	e := newEnv(t)
	b := e.start(hooks{})
	adaText := strings.Repeat("ada-erasable-answer ", 150)
	bobText := strings.Repeat("bob-kept-answer ", 150)
	e.answerPrivately(ada, adaText)
	e.answerPrivately(bob, bobText)
	if data, _ := os.ReadFile(e.db); !bytes.Contains(data, []byte("ada-erasable-answer")) {
		t.Fatal("ada's answer is not in the database file before the erasure: the test cannot see it go")
	}

	ask := e.fake.Slash(guildA, channelA, ada, "privacy", sub("delete"))
	r := e.wait(ask)
	msg, _ := ask.Original()
	if done := e.wait(e.fake.Click(guildA, channelA, ada, msg.ID, customIDs(t, r.Components)["forget"])); !strings.Contains(done.Content, "was deleted") {
		t.Fatalf("confirm = %q", done.Content)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, err := os.ReadFile(e.db)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("ada-erasable-answer")) {
			if !bytes.Contains(data, []byte("bob-kept-answer")) {
				t.Fatal("the compaction lost bob's answer")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ada's erased answer is still in the database file 20 s after /privacy delete; logs:\n%s", b.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(b.logs.String(), "boltstore: compacted") {
		t.Errorf("no compaction logged:\n%s", b.logs.String())
	}
}

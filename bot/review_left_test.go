package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReviewSkipsDisabledQuestion: a member graded two questions; a moderator then disables
// the one due first. /review must neither ask it nor say "the next review is due" at a time
// already past: it says the review was skipped, and when the real next one is, as a Discord
// timestamp each client shows in its own zone.
func TestReviewSkipsDisabledQuestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start()
	graded := func(grade string) string { // answers a private tcp question, grades it, returns its id
		t.Helper()
		ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"), opt("private", true))
		r := e.wait(ask)
		qm, _ := ask.Original()
		if len(r.Embeds) == 0 || r.Embeds[0].Footer == nil {
			t.Fatalf("the question names no id: %s", embedText(r.Embeds))
		}
		id := r.Embeds[0].Footer.Text
		form := e.wait(e.fake.Click(guildA, channelA, ada, qm.ID, customIDs(t, r.Components)["answer"]))
		submit := e.fake.SubmitModalOnMessage(guildA, channelA, ada, qm.ID, form.ModalCustomID, map[string]string{"answer": "mine"})
		answered := e.final(submit)
		reply, _ := submit.Original()
		e.final(e.fake.Click(guildA, channelA, ada, reply.ID, customIDs(t, answered.Components)["grade:"+grade]))
		return id
	}
	soon := graded("again") // due in minutes
	graded("easy")          // due in days
	e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("disable", opt("id", soon))))
	e.clock.Advance(24 * time.Hour)

	rv := e.final(e.fake.Slash(guildA, channelA, ada, "review"))
	if rv.Flags&64 == 0 || !strings.Contains(rv.Content, "Reviews skipped because their question left the bank: 1.") ||
		!regexp.MustCompile(`The next review is due <t:\d+:f> \(<t:\d+:R>\)\.`).MatchString(rv.Content) {
		t.Fatalf("/review after %s was disabled = %q; want the skip said and the next review as a timestamp", soon, rv.Content)
	}
	m := regexp.MustCompile(`<t:(\d+):f>`).FindStringSubmatch(rv.Content)
	unix, _ := strconv.ParseInt(m[1], 10, 64)
	if now := e.clock.Now(); !time.Unix(unix, 0).After(now) {
		t.Errorf("the next review is due %s, not after now (%s)", time.Unix(unix, 0).UTC(), now)
	}
}

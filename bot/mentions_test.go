package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// mentionProblems checks every request the bot sent that creates or edits a message: a channel
// post or edit, an interaction reply or update (callback types 4 and 7), a follow-up, or an edit
// of @original or a follow-up. Each must carry allowed_mentions with an empty parse list and no
// users; a role is allowed only on a channel post (the daily post's chosen role), one at most.
// Edits that change neither content nor embeds need none. It returns how many messages it checked.
func mentionProblems(reqs []discordtest.Request) (int, []string) {
	var probs []string
	checked := 0
	for _, r := range reqs {
		segs := strings.Split(strings.TrimPrefix(r.Path, "/api/v9/"), "/")
		var body map[string]json.RawMessage
		channelPost := false
		switch {
		case segs[0] == "channels" && len(segs) == 3 && segs[2] == "messages" && r.Method == "POST":
			channelPost = true
			_ = json.Unmarshal(r.Body, &body)
		case segs[0] == "channels" && len(segs) == 4 && segs[2] == "messages" && r.Method == "PATCH",
			segs[0] == "webhooks" && len(segs) == 3 && r.Method == "POST",
			segs[0] == "webhooks" && len(segs) == 5 && segs[3] == "messages" && r.Method == "PATCH":
			_ = json.Unmarshal(r.Body, &body)
		case segs[0] == "interactions" && len(segs) == 4 && segs[3] == "callback" && r.Method == "POST":
			var cb struct {
				Type int                        `json:"type"`
				Data map[string]json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(r.Body, &cb); err != nil || (cb.Type != 4 && cb.Type != 7) {
				continue
			}
			body = cb.Data
		default:
			continue
		}
		where := fmt.Sprintf("%s %s %.120s", r.Method, r.Path, r.Body)
		create := r.Method == "POST"
		if body == nil {
			probs = append(probs, where+": not a JSON object")
			continue
		}
		raw, ok := body["allowed_mentions"]
		if !ok || string(raw) == "null" {
			_, content := body["content"]
			_, embeds := body["embeds"]
			if create || content || embeds {
				probs = append(probs, where+": no allowed_mentions")
			}
			continue
		}
		checked++
		var am struct {
			Parse       *[]string `json:"parse"`
			Users       []string  `json:"users"`
			Roles       []string  `json:"roles"`
			RepliedUser bool      `json:"replied_user"`
		}
		if err := json.Unmarshal(raw, &am); err != nil {
			probs = append(probs, where+": allowed_mentions: "+err.Error())
			continue
		}
		switch {
		case am.Parse == nil || len(*am.Parse) != 0:
			probs = append(probs, fmt.Sprintf("%s: allowed_mentions %s; want an empty parse list", where, raw))
		case len(am.Users) > 0 || am.RepliedUser:
			probs = append(probs, fmt.Sprintf("%s: allowed_mentions %s pings users", where, raw))
		case len(am.Roles) > 1 || (len(am.Roles) == 1 && !channelPost):
			probs = append(probs, fmt.Sprintf("%s: allowed_mentions %s pings roles", where, raw))
		}
	}
	return checked, probs
}

// auditMentions runs mentionProblems over everything the bot sent in an end-to-end test; newEnv
// registers it, so every end-to-end run is audited.
func auditMentions(t testing.TB, fake *discordtest.Server) {
	t.Helper()
	if _, probs := mentionProblems(fake.Requests()); len(probs) > 0 {
		t.Errorf("%d message(s) without safe allowed_mentions:\n\t%s", len(probs), strings.Join(probs, "\n\t"))
	}
}

// TestMentionAudit: the audit catches each way a message could ping, and passes safe ones.
func TestMentionAudit(t *testing.T) {
	req := func(method, path, body string) discordtest.Request {
		return discordtest.Request{Method: method, Path: "/api/v9/" + path, Body: json.RawMessage(body)}
	}
	safe := `"allowed_mentions":{"parse":[]}`
	for _, c := range []struct {
		name string
		r    discordtest.Request
		bad  bool
	}{
		{"reply", req("POST", "interactions/1/tok/callback", `{"type":4,"data":{"content":"hi",`+safe+`}}`), false},
		{"reply without", req("POST", "interactions/1/tok/callback", `{"type":4,"data":{"content":"@everyone"}}`), true},
		{"update without", req("POST", "interactions/1/tok/callback", `{"type":7,"data":{"content":"x"}}`), true},
		{"modal", req("POST", "interactions/1/tok/callback", `{"type":9,"data":{"custom_id":"x"}}`), false},
		{"deferral", req("POST", "interactions/1/tok/callback", `{"type":5}`), false},
		{"follow-up parsing everyone", req("POST", "webhooks/1/tok", `{"content":"x","allowed_mentions":{"parse":["everyone"]}}`), true},
		{"follow-up parsing users", req("POST", "webhooks/1/tok", `{"content":"x","allowed_mentions":{"parse":["users"]}}`), true},
		{"edit with a user", req("PATCH", "webhooks/1/tok/messages/@original", `{"content":"x","allowed_mentions":{"parse":[],"users":["5"]}}`), true},
		{"edit of components only", req("PATCH", "webhooks/1/tok/messages/@original", `{"components":[]}`), false},
		{"edit of content without", req("PATCH", "channels/1/messages/2", `{"content":"x"}`), true},
		{"allowed_mentions without parse", req("POST", "channels/1/messages", `{"content":"x","allowed_mentions":{}}`), true},
		{"daily post with its role", req("POST", "channels/1/messages", `{"content":"x","allowed_mentions":{"parse":[],"roles":["7"]}}`), false},
		{"reply with a role", req("POST", "interactions/1/tok/callback", `{"type":4,"data":{"content":"x","allowed_mentions":{"parse":[],"roles":["7"]}}}`), true},
		{"not a message", req("GET", "channels/1/messages/2", ``), false},
	} {
		if _, probs := mentionProblems([]discordtest.Request{c.r}); (len(probs) > 0) != c.bad {
			t.Errorf("%s: problems %v; want bad = %v", c.name, probs, c.bad)
		}
	}
}

// TestEveryMessageSetsAllowedMentions runs the flows that send every kind of message (public
// and private replies, deferred replies, updates, follow-ups, file replies, the reveal and the
// daily post with its role) and checks all of them; the same audit runs after every other
// end-to-end test.
func TestEveryMessageSetsAllowedMentions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRole(guildA, discordtest.Role{ID: "400000000000000001", Name: "daily", Mentionable: true})
	b := e.start()
	e.final(e.fake.Slash(guildA, channelA, mod, "daily", sub("setup", chanOpt("channel", channelA), opt("time", "08:30"),
		opt("timezone", "UTC"), discordtestRole("role", "400000000000000001"))))
	ask := e.fake.Slash(guildA, channelA, ada, "interview", opt("topic", "tcp"))
	r := e.wait(ask)
	q, _ := ask.Original()
	m := e.wait(e.fake.Click(guildA, channelA, bob, q.ID, customIDs(t, r.Components)["answer"]))
	e.final(e.fake.SubmitModalOnMessage(guildA, channelA, bob, q.ID, m.ModalCustomID, map[string]string{"answer": "@everyone <@&1> <@2>"}))
	e.final(e.fake.Click(guildA, channelA, bob, q.ID, customIDs(t, r.Components)["reveal"]))
	e.final(e.fake.Click(guildA, channelA, ada, q.ID, customIDs(t, r.Components)["next"]))
	e.answerPrivately(ada, "private")
	e.final(e.fake.Slash(guildA, channelA, ada, "leaderboard"))
	e.final(e.fake.Slash(guildA, channelA, ada, "privacy", sub("export")))
	e.final(e.fake.Slash(guildA, channelA, mod, "bank", sub("export")))
	e.final(e.fake.Slash(guildA, channelA, ada, "bank", sub("list"))) // an error reply
	e.clock.Advance(time.Hour)
	b.app.runOnce(e.ctx) // the daily post and the reveal
	e.settle(b)
	if n := len(e.fake.Messages(channelA)); n < 2 {
		t.Fatalf("%d channel posts; want the daily post and a reveal", n)
	}
	checked, probs := mentionProblems(e.fake.Requests())
	if len(probs) > 0 {
		t.Fatalf("unsafe messages:\n\t%s", strings.Join(probs, "\n\t"))
	}
	if checked < 15 {
		t.Fatalf("only %d messages checked; the flows above send more", checked)
	}
}

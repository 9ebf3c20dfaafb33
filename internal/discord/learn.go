package discord

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// The learning aids (issue 14): hints before answering, the key-point checklist and its
// suggested grade after, /progress as a picture, weak topics and the retention setting.

// hint shows the next key point of a question to the clicker, privately.
func (b *Bot) hint(ctx context.Context, r *responder, c customID) error {
	h, err := b.practice.Hint(ctx, r.actor, quiz.SessionID(c.ID))
	if err != nil {
		return err
	}
	b.rememberMessage(ctx, r, h.Session)
	return r.reply(ctx, hintMessage(h))
}

// check records the key points a member ticked and rewrites their private answer message with
// the suggested grade, which they accept with its button or override with another.
func (b *Bot) check(ctx context.Context, r *responder, c customID) error {
	sid := quiz.SessionID(c.ID)
	covered, err := tickedPoints(r.i.MessageComponentData().Values)
	if err != nil {
		return err
	}
	sug, err := b.practice.Check(ctx, r.actor, sid, covered)
	if err != nil {
		return err
	}
	_, q, err := b.practice.Session(ctx, r.actor.Guild, sid)
	if err != nil {
		return err
	}
	iv, err := b.practice.Intervals(ctx, r.actor, sid)
	if err != nil {
		return err
	}
	var embeds []*discordgo.MessageEmbed
	if r.i.Message != nil {
		embeds = r.i.Message.Embeds
	}
	return r.updateMessage(ctx, suggestionMessage(sug, q, sid, iv, embeds))
}

// tickedPoints reads a checklist's values: key point indexes as the options carry them.
func tickedPoints(values []string) ([]int, error) {
	out := make([]int, 0, len(values))
	for _, v := range values {
		i, err := strconv.Atoi(v)
		if err != nil {
			return nil, quiz.Errorf(quiz.EINVALID, "Key point %s does not exist.", v)
		}
		out = append(out, i)
	}
	return out, nil
}

// progress replies with the member's progress: the picture as an attachment shown in the
// embed, the same facts as text, and a button to practise the weakest topic.
func (b *Bot) progress(ctx context.Context, r *responder, _ opts) error {
	if b.opts.Chart == nil {
		return errors.New("discord: no chart renderer configured")
	}
	p, err := b.members.Progress(ctx, r.actor)
	if err != nil {
		return err
	}
	png, err := b.opts.Chart.Render(p)
	if err != nil {
		return err
	}
	return r.reply(ctx, progressMessage(p, b.opts.Chart.Text(p), png))
}

// practiseWeak asks a question from the clicker's weakest topic, privately.
func (b *Bot) practiseWeak(ctx context.Context, r *responder, _ customID) error {
	return b.ask(ctx, r, quiz.AskRequest{Weak: true, Private: true})
}

func (b *Bot) setRetention(ctx context.Context, r *responder, o opts) error {
	v, err := b.members.SetRetention(ctx, r.actor, o.str("target"))
	if err != nil {
		return err
	}
	return r.reply(ctx, message{Content: retentionSet(b.members.Lang(ctx, r.actor), v), Ephemeral: true})
}

// weakChoice is the autocomplete entry for /interview weak, offered while what was typed could
// still become "weak" and no topic of the bank has that name.
func weakChoice(l quiz.Lang, typed string, topics []quiz.Topic) *discordgo.ApplicationCommandOptionChoice {
	if !strings.HasPrefix(quiz.TopicWeak, strings.ToLower(strings.TrimSpace(typed))) {
		return nil
	}
	for _, t := range topics {
		if t.Slug == quiz.TopicWeak {
			return nil
		}
	}
	return &discordgo.ApplicationCommandOptionChoice{Name: tr(l, "weak · your weakest topic", "weak · 你最薄弱的主题"), Value: quiz.TopicWeak}
}

package discordtest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/internal/discord/discordtest"
)

// TestCallbackWithFile: an interaction callback may carry files as multipart/form-data
// (payload_json plus files[n]), as Discord accepts on Create Interaction Response. The message
// carries the file as an attachment served at its URL, an embed's attachment://name image
// comes back as that URL, an edit without files keeps it, and a click on the message sees it.
func TestCallbackWithFile(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	i := s.Slash(guildID, channelID, member, "progress")
	ic := recv(t, ics)
	png := []byte("\x89PNG\r\n\x1a\nfake picture")
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          []*discordgo.MessageEmbed{{Title: "Progress", Image: &discordgo.MessageEmbedImage{URL: "attachment://progress.png"}}},
			Files:           []*discordgo.File{{Name: "progress.png", ContentType: "image/png", Reader: bytes.NewReader(png)}},
			AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
		},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatalf("InteractionRespond with a file = %v", err)
	}
	m, ok := i.Original()
	if !ok || len(m.Attachments) != 1 {
		t.Fatalf("Original() = %+v; want one attachment", m)
	}
	a := m.Attachments[0]
	if a.Filename != "progress.png" || a.ContentType != "image/png" || a.Size != len(png) || !bytes.Equal(a.Data, png) {
		t.Errorf("attachment = %+v", a)
	}
	if len(m.Embeds) != 1 || m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != a.URL {
		t.Errorf("embed image = %+v; want the attachment's URL %s", m.Embeds[0].Image, a.URL)
	}
	resp, err := http.Get(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, png) {
		t.Errorf("GET %s = %q; want the file", a.URL, body)
	}

	content := "edited"
	if _, err := dg.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()},
		discordgo.WithContext(ctx(t))); err != nil {
		t.Fatal(err)
	}
	if m, _ := i.Original(); len(m.Attachments) != 1 || m.Attachments[0].ID != a.ID {
		t.Errorf("after an edit without files: attachments %+v; want the file kept", m.Attachments)
	}

	s.Click(guildID, channelID, member, m.ID, "v1:weak:0")
	click := recv(t, ics)
	if click.Message == nil || len(click.Message.Attachments) != 1 || click.Message.Attachments[0].Filename != "progress.png" {
		t.Errorf("the clicked message = %+v; want its attachment", click.Message)
	}
}

// TestEmbedNamesMissingFile: an embed naming attachment://x without such a file is the bot's
// mistake (Discord shows no image); a file over the attachment size limit is refused with 40005.
func TestEmbedNamesMissingFile(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("no file of that name")
	s.ExpectViolation("attachment_size_limit")
	dg, ics := connect(t, s)
	s.Slash(guildID, channelID, member, "progress")
	ic := recv(t, ics)
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          []*discordgo.MessageEmbed{{Title: "Progress", Image: &discordgo.MessageEmbedImage{URL: "attachment://chart.png"}}},
			Files:           []*discordgo.File{{Name: "progress.png", ContentType: "image/png", Reader: strings.NewReader("png")}},
			AllowedMentions: noMentions(),
		},
	}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], "attachment://chart.png") {
		t.Errorf("Violations() = %q; want the missing attachment", v)
	}

	s.Slash(guildID, channelID, member, "progress")
	ic = recv(t, ics)
	err = dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "big",
			Files:           []*discordgo.File{{Name: "big.png", ContentType: "image/png", Reader: bytes.NewReader(make([]byte, 10<<20+1))}},
			AllowedMentions: noMentions()},
	}, discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 40005 {
		t.Errorf("a file over 10 MiB = %v; want 40005", err)
	}
}

// TestSelectOptionLimits: a member picks options of a string select; the interaction carries the values.
// Options over Discord's limits (label, value, description 100 characters) are refused.
func TestSelectOptionLimits(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	s.ExpectViolation("label")
	dg, ics := connect(t, s)
	i := s.Slash(guildID, channelID, member, "interview")
	ic := recv(t, ics)
	menu := func(label string) []discordgo.MessageComponent {
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: "v1:check:1", MinValues: new(int), MaxValues: 3,
			Options: []discordgo.SelectMenuOption{{Label: label, Value: "0", Description: strings.Repeat("d", 100)}, {Label: "2. b", Value: "1"}, {Label: "3. c", Value: "2"}},
		}}}}
	}
	err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "x", Components: menu("1. a"), AllowedMentions: noMentions()}},
		discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = dg.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "x", Components: menu(strings.Repeat("l", 101)), AllowedMentions: noMentions()},
		discordgo.WithContext(ctx(t)))
	if got := restCode(err); got != 50035 {
		t.Fatalf("a 101-character option label = %v; want 50035", err)
	}
	orig, _ := i.Original()
	s.Select(guildID, channelID, member, orig.ID, "v1:check:1", []string{"0", "2"})
	got := recv(t, ics)
	d := got.MessageComponentData()
	if d.ComponentType != discordgo.SelectMenuComponent || d.CustomID != "v1:check:1" || strings.Join(d.Values, ",") != "0,2" {
		t.Errorf("select interaction = %+v", d)
	}
	if _, err := s.Select(guildID, channelID, member, orig.ID, "v1:check:1", []string{"7"}).Wait(ctx(t)); !errors.Is(err, discordtest.ErrSelectInvalid) {
		t.Errorf("Select of a value the menu does not offer: Wait() = %v; want ErrSelectInvalid", err)
	}
}

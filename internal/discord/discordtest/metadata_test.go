package discordtest_test

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestInteractionMetadata: a message an interaction's response or follow-up created carries
// interaction_metadata naming the user who triggered it (and, on a follow-up, the original
// response), and keeps it when a click updates the message; a form's reply names the
// interaction that opened the form. discordgo decodes it as the bot sees it.
func TestInteractionMetadata(t *testing.T) {
	t.Parallel()
	s := newFake(t)
	dg, ics := connect(t, s)
	respond := func(ic *discordgo.InteractionCreate, typ discordgo.InteractionResponseType, d *discordgo.InteractionResponseData) {
		t.Helper()
		if err := dg.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: typ, Data: d}, discordgo.WithContext(ctx(t))); err != nil {
			t.Fatal(err)
		}
	}
	button := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Go", Style: discordgo.PrimaryButton, CustomID: "v1:go:1"}}}}
	slash := s.Slash(guildID, channelID, member, "streak")
	sic := recv(t, ics)
	respond(sic, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
		Content: "private", Flags: discordgo.MessageFlagsEphemeral, Components: button, AllowedMentions: noMentions()})
	orig, _ := slash.Original()
	fm, err := dg.FollowupMessageCreate(sic.Interaction, true, &discordgo.WebhookParams{Content: "more", Components: button, AllowedMentions: noMentions()}, discordgo.WithContext(ctx(t)))
	if err != nil {
		t.Fatal(err)
	}

	click := s.Click(guildID, channelID, member, orig.ID, "v1:go:1")
	cic := recv(t, ics)
	md := cic.Message.InteractionMetadata
	if md == nil || md.ID != slash.ID || md.Type != discordgo.InteractionApplicationCommand || md.User == nil || md.User.ID != member.ID {
		t.Fatalf("clicked message's interaction_metadata = %+v; want the slash command by %s", md, member.ID)
	}
	respond(cic, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{Content: "updated", Components: button, AllowedMentions: noMentions()})
	if _, err := click.Wait(ctx(t)); err != nil {
		t.Fatal(err)
	}
	s.Click(guildID, channelID, member, orig.ID, "v1:go:1")
	if md := recv(t, ics).Message.InteractionMetadata; md == nil || md.ID != slash.ID {
		t.Errorf("after an update, interaction_metadata = %+v; want still the slash command's", md)
	}
	s.Click(guildID, channelID, member, fm.ID, "v1:go:1")
	if md := recv(t, ics).Message.InteractionMetadata; md == nil || md.OriginalResponseMessageID != orig.ID || md.User.ID != member.ID {
		t.Errorf("follow-up's interaction_metadata = %+v; want original_response_message_id %s", md, orig.ID)
	}

	// A form opened from a button: its reply names the submit, triggered by that button.
	opener := s.Click(guildID, channelID, member, orig.ID, "v1:go:1")
	respond(recv(t, ics), discordgo.InteractionResponseModal, &discordgo.InteractionResponseData{CustomID: "v1:form:1", Title: "Form",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: "answer", Label: "Answer", Style: discordgo.TextInputParagraph}}}}})
	submit := s.SubmitModal(guildID, channelID, member, "v1:form:1", map[string]string{"answer": "x"})
	respond(recv(t, ics), discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
		Content: "thanks", Flags: discordgo.MessageFlagsEphemeral, Components: button, AllowedMentions: noMentions()})
	reply, _ := submit.Original()
	s.Click(guildID, channelID, member, reply.ID, "v1:go:1")
	md = recv(t, ics).Message.InteractionMetadata
	if md == nil || md.Type != discordgo.InteractionModalSubmit || md.TriggeringInteractionMetadata == nil ||
		md.TriggeringInteractionMetadata.ID != opener.ID || md.TriggeringInteractionMetadata.InteractedMessageID != orig.ID {
		t.Errorf("form reply's interaction_metadata = %+v; want the submit, triggered by click %s on %s", md, opener.ID, orig.ID)
	}
}

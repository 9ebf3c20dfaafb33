package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// ErrSelectInvalid is returned by Interaction.Wait for a Select the client would not send:
// no such string select on the message, a value that is not one of its options, or a count
// outside its min_values..max_values.
var ErrSelectInvalid = errors.New("discordtest: not a choice this select menu offers")

// Select picks values in a string select menu (component_type 3) on a message, as
// receiving-and-responding.mdx's message component data describes: custom_id, component_type
// and values. Discord's client offers only the menu's options, between min_values and
// max_values of them (both default to 1), so anything else is not delivered.
func (s *Server) Select(guildID, channelID string, u User, messageID, customID string, values []string) *Interaction {
	s.mu.Lock()
	var comps []json.RawMessage
	if m := s.msgs[messageID]; m != nil {
		comps = m.Components
	}
	s.mu.Unlock()
	if err := checkSelect(comps, customID, values); err != nil {
		i := &Interaction{Type: TypeComponent, GuildID: guildID, ChannelID: channelID, User: u, MessageID: messageID, s: s}
		i.refused = fmt.Errorf("select %s on message %s: %w: %v", customID, messageID, ErrSelectInvalid, err)
		return i
	}
	if values == nil {
		values = []string{}
	}
	data := map[string]any{"custom_id": customID, "component_type": 3, "values": values}
	return s.interact(TypeComponent, guildID, channelID, u, data, messageID)
}

// checkSelect finds the string select customID among a message's rows and checks values
// against it.
func checkSelect(rows []json.RawMessage, customID string, values []string) error {
	type option struct {
		Value string `json:"value"`
	}
	type comp struct {
		Type       int      `json:"type"`
		CustomID   string   `json:"custom_id"`
		Options    []option `json:"options"`
		MinValues  *int     `json:"min_values"`
		MaxValues  *int     `json:"max_values"`
		Components []comp   `json:"components"`
	}
	for _, raw := range rows {
		var row comp
		if json.Unmarshal(raw, &row) != nil {
			continue
		}
		for _, c := range row.Components {
			if c.Type != 3 || c.CustomID != customID {
				continue
			}
			lo, hi := 1, 1
			if c.MinValues != nil {
				lo = *c.MinValues
			}
			if c.MaxValues != nil {
				hi = *c.MaxValues
			}
			if len(values) < lo || len(values) > hi {
				return fmt.Errorf("%d values, the menu takes %d to %d", len(values), lo, hi)
			}
			for _, v := range values {
				if !slices.ContainsFunc(c.Options, func(o option) bool { return o.Value == v }) {
					return fmt.Errorf("value %q is not an option", v)
				}
			}
			return nil
		}
	}
	return errors.New("no such string select on the message")
}

package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Message flags the fake knows.
const (
	flagSuppressEmbeds        = 1 << 2
	flagEphemeral             = 1 << 6
	flagSuppressNotifications = 1 << 12
	flagComponentsV2          = 1 << 15
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func present(obj map[string]json.RawMessage, key string) bool {
	v, ok := obj[key]
	return ok && string(v) != "null"
}

// checkMessage returns the rule breaks in a message body (a create when
// create is true, else an edit). It does not check emptiness of edits,
// which depends on the stored message.
func checkMessage(obj map[string]json.RawMessage, create bool) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	// allowed_mentions: always on creates; on edits that change text.
	if create || present(obj, "content") || present(obj, "embeds") {
		if !present(obj, "allowed_mentions") {
			add("allowed_mentions missing (the default parses mentions from bank text and member input)")
		}
	}
	if present(obj, "allowed_mentions") {
		var am struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		}
		if err := json.Unmarshal(obj["allowed_mentions"], &am); err != nil {
			add("allowed_mentions: %v", err)
		}
		for _, p := range am.Parse {
			switch p {
			case "everyone", "roles":
				add("allowed_mentions.parse contains %q", p)
			case "users":
				if len(am.Users) > 0 {
					add(`allowed_mentions: parse "users" together with a users list`)
				}
			default:
				add("allowed_mentions.parse contains unknown %q", p)
			}
		}
		if len(am.Users) > 100 || len(am.Roles) > 100 {
			add("allowed_mentions: more than 100 users or roles")
		}
	}

	if present(obj, "content") {
		var c string
		if err := json.Unmarshal(obj["content"], &c); err != nil {
			add("content: %v", err)
		} else if n := runes(c); n > 2000 {
			add("content is %d characters (max 2000)", n)
		}
	}
	if present(obj, "embeds") {
		probs = append(probs, checkEmbeds(obj["embeds"])...)
	}
	flags := 0
	if present(obj, "flags") {
		_ = json.Unmarshal(obj["flags"], &flags)
	}
	if present(obj, "components") {
		var comps []json.RawMessage
		if err := json.Unmarshal(obj["components"], &comps); err != nil {
			add("components: %v", err)
		} else {
			probs = append(probs, checkComponents(comps, flags)...)
		}
	}
	if flags&flagComponentsV2 != 0 && (present(obj, "content") && string(obj["content"]) != `""` || present(obj, "embeds") && string(obj["embeds"]) != "[]") {
		add("content and embeds cannot be used with the IS_COMPONENTS_V2 flag")
	}
	return probs
}

// emptyBody reports whether a create body has nothing to show.
func emptyBody(obj map[string]json.RawMessage) bool {
	for _, k := range []string{"embeds", "components", "sticker_ids", "attachments"} {
		if present(obj, k) && string(obj[k]) != "[]" {
			return false
		}
	}
	if present(obj, "poll") {
		return false
	}
	var c string
	_ = json.Unmarshal(obj["content"], &c)
	return strings.TrimSpace(c) == ""
}

func checkFlags(obj map[string]json.RawMessage, allowed int, where string) []string {
	if !present(obj, "flags") {
		return nil
	}
	var f int
	if err := json.Unmarshal(obj["flags"], &f); err != nil {
		return []string{fmt.Sprintf("flags: %v", err)}
	}
	if bad := f &^ allowed; bad != 0 {
		return []string{fmt.Sprintf("flags %d not allowed on %s (bits %d)", f, where, bad)}
	}
	return nil
}

type wireEmbed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Fields      []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

func checkEmbeds(raw json.RawMessage) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var embeds []wireEmbed
	if err := json.Unmarshal(raw, &embeds); err != nil {
		return []string{fmt.Sprintf("embeds: %v", err)}
	}
	if len(embeds) > 10 {
		add("%d embeds (max 10)", len(embeds))
	}
	total := 0
	lim := func(where string, s string, max int) {
		n := runes(s)
		total += n
		if n > max {
			add("%s is %d characters (max %d)", where, n, max)
		}
	}
	for i, e := range embeds {
		lim(fmt.Sprintf("embeds[%d].title", i), e.Title, 256)
		lim(fmt.Sprintf("embeds[%d].description", i), e.Description, 4096)
		if len(e.Fields) > 25 {
			add("embeds[%d] has %d fields (max 25)", i, len(e.Fields))
		}
		for j, f := range e.Fields {
			lim(fmt.Sprintf("embeds[%d].fields[%d].name", i, j), f.Name, 256)
			lim(fmt.Sprintf("embeds[%d].fields[%d].value", i, j), f.Value, 1024)
		}
		if e.Footer != nil {
			lim(fmt.Sprintf("embeds[%d].footer.text", i), e.Footer.Text, 2048)
		}
		if e.Author != nil {
			lim(fmt.Sprintf("embeds[%d].author.name", i), e.Author.Name, 256)
		}
	}
	if total > 6000 {
		add("embeds total %d characters (max 6000)", total)
	}
	return probs
}

type wireComponent struct {
	Type        int               `json:"type"`
	Style       int               `json:"style"`
	Label       *string           `json:"label"`
	CustomID    *string           `json:"custom_id"`
	URL         string            `json:"url"`
	SKUID       string            `json:"sku_id"`
	Emoji       json.RawMessage   `json:"emoji"`
	Placeholder string            `json:"placeholder"`
	Options     []json.RawMessage `json:"options"`
	MinValues   *int              `json:"min_values"`
	MaxValues   *int              `json:"max_values"`
	Components  []json.RawMessage `json:"components"`
	Component   json.RawMessage   `json:"component"`
	Accessory   json.RawMessage   `json:"accessory"`
}

func isSelect(t int) bool { return t == 3 || t == 5 || t == 6 || t == 7 || t == 8 }

func checkCustomID(where string, id *string, seen map[string]bool) []string {
	if id == nil || *id == "" {
		return []string{where + ": custom_id missing"}
	}
	var probs []string
	if n := runes(*id); n > 100 {
		probs = append(probs, fmt.Sprintf("%s: custom_id is %d characters (max 100)", where, n))
	}
	if seen[*id] {
		probs = append(probs, fmt.Sprintf("%s: duplicate custom_id %q", where, *id))
	}
	seen[*id] = true
	return probs
}

// checkComponents checks message components: legacy action rows, or the
// components v2 tree when flags has IS_COMPONENTS_V2.
func checkComponents(comps []json.RawMessage, flags int) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	seen := map[string]bool{}
	if flags&flagComponentsV2 != 0 {
		count := 0
		var walk func(where string, raws []json.RawMessage)
		walk = func(where string, raws []json.RawMessage) {
			for i, raw := range raws {
				if string(raw) == "null" || len(raw) == 0 {
					continue
				}
				count++
				var c wireComponent
				w := fmt.Sprintf("%s[%d]", where, i)
				if err := json.Unmarshal(raw, &c); err != nil {
					add("%s: %v", w, err)
					continue
				}
				probs = append(probs, checkInteractive(w, c, seen)...)
				walk(w+".components", c.Components)
				walk(w+".accessory", []json.RawMessage{c.Accessory})
				walk(w+".component", []json.RawMessage{c.Component})
			}
		}
		walk("components", comps)
		if count > 40 {
			add("%d components (max 40 with IS_COMPONENTS_V2)", count)
		}
		return probs
	}
	if len(comps) > 5 {
		add("%d action rows (max 5)", len(comps))
	}
	for i, raw := range comps {
		var row wireComponent
		w := fmt.Sprintf("components[%d]", i)
		if err := json.Unmarshal(raw, &row); err != nil {
			add("%s: %v", w, err)
			continue
		}
		if row.Type != 1 {
			add("%s: type %d at top level; without IS_COMPONENTS_V2 only action rows (1) are allowed", w, row.Type)
			continue
		}
		if len(row.Components) == 0 {
			add("%s: empty action row", w)
		}
		selects, buttons := 0, 0
		for j, craw := range row.Components {
			var c wireComponent
			cw := fmt.Sprintf("%s.components[%d]", w, j)
			if err := json.Unmarshal(craw, &c); err != nil {
				add("%s: %v", cw, err)
				continue
			}
			switch {
			case c.Type == 2:
				buttons++
			case isSelect(c.Type):
				selects++
			default:
				add("%s: component type %d is not allowed in a message action row", cw, c.Type)
				continue
			}
			probs = append(probs, checkInteractive(cw, c, seen)...)
		}
		if buttons > 5 {
			add("%s: %d buttons (max 5 per row)", w, buttons)
		}
		if selects > 0 && len(row.Components) > 1 {
			add("%s: a select menu must be alone in its row", w)
		}
	}
	return probs
}

// checkInteractive checks a button or select menu; other types pass.
func checkInteractive(w string, c wireComponent, seen map[string]bool) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	switch {
	case c.Type == 2:
		switch c.Style {
		case 5: // link
			if c.URL == "" {
				add("%s: link button without url", w)
			}
			if c.CustomID != nil && *c.CustomID != "" {
				add("%s: link button with custom_id", w)
			}
		case 6: // premium
			if c.SKUID == "" {
				add("%s: premium button without sku_id", w)
			}
		case 1, 2, 3, 4:
			probs = append(probs, checkCustomID(w, c.CustomID, seen)...)
		default:
			add("%s: button style %d", w, c.Style)
		}
		label := ""
		if c.Label != nil {
			label = *c.Label
		}
		if n := runes(label); n > 80 {
			add("%s: button label is %d characters (max 80)", w, n)
		}
		if c.Style != 6 && label == "" && (len(c.Emoji) == 0 || string(c.Emoji) == "null") {
			add("%s: button needs a label or an emoji", w)
		}
	case isSelect(c.Type):
		probs = append(probs, checkCustomID(w, c.CustomID, seen)...)
		if n := runes(c.Placeholder); n > 150 {
			add("%s: placeholder is %d characters (max 150)", w, n)
		}
		if c.Type == 3 && (len(c.Options) == 0 || len(c.Options) > 25) {
			add("%s: string select has %d options (1-25)", w, len(c.Options))
		}
		if c.Type == 3 {
			probs = append(probs, checkSelectOptions(w, c)...)
		}
		if c.MinValues != nil && (*c.MinValues < 0 || *c.MinValues > 25) {
			add("%s: min_values %d (0-25)", w, *c.MinValues)
		}
		if c.MaxValues != nil && (*c.MaxValues < 1 || *c.MaxValues > 25) {
			add("%s: max_values %d (1-25)", w, *c.MaxValues)
		}
	}
	return probs
}

// checkSelectOptions checks a string select's options (components/reference.mdx, select
// option structure): label and value 1-100 characters, description at most 100, values
// unique, and no more options marked default than max_values allows (default 1).
func checkSelectOptions(w string, c wireComponent) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	values, defaults := map[string]bool{}, 0
	for i, raw := range c.Options {
		var o struct {
			Label       string `json:"label"`
			Value       string `json:"value"`
			Description string `json:"description"`
			Default     bool   `json:"default"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			add("%s.options[%d]: %v", w, i, err)
			continue
		}
		if n := runes(o.Label); n < 1 || n > 100 {
			add("%s.options[%d]: label is %d characters (1-100)", w, i, n)
		}
		if n := runes(o.Value); n < 1 || n > 100 {
			add("%s.options[%d]: value is %d characters (1-100)", w, i, n)
		}
		if n := runes(o.Description); n > 100 {
			add("%s.options[%d]: description is %d characters (max 100)", w, i, n)
		}
		if values[o.Value] {
			add("%s.options[%d]: value %q repeated", w, i, o.Value)
		}
		values[o.Value] = true
		if o.Default {
			defaults++
		}
	}
	maxValues := 1
	if c.MaxValues != nil {
		maxValues = *c.MaxValues
	}
	if defaults > maxValues {
		add("%s: %d options marked default, max_values %d", w, defaults, maxValues)
	}
	if c.MinValues != nil && *c.MinValues > maxValues {
		add("%s: min_values %d > max_values %d", w, *c.MinValues, maxValues)
	}
	return probs
}

// checkModal checks the data of a type 9 callback.
func checkModal(data json.RawMessage) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var m struct {
		CustomID   *string           `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(data, &m); err != nil || string(data) == "null" || len(data) == 0 {
		return []string{"modal: data missing or not an object"}
	}
	seen := map[string]bool{}
	probs = append(probs, checkCustomID("modal", m.CustomID, seen)...)
	if n := runes(m.Title); n < 1 || n > 45 {
		add("modal: title is %d characters (1-45)", n)
	}
	if n := len(m.Components); n < 1 || n > 5 {
		add("modal: %d components (1-5)", n)
	}
	inputs := map[string]bool{}
	for i, raw := range m.Components {
		w := fmt.Sprintf("modal.components[%d]", i)
		var c wireComponent
		if err := json.Unmarshal(raw, &c); err != nil {
			add("%s: %v", w, err)
			continue
		}
		switch c.Type {
		case 1: // action row with one text input (legacy form)
			if len(c.Components) != 1 {
				add("%s: action row has %d components (exactly 1 text input)", w, len(c.Components))
			}
			for j, in := range c.Components {
				probs = append(probs, checkTextInput(fmt.Sprintf("%s.components[%d]", w, j), in, true, inputs)...)
			}
		case 18: // label wrapping one component
			label := ""
			if c.Label != nil {
				label = *c.Label
			}
			if n := runes(label); n < 1 || n > 45 {
				add("%s: label is %d characters (1-45)", w, n)
			}
			var inner wireComponent
			_ = json.Unmarshal(c.Component, &inner)
			if inner.Type == 4 {
				probs = append(probs, checkTextInput(w+".component", c.Component, false, inputs)...)
			}
		case 10: // text display
		default:
			add("%s: component type %d not allowed in a modal", w, c.Type)
		}
	}
	return probs
}

func checkTextInput(w string, raw json.RawMessage, needLabel bool, seen map[string]bool) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var keys map[string]json.RawMessage
	var in struct {
		Type        int     `json:"type"`
		CustomID    *string `json:"custom_id"`
		Style       int     `json:"style"`
		Label       string  `json:"label"`
		Placeholder string  `json:"placeholder"`
		Value       string  `json:"value"`
		MinLength   *int    `json:"min_length"`
		MaxLength   *int    `json:"max_length"`
	}
	if json.Unmarshal(raw, &keys) != nil || json.Unmarshal(raw, &in) != nil {
		return []string{w + ": not an object"}
	}
	if in.Type != 4 {
		return []string{fmt.Sprintf("%s: type %d, want a text input (4)", w, in.Type)}
	}
	probs = append(probs, checkCustomID(w, in.CustomID, seen)...)
	if in.Style != 1 && in.Style != 2 {
		add("%s: text input style %d (1 short, 2 paragraph)", w, in.Style)
	}
	if n := runes(in.Label); n > 45 || needLabel && n < 1 {
		add("%s: label is %d characters (1-45)", w, n)
	}
	if n := runes(in.Placeholder); n > 100 {
		add("%s: placeholder is %d characters (max 100)", w, n)
	}
	if n := runes(in.Value); n > 4000 {
		add("%s: value is %d characters (max 4000)", w, n)
	}
	if in.MinLength != nil && (*in.MinLength < 0 || *in.MinLength > 4000) {
		add("%s: min_length %d (0-4000)", w, *in.MinLength)
	}
	if in.MaxLength != nil && (*in.MaxLength < 1 || *in.MaxLength > 4000) {
		add("%s: max_length %d (1-4000)", w, *in.MaxLength)
	}
	if in.MinLength != nil && in.MaxLength != nil && *in.MinLength > *in.MaxLength {
		add("%s: min_length %d > max_length %d", w, *in.MinLength, *in.MaxLength)
	}
	if _, ok := keys["required"]; !ok {
		add("%s: required not set (Discord defaults it to true)", w)
	}
	return probs
}

// Choice is an autocomplete result.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

func checkAutocomplete(data json.RawMessage) ([]Choice, []string) {
	var d struct {
		Choices []Choice `json:"choices"`
	}
	if err := json.Unmarshal(data, &d); err != nil || len(data) == 0 || string(data) == "null" {
		return nil, []string{"autocomplete: data missing or not an object"}
	}
	var probs []string
	if len(d.Choices) > 25 {
		probs = append(probs, fmt.Sprintf("autocomplete: %d choices (max 25)", len(d.Choices)))
	}
	for i, c := range d.Choices {
		if n := runes(c.Name); n < 1 || n > 100 {
			probs = append(probs, fmt.Sprintf("autocomplete: choices[%d].name is %d characters (1-100)", i, n))
		}
		if v, ok := c.Value.(string); ok && runes(v) > 100 {
			probs = append(probs, fmt.Sprintf("autocomplete: choices[%d].value is %d characters (max 100)", i, runes(v)))
		}
	}
	return d.Choices, probs
}

// ---- application commands ----

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

type wireCommand struct {
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Type                     int               `json:"type"`
	Options                  []wireOption      `json:"options"`
}

type wireOption struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Required                 bool              `json:"required"`
	Autocomplete             bool              `json:"autocomplete"`
	Choices                  []wireChoice      `json:"choices"`
	Options                  []wireOption      `json:"options"`
}

type wireChoice struct {
	Name              string            `json:"name"`
	NameLocalizations map[string]string `json:"name_localizations"`
	Value             any               `json:"value"`
}

// longest returns the rune length of s or its longest localization.
func longest(s string, locs map[string]string) int {
	n := runes(s)
	for _, l := range locs {
		n = max(n, runes(l))
	}
	return n
}

func checkName(where, name string, locs map[string]string, chatInput bool) []string {
	var probs []string
	all := map[string]string{"": name}
	for k, v := range locs {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := all[k]
		w := where + ".name"
		if k != "" {
			w = where + ".name_localizations." + k
		}
		if chatInput {
			if !commandName.MatchString(n) {
				probs = append(probs, fmt.Sprintf("%s %q does not match %s", w, n, commandName))
			} else if strings.ToLower(n) != n {
				probs = append(probs, fmt.Sprintf("%s %q must be lowercase", w, n))
			}
		} else if c := runes(n); c < 1 || c > 32 {
			probs = append(probs, fmt.Sprintf("%s is %d characters (1-32)", w, c))
		}
	}
	return probs
}

func checkDescription(where, d string, locs map[string]string) []string {
	var probs []string
	if n := runes(d); n < 1 || n > 100 {
		probs = append(probs, fmt.Sprintf("%s.description is %d characters (1-100)", where, n))
	}
	for k, v := range locs {
		if n := runes(v); n < 1 || n > 100 {
			probs = append(probs, fmt.Sprintf("%s.description_localizations.%s is %d characters (1-100)", where, k, n))
		}
	}
	return probs
}

// checkCommands checks a bulk overwrite. tooMany reports a count limit.
func checkCommands(cmds []wireCommand) (probs []string, tooMany bool) {
	counts := map[int]int{}
	names := map[string]bool{}
	for i, c := range cmds {
		typ := c.Type
		if typ == 0 {
			typ = 1
		}
		counts[typ]++
		w := fmt.Sprintf("commands[%d] (%s)", i, c.Name)
		key := strconv.Itoa(typ) + "/" + c.Name
		if names[key] {
			probs = append(probs, fmt.Sprintf("%s: duplicate name", w))
		}
		names[key] = true
		probs = append(probs, checkName(w, c.Name, c.NameLocalizations, typ == 1)...)
		total := longest(c.Name, c.NameLocalizations) + longest(c.Description, c.DescriptionLocalizations)
		if typ == 1 {
			probs = append(probs, checkDescription(w, c.Description, c.DescriptionLocalizations)...)
			p, n := checkOptions(w, c.Options, 0)
			probs = append(probs, p...)
			total += n
		} else {
			if c.Description != "" {
				probs = append(probs, fmt.Sprintf("%s: user and message commands take an empty description", w))
			}
			if len(c.Options) > 0 {
				probs = append(probs, fmt.Sprintf("%s: user and message commands take no options", w))
			}
		}
		if total > 8000 {
			probs = append(probs, fmt.Sprintf("%s: %d characters in names, descriptions and values (max 8000)", w, total))
		}
	}
	if counts[1] > 100 || counts[2] > 15 || counts[3] > 15 {
		probs = append(probs, fmt.Sprintf("too many commands: %d chat input (max 100), %d user (max 15), %d message (max 15)", counts[1], counts[2], counts[3]))
		tooMany = true
	}
	return probs, tooMany
}

// checkOptions checks options at one level and returns the characters they count.
func checkOptions(where string, opts []wireOption, depth int) ([]string, int) {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	total := 0
	if len(opts) > 25 {
		add("%s: %d options (max 25)", where, len(opts))
	}
	seenOptional, subs, plain := false, 0, 0
	names := map[string]bool{}
	for i, o := range opts {
		w := fmt.Sprintf("%s.options[%d] (%s)", where, i, o.Name)
		if names[o.Name] {
			add("%s: duplicate option name", w)
		}
		names[o.Name] = true
		probs = append(probs, checkName(w, o.Name, o.NameLocalizations, true)...)
		probs = append(probs, checkDescription(w, o.Description, o.DescriptionLocalizations)...)
		total += longest(o.Name, o.NameLocalizations) + longest(o.Description, o.DescriptionLocalizations)
		switch o.Type {
		case 1, 2:
			subs++
			if o.Type == 2 && depth > 0 || o.Type == 1 && depth > 1 {
				add("%s: subcommand nested too deep", w)
			}
			for j, sub := range o.Options {
				if o.Type == 2 && sub.Type != 1 {
					add("%s.options[%d]: a subcommand group holds only subcommands", w, j)
				}
			}
			p, n := checkOptions(w, o.Options, depth+1)
			probs = append(probs, p...)
			total += n
			continue
		case 3, 4, 5, 6, 7, 8, 9, 10, 11:
			plain++
		default:
			add("%s: option type %d", w, o.Type)
		}
		if o.Required && seenOptional {
			add("%s: required option after an optional one", w)
		}
		if !o.Required {
			seenOptional = true
		}
		if o.Autocomplete && len(o.Choices) > 0 {
			add("%s: autocomplete together with choices", w)
		}
		if len(o.Choices) > 25 {
			add("%s: %d choices (max 25)", w, len(o.Choices))
		}
		for j, c := range o.Choices {
			cw := fmt.Sprintf("%s.choices[%d]", w, j)
			if n := longest(c.Name, c.NameLocalizations); n < 1 || n > 100 || runes(c.Name) < 1 {
				add("%s.name is %d characters (1-100)", cw, n)
			}
			total += longest(c.Name, c.NameLocalizations)
			switch v := c.Value.(type) {
			case string:
				if n := runes(v); n > 100 {
					add("%s.value is %d characters (max 100)", cw, n)
				}
				total += runes(v)
			case float64:
				total += len(strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
	}
	if subs > 0 && plain > 0 {
		add("%s: subcommands mixed with other options", where)
	}
	return probs, total
}

package discord

import (
	"strings"
)

// zones are suggested in autocomplete; any IANA name is accepted when typed in full.
var zones = []string{
	"UTC", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago",
	"America/Denver", "America/Halifax", "America/Los_Angeles", "America/Mexico_City",
	"America/New_York", "America/Phoenix", "America/Santiago", "America/Sao_Paulo", "America/Toronto",
	"America/Vancouver", "Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Ho_Chi_Minh",
	"Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem", "Asia/Karachi", "Asia/Kolkata",
	"Asia/Manila", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Taipei", "Asia/Tehran",
	"Asia/Tokyo", "Atlantic/Reykjavik", "Australia/Adelaide", "Australia/Brisbane",
	"Australia/Lord_Howe", "Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Dublin", "Europe/Helsinki",
	"Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London", "Europe/Madrid",
	"Europe/Moscow", "Europe/Paris", "Europe/Prague", "Europe/Rome", "Europe/Stockholm",
	"Europe/Warsaw", "Europe/Zurich", "Pacific/Auckland", "Pacific/Honolulu",
}

// matchZones returns up to max zones containing typed (case-insensitive), prefix matches of the
// city first; the typed text itself comes first when it is not in the list.
func matchZones(typed string, max int) []string {
	t := strings.ToLower(strings.TrimSpace(typed))
	var first, rest []string
	for _, z := range zones {
		l := strings.ToLower(z)
		city := l[strings.LastIndex(l, "/")+1:]
		switch {
		case strings.HasPrefix(city, t) || strings.HasPrefix(l, t):
			first = append(first, z)
		case strings.Contains(l, t):
			rest = append(rest, z)
		}
	}
	out := append(first, rest...)
	if t != "" && len(out) == 0 && len(typed) <= 100 {
		out = append(out, strings.TrimSpace(typed))
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

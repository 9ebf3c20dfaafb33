package quiz

import (
	"strconv"
)

// Discord snowflakes and our own sequences are unsigned 64-bit numbers; distinct types keep a
// guild from being passed where a user is meant.
type (
	GuildID   uint64
	UserID    uint64
	ChannelID uint64
	MessageID uint64
	RoleID    uint64
	SessionID uint64
	ReportID  uint64
	MockID    uint64
)

func (id GuildID) String() string   { return strconv.FormatUint(uint64(id), 10) }
func (id UserID) String() string    { return strconv.FormatUint(uint64(id), 10) }
func (id ChannelID) String() string { return strconv.FormatUint(uint64(id), 10) }
func (id MessageID) String() string { return strconv.FormatUint(uint64(id), 10) }
func (id RoleID) String() string    { return strconv.FormatUint(uint64(id), 10) }
func (id SessionID) String() string { return strconv.FormatUint(uint64(id), 10) }
func (id ReportID) String() string  { return strconv.FormatUint(uint64(id), 10) }
func (id MockID) String() string    { return strconv.FormatUint(uint64(id), 10) }

// ParseID parses a decimal snowflake or sequence number.
func ParseID(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) }

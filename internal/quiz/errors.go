package quiz

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Adapters map each to a reply; anything that is not an *Error is EINTERNAL.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	// ERATELIMIT: the member or their server did this too often; the message says when to
	// try again.
	ERATELIMIT = "rate_limited"
	EINTERNAL  = "internal"
)

// Error is an outcome a user should see: Message is safe to show as it is (in English);
// MessageIn renders it in another language from the catalogue.
type Error struct {
	Code    string
	Message string

	id   MsgID
	args []any
}

func (e *Error) Error() string { return fmt.Sprintf("quiz: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error whose user-safe message is catalogue entry id formatted with args.
func Errorf(code string, id MsgID, args ...any) *Error {
	return &Error{Code: code, Message: English.Msg(id, args...), id: id, args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil, else EINTERNAL.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err, or a generic one for internal errors.
func ErrorMessage(err error) string { return ErrorMessageIn(err, English) }

// ErrorMessageIn returns the user-safe message of err in language l. Moments in it (At) read
// as a date and time in the member's zone.
func ErrorMessageIn(err error, l Lang) string { return ErrorMessageWith(err, l, At.String) }

// At is a moment in a message, with the zone of the member who reads it. Adapters choose how
// it reads: the console as a local date and time, Discord as a timestamp each client localises.
type At struct {
	Time time.Time
	Zone *time.Location
}

// String is the moment as a date and time in its zone, named: "2026-03-02 17:10 Asia/Shanghai".
func (a At) String() string {
	z := a.Zone
	if z == nil {
		z = time.UTC
	}
	return a.Time.In(z).Format("2006-01-02 15:04") + " " + z.String()
}

// ErrorMessageWith is ErrorMessageIn with the adapter's rendering of moments.
func ErrorMessageWith(err error, l Lang, at func(At) string) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == EINTERNAL {
		return l.Msg("error.internal")
	}
	if e.id == "" { // built by hand, not by Errorf
		return e.Message
	}
	args := make([]any, len(e.args))
	for i, v := range e.args {
		if t, ok := v.(At); ok {
			v = at(t)
		}
		args[i] = v
	}
	return l.Msg(e.id, args...)
}

package quiz

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map each to a reply; anything that is not an *Error is EINTERNAL.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
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

// ErrorMessageIn returns the user-safe message of err in language l.
func ErrorMessageIn(err error, l Lang) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == EINTERNAL {
		return l.Msg("error.internal")
	}
	if e.id == "" { // built by hand, not by Errorf
		return e.Message
	}
	return l.Msg(e.id, e.args...)
}

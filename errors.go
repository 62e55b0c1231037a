package assetmint

import (
	"errors"
	"fmt"
)

// Error codes are coarse and stable: callers branch on them, the HTTP layer
// maps each to one status. Specific conditions are sentinels or typed errors
// wrapped inside an *Error.
const (
	EINVALID      = "invalid"      // bad input; Param names the field
	ENOTFOUND     = "not_found"    // absent, or owned by another business
	ECONFLICT     = "conflict"     // the object's state forbids the change
	EUNAUTHORIZED = "unauthorized" // missing, wrong or expired credentials
	EFORBIDDEN    = "forbidden"    // authenticated, not allowed
	ERATELIMITED  = "rate_limited" // over a plan limit
	EINTERNAL     = "internal"     // anything else; never shown in detail
)

// Error is the library's one public error type.
type Error struct {
	Code    string // one of the E* codes
	Message string // safe to show to the API caller
	Param   string // the offending field, for EINVALID, in wire (snake_case) form
	Err     error  // the wrapped cause, if any; never shown to callers
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Param != "" {
		s += " (" + e.Param + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field at fault.
func FieldError(param, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Param: param, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil,
// and EINTERNAL for any other error.
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

// ErrorMessage returns the caller-safe message of err: the *Error's message,
// or a generic one for errors that are not *Error (their text may hold
// internals).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred"
}

// ErrorParam returns the field named by err, or "".
func ErrorParam(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Param
	}
	return ""
}

// Sentinels for specific conditions; each travels wrapped in an *Error with
// the code shown.
var (
	// ErrInvalidClient (EUNAUTHORIZED): unknown client, wrong secret, or
	// revoked client at the token endpoint.
	ErrInvalidClient = errors.New("invalid client credentials")
	// ErrInvalidToken (EUNAUTHORIZED): a bearer token that is malformed,
	// badly signed, expired, or whose client was revoked.
	ErrInvalidToken = errors.New("invalid access token")
	// ErrCursorNotFound (ENOTFOUND, from a store's list method): the list's
	// cursor (ListParams.StartingAfter or EndingBefore) names no object in
	// the list's scope. The Engine's list methods report it to their caller
	// as EINVALID naming the cursor's parameter.
	ErrCursorNotFound = errors.New("the list cursor names no object in the list")
)

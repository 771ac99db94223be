// Package errs is the project's small error vocabulary. Domain and store code
// return *Error values of a few kinds; the HTTP layer maps kinds to statuses
// and shows Message (always Chinese) to the user. Internal details never
// reach the user: they are wrapped errors without a Kind and are logged.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the edges (HTTP status, exit code).
type Kind string

// The kinds. Keep this list short.
const (
	Invalid   Kind = "invalid"   // bad input; Fields says which
	NotFound  Kind = "not_found" // no such object (or not visible to the user)
	Conflict  Kind = "conflict"  // duplicate or stale state
	Forbidden Kind = "forbidden" // authenticated but not allowed
	Unauth    Kind = "unauthenticated"
	TooLarge  Kind = "too_large"
	Locked    Kind = "locked" // account locked after failed logins
)

// FieldError names one bad input field.
type FieldError struct {
	Field   string `json:"field"`   // JSON/form field name, e.g. "id_number"
	Code    string `json:"code"`    // stable machine code, e.g. "id_checksum"
	Message string `json:"message"` // Chinese, names the field
}

// Error is the one error type with a user-facing message.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Message
	}
	return strings.Join(parts, "；")
}

// E builds an error of a kind with a Chinese message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Field builds an Invalid error for one field.
func Field(field, code, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Kind: Invalid, Message: msg, Fields: []FieldError{{Field: field, Code: code, Message: msg}}}
}

// KindOf returns the kind of err, or "" for internal errors.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Fields collects field errors during validation.
type Fields []FieldError

// Add appends one field error.
func (fs *Fields) Add(field, code, format string, args ...any) {
	*fs = append(*fs, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Merge appends the field errors of err, if it is an Invalid *Error, and
// reports whether it did; any other non-nil err is returned unchanged.
func (fs *Fields) Merge(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e.Kind == Invalid {
		*fs = append(*fs, e.Fields...)
		return nil
	}
	return err
}

// Err returns nil when empty, else one Invalid error holding all fields.
func (fs Fields) Err() error {
	if len(fs) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: fs[0].Message, Fields: fs}
}

// Has reports whether field has an error.
func (fs Fields) Has(field string) bool {
	for _, f := range fs {
		if f.Field == field {
			return true
		}
	}
	return false
}

// First returns the first field error of err, if err is an *Error with
// fields: the one a form marks or a command line prints.
func First(err error) (FieldError, bool) {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return FieldError{}, false
	}
	return e.Fields[0], true
}

package lending

import "fmt"

// FieldError reports an input the package cannot use. Field names the
// offending input with the snake_case names of the REST API: principal,
// annual_rate, months, method, day_count, balloon, start, amount, order,
// mode, paid_installments, ...
//
// Every validation error returned by this package is a *FieldError; match it
// with errors.As.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("lending: invalid %s: %s", e.Field, e.Message)
}

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

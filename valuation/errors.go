package valuation

import "fmt"

// InputError reports an Input the model cannot value: an unknown asset
// type, a zero AsOf, a missing currency or negative money. Field names the
// offending input (type, as_of, currency, declared_value,
// documents[i].amount, attributes.noi, ...).
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("valuation: invalid input: %s: %s", e.Field, e.Message)
}

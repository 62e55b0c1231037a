package console

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// The parsers of what operators type into the forms. Each turns the text a
// browser sends into the engine's input, or an EINVALID error naming the
// field; the engine then applies its own rules (the same as the REST
// API's), so a parser only has to read the text. They are fuzzed
// (FuzzFormParsers).

// amountPattern is an amount as people type it: digits, optionally grouped
// by thousands with commas, and at most two decimals.
var amountPattern = regexp.MustCompile(`^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]{1,2})?$`)

// parseAmount reads an amount of money, such as "1725.56" or "85,000":
// greater than zero, at most two decimals and at most
// 1,000,000,000,000.00, as assetmint.ValidateMoney says.
func parseAmount(field, s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Decimal{}, assetmint.FieldError(field, "%s is required", field)
	}
	if len(s) > 40 || !amountPattern.MatchString(s) {
		return decimal.Decimal{}, assetmint.FieldError(field, "%s must be an amount such as 1725.56 (at most 2 decimals)", field)
	}
	d, err := decimal.NewFromString(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return decimal.Decimal{}, assetmint.FieldError(field, "%s must be an amount such as 1725.56", field)
	}
	if err := assetmint.ValidateMoney(field, d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// receivedAtLayouts are the forms of a time the repayment form takes: what
// an <input type="datetime-local"> sends (minutes or seconds), a date
// alone, and RFC 3339. A time without a zone is UTC, as the form says.
var receivedAtLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02", time.RFC3339}

// parseReceivedAt reads when money arrived; empty is the zero time, which
// the engine reads as now. It lies within 1900-01-01 and 2200-12-31.
func parseReceivedAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) <= 40 {
		for _, layout := range receivedAtLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				t = t.UTC()
				if err := assetmint.ValidateDate("received_at", t); err != nil {
					return time.Time{}, err
				}
				return t, nil
			}
		}
	}
	return time.Time{}, assetmint.FieldError("received_at",
		"received_at must be a UTC time such as 2026-03-31T14:00, a date such as 2026-03-31, or an RFC 3339 time")
}

// ratePattern is a yearly rate in percent: up to three digits and up to
// four decimals, with an optional % sign.
var ratePattern = regexp.MustCompile(`^[0-9]{1,3}(?:\.[0-9]{1,4})?\s*%?$`)

// parseRate reads an annual rate typed in percent ("12.5" or "12.5 %" is
// 0.125, the engine's fraction); empty is nil, the rate underwriting
// offered. It lies between 0 and 100 %.
func parseRate(s string) (*decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if len(s) > 20 || !ratePattern.MatchString(s) {
		return nil, assetmint.FieldError("annual_rate", "annual_rate must be a yearly rate in percent, such as 12.5, with at most 4 decimals")
	}
	d, err := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	if err != nil {
		return nil, assetmint.FieldError("annual_rate", "annual_rate must be a yearly rate in percent, such as 12.5")
	}
	if d.GreaterThan(decimal.NewFromInt(100)) {
		return nil, assetmint.FieldError("annual_rate", "annual_rate must be at most 100 %%")
	}
	rate := d.Shift(-2)
	return &rate, nil
}

// parseReason reads a reason from a text area: browsers send its line
// breaks as CR LF, which the engine (refusing control characters other than
// tab and newline) would refuse, so they become LF. Whether it is given,
// how long it is and what it holds are the engine's rules.
func parseReason(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

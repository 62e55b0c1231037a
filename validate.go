package assetmint

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/shopspring/decimal"
)

// Limits on asset input, so one record cannot grow without bound.
const (
	maxDescriptionLen = 5000
	maxMetadataKeys   = 50
	maxMetadataKeyLen = 40
	maxMetadataBytes  = 16 << 10
)

// maxMoney is the largest amount AssetMint accepts: 1,000,000,000,000.00.
// Every amount up to it, to the cent, survives a trip through a JSON
// number read as a binary double (15 significant digits), and every store
// and the chain hold it exactly.
var maxMoney = decimal.New(1, 12)

// ValidateMoney checks an amount is positive, has at most two decimal places
// (AssetMint is exact to the cent and never rounds input silently) and is
// at most 1,000,000,000,000.00.
func ValidateMoney(param string, d decimal.Decimal) error {
	switch d.Sign() {
	case 0:
		return FieldError(param, "%s is required and must be greater than 0", param)
	case -1:
		return FieldError(param, "%s must be greater than 0", param)
	}
	if !d.Equal(d.Truncate(2)) {
		return FieldError(param, "%s must have at most 2 decimal places", param)
	}
	if d.Cmp(maxMoney) > 0 {
		return FieldError(param, "%s must be at most 1000000000000.00", param)
	}
	return nil
}

// The range of dates AssetMint accepts as input: a year before or after it
// is a typing mistake (or Go's zero time), never a real document or payment.
var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive: the end of 2200-12-31
)

// ValidateDate checks a date or time given as input lies between
// 1900-01-01 and 2200-12-31 inclusive, in UTC.
func ValidateDate(param string, t time.Time) error {
	if t.Before(minDate) || !t.Before(maxDate) {
		return FieldError(param, "%s must be between 1900-01-01 and 2200-12-31", param)
	}
	return nil
}

// validateText refuses what no text input may hold: invalid UTF-8 and the
// control characters U+0000 to U+001F and U+007F. Long free text
// (freeText: descriptions, purposes, reasons) may hold tab and newline.
// what names the field in the message.
func validateText(param, what, s string, freeText bool) error {
	if !utf8.ValidString(s) {
		return FieldError(param, "%s must be valid UTF-8", what)
	}
	for _, r := range s {
		if r == 0x7f || r < 0x20 && !(freeText && (r == '\t' || r == '\n')) {
			if freeText {
				return FieldError(param, "%s must not contain control characters other than tab and newline", what)
			}
			return FieldError(param, "%s must not contain control characters", what)
		}
	}
	return nil
}

func validateCurrency(c string) (string, error) {
	if c == "" {
		return "USD", nil
	}
	if len(c) != 3 || strings.ToUpper(c) != c || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", FieldError("currency", "currency must be a three-letter upper-case ISO 4217 code")
	}
	return c, nil
}

func validateDescription(d string) (string, error) {
	if err := validateText("description", "description", d, true); err != nil {
		return "", err
	}
	if len(d) > maxDescriptionLen {
		return "", FieldError("description", "description must be at most %d bytes", maxDescriptionLen)
	}
	return d, nil
}

func validateMetadata(m map[string]any) error {
	if len(m) > maxMetadataKeys {
		return FieldError("metadata", "metadata can have at most %d keys", maxMetadataKeys)
	}
	for k := range m {
		if k == "" || len(k) > maxMetadataKeyLen {
			return FieldError("metadata", "metadata keys must be 1 to %d bytes", maxMetadataKeyLen)
		}
		if err := validateText("metadata", "metadata keys", k, false); err != nil {
			return err
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return FieldError("metadata", "metadata must be a JSON object")
	}
	if len(b) > maxMetadataBytes {
		return FieldError("metadata", "metadata must be at most %d bytes as JSON", maxMetadataBytes)
	}
	return nil
}

const maxNameLen = 200

func validateName(param, name string) (string, error) {
	if err := validateText(param, param, name, false); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", FieldError(param, "%s is required", param)
	}
	if len(name) > maxNameLen {
		return "", FieldError(param, "%s must be at most %d bytes", param, maxNameLen)
	}
	return name, nil
}

// NormalizeAddress validates an EVM address ("0x" and 40 hex digits) and
// returns its EIP-55 checksummed form (tokenize.NormalizeAddress); a
// mixed-case address must carry a correct checksum. Errors: EINVALID naming
// param.
func NormalizeAddress(param, addr string) (string, error) {
	a, err := tokenize.NormalizeAddress(addr)
	if err != nil {
		if errors.Is(err, tokenize.ErrAddressChecksum) {
			return "", FieldError(param, "%s has an invalid EIP-55 checksum", param)
		}
		return "", FieldError(param, "%s must be 0x followed by 40 hex digits", param)
	}
	return a, nil
}

// validateReason checks an operator's reason for a rejection: required,
// at most 1000 bytes once trimmed, free text.
func validateReason(reason string) (string, error) {
	if err := validateText("reason", "reason", reason, true); err != nil {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", FieldError("reason", "reason is required")
	}
	if len(reason) > 1000 {
		return "", FieldError("reason", "reason must be at most 1000 bytes")
	}
	return reason, nil
}

package sqlite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// timeLayout is RFC 3339 with a fixed nine fractional digits, so that times
// stored as text compare and sort as the instants do (RFC3339Nano trims
// trailing zeros, which breaks text order: "…:05Z" > "…:05.1Z").
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// timeArg is the stored form of t: UTC text, or NULL for the zero time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// timeCol scans a stored time into *t, as UTC; NULL or empty text is the
// zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error { return scanTime(c.t, v, time.RFC3339Nano, "time") }

// scanTime parses stored text into *dst, as UTC; NULL or empty text is the
// zero time.
func scanTime(dst *time.Time, v any, layout, what string) error {
	var s string
	if err := (textCol{&s}).Scan(v); err != nil {
		return fmt.Errorf("sqlite: cannot scan %T into a %s", v, what)
	}
	if s == "" {
		*dst = time.Time{}
		return nil
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return fmt.Errorf("sqlite: bad stored %s %q: %w", what, s, err)
	}
	*dst = t.UTC()
	return nil
}

// textCol scans text into *s; NULL is "".
type textCol struct{ s *string }

func (c textCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = v
	case []byte:
		*c.s = string(v)
	default:
		return fmt.Errorf("sqlite: cannot scan %T into a string", v)
	}
	return nil
}

// nullIfEmpty stores "" as NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// metadataArg is the stored form of a metadata map: JSON text, "{}" for nil.
func metadataArg(m map[string]any) (string, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// metadataCol scans JSON text into *m, keeping numbers as json.Number so
// they round-trip exactly.
type metadataCol struct{ m *map[string]any }

func (c metadataCol) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
		*c.m = map[string]any{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlite: cannot scan %T into metadata", v)
	}
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("sqlite: bad stored metadata: %w", err)
	}
	if m == nil { // stored "null"
		m = map[string]any{}
	}
	*c.m = m
	return nil
}

// stringsArg is the stored form of a list of strings: a JSON array, "[]"
// for nil.
func stringsArg(s []string) (string, error) {
	if s == nil {
		return "[]", nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// stringsCol scans a JSON array of strings into *s; NULL, "null" and "[]"
// are an empty, non-nil slice.
type stringsCol struct{ s *[]string }

func (c stringsCol) Scan(v any) error {
	var text string
	if err := (textCol{&text}).Scan(v); err != nil {
		return fmt.Errorf("sqlite: cannot scan %T into a list of strings", v)
	}
	list := []string{}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &list); err != nil {
			return fmt.Errorf("sqlite: bad stored list of strings: %w", err)
		}
		if list == nil { // stored "null"
			list = []string{}
		}
	}
	*c.s = list
	return nil
}

// rawJSONCol scans JSON text into *r; NULL is nil.
type rawJSONCol struct{ r *json.RawMessage }

func (c rawJSONCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.r = nil
	case string:
		*c.r = json.RawMessage(v)
	case []byte:
		*c.r = json.RawMessage(bytes.Clone(v))
	default:
		return fmt.Errorf("sqlite: cannot scan %T into JSON", v)
	}
	return nil
}

// dateLayout is the stored form of a calendar date.
const dateLayout = "2006-01-02"

// dateArg is the stored form of the calendar date of t in UTC, or NULL for
// the zero time.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(dateLayout)
}

// dateCol scans a stored date into *t, at midnight UTC; NULL or empty text
// is the zero time.
type dateCol struct{ t *time.Time }

func (c dateCol) Scan(v any) error { return scanTime(c.t, v, dateLayout, "date") }

// nullDecimalArg is the stored form of d: decimal text, or NULL when
// !d.Valid.
func nullDecimalArg(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal.String()
}

// rawJSONArg is the stored form of r: its text, or NULL when empty.
func rawJSONArg(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

// jsonCol scans JSON text into v, a pointer, with encoding/json; NULL
// leaves v alone.
type jsonCol struct{ v any }

func (c jsonCol) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlite: cannot scan %T into JSON", v)
	}
	if err := json.Unmarshal(b, c.v); err != nil {
		return fmt.Errorf("sqlite: bad stored JSON: %w", err)
	}
	return nil
}

// normalizeCode is a serial number or VIN as documents are matched on it:
// its ASCII letters and digits, in upper case, so "sn-123 a" and "SN123A"
// are the same. Serials and VINs are ASCII; anything else is dropped like
// punctuation, which keeps normalizing an already normalized value a no-op
// whichever normalization made it.
func normalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		case 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return r
		}
		return -1
	}, s)
}

// uint64Arg is the stored form of n, an INTEGER: SQLite's integers are
// signed 64-bit, so n is stored as the int64 of the same bits (numbers above
// math.MaxInt64 are negative in the database) and uint64Col reads it back
// exactly.
func uint64Arg(n uint64) int64 { return int64(n) }

// uint64Col scans an INTEGER stored by uint64Arg into *n; NULL is 0.
type uint64Col struct{ n *uint64 }

func (c uint64Col) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.n = 0
	case int64:
		*c.n = uint64(v)
	default:
		return fmt.Errorf("sqlite: cannot scan %T into a uint64", v)
	}
	return nil
}

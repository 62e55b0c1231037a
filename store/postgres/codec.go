package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// The stored forms of the records' fields (see the package doc), as
// arguments (...Arg) and as scan targets (...Col, which implement pgx's
// pgtype scanner interfaces, so NULL arrives as Valid == false).

// timeArg is the stored form of t: nanoseconds since the Unix epoch, or
// NULL for the zero time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// timeCol scans a stored time into *t, in UTC; NULL is the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) ScanInt64(v pgtype.Int8) error {
	if !v.Valid {
		*c.t = time.Time{}
		return nil
	}
	*c.t = time.Unix(0, v.Int64).UTC()
	return nil
}

// dateLayout is the stored form of a calendar date, as store/sqlite keeps
// it.
const dateLayout = "2006-01-02"

// dateArg is the stored form of the calendar date of t in UTC, or NULL for
// the zero time.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(dateLayout)
}

// dateCol scans a stored date into *t, at midnight UTC; NULL is the zero
// time.
type dateCol struct{ t *time.Time }

func (c dateCol) ScanText(v pgtype.Text) error {
	if !v.Valid || v.String == "" {
		*c.t = time.Time{}
		return nil
	}
	t, err := time.Parse(dateLayout, v.String)
	if err != nil {
		return fmt.Errorf("postgres: bad stored date %q: %w", v.String, err)
	}
	*c.t = t.UTC()
	return nil
}

// decimalArg is the stored form of d: its decimal text, which PostgreSQL
// reads into numeric exactly.
func decimalArg(d decimal.Decimal) string { return d.String() }

// nullDecimalArg is the stored form of d: decimal text, or NULL when
// !d.Valid.
func nullDecimalArg(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal.String()
}

// metadataArg is the stored form of a metadata map: JSON text, "{}" for
// nil.
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
// they round-trip exactly; NULL and "null" are an empty map.
type metadataCol struct{ m *map[string]any }

func (c metadataCol) ScanText(v pgtype.Text) error {
	m := map[string]any{}
	if v.Valid {
		dec := json.NewDecoder(strings.NewReader(v.String))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return fmt.Errorf("postgres: bad stored metadata: %w", err)
		}
		if m == nil { // stored "null"
			m = map[string]any{}
		}
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

func (c stringsCol) ScanText(v pgtype.Text) error {
	list := []string{}
	if v.Valid && v.String != "" {
		if err := json.Unmarshal([]byte(v.String), &list); err != nil {
			return fmt.Errorf("postgres: bad stored list of strings: %w", err)
		}
		if list == nil { // stored "null"
			list = []string{}
		}
	}
	*c.s = list
	return nil
}

// rawJSONArg is the stored form of r: its text, or NULL when empty.
func rawJSONArg(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

// rawJSONCol scans JSON text into *r, byte for byte; NULL is nil.
type rawJSONCol struct{ r *json.RawMessage }

func (c rawJSONCol) ScanText(v pgtype.Text) error {
	if !v.Valid {
		*c.r = nil
		return nil
	}
	*c.r = json.RawMessage(v.String)
	return nil
}

// jsonArg is the stored form of v, a pointer: its JSON text, or NULL when
// v is nil.
func jsonArg[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// jsonCol scans JSON text into v, a pointer, with encoding/json; NULL
// leaves v alone.
type jsonCol struct{ v any }

func (c jsonCol) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return nil
	}
	if err := json.Unmarshal([]byte(v.String), c.v); err != nil {
		return fmt.Errorf("postgres: bad stored JSON: %w", err)
	}
	return nil
}

// uint64Arg is the stored form of n in a bigint: the int64 of the same bits
// (numbers above math.MaxInt64 are negative in the database), which
// uint64Col reads back exactly.
func uint64Arg(n uint64) int64 { return int64(n) }

// uint64Col scans a bigint stored by uint64Arg into *n; NULL is 0.
type uint64Col struct{ n *uint64 }

func (c uint64Col) ScanInt64(v pgtype.Int8) error {
	*c.n = uint64(v.Int64) // 0 when !v.Valid
	return nil
}

// normalizeCode is a serial number or VIN as documents are matched on it:
// its ASCII letters and digits, in upper case, so "sn-123 a" and "SN123A"
// are the same. It must normalize as store/sqlite's does, so both stores
// match the same documents.
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

package console

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// The form parsers read what anyone can type or send: whatever the text,
// each returns the engine's input within its rules or an EINVALID error
// naming its field, and what it returns reads back the same.
//
//	go test ./console -run '^$' -fuzz FuzzFormParsers -fuzztime 1m
func FuzzFormParsers(f *testing.F) {
	for _, s := range []string{
		"1725.56", "1,725.56", "85,000", "1,234,567.89", "0.01", "0.00", "1000000000000.00", "1000000000000.01",
		"-1", "+1", "1e3", "1.", ".5", "12.345", "1,23", "١٢٣", " 12 ", "0x10", "NaN",
		"2026-03-31T14:00", "2026-03-31T14:00:05", "2026-03-31", "2026-03-31T14:00:00+02:00", "1899-12-31", "2201-01-01",
		"12.5", "12.5 %", "12.5%", "100", "100.0001", "0", "9.87654",
		"", " ", "\t", "line one\r\nline two", "a\rb", "\x00", "\xff",
	} {
		f.Add(s)
	}
	maxMoney := decimal.RequireFromString("1000000000000.00")
	f.Fuzz(func(t *testing.T, s string) {
		refused := func(what, param string, err error) {
			t.Helper()
			if assetmint.ErrorCode(err) != assetmint.EINVALID || assetmint.ErrorParam(err) != param {
				t.Fatalf("%s(%q): %v, not EINVALID naming %s", what, s, err, param)
			}
		}

		if d, err := parseAmount("amount", s); err != nil {
			refused("parseAmount", "amount", err)
		} else {
			if !d.IsPositive() || !d.Equal(d.Truncate(2)) || d.GreaterThan(maxMoney) {
				t.Fatalf("parseAmount(%q) = %s, outside the engine's rule", s, d)
			}
			for _, again := range []string{d.StringFixed(2), money(d)} {
				if d2, err := parseAmount("amount", again); err != nil || !d2.Equal(d) {
					t.Fatalf("parseAmount(%q) = %s, which reads back from %q as %s, %v", s, d, again, d2, err)
				}
			}
		}

		if tm, err := parseReceivedAt(s); err != nil {
			refused("parseReceivedAt", "received_at", err)
		} else if tm.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("parseReceivedAt(%q) is the zero time (now) for text", s)
			}
		} else {
			if tm.Location() != time.UTC || assetmint.ValidateDate("received_at", tm) != nil {
				t.Fatalf("parseReceivedAt(%q) = %s, not UTC within 1900-2200", s, tm)
			}
			if t2, err := parseReceivedAt(tm.Format(time.RFC3339)); err != nil || !t2.Equal(tm.Truncate(time.Second)) {
				t.Fatalf("parseReceivedAt(%q) = %s, which reads back as %s, %v", s, tm, t2, err)
			}
		}

		if r, err := parseRate(s); err != nil {
			refused("parseRate", "annual_rate", err)
		} else if r == nil {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("parseRate(%q) is no rate for text", s)
			}
		} else {
			if r.IsNegative() || r.GreaterThan(decimal.NewFromInt(1)) || !r.Equal(r.Truncate(6)) {
				t.Fatalf("parseRate(%q) = %s, outside the engine's rule (0 to 1, 6 decimals)", s, r)
			}
			if r2, err := parseRate(r.Shift(2).String()); err != nil || !r2.Equal(*r) {
				t.Fatalf("parseRate(%q) = %s, which reads back as %v, %v", s, r, r2, err)
			}
		}

		out := parseReason(s)
		if strings.ContainsRune(out, '\r') {
			t.Fatalf("parseReason(%q) = %q keeps a carriage return", s, out)
		}
		if !strings.ContainsRune(s, '\r') && out != s {
			t.Fatalf("parseReason(%q) = %q changed text without a carriage return", s, out)
		}
	})
}

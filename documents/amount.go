package documents

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// parseAmount reads an amount as the package documentation describes: a
// non-negative decimal with an optional currency symbol and thousands
// separators; blank is zero.
func parseAmount(s string) (decimal.Decimal, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Zero, nil
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	s, minus, ok := trimAffixes(s)
	d, isNumber := parseNumber(s)
	if !ok || !isNumber {
		return decimal.Decimal{}, fmt.Errorf("%s is not an amount", quoteValue(orig))
	}
	if (neg || minus) && !d.IsZero() {
		return decimal.Decimal{}, fmt.Errorf("%s is negative: credits are not accepted, net them against the balances", quoteValue(orig))
	}
	return d, nil
}

// trimAffixes strips a sign and a currency symbol, in either order, before
// or after a number ("-$5", "$-5", "5 €", "5-"). ok is false when there is
// more than one of either.
func trimAffixes(s string) (rest string, minus, ok bool) {
	var signs, symbols int
	take := func(r rune) bool {
		switch {
		case r == '-' || r == '+':
			signs++
			minus = minus || r == '-'
		case unicode.Is(unicode.Sc, r):
			symbols++
		default:
			return false
		}
		return true
	}
	for {
		s = strings.TrimSpace(s)
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || !take(r) {
			break
		}
		s = s[n:]
	}
	for {
		s = strings.TrimSpace(s)
		r, n := utf8.DecodeLastRuneInString(s)
		if n == 0 || r == '+' || !take(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s, minus, signs <= 1 && symbols <= 1
}

// parseNumber reads digits with an optional decimal point and thousands
// separators in groups of three; '.' and ',' may each be either, as the
// package documentation says.
func parseNumber(s string) (decimal.Decimal, bool) {
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	point, group := -1, ""
	switch {
	case dot >= 0 && comma >= 0:
		if dot > comma {
			point, group = dot, ","
		} else {
			point, group = comma, "."
		}
	case dot >= 0:
		if strings.Count(s, ".") == 1 {
			point = dot
		} else {
			group = "."
		}
	case comma >= 0:
		if strings.Count(s, ",") > 1 || (len(s)-comma-1 == 3 && s[0] != '0') {
			group = ","
		} else {
			point = comma
		}
	}

	whole, frac := s, ""
	if point >= 0 {
		whole, frac = s[:point], s[point+1:]
		if !digits(frac) {
			return decimal.Decimal{}, false
		}
		if whole == "" {
			whole = "0" // ".5"
		}
	}
	if group != "" {
		groups := strings.Split(whole, group)
		for i, g := range groups {
			if i == 0 && (g == "" || len(g) > 3 || g[0] == '0') || i > 0 && len(g) != 3 {
				return decimal.Decimal{}, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if !digits(whole) {
		return decimal.Decimal{}, false
	}
	if frac != "" {
		whole += "." + frac
	}
	d, err := decimal.NewFromString(whole)
	return d, err == nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

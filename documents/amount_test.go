package documents

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseAmount(t *testing.T) {
	good := map[string]string{
		"":             "0",
		"  ":           "0",
		"0":            "0",
		"-0":           "0",
		"(0.00)":       "0",
		"120":          "120",
		"120.5":        "120.5",
		".5":           "0.5",
		"1,234.50":     "1234.5",
		"1,234,567.89": "1234567.89",
		"1.234,50":     "1234.5",
		"1.234.567":    "1234567",
		"1,234":        "1234",
		"12,5":         "12.5",
		"0,001":        "0.001",
		"0,125":        "0.125",
		"1.234":        "1.234",
		"$1,234.50":    "1234.5",
		"$ 99":         "99",
		"+$5":          "5",
		"1.234,56 €":   "1234.56",
		"€1.234,56":    "1234.56",
		"£0.99":        "0.99",
		"¥1,000":       "1000",
		" 42 ":         "42",
	}
	for in, want := range good {
		d, err := parseAmount(in)
		require.NoError(t, err, "%q", in)
		require.Equal(t, want, d.String(), "%q", in)
	}

	bad := map[string]string{
		"abc":      `"abc" is not an amount`,
		"1e5":      `"1e5" is not an amount`,
		"12.":      `"12." is not an amount`,
		"1,23,456": `"1,23,456" is not an amount`,
		",123":     `",123" is not an amount`,
		"1.2.3":    `"1.2.3" is not an amount`,
		"$$5":      `"$$5" is not an amount`,
		"--5":      `"--5" is not an amount`,
		"5+":       `"5+" is not an amount`,
		"USD 5":    `"USD 5" is not an amount`,
		"$":        `"$" is not an amount`,
		"1 000":    `"1 000" is not an amount`,
		"-5":       `"-5" is negative: credits are not accepted, net them against the balances`,
		"(5)":      `"(5)" is negative: credits are not accepted, net them against the balances`,
		"5-":       `"5-" is negative: credits are not accepted, net them against the balances`,
		"-$1,000":  `"-$1,000" is negative: credits are not accepted, net them against the balances`,
		"$-1,000":  `"$-1,000" is negative: credits are not accepted, net them against the balances`,
	}
	for in, want := range bad {
		_, err := parseAmount(in)
		require.EqualError(t, err, want, "%q", in)
	}
}

package assetmint_test

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint"
)

// Amounts: greater than 0, at most two decimals, at most
// 1,000,000,000,000.00 inclusive.
func TestValidateMoney(t *testing.T) {
	for in, ok := range map[string]bool{
		"0.01":             true,
		"1":                true,
		"0.010":            true, // two decimals, however written
		"999999999999.99":  true,
		"1000000000000":    true,
		"1000000000000.00": true,
		"1e12":             true,
		"1000000000000.01": false,
		"1000000000001":    false,
		"1e13":             false,
		"0.001":            false,
		"10.005":           false,
		"0":                false,
		"-0.01":            false,
	} {
		err := assetmint.ValidateMoney("amount", decimal.RequireFromString(in))
		if ok {
			require.NoError(t, err, in)
			continue
		}
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), in)
		require.Equal(t, "amount", assetmint.ErrorParam(err), in)
		require.Contains(t, assetmint.ErrorMessage(err), "amount", in)
	}
}

// Every amount the bound admits survives a JSON number read as a binary
// double: formatted back to cents, it is the amount that was sent.
func TestAcceptedMoneySurvivesADouble(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cents := rapid.Int64Range(1, 100_000_000_000_000).Draw(t, "cents")
		text := decimal.New(cents, -2).StringFixed(2)
		require.NoError(t, assetmint.ValidateMoney("amount", decimal.RequireFromString(text)))
		f, err := strconv.ParseFloat(text, 64)
		require.NoError(t, err)
		require.Equal(t, text, strconv.FormatFloat(f, 'f', 2, 64))
	})
}

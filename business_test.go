package assetmint_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

func TestNormalizeAddress(t *testing.T) {
	// EIP-55's own test vectors.
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		got, err := assetmint.NormalizeAddress("wallet_address", want)
		require.NoError(t, err)
		require.Equal(t, want, got)
		lower, err := assetmint.NormalizeAddress("wallet_address", "0x"+lowerHex(want[2:]))
		require.NoError(t, err, "all lower case carries no checksum and is accepted")
		require.Equal(t, want, lower)
	}
	for _, bad := range []string{
		"", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",   // 39 digits
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", // 41 digits
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",  // not hex
		"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",  // checksum broken
	} {
		_, err := assetmint.NormalizeAddress("wallet_address", bad)
		require.Error(t, err, bad)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))
		require.Equal(t, "wallet_address", assetmint.ErrorParam(err))
	}
}

func lowerHex(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestErrorHelpers(t *testing.T) {
	require.Equal(t, "", assetmint.ErrorCode(nil))
	err := assetmint.FieldError("name", "name is required")
	require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))
	require.Equal(t, "name", assetmint.ErrorParam(err))
	require.Equal(t, "name is required", assetmint.ErrorMessage(err))

	other := errorString("disk on fire at /var/lib/x")
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(other))
	require.NotContains(t, assetmint.ErrorMessage(other), "disk", "internal detail must not reach callers")
}

type errorString string

func (e errorString) Error() string { return string(e) }

package tokenize_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
)

// The checksummed addresses are EIP-55's own test vectors
// (https://eips.ethereum.org/EIPS/eip-55).
func TestNormalizeAddressMatchesEIP55(t *testing.T) {
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		for _, in := range []string{want, strings.ToLower(want), "0x" + strings.ToUpper(want[2:]), "0X" + want[2:]} {
			got, err := tokenize.NormalizeAddress(in)
			require.NoError(t, err, in)
			require.Equal(t, want, got, in)
		}
		// One letter's case flipped breaks the checksum.
		i := strings.IndexAny(want[2:], "abcdefABCDEF") + 2
		flipped := want[:i] + string(want[i]^0x20) + want[i+1:]
		_, err := tokenize.NormalizeAddress(flipped)
		require.ErrorIs(t, err, tokenize.ErrAddressChecksum, flipped)
	}
	for _, bad := range []string{"", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"} {
		_, err := tokenize.NormalizeAddress(bad)
		require.ErrorIs(t, err, tokenize.ErrAddressFormat, bad)
	}
}

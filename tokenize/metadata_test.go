package tokenize_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
)

func TestMetadataIsCanonical(t *testing.T) {
	m := tokenize.Metadata{AssetID: "asset_1", Name: "CNC <X200> & co", Type: "equipment", Currency: "USD",
		ValuationID: "val_1", Value: "101490.47", MaxLoan: "40920.96", RiskGrade: "B", ValuedAt: "2025-07-01T09:00:00Z",
		Documents: []string{"bb", "aa"}}
	shuffled := m
	shuffled.Documents = []string{"aa", "bb"}
	require.Equal(t, m.Canonical(), shuffled.Canonical(), "document order does not matter")
	require.Equal(t, m.Hash(), shuffled.Hash())
	require.Equal(t, `{"asset_id":"asset_1","name":"CNC <X200> & co","type":"equipment","description":"","currency":"USD","valuation_id":"val_1","value":"101490.47","max_loan":"40920.96","risk_grade":"B","valued_at":"2025-07-01T09:00:00Z","documents":["aa","bb"]}`,
		string(m.Canonical()))
	require.Equal(t, []string{"bb", "aa"}, m.Documents, "the caller's slice is left alone")

	changed := m
	changed.Value = "101490.48"
	require.NotEqual(t, m.Hash(), changed.Hash(), "a cent changes the hash")
}

func TestTokenNumberIsDerivedFromTheAssetID(t *testing.T) {
	a, b := tokenize.TokenNumber("asset_1"), tokenize.TokenNumber("asset_1")
	require.Equal(t, 0, a.Cmp(b))
	require.NotEqual(t, 0, a.Cmp(tokenize.TokenNumber("asset_2")))
	require.LessOrEqual(t, a.BitLen(), 256)
}

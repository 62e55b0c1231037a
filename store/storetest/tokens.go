package storetest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// maxUint256 is the largest ERC-721 token id, 78 decimal digits.
const maxUint256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

// newToken is a minted token of the asset on chain 31337, its token number
// and hashes unique to its id.
func newToken(businessID, assetID, id string) *assetmint.Token {
	n := id[len(id)-4:]
	return &assetmint.Token{
		ID:           id,
		BusinessID:   businessID,
		AssetID:      assetID,
		ChainID:      "31337",
		Contract:     "0x5FbDB2315678afecb367f032d93F642f64180aa3",
		TokenNumber:  strings.TrimLeft(n, "0"),
		OwnerAddress: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
		TxHash:       "0x" + hashOf("tx "+id),
		BlockNumber:  4200 + uint64(len(id)),
		Status:       assetmint.TokenMinted,
		MetadataHash: "0x" + hashOf("metadata "+id),
		TokenURI:     "https://tokens.example.com/" + id + ".json",
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}

// readToken reads one of the business's tokens, which must exist.
func readToken(t *testing.T, s assetmint.Store, businessID, id string) *assetmint.Token {
	t.Helper()
	tok, err := s.Token(t.Context(), businessID, id)
	require.NoError(t, err)
	return tok
}

func tokenIDs(p assetmint.Page[*assetmint.Token]) []string {
	return idsOf(p.Items, func(tok *assetmint.Token) string { return tok.ID })
}

// listTokens lists the business's tokens, up to 10.
func listTokens(t *testing.T, s assetmint.Store, businessID string) []string {
	t.Helper()
	p, err := s.Tokens(t.Context(), businessID, assetmint.ListParams{Limit: 10})
	require.NoError(t, err)
	require.NotNil(t, p.Items)
	return tokenIDs(p)
}

// setting reads a setting, which must be set.
func setting(t *testing.T, s assetmint.Store, key string) string {
	t.Helper()
	v, err := s.Setting(t.Context(), key)
	require.NoError(t, err)
	return v
}

var tokenTests = []test{
	{"AllTokensAndMove", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001")
		createAssets(t, s, "biz_0002", "asset_0002")
		a, b := newToken("biz_0001", "asset_0001", "tok_0001"), newToken("biz_0002", "asset_0002", "tok_0002")
		b.Contract, b.TokenNumber = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", a.TokenNumber // same number, another contract
		require.NoError(t, s.CreateToken(t.Context(), a))
		require.NoError(t, s.CreateToken(t.Context(), b))
		all, err := s.AllTokens(t.Context(), assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"tok_0002", "tok_0001"}, tokenIDs(all), "every business's, newest first")
		page, err := s.AllTokens(t.Context(), assetmint.ListParams{Limit: 1})
		require.NoError(t, err)
		require.True(t, page.HasMore)

		moved := *a
		moved.Contract = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
		moved.TxHash = "0x" + hashOf("remint")
		moved.BlockNumber = 7
		moved.UpdatedAt = at(2 * time.Hour)
		moved.OwnerAddress = "0x0000000000000000000000000000000000000001" // not written by MoveToken
		require.NoError(t, s.MoveToken(t.Context(), &moved))
		got := readToken(t, s, "biz_0001", "tok_0001")
		require.Equal(t, moved.Contract, got.Contract)
		require.Equal(t, moved.TxHash, got.TxHash)
		require.Equal(t, uint64(7), got.BlockNumber)
		require.Equal(t, a.OwnerAddress, got.OwnerAddress)
		require.Equal(t, at(2*time.Hour), got.UpdatedAt)

		wrong := moved
		wrong.BusinessID = "biz_0002"
		requireCode(t, assetmint.ENOTFOUND, s.MoveToken(t.Context(), &wrong))
		clash := moved
		clash.Contract = b.Contract // where b holds the same number
		requireCode(t, assetmint.ECONFLICT, s.MoveToken(t.Context(), &clash))
	}},
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		tok := newToken("biz_0001", "asset_0001", "tok_0001")
		tok.UpdatedAt = at(time.Hour)
		require.NoError(t, s.CreateToken(t.Context(), tok))
		require.Equal(t, tok, readToken(t, s, "biz_0001", "tok_0001"))
		got, err := s.AssetToken(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, tok, got)

		// An asset without a token.
		_, err = s.AssetToken(t.Context(), "biz_0001", "asset_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "token not found", assetmint.ErrorMessage(err))
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002", "asset_0003")
		createAssets(t, s, "biz_0002", "asset_0004")
		orig := newToken("biz_0001", "asset_0001", "tok_0001")
		require.NoError(t, s.CreateToken(t.Context(), orig))

		// The same id, on another asset and token number.
		dup := newToken("biz_0001", "asset_0002", "tok_0001")
		dup.TokenNumber = "2"
		requireCode(t, assetmint.ECONFLICT, s.CreateToken(t.Context(), dup))

		// A second token for the asset.
		second := newToken("biz_0001", "asset_0001", "tok_0002")
		requireCode(t, assetmint.ECONFLICT, s.CreateToken(t.Context(), second))

		// The same chain, contract and token number on another asset, of
		// the business or another.
		same := newToken("biz_0001", "asset_0002", "tok_0003")
		same.TokenNumber = orig.TokenNumber
		requireCode(t, assetmint.ECONFLICT, s.CreateToken(t.Context(), same))
		same = newToken("biz_0002", "asset_0004", "tok_0003")
		same.TokenNumber = orig.TokenNumber
		requireCode(t, assetmint.ECONFLICT, s.CreateToken(t.Context(), same))

		require.Equal(t, orig, readToken(t, s, "biz_0001", "tok_0001"))
		require.Equal(t, []string{"tok_0001"}, listTokens(t, s, "biz_0001"))
		require.Empty(t, listTokens(t, s, "biz_0002"))
		_, err := s.AssetToken(t.Context(), "biz_0001", "asset_0002")
		requireCode(t, assetmint.ENOTFOUND, err)

		// The same number on another chain or another contract is another
		// token.
		otherChain := newToken("biz_0001", "asset_0002", "tok_0004")
		otherChain.TokenNumber, otherChain.ChainID = orig.TokenNumber, "1"
		require.NoError(t, s.CreateToken(t.Context(), otherChain))
		otherContract := newToken("biz_0001", "asset_0003", "tok_0005")
		otherContract.TokenNumber, otherContract.Contract = orig.TokenNumber, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
		require.NoError(t, s.CreateToken(t.Context(), otherContract))
		require.Equal(t, []string{"tok_0005", "tok_0004", "tok_0001"}, listTokens(t, s, "biz_0001"))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		_, err := s.Token(t.Context(), "biz_0001", "tok_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "token not found", assetmint.ErrorMessage(err))
		_, err = s.AssetToken(t.Context(), "biz_0001", "asset_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		requireCode(t, assetmint.ENOTFOUND, s.UpdateToken(t.Context(), newToken("biz_0001", "asset_0001", "tok_0404")))
		_, err = s.Token(t.Context(), "biz_0001", "tok_0404")
		requireCode(t, assetmint.ENOTFOUND, err) // an update creates nothing

		err = s.CreateToken(t.Context(), newToken("biz_0001", "asset_0404", "tok_0001"))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.CreateToken(t.Context(), newToken("biz_0404", "asset_0001", "tok_0001")))
		_, err = s.Token(t.Context(), "biz_0001", "tok_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Empty(t, listTokens(t, s, "biz_0001"))
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0003")
		createAssets(t, s, "biz_0002", "asset_0002")
		mine := newToken("biz_0001", "asset_0001", "tok_0001")
		require.NoError(t, s.CreateToken(t.Context(), mine))
		require.NoError(t, s.CreateToken(t.Context(), newToken("biz_0002", "asset_0002", "tok_0002")))

		_, err := s.Token(t.Context(), "biz_0002", "tok_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.AssetToken(t.Context(), "biz_0002", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, []string{"tok_0001"}, listTokens(t, s, "biz_0001"))
		require.Equal(t, []string{"tok_0002"}, listTokens(t, s, "biz_0002"))

		stolen := newToken("biz_0002", "asset_0001", "tok_0001")
		stolen.OwnerAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
		stolen.Status = assetmint.TokenSeized
		requireCode(t, assetmint.ENOTFOUND, s.UpdateToken(t.Context(), stolen))
		require.Equal(t, mine, readToken(t, s, "biz_0001", "tok_0001"))

		// A token on another business's asset, with the business's own id
		// or the asset owner's: the pairing must hold.
		for _, tc := range []struct{ biz, asset string }{{"biz_0002", "asset_0001"}, {"biz_0001", "asset_0002"}} {
			err = s.CreateToken(t.Context(), newToken(tc.biz, tc.asset, "tok_0003"))
			requireCode(t, assetmint.ENOTFOUND, err)
			require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
			_, err = s.Token(t.Context(), tc.biz, "tok_0003")
			requireCode(t, assetmint.ENOTFOUND, err)
		}
		require.Equal(t, []string{"tok_0001"}, listTokens(t, s, "biz_0001"))
		require.Equal(t, []string{"tok_0002"}, listTokens(t, s, "biz_0002"))

		// The failed attempts left the asset free for its own token.
		require.NoError(t, s.CreateToken(t.Context(), newToken("biz_0001", "asset_0003", "tok_0003")))
	}},
	{"ListNewestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		require.Empty(t, listTokens(t, s, "biz_0001"))
		for i := 1; i <= 8; i++ {
			biz := "biz_0001"
			if i == 2 || i == 5 { // 2 and 5 are another business's
				biz = "biz_0002"
			}
			asset := fmt.Sprintf("asset_%04d", i)
			createAssets(t, s, biz, asset)
			tok := newToken(biz, asset, fmt.Sprintf("tok_%04d", i))
			tok.CreatedAt = at(time.Duration(i) * time.Second)
			require.NoError(t, s.CreateToken(t.Context(), tok))
		}
		// biz_0001 has, newest first: 0008 0007 0006 0004 0003 0001.
		cases := []struct {
			name    string
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", assetmint.ListParams{Limit: 2}, []string{"tok_0008", "tok_0007"}, true},
			{"starting after", assetmint.ListParams{Limit: 2, StartingAfter: "tok_0007"}, []string{"tok_0006", "tok_0004"}, true},
			{"last page", assetmint.ListParams{Limit: 2, StartingAfter: "tok_0004"}, []string{"tok_0003", "tok_0001"}, false},
			{"ending before", assetmint.ListParams{Limit: 2, EndingBefore: "tok_0003"}, []string{"tok_0006", "tok_0004"}, true},
			{"ending before, first page", assetmint.ListParams{Limit: 2, EndingBefore: "tok_0006"}, []string{"tok_0008", "tok_0007"}, false},
			{"all", assetmint.ListParams{Limit: 10}, []string{"tok_0008", "tok_0007", "tok_0006", "tok_0004", "tok_0003", "tok_0001"}, false},
			{"default limit", assetmint.ListParams{}, []string{"tok_0008", "tok_0007", "tok_0006", "tok_0004", "tok_0003", "tok_0001"}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Tokens(t.Context(), "biz_0001", tc.params)
				require.NoError(t, err)
				require.NotNil(t, p.Items)
				require.Equal(t, tc.want, tokenIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}
		p, err := s.Tokens(t.Context(), "biz_0001", assetmint.ListParams{Limit: 1})
		require.NoError(t, err)
		want := newToken("biz_0001", "asset_0008", "tok_0008")
		want.CreatedAt = at(8 * time.Second)
		require.Equal(t, []*assetmint.Token{want}, p.Items)

		// A cursor must name one of the business's tokens.
		for _, p := range []assetmint.ListParams{{StartingAfter: "tok_0005"}, {EndingBefore: "tok_0002"}, {StartingAfter: "tok_0099"}} {
			requireCursorNotFound[*assetmint.Token](t)(s.Tokens(t.Context(), "biz_0001", p))
		}
	}},
	{"UpdateWritesOnlyMutableFields", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		orig := newToken("biz_0001", "asset_0001", "tok_0001")
		require.NoError(t, s.CreateToken(t.Context(), orig))
		require.NoError(t, s.CreateToken(t.Context(), newToken("biz_0001", "asset_0002", "tok_0002")))

		tok := *orig
		tok.OwnerAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
		tok.Status = assetmint.TokenLocked
		tok.MetadataHash = "0x" + hashOf("revalued metadata")
		tok.TokenURI = "data:application/json;base64,eyJuYW1lIjoiRXhjYXZhdG9yIn0="
		tok.UpdatedAt = time.Date(2025, 3, 15, 1, 2, 3, 4, time.FixedZone("EST", -5*3600))
		// Not written: the ids, asset, chain, contract, number, mint
		// transaction, block and creation time.
		moved := tok
		moved.AssetID = "asset_0002"
		moved.ChainID = "1"
		moved.Contract = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
		moved.TokenNumber = "99"
		moved.TxHash = "0x" + hashOf("another tx")
		moved.BlockNumber = 9999
		moved.CreatedAt = at(time.Hour)
		require.NoError(t, s.UpdateToken(t.Context(), &moved))

		want := tok
		want.UpdatedAt = tok.UpdatedAt.UTC()
		require.Equal(t, &want, readToken(t, s, "biz_0001", "tok_0001"))
		got, err := s.AssetToken(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, &want, got)
		require.Equal(t, newToken("biz_0001", "asset_0002", "tok_0002"), readToken(t, s, "biz_0001", "tok_0002"),
			"only the one token changes")

		// Back to empty strings.
		want.OwnerAddress, want.MetadataHash, want.TokenURI = "", "", ""
		want.Status = assetmint.TokenBurned
		require.NoError(t, s.UpdateToken(t.Context(), &want))
		require.Equal(t, &want, readToken(t, s, "biz_0001", "tok_0001"))
	}},
	{"NumbersRoundTripExactly", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		cases := []struct {
			tokenNumber string
			block       uint64
		}{
			{maxUint256, math.MaxUint64},
			{"0", 0},
			{"1", 1},
			{"9007199254740993", 1<<53 + 1}, // not a float64
			{"18446744073709551616", math.MaxInt64},
			{"115792089237316195423570985008687907853269984665640564039457584007913129639934", 1 << 63},
			{"1000000000000000000000000000000000000000000000000000000000000000000000000000", 21_000_000},
		}
		for i, tc := range cases {
			asset := fmt.Sprintf("asset_%04d", i+1)
			createAssets(t, s, "biz_0001", asset)
			tok := newToken("biz_0001", asset, fmt.Sprintf("tok_%04d", i+1))
			tok.TokenNumber, tok.BlockNumber = tc.tokenNumber, tc.block
			tok.ChainID = strconv.FormatUint(math.MaxUint64-uint64(i), 10)
			require.NoError(t, s.CreateToken(t.Context(), tok))
			got := readToken(t, s, "biz_0001", tok.ID)
			require.Equal(t, tc.tokenNumber, got.TokenNumber)
			require.Equal(t, tc.block, got.BlockNumber, "block %d", tc.block)
			require.Equal(t, tok, got)
		}
		require.Len(t, maxUint256, 78)

		p, err := s.Tokens(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, len(cases))
		for i, tok := range p.Items {
			tc := cases[len(cases)-1-i]
			require.Equal(t, tc.tokenNumber, tok.TokenNumber, "list: %s", tok.ID)
			require.Equal(t, tc.block, tok.BlockNumber, "list: %s", tok.ID)
		}

		// Numbers are text: the same value spelled otherwise is another
		// string, kept as given.
		createAssets(t, s, "biz_0001", "asset_0100")
		tok := newToken("biz_0001", "asset_0100", "tok_0100")
		tok.TokenNumber = "01"
		require.NoError(t, s.CreateToken(t.Context(), tok))
		require.Equal(t, "01", readToken(t, s, "biz_0001", "tok_0100").TokenNumber)
	}},
	{"LongTokenURI", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		tok := newToken("biz_0001", "asset_0001", "tok_0001")
		tok.TokenURI = "data:application/json;base64," + strings.Repeat("eyJuYW1lIjoiRXhjYXZhdG9yIn0", 300)
		require.NoError(t, s.CreateToken(t.Context(), tok))
		require.Equal(t, tok, readToken(t, s, "biz_0001", "tok_0001"))
		tok.TokenURI = "data:application/json," + strings.Repeat(`{"name":"Exca\u0076ator ü"}`, 400)
		require.NoError(t, s.UpdateToken(t.Context(), tok))
		require.Equal(t, tok, readToken(t, s, "biz_0001", "tok_0001"))
	}},
	{"TimesRoundTrip", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		newYork := time.FixedZone("EST", -5*3600)
		tok := newToken("biz_0001", "asset_0001", "tok_0001")
		tok.CreatedAt = time.Date(2025, 1, 1, 0, 0, 0, 1, newYork)
		tok.UpdatedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, newYork)
		require.NoError(t, s.CreateToken(t.Context(), tok))
		got := readToken(t, s, "biz_0001", "tok_0001")
		require.Equal(t, tok.CreatedAt.UTC(), got.CreatedAt)
		require.Equal(t, tok.UpdatedAt.UTC(), got.UpdatedAt)
		require.Equal(t, time.UTC, got.CreatedAt.Location())
		require.Equal(t, time.UTC, got.UpdatedAt.Location())
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		require.NoError(t, s.SetSetting(t.Context(), "contract:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3"))
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			tok := newToken("biz_0001", "asset_0001", "tok_0001")
			require.NoError(t, tx.CreateToken(t.Context(), tok))
			got, err := tx.Token(t.Context(), "biz_0001", "tok_0001")
			require.NoError(t, err, "reads its own writes")
			require.Equal(t, tok, got)
			got, err = tx.AssetToken(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			require.Equal(t, tok, got)
			p, err := tx.Tokens(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"tok_0001"}, tokenIDs(p))
			tok.Status = assetmint.TokenLocked
			require.NoError(t, tx.UpdateToken(t.Context(), tok))

			require.NoError(t, tx.SetSetting(t.Context(), "contract:31337", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"))
			require.NoError(t, tx.SetSetting(t.Context(), "contract:1", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"))
			v, err := tx.Setting(t.Context(), "contract:31337")
			require.NoError(t, err)
			require.Equal(t, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", v)
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.Token(t.Context(), "biz_0001", "tok_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.AssetToken(t.Context(), "biz_0001", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Empty(t, listTokens(t, s, "biz_0001"))
		require.Equal(t, "0x5FbDB2315678afecb367f032d93F642f64180aa3", setting(t, s, "contract:31337"))
		_, err = s.Setting(t.Context(), "contract:1")
		requireCode(t, assetmint.ENOTFOUND, err)

		// The rolled-back token left the asset, id and number free.
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			return tx.CreateToken(t.Context(), newToken("biz_0001", "asset_0001", "tok_0001"))
		}))
		require.Equal(t, newToken("biz_0001", "asset_0001", "tok_0001"), readToken(t, s, "biz_0001", "tok_0001"))
	}},
}

var settingTests = []test{
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		_, err := s.Setting(t.Context(), "contract:31337")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "setting not found", assetmint.ErrorMessage(err))
	}},
	{"SetAndReplace", func(t *testing.T, s assetmint.Store) {
		require.NoError(t, s.SetSetting(t.Context(), "contract:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3"))
		require.NoError(t, s.SetSetting(t.Context(), "contract:1", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"))
		require.Equal(t, "0x5FbDB2315678afecb367f032d93F642f64180aa3", setting(t, s, "contract:31337"))
		require.Equal(t, "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", setting(t, s, "contract:1"))

		require.NoError(t, s.SetSetting(t.Context(), "contract:31337", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"))
		require.Equal(t, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", setting(t, s, "contract:31337"), "replaced")
		require.Equal(t, "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", setting(t, s, "contract:1"), "only the one key")

		// An empty value is a value, not an absent setting; keys are exact.
		require.NoError(t, s.SetSetting(t.Context(), "contract:31337", ""))
		require.Equal(t, "", setting(t, s, "contract:31337"))
		_, err := s.Setting(t.Context(), "CONTRACT:31337")
		requireCode(t, assetmint.ENOTFOUND, err)

		long := strings.Repeat("é0x", 2000)
		require.NoError(t, s.SetSetting(t.Context(), "metadata:base", long))
		require.Equal(t, long, setting(t, s, "metadata:base"))
	}},
}

package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

var businessTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		b := newBusiness("biz_0001")
		b.WalletAddress = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
		require.NoError(t, s.CreateBusiness(t.Context(), b))
		got, err := s.Business(t.Context(), "biz_0001")
		require.NoError(t, err)
		require.Equal(t, b, got)
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		requireCode(t, assetmint.ECONFLICT, s.CreateBusiness(t.Context(), newBusiness("biz_0001")))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		_, err := s.Business(t.Context(), "biz_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		requireCode(t, assetmint.ENOTFOUND, s.UpdateBusiness(t.Context(), newBusiness("biz_0001")))
	}},
	{"Update", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		b := newBusiness("biz_0001")
		b.Name = "Acme Heavy Equipment"
		b.Plan = "enterprise"
		b.WalletAddress = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
		b.UpdatedAt = at(time.Hour)
		require.NoError(t, s.UpdateBusiness(t.Context(), b))
		got, err := s.Business(t.Context(), "biz_0001")
		require.NoError(t, err)
		require.Equal(t, b, got)

		other, err := s.Business(t.Context(), "biz_0002")
		require.NoError(t, err)
		require.Equal(t, newBusiness("biz_0002"), other, "only the one business changes")
	}},
	{"ListNewestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002", "biz_0003", "biz_0004", "biz_0005")
		ids := func(p assetmint.Page[*assetmint.Business]) []string {
			return idsOf(p.Items, func(b *assetmint.Business) string { return b.ID })
		}
		page := func(p assetmint.ListParams) assetmint.Page[*assetmint.Business] {
			t.Helper()
			got, err := s.Businesses(t.Context(), p)
			require.NoError(t, err)
			return got
		}

		p := page(assetmint.ListParams{Limit: 2})
		require.Equal(t, []string{"biz_0005", "biz_0004"}, ids(p))
		require.True(t, p.HasMore)
		require.Equal(t, newBusiness("biz_0005"), p.Items[0])

		p = page(assetmint.ListParams{Limit: 2, StartingAfter: "biz_0004"})
		require.Equal(t, []string{"biz_0003", "biz_0002"}, ids(p))
		require.True(t, p.HasMore)

		p = page(assetmint.ListParams{Limit: 2, StartingAfter: "biz_0002"})
		require.Equal(t, []string{"biz_0001"}, ids(p))
		require.False(t, p.HasMore)

		p = page(assetmint.ListParams{Limit: 2, EndingBefore: "biz_0003"})
		require.Equal(t, []string{"biz_0005", "biz_0004"}, ids(p))
		require.False(t, p.HasMore)

		p = page(assetmint.ListParams{Limit: 10})
		require.Len(t, p.Items, 5)
		require.False(t, p.HasMore)

		requireCursorNotFound[*assetmint.Business](t)(s.Businesses(t.Context(), assetmint.ListParams{StartingAfter: "biz_0009"}))
		requireCursorNotFound[*assetmint.Business](t)(s.Businesses(t.Context(), assetmint.ListParams{EndingBefore: "biz_0000"}))
	}},
	{"EmptyList", func(t *testing.T, s assetmint.Store) {
		p, err := s.Businesses(t.Context(), assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.NotNil(t, p.Items, "an empty page has an empty, non-nil slice")
		require.Empty(t, p.Items)
		require.False(t, p.HasMore)
	}},
}

func newClient(businessID, id string) *assetmint.Client {
	return &assetmint.Client{ID: id, BusinessID: businessID, SecretHash: "argon2id$hash-of-" + id, CreatedAt: t0}
}

var clientTests = []test{
	{"CreateAndReadWithBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		c := newClient("biz_0001", "cli_0001")
		require.NoError(t, s.CreateClient(t.Context(), c))
		got, biz, err := s.Client(t.Context(), "cli_0001")
		require.NoError(t, err)
		require.Equal(t, c, got)
		require.True(t, got.PreviousExpiresAt.IsZero())
		require.True(t, got.RevokedAt.IsZero())
		require.True(t, got.Active())
		require.Equal(t, newBusiness("biz_0001"), biz)
	}},
	{"UnknownBusinessIsNotFound", func(t *testing.T, s assetmint.Store) {
		err := s.CreateClient(t.Context(), newClient("biz_0404", "cli_0001"))
		requireCode(t, assetmint.ENOTFOUND, err)
		_, _, err = s.Client(t.Context(), "cli_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.CreateClient(t.Context(), newClient("biz_0001", "cli_0001")))
		requireCode(t, assetmint.ECONFLICT, s.CreateClient(t.Context(), newClient("biz_0001", "cli_0001")))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		_, _, err := s.Client(t.Context(), "cli_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		requireCode(t, assetmint.ENOTFOUND, s.UpdateClient(t.Context(), newClient("biz_0001", "cli_0404")))
	}},
	{"RotateAndRevoke", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.CreateClient(t.Context(), newClient("biz_0001", "cli_0001")))
		require.NoError(t, s.CreateClient(t.Context(), newClient("biz_0001", "cli_0002")))

		c := newClient("biz_0001", "cli_0001")
		c.PreviousSecretHash = c.SecretHash
		c.SecretHash = "argon2id$rotated"
		c.PreviousExpiresAt = at(24 * time.Hour)
		require.NoError(t, s.UpdateClient(t.Context(), c))
		got, _, err := s.Client(t.Context(), "cli_0001")
		require.NoError(t, err)
		require.Equal(t, c, got)

		c.RevokedAt = at(2 * time.Hour)
		require.NoError(t, s.UpdateClient(t.Context(), c))
		got, _, err = s.Client(t.Context(), "cli_0001")
		require.NoError(t, err)
		require.Equal(t, c, got)
		require.False(t, got.Active())

		other, _, err := s.Client(t.Context(), "cli_0002")
		require.NoError(t, err)
		require.Equal(t, newClient("biz_0001", "cli_0002"), other, "only the one client changes")
	}},
}

var assetTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		a := newAsset("biz_0001", "asset_0001")
		require.NoError(t, s.CreateAsset(t.Context(), a))
		got, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireAssetEqual(t, a, got)
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0001")))
		requireCode(t, assetmint.ECONFLICT, s.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0001")))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		_, err := s.Asset(t.Context(), "biz_0001", "asset_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.UpdateAsset(t.Context(), newAsset("biz_0001", "asset_0404")))
	}},
	{"Update", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0001")))
		require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0002")))

		a := newAsset("biz_0001", "asset_0001")
		a.Name = "CAT 320 excavator, refurbished"
		a.Description = "New tracks, 2024"
		a.EstimatedValue = decimal.RequireFromString("91250.55")
		a.Metadata = map[string]any{"serial": "CAT-320-0001", "hours": json.Number("4200")}
		a.Status = assetmint.AssetValued
		a.UpdatedAt = at(time.Hour)
		require.NoError(t, s.UpdateAsset(t.Context(), a))
		got, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireAssetEqual(t, a, got)

		other, err := s.Asset(t.Context(), "biz_0001", "asset_0002")
		require.NoError(t, err)
		requireAssetEqual(t, newAsset("biz_0001", "asset_0002"), other)
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		mine := newAsset("biz_0001", "asset_0001")
		require.NoError(t, s.CreateAsset(t.Context(), mine))
		require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0002", "asset_0002")))

		_, err := s.Asset(t.Context(), "biz_0002", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		stolen := newAsset("biz_0002", "asset_0001")
		stolen.Name = "stolen"
		requireCode(t, assetmint.ENOTFOUND, s.UpdateAsset(t.Context(), stolen))
		got, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireAssetEqual(t, mine, got)

		p, err := s.Assets(t.Context(), "biz_0002", assetmint.AssetFilter{}, assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"asset_0002"}, assetIDs(p))
		p, err = s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"asset_0001"}, assetIDs(p))
	}},
	{"FilterByStatus", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		statuses := map[int]assetmint.AssetStatus{2: assetmint.AssetVerified, 3: assetmint.AssetVerified,
			4: assetmint.AssetRejected, 5: assetmint.AssetVerified, 6: assetmint.AssetPledged, 8: assetmint.AssetVerified}
		for i := 1; i <= 8; i++ {
			biz := "biz_0001"
			if i == 5 { // another business's verified asset sits between
				biz = "biz_0002"
			}
			a := newAsset(biz, fmt.Sprintf("asset_%04d", i))
			if st, ok := statuses[i]; ok {
				a.Status = st
			}
			require.NoError(t, s.CreateAsset(t.Context(), a))
		}
		// biz_0001, newest first: 0008 verified, 0007 pending, 0006
		// pledged, 0004 rejected, 0003 verified, 0002 verified, 0001 pending.
		list := func(st assetmint.AssetStatus, p assetmint.ListParams) assetmint.Page[*assetmint.Asset] {
			t.Helper()
			page, err := s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{Status: st}, p)
			require.NoError(t, err)
			require.NotNil(t, page.Items)
			return page
		}
		cases := []struct {
			name    string
			status  assetmint.AssetStatus
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"all", "", assetmint.ListParams{Limit: 10}, []string{"asset_0008", "asset_0007", "asset_0006", "asset_0004", "asset_0003", "asset_0002", "asset_0001"}, false},
			{"verified", assetmint.AssetVerified, assetmint.ListParams{Limit: 10}, []string{"asset_0008", "asset_0003", "asset_0002"}, false},
			{"verified, first page", assetmint.AssetVerified, assetmint.ListParams{Limit: 2}, []string{"asset_0008", "asset_0003"}, true},
			{"verified, starting after", assetmint.AssetVerified, assetmint.ListParams{Limit: 2, StartingAfter: "asset_0003"}, []string{"asset_0002"}, false},
			{"verified, ending before", assetmint.AssetVerified, assetmint.ListParams{Limit: 1, EndingBefore: "asset_0002"}, []string{"asset_0003"}, true},
			{"verified, after one in another status", assetmint.AssetVerified, assetmint.ListParams{Limit: 2, StartingAfter: "asset_0007"}, []string{"asset_0003", "asset_0002"}, false},
			{"pending", assetmint.AssetPendingValuation, assetmint.ListParams{Limit: 10}, []string{"asset_0007", "asset_0001"}, false},
			{"pledged", assetmint.AssetPledged, assetmint.ListParams{}, []string{"asset_0006"}, false},
			{"none in the status", assetmint.AssetLiquidated, assetmint.ListParams{}, []string{}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := list(tc.status, tc.params)
				require.Equal(t, tc.want, assetIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
				for _, a := range p.Items {
					require.Equal(t, "biz_0001", a.BusinessID)
				}
			})
		}
		requireCursorNotFound[*assetmint.Asset](t)(s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{Status: assetmint.AssetVerified},
			assetmint.ListParams{StartingAfter: "asset_0005"}))

		// The filter reads the status as it is now.
		a, err := s.Asset(t.Context(), "biz_0001", "asset_0007")
		require.NoError(t, err)
		a.Status = assetmint.AssetVerified
		require.NoError(t, s.UpdateAsset(t.Context(), a))
		require.Equal(t, []string{"asset_0008", "asset_0007", "asset_0003", "asset_0002"}, assetIDs(list(assetmint.AssetVerified, assetmint.ListParams{})))
		require.Equal(t, []string{"asset_0001"}, assetIDs(list(assetmint.AssetPendingValuation, assetmint.ListParams{})))
	}},
	{"MetadataRoundTrip", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		a := newAsset("biz_0001", "asset_0001")
		a.Metadata = map[string]any{
			"serial":   "CAT-320-0042",
			"year":     json.Number("2019"),
			"hours":    json.Number("1234.50"),
			"big":      json.Number("12345678901234567890.123456789"),
			"tags":     []any{"yellow", json.Number("3"), true},
			"location": map[string]any{"site": "Yard <4> & co", "lat": json.Number("52.5200066")},
			"leased":   false,
			"note":     nil,
			"unicode":  "Grüße, 東京",
		}
		require.NoError(t, s.CreateAsset(t.Context(), a))
		got, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, a.Metadata, got.Metadata)

		a.Metadata = nil
		a.ID = "asset_0002"
		require.NoError(t, s.CreateAsset(t.Context(), a))
		got, err = s.Asset(t.Context(), "biz_0001", "asset_0002")
		require.NoError(t, err)
		require.Empty(t, got.Metadata)
	}},
	{"MoneyIsExact", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		amounts := []string{"85000.10", "0.01", "999999999999999.99", "1725.56", "100"}
		for i, amount := range amounts {
			a := newAsset("biz_0001", fmt.Sprintf("asset_%04d", i+1))
			a.EstimatedValue = decimal.RequireFromString(amount)
			require.NoError(t, s.CreateAsset(t.Context(), a))
			got, err := s.Asset(t.Context(), "biz_0001", a.ID)
			require.NoError(t, err)
			require.True(t, a.EstimatedValue.Equal(got.EstimatedValue), "want %s, got %s", amount, got.EstimatedValue)
			require.Equal(t, amount, got.EstimatedValue.StringFixed(int32(max(0, -a.EstimatedValue.Exponent()))))
		}
		p, err := s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, len(amounts))
		for i, a := range p.Items { // newest first
			want := decimal.RequireFromString(amounts[len(amounts)-1-i])
			require.True(t, want.Equal(a.EstimatedValue), "list: want %s, got %s", want, a.EstimatedValue)
		}
	}},
	{"TimesAreUTCWithNanoseconds", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		a := newAsset("biz_0001", "asset_0001")
		newYork := time.FixedZone("EST", -5*3600)
		a.CreatedAt = time.Date(2025, 1, 2, 3, 4, 5, 6, newYork)
		a.UpdatedAt = time.Date(2025, 1, 2, 3, 4, 6, 0, newYork) // no fraction at all
		require.NoError(t, s.CreateAsset(t.Context(), a))
		got, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.True(t, a.CreatedAt.Equal(got.CreatedAt), "created_at: want %s, got %s", a.CreatedAt, got.CreatedAt)
		require.True(t, a.UpdatedAt.Equal(got.UpdatedAt), "updated_at: want %s, got %s", a.UpdatedAt, got.UpdatedAt)
		require.Equal(t, time.UTC, got.CreatedAt.Location())
		require.Equal(t, time.UTC, got.UpdatedAt.Location())
		require.Equal(t, 6, got.CreatedAt.Nanosecond())
		require.Equal(t, a.CreatedAt.UTC(), got.CreatedAt)
	}},
}

// paginationTests page through one business's assets while another
// business's assets sit between them in id order.
var paginationTests = []test{
	{"Cursors", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		for i := 1; i <= 10; i++ {
			biz := "biz_0001"
			if i%3 == 2 { // 2, 5, 8 belong to the other business
				biz = "biz_0002"
			}
			require.NoError(t, s.CreateAsset(t.Context(), newAsset(biz, fmt.Sprintf("asset_%04d", i))))
		}
		// biz_0001 has, newest first: 0010 0009 0007 0006 0004 0003 0001.
		cases := []struct {
			name    string
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", assetmint.ListParams{Limit: 3}, []string{"asset_0010", "asset_0009", "asset_0007"}, true},
			{"starting after", assetmint.ListParams{Limit: 3, StartingAfter: "asset_0007"}, []string{"asset_0006", "asset_0004", "asset_0003"}, true},
			{"last page", assetmint.ListParams{Limit: 3, StartingAfter: "asset_0003"}, []string{"asset_0001"}, false},
			{"after the oldest", assetmint.ListParams{Limit: 3, StartingAfter: "asset_0001"}, []string{}, false},
			{"ending before the oldest", assetmint.ListParams{Limit: 3, EndingBefore: "asset_0001"}, []string{"asset_0006", "asset_0004", "asset_0003"}, true},
			{"ending before, first page", assetmint.ListParams{Limit: 3, EndingBefore: "asset_0006"}, []string{"asset_0010", "asset_0009", "asset_0007"}, false},
			{"before the newest", assetmint.ListParams{Limit: 3, EndingBefore: "asset_0010"}, []string{}, false},
			{"exactly all", assetmint.ListParams{Limit: 7}, []string{"asset_0010", "asset_0009", "asset_0007", "asset_0006", "asset_0004", "asset_0003", "asset_0001"}, false},
			{"all but one", assetmint.ListParams{Limit: 6}, []string{"asset_0010", "asset_0009", "asset_0007", "asset_0006", "asset_0004", "asset_0003"}, true},
			{"limit 1", assetmint.ListParams{Limit: 1}, []string{"asset_0010"}, true},
			{"max limit", assetmint.ListParams{Limit: assetmint.MaxListLimit}, []string{"asset_0010", "asset_0009", "asset_0007", "asset_0006", "asset_0004", "asset_0003", "asset_0001"}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, tc.params)
				require.NoError(t, err)
				require.NotNil(t, p.Items)
				require.Equal(t, tc.want, assetIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}
		// A cursor must name one of the business's assets: another
		// business's, or none at all, is not a place in this list.
		for _, p := range []assetmint.ListParams{
			{Limit: 2, StartingAfter: "asset_0008"}, {Limit: 2, EndingBefore: "asset_0005"},
			{Limit: 2, StartingAfter: "asset_0099"}, {Limit: 2, EndingBefore: "asset_0000"}, {StartingAfter: "asset_0006x"},
		} {
			requireCursorNotFound[*assetmint.Asset](t)(s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, p))
		}
		p, err := s.Assets(t.Context(), "biz_0002", assetmint.AssetFilter{}, assetmint.ListParams{StartingAfter: "asset_0008"})
		require.NoError(t, err)
		require.Equal(t, []string{"asset_0005", "asset_0002"}, assetIDs(p), "the other business's own cursor")
	}},
	{"WalkBothWays", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		var all []string
		for i := 1; i <= 23; i++ {
			id := fmt.Sprintf("asset_%04d", i)
			require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0001", id)))
			all = append([]string{id}, all...) // newest first
		}
		// Forward with starting_after, five at a time.
		var seen []string
		var pages [][]string
		p := assetmint.ListParams{Limit: 5}
		for {
			page, err := s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, p)
			require.NoError(t, err)
			seen = append(seen, assetIDs(page)...)
			pages = append(pages, assetIDs(page))
			if !page.HasMore {
				break
			}
			p.StartingAfter = page.Items[len(page.Items)-1].ID
		}
		require.Equal(t, all, seen)
		require.Len(t, pages, 5)

		// Back with ending_before from the last page: the same pages.
		p = assetmint.ListParams{Limit: 5, EndingBefore: pages[4][0]}
		for i := 3; i >= 0; i-- {
			page, err := s.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, p)
			require.NoError(t, err)
			require.Equal(t, pages[i], assetIDs(page), "page %d", i)
			require.Equal(t, i > 0, page.HasMore, "page %d", i)
			p.EndingBefore = page.Items[0].ID
		}
	}},
}

func newEvent(businessID, id, typ string, created time.Time) *assetmint.Event {
	data := fmt.Sprintf(`{"asset_id":"asset_%s","estimated_value":85000.10}`, id[len(id)-4:])
	return &assetmint.Event{ID: id, BusinessID: businessID, Type: typ, Data: json.RawMessage(data), CreatedAt: created}
}

var eventTests = []test{
	{"AppendAndListScoped", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		want := []*assetmint.Event{
			newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, t0),
			newEvent("biz_0002", "evt_0002", assetmint.EventAssetSubmitted, at(time.Second)),
			newEvent("biz_0001", "evt_0003", assetmint.EventAssetUpdated, at(2*time.Second)),
			newEvent("biz_0001", "evt_0004", assetmint.EventAssetUpdated, at(3*time.Second)),
		}
		for _, e := range want {
			require.NoError(t, s.AppendEvent(t.Context(), e))
		}
		p, err := s.Events(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.False(t, p.HasMore)
		require.Len(t, p.Items, 3)
		for i, w := range []*assetmint.Event{want[3], want[2], want[0]} {
			got := p.Items[i]
			require.Equal(t, w.ID, got.ID)
			require.Equal(t, w.BusinessID, got.BusinessID)
			require.Equal(t, w.Type, got.Type)
			require.JSONEq(t, string(w.Data), string(got.Data))
			require.Equal(t, w.CreatedAt, got.CreatedAt)
		}

		p, err = s.Events(t.Context(), "biz_0002", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"evt_0002"}, idsOf(p.Items, func(e *assetmint.Event) string { return e.ID }))

		p, err = s.Events(t.Context(), "biz_0001", assetmint.ListParams{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []string{"evt_0004", "evt_0003"}, idsOf(p.Items, func(e *assetmint.Event) string { return e.ID }))
		require.True(t, p.HasMore)

		p, err = s.Events(t.Context(), "biz_0001", assetmint.ListParams{StartingAfter: "evt_0003"})
		require.NoError(t, err)
		require.Equal(t, []string{"evt_0001"}, idsOf(p.Items, func(e *assetmint.Event) string { return e.ID }))
		requireCursorNotFound[*assetmint.Event](t)(s.Events(t.Context(), "biz_0001", assetmint.ListParams{StartingAfter: "evt_0002"}))
		requireCursorNotFound[*assetmint.Event](t)(s.Events(t.Context(), "biz_0001", assetmint.ListParams{EndingBefore: "evt_0009"}))
	}},
	{"ReadScoped", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		mine := newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("EST", -5*3600)))
		require.NoError(t, s.AppendEvent(t.Context(), mine))
		require.NoError(t, s.AppendEvent(t.Context(), newEvent("biz_0002", "evt_0002", assetmint.EventAssetUpdated, t0)))
		bare := &assetmint.Event{ID: "evt_0003", BusinessID: "biz_0001", Type: assetmint.EventAssetUpdated, CreatedAt: t0}
		require.NoError(t, s.AppendEvent(t.Context(), bare))

		got, err := s.Event(t.Context(), "biz_0001", "evt_0001")
		require.NoError(t, err)
		require.Equal(t, mine.ID, got.ID)
		require.Equal(t, mine.BusinessID, got.BusinessID)
		require.Equal(t, mine.Type, got.Type)
		require.JSONEq(t, string(mine.Data), string(got.Data))
		require.Equal(t, mine.CreatedAt.UTC(), got.CreatedAt)

		got, err = s.Event(t.Context(), "biz_0001", "evt_0003")
		require.NoError(t, err)
		require.Empty(t, got.Data, "no data")
		require.Equal(t, t0, got.CreatedAt)

		_, err = s.Event(t.Context(), "biz_0002", "evt_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.Event(t.Context(), "biz_0001", "evt_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.Event(t.Context(), "biz_0001", "evt_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "event not found", assetmint.ErrorMessage(err))
		got, err = s.Event(t.Context(), "biz_0002", "evt_0002")
		require.NoError(t, err)
		require.Equal(t, "evt_0002", got.ID)
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.AppendEvent(t.Context(), newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, t0)))
		requireCode(t, assetmint.ECONFLICT, s.AppendEvent(t.Context(), newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, t0)))
	}},
	{"EmptyList", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		p, err := s.Events(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.NotNil(t, p.Items)
		require.Empty(t, p.Items)
	}},
}

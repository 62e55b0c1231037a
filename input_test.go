package assetmint_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
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

// Dates given as input lie between 1900-01-01 and 2200-12-31, in UTC.
func TestValidateDate(t *testing.T) {
	plus1 := time.FixedZone("+01:00", 3600)
	for _, tc := range []struct {
		t  time.Time
		ok bool
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2200, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1900, 1, 1, 0, 30, 0, 0, plus1), false}, // 1899-12-31T23:30Z
		{time.Time{}, false},
		{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		err := assetmint.ValidateDate("date", tc.t)
		if tc.ok {
			require.NoError(t, err, tc.t)
			continue
		}
		require.Equal(t, "date", assetmint.ErrorParam(err), tc.t)
		require.Equal(t, "date must be between 1900-01-01 and 2200-12-31", assetmint.ErrorMessage(err))
	}
}

// controls are the characters no name or short string may hold: U+0000 to
// U+001F and U+007F.
func controls() []rune {
	var out []rune
	for r := rune(0); r < 0x20; r++ {
		out = append(out, r)
	}
	return append(out, 0x7f)
}

// Names and short strings refuse every control character and invalid
// UTF-8; long free text allows tab and newline and refuses the rest. A
// refused input writes nothing.
func TestTextInputRefusesControlCharacters(t *testing.T) {
	b := flowSetup(t, func(c *assetmint.Config) { c.Webhooks.AllowPrivate = true })
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	asset := func(edit func(*assetmint.NewAsset)) error {
		in := assetmint.NewAsset{Name: "Lathe", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(5000)}
		edit(&in)
		_, err := b.engine.SubmitAsset(ctx, biz.ID, in)
		return err
	}
	document := func(edit func(*assetmint.NewDocument)) error {
		in := invoice(a.ID, "X200-0042")
		edit(&in)
		_, err := b.engine.UploadDocument(ctx, biz.ID, in)
		return err
	}
	inputs := []struct {
		param    string
		freeText bool
		try      func(s string) error
	}{
		{"name", false, func(s string) error { return asset(func(in *assetmint.NewAsset) { in.Name = s }) }},
		{"name", false, func(s string) error {
			_, err := b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Name: &s})
			return err
		}},
		{"name", false, func(s string) error {
			_, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: s})
			return err
		}},
		{"name", false, func(s string) error {
			_, err := b.engine.Operator().UpdateBusiness(ctx, biz.ID, assetmint.BusinessUpdate{Name: &s})
			return err
		}},
		{"metadata", false, func(s string) error {
			return asset(func(in *assetmint.NewAsset) { in.Metadata = map[string]any{s: 1} })
		}},
		{"description", true, func(s string) error { return asset(func(in *assetmint.NewAsset) { in.Description = s }) }},
		{"serial", false, func(s string) error { return document(func(in *assetmint.NewDocument) { in.Serial = s }) }},
		{"vin", false, func(s string) error {
			return document(func(in *assetmint.NewDocument) { in.VIN = s + strings.Repeat("1", 17-len(s)) })
		}},
		{"issuer", false, func(s string) error { return document(func(in *assetmint.NewDocument) { in.Issuer = s }) }},
		{"file", false, func(s string) error {
			return document(func(in *assetmint.NewDocument) { in.Filename = s + ".pdf" })
		}},
		{"url", false, func(s string) error {
			_, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/" + s})
			return err
		}},
		{"description", true, func(s string) error {
			_, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/x", Description: s})
			return err
		}},
		{"reason", true, func(s string) error {
			_, err := b.engine.Operator().RejectAsset(ctx, "asset_nope", s)
			return err
		}},
		{"reason", true, func(s string) error {
			_, err := b.engine.Operator().RejectLoan(ctx, "loan_nope", s)
			return err
		}},
		{"purpose", true, func(s string) error {
			_, err := b.engine.RequestLoan(ctx, biz.ID, assetmint.NewLoan{AssetID: a.ID, Amount: decimal.NewFromInt(100), TermMonths: 12, Purpose: s})
			return err
		}},
	}
	for _, in := range inputs {
		bad := []string{"a\xffb", "\xc3"}
		for _, r := range controls() {
			if in.freeText && (r == '\t' || r == '\n') {
				continue
			}
			bad = append(bad, "a"+string(r)+"b")
		}
		for _, s := range bad {
			err := in.try(s)
			require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "%s %q: %v", in.param, s, err)
			require.Equal(t, in.param, assetmint.ErrorParam(err), "%s %q: %v", in.param, s, err)
		}
		if in.freeText {
			for _, s := range []string{"line one\nline two", "a\tb"} {
				err := in.try(s)
				require.NotEqual(t, in.param, assetmint.ErrorParam(err), "%s %q is allowed: %v", in.param, s, err)
			}
		}
	}

	assets, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{}, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, assets.Items, 3, "the CNC machine, and the two with allowed descriptions")
	docs, err := b.engine.AssetDocuments(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Empty(t, docs)
	got, err := b.engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, "CNC Milling Machine — Model X200", got.Name)
	hooks, err := b.engine.WebhookEndpoints(ctx, biz.ID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, hooks.Items, 2, "the two with allowed descriptions")
	businesses, err := b.engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, businesses.Items, 1)
	require.Equal(t, "Acme", businesses.Items[0].Name)
}

// A declared document date is a calendar date within 1900-2200: nil is no
// date, and Go's zero time is year 1, refused like any other.
func TestDocumentDate(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	upload := func(date *time.Time) (*assetmint.Document, error) {
		in := invoice(a.ID, "X200-0042")
		in.Date = date
		return b.engine.UploadDocument(ctx, biz.ID, in)
	}
	for _, d := range []time.Time{
		{}, time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		_, err := upload(&d)
		require.Equal(t, "date", assetmint.ErrorParam(err), d)
		require.Equal(t, "date must be between 1900-01-01 and 2200-12-31", assetmint.ErrorMessage(err))
	}
	docs, err := b.engine.AssetDocuments(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Empty(t, docs, "nothing was written")

	d, err := upload(nil)
	require.NoError(t, err)
	require.True(t, d.Date.IsZero(), "no date declared")
	d, err = upload(new(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	require.Equal(t, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), d.Date)
	d, err = upload(new(time.Date(2200, 12, 31, 17, 30, 0, 0, time.UTC)))
	require.NoError(t, err)
	require.Equal(t, time.Date(2200, 12, 31, 0, 0, 0, 0, time.UTC), d.Date, "the calendar date, at midnight UTC")
	docs, err = b.engine.AssetDocuments(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Len(t, docs, 3)
	require.Equal(t, d.Date, docs[2].Date, "stored as returned")
	require.Equal(t, valuation.KindInvoice, docs[2].Kind)
}

// A repayment's received_at, when given, lies within 1900-2200; it is
// checked before the loan is read.
func TestRepaymentReceivedAtRange(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for _, at := range []time.Time{
		time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC),
	} {
		_, err := b.engine.Operator().RecordRepayment(ctx, "loan_nope", assetmint.NewRepayment{Amount: decimal.NewFromInt(5), ReceivedAt: at})
		require.Equal(t, "received_at", assetmint.ErrorParam(err), at)
		require.Equal(t, "received_at must be between 1900-01-01 and 2200-12-31", assetmint.ErrorMessage(err))
	}
	_, err := b.engine.Operator().RecordRepayment(ctx, "loan_nope", assetmint.NewRepayment{Amount: decimal.NewFromInt(5)})
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "no received_at is now")
}

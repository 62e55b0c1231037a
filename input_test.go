package assetmint_test

import (
	"context"
	"strconv"
	"strings"
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
	biz, _, err := b.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
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
			_, _, err := b.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: s})
			return err
		}},
		{"name", false, func(s string) error {
			_, err := b.engine.UpdateBusiness(ctx, biz.ID, assetmint.BusinessUpdate{Name: &s})
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
			_, err := b.engine.RejectAsset(ctx, "asset_nope", s)
			return err
		}},
		{"reason", true, func(s string) error {
			_, err := b.engine.RejectLoan(ctx, "loan_nope", s)
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

	assets, err := b.engine.Assets(ctx, biz.ID, assetmint.ListParams{Limit: 100})
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
	businesses, err := b.engine.Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, businesses.Items, 1)
	require.Equal(t, "Acme", businesses.Items[0].Name)
}

package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint"
)

// oaMoneyInputs are the members of the request schemas that take money.
var oaMoneyInputs = [][2]string{
	{"NewAsset", "estimated_value"},
	{"AssetUpdate", "estimated_value"},
	{"NewLoan", "amount"},
	{"NewLoan", "balloon_amount"},
	{"NewRepayment", "amount"},
	{"DocumentUpload", "amount"}, // a multipart field: the string form only
}

func oaMoneySchemas(t *testing.T) map[string]*openapi3.Schema {
	t.Helper()
	doc := oaLoad(t)
	out := map[string]*openapi3.Schema{}
	for _, in := range oaMoneyInputs {
		s := doc.Components.Schemas[in[0]].Value.Properties[in[1]]
		require.NotNil(t, s, "%s.%s", in[0], in[1])
		out[in[0]+"."+in[1]] = s.Value
	}
	return out
}

// The money rules (greater than 0, at most 2 decimals, at most
// 1,000,000,000,000.00) are in the schemas themselves, for the number and
// the numeric string alike, and agree with the engine's
// assetmint.ValidateMoney.
func TestOpenAPIMoneyInputs(t *testing.T) {
	schemas := oaMoneySchemas(t)
	for _, c := range []struct {
		text   string
		doc    bool // the document accepts it
		engine bool // assetmint.ValidateMoney accepts it
	}{
		{"0.01", true, true},
		{"0.1", true, true},
		{"0.10", true, true},
		{"0.05", true, true},
		{"1", true, true},
		{"1.15", true, true},
		{"0.29", true, true},
		{"1725.56", true, true},
		{"85000", true, true},
		{"999999999999.99", true, true},
		{"1000000000000", true, true},
		{"1000000000000.0", true, true},
		{"1000000000000.00", true, true},
		{"0", false, false},
		{"0.00", false, false},
		{"-5", false, false},
		{"-0.01", false, false},
		{"10.001", false, false},
		{"0.001", false, false},
		{"1000000000000.01", false, false},
		{"1000000000001", false, false},
		{"5000000000000", false, false},
		// Spellings the engine's decimal parser also takes: the document
		// asks for the plain form.
		{"005", false, true},
		{"+5", false, true},
		{".5", false, true},
		{"5.", false, true},
	} {
		d := decimal.RequireFromString(c.text)
		require.Equal(t, c.engine, assetmint.ValidateMoney("amount", d) == nil, "engine, %s", c.text)
		for name, s := range schemas {
			require.Equal(t, c.doc, s.VisitJSON(c.text) == nil, "%s, the string %q", name, c.text)
			if name == "DocumentUpload.amount" {
				continue
			}
			if json.Valid([]byte(c.text)) { // the same value as a JSON number
				f, err := strconv.ParseFloat(c.text, 64)
				require.NoError(t, err)
				require.Equal(t, c.doc, s.VisitJSON(f) == nil, "%s, the number %s", name, c.text)
			}
		}
	}
	for name, s := range schemas {
		require.Error(t, s.VisitJSON("lots"), name)
		if name != "DocumentUpload.amount" {
			require.Error(t, s.VisitJSON(true), name)
		}
	}
}

// Every amount the engine accepts, written plainly, the document accepts,
// as a numeric string and as a JSON number (a binary double); one with a
// third decimal it refuses.
func TestOpenAPIMoneyInputsProperty(t *testing.T) {
	schemas := oaMoneySchemas(t)
	rapid.Check(t, func(rt *rapid.T) {
		cents := rapid.Int64Range(1, 100_000_000_000_000).Draw(rt, "cents")
		ok := decimal.New(cents, -2)
		tenths := rapid.Int64Range(1, 9).Draw(rt, "thousandth")
		bad := decimal.New(cents*10-10+tenths, -3) // a third decimal, still in range
		for _, text := range []string{ok.String(), ok.StringFixed(2)} {
			require.NoError(rt, assetmint.ValidateMoney("amount", ok))
			f, _ := ok.Float64()
			for name, s := range schemas {
				require.NoError(rt, s.VisitJSON(text), "%s, the string %q", name, text)
				if name != "DocumentUpload.amount" {
					require.NoError(rt, s.VisitJSON(f), "%s, the number %s", name, fmt.Sprint(f))
				}
			}
		}
		require.Error(rt, assetmint.ValidateMoney("amount", bad))
		f, _ := bad.Float64()
		for name, s := range schemas {
			require.Error(rt, s.VisitJSON(bad.String()), "%s, the string %q", name, bad.String())
			if name != "DocumentUpload.amount" {
				require.Error(rt, s.VisitJSON(f), "%s, the number %s", name, bad.String())
			}
		}
	})
}

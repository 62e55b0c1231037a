package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
)

// An upload's date is a calendar date within 1900-01-01 and 2200-12-31:
// year 1 (Go's zero time) is refused like any other date out of range,
// not stored as "no date", and a refused upload writes nothing.
func TestUploadDateRange(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	id := b.asset(t, tok, "Lathe")
	upload := func(date string) response {
		return b.upload(t, tok, "invoice.pdf", []byte(pdfBytes+date), "asset_id", id, "kind", "invoice", "date", date)
	}
	for _, date := range []string{"0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31", "2021-02-30", "2021-7-1", "01/07/2021", "2021-07-01T00:00:00Z"} {
		res := upload(date)
		require.Equal(t, http.StatusBadRequest, res.status, "%s: %s", date, res.raw)
		require.Equal(t, "date", res.errField("param"), date)
		require.Contains(t, res.errField("message"), "date")
	}
	res := b.do(t, "GET", "/v1/assets/"+id, tok, nil)
	require.Equal(t, []any{}, res.data()["documents"], "nothing was written")

	for _, date := range []string{"1900-01-01", "2200-12-31"} {
		res := upload(date)
		require.Equal(t, http.StatusCreated, res.status, res.raw)
		require.Equal(t, date, res.data()["date"])
	}
	res = b.upload(t, tok, "invoice.pdf", []byte(pdfBytes+"undated"), "asset_id", id, "kind", "invoice")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Nil(t, res.data()["date"])
}

// A repayment's received_at, when sent, lies within 1900-01-01 and
// 2200-12-31; 0001-01-01T00:00:00Z (Go's zero time) is not read as "now".
func TestRepaymentReceivedAtRange(t *testing.T) {
	b, _ := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	asset := b.tokenizedAsset(t, tok, "STRICT-1")
	res := b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":20000,"term_months":24}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	loan := res.data()["id"].(string)
	require.NoError(t, b.engine.RunPending(context.Background()))
	repay := "/v1/admin/loans/" + loan + "/repayments"
	for i, at := range []string{"0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "1900-01-01T00:30:00+01:00", "2201-01-01T00:00:00Z"} {
		res := b.do(t, "POST", repay, adminToken, `{"amount":100,"received_at":"`+at+`"}`, "Idempotency-Key", "range-"+string(rune('a'+i)))
		require.Equal(t, http.StatusBadRequest, res.status, "%s: %s", at, res.raw)
		require.Equal(t, "received_at", res.errField("param"), at)
		require.Equal(t, "received_at must be between 1900-01-01 and 2200-12-31", res.errField("message"))
	}
	d, err := b.engine.Loan(context.Background(), creds.BusinessID, loan)
	require.NoError(t, err)
	require.Empty(t, d.Repayments, "nothing was written")
}

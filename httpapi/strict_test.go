package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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

// A JSON body that repeats a key, at the top or inside a member, is a 400
// naming the top-level member on every JSON route, and writes nothing.
// Before, the last one silently won.
func TestDuplicateKeysAreRefused(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	ctx := context.Background()
	asset := b.asset(t, tok, "Lathe")
	before, err := b.engine.Asset(ctx, creds.BusinessID, asset)
	require.NoError(t, err)
	biz := "/v1/admin/businesses/" + creds.BusinessID
	for _, tc := range []struct {
		method, path, token, body, param string
	}{
		{"POST", "/v1/assets", tok, `{"name":"a","name":"b","type":"art","estimated_value":1}`, "name"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"estimated_value":1}`, "estimated_value"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"metadata":{"k":1,"k":2}}`, "metadata"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"metadata":{"k":[{"x":1,"x":1}]}}`, "metadata"},
		{"PATCH", "/v1/assets/" + asset, tok, `{"name":"x","name":"y"}`, "name"},
		{"PATCH", "/v1/assets/" + asset, tok, `{"metadata":{"a":1,"\u0061":null}}`, "metadata"},
		{"POST", "/v1/loans", tok, `{"asset_id":"` + asset + `","amount":1,"amount":2,"term_months":12}`, "amount"},
		{"POST", "/v1/webhooks", tok, `{"url":"https://a.example.com/x","url":"https://b.example.com/y"}`, "url"},
		{"POST", "/v1/webhooks/wh_x/rotate_secret", tok, `{"a":1,"a":1}`, "a"},
		{"POST", "/v1/webhooks/wh_x/deliveries/dlv_x/retry", tok, `{"a":1,"a":1}`, "a"},
		{"POST", "/v1/admin/businesses", adminToken, `{"name":"A","plan":"business","name":"B"}`, "name"},
		{"PATCH", biz, adminToken, `{"plan":"business","plan":"enterprise"}`, "plan"},
		{"POST", biz + "/clients", adminToken, `{"a":1,"a":1}`, "a"},
		{"POST", "/v1/admin/assets/" + asset + "/verify", adminToken, `{"a":{},"a":{}}`, "a"},
		{"POST", "/v1/admin/assets/" + asset + "/reject", adminToken, `{"reason":"a","reason":"b"}`, "reason"},
		{"POST", "/v1/admin/loans/loan_x/approve", adminToken, `{"annual_rate":0.1,"annual_rate":0.2}`, "annual_rate"},
		{"POST", "/v1/admin/loans/loan_x/reject", adminToken, `{"reason":"a","reason":"b"}`, "reason"},
		{"POST", "/v1/admin/loans/loan_x/fund", adminToken, `{"a":1,"a":1}`, "a"},
		{"POST", "/v1/admin/loans/loan_x/repayments", adminToken, `{"amount":1,"amount":1}`, "amount"},
	} {
		res := b.do(t, tc.method, tc.path, tc.token, tc.body, "Idempotency-Key", "dup-"+tc.param)
		require.Equal(t, http.StatusBadRequest, res.status, "%s %s %s: %s", tc.method, tc.path, tc.body, res.raw)
		require.Equal(t, "invalid_request_error", res.errField("type"))
		require.Equal(t, tc.param, res.errField("param"), tc.body)
		require.Contains(t, res.errField("message"), tc.param)
	}

	after, err := b.engine.Asset(ctx, creds.BusinessID, asset)
	require.NoError(t, err)
	require.Equal(t, before, after, "the asset is as it was")
	assets, events := b.count(t, tok)
	require.Equal(t, 1, assets)
	require.Equal(t, 1, events, "asset.submitted only")
	bizAfter, err := b.engine.Operator().Business(ctx, creds.BusinessID)
	require.NoError(t, err)
	require.Equal(t, auth.PlanEnterprise, bizAfter.Plan)
	all, err := b.engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, all.Items, 1)
	hooks, err := b.engine.WebhookEndpoints(ctx, creds.BusinessID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Empty(t, hooks.Items)

	// The token endpoint refuses a repeated key too, in RFC 6749 shape, even
	// when both carry the right credentials.
	cred := `"client_id":"` + creds.ClientID + `","client_secret":"` + creds.ClientSecret + `"`
	for _, body := range []string{
		`{` + cred + `,"grant_type":"client_credentials","grant_type":"client_credentials"}`,
		`{` + cred + `,"grant_type":"client_credentials","client_secret":"wrong"}`,
		`{` + cred + `,"grant_type":"client_credentials","x":{"y":1,"y":2}}`,
	} {
		res := b.do(t, "POST", "/v1/auth/token", "", body)
		require.Equal(t, http.StatusBadRequest, res.status, res.raw)
		require.Equal(t, "invalid_request", res.json["error"], res.raw)
		require.NotEmpty(t, res.json["error_description"])
	}
	res := b.do(t, "POST", "/v1/auth/token", "", `{`+cred+`,"grant_type":"client_credentials","x":{"y":1}}`)
	require.Equal(t, http.StatusOK, res.status, "unknown parameters are still ignored: %s", res.raw)
}

// send is b.do with exactly the headers given (added, so a header may be
// sent twice): no Content-Type unless one is given.
func (b *bundle) send(t testing.TB, method, path, token, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, b.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, jsonDecode(raw, &out.json), string(raw))
	}
	return out
}

// Every POST and PATCH route that takes JSON answers 415 to a body of
// another Content-Type (or of two), and writes nothing; a JSON body with
// no Content-Type is read as JSON; an empty body on the routes whose body
// is optional is accepted whatever the header says.
func TestJSONRoutesRefuseOtherContentTypes(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	ctx := context.Background()
	asset := b.asset(t, tok, "Lathe")
	biz := "/v1/admin/businesses/" + creds.BusinessID
	routes := []struct {
		method, path, token, body string
		optional                  bool // the body may be left out
		emptyStatus               int  // the answer to an empty text/plain body, on those routes
	}{
		{"POST", "/v1/assets", tok, `{"name":"x","type":"art","estimated_value":1}`, false, 0},
		{"PATCH", "/v1/assets/" + asset, tok, `{"name":"x"}`, false, 0},
		{"POST", "/v1/loans", tok, `{"asset_id":"` + asset + `","amount":1,"term_months":12}`, false, 0},
		{"POST", "/v1/webhooks", tok, `{"url":"https://hooks.example.com/x"}`, false, 0},
		{"POST", "/v1/webhooks/wh_x/rotate_secret", tok, `{}`, true, http.StatusNotFound},
		{"POST", "/v1/webhooks/wh_x/deliveries/dlv_x/retry", tok, `{}`, true, http.StatusNotFound},
		{"POST", "/v1/admin/businesses", adminToken, `{"name":"Globex"}`, false, 0},
		{"PATCH", biz, adminToken, `{"plan":"business"}`, false, 0},
		{"POST", biz + "/clients", adminToken, `{}`, true, http.StatusCreated},
		{"POST", "/v1/admin/assets/" + asset + "/verify", adminToken, `{}`, true, http.StatusConflict}, // pending valuation
		{"POST", "/v1/admin/assets/" + asset + "/reject", adminToken, `{"reason":"x"}`, false, 0},
		{"POST", "/v1/admin/loans/loan_x/approve", adminToken, `{"annual_rate":0.1}`, true, http.StatusNotFound},
		{"POST", "/v1/admin/loans/loan_x/reject", adminToken, `{"reason":"x"}`, false, 0},
		{"POST", "/v1/admin/loans/loan_x/fund", adminToken, `{}`, true, http.StatusNotFound},
		{"POST", "/v1/admin/loans/loan_x/repayments", adminToken, `{"amount":1}`, false, 0},
	}
	state := func() string {
		a, err := b.engine.Asset(ctx, creds.BusinessID, asset)
		require.NoError(t, err)
		bz, err := b.engine.Operator().Business(ctx, creds.BusinessID)
		require.NoError(t, err)
		assets, events := b.count(t, tok)
		all, err := b.engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 100})
		require.NoError(t, err)
		hooks, err := b.engine.WebhookEndpoints(ctx, creds.BusinessID, assetmint.ListParams{})
		require.NoError(t, err)
		return fmt.Sprint(a.Name, a.Status, bz.Plan, assets, events, len(all.Items), len(hooks.Items))
	}
	before := state()
	for i, rt := range routes {
		for j, header := range [][]string{
			{"Content-Type", "text/plain"},
			{"Content-Type", "text/plain; charset=utf-8"},
			{"Content-Type", "application/x-www-form-urlencoded"},
			{"Content-Type", "multipart/form-data; boundary=x"},
			{"Content-Type", "application/jsonx"},
			{"Content-Type", "json"},
			{"Content-Type", "application/json; charset"},
			{"Content-Type", "application/json", "Content-Type", "text/plain"},
		} {
			key := fmt.Sprint("ct-", i, "-", j) // with or without a key, the answer is the same
			res := b.send(t, rt.method, rt.path, rt.token, rt.body, append(header, "Idempotency-Key", key)...)
			require.Equal(t, http.StatusUnsupportedMediaType, res.status, "%s %s %v: %s", rt.method, rt.path, header, res.raw)
			require.Equal(t, "unsupported_media_type", res.errField("code"))
			require.Equal(t, "invalid_request_error", res.errField("type"))
			if !strings.HasSuffix(rt.path, "/repayments") { // which asks for its key first
				res = b.send(t, rt.method, rt.path, rt.token, rt.body, header...)
				require.Equal(t, http.StatusUnsupportedMediaType, res.status, "%s %s %v: %s", rt.method, rt.path, header, res.raw)
			}
		}
		if rt.optional {
			for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/json"} {
				res := b.send(t, rt.method, rt.path, rt.token, "", "Content-Type", ct)
				require.Equal(t, rt.emptyStatus, res.status, "%s %s, no body, %s: %s", rt.method, rt.path, ct, res.raw)
			}
			res := b.send(t, rt.method, rt.path, rt.token, "")
			require.Equal(t, rt.emptyStatus, res.status, "%s %s, no body: %s", rt.method, rt.path, res.raw)
		}
	}
	if after := state(); after != before {
		t.Fatalf("a refused request wrote something: %s -> %s", before, after)
	}

	// No Content-Type: the body is read as JSON. So are the +json types and
	// parameters on application/json.
	res := b.send(t, "POST", "/v1/assets", tok, `{"name":"No header","type":"art","estimated_value":1}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	res = b.send(t, "POST", "/v1/assets", tok, `{"name":"Charset","type":"art","estimated_value":1}`, "Content-Type", "application/json; charset=utf-8")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	res = b.send(t, "PATCH", "/v1/assets/"+asset, tok, `{"name":"Merge patch"}`, "Content-Type", "application/merge-patch+json")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	res = b.send(t, "POST", biz+"/clients", adminToken, `{}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	res = b.send(t, "POST", biz+"/clients", adminToken, `{"name":"x"}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.status, "clients takes no parameters: %s", res.raw)
	require.Equal(t, "name", res.errField("param"))
}

// A body over the limit (1 MiB of JSON) is a 413 on every route that
// takes a body, the token endpoint included, which keeps its RFC 6749
// shape; a body of exactly the limit is read.
func TestBodiesOverTheLimitAre413Everywhere(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	const limit = 1 << 20
	big := `{"name":"` + strings.Repeat("a", limit) + `"}`
	biz := "/v1/admin/businesses/" + creds.BusinessID
	for _, rt := range []struct{ method, path, token string }{
		{"POST", "/v1/assets", tok}, {"PATCH", "/v1/assets/asset_x", tok}, {"POST", "/v1/loans", tok},
		{"POST", "/v1/webhooks", tok}, {"POST", "/v1/webhooks/wh_x/rotate_secret", tok},
		{"POST", "/v1/webhooks/wh_x/deliveries/dlv_x/retry", tok},
		{"POST", "/v1/admin/businesses", adminToken}, {"PATCH", biz, adminToken}, {"POST", biz + "/clients", adminToken},
		{"POST", "/v1/admin/assets/asset_x/verify", adminToken}, {"POST", "/v1/admin/assets/asset_x/reject", adminToken},
		{"POST", "/v1/admin/loans/loan_x/approve", adminToken}, {"POST", "/v1/admin/loans/loan_x/reject", adminToken},
		{"POST", "/v1/admin/loans/loan_x/fund", adminToken}, {"POST", "/v1/admin/loans/loan_x/repayments", adminToken},
	} {
		res := b.do(t, rt.method, rt.path, rt.token, big, "Idempotency-Key", "big")
		require.Equal(t, http.StatusRequestEntityTooLarge, res.status, "%s %s: %s", rt.method, rt.path, res.raw)
		require.Equal(t, "request_too_large", res.errField("code"))
		require.Equal(t, "invalid_request_error", res.errField("type"))
	}

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}}.Encode()
	pad := "&pad="
	for _, tc := range []struct{ body, ctype string }{
		{`{"grant_type":"client_credentials","pad":"` + strings.Repeat("a", 2<<20) + `"}`, "application/json"},
		{form + pad + strings.Repeat("a", limit+1-len(form)-len(pad)), "application/x-www-form-urlencoded"},
		{form + pad + strings.Repeat("a", 2<<20), ""},
	} {
		res := b.send(t, "POST", "/v1/auth/token", "", tc.body, "Content-Type", tc.ctype)
		require.Equal(t, http.StatusRequestEntityTooLarge, res.status, res.raw[:min(len(res.raw), 200)])
		require.Equal(t, "invalid_request", res.json["error"])
		require.Equal(t, fmt.Sprintf("The request body must be at most %d bytes", limit), res.json["error_description"])
		require.Len(t, res.json, 2, "the RFC 6749 shape: error and error_description")
		require.Equal(t, "no-store", res.header.Get("Cache-Control"))
	}
	at := form + pad + strings.Repeat("a", limit-len(form)-len(pad))
	require.Len(t, at, limit)
	res := b.send(t, "POST", "/v1/auth/token", "", at, "Content-Type", "application/x-www-form-urlencoded")
	require.Equal(t, http.StatusOK, res.status, "a body of exactly the limit is read")
}

// Control characters and out-of-range amounts sent through the API are
// refused with the field named (the engine's rules, reached through
// JSON escapes and form fields), and nothing is written; tab and newline
// stay allowed in long free text.
func TestControlCharactersAndAmountsOnTheWire(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	ctx := context.Background()
	asset := b.asset(t, tok, "Lathe")
	biz := "/v1/admin/businesses/" + creds.BusinessID
	const over = "1000000000000.01"
	for _, tc := range []struct {
		method, path, token, body, param string
	}{
		{"POST", "/v1/assets", tok, `{"name":"a\u0000b","type":"art","estimated_value":1}`, "name"},
		{"POST", "/v1/assets", tok, `{"name":"a\u001bb","type":"art","estimated_value":1}`, "name"},
		{"POST", "/v1/assets", tok, `{"name":"a\tb","type":"art","estimated_value":1}`, "name"},
		{"POST", "/v1/assets", tok, `{"name":"a\u007f","type":"art","estimated_value":1}`, "name"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"description":"a\u0007"}`, "description"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"metadata":{"k\r":1}}`, "metadata"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1,"currency":"US\u0000"}`, "currency"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":` + over + `}`, "estimated_value"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":"` + over + `"}`, "estimated_value"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":1e13}`, "estimated_value"},
		{"POST", "/v1/assets", tok, `{"name":"a","type":"art","estimated_value":0.001}`, "estimated_value"},
		{"PATCH", "/v1/assets/" + asset, tok, `{"name":"\u0000"}`, "name"},
		{"PATCH", "/v1/assets/" + asset, tok, `{"estimated_value":` + over + `}`, "estimated_value"},
		{"POST", "/v1/loans", tok, `{"asset_id":"` + asset + `","amount":` + over + `,"term_months":12}`, "amount"},
		{"POST", "/v1/loans", tok, `{"asset_id":"` + asset + `","amount":100,"term_months":12,"amortization":"balloon","balloon_amount":` + over + `}`, "balloon_amount"},
		{"POST", "/v1/loans", tok, `{"asset_id":"` + asset + `","amount":100,"term_months":12,"purpose":"a\u0000"}`, "purpose"},
		{"POST", "/v1/webhooks", tok, `{"url":"https://hooks.example.com/a\u0000"}`, "url"},
		{"POST", "/v1/webhooks", tok, `{"url":"https://hooks.example.com/a","description":"\u0008"}`, "description"},
		{"POST", "/v1/admin/businesses", adminToken, `{"name":"Globex\u0000"}`, "name"},
		{"PATCH", biz, adminToken, `{"name":"\u0085\u0001"}`, "name"},
		{"POST", "/v1/admin/assets/" + asset + "/reject", adminToken, `{"reason":"no\u0000"}`, "reason"},
		{"POST", "/v1/admin/loans/loan_x/reject", adminToken, `{"reason":"no\u001f"}`, "reason"},
		{"POST", "/v1/admin/loans/loan_x/repayments", adminToken, `{"amount":` + over + `}`, "amount"},
	} {
		res := b.do(t, tc.method, tc.path, tc.token, tc.body, "Idempotency-Key", "wire-"+tc.param)
		require.Equal(t, http.StatusBadRequest, res.status, "%s %s %s: %s", tc.method, tc.path, tc.body, res.raw)
		require.Equal(t, tc.param, res.errField("param"), tc.body)
		require.Contains(t, res.errField("message"), tc.param)
	}
	for _, fields := range [][]string{
		{"serial", "X200\x00"}, {"issuer", "Haas\x1b[31m"}, {"vin", "1HGCM82633A00435\x7f"}, {"serial", "X200\xff"},
		{"amount", over, "currency", "USD"}, {"amount", "0.001", "currency", "USD"},
	} {
		res := b.upload(t, tok, "invoice.pdf", []byte(pdfBytes), append([]string{"asset_id", asset, "kind", "invoice"}, fields...)...)
		require.Equal(t, http.StatusBadRequest, res.status, "%q: %s", fields, res.raw)
		require.Equal(t, fields[0], res.errField("param"))
	}

	got, err := b.engine.Asset(ctx, creds.BusinessID, asset)
	require.NoError(t, err)
	require.Equal(t, "Lathe", got.Name)
	docs, err := b.engine.AssetDocuments(ctx, creds.BusinessID, asset)
	require.NoError(t, err)
	require.Empty(t, docs)
	assets, events := b.count(t, tok)
	require.Equal(t, 1, assets)
	require.Equal(t, 1, events)
	all, err := b.engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, all.Items, 1)
	require.Equal(t, "Acme enterprise", all.Items[0].Name)

	// Free text keeps tab and newline; the largest amount is taken.
	res := b.do(t, "POST", "/v1/assets", tok, `{"name":"Mill","type":"art","estimated_value":1000000000000,"description":"line 1\n\tline 2"}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "line 1\n\tline 2", res.data()["description"])
	require.Equal(t, "1000000000000", fmt.Sprint(res.data()["estimated_value"]))
}

// Every query parameter appears at most once: which of two values a server
// would take is anyone's guess, so a repeat is a 400 naming the parameter,
// on every route that reads the query.
func TestQueryParametersAppearOnce(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	asset := b.asset(t, tok, "Lathe")
	ep, err := b.engine.CreateWebhookEndpoint(ctx, creds.BusinessID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/assetmint"})
	require.NoError(t, err)

	routes := []struct{ path, token string }{
		{"/v1/assets", tok},
		{"/v1/tokens", tok},
		{"/v1/loans", tok},
		{"/v1/webhooks", tok},
		{"/v1/webhooks/" + ep.ID + "/deliveries", tok},
		{"/v1/valuations/" + asset + "?history=true", tok},
		{"/v1/admin/businesses", adminToken},
		{"/v1/admin/loans", adminToken},
	}
	join := func(path, query string) string {
		if strings.Contains(path, "?") {
			return path + "&" + query
		}
		return path + "?" + query
	}
	for _, rt := range routes {
		res := b.do(t, "GET", rt.path, rt.token, nil)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", rt.path, res.raw)
		for _, c := range []struct{ query, param string }{
			{"limit=1&limit=abc", "limit"},
			{"limit=5&limit=5", "limit"},
			{"starting_after=" + asset + "&starting_after=" + asset, "starting_after"},
			{"ending_before=x&ending_before=y", "ending_before"},
		} {
			res := b.do(t, "GET", join(rt.path, c.query), rt.token, nil)
			require.Equal(t, http.StatusBadRequest, res.status, "%s %s: %s", rt.path, c.query, res.raw)
			require.Equal(t, c.param, res.errField("param"), "%s %s", rt.path, c.query)
			require.Equal(t, c.param+" appears more than once in the query string", res.errField("message"))
		}
	}
	for _, path := range []string{"/v1/assets", "/v1/loans", "/v1/admin/loans"} {
		token := tok
		if strings.HasPrefix(path, "/v1/admin/") {
			token = adminToken
		}
		for _, query := range []string{"status=funded&status=repaid", "status=verified&status=verified", "status=&status=funded"} {
			res := b.do(t, "GET", path+"?"+query, token, nil)
			require.Equal(t, http.StatusBadRequest, res.status, "%s?%s: %s", path, query, res.raw)
			require.Equal(t, "status", res.errField("param"), "%s?%s", path, query)
		}
	}
	for _, query := range []string{"history=true&history=false", "history=false&history=false", "history=true&history=true&limit=1"} {
		res := b.do(t, "GET", "/v1/valuations/"+asset+"?"+query, tok, nil)
		require.Equal(t, http.StatusBadRequest, res.status, "%s: %s", query, res.raw)
		require.Equal(t, "history", res.errField("param"), query)
	}

	// The same query with each parameter once is answered.
	res := b.do(t, "GET", "/v1/assets?status=pending_valuation&limit=1", tok, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Len(t, res.list(), 1)
	// Two unknown parameters: the first by name, whatever the map order.
	for range 5 {
		res = b.do(t, "GET", "/v1/tokens?zeta=1&alpha=2", tok, nil)
		require.Equal(t, "alpha", res.errField("param"))
	}
}

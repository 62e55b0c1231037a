package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// The reference's "Submitting an asset" call, with its body as written.
func TestSubmitAssetAsInTheReference(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanDeveloper))
	res := b.do(t, "POST", "/v1/assets", tok, `{
"name": "CNC Milling Machine — Model X200",
"type": "equipment",
"description": "Industrial CNC machine, 2021, excellent condition",
"estimated_value": 85000
}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	d := res.data()
	require.Regexp(t, `^asset_[0-9A-Za-z]{22}$`, d["id"])
	require.Equal(t, "pending_valuation", d["status"])
	require.Equal(t, "2026-03-31T14:00:00Z", d["created_at"])
	require.Equal(t, "CNC Milling Machine — Model X200", d["name"])
	require.Equal(t, "85000", fmt.Sprint(d["estimated_value"]))
	require.Equal(t, "USD", d["currency"])
	require.Equal(t, []any{}, d["documents"])
	require.Nil(t, d["valuation"])
	require.Nil(t, res.json["error"])
	meta := res.json["meta"].(map[string]any)
	require.Equal(t, res.header.Get("Request-Id"), meta["request_id"])
	require.Regexp(t, `^req_`, meta["request_id"])

	// asset.submitted is in the outbox, written with the asset.
	p, err := b.engine.Authenticate(context.Background(), tok)
	require.NoError(t, err)
	events, err := b.engine.Events(context.Background(), p.BusinessID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, events.Items, 1)
	require.Equal(t, "asset.submitted", events.Items[0].Type)
	require.Contains(t, string(events.Items[0].Data), `"asset_id":"`+d["id"].(string)+`"`)

	got := b.do(t, "GET", "/v1/assets/"+d["id"].(string), tok, nil)
	require.Equal(t, http.StatusOK, got.status)
	require.Equal(t, d, got.data())
}

func TestMoneyIsExactOnTheWire(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	for in, want := range map[string]string{
		`1725.56`:            "1725.56",
		`"1725.56"`:          "1725.56",
		`"85000.10"`:         "85000.1",
		`0.01`:               "0.01",
		`999999999999.99`:    "999999999999.99",
		`"999999999999.99"`:  "999999999999.99",
		`1000000000000`:      "1000000000000",
		`"1000000000000.00"`: "1000000000000",
	} {
		res := b.do(t, "POST", "/v1/assets", tok, `{"name":"x","type":"art","estimated_value":`+in+`}`)
		require.Equal(t, http.StatusCreated, res.status, in+": "+res.raw)
		require.Equal(t, want, fmt.Sprint(res.data()["estimated_value"]), in)
	}
}

func TestBadAssetInputIsRejectedAndNothingIsWritten(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	valid := `"name":"Truck","type":"vehicle","estimated_value":50000`
	cases := []struct {
		name   string
		body   string
		ctype  string
		status int
		param  string
		code   string
	}{
		{name: "missing name", body: `{"type":"vehicle","estimated_value":1}`, status: 400, param: "name"},
		{name: "blank name", body: `{"name":"  ","type":"vehicle","estimated_value":1}`, status: 400, param: "name"},
		{name: "missing type", body: `{"name":"x","estimated_value":1}`, status: 400, param: "type"},
		{name: "unknown type", body: `{"name":"x","type":"boat","estimated_value":1}`, status: 400, param: "type"},
		{name: "missing value", body: `{"name":"x","type":"vehicle"}`, status: 400, param: "estimated_value"},
		{name: "negative value", body: `{"name":"x","type":"vehicle","estimated_value":-5}`, status: 400, param: "estimated_value"},
		{name: "zero value", body: `{"name":"x","type":"vehicle","estimated_value":0}`, status: 400, param: "estimated_value"},
		{name: "sub-cent value", body: `{"name":"x","type":"vehicle","estimated_value":10.005}`, status: 400, param: "estimated_value"},
		{name: "huge value", body: `{"name":"x","type":"vehicle","estimated_value":1e20}`, status: 400, param: "estimated_value"},
		{name: "value not numeric", body: `{"name":"x","type":"vehicle","estimated_value":"lots"}`, status: 400, param: "estimated_value"},
		{name: "value bool", body: `{"name":"x","type":"vehicle","estimated_value":true}`, status: 400, param: "estimated_value"},
		{name: "value null", body: `{"name":"x","type":"vehicle","estimated_value":null}`, status: 400, param: "estimated_value"},
		{name: "name number", body: `{"name":5,"type":"vehicle","estimated_value":1}`, status: 400, param: "name"},
		{name: "unknown field", body: `{` + valid + `,"colour":"red"}`, status: 400, param: "colour"},
		{name: "server-set status", body: `{` + valid + `,"status":"verified"}`, status: 400, param: "status"},
		{name: "server-set id", body: `{` + valid + `,"id":"asset_x"}`, status: 400, param: "id"},
		{name: "bad currency", body: `{` + valid + `,"currency":"usd"}`, status: 400, param: "currency"},
		{name: "metadata array", body: `{` + valid + `,"metadata":[1]}`, status: 400, param: "metadata"},
		{name: "long description", body: `{` + valid + `,"description":"` + strings.Repeat("a", 5001) + `"}`, status: 400, param: "description"},
		{name: "malformed json", body: `{"name":"x",`, status: 400},
		{name: "empty body", body: ``, status: 400},
		{name: "array body", body: `[]`, status: 400},
		{name: "null body", body: `null`, status: 400},
		{name: "trailing data", body: `{` + valid + `} {}`, status: 400},
		{name: "wrong content type", body: `{` + valid + `}`, ctype: "text/plain", status: 415},
		{name: "oversized body", body: `{` + valid + `,"description":"` + strings.Repeat("a", 1<<20) + `"}`, status: 413, code: "request_too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdr := []string{}
			if tc.ctype != "" {
				hdr = append(hdr, "Content-Type", tc.ctype)
			}
			res := b.do(t, "POST", "/v1/assets", tok, tc.body, hdr...)
			require.Equal(t, tc.status, res.status, res.raw)
			require.Equal(t, "invalid_request_error", res.errField("type"), res.raw)
			require.NotEmpty(t, res.errField("message"))
			require.Equal(t, tc.param, res.errField("param"), res.raw)
			if tc.code != "" {
				require.Equal(t, tc.code, res.errField("code"))
			}
			if tc.param != "" {
				require.Contains(t, res.errField("message"), tc.param, "the message names the field")
			}
			require.Nil(t, res.json["data"])
			assets, events := b.count(t, tok)
			require.Zero(t, assets, "nothing is written")
			require.Zero(t, events, "nothing is written")
		})
	}
}

func TestPatchAsset(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	res := b.do(t, "POST", "/v1/assets", tok, map[string]any{
		"name": "Lathe", "type": "equipment", "estimated_value": "12000.50",
		"metadata": map[string]any{"site": "Leeds", "serial": "L-1", "count": 3},
	})
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	id := res.data()["id"].(string)

	b.clock.Advance(time.Minute)
	res = b.do(t, "PATCH", "/v1/assets/"+id, tok, `{"description":"Lathe, 2019, good condition","metadata":{"site":"York","serial":null}}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	d := res.data()
	require.Equal(t, "Lathe, 2019, good condition", d["description"])
	require.Equal(t, map[string]any{"site": "York", "count": jsonNumber("3")}, d["metadata"])
	require.Equal(t, "pending_valuation", d["status"])
	require.Equal(t, "2026-03-31T14:01:00Z", d["updated_at"])
	require.Equal(t, "2026-03-31T14:00:00Z", d["created_at"])
	_, events := b.count(t, tok)
	require.Equal(t, 2, events, "asset.updated is emitted")

	for _, tc := range []struct{ body, param string }{
		{`{"type":"art"}`, "type"},
		{`{"currency":"EUR"}`, "currency"},
		{`{"status":"verified"}`, "status"},
		{`{"created_at":"2020-01-01T00:00:00Z"}`, "created_at"},
		{`{"estimated_value":-1}`, "estimated_value"},
		{`{"name":""}`, "name"},
		{`{"name":null}`, "name"},
		{`{"nickname":"x"}`, "nickname"},
	} {
		res := b.do(t, "PATCH", "/v1/assets/"+id, tok, tc.body)
		require.Equal(t, http.StatusBadRequest, res.status, tc.body)
		require.Equal(t, tc.param, res.errField("param"), tc.body)
	}
	res = b.do(t, "GET", "/v1/assets/"+id, tok, nil)
	require.Equal(t, "Lathe", res.data()["name"], "rejected patches change nothing")
	require.Equal(t, "12000.5", fmt.Sprint(res.data()["estimated_value"]))

	res = b.do(t, "PATCH", "/v1/assets/asset_nope", tok, `{"name":"x"}`)
	require.Equal(t, http.StatusNotFound, res.status)
}

func TestPagination(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	var ids []string // oldest first
	for i := range 25 {
		ids = append(ids, b.asset(t, tok, fmt.Sprintf("asset %d", i)))
		b.clock.Advance(time.Millisecond)
	}
	newestFirst := make([]string, len(ids))
	for i, id := range ids {
		newestFirst[len(ids)-1-i] = id
	}

	res := b.do(t, "GET", "/v1/assets", tok, nil)
	require.Len(t, res.list(), 10, "default limit is 10")
	require.Equal(t, true, res.json["meta"].(map[string]any)["has_more"])

	var walked []string
	after := ""
	for {
		q := "/v1/assets?limit=7"
		if after != "" {
			q += "&starting_after=" + after
		}
		res := b.do(t, "GET", q, tok, nil)
		require.Equal(t, http.StatusOK, res.status, res.raw)
		for _, it := range res.list() {
			walked = append(walked, it.(map[string]any)["id"].(string))
		}
		if res.json["meta"].(map[string]any)["has_more"] != true {
			break
		}
		after = walked[len(walked)-1]
	}
	require.Equal(t, newestFirst, walked)

	// Backwards from the oldest: the page just newer than it.
	res = b.do(t, "GET", "/v1/assets?limit=5&ending_before="+ids[0], tok, nil)
	var back []string
	for _, it := range res.list() {
		back = append(back, it.(map[string]any)["id"].(string))
	}
	require.Equal(t, newestFirst[19:24], back)
	require.Equal(t, true, res.json["meta"].(map[string]any)["has_more"])

	res = b.do(t, "GET", "/v1/assets?limit=5&ending_before="+ids[24], tok, nil)
	require.Empty(t, res.list())
	require.Equal(t, false, res.json["meta"].(map[string]any)["has_more"])

	for _, q := range []string{"limit=0", "limit=101", "limit=abc", "limit=-1"} {
		res := b.do(t, "GET", "/v1/assets?"+q, tok, nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		require.Equal(t, "limit", res.errField("param"), q)
	}
	res = b.do(t, "GET", "/v1/assets?starting_after="+ids[1]+"&ending_before="+ids[2], tok, nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	res = b.do(t, "GET", "/v1/assets?sort=name", tok, nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "sort", res.errField("param"))
}

// One business never reads, lists, changes or acts on another's objects: it
// gets 404, as if the object did not exist.
func TestBusinessesAreIsolated(t *testing.T) {
	b := setup(t)
	tokA := b.token(t, b.business(t, auth.PlanEnterprise))
	tokB := b.token(t, b.business(t, auth.PlanEnterprise))
	idA := b.asset(t, tokA, "A's machine")
	idB := b.asset(t, tokB, "B's machine")

	routes := []struct {
		method, path, body string
	}{
		{"GET", "/v1/assets/" + idA, ""},
		{"PATCH", "/v1/assets/" + idA, `{"name":"stolen"}`},
		{"PATCH", "/v1/assets/" + idA, `{"metadata":{"x":"y"}}`},
	}
	send := func(tok string, rt struct{ method, path, body string }) response {
		var body any
		if rt.body != "" {
			body = rt.body
		}
		return b.do(t, rt.method, rt.path, tok, body)
	}
	for _, rt := range routes {
		res := send(tokB, rt)
		require.Equal(t, http.StatusNotFound, res.status, rt.method+" "+rt.path)
		require.Equal(t, "not_found_error", res.errField("type"))
		require.NotContains(t, res.raw, "A's machine")
	}
	res := b.do(t, "GET", "/v1/assets/"+idA, tokA, nil)
	require.Equal(t, "A's machine", res.data()["name"], "B's attempts changed nothing")
	require.Equal(t, map[string]any{}, res.data()["metadata"])
	_, events := b.count(t, tokA)
	require.Equal(t, 1, events, "and emitted nothing")

	// Lists hold only the caller's own, and another business's id is no
	// cursor in them: it is refused as one that names nothing.
	for _, q := range []string{"", "?starting_after=" + idB, "?ending_before=" + idB, "?limit=100"} {
		res := b.do(t, "GET", "/v1/assets"+q, tokB, nil)
		require.Equal(t, http.StatusOK, res.status)
		for _, it := range res.list() {
			require.Equal(t, idB, it.(map[string]any)["id"], q)
		}
	}
	for _, q := range []string{"?starting_after=" + idA, "?ending_before=" + idA} {
		res := b.do(t, "GET", "/v1/assets"+q, tokB, nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		require.NotContains(t, res.raw, "A's machine")
	}
	// The same routes work for the owner, so the 404s are the scoping.
	for _, rt := range routes {
		res := send(tokA, rt)
		require.Less(t, res.status, 300, rt.method+" "+rt.path+": "+res.raw)
	}

	// Idempotency keys are per business: B's key never replays A's answer.
	body := map[string]any{"name": "same", "type": "art", "estimated_value": 5}
	ra := b.do(t, "POST", "/v1/assets", tokA, body, "Idempotency-Key", "k1")
	rb := b.do(t, "POST", "/v1/assets", tokB, body, "Idempotency-Key", "k1")
	require.Equal(t, http.StatusCreated, ra.status)
	require.Equal(t, http.StatusCreated, rb.status)
	require.NotEqual(t, ra.data()["id"], rb.data()["id"])
	require.Empty(t, rb.header.Get("Idempotent-Replayed"))
}

func TestIdempotencyKey(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	body := `{"name":"Press","type":"equipment","estimated_value":7000}`

	first := b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "create-press-1")
	require.Equal(t, http.StatusCreated, first.status)
	again := b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "create-press-1")
	require.Equal(t, http.StatusCreated, again.status)
	require.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	require.Equal(t, first.raw, again.raw, "the stored answer is replayed byte for byte")
	assets, _ := b.count(t, tok)
	require.Equal(t, 1, assets)

	other := b.do(t, "POST", "/v1/assets", tok, `{"name":"Press 2","type":"equipment","estimated_value":7000}`, "Idempotency-Key", "create-press-1")
	require.Equal(t, http.StatusUnprocessableEntity, other.status)
	require.Equal(t, "idempotency_error", other.errField("type"))

	// A failed request does not burn its key: fixed and retried, it works.
	bad := b.do(t, "POST", "/v1/assets", tok, `{"name":"Drill","type":"equipment"}`, "Idempotency-Key", "create-drill")
	require.Equal(t, http.StatusBadRequest, bad.status)
	good := b.do(t, "POST", "/v1/assets", tok, `{"name":"Drill","type":"equipment","estimated_value":90}`, "Idempotency-Key", "create-drill")
	require.Equal(t, http.StatusCreated, good.status, good.raw)

	// A request still in flight holds its key: a concurrent retry is 409.
	p, err := b.engine.Authenticate(context.Background(), tok)
	require.NoError(t, err)
	now := b.clock.Now()
	prev, err := b.db.ReserveIdempotencyKey(context.Background(), assetmint.IdempotencyRecord{
		Scope: p.BusinessID, Key: "in-flight", RequestHash: "whatever", LockedUntil: now.Add(time.Minute), CreatedAt: now,
	}, now, now.Add(-24*time.Hour))
	require.NoError(t, err)
	require.Nil(t, prev)
	busy := b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "in-flight")
	require.Equal(t, http.StatusUnprocessableEntity, busy.status, "another body under a held key is 422 first")
	hash := requestHash("POST", "/v1/assets", body)
	_, err = b.db.ReserveIdempotencyKey(context.Background(), assetmint.IdempotencyRecord{
		Scope: p.BusinessID, Key: "in-flight-2", RequestHash: hash, LockedUntil: now.Add(time.Minute), CreatedAt: now,
	}, now, now.Add(-24*time.Hour))
	require.NoError(t, err)
	busy = b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "in-flight-2")
	require.Equal(t, http.StatusConflict, busy.status, busy.raw)
	require.Equal(t, "idempotency_key_in_use", busy.errField("code"))

	// A request that crashed frees its key once its lock lapses.
	b.clock.Advance(2 * time.Minute)
	tok = b.token(t, creds)
	res := b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "in-flight-2")
	require.Equal(t, http.StatusCreated, res.status, res.raw)

	// After 24 hours a key is forgotten and may be used afresh.
	b.clock.Advance(25 * time.Hour)
	tok = b.token(t, creds)
	res = b.do(t, "POST", "/v1/assets", tok, body, "Idempotency-Key", "create-press-1")
	require.Equal(t, http.StatusCreated, res.status)
	require.Empty(t, res.header.Get("Idempotent-Replayed"))
	require.NotEqual(t, first.data()["id"], res.data()["id"])
}

// requestHash is how the handler fingerprints a request for idempotency.
func requestHash(method, path, body string) string {
	sum := sha256.Sum256([]byte(method + " " + path + "\n" + body))
	return hex.EncodeToString(sum[:])
}

func jsonNumber(s string) any { return json.Number(s) }

// An amount is written as decimal's Round(2) then String writes it, whatever
// its exponent (the encoder skips the rounding when there is nothing to
// round).
func TestMoneyJSONIsRoundedToCents(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 6))
	for i := range 20000 {
		coef := rng.Int64N(2_000_000_000_000) - 1_000_000_000_000
		if i%4 == 0 {
			coef = rng.Int64N(2000) - 1000
		}
		d := decimal.New(coef, int32(rng.IntN(13)-8))
		got, err := httpapi.MoneyJSON(d)
		require.NoError(t, err)
		require.Equal(t, d.Round(2).String(), string(got), "%s (exponent %d)", d, d.Exponent())
	}
	for in, want := range map[string]string{"85000.10": "85000.1", "0.005": "0.01", "-0.005": "-0.01", "1.994": "1.99", "1e3": "1000", "12.30": "12.3"} {
		got, err := httpapi.MoneyJSON(decimal.RequireFromString(in))
		require.NoError(t, err)
		require.Equal(t, want, string(got), in)
	}
}

// GET /v1/assets/{id} answers a detail kept from an earlier read only while
// the store says it is current: every change made by another process on
// the same database file (here a second DB, Engine and handler, which
// tell the first nothing) shows in the first one's next GET, as it shows
// in the second one's.
func TestAssetDetailShowsAChangeMadeByAnotherInstance(t *testing.T) {
	one := setup(t)
	two := one.another(t)
	tok := one.token(t, one.business(t, auth.PlanEnterprise))
	res := one.do(t, "POST", "/v1/assets", tok, `{"name":"Press","type":"equipment","estimated_value":85000}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	id := res.data()["id"].(string)

	same := func(what string) map[string]any {
		t.Helper()
		a := one.do(t, "GET", "/v1/assets/"+id, tok, nil)
		require.Equal(t, http.StatusOK, a.status, a.raw)
		again := one.do(t, "GET", "/v1/assets/"+id, tok, nil) // from the cache, if kept
		b := two.do(t, "GET", "/v1/assets/"+id, tok, nil)
		require.Equal(t, b.data(), a.data(), "%s: the first instance shows what the second does", what)
		require.Equal(t, a.data(), again.data(), what)
		require.NotEqual(t, a.json["meta"], again.json["meta"], "%s: each answer has its own request id", what)
		return a.data()
	}
	d := same("submitted")
	require.Equal(t, "pending_valuation", d["status"])
	require.Nil(t, d["valuation"])

	require.NoError(t, two.engine.RunPending(context.Background()))
	d = same("valued by the other instance")
	require.Equal(t, "valued", d["status"])
	require.NotNil(t, d["valuation"])

	res = two.do(t, "PATCH", "/v1/assets/"+id, tok, `{"name":"Press, renamed"}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	d = same("renamed by the other instance")
	require.Equal(t, "Press, renamed", d["name"])

	res = two.upload(t, tok, "invoice.pdf", []byte(pdfBytes), "asset_id", id, "kind", "invoice",
		"amount", "150000", "currency", "USD", "date", "2021-07-01", "serial", "X200-0042", "issuer", "Haas Automation")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	doc := res.data()["id"].(string)
	d = same("a document attached by the other instance")
	require.Len(t, d["documents"], 1)

	res = two.do(t, "PATCH", "/v1/assets/"+id, tok, `{"detach_documents":["`+doc+`"]}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	d = same("the document detached by the other instance")
	require.Empty(t, d["documents"])

	other := one.token(t, one.business(t, auth.PlanEnterprise))
	res = one.do(t, "GET", "/v1/assets/"+id, other, nil)
	require.Equal(t, http.StatusNotFound, res.status, "another business's asset, kept or not")
	require.Equal(t, "not_found", res.errField("code"), res.raw)
}

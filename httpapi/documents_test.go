package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

const pdfBytes = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// upload sends a multipart upload as curl -F would; fields are name/value
// pairs, and the file is sent under "file" when filename is not empty.
func (b *bundle) upload(t testing.TB, token, filename string, content []byte, fields ...string) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, mw.WriteField(fields[i], fields[i+1]))
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		require.NoError(t, err)
		_, err = fw.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest("POST", b.srv.URL+"/v1/documents/upload", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	require.NoError(t, jsonDecode(raw, &out.json), string(raw))
	return out
}

// The reference's workflow past submission: an invoice uploaded, the asset
// valued and verified, the report on GET /v1/valuations/{asset_id} and
// embedded in GET /v1/assets/{id}.
func TestUploadValueVerify(t *testing.T) {
	b := setup(t)
	b.clock.Set(b.clock.Now().AddDate(-1, 3, 0)) // 2025-07-01 14:00
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	res := b.do(t, "POST", "/v1/assets", tok, `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`)
	require.Equal(t, http.StatusCreated, res.status)
	id := res.data()["id"].(string)

	res = b.do(t, "GET", "/v1/valuations/"+id, tok, nil)
	require.Equal(t, http.StatusNotFound, res.status, "no valuation yet")

	res = b.upload(t, tok, "invoice.pdf", []byte(pdfBytes), "asset_id", id, "kind", "invoice",
		"amount", "150000", "currency", "USD", "date", "2021-07-01", "serial", "X200-0042", "issuer", "Haas Automation")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	doc := res.data()
	require.Regexp(t, `^doc_`, doc["id"])
	require.Equal(t, "application/pdf", doc["content_type"])
	require.Equal(t, "150000", fmt.Sprint(doc["amount"]))
	require.Equal(t, "2021-07-01", doc["date"])
	require.Len(t, doc["sha256"], 64)

	require.NoError(t, b.engine.RunPending(context.Background()))
	res = b.do(t, "GET", "/v1/assets/"+id, tok, nil)
	require.Equal(t, "verified", res.data()["status"], res.raw)
	require.Len(t, res.data()["documents"], 1)
	val := res.data()["valuation"].(map[string]any)
	require.Equal(t, "invoice", val["anchor"].(map[string]any)["source"])
	require.Equal(t, doc["id"], val["anchor"].(map[string]any)["document_id"])

	res = b.do(t, "GET", "/v1/valuations/"+id, tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	v := res.data()
	for _, k := range []string{"id", "asset_id", "value", "low", "high", "currency", "confidence", "confidence_tier", "fsd",
		"premises", "lending_value", "advance_rate", "max_loan", "risk_grade", "method", "anchor", "factors", "flags", "model", "as_of"} {
		require.Contains(t, v, k)
	}
	require.Equal(t, "2025-07-01T14:00:00Z", v["as_of"])
	res = b.do(t, "GET", "/v1/valuations/"+id+"?history=true&limit=1", tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Len(t, res.list(), 1, "the submit's valuation was overtaken by the upload's")
	require.Equal(t, false, res.json["meta"].(map[string]any)["has_more"])

	// Detaching the invoice asks for a new valuation, which no longer
	// verifies on its own.
	res = b.do(t, "PATCH", "/v1/assets/"+id, tok, `{"detach_documents":["`+doc["id"].(string)+`"]}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "pending_valuation", res.data()["status"])
	require.Empty(t, res.data()["documents"])
	require.NoError(t, b.engine.RunPending(context.Background()))
	res = b.do(t, "GET", "/v1/assets/"+id, tok, nil)
	require.Equal(t, "valued", res.data()["status"], res.raw)
	res = b.do(t, "PATCH", "/v1/assets/"+id, tok, `{"detach_documents":["doc_nope"]}`)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "detach_documents", res.errField("param"))

	// An operator decides.
	res = b.do(t, "POST", "/v1/admin/assets/"+id+"/verify", adminToken, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "verified", res.data()["status"])
	res = b.do(t, "POST", "/v1/admin/assets/"+id+"/reject", adminToken, `{}`)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "reason", res.errField("param"))
	res = b.do(t, "POST", "/v1/admin/assets/"+id+"/reject", adminToken, `{"reason":"title dispute"}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "rejected", res.data()["status"])
}

func TestUploadRejectsBadInput(t *testing.T) {
	b := setup(t)
	tokA := b.token(t, b.business(t, auth.PlanEnterprise))
	tokB := b.token(t, b.business(t, auth.PlanEnterprise))
	id := b.asset(t, tokA, "Lathe")
	other := b.asset(t, tokB, "B's lathe")
	pdf := []byte(pdfBytes)
	cases := []struct {
		name     string
		tok      string
		filename string
		content  []byte
		fields   []string
		status   int
		param    string
	}{
		{"no file", tokA, "", nil, []string{"asset_id", id, "kind", "invoice"}, 400, "file"},
		{"empty file", tokA, "a.pdf", []byte{}, []string{"asset_id", id, "kind", "invoice"}, 400, "file"},
		{"no asset", tokA, "a.pdf", pdf, []string{"kind", "invoice"}, 400, "asset_id"},
		{"no kind", tokA, "a.pdf", pdf, []string{"asset_id", id}, 400, "kind"},
		{"bad kind", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "selfie"}, 400, "kind"},
		{"unknown field", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "colour", "red"}, 400, "colour"},
		{"server-set field", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "sha256", "x"}, 400, "sha256"},
		{"repeated field", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "kind", "photo"}, 400, "kind"},
		{"bad amount", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "amount", "lots", "currency", "USD"}, 400, "amount"},
		{"negative amount", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "amount", "-5", "currency", "USD"}, 400, "amount"},
		{"bad currency with amount", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "amount", "5", "currency", "usd"}, 400, "currency"},
		{"bad amount without currency", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "amount", "5.001"}, 400, "amount"},
		{"bad date", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "invoice", "date", "July 2021"}, 400, "date"},
		{"short vin", tokA, "a.pdf", pdf, []string{"asset_id", id, "kind", "title", "vin", "123"}, 400, "vin"},
		{"executable", tokA, "a.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), []string{"asset_id", id, "kind", "invoice"}, 400, "file"},
		{"zip", tokA, "a.zip", []byte("PK\x03\x04\x14\x00\x00\x00"), []string{"asset_id", id, "kind", "invoice"}, 400, "file"},
		{"aging report not csv", tokA, "aging.pdf", pdf, []string{"asset_id", id, "kind", "aging_report"}, 400, "file"},
		{"malformed aging report", tokA, "aging.csv", []byte("debtor,current,1-30\nAcme,abc,5\n"), []string{"asset_id", id, "kind", "aging_report"}, 400, "file"},
		{"another business's asset", tokA, "a.pdf", pdf, []string{"asset_id", other, "kind", "invoice"}, 404, ""},
		{"unknown asset", tokA, "a.pdf", pdf, []string{"asset_id", "asset_nope", "kind", "invoice"}, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.upload(t, tc.tok, tc.filename, tc.content, tc.fields...)
			require.Equal(t, tc.status, res.status, res.raw)
			require.Equal(t, tc.param, res.errField("param"), res.raw)
			res = b.do(t, "GET", "/v1/assets/"+id, tokA, nil)
			require.Empty(t, res.data()["documents"], "nothing was written")
		})
	}
	res := b.do(t, "POST", "/v1/documents/upload", tokA, `{"asset_id":"`+id+`"}`)
	require.Equal(t, http.StatusUnsupportedMediaType, res.status, "JSON is not an upload")

	big := bytes.Repeat([]byte("a"), 25<<20+1)
	res = b.upload(t, tokA, "big.txt", big, "asset_id", id, "kind", "other")
	require.Equal(t, http.StatusRequestEntityTooLarge, res.status)

	// A well-formed aging report is parsed and kept.
	csv := "Debtor,Current,1-30,31-60,61-90,90+\nGlobex,12000.00,\"3,500.00\",0,0,0\nInitech,5000,0,0,0,1200\n"
	res = b.upload(t, tokA, "aging.csv", []byte(csv), "asset_id", id, "kind", "aging_report")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "text/csv", res.data()["content_type"])
	require.True(t, strings.HasPrefix(res.data()["id"].(string), "doc_"))
}

// An amount declared without a currency is in the asset's currency: the
// record stores it and the answer says so. A currency the upload names is
// kept as named.
func TestUploadAmountTakesTheAssetsCurrency(t *testing.T) {
	b := setup(t)
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	res := b.do(t, "POST", "/v1/assets", tok, map[string]any{"name": "Press", "type": "equipment", "estimated_value": 1000, "currency": "EUR"})
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	eur := res.data()["id"].(string)
	usd := b.asset(t, tok, "Lathe") // the default currency

	res = b.upload(t, tok, "invoice.pdf", []byte(pdfBytes), "asset_id", eur, "kind", "invoice", "amount", "1200.50")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "EUR", res.data()["currency"])
	require.Equal(t, "1200.5", fmt.Sprint(res.data()["amount"]))
	doc := res.data()["id"].(string)
	res = b.do(t, "GET", "/v1/assets/"+eur, tok, nil)
	docs := res.data()["documents"].([]any)
	require.Len(t, docs, 1)
	require.Equal(t, doc, docs[0].(map[string]any)["id"])
	require.Equal(t, "EUR", docs[0].(map[string]any)["currency"], "stored, not only echoed")

	res = b.upload(t, tok, "invoice.pdf", []byte(pdfBytes+"2"), "asset_id", usd, "kind", "invoice", "amount", "900")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "USD", res.data()["currency"])
	res = b.upload(t, tok, "quote.pdf", []byte(pdfBytes+"3"), "asset_id", usd, "kind", "appraisal", "amount", "800", "currency", "GBP")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "GBP", res.data()["currency"], "a named currency is kept")
	res = b.upload(t, tok, "photo.pdf", []byte(pdfBytes+"4"), "asset_id", usd, "kind", "photo")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Nil(t, res.data()["currency"], "no amount, no currency")
	require.Nil(t, res.data()["amount"])
}

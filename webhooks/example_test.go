package webhooks_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/assetmint/assetmint/webhooks"
)

func ExampleSign() {
	secret, _ := webhooks.NewSecret(strings.NewReader("0123456789abcdef0123456789abcdef")) // crypto/rand.Reader in real use
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	e := webhooks.Event{
		ID:         "evt_01J",
		Type:       "loan.approved",
		CreatedAt:  now,
		APIVersion: "v1",
		Data:       []byte(`{"loan_id":"loan_01J","asset_id":"ast_01J","principal":"50000.00"}`),
	}
	body, err := e.Marshal()
	if err != nil {
		panic(err)
	}
	h, err := webhooks.Sign(e.ID, e.Type, body, []string{secret}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(body))
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Printf("%s: %s\n", k, h.Get(k))
	}
	// Output:
	// {"id":"evt_01J","type":"loan.approved","created_at":"2026-03-31T14:00:00Z","api_version":"v1","data":{"loan_id":"loan_01J","asset_id":"ast_01J","principal":"50000.00"}}
	// Content-Type: application/json
	// Webhook-Id: evt_01J
	// Webhook-Signature: v1,T8nLLWkL3VDe+AjAA369bcWuTUr7ZcNgWbrVIoF9l0s=
	// Webhook-Timestamp: 1774965600
	// X-Assetmint-Event: loan.approved
	// X-Assetmint-Signature: sha256=83d7d0792a6d7f30a38261ac03eddd88e94fe44dd1935d6840e189af90fed11f
}

func ExampleVerifier_VerifyStandard() {
	secret, _ := webhooks.NewSecret(strings.NewReader("0123456789abcdef0123456789abcdef"))
	sent := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	body, h, _ := webhooks.SignForTest(secret, webhooks.Event{ID: "evt_01J", Type: "token.minted", CreatedAt: sent, APIVersion: "v1",
		Data: []byte(`{"token_id":"tok_01J","token_address":"0x5FbDB2315678afecb367f032d7c0aa3"}`)}, sent)

	v := webhooks.Verifier{Secrets: []string{secret}, Now: func() time.Time { return sent.Add(2 * time.Second) }}
	fmt.Println(v.VerifyStandard(h, body))
	fmt.Println(v.VerifyStandard(h, bytes.Replace(body, []byte("tok_01J"), []byte("tok_02J"), 1)))

	replayed := webhooks.Verifier{Secrets: []string{secret}, Now: func() time.Time { return sent.Add(time.Hour) }}
	fmt.Println(replayed.VerifyStandard(h, body))
	// Output:
	// <nil>
	// webhooks: signature mismatch
	// webhooks: timestamp out of range: 1h0m0s old, tolerance 5m0s
}

func ExampleHandler() {
	secret, _ := webhooks.NewSecret(strings.NewReader("0123456789abcdef0123456789abcdef"))
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)

	v := webhooks.Verifier{Secrets: []string{secret}, Now: func() time.Time { return now }}
	h := webhooks.Handler(v, func(w http.ResponseWriter, r *http.Request, e webhooks.Event) {
		fmt.Println("handling", e.Type, e.ID, string(e.Data))
		_, _ = io.WriteString(w, `{"received":true}`)
	})

	body, headers, _ := webhooks.SignForTest(secret, webhooks.Event{ID: "evt_01J", Type: "asset.valuation_complete",
		CreatedAt: now, APIVersion: "v1", Data: []byte(`{"asset_id":"ast_01J"}`)}, now)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/assetmint", bytes.NewReader(body))
	req.Header = headers
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())

	forged := httptest.NewRequest(http.MethodPost, "/webhooks/assetmint", bytes.NewReader(body))
	forged.Header.Set("webhook-id", "evt_01J")
	forged.Header.Set("webhook-timestamp", "1774965600")
	forged.Header.Set("webhook-signature", "v1,c2lnbmF0dXJl")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, forged)
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output:
	// handling asset.valuation_complete evt_01J {"asset_id":"ast_01J"}
	// 200 {"received":true}
	// 401 invalid signature
}

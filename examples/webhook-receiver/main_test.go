package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func TestReceiverVerifiesAndHandles(t *testing.T) {
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	h := receiver(webhooks.Verifier{Secrets: []string{secret}, Now: func() time.Time { return now }}, &out)
	body, headers, err := webhooks.SignForTest(secret, webhooks.Event{ID: "evt_1", Type: "asset.valuation_complete",
		CreatedAt: now, APIVersion: "v1", Data: []byte(`{"asset_id":"asset_9xK2mP"}`)}, now)
	require.NoError(t, err)

	send := func(body []byte) int {
		req := httptest.NewRequest("POST", "/webhooks/assetmint", bytes.NewReader(body))
		req.Header = headers.Clone()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	require.Equal(t, http.StatusOK, send(body))
	require.Equal(t, "Valuation ready: asset_9xK2mP\n", out.String())

	tampered := bytes.Replace(body, []byte("asset_9xK2mP"), []byte("asset_evil00"), 1)
	require.Equal(t, http.StatusUnauthorized, send(tampered))
	require.Equal(t, "Valuation ready: asset_9xK2mP\n", out.String(), "a tampered delivery is not handled")
}

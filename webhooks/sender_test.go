package webhooks_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// The sender signs the body as the receivers verify it, posts it as is,
// and reports the receiver's status and Retry-After; a blocked address is
// refused before anything is sent.
func TestSenderSignsAndReportsTheAnswer(t *testing.T) {
	secret, err := webhooks.NewSecret(rand.Reader)
	require.NoError(t, err)
	now := time.Now().UTC().Truncate(time.Second)
	body := []byte(`{"id":"evt_1","type":"asset.submitted","created_at":"2026-03-31T14:00:00Z","api_version":"v1","data":{}}`)
	var got []byte
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		v := webhooks.Verifier{Secrets: []string{secret}}
		if v.VerifyStandard(r.Header, got) != nil || v.VerifyAssetMint(r.Header, got) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		require.Equal(t, "AssetMint-Webhooks/1", r.Header.Get("User-Agent"))
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer rcv.Close()

	m := webhooks.Message{URL: rcv.URL + "/hook", EventID: "evt_1", EventType: "asset.submitted", Body: body,
		Secrets: []string{secret}, Now: now}
	ans, err := webhooks.NewSender(webhooks.ClientConfig{AllowPrivate: true}).Send(context.Background(), m)
	require.NoError(t, err)
	require.Equal(t, webhooks.Answer{Status: http.StatusServiceUnavailable, RetryAfter: 2 * time.Minute}, ans)
	require.Equal(t, body, got)

	_, err = webhooks.NewSender(webhooks.ClientConfig{}).Send(context.Background(), m)
	require.ErrorIs(t, err, webhooks.ErrBlockedAddress, "loopback is refused unless allowed")
}

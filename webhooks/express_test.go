package webhooks_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// TestExpressReceiver delivers to a running copy of the reference Express
// receiver (reference/express-receiver.mjs), started with
//
//	PORT=3000 ASSETMINT_WEBHOOK_SECRET=$SECRET node express-receiver.mjs
//
// and run as
//
//	ASSETMINT_EXPRESS_URL=http://127.0.0.1:3000/webhooks/assetmint ASSETMINT_WEBHOOK_SECRET=$SECRET go test -run Express ./webhooks/
func TestExpressReceiver(t *testing.T) {
	target, secret := os.Getenv("ASSETMINT_EXPRESS_URL"), os.Getenv("ASSETMINT_WEBHOOK_SECRET")
	if target == "" || secret == "" {
		t.Skip("skipped: set ASSETMINT_EXPRESS_URL and ASSETMINT_WEBHOOK_SECRET to a running reference Express receiver")
	}
	other, err := webhooks.NewSecret(rand.Reader)
	require.NoError(t, err)
	c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true})
	now := time.Now()
	e := webhooks.Event{ID: "evt_express", Type: "token.minted", CreatedAt: now, APIVersion: "v1",
		Data: []byte(`{"token_id":"tok_1","token_address":"0x5FbDB2315678afecb367f032d7c0aa3d7e1fA1c3"}`)}
	body, err := e.Marshal()
	require.NoError(t, err)

	send := func(secrets ...string) (int, string) {
		h, err := webhooks.Sign(e.ID, e.Type, body, secrets, now)
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header = h
		res, err := c.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b)
	}
	status, resp := send(secret)
	require.Equal(t, http.StatusOK, status, resp)
	require.JSONEq(t, `{"received":true}`, resp)

	status, _ = send(secret, other) // during a rotation, the current secret signs X-AssetMint-Signature
	require.Equal(t, http.StatusOK, status)

	status, _ = send(other)
	require.Equal(t, http.StatusUnauthorized, status)
}

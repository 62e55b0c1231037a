package webhooks_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// TestSignMatchesExpressReference reproduces the reference receiver's check:
//
//	crypto.createHmac('sha256', process.env.ASSETMINT_WEBHOOK_SECRET).update(req.body).digest('hex')
//	sig === `sha256=${expected}`
func TestSignMatchesExpressReference(t *testing.T) {
	f := setup(t)
	h := http.Header(f.sign(t, f.secret))

	m := hmac.New(sha256.New, []byte(f.secret)) // the whole "whsec_..." string, as Node uses it
	m.Write(f.body)
	expected := hex.EncodeToString(m.Sum(nil))
	require.Equal(t, "sha256="+expected, h.Get("x-assetmint-signature")) // Node lowercases header names

	require.Equal(t, "application/json", h.Get("Content-Type")) // express.raw({type: 'application/json'})
	require.Equal(t, "asset.valuation_complete", h.Get(webhooks.HeaderEvent))
	require.Equal(t, f.event.ID, h.Get(webhooks.HeaderID))
	require.Equal(t, "1774965600", h.Get(webhooks.HeaderTimestamp))
	require.Empty(t, h.Values(webhooks.HeaderSignaturePrevious))

	// The body the receiver JSON.parses carries what its switch reads.
	var parsed struct {
		Type string `json:"type"`
		Data struct {
			AssetID string `json:"asset_id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(f.body, &parsed))
	require.Equal(t, "asset.valuation_complete", parsed.Type)
	require.Equal(t, "ast_01HZX3", parsed.Data.AssetID)
}

// The example of the Standard Webhooks specification
// (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestStandardWebhooksVector(t *testing.T) {
	now := time.Unix(vectorTimestamp, 0)

	h, err := webhooks.Sign(vectorID, "test", []byte(vectorBody), []string{vectorSecret}, now)
	require.NoError(t, err)
	require.Equal(t, vectorSignature, h.Get(webhooks.HeaderStdSignature))
	require.Equal(t, "1614265330", h.Get(webhooks.HeaderTimestamp))

	v := webhooks.Verifier{Secrets: []string{vectorSecret}, Now: func() time.Time { return now }}
	vh := http.Header{}
	vh.Set("webhook-id", vectorID)
	vh.Set("webhook-timestamp", "1614265330")
	vh.Set("webhook-signature", vectorSignature)
	require.NoError(t, v.VerifyStandard(vh, []byte(vectorBody)))
	require.ErrorIs(t, v.VerifyStandard(vh, []byte(`{"test": 2432232315}`)), webhooks.ErrSignatureMismatch)
}

func TestSignRotation(t *testing.T) {
	f := setup(t)
	h := http.Header(f.sign(t, f.secret, f.previous))

	require.Len(t, strings.Fields(h.Get(webhooks.HeaderStdSignature)), 2)
	require.NotEmpty(t, h.Get(webhooks.HeaderSignaturePrevious))

	for name, secret := range map[string]string{"new": f.secret, "old": f.previous} {
		t.Run(name, func(t *testing.T) {
			v := f.verifier(secret)
			require.NoError(t, v.VerifyStandard(h, f.body))
			require.NoError(t, v.VerifyAssetMint(h, f.body))
		})
	}
	t.Run("both", func(t *testing.T) {
		require.NoError(t, f.verifier(f.previous, f.secret).VerifyStandard(h, f.body))
	})
	t.Run("neither", func(t *testing.T) {
		v := f.verifier(f.stranger)
		require.ErrorIs(t, v.VerifyStandard(h, f.body), webhooks.ErrSignatureMismatch)
		require.ErrorIs(t, v.VerifyAssetMint(h, f.body), webhooks.ErrSignatureMismatch)
	})
	t.Run("express receiver keeps the current secret", func(t *testing.T) {
		m := hmac.New(sha256.New, []byte(f.secret))
		m.Write(f.body)
		require.Equal(t, "sha256="+hex.EncodeToString(m.Sum(nil)), h.Get(webhooks.HeaderSignature))
	})
}

func TestSignNewTimestampPerAttempt(t *testing.T) {
	f := setup(t)
	first := http.Header(f.sign(t, f.secret))
	f.now = f.now.Add(5 * time.Second)
	retry := http.Header(f.sign(t, f.secret))

	require.Equal(t, first.Get(webhooks.HeaderID), retry.Get(webhooks.HeaderID))
	require.Equal(t, first.Get(webhooks.HeaderSignature), retry.Get(webhooks.HeaderSignature))
	require.NotEqual(t, first.Get(webhooks.HeaderStdSignature), retry.Get(webhooks.HeaderStdSignature))
}

func TestSignErrors(t *testing.T) {
	f := setup(t)
	tests := []struct {
		name       string
		id, typ    string
		secrets    []string
		invalidKey bool
	}{
		{name: "no secrets", id: f.event.ID, typ: f.event.Type, invalidKey: true},
		{name: "no prefix", id: f.event.ID, typ: f.event.Type, secrets: []string{strings.TrimPrefix(f.secret, "whsec_")}, invalidKey: true},
		{name: "not base64", id: f.event.ID, typ: f.event.Type, secrets: []string{"whsec_not base64!"}, invalidKey: true},
		{name: "empty key", id: f.event.ID, typ: f.event.Type, secrets: []string{"whsec_"}, invalidKey: true},
		{name: "bad previous", id: f.event.ID, typ: f.event.Type, secrets: []string{f.secret, "secret"}, invalidKey: true},
		{name: "empty id", typ: f.event.Type, secrets: []string{f.secret}},
		{name: "id with newline", id: "evt_1\r\nX-Injected: 1", typ: f.event.Type, secrets: []string{f.secret}},
		{name: "empty type", id: f.event.ID, secrets: []string{f.secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := webhooks.Sign(tt.id, tt.typ, f.body, tt.secrets, f.now)
			require.Error(t, err)
			require.Nil(t, h)
			require.Equal(t, tt.invalidKey, errors.Is(err, webhooks.ErrInvalidSecret))
			for _, s := range tt.secrets {
				if len(s) > len("whsec_") {
					require.NotContains(t, err.Error(), strings.TrimPrefix(s, "whsec_"), "errors must not leak secrets")
				}
			}
		})
	}
}

func TestSignForTest(t *testing.T) {
	f := setup(t)
	body, h, err := webhooks.SignForTest(f.secret, f.event, f.now)
	require.NoError(t, err)
	require.Equal(t, f.body, body)
	require.Equal(t, http.Header(f.sign(t, f.secret)), h)
	require.NoError(t, f.verifier(f.secret).VerifyStandard(h, body))

	_, _, err = webhooks.SignForTest(f.secret, webhooks.Event{Type: "x"}, f.now)
	require.Error(t, err)
}

func TestEventMarshal(t *testing.T) {
	f := setup(t)
	require.Equal(t,
		`{"id":"evt_01HZX3J8Q6V4N2K7T9R5M1C0AB","type":"asset.valuation_complete","created_at":"2026-03-31T13:59:58Z","api_version":"v1",`+
			`"data":{"asset_id":"ast_01HZX3","valuation_id":"val_01HZX4","estimated_value":"125000.00","currency":"USD","confidence":0.87}}`,
		string(f.body))

	t.Run("UTC, whole seconds, data compacted", func(t *testing.T) {
		e := f.event
		e.CreatedAt = time.Date(2026, 3, 31, 16, 59, 58, 999_999_999, time.FixedZone("MSK", 3*3600))
		e.Data = []byte("{ \"loan_id\" : \"loan_1\" }\n")
		b, err := e.Marshal()
		require.NoError(t, err)
		require.Equal(t, `{"id":"evt_01HZX3J8Q6V4N2K7T9R5M1C0AB","type":"asset.valuation_complete","created_at":"2026-03-31T13:59:58Z","api_version":"v1","data":{"loan_id":"loan_1"}}`, string(b))

		viaJSON, err := json.Marshal(e)
		require.NoError(t, err)
		require.Equal(t, b, viaJSON)
	})
	t.Run("no data is an empty object", func(t *testing.T) {
		e := f.event
		e.Data = nil
		b, err := e.Marshal()
		require.NoError(t, err)
		require.True(t, bytes.HasSuffix(b, []byte(`"data":{}}`)), string(b))
	})
	t.Run("round trip", func(t *testing.T) {
		var back webhooks.Event
		require.NoError(t, json.Unmarshal(f.body, &back))
		require.Equal(t, f.event.ID, back.ID)
		require.True(t, f.event.CreatedAt.Equal(back.CreatedAt))
		require.JSONEq(t, string(f.event.Data), string(back.Data))
	})
	t.Run("invalid", func(t *testing.T) {
		for _, e := range []webhooks.Event{
			{Type: "x"},
			{ID: "evt_1"},
			{ID: "evt_1", Type: "x", Data: []byte(`{"a":`)},
		} {
			_, err := e.Marshal()
			require.Error(t, err)
		}
	})
}

func TestSecrets(t *testing.T) {
	s, err := webhooks.NewSecret(bytes.NewReader(bytes.Repeat([]byte{0xfb}, 32)))
	require.NoError(t, err)
	require.Equal(t, "whsec_+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/s=", s) // standard alphabet, padded
	require.True(t, webhooks.ValidSecret(s))

	_, err = webhooks.NewSecret(bytes.NewReader(make([]byte, 31)))
	require.Error(t, err)

	for _, bad := range []string{
		"",
		"whsec_",
		strings.TrimPrefix(s, "whsec_"),
		"WHSEC_" + strings.TrimPrefix(s, "whsec_"),
		strings.TrimSuffix(s, "="),                           // unpadded
		"whsec_-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s=", // URL alphabet
		vectorSecret, // 24 bytes: verifies, but is not our format
		s + "AAAA",
		s[:20] + "\n" + s[20:],
	} {
		require.False(t, webhooks.ValidSecret(bad), bad)
	}
}

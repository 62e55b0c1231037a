package webhooks_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// fixture is what most tests sign and verify.
type fixture struct {
	secret   string // current
	previous string // rotated out, still signing
	stranger string // an unrelated endpoint's secret
	now      time.Time
	event    webhooks.Event
	body     []byte
}

func setup(t testing.TB) fixture {
	t.Helper()
	secret := func(b byte) string {
		s, err := webhooks.NewSecret(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
		require.NoError(t, err)
		return s
	}
	f := fixture{
		secret:   secret(1),
		previous: secret(2),
		stranger: secret(3),
		now:      time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC),
		event: webhooks.Event{
			ID:         "evt_01HZX3J8Q6V4N2K7T9R5M1C0AB",
			Type:       "asset.valuation_complete",
			CreatedAt:  time.Date(2026, 3, 31, 13, 59, 58, 0, time.UTC),
			APIVersion: "v1",
			Data:       []byte(`{"asset_id":"ast_01HZX3","valuation_id":"val_01HZX4","estimated_value":"125000.00","currency":"USD","confidence":0.87}`),
		},
	}
	var err error
	f.body, err = f.event.Marshal()
	require.NoError(t, err)
	return f
}

// sign signs f.body with secrets at f.now.
func (f fixture) sign(t testing.TB, secrets ...string) map[string][]string {
	t.Helper()
	h, err := webhooks.Sign(f.event.ID, f.event.Type, f.body, secrets, f.now)
	require.NoError(t, err)
	return h
}

func (f fixture) verifier(secrets ...string) webhooks.Verifier {
	return webhooks.Verifier{Secrets: secrets, Now: func() time.Time { return f.now }}
}

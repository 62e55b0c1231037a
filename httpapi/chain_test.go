package httpapi_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/tokenize"
)

// fakeManager is a chain with a transaction manager whose state the test
// sets; nothing is sent through it here.
type fakeManager struct {
	*fakechain.Chain
	state tokenize.SignerState
	err   error
}

var _ tokenize.TxManager = (*fakeManager)(nil)

func (f *fakeManager) Submit(context.Context, tokenize.Call) (*tokenize.Intent, error) {
	return nil, errors.New("fakeManager: nothing is sent in this test")
}
func (f *fakeManager) Live(context.Context, string) (*tokenize.Intent, error) { return nil, nil }
func (f *fakeManager) Await(context.Context, int64) (*tokenize.Intent, error) {
	return nil, errors.New("fakeManager: nothing is sent in this test")
}
func (f *fakeManager) Confirm(context.Context, tokenize.SettleFunc) (int, error) { return 0, nil }
func (f *fakeManager) State(context.Context) (tokenize.SignerState, error)       { return f.state, f.err }

// GET /v1/admin/chain: the transaction manager's state per signer for an
// operator, managed or not, and 404 without a chain.
func TestOpenAPIChainTraffic(t *testing.T) {
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	at := func(chain tokenize.Chain) *oaSuite {
		b := setupEngine(t, func(c *assetmint.Config) { c.Chain.Chain = chain },
			oaConfig(func(c *httpapi.Config) { c.Now = func() time.Time { return now } }))
		return oaSuiteOver(t, b)
	}

	t.Run("no chain", func(t *testing.T) {
		s := at(nil)
		r := s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: oaAdminToken, want: 404})
		require.Equal(t, "not_found", r.errCode())
		s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: "not-the-operator-token", want: 401})
	})

	t.Run("a chain without a manager", func(t *testing.T) {
		s := at(fakechain.New())
		r := s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: oaAdminToken, want: 200})
		require.Equal(t, map[string]any{"object": "chain_state", "managed": false, "signers": []any{}}, r.data())
	})

	t.Run("a manager", func(t *testing.T) {
		fee, _ := new(big.Int).SetString("200000000000", 10)
		m := &fakeManager{Chain: fakechain.New(), state: tokenize.SignerState{
			ChainID: "1337", Signer: fakechain.Signer, InFlight: 3, MaxInFlight: 16, Unsettled: 1,
			OldestInFlight: now.Add(-90 * time.Second), NextNonce: 42, ChainNonce: 38, FeeCap: fee, FeeCapped: 1, FeeCapHits: 2,
			LastError: "fees at the cap of 200000000000 wei per gas", LastErrorAt: now.Add(-time.Minute),
		}}
		s := at(m)
		r := s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: oaAdminToken, want: 200})
		require.Equal(t, map[string]any{"object": "chain_state", "managed": true, "signers": []any{map[string]any{
			"object": "chain_signer", "address": fakechain.Signer, "chain_id": "1337",
			"in_flight": float64(3), "max_in_flight": float64(16), "unsettled": float64(1),
			"oldest_in_flight_at": "2026-03-31T13:58:30Z", "oldest_in_flight_age_seconds": float64(90),
			"next_nonce": float64(42), "chain_nonce": float64(38), "max_fee_per_gas": "200000000000",
			"fee_capped": float64(1), "fee_cap_hits": float64(2),
			"last_error": "fees at the cap of 200000000000 wei per gas", "last_error_at": "2026-03-31T13:59:00Z",
		}}}, r.data())

		// Nothing in flight, no fault: nulls.
		m.state = tokenize.SignerState{ChainID: "1337", Signer: fakechain.Signer, MaxInFlight: 16, NextNonce: 42, ChainNonce: 42, FeeCap: fee}
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: oaAdminToken, want: 200})
		signer := r.data()["signers"].([]any)[0].(map[string]any)
		for _, k := range []string{"oldest_in_flight_at", "oldest_in_flight_age_seconds", "last_error", "last_error_at"} {
			require.Nil(t, signer[k], k)
		}

		// The store cannot be read: 500, no detail.
		m.err = errors.New("connection refused")
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: oaAdminToken, want: 500})
		require.Equal(t, "internal", r.errCode())
		require.NotContains(t, string(r.raw), "connection refused")
	})
}

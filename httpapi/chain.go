package httpapi

import (
	"net/http"
	"time"

	"github.com/assetmint/assetmint/tokenize"
)

// chainStateJSON is the chain's transaction manager on the operator
// routes.
type chainStateJSON struct {
	Object  string            `json:"object"`
	Managed bool              `json:"managed"`
	Signers []chainSignerJSON `json:"signers"`
}

// chainSignerJSON is the manager's state for one signer.
type chainSignerJSON struct {
	Object                   string     `json:"object"`
	Address                  string     `json:"address"`
	ChainID                  string     `json:"chain_id"`
	InFlight                 int        `json:"in_flight"`
	MaxInFlight              int        `json:"max_in_flight"`
	Unsettled                int        `json:"unsettled"`
	OldestInFlightAt         *timestamp `json:"oldest_in_flight_at"`
	OldestInFlightAgeSeconds *int64     `json:"oldest_in_flight_age_seconds"`
	NextNonce                uint64     `json:"next_nonce"`
	ChainNonce               uint64     `json:"chain_nonce"`
	MaxFeePerGas             string     `json:"max_fee_per_gas"`
	FeeCapped                int        `json:"fee_capped"`
	FeeCapHits               uint64     `json:"fee_cap_hits"`
	LastError                *string    `json:"last_error"`
	LastErrorAt              *timestamp `json:"last_error_at"`
}

func toChainSigner(s tokenize.SignerState, now time.Time) chainSignerJSON {
	out := chainSignerJSON{Object: "chain_signer", Address: s.Signer, ChainID: s.ChainID, InFlight: s.InFlight,
		MaxInFlight: s.MaxInFlight, Unsettled: s.Unsettled, OldestInFlightAt: optTimestamp(s.OldestInFlight),
		NextNonce: s.NextNonce, ChainNonce: s.ChainNonce, FeeCapped: s.FeeCapped, FeeCapHits: s.FeeCapHits,
		LastError: optString(s.LastError), LastErrorAt: optTimestamp(s.LastErrorAt)}
	if s.FeeCap != nil {
		out.MaxFeePerGas = s.FeeCap.String()
	}
	if !s.OldestInFlight.IsZero() {
		age := max(int64(now.Sub(s.OldestInFlight)/time.Second), 0)
		out.OldestInFlightAgeSeconds = &age
	}
	return out
}

// getChain is GET /v1/admin/chain: the transaction manager's state per
// signer.
func (h *handler) getChain(w http.ResponseWriter, r *http.Request) {
	st, err := h.engine.Operator().ChainState(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := chainStateJSON{Object: "chain_state", Managed: st.Managed, Signers: []chainSignerJSON{}}
	for _, s := range st.Signers {
		out.Signers = append(out.Signers, toChainSigner(s, h.cfg.Now()))
	}
	writeData(w, r, http.StatusOK, out)
}

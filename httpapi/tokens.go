package httpapi

import (
	"net/http"

	"github.com/assetmint/assetmint"
)

// tokenJSON is a token on the wire.
type tokenJSON struct {
	ID           string    `json:"id"`
	Object       string    `json:"object"`
	AssetID      string    `json:"asset_id"`
	ChainID      string    `json:"chain_id"`
	TokenAddress string    `json:"token_address"`
	TokenNumber  string    `json:"token_number"`
	OwnerAddress string    `json:"owner_address"`
	TxHash       string    `json:"tx_hash"`
	BlockNumber  uint64    `json:"block_number"`
	Status       string    `json:"status"`
	Locked       bool      `json:"locked"`
	MetadataHash string    `json:"metadata_hash"`
	TokenURI     string    `json:"token_uri"`
	CreatedAt    timestamp `json:"created_at"`
}

func toToken(t *assetmint.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Object: "token", AssetID: t.AssetID, ChainID: t.ChainID, TokenAddress: t.Contract,
		TokenNumber: t.TokenNumber, OwnerAddress: t.OwnerAddress, TxHash: t.TxHash, BlockNumber: t.BlockNumber,
		Status: string(t.Status), Locked: t.Status == assetmint.TokenLocked || t.Status == assetmint.TokenSeized,
		MetadataHash: t.MetadataHash, TokenURI: t.TokenURI, CreatedAt: timestamp(t.CreatedAt)}
}

// listTokens is GET /v1/tokens.
func (h *handler) listTokens(w http.ResponseWriter, r *http.Request) {
	serveList(w, r, r.URL.Query(), func(p assetmint.ListParams) (assetmint.Page[*assetmint.Token], error) {
		return h.engine.Tokens(r.Context(), principal(r).BusinessID, p)
	}, toToken)
}

// getToken is GET /v1/tokens/{id}.
func (h *handler) getToken(w http.ResponseWriter, r *http.Request) {
	t, err := h.engine.Token(r.Context(), principal(r).BusinessID, r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, toToken(t))
}

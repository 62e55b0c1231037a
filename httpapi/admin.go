package httpapi

import (
	"context"
	"net/http"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
)

// businessJSON is a business on the operator routes.
type businessJSON struct {
	ID            string    `json:"id"`
	Object        string    `json:"object"`
	Name          string    `json:"name"`
	Plan          string    `json:"plan"`
	WalletAddress *string   `json:"wallet_address"`
	CreatedAt     timestamp `json:"created_at"`
	UpdatedAt     timestamp `json:"updated_at"`
}

// newBusinessJSON is a created business with its first client's
// credentials, shown once.
type newBusinessJSON struct {
	businessJSON
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// clientJSON is a new API client's credentials, shown once.
type clientJSON struct {
	Object       string `json:"object"`
	BusinessID   string `json:"business_id"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func toBusiness(b *assetmint.Business) businessJSON {
	return businessJSON{ID: b.ID, Object: "business", Name: b.Name, Plan: string(b.Plan), WalletAddress: optString(b.WalletAddress),
		CreatedAt: timestamp(b.CreatedAt), UpdatedAt: timestamp(b.UpdatedAt)}
}

// createBusiness is POST /v1/admin/businesses.
func (h *handler) createBusiness(w http.ResponseWriter, r *http.Request) {
	var name, wallet str
	var plan choice
	if err := decodeBody(r, field{"name", &name}, field{"plan", &plan}, field{"wallet_address", &wallet}); err != nil {
		writeError(w, r, err)
		return
	}
	in := assetmint.NewBusiness{Name: name.val, Plan: auth.Plan(plan.val), WalletAddress: wallet.val}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.CreatedBusiness, error) {
		b, creds, err := h.engine.Operator().CreateBusiness(ctx, in)
		return &assetmint.CreatedBusiness{Business: b, Credentials: creds}, err
	}, func(cb *assetmint.CreatedBusiness) any {
		return newBusinessJSON{businessJSON: toBusiness(cb.Business), ClientID: cb.Credentials.ClientID, ClientSecret: cb.Credentials.ClientSecret}
	})
}

// listBusinesses is GET /v1/admin/businesses.
func (h *handler) listBusinesses(w http.ResponseWriter, r *http.Request) {
	serveList(w, r, r.URL.Query(), func(p assetmint.ListParams) (assetmint.Page[*assetmint.Business], error) {
		return h.engine.Operator().Businesses(r.Context(), p)
	}, toBusiness)
}

// getBusiness is GET /v1/admin/businesses/{id}.
func (h *handler) getBusiness(w http.ResponseWriter, r *http.Request) {
	b, err := h.engine.Operator().Business(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, toBusiness(b))
}

// updateBusiness is PATCH /v1/admin/businesses/{id}: name, plan, wallet
// address (null or "" clears it).
func (h *handler) updateBusiness(w http.ResponseWriter, r *http.Request) {
	var name, plan str
	var wallet nullableStr
	if err := decodeBody(r, field{"name", &name}, field{"plan", &plan}, field{"wallet_address", &wallet}); err != nil {
		writeError(w, r, err)
		return
	}
	u := assetmint.BusinessUpdate{Name: name.ptr(), WalletAddress: wallet.ptr()}
	if plan.set {
		p := auth.Plan(plan.val)
		u.Plan = &p
	}
	b, err := h.engine.Operator().UpdateBusiness(r.Context(), r.PathValue("id"), u)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, toBusiness(b))
}

// createClient is POST /v1/admin/businesses/{id}/clients; it takes no
// parameters, so no body or an empty JSON object.
func (h *handler) createClient(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptionalBody(r); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.ClientCredentials, error) {
		return h.engine.Operator().CreateClient(ctx, r.PathValue("id"))
	}, func(c *assetmint.ClientCredentials) any {
		return clientJSON{Object: "client", BusinessID: c.BusinessID, ClientID: c.ClientID, ClientSecret: c.ClientSecret}
	})
}

// verifyAsset is POST /v1/admin/assets/{id}/verify: an operator verifies a
// valued asset the policy left for a person.
func (h *handler) verifyAsset(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptionalBody(r); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.AssetDetails, error) {
		return h.engine.Operator().VerifyAsset(ctx, r.PathValue("id"))
	}, assetDetailAnswer)
}

func assetDetailAnswer(d *assetmint.AssetDetails) any { return toAssetDetail(d) }

// rejectAsset is POST /v1/admin/assets/{id}/reject with a reason.
func (h *handler) rejectAsset(w http.ResponseWriter, r *http.Request) {
	var reason str
	if err := decodeBody(r, field{"reason", &reason}); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.AssetDetails, error) {
		return h.engine.Operator().RejectAsset(ctx, r.PathValue("id"), reason.val)
	}, assetDetailAnswer)
}

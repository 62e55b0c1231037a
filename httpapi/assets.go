package httpapi

import (
	"bytes"
	"context"
	"net/http"

	"github.com/assetmint/assetmint"
)

// assetJSON is an asset on the wire.
type assetJSON struct {
	ID             string         `json:"id"`
	Object         string         `json:"object"`
	Name           string         `json:"name"`
	Type           string         `json:"type"`
	Description    string         `json:"description"`
	EstimatedValue money          `json:"estimated_value"`
	Currency       string         `json:"currency"`
	Metadata       map[string]any `json:"metadata"`
	Status         string         `json:"status"`
	CreatedAt      timestamp      `json:"created_at"`
	UpdatedAt      timestamp      `json:"updated_at"`
}

// assetDetailJSON is one asset with what GET /v1/assets/{id} embeds: its
// attached documents and its latest valuation (null until valued).
type assetDetailJSON struct {
	assetJSON
	Documents []documentJSON `json:"documents"`
	Valuation *valuationJSON `json:"valuation"` // null until valued
}

func toAsset(a *assetmint.Asset) assetJSON {
	md := a.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return assetJSON{
		ID: a.ID, Object: "asset", Name: a.Name, Type: string(a.Type), Description: a.Description,
		EstimatedValue: money(a.EstimatedValue), Currency: a.Currency, Metadata: md,
		Status: string(a.Status), CreatedAt: timestamp(a.CreatedAt), UpdatedAt: timestamp(a.UpdatedAt),
	}
}

// toAssetDetail is an asset's detail: the asset, its attached documents
// and its latest valuation.
func toAssetDetail(d *assetmint.AssetDetails) assetDetailJSON {
	out := assetDetailJSON{assetJSON: toAsset(d.Asset), Documents: []documentJSON{}}
	for _, doc := range d.Documents {
		out.Documents = append(out.Documents, toDocument(doc))
	}
	if d.Valuation != nil {
		v := toValuation(d.Valuation)
		out.Valuation = &v
	}
	return out
}

// newAssetDetail is a new asset's detail: no documents, no valuation yet.
func newAssetDetail(a *assetmint.Asset) any {
	return toAssetDetail(&assetmint.AssetDetails{Asset: a})
}

// writeAsset answers with an asset's detail as it is now: from h.details
// when the store's version of the detail says the one kept there is
// current, else read (and kept).
func (h *handler) writeAsset(w http.ResponseWriter, r *http.Request, status int, businessID, id string) {
	ctx := r.Context()
	version, versioned, err := h.engine.AssetDetailVersion(ctx, businessID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if versioned {
		if data, ok := h.details.get(businessID, id, version); ok {
			writeEncodedData(w, r, status, data)
			return
		}
	}
	d, err := h.engine.AssetDetails(ctx, businessID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	detail := toAssetDetail(d)
	data, err := encode(detail)
	if err != nil {
		writeData(w, r, status, detail) // answers the failure as every response does
		return
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	if versioned {
		// d.Version, read with the detail: what was just read, whatever
		// moved since the version read above.
		h.details.put(businessID, id, d.Version, data)
	}
	writeEncodedData(w, r, status, data)
}

// createAsset is POST /v1/assets: submit an asset for valuation.
func (h *handler) createAsset(w http.ResponseWriter, r *http.Request) {
	var name, typ, desc, currency str
	var value amount
	var md object
	if err := decodeBody(r,
		field{"name", &name}, field{"type", &typ}, field{"description", &desc},
		field{"estimated_value", &value}, field{"currency", &currency}, field{"metadata", &md},
	); err != nil {
		writeError(w, r, err)
		return
	}
	in := assetmint.NewAsset{
		Name: name.val, Type: assetmint.AssetType(typ.val), Description: desc.val,
		EstimatedValue: value.val, Currency: currency.val, Metadata: md.val,
	}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.Asset, error) {
		return h.engine.SubmitAsset(ctx, principal(r).BusinessID, in)
	}, newAssetDetail)
}

// getAsset is GET /v1/assets/{id}.
func (h *handler) getAsset(w http.ResponseWriter, r *http.Request) {
	h.writeAsset(w, r, http.StatusOK, principal(r).BusinessID, r.PathValue("id"))
}

// listAssets is GET /v1/assets, optionally narrowed by status.
func (h *handler) listAssets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := takeQuery(q, "status")
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := assetmint.AssetFilter{Status: assetmint.AssetStatus(status)}
	serveList(w, r, q, func(p assetmint.ListParams) (assetmint.Page[*assetmint.Asset], error) {
		return h.engine.Assets(r.Context(), principal(r).BusinessID, f, p)
	}, toAsset)
}

// updateAsset is PATCH /v1/assets/{id}.
func (h *handler) updateAsset(w http.ResponseWriter, r *http.Request) {
	var name, desc str
	var value amount
	var md object
	var typ, currency str
	var detach strs
	if err := decodeBody(r,
		field{"name", &name}, field{"description", &desc}, field{"estimated_value", &value}, field{"metadata", &md},
		field{"type", &typ}, field{"currency", &currency}, field{"detach_documents", &detach},
	); err != nil {
		writeError(w, r, err)
		return
	}
	if typ.set {
		writeError(w, r, assetmint.FieldError("type", "type cannot be changed; submit a new asset instead"))
		return
	}
	if currency.set {
		writeError(w, r, assetmint.FieldError("currency", "currency cannot be changed; submit a new asset instead"))
		return
	}
	u := assetmint.AssetUpdate{Name: name.ptr(), Description: desc.ptr(), Metadata: md.val, DetachDocuments: detach.val}
	if value.set {
		u.EstimatedValue = &value.val
	}
	a, err := h.engine.UpdateAsset(r.Context(), principal(r).BusinessID, r.PathValue("id"), u)
	if err != nil {
		writeError(w, r, err)
		return
	}
	h.writeAsset(w, r, http.StatusOK, a.BusinessID, a.ID)
}

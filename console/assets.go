package console

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// assetsData is a page of the assets of every business.
type assetsData struct {
	Status string
	Tabs   []tab
	Rows   []assetRow
	Pager  pager
}

type assetRow struct {
	*assetmint.Asset
	Business string
}

// assets is GET /assets: every business's assets, newest first; ?status=
// narrows them (valued is the review queue).
func (h *handler) assets(w http.ResponseWriter, r *http.Request) {
	status := assetmint.AssetStatus(r.URL.Query().Get("status"))
	p := listParams(r)
	page, err := h.op.AllAssets(r.Context(), assetmint.AssetFilter{Status: status}, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := assetsData{Status: string(status), Tabs: []tab{{Label: "all", Query: "", Current: status == ""}}}
	for _, s := range assetmint.AssetStatuses() {
		d.Tabs = append(d.Tabs, tab{Label: string(s), Query: "?status=" + string(s), Current: s == status})
	}
	n := h.names(r)
	for _, a := range page.Items {
		d.Rows = append(d.Rows, assetRow{Asset: a, Business: n.of(a.BusinessID)})
	}
	d.Pager = pagerOf(page, p, func(a *assetmint.Asset) string { return a.ID }, url.Values{"status": {string(status)}})
	title := "Assets"
	if status == assetmint.AssetValued {
		title = "Review queue"
	}
	h.render(w, r, http.StatusOK, "assets.html", &view{Title: title, Section: "assets", Data: d})
}

// assetData is one asset's page.
type assetData struct {
	*assetmint.AssetDetails
	Business   *assetmint.Business
	Report     *valuation.Report
	Flags      []valuation.Flag
	Chart      *waterfallChart
	CanVerify  bool
	CanReject  bool
	FormReason string // the reject form's text, kept when it was refused
}

// asset is GET /assets/{id}.
func (h *handler) asset(w http.ResponseWriter, r *http.Request) {
	h.showAsset(w, r, http.StatusOK, "", "")
}

// showAsset answers the asset's page at status, with msg as the error of a
// refused action and reason as the reject form's text.
func (h *handler) showAsset(w http.ResponseWriter, r *http.Request, status int, msg, reason string) {
	d, err := h.assetData(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.FormReason = reason
	h.render(w, r, status, "asset.html", &view{Title: d.Name, Section: "assets", Error: msg, Data: d})
}

func (h *handler) assetData(ctx context.Context, id string) (*assetData, error) {
	ad, err := h.op.AssetDetails(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := h.op.Business(ctx, ad.BusinessID)
	if err != nil {
		return nil, err
	}
	d := &assetData{AssetDetails: ad, Business: b}
	switch ad.Status {
	case assetmint.AssetValued:
		d.CanVerify, d.CanReject = true, true
	case assetmint.AssetPendingValuation, assetmint.AssetVerified:
		d.CanReject = true
	}
	if ad.Valuation != nil {
		d.Report = ad.Valuation.Report
		d.Flags = append([]valuation.Flag(nil), d.Report.Flags...)
		sort.SliceStable(d.Flags, func(i, j int) bool { return d.Flags[i].Code < d.Flags[j].Code })
		d.Chart = newWaterfallChart(d.Report)
	}
	return d, nil
}

// document is GET /assets/{id}/documents/{doc}: the document's bytes, as an
// attachment of its sniffed type.
func (h *handler) document(w http.ResponseWriter, r *http.Request) {
	d, rc, err := h.op.OpenDocument(r.Context(), r.PathValue("id"), r.PathValue("doc"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	name := d.Filename
	if name == "" {
		name = d.ID
	}
	hd := w.Header()
	hd.Set("Content-Type", d.ContentType)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "console: sending a document", "document_id", d.ID, "err", err)
	}
}

// verifyAsset is POST /assets/{id}/verify.
func (h *handler) verifyAsset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	h.act(w, r, action{
		call: func(ctx context.Context) (any, error) { return h.op.VerifyAsset(ctx, id) },
		next: func(any) string { return "/assets/" + id + "?notice=verified" },
	}, func(w http.ResponseWriter, r *http.Request, err error) {
		h.showAsset(w, r, statusOf(err), message(err), "")
	})
}

// rejectAsset is POST /assets/{id}/reject with a reason.
func (h *handler) rejectAsset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason := parseReason(r.PostForm.Get("reason"))
	h.act(w, r, action{
		fields: []string{"reason"},
		call:   func(ctx context.Context) (any, error) { return h.op.RejectAsset(ctx, id, reason) },
		next:   func(any) string { return "/assets/" + id + "?notice=asset_rejected" },
	}, func(w http.ResponseWriter, r *http.Request, err error) {
		h.showAsset(w, r, statusOf(err), message(err), reason)
	})
}

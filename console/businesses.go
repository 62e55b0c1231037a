package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
)

// plans are the plans a business may have, for the forms.
var plans = []auth.Plan{auth.PlanDeveloper, auth.PlanBusiness, auth.PlanEnterprise}

// businessesData is a page of businesses, with the form that creates one.
type businessesData struct {
	Rows  []*assetmint.Business
	Pager pager
	Plans []auth.Plan
	// What the create form held when it was refused.
	Name, Plan, Wallet string
}

// businesses is GET /businesses.
func (h *handler) businesses(w http.ResponseWriter, r *http.Request) {
	h.showBusinesses(w, r, http.StatusOK, "", businessesData{Plan: string(auth.PlanDeveloper)})
}

func (h *handler) showBusinesses(w http.ResponseWriter, r *http.Request, status int, msg string, d businessesData) {
	p := listParams(r)
	if r.Method != http.MethodGet {
		p = assetmint.ListParams{Limit: pageSize}
	}
	page, err := h.op.Businesses(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Plans = page.Items, plans
	d.Pager = pagerOf(page, p, func(b *assetmint.Business) string { return b.ID }, url.Values{})
	h.render(w, r, status, "businesses.html", &view{Title: "Businesses", Section: "businesses", Error: msg, Data: d})
}

// businessData is one business's page.
type businessData struct {
	*assetmint.Business
	Plans []auth.Plan
	// What the update form shows: the business's, or what it held when it
	// was refused.
	FormPlan, FormWallet string
}

// business is GET /businesses/{id}.
func (h *handler) business(w http.ResponseWriter, r *http.Request) {
	h.showBusiness(w, r, http.StatusOK, "", nil)
}

func (h *handler) showBusiness(w http.ResponseWriter, r *http.Request, status int, msg string, kept *businessData) {
	b, err := h.op.Business(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := businessData{Business: b, Plans: plans, FormPlan: string(b.Plan), FormWallet: b.WalletAddress}
	if kept != nil {
		d.FormPlan, d.FormWallet = kept.FormPlan, kept.FormWallet
	}
	h.render(w, r, status, "business.html", &view{Title: b.Name, Section: "businesses", Error: msg, Data: d})
}

// createdData is the answer to a creating form: the new credentials,
// shown on this page only.
type createdData struct {
	Business    *assetmint.Business
	Credentials *assetmint.ClientCredentials
	NewBusiness bool
}

// createBusiness is POST /businesses: name, plan, wallet_address. The
// answer shows the first client's secret, once: what is stored under the
// form's key holds no secret, so submitting the form again sends the
// operator to the business without it.
func (h *handler) createBusiness(w http.ResponseWriter, r *http.Request) {
	kept := businessesData{Name: r.PostForm.Get("name"), Plan: r.PostForm.Get("plan"), Wallet: r.PostForm.Get("wallet_address")}
	in := assetmint.NewBusiness{Name: kept.Name, Plan: auth.Plan(kept.Plan), WalletAddress: kept.Wallet}
	res, _, err := h.perform(r, action{
		fields: []string{"name", "plan", "wallet_address"},
		call: func(ctx context.Context) (any, error) {
			b, creds, err := h.op.CreateBusiness(ctx, in)
			if err != nil {
				return nil, err
			}
			return &assetmint.CreatedBusiness{Business: b, Credentials: creds}, nil
		},
		next: func(res any) string {
			return "/businesses/" + res.(*assetmint.CreatedBusiness).ID + "?notice=business_created"
		},
	})
	if h.redirected(w, r, err) {
		return
	}
	if err != nil {
		h.showBusinesses(w, r, statusOf(err), message(err), kept)
		return
	}
	cb := res.(*assetmint.CreatedBusiness)
	h.render(w, r, http.StatusCreated, "created.html", &view{Title: "Business created", Section: "businesses",
		Data: createdData{Business: cb.Business, Credentials: cb.Credentials, NewBusiness: true}})
}

// updateBusiness is POST /businesses/{id}: plan and wallet_address (empty
// clears it).
func (h *handler) updateBusiness(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	kept := businessData{FormPlan: r.PostForm.Get("plan"), FormWallet: r.PostForm.Get("wallet_address")}
	plan := auth.Plan(kept.FormPlan)
	u := assetmint.BusinessUpdate{Plan: &plan, WalletAddress: &kept.FormWallet}
	h.act(w, r, action{
		fields: []string{"plan", "wallet_address"},
		call:   func(ctx context.Context) (any, error) { return h.op.UpdateBusiness(ctx, id, u) },
		next:   func(any) string { return "/businesses/" + id + "?notice=business_updated" },
	}, func(w http.ResponseWriter, r *http.Request, err error) {
		h.showBusiness(w, r, statusOf(err), message(err), &kept)
	})
}

// createClient is POST /businesses/{id}/clients: another API client, its
// secret shown once on the answer.
func (h *handler) createClient(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, _, err := h.perform(r, action{
		call: func(ctx context.Context) (any, error) { return h.op.CreateClient(ctx, id) },
		next: func(any) string { return "/businesses/" + id + "?notice=client_created" },
	})
	if h.redirected(w, r, err) {
		return
	}
	if err != nil {
		h.showBusiness(w, r, statusOf(err), message(err), nil)
		return
	}
	b, err := h.op.Business(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusCreated, "created.html", &view{Title: "Client created", Section: "businesses",
		Data: createdData{Business: b, Credentials: res.(*assetmint.ClientCredentials)}})
}

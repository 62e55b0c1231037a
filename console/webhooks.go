package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/assetmint/assetmint"
)

// webhooksData is the page of failing webhook endpoints and deliveries.
type webhooksData struct {
	Endpoints     []endpointRow
	EndpointsMore bool
	List          string // failing or dead
	Tabs          []tab
	Rows          []deliveryRow
	Pager         pager
}

type endpointRow struct {
	*assetmint.WebhookEndpoint
	Business string
}

type deliveryRow struct {
	*assetmint.WebhookDelivery
	Business string
	CanRetry bool
}

// The delivery lists of the webhooks page.
var deliveryLists = []struct {
	name, label string
	filter      assetmint.DeliveryFilter
}{
	{"failing", "failing (retrying)", assetmint.DeliveryFilter{Status: assetmint.DeliveryPending, Attempted: true}},
	{"dead", "dead (out of attempts)", assetmint.DeliveryFilter{Status: assetmint.DeliveryFailed}},
}

// webhooks is GET /webhooks: the failing endpoints of every business, and
// its failing (?list=failing, the default) or dead (?list=dead)
// deliveries, with a Retry button on the dead ones.
func (h *handler) webhooks(w http.ResponseWriter, r *http.Request) {
	h.showWebhooks(w, r, http.StatusOK, "")
}

func (h *handler) showWebhooks(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctx := r.Context()
	list := r.URL.Query().Get("list")
	if list == "" {
		list = "failing"
	}
	d := webhooksData{List: list}
	var filter *assetmint.DeliveryFilter
	for _, l := range deliveryLists {
		d.Tabs = append(d.Tabs, tab{Label: l.label, Query: "?list=" + l.name, Current: l.name == list})
		if l.name == list {
			filter = &l.filter
		}
	}
	if filter == nil {
		h.fail(w, r, assetmint.FieldError("list", "list must be failing or dead"))
		return
	}
	endpoints, err := h.op.FailingWebhookEndpoints(ctx, assetmint.ListParams{Limit: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := listParams(r)
	if r.Method != http.MethodGet {
		p = assetmint.ListParams{Limit: pageSize}
	}
	page, err := h.op.AllWebhookDeliveries(ctx, *filter, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := h.names(r)
	for _, e := range endpoints.Items {
		d.Endpoints = append(d.Endpoints, endpointRow{WebhookEndpoint: e, Business: n.of(e.BusinessID)})
	}
	d.EndpointsMore = endpoints.HasMore
	for _, dl := range page.Items {
		d.Rows = append(d.Rows, deliveryRow{WebhookDelivery: dl, Business: n.of(dl.BusinessID),
			CanRetry: dl.Status != assetmint.DeliveryPending})
	}
	d.Pager = pagerOf(page, p, func(dl *assetmint.WebhookDelivery) string { return dl.ID }, url.Values{"list": {list}})
	h.render(w, r, status, "webhooks.html", &view{Title: "Webhooks", Section: "webhooks", Error: msg, Data: d})
}

// retryDelivery is POST /webhooks/deliveries/{id}/retry: the delivery is
// sent again now, with a fresh set of attempts.
func (h *handler) retryDelivery(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	h.act(w, r, action{
		call: func(ctx context.Context) (any, error) { return h.op.RetryWebhookDelivery(ctx, id) },
		next: func(any) string { return "/webhooks?list=failing&notice=retried" },
	}, func(w http.ResponseWriter, r *http.Request, err error) {
		r.URL.RawQuery = "list=dead"
		h.showWebhooks(w, r, statusOf(err), message(err))
	})
}

package httpapi

import (
	"context"
	"net/http"

	"github.com/assetmint/assetmint"
)

// webhookJSON is an endpoint on the wire; Secret is set only when it is
// created or its secret rotated.
type webhookJSON struct {
	ID             string     `json:"id"`
	Object         string     `json:"object"`
	URL            string     `json:"url"`
	Description    string     `json:"description"`
	Events         []string   `json:"events"`
	Status         string     `json:"status"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	Secret         string     `json:"secret,omitempty"`
	LastSuccessAt  *timestamp `json:"last_success_at"`
	CreatedAt      timestamp  `json:"created_at"`
}

func toWebhook(w *assetmint.WebhookEndpoint, withSecret bool) webhookJSON {
	out := webhookJSON{ID: w.ID, Object: "webhook_endpoint", URL: w.URL, Description: w.Description, Events: w.Events,
		Status: string(w.Status), DisabledReason: w.DisabledReason, LastSuccessAt: optTimestamp(w.LastSuccessAt),
		CreatedAt: timestamp(w.CreatedAt)}
	if out.Events == nil {
		out.Events = []string{}
	}
	if withSecret {
		out.Secret = w.Secret
	}
	return out
}

// deliveryJSON is a delivery on the wire.
type deliveryJSON struct {
	ID             string     `json:"id"`
	Object         string     `json:"object"`
	WebhookID      string     `json:"webhook_id"`
	EventID        string     `json:"event_id"`
	EventType      string     `json:"event_type"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	LastStatusCode *int       `json:"last_status_code"`
	LastError      string     `json:"last_error,omitempty"`
	NextAttemptAt  *timestamp `json:"next_attempt_at"`
	DeliveredAt    *timestamp `json:"delivered_at"`
	CreatedAt      timestamp  `json:"created_at"`
}

func toDelivery(d *assetmint.WebhookDelivery) deliveryJSON {
	out := deliveryJSON{ID: d.ID, Object: "webhook_delivery", WebhookID: d.EndpointID, EventID: d.EventID, EventType: d.EventType,
		Status: string(d.Status), Attempts: d.Attempts, LastError: d.LastError, DeliveredAt: optTimestamp(d.DeliveredAt),
		CreatedAt: timestamp(d.CreatedAt)}
	if d.LastStatusCode != 0 {
		code := d.LastStatusCode
		out.LastStatusCode = &code
	}
	if d.Status == assetmint.DeliveryPending {
		out.NextAttemptAt = optTimestamp(d.NextAttemptAt)
	}
	return out
}

// createWebhook is POST /v1/webhooks: url, optional events and description;
// the answer carries the secret, once.
func (h *handler) createWebhook(w http.ResponseWriter, r *http.Request) {
	var url, desc str
	var events strs
	if err := decodeBody(r, field{"url", &url}, field{"events", &events}, field{"description", &desc}); err != nil {
		writeError(w, r, err)
		return
	}
	in := assetmint.NewWebhookEndpoint{URL: url.val, Events: events.val, Description: desc.val}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.WebhookEndpoint, error) {
		return h.engine.CreateWebhookEndpoint(ctx, principal(r).BusinessID, in)
	}, webhookWithSecret)
}

func webhookWithSecret(ep *assetmint.WebhookEndpoint) any { return toWebhook(ep, true) }

// listWebhooks is GET /v1/webhooks.
func (h *handler) listWebhooks(w http.ResponseWriter, r *http.Request) {
	serveList(w, r, r.URL.Query(), func(p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookEndpoint], error) {
		return h.engine.WebhookEndpoints(r.Context(), principal(r).BusinessID, p)
	}, func(ep *assetmint.WebhookEndpoint) webhookJSON { return toWebhook(ep, false) })
}

// deleteWebhook is DELETE /v1/webhooks/{id}.
func (h *handler) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := h.engine.DeleteWebhookEndpoint(r.Context(), principal(r).BusinessID, r.PathValue("id")); err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, map[string]any{"id": r.PathValue("id"), "object": "webhook_endpoint", "deleted": true})
}

// rotateWebhookSecret is POST /v1/webhooks/{id}/rotate_secret.
func (h *handler) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptionalBody(r); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.WebhookEndpoint, error) {
		return h.engine.RotateWebhookSecret(ctx, principal(r).BusinessID, r.PathValue("id"))
	}, webhookWithSecret)
}

// listDeliveries is GET /v1/webhooks/{id}/deliveries.
func (h *handler) listDeliveries(w http.ResponseWriter, r *http.Request) {
	serveList(w, r, r.URL.Query(), func(p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookDelivery], error) {
		return h.engine.WebhookDeliveries(r.Context(), principal(r).BusinessID, r.PathValue("id"), p)
	}, toDelivery)
}

// retryDelivery is POST /v1/webhooks/{id}/deliveries/{delivery_id}/retry:
// the delivery is sent again now, with a fresh set of attempts.
func (h *handler) retryDelivery(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptionalBody(r); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusAccepted, func(ctx context.Context) (*assetmint.WebhookDelivery, error) {
		return h.engine.RetryWebhookDelivery(ctx, principal(r).BusinessID, r.PathValue("id"), r.PathValue("delivery_id"))
	}, func(d *assetmint.WebhookDelivery) any { return toDelivery(d) })
}

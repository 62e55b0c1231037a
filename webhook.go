package assetmint

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/assetmint/assetmint/webhooks"
)

// EndpointStatus is whether an endpoint receives deliveries.
type EndpointStatus string

const (
	EndpointEnabled  EndpointStatus = "enabled"
	EndpointDisabled EndpointStatus = "disabled" // by a 410, or after 5 days without a successful delivery
	EndpointDeleted  EndpointStatus = "deleted"  // by its business; kept for the delivery history
)

// WebhookEndpoint is a URL of a business that receives its events, signed
// with the endpoint's secret.
type WebhookEndpoint struct {
	ID          string
	BusinessID  string
	URL         string
	Description string
	// Events filters what is delivered; empty means every event.
	Events []string
	// Secret is "whsec_" + base64 of 32 random bytes. It is kept in the
	// clear because every delivery is signed with it; it is shown to the
	// business only when created or rotated.
	Secret string
	// PreviousSecret keeps signing, beside Secret, until PreviousExpiresAt
	// (24 hours after a rotation), so receivers can switch over.
	PreviousSecret    string
	PreviousExpiresAt time.Time
	Status            EndpointStatus
	DisabledReason    string
	// FailingSince is when the first failed attempt after the last success
	// happened; zero while deliveries succeed. Five days of failure
	// disable the endpoint.
	FailingSince  time.Time
	LastSuccessAt time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// signingSecrets are the secrets that sign a delivery at now: the current
// one first, then the previous one during its grace period.
func (w *WebhookEndpoint) signingSecrets(now time.Time) []string {
	s := []string{w.Secret}
	if w.PreviousSecret != "" && now.Before(w.PreviousExpiresAt) {
		s = append(s, w.PreviousSecret)
	}
	return s
}

// wants reports whether the endpoint subscribes to an event type.
func (w *WebhookEndpoint) wants(eventType string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, t := range w.Events {
		if t == eventType {
			return true
		}
	}
	return false
}

// WebhookEndpointStore keeps webhook endpoints.
type WebhookEndpointStore interface {
	// CreateWebhookEndpoint inserts w. ECONFLICT if the id exists.
	CreateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error
	// WebhookEndpoint reads one of the business's endpoints, deleted ones
	// included. ENOTFOUND if absent or another business's.
	WebhookEndpoint(ctx context.Context, businessID, id string) (*WebhookEndpoint, error)
	// WebhookEndpoints lists the business's endpoints that are not
	// deleted, newest first. ErrCursorNotFound (ENOTFOUND) if p's cursor
	// is not one of the business's endpoints (deleted or not).
	WebhookEndpoints(ctx context.Context, businessID string, p ListParams) (Page[*WebhookEndpoint], error)
	// EnabledWebhookEndpoints lists the business's enabled endpoints, for
	// fan-out, oldest first.
	EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*WebhookEndpoint, error)
	// UpdateWebhookEndpoint writes every mutable field of w (scoped by
	// w.BusinessID). ENOTFOUND if absent.
	UpdateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error
}

// NewWebhookEndpoint is the input of CreateWebhookEndpoint.
type NewWebhookEndpoint struct {
	URL         string
	Events      []string // empty: every event
	Description string
}

// Limits on endpoints.
const (
	maxEndpointsPerBusiness = 20
	maxEndpointDescription  = 500
	// SecretRotationGrace is how long a rotated-out secret keeps signing.
	SecretRotationGrace = 24 * time.Hour
)

// CreateWebhookEndpoint registers a URL for the business's events. The
// returned endpoint carries its secret, which the API shows only now.
// Errors: EINVALID naming url, events or description.
func (e *Engine) CreateWebhookEndpoint(ctx context.Context, businessID string, in NewWebhookEndpoint) (*WebhookEndpoint, error) {
	if in.URL == "" {
		return nil, FieldError("url", "url is required")
	}
	if err := validateText("url", "url", in.URL, false); err != nil {
		return nil, err
	}
	if err := webhooks.ValidateURL(in.URL, e.cfg.Webhooks.AllowPrivate); err != nil {
		return nil, FieldError("url", "%s", strings.TrimPrefix(err.Error(), "webhooks: "))
	}
	events, err := validateEventFilter(in.Events)
	if err != nil {
		return nil, err
	}
	if err := validateText("description", "description", in.Description, true); err != nil {
		return nil, err
	}
	if len(in.Description) > maxEndpointDescription {
		return nil, FieldError("description", "description must be at most %d bytes", maxEndpointDescription)
	}
	id, err := e.newID(PrefixWebhook)
	if err != nil {
		return nil, err
	}
	secret, err := webhooks.NewSecret(e.cfg.Rand)
	if err != nil {
		return nil, internal(err, "new webhook secret")
	}
	now := e.now()
	w := &WebhookEndpoint{ID: id, BusinessID: businessID, URL: in.URL, Description: in.Description, Events: events,
		Secret: secret, Status: EndpointEnabled, CreatedAt: now, UpdatedAt: now}
	w, err = commit(e, ctx, func(tx Tx) (*WebhookEndpoint, error) {
		page, err := tx.WebhookEndpoints(ctx, businessID, ListParams{Limit: MaxListLimit})
		if err != nil {
			return nil, err
		}
		if len(page.Items) >= maxEndpointsPerBusiness {
			return nil, Errorf(ECONFLICT, "a business can have at most %d webhook endpoints", maxEndpointsPerBusiness)
		}
		return w, tx.CreateWebhookEndpoint(ctx, w)
	})
	if err != nil {
		return nil, internal(err, "create webhook endpoint")
	}
	return w, nil
}

func validateEventFilter(events []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, ev := range events {
		if !validEventType(ev) {
			return nil, FieldError("events", "unknown event type %q; known: %s", ev, strings.Join(EventTypes(), ", "))
		}
		if !seen[ev] {
			seen[ev] = true
			out = append(out, ev)
		}
	}
	sort.Strings(out)
	return out, nil
}

// WebhookEndpoints lists the business's endpoints, newest first.
// Errors: EINVALID (a cursor must name one of the business's endpoints:
// ListParams).
func (e *Engine) WebhookEndpoints(ctx context.Context, businessID string, p ListParams) (Page[*WebhookEndpoint], error) {
	return readPage(p, "webhook endpoints", func(p ListParams) (Page[*WebhookEndpoint], error) {
		return e.store.WebhookEndpoints(ctx, businessID, p)
	})
}

// WebhookEndpoint reads one of the business's endpoints (not deleted).
// Errors: ENOTFOUND.
func (e *Engine) WebhookEndpoint(ctx context.Context, businessID, id string) (*WebhookEndpoint, error) {
	w, err := e.store.WebhookEndpoint(ctx, businessID, id)
	if err == nil && w.Status == EndpointDeleted {
		err = Errorf(ENOTFOUND, "webhook endpoint not found")
	}
	if err != nil {
		return nil, internal(err, "read webhook endpoint")
	}
	return w, nil
}

// DeleteWebhookEndpoint stops deliveries to an endpoint: its pending
// deliveries are marked failed when their next attempt comes due. Its
// delivery history stays in the store, not in the API.
// Errors: ENOTFOUND.
func (e *Engine) DeleteWebhookEndpoint(ctx context.Context, businessID, id string) error {
	return internalOrNil(e.store.InTx(ctx, func(tx Tx) error {
		w, err := tx.WebhookEndpoint(ctx, businessID, id)
		if err != nil {
			return err
		}
		if w.Status == EndpointDeleted {
			return Errorf(ENOTFOUND, "webhook endpoint not found")
		}
		w.Status, w.UpdatedAt = EndpointDeleted, e.now()
		return tx.UpdateWebhookEndpoint(ctx, w)
	}), "delete webhook endpoint")
}

// RotateWebhookSecret gives an endpoint a new secret; the old one keeps
// signing beside it for SecretRotationGrace. Errors: ENOTFOUND.
func (e *Engine) RotateWebhookSecret(ctx context.Context, businessID, id string) (*WebhookEndpoint, error) {
	secret, err := webhooks.NewSecret(e.cfg.Rand)
	if err != nil {
		return nil, internal(err, "new webhook secret")
	}
	w, err := commit(e, ctx, func(tx Tx) (*WebhookEndpoint, error) {
		w, err := tx.WebhookEndpoint(ctx, businessID, id)
		if err != nil {
			return nil, err
		}
		if w.Status == EndpointDeleted {
			return nil, Errorf(ENOTFOUND, "webhook endpoint not found")
		}
		now := e.now()
		w.PreviousSecret, w.PreviousExpiresAt = w.Secret, now.Add(SecretRotationGrace)
		w.Secret, w.UpdatedAt = secret, now
		return w, tx.UpdateWebhookEndpoint(ctx, w)
	})
	if err != nil {
		return nil, internal(err, "rotate webhook secret")
	}
	return w, nil
}

// WebhookEndpointBookStore reads the endpoints of every business, for
// operators; never for a business.
type WebhookEndpointBookStore interface {
	// FailingWebhookEndpoints lists every business's endpoints that are
	// failing, newest first: enabled ones with a failed attempt since their
	// last success (FailingSince set), and disabled ones. Deleted endpoints
	// are left out. EINTERNAL on failure.
	FailingWebhookEndpoints(ctx context.Context, p ListParams) (Page[*WebhookEndpoint], error)
}

// FailingWebhookEndpoints lists every business's failing endpoints (see
// WebhookEndpointBookStore), newest first, for operators. Their secrets
// are left out: the operator's view never carries them.
// Errors: EINVALID.
func (o *Operator) FailingWebhookEndpoints(ctx context.Context, p ListParams) (Page[*WebhookEndpoint], error) {
	e := o.e
	page, err := readPage(p, "webhook endpoints", func(p ListParams) (Page[*WebhookEndpoint], error) {
		return e.store.FailingWebhookEndpoints(ctx, p)
	})
	for _, w := range page.Items {
		w.Secret, w.PreviousSecret = "", ""
	}
	return page, err
}

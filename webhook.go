package assetmint

import (
	"context"
	"time"
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

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "pending" // waiting for its first attempt or a retry
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed" // out of attempts, or its endpoint was disabled
)

// WebhookDelivery is one event sent to one endpoint, with its attempts.
type WebhookDelivery struct {
	ID             string
	BusinessID     string
	EndpointID     string
	EventID        string
	EventType      string
	Status         DeliveryStatus
	Attempts       int
	LastStatusCode int    // the receiver's last HTTP status; 0 when it never answered
	LastError      string // why the last attempt failed
	NextAttemptAt  time.Time
	DeliveredAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// WebhookStore keeps webhook endpoints and their deliveries.
type WebhookStore interface {
	// CreateWebhookEndpoint inserts w. ECONFLICT if the id exists.
	CreateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error
	// WebhookEndpoint reads one of the business's endpoints, deleted ones
	// included. ENOTFOUND if absent or another business's.
	WebhookEndpoint(ctx context.Context, businessID, id string) (*WebhookEndpoint, error)
	// WebhookEndpoints lists the business's endpoints that are not
	// deleted, newest first.
	WebhookEndpoints(ctx context.Context, businessID string, p ListParams) (Page[*WebhookEndpoint], error)
	// EnabledWebhookEndpoints lists the business's enabled endpoints, for
	// fan-out, oldest first.
	EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*WebhookEndpoint, error)
	// UpdateWebhookEndpoint writes every mutable field of w (scoped by
	// w.BusinessID). ENOTFOUND if absent.
	UpdateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error

	// CreateWebhookDelivery inserts d. ECONFLICT if the id exists or the
	// endpoint already has a delivery of that event (fan-out runs at least
	// once, deliveries exist once).
	CreateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// WebhookDelivery reads one of the business's deliveries. ENOTFOUND if
	// absent or another business's.
	WebhookDelivery(ctx context.Context, businessID, id string) (*WebhookDelivery, error)
	// WebhookDeliveries lists an endpoint's deliveries, newest first.
	WebhookDeliveries(ctx context.Context, businessID, endpointID string, p ListParams) (Page[*WebhookDelivery], error)
	// UpdateWebhookDelivery writes every mutable field of d (scoped by
	// d.BusinessID). ENOTFOUND if absent.
	UpdateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
}

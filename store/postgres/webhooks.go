package postgres

import (
	"context"

	"github.com/assetmint/assetmint"
)

const webhookEndpointCols = `id, business_id, url, description, events, secret, previous_secret, previous_expires_at,
	status, disabled_reason, failing_since, last_success_at, created_at, updated_at`

func scanWebhookEndpoint(s rowScanner) (*assetmint.WebhookEndpoint, error) {
	var w assetmint.WebhookEndpoint
	err := s.Scan(&w.ID, &w.BusinessID, &w.URL, &w.Description, stringsCol{&w.Events}, &w.Secret, &w.PreviousSecret,
		timeCol{&w.PreviousExpiresAt}, &w.Status, &w.DisabledReason, timeCol{&w.FailingSince}, timeCol{&w.LastSuccessAt},
		timeCol{&w.CreatedAt}, timeCol{&w.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// CreateWebhookEndpoint inserts w. Its Events are stored as a JSON array:
// nil and empty are the same filter (every event) and both read back as an
// empty, non-nil slice. ECONFLICT if the id exists; ENOTFOUND if its
// business does not.
func (q queries) CreateWebhookEndpoint(ctx context.Context, w *assetmint.WebhookEndpoint) error {
	events, err := stringsArg(w.Events)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `INSERT INTO webhook_endpoints (`+webhookEndpointCols+`)
		SELECT `+placeholders(14)+`
		WHERE EXISTS (SELECT 1 FROM businesses WHERE id = $2)
		ON CONFLICT DO NOTHING`,
		w.ID, w.BusinessID, w.URL, w.Description, events, w.Secret, w.PreviousSecret, timeArg(w.PreviousExpiresAt),
		string(w.Status), w.DisabledReason, timeArg(w.FailingSince), timeArg(w.LastSuccessAt),
		timeArg(w.CreatedAt), timeArg(w.UpdatedAt))
	return q.inserted(ctx, "webhook endpoint", tag, err, exists("webhook endpoint"),
		needs("business", `SELECT EXISTS (SELECT 1 FROM businesses WHERE id = $1)`, w.BusinessID))
}

// WebhookEndpoint reads one of the business's endpoints, deleted ones
// included, locking its row in a transaction. ENOTFOUND if absent or
// another business's.
func (q queries) WebhookEndpoint(ctx context.Context, businessID, id string) (*assetmint.WebhookEndpoint, error) {
	w, err := scanWebhookEndpoint(q.q.QueryRow(ctx, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE id = $1 AND business_id = $2`+q.forUpdate(), id, businessID))
	if err != nil {
		return nil, storeError(err, "webhook endpoint")
	}
	return w, nil
}

// WebhookEndpoints lists the business's endpoints that are not deleted,
// newest first.
func (q queries) WebhookEndpoints(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookEndpoint], error) {
	return list[*assetmint.WebhookEndpoint]{table: "webhook_endpoints", cols: webhookEndpointCols,
		scope:  []cond{eq("business_id", businessID)},
		filter: func(p *params) string { return "status <> " + p.add(string(assetmint.EndpointDeleted)) },
		scan:   scanWebhookEndpoint, thing: "webhook endpoint"}.page(ctx, q.q, p)
}

// EnabledWebhookEndpoints lists the business's enabled endpoints, oldest
// first; an empty, non-nil slice if it has none.
func (q queries) EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*assetmint.WebhookEndpoint, error) {
	return queryAll(ctx, q.q, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE business_id = $1 AND status = $2 ORDER BY id ASC`,
		[]any{businessID, string(assetmint.EndpointEnabled)}, scanWebhookEndpoint, "webhook endpoint")
}

// UpdateWebhookEndpoint writes every field of w but its id, business and
// creation time, scoped by w.BusinessID. ENOTFOUND if absent or another
// business's.
func (q queries) UpdateWebhookEndpoint(ctx context.Context, w *assetmint.WebhookEndpoint) error {
	events, err := stringsArg(w.Events)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `UPDATE webhook_endpoints SET url = $1, description = $2, events = $3, secret = $4,
		previous_secret = $5, previous_expires_at = $6, status = $7, disabled_reason = $8, failing_since = $9,
		last_success_at = $10, updated_at = $11
		WHERE id = $12 AND business_id = $13`,
		w.URL, w.Description, events, w.Secret, w.PreviousSecret, timeArg(w.PreviousExpiresAt), string(w.Status),
		w.DisabledReason, timeArg(w.FailingSince), timeArg(w.LastSuccessAt), timeArg(w.UpdatedAt), w.ID, w.BusinessID)
	return oneRow(tag, err, "webhook endpoint")
}

const webhookDeliveryCols = `id, business_id, endpoint_id, event_id, event_type, status, attempts, last_status_code,
	last_error, next_attempt_at, delivered_at, created_at, updated_at`

func scanWebhookDelivery(s rowScanner) (*assetmint.WebhookDelivery, error) {
	var d assetmint.WebhookDelivery
	err := s.Scan(&d.ID, &d.BusinessID, &d.EndpointID, &d.EventID, &d.EventType, &d.Status, &d.Attempts,
		&d.LastStatusCode, &d.LastError, timeCol{&d.NextAttemptAt}, timeCol{&d.DeliveredAt},
		timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// CreateWebhookDelivery inserts d if its endpoint and its event both exist
// in d.BusinessID (deleted and disabled endpoints included). ECONFLICT if
// the id exists or the endpoint already has a delivery of the event (a
// unique constraint, so a fan-out running twice, on any instances, makes
// the delivery once; the conflict leaves the transaction usable, and the
// fan-out goes on); ENOTFOUND, naming which, if the endpoint or the event
// is absent or another business's.
func (q queries) CreateWebhookDelivery(ctx context.Context, d *assetmint.WebhookDelivery) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO webhook_deliveries (`+webhookDeliveryCols+`)
		SELECT `+placeholders(13)+`
		WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $3 AND business_id = $2)
			AND EXISTS (SELECT 1 FROM events WHERE id = $4 AND business_id = $2)
		ON CONFLICT DO NOTHING`,
		d.ID, d.BusinessID, d.EndpointID, d.EventID, d.EventType, string(d.Status), d.Attempts, d.LastStatusCode,
		d.LastError, timeArg(d.NextAttemptAt), timeArg(d.DeliveredAt), timeArg(d.CreatedAt), timeArg(d.UpdatedAt))
	return q.inserted(ctx, "webhook delivery", tag, err, exists("webhook delivery"),
		needs("webhook endpoint", `SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $1 AND business_id = $2)`,
			d.EndpointID, d.BusinessID),
		needs("event", `SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND business_id = $2)`, d.EventID, d.BusinessID))
}

// CreateWebhookDeliveries inserts each of ds as CreateWebhookDelivery does,
// one statement each (its ON CONFLICT DO NOTHING leaves a transaction
// usable when one exists), and returns each one's error.
func (q queries) CreateWebhookDeliveries(ctx context.Context, ds []*assetmint.WebhookDelivery) ([]error, error) {
	errs := make([]error, len(ds))
	for i, d := range ds {
		err := q.CreateWebhookDelivery(ctx, d)
		switch assetmint.ErrorCode(err) {
		case "":
		case assetmint.ECONFLICT, assetmint.ENOTFOUND:
			errs[i] = err
		default:
			return nil, err
		}
	}
	return errs, nil
}

// WebhookDelivery reads one of the business's deliveries, locking its row
// in a transaction. ENOTFOUND if absent or another business's.
func (q queries) WebhookDelivery(ctx context.Context, businessID, id string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.q.QueryRow(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE id = $1 AND business_id = $2`+q.forUpdate(), id, businessID))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// WebhookDeliveryOfEvent reads the delivery of an event to one of the
// business's endpoints (the pair is unique).
func (q queries) WebhookDeliveryOfEvent(ctx context.Context, businessID, endpointID, eventID string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.q.QueryRow(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE endpoint_id = $1 AND event_id = $2 AND business_id = $3`+q.forUpdate(), endpointID, eventID, businessID))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// WebhookDeliveries lists an endpoint's deliveries, newest first; none for
// another business's endpoint.
func (q queries) WebhookDeliveries(ctx context.Context, businessID, endpointID string, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookDelivery], error) {
	return list[*assetmint.WebhookDelivery]{table: "webhook_deliveries", cols: webhookDeliveryCols,
		scope: []cond{eq("business_id", businessID), eq("endpoint_id", endpointID)},
		scan:  scanWebhookDelivery, thing: "webhook delivery"}.page(ctx, q.q, p)
}

// UpdateWebhookDelivery writes d's status, attempts, last status code and
// error, next attempt, delivery and update times, scoped by d.BusinessID;
// its endpoint, event and creation time never change. ENOTFOUND if absent
// or another business's.
func (q queries) UpdateWebhookDelivery(ctx context.Context, d *assetmint.WebhookDelivery) error {
	tag, err := q.q.Exec(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = $2, last_status_code = $3,
		last_error = $4, next_attempt_at = $5, delivered_at = $6, updated_at = $7
		WHERE id = $8 AND business_id = $9`,
		string(d.Status), d.Attempts, d.LastStatusCode, d.LastError, timeArg(d.NextAttemptAt), timeArg(d.DeliveredAt),
		timeArg(d.UpdatedAt), d.ID, d.BusinessID)
	return oneRow(tag, err, "webhook delivery")
}

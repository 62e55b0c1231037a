package sqlite

import (
	"context"
	"fmt"
	"strings"

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
	_, err = q.w.ExecContext(ctx, `INSERT INTO webhook_endpoints (`+webhookEndpointCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.BusinessID, w.URL, w.Description, events, w.Secret, w.PreviousSecret, timeArg(w.PreviousExpiresAt),
		string(w.Status), w.DisabledReason, timeArg(w.FailingSince), timeArg(w.LastSuccessAt),
		timeArg(w.CreatedAt), timeArg(w.UpdatedAt))
	return storeError(err, "webhook endpoint")
}

// WebhookEndpoint reads one of the business's endpoints, deleted ones
// included. ENOTFOUND if absent or another business's.
func (q queries) WebhookEndpoint(ctx context.Context, businessID, id string) (*assetmint.WebhookEndpoint, error) {
	w, err := scanWebhookEndpoint(q.r.QueryRowContext(ctx, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE id = ? AND business_id = ?`, id, businessID))
	if err != nil {
		return nil, storeError(err, "webhook endpoint")
	}
	return w, nil
}

// WebhookEndpoints lists the business's endpoints that are not deleted,
// newest first.
func (q queries) WebhookEndpoints(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookEndpoint], error) {
	return list[*assetmint.WebhookEndpoint]{table: "webhook_endpoints", cols: webhookEndpointCols,
		scope:  cond{"business_id = ?", []any{businessID}},
		filter: cond{"status <> ?", []any{string(assetmint.EndpointDeleted)}},
		scan:   scanWebhookEndpoint, thing: "webhook endpoint"}.page(ctx, q.r, p)
}

// EnabledWebhookEndpoints lists the business's enabled endpoints, oldest
// first; an empty, non-nil slice if it has none.
func (q queries) EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*assetmint.WebhookEndpoint, error) {
	return queryAll(ctx, q.r, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE business_id = ? AND status = ? ORDER BY id ASC`,
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
	res, err := q.w.ExecContext(ctx, `UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, secret = ?,
		previous_secret = ?, previous_expires_at = ?, status = ?, disabled_reason = ?, failing_since = ?,
		last_success_at = ?, updated_at = ?
		WHERE id = ? AND business_id = ?`,
		w.URL, w.Description, events, w.Secret, w.PreviousSecret, timeArg(w.PreviousExpiresAt), string(w.Status),
		w.DisabledReason, timeArg(w.FailingSince), timeArg(w.LastSuccessAt), timeArg(w.UpdatedAt), w.ID, w.BusinessID)
	return oneRow(res, err, "webhook endpoint")
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

// CreateWebhookDelivery inserts d if its endpoint and its event both
// exist in d.BusinessID (deleted and disabled endpoints included).
// ECONFLICT if the id exists or the endpoint already has a delivery of the
// event; ENOTFOUND, naming which, if the endpoint or the event is absent or
// another business's.
func (q queries) CreateWebhookDelivery(ctx context.Context, d *assetmint.WebhookDelivery) error {
	res, err := q.w.ExecContext(ctx, `INSERT INTO webhook_deliveries (`+webhookDeliveryCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ? AND business_id = ?)
		AND EXISTS (SELECT 1 FROM events WHERE id = ? AND business_id = ?)`,
		d.ID, d.BusinessID, d.EndpointID, d.EventID, d.EventType, string(d.Status), d.Attempts, d.LastStatusCode,
		d.LastError, timeArg(d.NextAttemptAt), timeArg(d.DeliveredAt), timeArg(d.CreatedAt), timeArg(d.UpdatedAt),
		d.EndpointID, d.BusinessID, d.EventID, d.BusinessID)
	n, err := affected(res, err, "webhook delivery")
	if err != nil {
		return err
	}
	if n == 0 {
		return q.deliveryParentNotFound(ctx, d)
	}
	return nil
}

// CreateWebhookDeliveries inserts ds in statements of 64, 32, ... 1 rows
// (inShapes: a few fixed shapes, which the writer's statement cache keeps), each
// row as CreateWebhookDelivery inserts it, skipping a row whose id or
// endpoint and event exist, or whose endpoint or event is not its
// business's; such a row gets its ECONFLICT or ENOTFOUND afterwards. One
// statement for many rows is a third of the writer's time of one each.
func (q queries) CreateWebhookDeliveries(ctx context.Context, ds []*assetmint.WebhookDelivery) ([]error, error) {
	if aw, ok := q.w.(autoWriter); ok { // on the DB: a write transaction of its own
		var errs []error
		err := aw.c.run(ctx, func(t dbtx) (err error) {
			errs, err = queries{r: t, w: t}.CreateWebhookDeliveries(ctx, ds)
			return err
		}, false)
		return errs, err
	}
	inserted := make(map[string]bool, len(ds))
	if err := inShapes(ds, func(run []*assetmint.WebhookDelivery) error { return q.insertDeliveries(ctx, run, inserted) }); err != nil {
		return nil, err
	}
	errs := make([]error, len(ds))
	for i, d := range ds {
		if !inserted[d.ID] {
			errs[i] = q.deliveryNotInserted(ctx, d)
		}
	}
	return errs, nil
}

// deliveryRows inserts the rows of a VALUES list (column1 ... column13, in
// webhookDeliveryCols' order) that CreateWebhookDelivery would insert.
const deliveryRows = `INSERT INTO webhook_deliveries (` + webhookDeliveryCols + `)
	SELECT * FROM (VALUES %s) v
	WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = v.column3 AND w.business_id = v.column2)
		AND EXISTS (SELECT 1 FROM events e WHERE e.id = v.column4 AND e.business_id = v.column2)
	ON CONFLICT DO NOTHING
	RETURNING id`

func (q queries) insertDeliveries(ctx context.Context, ds []*assetmint.WebhookDelivery, inserted map[string]bool) error {
	rows := make([]string, len(ds))
	args := make([]any, 0, 13*len(ds))
	for i, d := range ds {
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(args, d.ID, d.BusinessID, d.EndpointID, d.EventID, d.EventType, string(d.Status), d.Attempts,
			d.LastStatusCode, d.LastError, timeArg(d.NextAttemptAt), timeArg(d.DeliveredAt), timeArg(d.CreatedAt), timeArg(d.UpdatedAt))
	}
	res, err := q.r.QueryContext(ctx, fmt.Sprintf(deliveryRows, strings.Join(rows, ", ")), args...)
	if err != nil {
		return internal(err)
	}
	defer res.Close()
	for res.Next() {
		var id string
		if err := res.Scan(&id); err != nil {
			return internal(err)
		}
		inserted[id] = true
	}
	if err := res.Err(); err != nil {
		return internal(err)
	}
	return nil
}

// deliveryNotInserted says why d was not inserted: ECONFLICT if its id or
// its endpoint and event exist, else the ENOTFOUND of its parent.
func (q queries) deliveryNotInserted(ctx context.Context, d *assetmint.WebhookDelivery) error {
	var exists bool
	err := q.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?)
		OR EXISTS (SELECT 1 FROM webhook_deliveries WHERE endpoint_id = ? AND event_id = ?)`, d.ID, d.EndpointID, d.EventID).Scan(&exists)
	switch {
	case err != nil:
		return internal(err)
	case exists:
		return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "webhook delivery already exists"}
	}
	return q.deliveryParentNotFound(ctx, d)
}

// deliveryParentNotFound is the ENOTFOUND of a delivery whose insert found
// no endpoint or no event in its business: the endpoint's if it is the one
// missing, else the event's.
func (q queries) deliveryParentNotFound(ctx context.Context, d *assetmint.WebhookDelivery) error {
	var ok bool
	err := q.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ? AND business_id = ?)`,
		d.EndpointID, d.BusinessID).Scan(&ok)
	switch {
	case err != nil:
		return internal(err)
	case !ok:
		return notFound("webhook endpoint")
	}
	return notFound("event")
}

// WebhookDelivery reads one of the business's deliveries. ENOTFOUND if
// absent or another business's.
func (q queries) WebhookDelivery(ctx context.Context, businessID, id string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.r.QueryRowContext(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE id = ? AND business_id = ?`, id, businessID))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// WebhookDeliveryOfEvent reads the delivery of an event to one of the
// business's endpoints (the pair is unique).
func (q queries) WebhookDeliveryOfEvent(ctx context.Context, businessID, endpointID, eventID string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.r.QueryRowContext(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE endpoint_id = ? AND event_id = ? AND business_id = ?`, endpointID, eventID, businessID))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// WebhookDeliveries lists an endpoint's deliveries, newest first; none for
// another business's endpoint.
func (q queries) WebhookDeliveries(ctx context.Context, businessID, endpointID string, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookDelivery], error) {
	return list[*assetmint.WebhookDelivery]{table: "webhook_deliveries", cols: webhookDeliveryCols,
		scope: cond{"business_id = ? AND endpoint_id = ?", []any{businessID, endpointID}},
		scan:  scanWebhookDelivery, thing: "webhook delivery"}.page(ctx, q.r, p)
}

// UpdateWebhookDelivery writes d's status, attempts, last status code and
// error, next attempt, delivery and update times, scoped by d.BusinessID;
// its endpoint, event and creation time never change. ENOTFOUND if absent
// or another business's.
func (q queries) UpdateWebhookDelivery(ctx context.Context, d *assetmint.WebhookDelivery) error {
	res, err := q.w.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status_code = ?,
		last_error = ?, next_attempt_at = ?, delivered_at = ?, updated_at = ?
		WHERE id = ? AND business_id = ?`,
		string(d.Status), d.Attempts, d.LastStatusCode, d.LastError, timeArg(d.NextAttemptAt), timeArg(d.DeliveredAt),
		timeArg(d.UpdatedAt), d.ID, d.BusinessID)
	return oneRow(res, err, "webhook delivery")
}

// WebhookDeliveryByID reads a delivery whatever its business (operator
// use). ENOTFOUND if absent.
func (q queries) WebhookDeliveryByID(ctx context.Context, id string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.r.QueryRowContext(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE id = ?`, id))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// AllWebhookDeliveries lists every business's deliveries, newest first,
// only those in f.Status when it is set, and only those attempted when
// f.Attempted is.
func (q queries) AllWebhookDeliveries(ctx context.Context, f assetmint.DeliveryFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookDelivery], error) {
	var conds []string
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "status = ?"), append(args, string(f.Status))
	}
	if f.Attempted {
		conds = append(conds, "attempts > 0")
	}
	return list[*assetmint.WebhookDelivery]{table: "webhook_deliveries", cols: webhookDeliveryCols,
		filter: cond{strings.Join(conds, " AND "), args}, scan: scanWebhookDelivery, thing: "webhook delivery"}.page(ctx, q.r, p)
}

// FailingWebhookEndpoints lists every business's endpoints that are
// disabled, or enabled with failing_since set, newest first.
func (q queries) FailingWebhookEndpoints(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookEndpoint], error) {
	return list[*assetmint.WebhookEndpoint]{table: "webhook_endpoints", cols: webhookEndpointCols,
		filter: cond{"(status = ? OR status = ? AND failing_since IS NOT NULL)", []any{string(assetmint.EndpointDisabled), string(assetmint.EndpointEnabled)}},
		scan:   scanWebhookEndpoint, thing: "webhook endpoint"}.page(ctx, q.r, p)
}

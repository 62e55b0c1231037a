package postgres

import (
	"context"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// The reads across businesses that the operator's console needs, and its
// sessions (the root's AssetBookStore, LoanBookStore.LoanTallies,
// WebhookDeliveryBookStore, WebhookEndpointBookStore, JobBookStore and
// OperatorSessionStore). None is ever used on a business's behalf.

// AllAssets lists every business's assets, newest first, only those in
// f.Status when it is set.
func (q queries) AllAssets(ctx context.Context, f assetmint.AssetFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Asset], error) {
	var filter cond
	if f.Status != "" {
		filter = eq("status", string(f.Status))
	}
	return list[*assetmint.Asset]{table: "assets", cols: assetCols, filter: filter, scan: scanAsset, thing: "asset"}.page(ctx, q.q, p)
}

// CountAssets counts every business's assets by status.
func (q queries) CountAssets(ctx context.Context) (map[assetmint.AssetStatus]int, error) {
	type row struct {
		status assetmint.AssetStatus
		n      int
	}
	rows, err := queryAll(ctx, q.q, `SELECT status, count(*) FROM assets GROUP BY status`, nil,
		func(s rowScanner) (row, error) {
			var r row
			return r, s.Scan(&r.status, &r.n)
		}, "asset")
	if err != nil {
		return nil, err
	}
	out := map[assetmint.AssetStatus]int{}
	for _, r := range rows {
		out[r.status] = r.n
	}
	return out, nil
}

// LoanTallies counts every business's loans by status, days past due and
// currency, with the exact (numeric) sum of their outstanding principal.
func (q queries) LoanTallies(ctx context.Context) ([]assetmint.LoanTally, error) {
	return queryAll(ctx, q.q, `SELECT status, days_past_due, currency, count(*), sum(outstanding_principal)
		FROM loans GROUP BY status, days_past_due, currency ORDER BY status, days_past_due, currency`, nil,
		func(s rowScanner) (assetmint.LoanTally, error) {
			var t assetmint.LoanTally
			return t, s.Scan(&t.Status, &t.DaysPastDue, &t.Currency, &t.Count, &t.OutstandingPrincipal)
		}, "loan")
}

// WebhookDeliveryByID reads a delivery whatever its business. ENOTFOUND if
// absent.
func (q queries) WebhookDeliveryByID(ctx context.Context, id string) (*assetmint.WebhookDelivery, error) {
	d, err := scanWebhookDelivery(q.q.QueryRow(ctx, `SELECT `+webhookDeliveryCols+` FROM webhook_deliveries
		WHERE id = $1`+q.forUpdate(), id))
	if err != nil {
		return nil, storeError(err, "webhook delivery")
	}
	return d, nil
}

// AllWebhookDeliveries lists every business's deliveries, newest first,
// only those in f.Status when it is set, and only those attempted when
// f.Attempted is.
func (q queries) AllWebhookDeliveries(ctx context.Context, f assetmint.DeliveryFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookDelivery], error) {
	filter := func(ps *params) string {
		var conds []cond
		if f.Status != "" {
			conds = append(conds, eq("status", string(f.Status)))
		}
		if f.Attempted {
			conds = append(conds, func(*params) string { return "attempts > 0" })
		}
		return where(ps, conds...)
	}
	if f.Status == "" && !f.Attempted {
		filter = nil
	}
	return list[*assetmint.WebhookDelivery]{table: "webhook_deliveries", cols: webhookDeliveryCols,
		filter: filter, scan: scanWebhookDelivery, thing: "webhook delivery"}.page(ctx, q.q, p)
}

// FailingWebhookEndpoints lists every business's endpoints that are
// disabled, or enabled with failing_since set, newest first.
func (q queries) FailingWebhookEndpoints(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.WebhookEndpoint], error) {
	return list[*assetmint.WebhookEndpoint]{table: "webhook_endpoints", cols: webhookEndpointCols,
		filter: func(ps *params) string {
			return "(status = " + ps.add(string(assetmint.EndpointDisabled)) + " OR status = " +
				ps.add(string(assetmint.EndpointEnabled)) + " AND failing_since IS NOT NULL)"
		},
		scan: scanWebhookEndpoint, thing: "webhook endpoint"}.page(ctx, q.q, p)
}

// DeadJobs returns the dead jobs that finished last, at most limit, newest
// first, and how many dead jobs there are.
func (db *DB) DeadJobs(ctx context.Context, limit int) ([]*jobs.Job, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE status = 'dead'`).Scan(&total); err != nil {
		return nil, 0, storeError(err, "job")
	}
	recent, err := queryAll(ctx, db.pool, `SELECT `+jobCols+` FROM jobs WHERE status = 'dead'
		ORDER BY finished_at DESC, id DESC LIMIT $1`, []any{limit},
		func(s rowScanner) (*jobs.Job, error) { return scanJob(s) }, "job")
	if err != nil {
		return nil, 0, err
	}
	return recent, total, nil
}

// CreateOperatorSession inserts s. ECONFLICT if the id exists.
func (db *DB) CreateOperatorSession(ctx context.Context, s *assetmint.OperatorSession) error {
	tag, err := db.pool.Exec(ctx, `INSERT INTO operator_sessions (id, created_at, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, s.ID, timeArg(s.CreatedAt), timeArg(s.ExpiresAt))
	if err != nil {
		return storeError(err, "operator session")
	}
	if tag.RowsAffected() == 0 {
		return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "operator session already exists"}
	}
	return nil
}

// OperatorSession reads a session, expired or not. ENOTFOUND if absent.
func (db *DB) OperatorSession(ctx context.Context, id string) (*assetmint.OperatorSession, error) {
	var s assetmint.OperatorSession
	err := db.pool.QueryRow(ctx, `SELECT id, created_at, expires_at FROM operator_sessions WHERE id = $1`, id).
		Scan(&s.ID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	if err != nil {
		return nil, storeError(err, "operator session")
	}
	return &s, nil
}

// DeleteOperatorSession deletes a session; an absent one is not an error.
func (db *DB) DeleteOperatorSession(ctx context.Context, id string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM operator_sessions WHERE id = $1`, id)
	return storeError(err, "operator session")
}

// PruneOperatorSessions deletes the sessions that expired before
// expiredBefore.
func (db *DB) PruneOperatorSessions(ctx context.Context, expiredBefore time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM operator_sessions WHERE expires_at < $1`, timeArg(expiredBefore))
	if err != nil {
		return 0, storeError(err, "operator session")
	}
	return int(tag.RowsAffected()), nil
}

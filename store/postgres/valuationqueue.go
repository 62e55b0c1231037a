package postgres

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

var (
	_ assetmint.ValuationQueue  = (*DB)(nil)
	_ assetmint.ValuationQueuer = (*tx)(nil)
)

const queuedCols = `id, business_id, asset_id, valuation_id, revision, as_of, attempt, leased_by, leased_until`

func scanQueued(row rowScanner) (*assetmint.QueuedValuation, error) {
	var v assetmint.QueuedValuation
	err := row.Scan(&v.ID, &v.BusinessID, &v.AssetID, &v.ValuationID, &v.Revision, timeCol{&v.AsOf}, &v.Attempt,
		&v.LeasedBy, timeCol{&v.LeasedUntil})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// QueueValuation adds v to the valuation queue and sets v.ID; in a
// transaction, its commit wakes the workers (every instance's, through
// the NOTIFY of a due job).
func (q queries) QueueValuation(ctx context.Context, v *assetmint.QueuedValuation) error {
	if v.BusinessID == "" || v.AssetID == "" || v.ValuationID == "" || v.AsOf.IsZero() {
		return assetmint.FieldError("valuation", "a queued valuation needs its business, asset, valuation id and date")
	}
	err := q.q.QueryRow(ctx, `INSERT INTO valuation_queue (business_id, asset_id, valuation_id, revision, as_of)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, v.BusinessID, v.AssetID, v.ValuationID, v.Revision, v.AsOf.UnixNano()).Scan(&v.ID)
	if err != nil {
		return internal(err)
	}
	v.Attempt, v.LeasedBy, v.LeasedUntil = 0, "", time.Time{}
	if q.enqueuedDue != nil {
		q.enqueuedDue()
	}
	return nil
}

// claimValuationsSQL leases the $4 first valuations in id order that are
// unleased, or leased until a time ($3) that has passed. Rows another
// claim holds locked are skipped (SKIP LOCKED); a row another claim leased
// and committed after this statement's snapshot is re-checked on its new
// version when locked, and dropped: its lease is live.
const claimValuationsSQL = `UPDATE valuation_queue SET attempt = attempt + 1, leased_by = $1, leased_until = $2
	WHERE id IN (SELECT id FROM valuation_queue
		WHERE leased_until IS NULL OR leased_until <= $3
		ORDER BY id LIMIT $4
		FOR UPDATE SKIP LOCKED)
	RETURNING ` + queuedCols

// ClaimValuations implements assetmint.ValuationQueue. EINVALID for an
// empty Worker or a Lease that is not positive.
func (db *DB) ClaimValuations(ctx context.Context, c jobs.Claim) ([]*assetmint.QueuedValuation, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	if c.Limit <= 0 {
		return []*assetmint.QueuedValuation{}, nil
	}
	claimed, err := queryAll(ctx, db.pool, claimValuationsSQL,
		[]any{c.Worker, c.Now.Add(c.Lease).UnixNano(), c.Now.UnixNano(), c.Limit}, scanQueued, "queued valuation")
	if err != nil {
		return nil, err
	}
	// RETURNING comes in no promised order.
	slices.SortFunc(claimed, func(a, b *assetmint.QueuedValuation) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, nil
}

// ExtendValuationLease implements assetmint.ValuationQueue.
func (db *DB) ExtendValuationLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return db.fencedUpdate(ctx, "valuation_queue", `leased_by = $2 AND attempt = $3`, `leased_until = $4`, id, worker, attempt, until.UnixNano())
}

// TakeValuation implements assetmint.ValuationQueuer: it deletes the
// valuation, fenced by its lease. Two takes of one row at once: the
// second waits for the first's row lock, then finds the row gone
// (jobs.ErrNotFound).
func (q queries) TakeValuation(ctx context.Context, id int64, valuationID, worker string, attempt int) (*assetmint.QueuedValuation, error) {
	v, err := scanQueued(q.q.QueryRow(ctx, `DELETE FROM valuation_queue
		WHERE id = $1 AND valuation_id = $2 AND leased_by = $3 AND attempt = $4 RETURNING `+queuedCols, id, valuationID, worker, attempt))
	switch {
	case err == nil:
		return v, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, internal(err)
	}
	var exists bool
	if err := q.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM valuation_queue WHERE id = $1 AND valuation_id = $2)`, id, valuationID).Scan(&exists); err != nil {
		return nil, internal(err)
	}
	if exists {
		return nil, jobs.ErrLeaseLost
	}
	return nil, jobs.ErrNotFound
}

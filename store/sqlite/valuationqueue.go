package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

var (
	_ assetmint.ValuationQueue  = (*DB)(nil)
	_ assetmint.ValuationQueuer = (*tx)(nil)
)

const queuedCols = `id, business_id, asset_id, valuation_id, revision, as_of, attempt, leased_by, leased_until`

func scanQueued(s rowScanner) (*assetmint.QueuedValuation, error) {
	var v assetmint.QueuedValuation
	err := s.Scan(&v.ID, &v.BusinessID, &v.AssetID, &v.ValuationID, &v.Revision, timeCol{&v.AsOf}, &v.Attempt, &v.LeasedBy, timeCol{&v.LeasedUntil})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// QueueValuation adds v to the valuation queue inside the transaction and
// sets v.ID; it wakes this DB's workers once the transaction has
// committed, as a due job does.
func (t *tx) QueueValuation(ctx context.Context, v *assetmint.QueuedValuation) error {
	if v.BusinessID == "" || v.AssetID == "" || v.ValuationID == "" || v.AsOf.IsZero() {
		return assetmint.FieldError("valuation", "a queued valuation needs its business, asset, valuation id and date")
	}
	res, err := t.w.ExecContext(ctx, `INSERT INTO valuation_queue (business_id, asset_id, valuation_id, revision, as_of)
		VALUES (?, ?, ?, ?, ?)`, v.BusinessID, v.AssetID, v.ValuationID, v.Revision, timeArg(v.AsOf))
	if err != nil {
		return internal(err)
	}
	if v.ID, err = res.LastInsertId(); err != nil {
		return internal(err)
	}
	v.Attempt, v.LeasedBy, v.LeasedUntil = 0, "", time.Time{}
	if t.due != nil {
		t.due()
	}
	return nil
}

// claimValuationsSQL leases the :limit first valuations in queue (rowid)
// order that are unleased, or leased until a time that has passed: it
// reads the table from its start, passing the few leased rows there (at
// most the workers' concurrency).
const claimValuationsSQL = `UPDATE valuation_queue
	SET attempt = attempt + 1, leased_by = :worker, leased_until = :until
	WHERE id IN (SELECT id FROM valuation_queue
		WHERE leased_until IS NULL OR leased_until <= :now
		ORDER BY id LIMIT :limit)
	RETURNING ` + queuedCols

// ClaimValuations implements assetmint.ValuationQueue: one statement on the
// one writer, so that concurrent claims (in this process or another on the
// same file) never lease a valuation twice. EINVALID for an empty Worker or
// a Lease that is not positive.
func (db *DB) ClaimValuations(ctx context.Context, c jobs.Claim) ([]*assetmint.QueuedValuation, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	claimed := []*assetmint.QueuedValuation{}
	if c.Limit <= 0 {
		return claimed, nil
	}
	args := []any{sql.Named("worker", c.Worker), sql.Named("until", timeArg(c.Now.Add(c.Lease))),
		sql.Named("now", timeArg(c.Now)), sql.Named("limit", c.Limit)}
	err := db.inWriteTx(ctx, func(q dbtx) error {
		var err error
		claimed, err = queryAll(ctx, q, claimValuationsSQL, args, scanQueued, "queued valuation")
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	// RETURNING comes in no promised order.
	slices.SortFunc(claimed, func(a, b *assetmint.QueuedValuation) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, nil
}

// ExtendValuationLease implements assetmint.ValuationQueue.
func (db *DB) ExtendValuationLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return db.fencedIn(ctx, "valuation_queue", `UPDATE valuation_queue SET leased_until = ? WHERE id = ? AND leased_by = ? AND attempt = ?`,
		id, worker, attempt, timeArg(until))
}

// TakeValuation implements assetmint.ValuationQueuer: it deletes the
// valuation inside the transaction, fenced by its lease.
func (t *tx) TakeValuation(ctx context.Context, id int64, valuationID, worker string, attempt int) (*assetmint.QueuedValuation, error) {
	q, ok := t.w.(dbtx)
	if !ok {
		return nil, internal(errors.New("sqlite: TakeValuation needs a write transaction"))
	}
	v, err := scanQueued(q.QueryRowContext(ctx, `DELETE FROM valuation_queue
		WHERE id = ? AND valuation_id = ? AND leased_by = ? AND attempt = ? RETURNING `+queuedCols, id, valuationID, worker, attempt))
	switch {
	case err == nil:
		return v, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, internal(err)
	}
	lost, err := lostOrGone(ctx, q, `SELECT 1 FROM valuation_queue WHERE id = ? AND valuation_id = ?`, id, valuationID)
	if err != nil {
		return nil, internal(err)
	}
	return nil, lost
}

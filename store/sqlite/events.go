package sqlite

import (
	"context"

	"github.com/assetmint/assetmint"
)

const eventCols = `id, business_id, type, data, created_at`

func scanEvent(s rowScanner) (*assetmint.Event, error) {
	var e assetmint.Event
	if err := s.Scan(&e.ID, &e.BusinessID, &e.Type, rawJSONCol{&e.Data}, timeCol{&e.CreatedAt}); err != nil {
		return nil, err
	}
	return &e, nil
}

// AppendEvent inserts e into the outbox. ECONFLICT if the id exists;
// ENOTFOUND if its business does not.
func (q queries) AppendEvent(ctx context.Context, e *assetmint.Event) error {
	var data any
	if e.Data != nil {
		data = string(e.Data)
	}
	_, err := q.w.ExecContext(ctx, `INSERT INTO events (`+eventCols+`) VALUES (?, ?, ?, ?, ?)`,
		e.ID, e.BusinessID, e.Type, data, timeArg(e.CreatedAt))
	return storeError(err, "event")
}

// Event reads one of the business's events. ENOTFOUND if absent or another
// business's.
func (q queries) Event(ctx context.Context, businessID, id string) (*assetmint.Event, error) {
	e, err := scanEvent(q.r.QueryRowContext(ctx, `SELECT `+eventCols+` FROM events WHERE id = ? AND business_id = ?`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "event")
	}
	return e, nil
}

// Events lists the business's events, newest first.
func (q queries) Events(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Event], error) {
	return list[*assetmint.Event]{table: "events", cols: eventCols, scope: cond{"business_id = ?", []any{businessID}},
		scan: scanEvent, thing: "event"}.page(ctx, q.r, p)
}

package postgres

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

// AppendEvent inserts e into the outbox, its data byte for byte (NULL for
// none). ECONFLICT if the id exists; ENOTFOUND if its business does not.
func (q queries) AppendEvent(ctx context.Context, e *assetmint.Event) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO events (`+eventCols+`)
		SELECT `+placeholders(5)+`
		WHERE EXISTS (SELECT 1 FROM businesses WHERE id = $2)
		ON CONFLICT DO NOTHING`,
		e.ID, e.BusinessID, e.Type, rawJSONArg(e.Data), timeArg(e.CreatedAt))
	return q.inserted(ctx, "event", tag, err, exists("event"),
		needs("business", `SELECT EXISTS (SELECT 1 FROM businesses WHERE id = $1)`, e.BusinessID))
}

// Event reads one of the business's events. ENOTFOUND if absent or another
// business's.
func (q queries) Event(ctx context.Context, businessID, id string) (*assetmint.Event, error) {
	e, err := scanEvent(q.q.QueryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = $1 AND business_id = $2`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "event")
	}
	return e, nil
}

// Events lists the business's events, newest first.
func (q queries) Events(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Event], error) {
	return list[*assetmint.Event]{table: "events", cols: eventCols, scope: []cond{eq("business_id", businessID)},
		scan: scanEvent, thing: "event"}.page(ctx, q.q, p)
}

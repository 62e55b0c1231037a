package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint/auth"
)

// Limiter is an [auth.Limiter] whose state is a row per key in the
// rate_limits table, so every instance of the engine on the database
// enforces one budget per key. Its arithmetic is auth.MemoryLimiter's,
// exactly: a token bucket per minute in integer units (a request costs one
// minute in nanoseconds; the bucket refills PerMinute units per
// nanosecond) and a count per UTC calendar day, and it returns the same
// Decisions for the same requests: the SQL applies [auth.BucketState.Step]
// to the row, and the Decision is auth's.
//
// Allow is one statement, INSERT ... ON CONFLICT DO UPDATE ... RETURNING,
// which refills the bucket, rolls the day over, admits or denies, and
// writes the new state, all in SQL on bigint columns while holding the
// key's row lock: concurrent Allows for one key, from any instance, apply
// one after the other, and a key's first requests cannot both insert.
// Peek is one SELECT and changes nothing. Time comes only from the now
// the caller passes, as for MemoryLimiter; instances whose clocks differ
// share a key's state, and a now earlier than the latest one seen counts
// as the latest.
//
// Rows of keys that have gone quiet are deleted by [Limiter.Prune], which
// the host calls periodically (hourly is plenty); Allow never prunes.
type Limiter struct {
	db *DB
}

var _ auth.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter keeping its state in db (which must be
// migrated). It has no settings: the limits come with each request.
func NewLimiter(db *DB) *Limiter { return &Limiter{db: db} }

const minuteNanos = int64(time.Minute)

// allowSQL is Allow: auth.BucketState.Step on the key's row. A new key inserts the state a fresh bucket has after
// admitting one request ($3 is the UTC day of now). An existing key's row
// is updated, under its row lock, by a sub-select over the old row r:
// "a" is the effective now (an earlier now counts as r.seen); "b" refills
// the bucket (a full minute refills it whole, and rate*elapsed is computed
// only when elapsed is under a minute, so it cannot overflow: PerMinute is
// at most auth.MaxPerMinute) and rolls the day over when now is later
// (r.day is always the day of r.seen); "n" decides, and the new row adds
// the request's cost and count when admitted. $1 key, $2 now, $3 day of
// now, $4 PerMinute, $5 the bucket's capacity (PerMinute minutes' units),
// $6 PerDay (0: none).
const allowSQL = `INSERT INTO rate_limits AS r (key, seen, deficit, day, count, admitted)
	VALUES ($1, $2, 60000000000, $3, 1, true)
	ON CONFLICT (key) DO UPDATE SET (seen, deficit, day, count, admitted) = (
		SELECT a.now, n.deficit + CASE WHEN n.ok THEN 60000000000 ELSE 0 END, b.day,
			n.count + CASE WHEN n.ok THEN 1 ELSE 0 END, n.ok
		FROM (SELECT greatest(r.seen, $2::bigint) AS now) a,
		LATERAL (SELECT
			CASE WHEN a.now - r.seen >= 60000000000 THEN 0
				ELSE least($5::bigint, greatest(0, r.deficit - $4::bigint * (a.now - r.seen))) END AS deficit,
			CASE WHEN a.now > r.seen THEN $3::bigint ELSE r.day END AS day) b,
		LATERAL (SELECT b.deficit, CASE WHEN b.day = r.day THEN r.count ELSE 0 END AS count) c,
		LATERAL (SELECT c.deficit, c.count,
			c.deficit + 60000000000 <= $5::bigint AND ($6::bigint = 0 OR c.count < $6::bigint) AS ok) n)
	RETURNING seen, deficit, day, count, admitted`

// Allow implements auth.Limiter: one atomic statement (allowSQL). It
// returns auth.ErrInvalidLimits (wrapped) for limits that fail
// auth.Limits.Validate, and the database's errors, wrapped.
func (l *Limiter) Allow(ctx context.Context, key string, limits auth.Limits, now time.Time) (auth.Decision, error) {
	if err := limits.Validate(); err != nil {
		return auth.Decision{}, err
	}
	rate := int64(limits.PerMinute)
	var (
		s        auth.BucketState
		admitted bool
	)
	b := asyncCommit()
	b.Queue(allowSQL, key, now.UnixNano(), auth.UTCDay(now), rate, rate*minuteNanos, int64(limits.PerDay)).
		QueryRow(func(row pgx.Row) error { return row.Scan(&s.Seen, &s.Deficit, &s.Day, &s.Count, &admitted) })
	if err := l.db.pool.SendBatch(ctx, b).Close(); err != nil {
		return auth.Decision{}, fmt.Errorf("postgres: rate limiter: %w", err)
	}
	return s.Decision(limits, admitted), nil
}

// asyncCommit starts a batch whose statements commit without waiting for
// the WAL to reach the disk: synchronous_commit is off for its transaction
// only (set_config's is_local; one batch, sent with one Sync, is one
// transaction). Allow runs on every request and updates one row per
// client, so with the default every request of a client waited for an
// fsync while holding that row's lock, one after the other: the harness
// on PostgreSQL served 994 GETs a second. A crash of the database may now
// forget the last fraction of a second of admitted requests (at most
// three wal_writer_delay, 600 ms by default), never corrupt the table:
// a client then gets that much more allowance once, as when Prune
// forgets a key.
func asyncCommit() *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
	return b
}

// Peek implements auth.Limiter: it reads key's row (one SELECT, no lock,
// no write) and works out in Go what Allow would decide at now. Errors as
// for Allow.
func (l *Limiter) Peek(ctx context.Context, key string, limits auth.Limits, now time.Time) (auth.Decision, error) {
	if err := limits.Validate(); err != nil {
		return auth.Decision{}, err
	}
	s := auth.NewBucketState(now) // a key never seen
	err := l.db.pool.QueryRow(ctx, `SELECT seen, deficit, day, count FROM rate_limits WHERE key = $1`, key).
		Scan(&s.Seen, &s.Deficit, &s.Day, &s.Count)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return auth.Decision{}, fmt.Errorf("postgres: rate limiter: %w", err)
	}
	admitted := s.Step(limits, now)
	return s.Decision(limits, admitted), nil
}

// Prune deletes the rows of keys whose state is a fresh key's at now: the
// minute bucket has refilled (a minute has passed since the key's latest
// request) and its day is over. Forgetting them changes no Decision. (With
// clocks that differ between instances, a request stamped earlier than
// the pruning now may find its key forgotten, which can only give it more
// allowance, never less, as MemoryLimiter's eviction.) It returns how many
// rows it deleted.
func (l *Limiter) Prune(ctx context.Context, now time.Time) (int, error) {
	tag, err := l.db.pool.Exec(ctx, `DELETE FROM rate_limits WHERE seen <= $1 AND day < $2`,
		now.UnixNano()-minuteNanos, auth.UTCDay(now))
	if err != nil {
		return 0, fmt.Errorf("postgres: rate limiter: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

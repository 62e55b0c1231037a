package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

var (
	_ jobs.Queue           = (*DB)(nil)
	_ jobs.OutcomeRecorder = (*DB)(nil)
	_ jobs.Enqueuer        = queries{}
)

// The job queue, shared by every DB on the schema, in this process or
// others. What holds across instances, and what holds it:
//
//   - A job is leased to one worker at a time: ClaimJobs picks its jobs
//     with SELECT ... FOR UPDATE SKIP LOCKED and leases them in the same
//     statement, so two claims never lock the same row, and a claim that
//     finds a row changed since its snapshot re-checks it on the newest
//     version (READ COMMITTED's re-check of a locked row) and drops it
//     unless it is still claimable.
//   - Outcomes are fenced: CompleteJob, RetryJob, KillJob and ExtendLease
//     are one UPDATE each whose WHERE names the lease (running, leased_by,
//     attempt), so a worker whose lease was taken over changes nothing.
//   - Unique keys: a unique index; EnqueueJob inserts with ON CONFLICT DO
//     NOTHING and reports the conflict from the row count, so it never
//     aborts the caller's transaction.
//   - Lanes: see claimSQL.

// jobChannel is what a DB notifies after a due job is enqueued and what
// its listener LISTENs to, so workers wake at once (DB.Wake, wake.go). The
// payload is the schema: stores of other schemas in the database ignore it.
const jobChannel = "assetmint_jobs"

const jobCols = `id, kind, lane, unique_key, payload, status, attempt, max_attempts, run_at,
	leased_by, leased_until, last_error, created_at, updated_at, finished_at`

// scanJob reads the columns of jobCols.
func scanJob(row pgx.Row) (*jobs.Job, error) {
	var (
		j               jobs.Job
		key             *string
		payload, status string
	)
	err := row.Scan(&j.ID, &j.Kind, &j.Lane, &key, &payload, &status, &j.Attempt, &j.MaxAttempts, timeCol{&j.RunAt},
		&j.LeasedBy, timeCol{&j.LeasedUntil}, &j.LastError, timeCol{&j.CreatedAt}, timeCol{&j.UpdatedAt}, timeCol{&j.FinishedAt})
	if err != nil {
		return nil, err
	}
	if key != nil {
		j.UniqueKey = *key
	}
	j.Payload = json.RawMessage(payload)
	j.Status = jobs.Status(status)
	return &j, nil
}

// enqueueSQL inserts a job unless its unique key exists; the row count
// says which. It follows the CTE "lock" (enqueueNoLane, enqueueInLane).
// $1 kind, $2 lane, $3 unique key or NULL, $4 payload, $5 max attempts,
// $6 run_at, $7 now.
const enqueueSQL = insertJob + ` FROM lock ON CONFLICT (unique_key) DO NOTHING`

// insertJob is the insert of a new job from enqueue's parameters, which
// enqueueSQL and enqueueFanoutSQL complete.
const insertJob = `INSERT INTO jobs (kind, lane, unique_key, payload, status, max_attempts, run_at, created_at, updated_at)
	SELECT $1::text, $2::text, $3::text, $4::text, 'pending', $5::integer, $6::bigint, $7::bigint, $7::bigint`

// enqueueNoLane and enqueueInLane run enqueueSQL after its lock: none for a
// job of no lane; for a lane, the lane's transaction-scoped advisory lock,
// taken before the row (and so its id) is made and held until the
// transaction ends. The lock's keys are 1785684595 ("jobs" in ASCII) and
// hashtext(lane); a two-key lock never conflicts with Migrate's one-key
// lock, and two lanes whose hashes collide only wait for each other. The
// CTE is MATERIALIZED so that it runs once, before the INSERT makes its row.
const (
	enqueueNoLane = `WITH lock AS MATERIALIZED (SELECT 1) ` + enqueueSQL
	enqueueInLane = `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(1785684595, hashtext($2::text))) ` + enqueueSQL
)

// EnqueueJob adds a job: on the DB in a statement of its own, on a
// transaction inside it (so a state change and its job commit together). It
// returns false when a job with j.UniqueKey exists in any status (ON
// CONFLICT DO NOTHING: the conflict does not abort the transaction), and
// EINVALID for an empty Kind, a negative MaxAttempts or a Payload that is
// not JSON in UTF-8.
//
// A due job wakes the workers of every DB on the schema (DB.Wake): on the
// DB at once, on a transaction once it has committed (nothing if it rolls
// back).
//
// A job with a Lane first takes the lane's advisory lock, held until the
// transaction ends, so a second transaction enqueueing into the same lane
// waits for the first to commit or roll back. Within a lane, id order is
// therefore commit order, which the lane rule relies on (see claimSQL).
// Two transactions that enqueue into the same two lanes in opposite orders
// can deadlock; PostgreSQL aborts one (40P01) and DB.InTx runs it again.
func (q queries) EnqueueJob(ctx context.Context, j jobs.New, now time.Time) (bool, error) {
	query := enqueueNoLane
	if j.Lane != "" {
		query = enqueueInLane
	}
	return q.enqueue(ctx, j, now, query)
}

// enqueueFanoutSQL is enqueueSQL made only when one of the business's ($8)
// enabled endpoints has no events filter or has the event type ($9) in it
// (a JSON array in text).
const enqueueFanoutSQL = insertJob + `
	WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.business_id = $8 AND w.status = 'enabled'
		AND (jsonb_array_length(w.events::jsonb) = 0 OR (w.events::jsonb) ? $9::text))
	ON CONFLICT (unique_key) DO NOTHING`

// EnqueueFanout implements assetmint.FanoutEnqueuer: EnqueueJob, made only
// when one of the business's enabled endpoints wants eventType, decided by
// the insert itself (one round trip, not a read of the endpoints and then
// the insert). A fan-out job has no lane, so no lane lock. The job is
// built before the statement, which decides.
func (q queries) EnqueueFanout(ctx context.Context, businessID, eventType string, job func() jobs.New, now time.Time) (bool, error) {
	j := job()
	if j.Lane != "" {
		return false, assetmint.FieldError("lane", "a fan-out job has no lane")
	}
	return q.enqueue(ctx, j, now, enqueueFanoutSQL, businessID, eventType)
}

// enqueue checks j and runs query, which takes enqueueSQL's parameters,
// then more.
func (q queries) enqueue(ctx context.Context, j jobs.New, now time.Time, query string, more ...any) (bool, error) {
	switch {
	case j.Kind == "":
		return false, assetmint.FieldError("kind", "job kind is required")
	case j.MaxAttempts < 0:
		return false, assetmint.FieldError("max_attempts", "job max_attempts must not be negative")
	case len(j.Payload) > 0 && (!json.Valid(j.Payload) || !utf8.Valid(j.Payload)):
		return false, assetmint.FieldError("payload", "job payload must be JSON")
	}
	payload := "{}"
	if len(j.Payload) > 0 {
		payload = string(j.Payload)
	}
	if j.MaxAttempts == 0 {
		j.MaxAttempts = jobs.DefaultMaxAttempts
	}
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	var key any
	if j.UniqueKey != "" {
		key = j.UniqueKey
	}
	args := append([]any{j.Kind, j.Lane, key, payload, j.MaxAttempts, j.RunAt.UnixNano(), now.UnixNano()}, more...)
	tag, err := q.q.Exec(ctx, query, args...)
	if err != nil {
		return false, storeError(err, "job")
	}
	inserted := tag.RowsAffected() == 1
	if inserted && !j.RunAt.After(now) && q.enqueuedDue != nil {
		q.enqueuedDue()
	}
	return inserted, nil
}

// claimSQL leases up to $3 runnable jobs of the kinds $1: due pending jobs
// and running jobs whose lease has expired, oldest run_at first; of a
// lane, only its head (no unfinished job of the lane is older), and only
// while no job of the lane holds a live lease (one NOT EXISTS on the
// jobs_unfinished_lane index says both). $1 kinds, $2 now, $3 limit, $4
// worker, $5 leased until.
//
// Why a lane's second job can never be claimed while its first is pending,
// running or being claimed, with any number of claims racing at READ
// COMMITTED:
//
//  1. Within a lane, id order is commit order. EnqueueJob takes the lane's
//     advisory lock before the row's id is drawn and holds it until its
//     transaction ends, and ids come from one ascending sequence; so when
//     the second job (the larger id) commits, the first has committed
//     already (or rolled back and never exists). Any snapshot that shows
//     the second job shows the first.
//  2. A claim only considers rows of its snapshot (a row committed after
//     the snapshot is not scanned at all), and judges a row's lane by the
//     NOT EXISTS on that same snapshot. For the second job to pass, the
//     snapshot must show the first job finished (completed or dead). A
//     snapshot shows only committed states, and a finished job stays
//     finished; so the first job really is finished.
//  3. "Being claimed" changes nothing: an uncommitted claim of the first
//     job leaves it pending in every other snapshot, so it is still the
//     head there; the other claims skip its locked row (SKIP LOCKED) and
//     do not take the second job, which is not the head.
//  4. A row that changed after the claim's snapshot (another claim leased
//     it and committed) is re-checked on its newest version when it is
//     locked, and dropped unless it is still claimable: a job whose live
//     lease was just taken is never leased twice.
//  5. The live-lease test closes the remaining case, a non-head job that
//     holds a lease (the lane was changed by hand); and a head whose
//     holder died is claimable again once its lease expires, which is the
//     queue's crash recovery, not two jobs at once.
//
// The FOR UPDATE applies to j only; the subquery reads without locking.
// The redundant tests (of status, and that the lane is not empty) let the
// planner use the partial indexes. (One NOT EXISTS rather than a min(id)
// and a NOT EXISTS: it means the same and takes about half the planning,
// which every claim pays.)
//
// The jobs are read kind by kind (a LATERAL subquery per element of $1,
// each on the (kind, run_at, id) index, stopping at $3), then the $3
// oldest of those are leased: a claim reads only its own kinds' jobs,
// however many of other kinds are pending (in one run_at order over every
// unfinished job, a worker of other kinds passed a whole backlog of
// valuations, fetching each row for its kind, on every claim). A row a
// kind's subquery locked but the final LIMIT left out stays locked, not
// leased, until the claim commits; other claims skip it meanwhile.
const claimSQL = `WITH picked AS (
		SELECT p.id FROM unnest($1::text[]) AS k(kind)
		CROSS JOIN LATERAL (
			SELECT j.id, j.run_at FROM jobs j
			WHERE j.kind = k.kind AND j.status IN ('pending', 'running')
				AND ((j.status = 'pending' AND j.run_at <= $2) OR (j.status = 'running' AND j.leased_until <= $2))
				AND (j.lane = '' OR NOT EXISTS (SELECT 1 FROM jobs o
					WHERE o.lane = j.lane AND o.lane <> '' AND o.status IN ('pending', 'running')
						AND (o.id < j.id OR (o.status = 'running' AND o.leased_until > $2))))
			ORDER BY j.run_at, j.id
			LIMIT $3
			FOR UPDATE OF j SKIP LOCKED
		) p
		ORDER BY p.run_at, p.id
		LIMIT $3
	)
	UPDATE jobs SET status = 'running', attempt = jobs.attempt + 1, leased_by = $4, leased_until = $5, updated_at = $2
	FROM picked WHERE jobs.id = picked.id
	RETURNING ` + qualifiedJobCols

// qualifiedJobCols is jobCols for a RETURNING that joins another table.
const qualifiedJobCols = `jobs.id, jobs.kind, jobs.lane, jobs.unique_key, jobs.payload, jobs.status, jobs.attempt,
	jobs.max_attempts, jobs.run_at, jobs.leased_by, jobs.leased_until, jobs.last_error, jobs.created_at,
	jobs.updated_at, jobs.finished_at`

// ClaimJobs leases up to c.Limit runnable jobs of c.Kinds to c.Worker until
// c.Now+c.Lease, oldest run_at first, incrementing their Attempt: one
// statement (claimSQL), so concurrent claims, in this process or others,
// never lease a job twice, and a lane runs one job at a time. EINVALID for
// an empty Worker or a Lease that is not positive.
func (db *DB) ClaimJobs(ctx context.Context, c jobs.Claim) ([]*jobs.Job, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	if len(c.Kinds) == 0 || c.Limit <= 0 {
		return []*jobs.Job{}, nil
	}
	rows, err := db.pool.Query(ctx, claimSQL, c.Kinds, c.Now.UnixNano(), c.Limit, c.Worker, c.Now.Add(c.Lease).UnixNano())
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	claimed := []*jobs.Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, internal(err)
		}
		claimed = append(claimed, j)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	// RETURNING comes in no promised order.
	slices.SortFunc(claimed, func(a, b *jobs.Job) int {
		return cmp.Or(a.RunAt.Compare(b.RunAt), cmp.Compare(a.ID, b.ID))
	})
	return claimed, nil
}

// fenced runs set (an UPDATE's SET list, whose arguments start at $4) on
// job id if worker holds its lease for attempt (fencedUpdate).
func (db *DB) fenced(ctx context.Context, set string, id int64, worker string, attempt int, args ...any) error {
	return db.fencedUpdate(ctx, "jobs", `status = 'running' AND leased_by = $2 AND attempt = $3`, set, id, worker, attempt, args...)
}

// fencedUpdate runs set (an UPDATE's SET list, whose arguments start at
// $4) on row id of table if held (the lease test, of worker $2 and attempt
// $3) is true of it, in one statement that also says whether the row
// exists: jobs.ErrNotFound if not, jobs.ErrLeaseLost if it exists but the
// lease is not held.
func (db *DB) fencedUpdate(ctx context.Context, table, held, set string, id int64, worker string, attempt int, args ...any) error {
	query := `WITH done AS (
			UPDATE ` + table + ` SET ` + set + `
			WHERE id = $1 AND ` + held + `
			RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM done), EXISTS (SELECT 1 FROM ` + table + ` WHERE id = $1)`
	var done, exists bool
	err := db.pool.QueryRow(ctx, query, append([]any{id, worker, attempt}, args...)...).Scan(&done, &exists)
	switch {
	case err != nil:
		return internal(err)
	case done:
		return nil
	case !exists:
		return jobs.ErrNotFound
	}
	return jobs.ErrLeaseLost
}

// CompleteJob marks a leased job completed. jobs.ErrLeaseLost if worker no
// longer holds the lease of that attempt; jobs.ErrNotFound if no such job.
func (db *DB) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	return db.fenced(ctx, `status = 'completed', finished_at = $4, updated_at = $4, leased_by = '', leased_until = NULL`,
		id, worker, attempt, now.UnixNano())
}

// RetryJob returns a leased job to pending, to run at runAt, recording
// lastErr. Errors as for CompleteJob.
func (db *DB) RetryJob(ctx context.Context, id int64, worker string, attempt int, runAt time.Time, lastErr string, now time.Time) error {
	return db.fenced(ctx, `status = 'pending', run_at = $4, last_error = $5, updated_at = $6, leased_by = '', leased_until = NULL`,
		id, worker, attempt, runAt.UnixNano(), lastErr, now.UnixNano())
}

// KillJob dead-letters a leased job, recording lastErr. Errors as for
// CompleteJob.
func (db *DB) KillJob(ctx context.Context, id int64, worker string, attempt int, lastErr string, now time.Time) error {
	return db.fenced(ctx, `status = 'dead', finished_at = $4, last_error = $5, updated_at = $4, leased_by = '', leased_until = NULL`,
		id, worker, attempt, now.UnixNano(), lastErr)
}

// recordSQL records a batch of outcomes in one statement: each row of the
// arrays is one outcome, applied as CompleteJob, RetryJob or KillJob would
// (fenced by running, leased_by and attempt), and the result says, in the
// arrays' order, whether it was applied and whether the job exists. $1 ids,
// $2 workers, $3 attempts, $4 statuses, $5 retry times, $6 last errors, $7
// nows.
const recordSQL = `WITH o AS (
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::bigint[], $6::text[], $7::bigint[])
			WITH ORDINALITY AS o(id, worker, attempt, status, run_at, last_error, now, n)
	), done AS (
		UPDATE jobs SET status = o.status,
			run_at = CASE WHEN o.status = 'pending' THEN o.run_at ELSE jobs.run_at END,
			finished_at = CASE WHEN o.status = 'pending' THEN jobs.finished_at ELSE o.now END,
			last_error = CASE WHEN o.status = 'completed' THEN jobs.last_error ELSE o.last_error END,
			updated_at = o.now, leased_by = '', leased_until = NULL
		FROM o
		WHERE jobs.id = o.id AND jobs.status = 'running' AND jobs.leased_by = o.worker AND jobs.attempt = o.attempt
		RETURNING jobs.id
	)
	SELECT EXISTS (SELECT 1 FROM done WHERE done.id = o.id), EXISTS (SELECT 1 FROM jobs WHERE jobs.id = o.id)
	FROM o ORDER BY o.n`

// RecordOutcomes records each outcome as CompleteJob, RetryJob or KillJob
// would, in one statement (one round trip; on the pool one commit, in a
// transaction with the rest of it, so that a job handler's effect and its
// job's completion commit together: jobs.Completion, jobs.ErrRecorded),
// and returns each one's error: nil, jobs.ErrLeaseLost or
// jobs.ErrNotFound, which leaves a transaction as it is. EINVALID,
// recording none, for a Status that is not completed, pending or dead.
func (q queries) RecordOutcomes(ctx context.Context, outcomes []jobs.Outcome) ([]error, error) {
	n := len(outcomes)
	ids, attempts := make([]int64, n), make([]int32, n)
	workers, statuses, lastErrs := make([]string, n), make([]string, n), make([]string, n)
	runAts, nows := make([]int64, n), make([]int64, n)
	for i, o := range outcomes {
		switch o.Status {
		case jobs.StatusCompleted, jobs.StatusPending, jobs.StatusDead:
		default:
			return nil, assetmint.FieldError("status", "an outcome's status must be completed, pending or dead")
		}
		ids[i], workers[i], attempts[i], statuses[i] = o.ID, o.Worker, int32(o.Attempt), string(o.Status)
		runAts[i], lastErrs[i], nows[i] = o.RunAt.UnixNano(), o.LastError, o.Now.UnixNano()
	}
	rows, err := q.q.Query(ctx, recordSQL, ids, workers, attempts, statuses, runAts, lastErrs, nows)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	errs := make([]error, 0, n)
	for rows.Next() {
		var done, exists bool
		if err := rows.Scan(&done, &exists); err != nil {
			return nil, internal(err)
		}
		switch {
		case done:
			errs = append(errs, nil)
		case !exists:
			errs = append(errs, jobs.ErrNotFound)
		default:
			errs = append(errs, jobs.ErrLeaseLost)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	if len(errs) != n {
		return nil, internal(fmt.Errorf("postgres: %d outcomes came back of %d", len(errs), n))
	}
	return errs, nil
}

// ExtendLease moves a held lease's end to until. Errors as for CompleteJob.
func (db *DB) ExtendLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return db.fenced(ctx, `leased_until = $4`, id, worker, attempt, until.UnixNano())
}

// Job reads one job. jobs.ErrNotFound if absent.
func (db *DB) Job(ctx context.Context, id int64) (*jobs.Job, error) {
	return db.readJob(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, id)
}

// JobByKey reads the job with a unique key. jobs.ErrNotFound if absent.
func (db *DB) JobByKey(ctx context.Context, uniqueKey string) (*jobs.Job, error) {
	if uniqueKey == "" {
		return nil, jobs.ErrNotFound
	}
	return db.readJob(ctx, `SELECT `+jobCols+` FROM jobs WHERE unique_key = $1`, uniqueKey)
}

func (db *DB) readJob(ctx context.Context, query string, arg any) (*jobs.Job, error) {
	j, err := scanJob(db.pool.QueryRow(ctx, query, arg))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, jobs.ErrNotFound
	case err != nil:
		return nil, internal(err)
	}
	return j, nil
}

// PruneJobs deletes completed jobs finished before finishedBefore and
// returns how many. Dead, pending and running jobs stay.
func (db *DB) PruneJobs(ctx context.Context, finishedBefore time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM jobs WHERE status = 'completed' AND finished_at < $1`, finishedBefore.UnixNano())
	if err != nil {
		return 0, internal(err)
	}
	return int(tag.RowsAffected()), nil
}

// checkClaim is the EINVALID of a claim, of jobs or of valuations, with an
// empty Worker or a Lease that is not positive.
func checkClaim(c jobs.Claim) error {
	switch {
	case c.Worker == "":
		return assetmint.FieldError("worker", "claim worker is required")
	case c.Lease <= 0:
		return assetmint.FieldError("lease", "claim lease must be positive")
	}
	return nil
}

package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

const jobCols = `id, kind, lane, unique_key, payload, status, attempt, max_attempts, run_at,
	leased_by, leased_until, last_error, created_at, updated_at, finished_at`

func scanJob(s rowScanner) (*jobs.Job, error) {
	var j jobs.Job
	err := s.Scan(&j.ID, &j.Kind, &j.Lane, textCol{&j.UniqueKey}, rawJSONCol{&j.Payload}, &j.Status, &j.Attempt,
		&j.MaxAttempts, timeCol{&j.RunAt}, &j.LeasedBy, timeCol{&j.LeasedUntil}, &j.LastError,
		timeCol{&j.CreatedAt}, timeCol{&j.UpdatedAt}, timeCol{&j.FinishedAt})
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// EnqueueJob adds a job: on the DB in its own statement, on a Tx inside the
// transaction. A due job wakes this DB's workers (Wake): on the DB at once,
// on a Tx once the transaction has committed. It returns false when a job with j.UniqueKey exists in any
// status, and EINVALID for an empty Kind, a negative MaxAttempts or a
// Payload that is not JSON.
func (q queries) EnqueueJob(ctx context.Context, j jobs.New, now time.Time) (bool, error) {
	return q.enqueue(ctx, j, now, insertJob+` VALUES (`+jobValues+`) ON CONFLICT (unique_key) DO NOTHING`)
}

// insertJob and jobValues are the insert of a new job that enqueue runs,
// its values in enqueue's order.
const (
	insertJob = `INSERT INTO jobs
		(kind, lane, unique_key, payload, status, attempt, max_attempts, run_at, created_at, updated_at)`
	jobValues = `?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?`
)

// EnqueueFanout implements assetmint.FanoutEnqueuer: EnqueueJob, made only
// when one of the business's enabled endpoints has no events filter or
// has eventType in it (a JSON array). The decision is one EXISTS, on the
// endpoints' (business_id, id) index, before the job is built: most
// businesses have no endpoint, and for them the job's payload (the event's
// data, marshalled and checked) and an insert of eleven arguments were
// ~28 us of every POST /v1/assets on the one writer (a CPU profile of
// BenchmarkStackPost), where the EXISTS alone is a few. (Reading the endpoints' rows instead was slower than either.) In a
// transaction the check and the insert are both in it, on the one writer,
// so no endpoint comes or goes between them.
func (q queries) EnqueueFanout(ctx context.Context, businessID, eventType string, job func() jobs.New, now time.Time) (bool, error) {
	var wanted bool
	err := q.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.business_id = ? AND w.status = ?
			AND (json_array_length(w.events) = 0 OR EXISTS (SELECT 1 FROM json_each(w.events) e WHERE e.value = ?)))`,
		businessID, string(assetmint.EndpointEnabled), eventType).Scan(&wanted)
	if err != nil {
		return false, internal(err)
	}
	if !wanted {
		return false, nil
	}
	return q.EnqueueJob(ctx, job(), now)
}

// enqueue checks j and runs query, an insert of its columns (kind, lane,
// unique_key, payload, max_attempts, run_at, created_at, updated_at) in
// that order, then more.
func (q queries) enqueue(ctx context.Context, j jobs.New, now time.Time, query string, more ...any) (bool, error) {
	switch {
	case j.Kind == "":
		return false, assetmint.FieldError("kind", "job kind is required")
	case j.MaxAttempts < 0:
		return false, assetmint.FieldError("max_attempts", "job max_attempts must not be negative")
	case len(j.Payload) > 0 && !json.Valid(j.Payload):
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
	args := append([]any{j.Kind, j.Lane, nullIfEmpty(j.UniqueKey), payload, j.MaxAttempts, timeArg(j.RunAt), timeArg(now), timeArg(now)}, more...)
	res, err := q.w.ExecContext(ctx, query, args...)
	if err != nil {
		return false, internal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, internal(err)
	}
	if n == 1 && !j.RunAt.After(now) && q.due != nil {
		q.due()
	}
	return n == 1, nil
}

// laneHead is the lane rule of a claim at :now: a job of no lane, or its
// lane's oldest unfinished job while no job of the lane holds a live lease.
// (The redundant status IN (...) and non-empty lane tests in the subqueries
// let the planner use the partial jobs_unfinished_lane index.)
const laneHead = `(j.lane = '' OR (
		j.id = (SELECT min(h.id) FROM jobs h WHERE h.lane = j.lane AND h.lane <> '' AND h.status IN ('pending', 'running'))
		AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.lane = j.lane AND r.lane <> '' AND r.status IN ('pending', 'running')
			AND r.status = 'running' AND r.leased_until > :now)))`

// pendingSQL selects, for each of n kinds (:k0 ... :kN-1), the :limit
// oldest (by run_at) due pending jobs of that kind that are their lane's
// head (laneHead), read in run_at order on jobs_pending_kind_run_at and
// stopping at the :limit-th; ClaimJobs keeps the :limit oldest of them all.
// So a claim reads only its own kinds' jobs, however many of other kinds
// are pending: a worker of several kinds reading all pending jobs in run_at
// order (an index of (run_at, id, kind)) passed every pending job of the
// others' kinds, and with a backlog of valuations waiting for their own
// worker, each claim of the other two workers read the whole backlog
// inside the writer's transaction (22 % of the CPU of BenchmarkStackPost).
// The kinds' rows come back unordered: an ORDER BY over the UNION ALL made
// SQLite (3.54) merge sorted copies of the arms, which read each arm's
// whole backlog (a claim of 16 of 8,000 pending fan-out jobs took 270-370
// µs instead of 63-86 µs), and ClaimJobs sorts the candidates anyway.
func pendingSQL(n int) string {
	one := func(i int) string {
		return `SELECT j.id, j.run_at FROM jobs j INDEXED BY jobs_pending_kind_run_at
			WHERE j.status = 'pending' AND j.kind = :k` + strconv.Itoa(i) + ` AND j.run_at <= :now AND ` + laneHead + `
			ORDER BY j.run_at, j.id LIMIT :limit`
	}
	if n == 1 {
		return one(0)
	}
	parts := make([]string, n)
	for i := range n {
		parts[i] = `SELECT * FROM (` + one(i) + `)`
	}
	return strings.Join(parts, ` UNION ALL `)
}

// params lists n named parameters with prefix p: ":p0, :p1, ...".
func params(p string, n int) string {
	names := make([]string, n)
	for i := range n {
		names[i] = ":" + p + strconv.Itoa(i)
	}
	return strings.Join(names, ", ")
}

// inShapes calls run on consecutive runs of items of 64, 32, ... 1 (the
// largest that fits what is left), so that the statements built for a run
// (one row of VALUES each) take one of seven shapes, which the writer's
// statement cache keeps.
func inShapes[T any](items []T, run func([]T) error) error {
	for rest := items; len(rest) > 0; {
		n := 64
		for n > len(rest) {
			n /= 2
		}
		if err := run(rest[:n]); err != nil {
			return err
		}
		rest = rest[n:]
	}
	return nil
}

// expiredSQL selects the :limit oldest running jobs of n kinds whose lease
// expired at :now that are their lane's head, on the
// jobs_running_leased_until index. (A statement of its own: with the
// pending jobs in one WHERE, SQLite reads every job of both to sort them.)
func expiredSQL(n int) string {
	return `SELECT j.id, j.run_at FROM jobs j INDEXED BY jobs_running_leased_until
		WHERE j.status = 'running' AND j.leased_until <= :now AND j.kind IN (` + params("k", n) + `) AND ` + laneHead + `
		ORDER BY j.run_at, j.id LIMIT :limit`
}

// leaseSQL leases n jobs by id (:i0 ... :iN-1) and returns them.
func leaseSQL(n int) string {
	return `UPDATE jobs
		SET status = 'running', attempt = attempt + 1, leased_by = :worker, leased_until = :until, updated_at = :now
		WHERE id IN (` + params("i", n) + `)
		RETURNING ` + jobCols
}

// candidate is a claimable job: its id and run_at.
type candidate struct {
	id    int64
	runAt string // timeArg text: its order is time order
}

// ClaimJobs leases up to c.Limit runnable jobs of c.Kinds to c.Worker until
// c.Now+c.Lease, oldest run_at first, incrementing their Attempt: the due
// pending jobs and the running jobs whose lease expired, of a lane only its
// head (laneHead). It picks them and leases them in one write
// transaction, so concurrent claims (in this process or another) never
// lease a job twice. EINVALID for an empty Worker or a Lease that is not
// positive.
func (db *DB) ClaimJobs(ctx context.Context, c jobs.Claim) ([]*jobs.Job, error) {
	if err := checkClaim(c); err != nil {
		return nil, err
	}
	if len(c.Kinds) == 0 || c.Limit <= 0 {
		return []*jobs.Job{}, nil
	}
	args := []any{sql.Named("now", timeArg(c.Now)), sql.Named("limit", c.Limit)}
	for i, k := range c.Kinds {
		args = append(args, sql.Named("k"+strconv.Itoa(i), k))
	}
	pending, expired := pendingSQL(len(c.Kinds)), expiredSQL(len(c.Kinds))
	var cands []candidate
	pick := func(ctx context.Context, q dbtx, query string) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cd candidate
			if err := rows.Scan(&cd.id, &cd.runAt); err != nil {
				return err
			}
			cands = append(cands, cd)
		}
		return rows.Err()
	}
	claimed := []*jobs.Job{}
	err := db.inWriteTx(ctx, func(q dbtx) error {
		claimed, cands = claimed[:0], cands[:0]
		if err := pick(ctx, q, pending); err != nil {
			return err
		}
		if err := pick(ctx, q, expired); err != nil {
			return err
		}
		slices.SortFunc(cands, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(a.runAt, b.runAt), cmp.Compare(a.id, b.id))
		})
		cands = cands[:min(len(cands), c.Limit)]
		if len(cands) == 0 {
			return nil
		}
		lease := []any{sql.Named("worker", c.Worker), sql.Named("until", timeArg(c.Now.Add(c.Lease))), sql.Named("now", timeArg(c.Now))}
		for i, cd := range cands {
			lease = append(lease, sql.Named("i"+strconv.Itoa(i), cd.id))
		}
		rows, err := q.QueryContext(ctx, leaseSQL(len(cands)), lease...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return err
			}
			claimed = append(claimed, j)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, internal(err)
	}
	// RETURNING comes in no promised order.
	slices.SortFunc(claimed, func(a, b *jobs.Job) int {
		return cmp.Or(a.RunAt.Compare(b.RunAt), cmp.Compare(a.ID, b.ID))
	})
	return claimed, nil
}

// fenced runs an UPDATE of a job leased by worker for attempt (its WHERE
// ends in "id = ? AND status = 'running' AND leased_by = ? AND attempt = ?").
// If it matched nothing: jobs.ErrNotFound if the job does not exist, else
// jobs.ErrLeaseLost.
func (db *DB) fenced(ctx context.Context, query string, id int64, worker string, attempt int, args ...any) error {
	return db.fencedIn(ctx, "jobs", query, id, worker, attempt, args...)
}

// fencedIn runs query, an UPDATE of row id of table fenced by a lease
// (its WHERE ending in "id = ? ... leased_by = ? AND attempt = ?"), in a
// write transaction of its own, as fence.
func (db *DB) fencedIn(ctx context.Context, table, query string, id int64, worker string, attempt int, args ...any) error {
	args = append(args, id, worker, attempt)
	var fenceErr error
	err := db.inWriteTx(ctx, func(q dbtx) error {
		var err error
		fenceErr, err = fence(ctx, q, table, query, id, args)
		return err
	})
	if err != nil {
		return internal(err)
	}
	return fenceErr
}

// fence runs a fenced UPDATE of row id of table in q and says, when it
// matched nothing, why: jobs.ErrNotFound or jobs.ErrLeaseLost. err is a
// statement's failure.
func fence(ctx context.Context, q dbtx, table, query string, id int64, args []any) (fenceErr, err error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return nil, err
	}
	return lostOrGone(ctx, q, `SELECT 1 FROM `+table+` WHERE id = ?`, id)
}

// lostOrGone says why a statement fenced by a lease matched nothing, by
// running exists, a query of the leased row without the fence:
// jobs.ErrNotFound when it finds no row, else jobs.ErrLeaseLost. err is
// the query's failure.
func lostOrGone(ctx context.Context, q dbtx, exists string, args ...any) (why, err error) {
	var one int
	err = q.QueryRowContext(ctx, exists, args...).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return jobs.ErrNotFound, nil
	case err != nil:
		return nil, err
	}
	return jobs.ErrLeaseLost, nil
}

const leaseHeld = ` WHERE id = ? AND status = 'running' AND leased_by = ? AND attempt = ?`

// CompleteJob marks a leased job completed. jobs.ErrLeaseLost if worker no
// longer holds the lease of that attempt; jobs.ErrNotFound if no such job.
func (db *DB) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	return db.recordOne(ctx, jobs.Outcome{ID: id, Worker: worker, Attempt: attempt, Status: jobs.StatusCompleted, Now: now})
}

// RetryJob returns a leased job to pending, to run at runAt, recording
// lastErr. Errors as for CompleteJob.
func (db *DB) RetryJob(ctx context.Context, id int64, worker string, attempt int, runAt time.Time, lastErr string, now time.Time) error {
	return db.recordOne(ctx, jobs.Outcome{ID: id, Worker: worker, Attempt: attempt, Status: jobs.StatusPending,
		RunAt: runAt, LastError: lastErr, Now: now})
}

// KillJob dead-letters a leased job, recording lastErr. Errors as for
// CompleteJob.
func (db *DB) KillJob(ctx context.Context, id int64, worker string, attempt int, lastErr string, now time.Time) error {
	return db.recordOne(ctx, jobs.Outcome{ID: id, Worker: worker, Attempt: attempt, Status: jobs.StatusDead,
		LastError: lastErr, Now: now})
}

func (db *DB) recordOne(ctx context.Context, o jobs.Outcome) error {
	errs, err := db.RecordOutcomes(ctx, []jobs.Outcome{o})
	if err != nil {
		return err
	}
	return errs[0]
}

// RecordOutcomes records each outcome as CompleteJob, RetryJob or KillJob
// would, all in one write transaction (which shares its commit with
// others), and returns each one's error: nil, jobs.ErrLeaseLost or
// jobs.ErrNotFound. EINVALID, recording none, for a Status that is not
// completed, pending or dead.
func (db *DB) RecordOutcomes(ctx context.Context, outcomes []jobs.Outcome) ([]error, error) {
	if err := validOutcomes(outcomes); err != nil {
		return nil, err
	}
	var errs []error
	err := db.inWriteTx(ctx, func(q dbtx) (err error) {
		errs, err = recordOutcomes(ctx, q, outcomes)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return errs, nil
}

// RecordOutcomes records each outcome as the DB's RecordOutcomes does,
// inside the transaction: a job handler's effect and its job's completion
// (jobs.Completion, jobs.ErrRecorded) commit together. A fenced outcome
// that does not apply (jobs.ErrLeaseLost, jobs.ErrNotFound) leaves the
// transaction as it is; the caller decides.
func (t *tx) RecordOutcomes(ctx context.Context, outcomes []jobs.Outcome) ([]error, error) {
	if err := validOutcomes(outcomes); err != nil {
		return nil, err
	}
	errs, err := recordOutcomes(ctx, t.r, outcomes)
	if err != nil {
		return nil, internal(err)
	}
	return errs, nil
}

// validOutcomes is EINVALID when an outcome's Status is none of the three.
func validOutcomes(outcomes []jobs.Outcome) error {
	for _, o := range outcomes {
		if _, _, err := outcomeUpdate(o); err != nil {
			return err
		}
	}
	return nil
}

// recordOutcomes runs the fenced update of each outcome in q, a write
// transaction, and returns each one's fence error; err is a statement's
// failure. The completions go by statements of 64, 32, ... 1 rows
// (completeSQL, inShapes), the retries and dead letters one by one.
func recordOutcomes(ctx context.Context, q dbtx, outcomes []jobs.Outcome) ([]error, error) {
	errs := make([]error, len(outcomes))
	var completions []int
	for i, o := range outcomes {
		if o.Status == jobs.StatusCompleted {
			completions = append(completions, i)
			continue
		}
		query, args, _ := outcomeUpdate(o)
		var err error
		if errs[i], err = fence(ctx, q, "jobs", query, o.ID, args); err != nil {
			return nil, err
		}
	}
	err := inShapes(completions, func(which []int) error { return complete(ctx, q, outcomes, which, errs) })
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// completeSQL completes the jobs of a VALUES list of (id, worker, attempt,
// now) whose lease the worker holds for that attempt, as CompleteJob does,
// and returns their ids.
const completeSQL = `UPDATE jobs SET status = 'completed', finished_at = v.column4, updated_at = v.column4,
		leased_by = '', leased_until = NULL
	FROM (VALUES %s) v
	WHERE jobs.id = v.column1 AND jobs.status = 'running' AND jobs.leased_by = v.column2 AND jobs.attempt = v.column3
	RETURNING jobs.id`

// complete records the completions outcomes[which] in one statement, and
// the fence error of each that did not apply in errs.
func complete(ctx context.Context, q dbtx, outcomes []jobs.Outcome, which []int, errs []error) error {
	values := make([]string, len(which))
	args := make([]any, 0, 4*len(which))
	for k, i := range which {
		o := outcomes[i]
		values[k] = "(?, ?, ?, ?)"
		args = append(args, o.ID, o.Worker, o.Attempt, timeArg(o.Now))
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(completeSQL, strings.Join(values, ", ")), args...)
	if err != nil {
		return err
	}
	done := make(map[int64]bool, len(which))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		done[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, i := range which {
		if done[outcomes[i].ID] {
			continue
		}
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM jobs WHERE id = ?`, outcomes[i].ID).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			errs[i] = jobs.ErrNotFound
		case err != nil:
			return err
		default:
			errs[i] = jobs.ErrLeaseLost
		}
	}
	return nil
}

// outcomeUpdate is the fenced UPDATE that records o, and its arguments.
func outcomeUpdate(o jobs.Outcome) (string, []any, error) {
	fenceArgs := []any{o.ID, o.Worker, o.Attempt}
	now := timeArg(o.Now)
	switch o.Status {
	case jobs.StatusCompleted:
		return `UPDATE jobs SET status = 'completed', finished_at = ?, updated_at = ?,
		leased_by = '', leased_until = NULL` + leaseHeld, append([]any{now, now}, fenceArgs...), nil
	case jobs.StatusPending:
		return `UPDATE jobs SET status = 'pending', run_at = ?, last_error = ?, updated_at = ?,
		leased_by = '', leased_until = NULL` + leaseHeld, append([]any{timeArg(o.RunAt), o.LastError, now}, fenceArgs...), nil
	case jobs.StatusDead:
		return `UPDATE jobs SET status = 'dead', finished_at = ?, last_error = ?, updated_at = ?,
		leased_by = '', leased_until = NULL` + leaseHeld, append([]any{now, o.LastError, now}, fenceArgs...), nil
	}
	return "", nil, assetmint.FieldError("status", "an outcome's status must be completed, pending or dead")
}

// ExtendLease moves a held lease's end to until. Errors as for CompleteJob.
func (db *DB) ExtendLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return db.fenced(ctx, `UPDATE jobs SET leased_until = ?`+leaseHeld, id, worker, attempt, timeArg(until))
}

// Job reads one job. jobs.ErrNotFound if absent.
func (db *DB) Job(ctx context.Context, id int64) (*jobs.Job, error) {
	return db.readJob(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id)
}

// JobByKey reads the job with a unique key. jobs.ErrNotFound if absent.
func (db *DB) JobByKey(ctx context.Context, uniqueKey string) (*jobs.Job, error) {
	if uniqueKey == "" {
		return nil, jobs.ErrNotFound
	}
	return db.readJob(ctx, `SELECT `+jobCols+` FROM jobs WHERE unique_key = ?`, uniqueKey)
}

func (db *DB) readJob(ctx context.Context, query string, arg any) (*jobs.Job, error) {
	j, err := scanJob(db.readers.QueryRowContext(ctx, query, arg))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, jobs.ErrNotFound
	case err != nil:
		return nil, internal(err)
	}
	return j, nil
}

// PruneJobs deletes completed jobs finished before finishedBefore.
func (db *DB) PruneJobs(ctx context.Context, finishedBefore time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM jobs WHERE status = 'completed' AND finished_at < ?`, timeArg(finishedBefore))
	return affected(res, err, "job")
}

// DeadJobs returns the dead jobs finished last, at most limit, newest
// first (by finish time, then id), and how many dead jobs there are.
func (db *DB) DeadJobs(ctx context.Context, limit int) ([]*jobs.Job, int, error) {
	var total int
	if err := db.readers.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE status = 'dead'`).Scan(&total); err != nil {
		return nil, 0, internal(err)
	}
	recent, err := queryAll(ctx, db.readers, `SELECT `+jobCols+` FROM jobs WHERE status = 'dead'
		ORDER BY finished_at DESC, id DESC LIMIT ?`, []any{limit}, scanJob, "job")
	if err != nil {
		return nil, 0, err
	}
	return recent, total, nil
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

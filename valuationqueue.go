package assetmint

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/assetmint/assetmint/jobs"
)

// QueuedValuation is one valuation of an asset waiting in a store's
// ValuationQueue, or leased from it by a valuation worker.
type QueuedValuation struct {
	ID          int64 // the queue's, for leases
	BusinessID  string
	AssetID     string
	ValuationID string    // fixed when queued: a valuation made twice finds its report
	Revision    int64     // the asset's revision when queued
	AsOf        time.Time // the valuation's date
	Attempt     int       // claims so far, the running one included
	LeasedBy    string
	LeasedUntil time.Time
}

// ValuationQueue is an optional capability of a Store: the valuations to
// make, each a lean row of its own (no kind, lane, unique key or payload,
// deleted when done), instead of a job per valuation in the job queue. On
// SQLite the job's insert was a quarter of the one writer's time per POST
// /v1/assets, and its claim and completion two more writes per valuation
// (docs/performance.md). Its transactions implement ValuationQueuer. A
// store without it values assets through JobValuation jobs.
//
// A valuation worker runs the queue through the jobs package's Worker
// (valuationQueue adapts it), so leases, their renewal, crash recovery
// (an expired lease is claimed again), concurrency and wake-ups are the
// job queue's. A valuation that fails leaves this queue for the job queue
// (handOver), whose retries, dead letters and operator tools handle it.
type ValuationQueue interface {
	// ClaimValuations leases up to c.Limit valuations to c.Worker until
	// c.Now+c.Lease, in the order they were queued: those unleased, and
	// those whose lease expired. (A valuation is due when it is queued: one
	// to run later, a retry, is the job queue's.) Claiming increments
	// Attempt. c.Kinds is not read. Concurrent claims never lease one
	// valuation twice.
	ClaimValuations(ctx context.Context, c jobs.Claim) ([]*QueuedValuation, error)
	// ExtendValuationLease moves the end of a held lease to until.
	// jobs.ErrLeaseLost if worker no longer holds the lease of that
	// attempt; jobs.ErrNotFound if the valuation is no longer queued.
	ExtendValuationLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error
}

// ValuationQueuer is the transaction side of a ValuationQueue.
type ValuationQueuer interface {
	// QueueValuation adds v, due at once, at the end of the queue (its ID,
	// Attempt and lease are the queue's), and sets v.ID.
	QueueValuation(ctx context.Context, v *QueuedValuation) error
	// TakeValuation removes the valuation id, of valuationID, from the
	// queue if worker holds its lease for attempt, and returns it:
	// done, or handed over. jobs.ErrLeaseLost if another holds it now;
	// jobs.ErrNotFound if it is gone.
	TakeValuation(ctx context.Context, id int64, valuationID, worker string, attempt int) (*QueuedValuation, error)
}

// job is the payload of q's job: a JobValuation job when q is handed over,
// a jobQueuedValuation one when it is claimed from the queue.
func (q *QueuedValuation) job() valuationJob {
	return valuationJob{BusinessID: q.BusinessID, AssetID: q.AssetID, ValuationID: q.ValuationID, AsOf: q.AsOf, Revision: q.Revision}
}

// jobQueuedValuation is the kind of the jobs valuationQueue makes of its
// valuations; it names no job in the job queue.
const jobQueuedValuation = "asset.value.queued"

// maxQueuedAttempts is how many claims a valuation gets in the queue: a
// valuation claimed again after that (its earlier claims never finished:
// a process died while valuing it) is handed over to the job queue, whose
// attempt limit dead-letters a valuation that kills its process.
const maxQueuedAttempts = 3

// valuationQueue presents a ValuationQueue as a jobs.Queue of
// jobQueuedValuation jobs, for the valuation worker. A job's ID is the
// queued valuation's, its payload a valuationJob. Its MaxAttempts is never
// reached, so that the Worker dead-letters (KillJob) only a permanent
// failure: any other failure is retried (RetryJob), and either hands the
// valuation over to the job queue.
type valuationQueue struct {
	e *Engine
	q ValuationQueue

	mu sync.Mutex
	// claimed maps each valuation leased through this adapter and not yet
	// reported on to its valuation id, which fences TakeValuation against
	// a queue id used again (SQLite reuses the largest rowid once deleted).
	claimed map[int64]string
}

var _ jobs.Queue = (*valuationQueue)(nil)

// EnqueueJob is refused: valuations are queued by QueueValuation, in the
// transaction of the change that needs them.
func (v *valuationQueue) EnqueueJob(context.Context, jobs.New, time.Time) (bool, error) {
	return false, errors.New("assetmint: valuations are queued with their asset, not enqueued")
}

// ClaimJobs claims queued valuations as jobs. One claimed more than
// maxQueuedAttempts times is handed over to the job queue instead.
func (v *valuationQueue) ClaimJobs(ctx context.Context, c jobs.Claim) ([]*jobs.Job, error) {
	qs, err := v.q.ClaimValuations(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]*jobs.Job, 0, len(qs))
	for _, q := range qs {
		if q.Attempt > maxQueuedAttempts {
			if err := v.handOver(ctx, q, jobs.New{RunAt: c.Now}, "its earlier claims never finished"); err != nil {
				v.e.log.ErrorContext(ctx, "valuation: hand over to the job queue", "asset_id", q.AssetID, "valuation_id", q.ValuationID, "err", err)
			}
			continue
		}
		payload, err := json.Marshal(q.job())
		if err != nil {
			return nil, err
		}
		v.mu.Lock()
		if v.claimed == nil {
			v.claimed = map[int64]string{}
		}
		v.claimed[q.ID] = q.ValuationID
		v.mu.Unlock()
		out = append(out, &jobs.Job{ID: q.ID, Kind: jobQueuedValuation, Payload: payload, Status: jobs.StatusRunning,
			Attempt: q.Attempt, MaxAttempts: math.MaxInt32, RunAt: q.AsOf, LeasedBy: q.LeasedBy, LeasedUntil: q.LeasedUntil,
			CreatedAt: q.AsOf, UpdatedAt: c.Now})
	}
	return out, nil
}

// reported forgets a claimed valuation and returns its valuation id.
func (v *valuationQueue) reported(id int64) (string, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	vid, ok := v.claimed[id]
	delete(v.claimed, id)
	return vid, ok
}

// take removes a leased valuation from the queue in tx.
func take(ctx context.Context, tx Tx, id int64, valuationID, worker string, attempt int) (*QueuedValuation, error) {
	q, ok := unsealed(tx).(ValuationQueuer)
	if !ok {
		return nil, errors.New("assetmint: the store's transactions do not queue valuations")
	}
	return q.TakeValuation(ctx, id, valuationID, worker, attempt)
}

// CompleteJob takes a valuation whose job ended without recording its
// report (an earlier run recorded it, or the asset changed since) off the
// queue.
func (v *valuationQueue) CompleteJob(ctx context.Context, id int64, worker string, attempt int, _ time.Time) error {
	vid, ok := v.reported(id)
	if !ok {
		return jobs.ErrLeaseLost // not claimed here
	}
	return v.e.store.InTx(ctx, func(tx Tx) error {
		_, err := take(ctx, tx, id, vid, worker, attempt)
		return err
	})
}

// RetryJob hands a valuation that failed over to the job queue, to run at
// runAt with the job queue's retries.
func (v *valuationQueue) RetryJob(ctx context.Context, id int64, worker string, attempt int, runAt time.Time, lastErr string, _ time.Time) error {
	return v.handOverLeased(ctx, id, worker, attempt, jobs.New{RunAt: runAt}, lastErr)
}

// KillJob hands a valuation that failed for good over to the job queue,
// to run once more and be dead-lettered there if it fails again, where the
// operator tools see it and can retry it.
func (v *valuationQueue) KillJob(ctx context.Context, id int64, worker string, attempt int, lastErr string, now time.Time) error {
	return v.handOverLeased(ctx, id, worker, attempt, jobs.New{RunAt: now, MaxAttempts: 1}, lastErr)
}

// handOverLeased hands the valuation id, leased by worker for attempt,
// over to the job queue; why (its error) is logged.
func (v *valuationQueue) handOverLeased(ctx context.Context, id int64, worker string, attempt int, as jobs.New, why string) error {
	vid, ok := v.reported(id)
	if !ok {
		return jobs.ErrLeaseLost
	}
	return v.handOver(ctx, &QueuedValuation{ID: id, ValuationID: vid, LeasedBy: worker, Attempt: attempt}, as, why)
}

// handOver moves the leased valuation q (its ID, ValuationID, LeasedBy and
// Attempt) to the job queue, in one transaction, and logs why; a failure
// leaves it leased, to be claimed again when its lease expires.
func (v *valuationQueue) handOver(ctx context.Context, q *QueuedValuation, as jobs.New, why string) error {
	var taken *QueuedValuation
	err := v.e.store.InTx(ctx, func(tx Tx) error {
		var err error
		if taken, err = take(ctx, tx, q.ID, q.ValuationID, q.LeasedBy, q.Attempt); err != nil {
			return err
		}
		return v.e.enqueueValuationJob(ctx, tx, taken, as)
	})
	if err != nil {
		return err
	}
	v.e.log.WarnContext(ctx, "valuation: handed over to the job queue", "asset_id", taken.AssetID, "valuation_id", taken.ValuationID,
		"attempt", taken.Attempt, "why", why)
	return nil
}

// ExtendLease extends a valuation's lease while it runs.
func (v *valuationQueue) ExtendLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return v.q.ExtendValuationLease(ctx, id, worker, attempt, until)
}

// Job, JobByKey and PruneJobs are not what a Worker calls.
func (v *valuationQueue) Job(context.Context, int64) (*jobs.Job, error) { return nil, jobs.ErrNotFound }
func (v *valuationQueue) JobByKey(context.Context, string) (*jobs.Job, error) {
	return nil, jobs.ErrNotFound
}
func (v *valuationQueue) PruneJobs(context.Context, time.Time) (int, error) { return 0, nil }

// Wake is the store's, when it has one: a queued valuation wakes the
// workers as a due job does.
func (v *valuationQueue) Wake(ctx context.Context) <-chan struct{} {
	if w, ok := v.e.raw.(jobs.Waker); ok {
		return w.Wake(ctx)
	}
	return nil // (a nil channel never receives: the worker polls)
}

// unsealed is the store's own transaction under the Engine's sealing
// wrapper, for the optional capabilities the wrapper does not pass on.
func unsealed(tx Tx) Tx {
	if st, ok := tx.(sealingTx); ok {
		return st.Tx
	}
	return tx
}

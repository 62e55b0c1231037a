package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrLeaseLost is returned when a worker reports on a job whose lease it no
// longer holds (it expired and another worker claimed the job). The report is
// dropped: the other worker's outcome wins.
var ErrLeaseLost = errors.New("jobs: lease lost")

// ErrNotFound is returned for a job id the queue does not hold.
var ErrNotFound = errors.New("jobs: job not found")

// Enqueuer adds jobs. Stores implement it on their transactions too, so that
// a state change and the work it causes commit together.
type Enqueuer interface {
	// EnqueueJob adds a job. It returns false (and no error) when the job's
	// UniqueKey already exists. It fails on an invalid New (empty Kind).
	EnqueueJob(ctx context.Context, job New, now time.Time) (enqueued bool, err error)
}

// Queue is the store side of the job queue that a Worker consumes.
type Queue interface {
	Enqueuer
	// ClaimJobs leases up to c.Limit runnable jobs of c.Kinds: pending jobs
	// whose RunAt has come, and running jobs whose lease has expired. Of each
	// lane only its oldest unfinished job is runnable, and only while no other
	// job of that lane holds a live lease. Claiming increments Attempt.
	ClaimJobs(ctx context.Context, c Claim) ([]*Job, error)
	// CompleteJob marks a leased job completed. ErrLeaseLost if the worker no
	// longer holds the lease of that attempt.
	CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error
	// RetryJob returns a leased job to pending, to run at runAt. ErrLeaseLost
	// as for CompleteJob.
	RetryJob(ctx context.Context, id int64, worker string, attempt int, runAt time.Time, lastErr string, now time.Time) error
	// KillJob dead-letters a leased job. ErrLeaseLost as for CompleteJob.
	KillJob(ctx context.Context, id int64, worker string, attempt int, lastErr string, now time.Time) error
	// ExtendLease moves a held lease's end to until. ErrLeaseLost as above.
	ExtendLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error
	// Job reads one job. ErrNotFound if absent.
	Job(ctx context.Context, id int64) (*Job, error)
	// JobByKey reads the job with a unique key. ErrNotFound if absent.
	JobByKey(ctx context.Context, uniqueKey string) (*Job, error)
	// PruneJobs deletes completed jobs finished before finishedBefore and
	// returns how many. Dead jobs stay for an operator; pending and running
	// ones are never touched.
	PruneJobs(ctx context.Context, finishedBefore time.Time) (int, error)
}

// Waker is an optional capability of a Queue: it tells a Worker when jobs
// may have become runnable, so the Worker claims at once instead of at its
// next poll. The Worker finds it by type assertion. A Queue without it is
// polled every WorkerConfig.PollInterval, and polling stays the fallback
// for any wake-up a Waker misses (a dropped connection, a lost message), so
// a missed wake-up delays work by at most one poll interval and never loses
// it.
type Waker interface {
	// Wake returns a channel that receives a value soon after a job that
	// is due may have been enqueued, by this process or another, until ctx
	// ends. Wake-ups may be spurious and are coalesced: the channel holds
	// at most one, and a receiver that is busy misses none but the
	// duplicates. The channel is never closed.
	Wake(ctx context.Context) <-chan struct{}
}

// Outcome is how one leased attempt of a job ended, as a Worker records it:
// CompleteJob, RetryJob or KillJob, as data.
type Outcome struct {
	ID      int64
	Worker  string
	Attempt int
	// Status is StatusCompleted, StatusPending (a retry, at RunAt) or
	// StatusDead.
	Status    Status
	RunAt     time.Time
	LastError string // for StatusPending and StatusDead
	Now       time.Time
}

// OutcomeRecorder is an optional capability of a Queue: it records many
// outcomes at once (one transaction, one statement), which a Worker does
// instead of calling CompleteJob, RetryJob and KillJob once per job. The
// Worker finds it by type assertion; without it, it makes those calls.
type OutcomeRecorder interface {
	// RecordOutcomes records each outcome as CompleteJob, RetryJob or
	// KillJob would, fenced the same way, and returns one error per outcome
	// (nil, ErrLeaseLost or ErrNotFound). An error for the whole batch
	// (second result) means none was recorded. EINVALID for a Status that
	// is none of the three.
	RecordOutcomes(ctx context.Context, outcomes []Outcome) ([]error, error)
}

// Record records o through q's single-outcome methods.
func (o Outcome) Record(ctx context.Context, q Queue) error {
	switch o.Status {
	case StatusCompleted:
		return q.CompleteJob(ctx, o.ID, o.Worker, o.Attempt, o.Now)
	case StatusPending:
		return q.RetryJob(ctx, o.ID, o.Worker, o.Attempt, o.RunAt, o.LastError, o.Now)
	case StatusDead:
		return q.KillJob(ctx, o.ID, o.Worker, o.Attempt, o.LastError, o.Now)
	}
	return fmt.Errorf("jobs: an outcome cannot be %q", o.Status)
}

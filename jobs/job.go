package jobs

import (
	"encoding/json"
	"time"
)

// Status is where a job is in its life.
type Status string

const (
	// StatusPending jobs wait for RunAt and a free lane.
	StatusPending Status = "pending"
	// StatusRunning jobs are leased by a worker until LeasedUntil; an expired
	// lease makes the job claimable again, which is how work held by a process
	// that died (kill -9) is picked up.
	StatusRunning Status = "running"
	// StatusCompleted jobs ran to success. They are kept so that their
	// UniqueKey keeps deduplicating (periodic jobs rely on this).
	StatusCompleted Status = "completed"
	// StatusDead jobs failed their last attempt (or were killed by their
	// handler): the dead letter. Nothing runs them again unless an operator
	// retries them.
	StatusDead Status = "dead"
)

// Job is one durable unit of background work.
type Job struct {
	ID          int64
	Kind        string
	Lane        string
	UniqueKey   string
	Payload     json.RawMessage
	Status      Status
	Attempt     int // attempts started so far, including the running one
	MaxAttempts int
	RunAt       time.Time
	LeasedBy    string
	LeasedUntil time.Time // zero unless running
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  time.Time // zero until completed or dead
}

// New describes a job to enqueue.
type New struct {
	// Kind names the handler that runs the job. Required.
	Kind string
	// Lane, when set, makes jobs of the same lane run one at a time, in
	// enqueue order, across every process sharing the store: one chain
	// signer's transactions use one lane so their nonces stay in order.
	Lane string
	// UniqueKey, when set, makes the enqueue a no-op if a job with that key
	// exists in any status. Periodic jobs use one key per period.
	UniqueKey string
	// Payload is the handler's input, JSON. Nil means {}.
	Payload json.RawMessage
	// RunAt is the earliest time the job may run. Zero means now.
	RunAt time.Time
	// MaxAttempts bounds retries before the job is dead-lettered. Zero means
	// DefaultMaxAttempts.
	MaxAttempts int
}

// DefaultMaxAttempts is used when New.MaxAttempts is zero.
const DefaultMaxAttempts = 10

// Claim asks the queue for work.
type Claim struct {
	Worker string        // the claiming worker's id, recorded as LeasedBy
	Kinds  []string      // only these kinds (the ones the worker can run)
	Limit  int           // at most this many jobs
	Lease  time.Duration // leased until Now+Lease
	Now    time.Time
}

package jobs

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Handler runs one job. It must be idempotent: a job whose worker died
// (kill -9, lost lease) runs again. Returning nil completes the job; an error
// retries it with backoff until MaxAttempts, then dead-letters it; an error
// wrapping ErrPermanent dead-letters it at once.
type Handler func(ctx context.Context, job *Job) error

// ErrPermanent marks a handler error that retrying cannot fix.
var ErrPermanent = errors.New("jobs: permanent failure")

// ErrRecorded is what a handler returns when it recorded its job's
// completion itself (Completion), in the transaction that committed the
// job's effect, through the store's RecordOutcomes on that transaction:
// the effect and the completion then share one write, and the worker
// records nothing for the job. A handler returns it only once that
// transaction has committed; if the transaction failed, it returns that
// error (or nil, to have the worker complete the job) instead.
var ErrRecorded = errors.New("jobs: the handler recorded the job's outcome")

// Completion is the outcome that completes the attempt of j that its
// worker claimed, for a handler that records it in its own transaction
// (ErrRecorded). It is fenced by j's lease like any other outcome.
func Completion(j *Job, now time.Time) Outcome {
	return Outcome{ID: j.ID, Worker: j.LeasedBy, Attempt: j.Attempt, Status: StatusCompleted, Now: now}
}

// RetryAtError is a handler error that chooses when the next attempt runs,
// instead of the worker's Backoff: for handlers with a schedule of their own
// (webhook deliveries) or a peer's Retry-After.
type RetryAtError struct {
	At  time.Time
	Err error
}

func (e *RetryAtError) Error() string { return e.Err.Error() }
func (e *RetryAtError) Unwrap() error { return e.Err }

// RetryAt returns err asking for the next attempt at t. After the job's
// last attempt it is dead-lettered like any other error.
func RetryAt(t time.Time, err error) error { return &RetryAtError{At: t, Err: err} }

// Periodic is a job enqueued once per period by every running worker; the
// unique key "kind@period-start" makes it run once per period however many
// workers run.
type Periodic struct {
	Kind    string
	Every   time.Duration
	Payload []byte
}

// WorkerConfig holds a Worker's optional settings; the zero value means the
// defaults.
type WorkerConfig struct {
	// Concurrency is how many jobs run at once. Default 4.
	Concurrency int
	// PollInterval is how often the queue is polled. Default 250ms. A
	// queue that is a Waker wakes the worker as soon as jobs are enqueued,
	// so polling only picks up what a wake-up missed and jobs whose RunAt
	// has come; with such a queue the interval may be seconds.
	PollInterval time.Duration
	// Lease is how long a claim holds a job before another worker may take it
	// over; it is extended while the handler runs. Default 30s, which is the
	// longest a job held by a dead worker waits.
	Lease time.Duration
	// ShutdownGrace is how long Run waits for running handlers after its
	// context ends before cancelling theirs. Default 30s.
	ShutdownGrace time.Duration
	// Backoff gives the delay before attempt n+1 after attempt n failed.
	// Default DefaultBackoff.
	Backoff func(attempt int) time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand feeds jitter and the worker id. Default crypto/rand.Reader.
	Rand io.Reader
	// Logger receives job failures. Default slog.Default().
	Logger *slog.Logger
	// ID names this worker in leases. Default a random "w_" id.
	ID string
}

// DefaultBackoff waits 1s, 2s, 4s, ... capped at one hour.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 12 {
		return time.Hour
	}
	d := time.Second << (attempt - 1)
	return min(d, time.Hour)
}

// Worker claims jobs from a Queue and runs their handlers.
type Worker struct {
	queue    Queue
	cfg      WorkerConfig
	handlers map[string]Handler
	periodic []Periodic
	mu       sync.Mutex // guards rand reads
}

// NewWorker returns a Worker over queue. Register handlers before Run.
func NewWorker(queue Queue, cfg WorkerConfig) (*Worker, error) {
	if queue == nil {
		return nil, errors.New("jobs: NewWorker needs a queue")
	}
	if cfg.Concurrency < 0 || cfg.PollInterval < 0 || cfg.Lease < 0 || cfg.ShutdownGrace < 0 {
		return nil, errors.New("jobs: WorkerConfig durations and concurrency must not be negative")
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 4
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.Lease == 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 30 * time.Second
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	w := &Worker{queue: queue, cfg: cfg, handlers: map[string]Handler{}}
	if w.cfg.ID == "" {
		var b [8]byte
		if _, err := io.ReadFull(cfg.Rand, b[:]); err != nil {
			return nil, fmt.Errorf("jobs: worker id: %w", err)
		}
		w.cfg.ID = fmt.Sprintf("w_%x", b)
	}
	return w, nil
}

// ID is the worker's lease owner name.
func (w *Worker) ID() string { return w.cfg.ID }

// Handle registers the handler of a kind. Call before Run.
func (w *Worker) Handle(kind string, h Handler) { w.handlers[kind] = h }

// Every registers a periodic job; its kind needs a handler too.
func (w *Worker) Every(p Periodic) { w.periodic = append(w.periodic, p) }

// Run claims and runs jobs until ctx ends, then waits for running handlers
// (up to ShutdownGrace) and returns nil. Jobs whose handlers were cut off are
// left leased; their lease expires and another run picks them up.
func (w *Worker) Run(ctx context.Context) error {
	kinds := w.kinds()
	if len(kinds) == 0 {
		<-ctx.Done()
		return nil
	}

	// Handlers get a context that outlives ctx by ShutdownGrace, so a
	// shutdown lets them finish instead of failing half-way.
	hctx, hcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hcancel()

	slots := make(chan struct{}, w.cfg.Concurrency)
	freed := make(chan struct{}, 1)
	release := func() {
		<-slots
		select {
		case freed <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
	// Outcomes are recorded in batches, by one goroutine: whatever finished
	// while the last batch was being recorded makes the next. A job's slot
	// frees when its handler returns, so the next claim and the recording
	// of the outcomes run at once (and share a commit, on a store that
	// groups them).
	reports := make(chan Outcome, w.cfg.Concurrency)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		w.recordReports(hctx, reports)
	}()
	// Jobs run on goroutines kept for the next job (up to Concurrency of
	// them), not one new goroutine per job: a handler's goroutine grows its
	// stack once, not on every job (stack growth was 2 % of a profile of
	// BenchmarkDelivery). Closing work, after the wait below, ends them.
	work := make(chan task)
	defer close(work)
	var wg sync.WaitGroup
	runJob := func(t task) {
		defer wg.Done()
		o, ok := w.run(t.ctx, t.j)
		release()
		if ok {
			reports <- o
		}
	}
	started := 0
	dispatch := func(t task) {
		select {
		case work <- t: // an idle goroutine takes it
			return
		default:
		}
		if started == w.cfg.Concurrency {
			work <- t // one is about to be idle: it holds a slot
			return
		}
		started++
		go func() {
			runJob(t)
			for t := range work {
				runJob(t)
			}
		}()
	}
	defer func() {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(w.cfg.ShutdownGrace):
			w.cfg.Logger.Warn("jobs: shutdown grace over; cancelling the handlers still running (their jobs run again once their leases expire)",
				"worker", w.cfg.ID, "running", len(slots), "grace", w.cfg.ShutdownGrace)
			hcancel()
			<-done
		}
		close(reports)
		<-recorded
	}()

	// The worker claims at start, on every poll, when the queue wakes it
	// (a Waker), and when a slot frees after a claim that filled every slot
	// (there may be more work waiting for room).
	var woken <-chan struct{}
	if wk, ok := w.queue.(Waker); ok {
		woken = wk.Wake(ctx)
	}
	poll := time.NewTicker(w.cfg.PollInterval)
	defer poll.Stop()
	polled := true // periodic jobs are enqueued at start and on each poll, not on every wake-up
	// After a claim that took all the room (a backlog), the next claim
	// waits for refill slots to free, not one: each claim is a write
	// transaction, and in BenchmarkDelivery claims of a few jobs each made
	// half of the writer's commits. A poll or a wake-up claims whatever
	// room there is.
	refill := max(1, w.cfg.Concurrency/4)
	backlog, freedOnly := false, false
	for {
		if ctx.Err() != nil {
			return nil
		}
		if polled {
			w.enqueuePeriodic(ctx)
		}
		free := w.cfg.Concurrency - len(slots)
		if free > 0 && !(freedOnly && free < refill) {
			now := w.cfg.Now()
			jobs, err := w.queue.ClaimJobs(ctx, Claim{Worker: w.cfg.ID, Kinds: kinds, Limit: free, Lease: w.cfg.Lease, Now: now})
			if err != nil && ctx.Err() == nil {
				w.cfg.Logger.Error("jobs: claim failed", "err", err)
			}
			cctx := withClaim(hctx, &claimed{}) // what the claim's handlers share (Shared)
			for _, j := range jobs {
				slots <- struct{}{}
				wg.Add(1)
				dispatch(task{cctx, j})
			}
			backlog = len(jobs) == free
		}
		// No room, or a claim that took all the room: claim again as
		// slots free.
		var onFreed <-chan struct{}
		if backlog || free == 0 {
			onFreed = freed
		}
		freedOnly = false
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
			polled = true
		case <-woken:
			polled = false
		case <-onFreed:
			polled, freedOnly = false, true
		}
	}
}

// Drain runs every job that is due, one claim batch after another, until
// none is left, and returns how many it ran. Jobs a handler enqueues run too; retries with
// a later RunAt do not. It is for tests and tools that want background work
// done now, deterministically, without a running worker.
func (w *Worker) Drain(ctx context.Context) (ran int, err error) {
	kinds := w.kinds()
	if len(kinds) == 0 {
		return 0, nil
	}
	w.enqueuePeriodic(ctx)
	for {
		jobs, err := w.queue.ClaimJobs(ctx, Claim{Worker: w.cfg.ID, Kinds: kinds, Limit: w.cfg.Concurrency, Lease: w.cfg.Lease, Now: w.cfg.Now()})
		if err != nil {
			return ran, err
		}
		if len(jobs) == 0 {
			return ran, ctx.Err()
		}
		ran += len(jobs)
		outcomes := make([]Outcome, len(jobs))
		toRecord := make([]bool, len(jobs))
		var wg sync.WaitGroup
		cctx := withClaim(ctx, &claimed{})
		for i, j := range jobs {
			wg.Add(1)
			go func() { defer wg.Done(); outcomes[i], toRecord[i] = w.run(cctx, j) }()
		}
		wg.Wait()
		var recorded int
		for i, o := range outcomes {
			if toRecord[i] {
				outcomes[recorded] = o
				recorded++
			}
		}
		if recorded > 0 {
			w.record(ctx, outcomes[:recorded])
		}
	}
}

func (w *Worker) kinds() []string {
	kinds := make([]string, 0, len(w.handlers))
	for k := range w.handlers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

func (w *Worker) enqueuePeriodic(ctx context.Context) {
	now := w.cfg.Now()
	for _, p := range w.periodic {
		start := now.UTC().Truncate(p.Every)
		_, err := w.queue.EnqueueJob(ctx, New{
			Kind:      p.Kind,
			UniqueKey: p.Kind + "@" + start.Format(time.RFC3339),
			Payload:   p.Payload,
			RunAt:     start,
		}, now)
		if err != nil && ctx.Err() == nil {
			w.cfg.Logger.Error("jobs: enqueue periodic", "kind", p.Kind, "err", err)
		}
	}
}

// task is a claimed job to run, with the context of its claim.
type task struct {
	ctx context.Context
	j   *Job
}

// run executes one claimed job and returns its outcome, to be recorded,
// and false when the handler recorded it itself (ErrRecorded).
func (w *Worker) run(ctx context.Context, j *Job) (Outcome, bool) {
	jctx, cancel := context.WithCancel(ctx)
	stopRenew := w.renewLease(jctx, cancel, j)
	err := w.call(jctx, j)
	stopRenew()
	cancel()

	o := Outcome{ID: j.ID, Worker: w.cfg.ID, Attempt: j.Attempt, Status: StatusCompleted, Now: w.cfg.Now()}
	switch {
	case errors.Is(err, ErrRecorded):
		return o, false
	case err == nil:
	case errors.Is(err, ErrPermanent) || j.Attempt >= j.MaxAttempts:
		w.cfg.Logger.Error("jobs: dead-lettered", "job_id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err)
		o.Status, o.LastError = StatusDead, err.Error()
	default:
		o.RunAt = o.Now.Add(w.jitter(w.cfg.Backoff(j.Attempt)))
		var ra *RetryAtError
		if errors.As(err, &ra) {
			o.RunAt = ra.At
		}
		w.cfg.Logger.Warn("jobs: will retry", "job_id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err, "at", o.RunAt)
		o.Status, o.LastError = StatusPending, err.Error()
	}
	return o, true
}

// recordReports records the outcomes that arrive until the channel
// closes, each batch what arrived while the one before was being recorded.
func (w *Worker) recordReports(ctx context.Context, reports <-chan Outcome) {
	batch := make([]Outcome, 0, cap(reports))
	for o := range reports {
		batch = append(batch[:0], o)
	more:
		for len(batch) < cap(batch) {
			select {
			case o, ok := <-reports:
				if !ok {
					break more
				}
				batch = append(batch, o)
			default:
				break more
			}
		}
		w.record(ctx, batch)
	}
}

// record records outcomes: in one call when the queue is an
// OutcomeRecorder, else one by one. A failure is logged; the job's lease
// then lapses and the job runs again.
func (w *Worker) record(ctx context.Context, outcomes []Outcome) {
	if r, ok := w.queue.(OutcomeRecorder); ok {
		errs, err := r.RecordOutcomes(ctx, outcomes)
		if err == nil {
			for i, err := range errs {
				if err != nil {
					w.logRecordFailure(outcomes[i], err)
				}
			}
			return
		}
		w.cfg.Logger.Warn("jobs: record outcomes: the batch failed, recording them one by one", "outcomes", len(outcomes), "err", err)
	}
	for _, o := range outcomes {
		if err := o.Record(ctx, w.queue); err != nil {
			w.logRecordFailure(o, err)
		}
	}
}

func (w *Worker) logRecordFailure(o Outcome, err error) {
	w.cfg.Logger.Error("jobs: record outcome", "job_id", o.ID, "attempt", o.Attempt, "status", o.Status, "err", err)
}

// call runs the handler, turning a panic into an error so one bad job cannot
// take the process down.
func (w *Worker) call(ctx context.Context, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jobs: handler panicked: %v", r)
		}
	}()
	return w.handlers[j.Kind](ctx, j)
}

// renewLease extends the job's lease every third of the lease while the
// handler runs; if the lease is lost, the handler's context is cancelled.
func (w *Worker) renewLease(ctx context.Context, cancel context.CancelFunc, j *Job) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(w.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				err := w.queue.ExtendLease(ctx, j.ID, w.cfg.ID, j.Attempt, w.cfg.Now().Add(w.cfg.Lease))
				if errors.Is(err, ErrLeaseLost) {
					cancel()
					return
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// jitter lengthens d by up to 10%, never shortens it.
func (w *Worker) jitter(d time.Duration) time.Duration {
	var b [8]byte
	w.mu.Lock()
	_, err := io.ReadFull(w.cfg.Rand, b[:])
	w.mu.Unlock()
	if err != nil || d <= 0 {
		return d
	}
	extra := time.Duration(binary.BigEndian.Uint64(b[:]) % uint64(d/10+1))
	return d + extra
}

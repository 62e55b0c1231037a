package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openStore(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path, sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	return db
}

func newWorker(t *testing.T, q jobs.Queue, mutate ...func(*jobs.WorkerConfig)) *jobs.Worker {
	t.Helper()
	cfg := jobs.WorkerConfig{PollInterval: 10 * time.Millisecond, Logger: quiet, Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
	for _, m := range mutate {
		m(&cfg)
	}
	w, err := jobs.NewWorker(q, cfg)
	require.NoError(t, err)
	return w
}

// runFor runs w until cond holds (checked every 10ms) or the deadline, then
// stops it and waits for Run to return.
func runFor(t *testing.T, cond func() bool, workers ...*jobs.Worker) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); _ = w.Run(ctx) }()
	}
	deadline := time.Now().Add(20 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	require.True(t, cond(), "condition not reached before the deadline")
}

func enqueue(t *testing.T, q jobs.Queue, n jobs.New) int64 {
	t.Helper()
	if n.UniqueKey == "" {
		n.UniqueKey = fmt.Sprintf("%s-%d", n.Kind, time.Now().UnixNano())
	}
	ok, err := q.EnqueueJob(context.Background(), n, time.Now())
	require.NoError(t, err)
	require.True(t, ok)
	j, err := q.JobByKey(context.Background(), n.UniqueKey)
	require.NoError(t, err)
	return j.ID
}

func status(t *testing.T, q jobs.Queue, id int64) jobs.Status {
	j, err := q.Job(context.Background(), id)
	require.NoError(t, err)
	return j.Status
}

func TestRetriesThenDeadLetters(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	var calls atomic.Int32
	w := newWorker(t, db)
	w.Handle("flaky", func(ctx context.Context, j *jobs.Job) error {
		if calls.Add(1) < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	w.Handle("broken", func(ctx context.Context, j *jobs.Job) error { return errors.New("always") })
	w.Handle("hopeless", func(ctx context.Context, j *jobs.Job) error {
		return fmt.Errorf("bad payload: %w", jobs.ErrPermanent)
	})
	w.Handle("panics", func(ctx context.Context, j *jobs.Job) error { panic("boom") })

	flaky := enqueue(t, db, jobs.New{Kind: "flaky"})
	broken := enqueue(t, db, jobs.New{Kind: "broken", MaxAttempts: 3})
	hopeless := enqueue(t, db, jobs.New{Kind: "hopeless"})
	panics := enqueue(t, db, jobs.New{Kind: "panics", MaxAttempts: 2})
	runFor(t, func() bool {
		return status(t, db, flaky) == jobs.StatusCompleted && status(t, db, broken) == jobs.StatusDead &&
			status(t, db, hopeless) == jobs.StatusDead && status(t, db, panics) == jobs.StatusDead
	}, w)

	j, _ := db.Job(context.Background(), flaky)
	require.Equal(t, 3, j.Attempt)
	j, _ = db.Job(context.Background(), broken)
	require.Equal(t, 3, j.Attempt, "dead-lettered after MaxAttempts")
	require.Equal(t, "always", j.LastError)
	j, _ = db.Job(context.Background(), hopeless)
	require.Equal(t, 1, j.Attempt, "a permanent error is not retried")
	j, _ = db.Job(context.Background(), panics)
	require.Contains(t, j.LastError, "panicked: boom")
}

func TestBackoffJitterOnlyLengthens(t *testing.T) {
	require.Equal(t, time.Second, jobs.DefaultBackoff(1))
	require.Equal(t, 8*time.Second, jobs.DefaultBackoff(4))
	require.Equal(t, time.Hour, jobs.DefaultBackoff(40))

	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	w := newWorker(t, db, func(c *jobs.WorkerConfig) { c.Backoff = func(int) time.Duration { return time.Hour } })
	w.Handle("fails", func(ctx context.Context, j *jobs.Job) error { return errors.New("no") })
	var ids []int64
	for range 20 {
		ids = append(ids, enqueue(t, db, jobs.New{Kind: "fails"}))
	}
	start := time.Now()
	runFor(t, func() bool {
		for _, id := range ids {
			if status(t, db, id) != jobs.StatusPending {
				return false
			}
			if j, _ := db.Job(context.Background(), id); j.Attempt != 1 {
				return false
			}
		}
		return true
	}, w)
	for _, id := range ids {
		j, _ := db.Job(context.Background(), id)
		delay := j.RunAt.Sub(start)
		require.GreaterOrEqual(t, delay, time.Hour-time.Second, "never shorter than the backoff")
		require.LessOrEqual(t, delay, time.Hour+6*time.Minute+time.Minute, "at most 10%% longer")
	}
}

// A lane runs one job at a time, in enqueue order, even with several
// workers on the store.
func TestLaneSerializesAcrossWorkers(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	var mu sync.Mutex
	var order []string
	var running, overlap atomic.Int32
	handler := func(ctx context.Context, j *jobs.Job) error {
		if running.Add(1) > 1 {
			overlap.Add(1)
		}
		defer running.Add(-1)
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		order = append(order, string(j.Payload))
		mu.Unlock()
		return nil
	}
	w1 := newWorker(t, db, func(c *jobs.WorkerConfig) { c.Concurrency = 4 })
	w2 := newWorker(t, db, func(c *jobs.WorkerConfig) { c.Concurrency = 4 })
	w1.Handle("tx", handler)
	w2.Handle("tx", handler)
	var want []string
	for i := range 15 {
		p := strconv.Itoa(i)
		want = append(want, p)
		enqueue(t, db, jobs.New{Kind: "tx", Lane: "signer-0xabc", Payload: []byte(p)})
	}
	runFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(order) == 15 }, w1, w2)
	require.Equal(t, want, order)
	require.Zero(t, overlap.Load(), "two jobs of one lane ran at once")
}

func TestPeriodicRunsOncePerPeriod(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	now := time.Date(2026, 4, 1, 10, 30, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var runs atomic.Int32
	mk := func() *jobs.Worker {
		w := newWorker(t, db, func(c *jobs.WorkerConfig) { c.Now = clock })
		w.Handle("sweep", func(ctx context.Context, j *jobs.Job) error { runs.Add(1); return nil })
		w.Every(jobs.Periodic{Kind: "sweep", Every: 24 * time.Hour})
		return w
	}
	w1, w2 := mk(), mk()
	runFor(t, func() bool { return runs.Load() >= 1 }, w1, w2)
	runFor(t, func() bool { return true }, w1, w2) // more polls in the same period
	require.Equal(t, int32(1), runs.Load(), "two workers, many polls, one period: one run")
	j, err := db.JobByKey(context.Background(), "sweep@2026-04-01T00:00:00Z")
	require.NoError(t, err)
	require.Equal(t, jobs.StatusCompleted, j.Status)
}

// A handler that runs longer than the lease keeps it (the worker renews
// it), so no second worker runs the job at the same time.
func TestLeaseIsRenewedWhileRunning(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	var runs atomic.Int32
	slow := func(ctx context.Context, j *jobs.Job) error {
		runs.Add(1)
		select {
		case <-time.After(900 * time.Millisecond):
		case <-ctx.Done():
		}
		return nil
	}
	short := func(c *jobs.WorkerConfig) { c.Lease = 300 * time.Millisecond }
	w1, w2 := newWorker(t, db, short), newWorker(t, db, short)
	w1.Handle("slow", slow)
	w2.Handle("slow", slow)
	id := enqueue(t, db, jobs.New{Kind: "slow"})
	runFor(t, func() bool { return status(t, db, id) == jobs.StatusCompleted }, w1, w2)
	require.Equal(t, int32(1), runs.Load())
}

// Stopping a worker lets the running handler finish and record its result.
func TestShutdownFinishesRunningJobs(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	started := make(chan struct{})
	w := newWorker(t, db)
	w.Handle("job", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		time.Sleep(200 * time.Millisecond)
		return ctx.Err()
	})
	id := enqueue(t, db, jobs.New{Kind: "job"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	<-started
	cancel()
	require.NoError(t, <-done)
	require.Equal(t, jobs.StatusCompleted, status(t, db, id))
}

// A handler still running when the shutdown grace ends is cancelled, Run
// returns nil, and the log says what was cut off.
func TestShutdownCutsOffHandlersAfterTheGrace(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	var logs syncBuffer
	started := make(chan struct{})
	w := newWorker(t, db, func(c *jobs.WorkerConfig) {
		c.ShutdownGrace = 50 * time.Millisecond
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	w.Handle("job", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		<-ctx.Done() // a job that would run for ever
		return ctx.Err()
	})
	id := enqueue(t, db, jobs.New{Kind: "job"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	<-started
	cancel()
	require.NoError(t, <-done)
	require.Contains(t, logs.String(), `level=WARN msg="jobs: shutdown grace over; cancelling the handlers still running`)
	require.Contains(t, logs.String(), "running=1")
	require.NotEqual(t, jobs.StatusCompleted, status(t, db, id), "it runs again after a restart")
}

// syncBuffer is a buffer a logger and a test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The kill -9 test: a worker process is killed with SIGKILL while jobs run;
// after a restart every job completes, the interrupted ones run again.
func TestJobsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes; skipped in -short mode")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "q.db")
	db := openStore(t, dbPath)
	const n = 12
	var ids []int64
	for i := range n {
		ids = append(ids, enqueue(t, db, jobs.New{Kind: "work", UniqueKey: fmt.Sprintf("work-%d", i), Payload: []byte(strconv.Itoa(i))}))
	}

	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$")
		cmd.Env = append(os.Environ(), "ASSETMINT_WORKER_PROCESS="+dir)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Start())
		return cmd
	}
	completed := func() int {
		c := 0
		for _, id := range ids {
			if status(t, db, id) == jobs.StatusCompleted {
				c++
			}
		}
		return c
	}
	waitFor := func(cond func() bool) {
		deadline := time.Now().Add(60 * time.Second)
		for !cond() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		require.True(t, cond(), "timed out")
	}

	first := start()
	// Kill it once some jobs are done and others are mid-run.
	waitFor(func() bool { return completed() >= 3 && len(started(t, dir)) > completed() })
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	require.Less(t, completed(), n, "the kill came mid-run")

	second := start()
	waitFor(func() bool { return completed() == n })
	require.NoError(t, second.Process.Signal(syscall.SIGKILL))
	_ = second.Wait()

	runs := started(t, dir)
	for i := range n {
		_, err := os.Stat(filepath.Join(dir, "done-"+strconv.Itoa(i)))
		require.NoError(t, err, "job %d's effect is there", i)
		require.GreaterOrEqual(t, runs[strconv.Itoa(i)], 1)
	}
	rerun := 0
	for _, c := range runs {
		if c > 1 {
			rerun++
		}
	}
	require.Positive(t, rerun, "the jobs cut off by the kill ran again")
}

// started counts, per job payload, how many times a handler began it.
func started(t *testing.T, dir string) map[string]int {
	raw, err := os.ReadFile(filepath.Join(dir, "started.log"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]int{}
	}
	require.NoError(t, err)
	out := map[string]int{}
	for _, line := range strings.Fields(string(raw)) {
		out[line]++
	}
	return out
}

// TestWorkerProcess is the child of TestJobsSurviveKill9, not a test of
// its own: it runs a worker over the shared database until it is killed.
func TestWorkerProcess(t *testing.T) {
	dir := os.Getenv("ASSETMINT_WORKER_PROCESS")
	if dir == "" {
		t.Skip("runs only as the child process of TestJobsSurviveKill9")
	}
	db, err := sqlite.Open(filepath.Join(dir, "q.db"), sqlite.Config{})
	require.NoError(t, err)
	w, err := jobs.NewWorker(db, jobs.WorkerConfig{Concurrency: 3, PollInterval: 10 * time.Millisecond, Lease: time.Second, Logger: quiet})
	require.NoError(t, err)
	log, err := os.OpenFile(filepath.Join(dir, "started.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	w.Handle("work", func(ctx context.Context, j *jobs.Job) error {
		if _, err := log.WriteString(string(j.Payload) + "\n"); err != nil {
			return err
		}
		time.Sleep(150 * time.Millisecond) // the work
		// The effect is idempotent: writing the same file twice is harmless.
		return os.WriteFile(filepath.Join(dir, "done-"+string(j.Payload)), []byte("ok"), 0o600)
	})
	_ = w.Run(context.Background())
}

// Drain runs what is due, including jobs its handlers enqueue, and returns;
// what is scheduled later stays.
func TestDrainRunsDueJobsAndReturns(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	w := newWorker(t, db)
	var ran atomic.Int32
	w.Handle("step", func(ctx context.Context, j *jobs.Job) error {
		ran.Add(1)
		if string(j.Payload) == `"first"` {
			_, err := db.EnqueueJob(ctx, jobs.New{Kind: "step", UniqueKey: "follow-up", Payload: []byte(`"second"`)}, time.Now())
			return err
		}
		return nil
	})
	enqueue(t, db, jobs.New{Kind: "step", Payload: []byte(`"first"`)})
	later := enqueue(t, db, jobs.New{Kind: "step", RunAt: time.Now().Add(time.Hour)})
	_, err := w.Drain(context.Background())
	require.NoError(t, err)
	require.Equal(t, int32(2), ran.Load())
	require.Equal(t, jobs.StatusPending, status(t, db, later))
}

// A handler may choose when its next attempt runs.
func TestRetryAtOverridesBackoff(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	at := time.Now().Add(3 * time.Hour).UTC().Truncate(time.Second)
	w := newWorker(t, db)
	w.Handle("later", func(ctx context.Context, j *jobs.Job) error {
		return jobs.RetryAt(at, errors.New("receiver said Retry-After"))
	})
	id := enqueue(t, db, jobs.New{Kind: "later"})
	_, err := w.Drain(context.Background())
	require.NoError(t, err)
	j, err := db.Job(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, jobs.StatusPending, j.Status)
	require.True(t, at.Equal(j.RunAt), "run at %s, want %s", j.RunAt, at)
	require.Equal(t, "receiver said Retry-After", j.LastError)
}

// wakingQueue is a queue that is a Waker whose wake-ups the test sends.
type wakingQueue struct {
	jobs.Queue
	wake  chan struct{}
	asked atomic.Int32
}

func (q *wakingQueue) Wake(ctx context.Context) <-chan struct{} {
	q.asked.Add(1)
	return q.wake
}

// A worker over a Waker claims when woken, not at its next poll.
func TestWakerWakesTheWorker(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	q := &wakingQueue{Queue: db, wake: make(chan struct{}, 1)}
	w := newWorker(t, q, func(c *jobs.WorkerConfig) { c.PollInterval = time.Hour })
	ran := make(chan struct{}, 1)
	w.Handle("job", func(ctx context.Context, j *jobs.Job) error { ran <- struct{}{}; return nil })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); require.NoError(t, <-done) }()

	require.Eventually(t, func() bool { return q.asked.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond) // the first claim (at start) found nothing
	enqueue(t, db, jobs.New{Kind: "job"})
	select {
	case <-ran:
		t.Fatal("the job ran without a wake-up or a poll")
	case <-time.After(200 * time.Millisecond):
	}
	q.wake <- struct{}{}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the wake-up did not make the worker claim")
	}
}

// A claim that fills every slot is followed by another as soon as a
// handler frees one, not at the next poll.
func TestFreedSlotClaimsAgain(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	w := newWorker(t, db, func(c *jobs.WorkerConfig) { c.PollInterval = time.Hour; c.Concurrency = 2 })
	var ran atomic.Int32
	w.Handle("job", func(ctx context.Context, j *jobs.Job) error { ran.Add(1); return nil })
	for range 7 {
		enqueue(t, db, jobs.New{Kind: "job"})
	}
	start := time.Now()
	runFor(t, func() bool { return ran.Load() == 7 }, w)
	require.Less(t, time.Since(start), 10*time.Second, "well under the poll interval")
}

// recordingQueue counts how outcomes reach the queue.
type recordingQueue struct {
	*sqlite.DB
	batches, outcomes, singles atomic.Int32
}

func (q *recordingQueue) RecordOutcomes(ctx context.Context, os []jobs.Outcome) ([]error, error) {
	q.batches.Add(1)
	q.outcomes.Add(int32(len(os)))
	return q.DB.RecordOutcomes(ctx, os)
}

func (q *recordingQueue) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	q.singles.Add(1)
	return q.DB.CompleteJob(ctx, id, worker, attempt, now)
}

// singlesQueue hides the store's OutcomeRecorder.
type singlesQueue struct{ q *recordingQueue }

func (s singlesQueue) EnqueueJob(ctx context.Context, j jobs.New, now time.Time) (bool, error) {
	return s.q.EnqueueJob(ctx, j, now)
}
func (s singlesQueue) ClaimJobs(ctx context.Context, c jobs.Claim) ([]*jobs.Job, error) {
	return s.q.ClaimJobs(ctx, c)
}
func (s singlesQueue) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	return s.q.CompleteJob(ctx, id, worker, attempt, now)
}
func (s singlesQueue) RetryJob(ctx context.Context, id int64, worker string, attempt int, runAt time.Time, lastErr string, now time.Time) error {
	return s.q.RetryJob(ctx, id, worker, attempt, runAt, lastErr, now)
}
func (s singlesQueue) KillJob(ctx context.Context, id int64, worker string, attempt int, lastErr string, now time.Time) error {
	return s.q.KillJob(ctx, id, worker, attempt, lastErr, now)
}
func (s singlesQueue) ExtendLease(ctx context.Context, id int64, worker string, attempt int, until time.Time) error {
	return s.q.ExtendLease(ctx, id, worker, attempt, until)
}
func (s singlesQueue) Job(ctx context.Context, id int64) (*jobs.Job, error) { return s.q.Job(ctx, id) }
func (s singlesQueue) JobByKey(ctx context.Context, key string) (*jobs.Job, error) {
	return s.q.JobByKey(ctx, key)
}
func (s singlesQueue) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	return s.q.PruneJobs(ctx, before)
}

// A worker over an OutcomeRecorder records the outcomes of jobs that
// finish together in one call; over a queue without one, one by one.
func TestOutcomesAreRecordedInBatches(t *testing.T) {
	for _, batched := range []bool{true, false} {
		t.Run(fmt.Sprint("batched=", batched), func(t *testing.T) {
			q := &recordingQueue{DB: openStore(t, filepath.Join(t.TempDir(), "q.db"))}
			var queue jobs.Queue = q
			if !batched {
				queue = singlesQueue{q}
			}
			w := newWorker(t, queue, func(c *jobs.WorkerConfig) { c.Concurrency = 8 })
			gate := make(chan struct{})
			var ran atomic.Int32
			w.Handle("job", func(ctx context.Context, j *jobs.Job) error {
				ran.Add(1)
				<-gate // they all finish at once
				return nil
			})
			var ids []int64
			for range 8 {
				ids = append(ids, enqueue(t, q, jobs.New{Kind: "job"}))
			}
			go func() {
				for ran.Load() < 8 {
					time.Sleep(time.Millisecond)
				}
				close(gate)
			}()
			runFor(t, func() bool {
				for _, id := range ids {
					if status(t, q, id) != jobs.StatusCompleted {
						return false
					}
				}
				return true
			}, w)
			if batched {
				require.Equal(t, int32(8), q.outcomes.Load())
				require.Less(t, q.batches.Load(), int32(8), "some outcomes shared a call")
				require.Zero(t, q.singles.Load())
			} else {
				require.Zero(t, q.batches.Load())
				require.Equal(t, int32(8), q.singles.Load())
			}
		})
	}
}

// A handler that records its job's completion itself, in its own
// transaction, returns ErrRecorded: the worker records nothing more for
// it, under Run and under Drain.
func TestHandlerRecordsItsOwnCompletion(t *testing.T) {
	for _, drain := range []bool{false, true} {
		t.Run(fmt.Sprint("drain=", drain), func(t *testing.T) {
			q := &recordingQueue{DB: openStore(t, filepath.Join(t.TempDir(), "q.db"))}
			w := newWorker(t, q)
			var own atomic.Int32
			w.Handle("job", func(ctx context.Context, j *jobs.Job) error {
				errs, err := q.DB.RecordOutcomes(ctx, []jobs.Outcome{jobs.Completion(j, time.Now())})
				if err != nil || errs[0] != nil {
					return errors.Join(err, errs[0])
				}
				own.Add(1)
				return jobs.ErrRecorded
			})
			ids := []int64{enqueue(t, q, jobs.New{Kind: "job"}), enqueue(t, q, jobs.New{Kind: "job"})}
			done := func() bool {
				return status(t, q, ids[0]) == jobs.StatusCompleted && status(t, q, ids[1]) == jobs.StatusCompleted
			}
			if drain {
				_, err := w.Drain(context.Background())
				require.NoError(t, err)
			} else {
				runFor(t, done, w)
			}
			require.True(t, done())
			require.Equal(t, int32(2), own.Load())
			require.Zero(t, q.batches.Load(), "the worker recorded an outcome the handler had recorded")
			require.Zero(t, q.singles.Load())
			j, err := q.Job(context.Background(), ids[0])
			require.NoError(t, err)
			require.Equal(t, 1, j.Attempt)
		})
	}
}

// claimsQueue records the limit of every claim.
type claimsQueue struct {
	*sqlite.DB
	mu     sync.Mutex
	limits []int
}

func (q *claimsQueue) ClaimJobs(ctx context.Context, c jobs.Claim) ([]*jobs.Job, error) {
	js, err := q.DB.ClaimJobs(ctx, c)
	if len(js) > 0 {
		q.mu.Lock()
		q.limits = append(q.limits, c.Limit)
		q.mu.Unlock()
	}
	return js, err
}

// With a backlog, a worker whose slots free one at a time claims again
// once a quarter of them are free, not at every freed slot: each claim is
// a write transaction.
func TestBacklogClaimsWaitForRefillRoom(t *testing.T) {
	q := &claimsQueue{DB: openStore(t, filepath.Join(t.TempDir(), "q.db"))}
	w := newWorker(t, q, func(c *jobs.WorkerConfig) { c.PollInterval = time.Hour; c.Concurrency = 8 })
	turn := make(chan struct{})
	var ran atomic.Int32
	w.Handle("job", func(ctx context.Context, j *jobs.Job) error {
		select {
		case <-turn:
		case <-ctx.Done():
			return ctx.Err()
		}
		ran.Add(1)
		return nil
	})
	const n = 40
	for range n {
		enqueue(t, q, jobs.New{Kind: "job"})
	}
	go func() {
		for i := range n {
			turn <- struct{}{} // one job finishes at a time
			for ran.Load() <= int32(i) {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(2 * time.Millisecond) // time for a claim at one free slot, were it made
		}
	}()
	runFor(t, func() bool { return ran.Load() == n }, w)
	q.mu.Lock()
	defer q.mu.Unlock()
	require.Equal(t, 8, q.limits[0], "the first claim fills every slot")
	for i, l := range q.limits[1:] {
		require.GreaterOrEqual(t, l, 2, "claim %d of %v", i+1, q.limits)
	}
}

// The jobs claimed together make a Shared value once: the first handler to
// ask makes it, the others wait and get it; the next claim makes it again;
// an error is not shared, so the next handler to ask makes it anew; and
// outside a worker every call makes it.
func TestSharedIsMadeOncePerClaim(t *testing.T) {
	db := openStore(t, filepath.Join(t.TempDir(), "q.db"))
	const perClaim = 8
	w := newWorker(t, db, func(c *jobs.WorkerConfig) { c.Concurrency = perClaim })
	var made, failed atomic.Int32
	var mu sync.Mutex
	got := map[string][]int32{}
	w.Handle("read", func(ctx context.Context, j *jobs.Job) error {
		key := string(j.Payload)
		v, err := jobs.Shared(ctx, key, func() (int32, error) {
			time.Sleep(20 * time.Millisecond) // the others ask meanwhile
			if key == `"flaky"` && failed.Add(1) == 1 {
				return 0, errors.New("read failed")
			}
			return made.Add(1), nil
		})
		if err != nil {
			return nil // (the job completes: the test counts the makes)
		}
		mu.Lock()
		got[key] = append(got[key], v)
		mu.Unlock()
		return nil
	})
	for range 2 * perClaim {
		enqueue(t, db, jobs.New{Kind: "read", Payload: []byte(`"endpoints"`)})
	}
	_, err := w.Drain(context.Background())
	require.NoError(t, err)
	require.Equal(t, int32(2), made.Load(), "two claims of %d: made once each", perClaim)
	require.ElementsMatch(t, append(slices.Repeat([]int32{1}, perClaim), slices.Repeat([]int32{2}, perClaim)...), got[`"endpoints"`])

	// Run's claims share too; the failed make is made again, once, for the
	// others of its claim.
	for range perClaim {
		enqueue(t, db, jobs.New{Kind: "read", Payload: []byte(`"flaky"`)})
	}
	var done atomic.Int32
	w.Handle("read", func(ctx context.Context, j *jobs.Job) error {
		defer done.Add(1)
		_, err := jobs.Shared(ctx, "flaky", func() (int32, error) {
			time.Sleep(20 * time.Millisecond)
			if failed.Add(1) == 1 {
				return 0, errors.New("read failed")
			}
			return made.Add(1), nil
		})
		if err == nil {
			mu.Lock()
			got["run"] = append(got["run"], 0)
			mu.Unlock()
		}
		return nil
	})
	runFor(t, func() bool { return done.Load() == perClaim }, w)
	require.Equal(t, int32(2), failed.Load(), "one failed make and one made again")
	require.Len(t, got["run"], perClaim-1, "all but the one whose make failed got the value")

	calls := 0
	for range 3 {
		_, _ = jobs.Shared(context.Background(), "k", func() (int, error) { calls++; return calls, nil })
	}
	require.Equal(t, 3, calls, "outside a worker, every call makes the value")
}

package postgres

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/jobs"
)

// awaitListening waits until db listens, and returns the listening
// backend's process id.
func awaitListening(t *testing.T, db *DB) uint32 {
	t.Helper()
	var pid uint32
	require.Eventually(t, func() bool { pid = db.hub.listeningPID(); return pid != 0 }, 10*time.Second, 5*time.Millisecond,
		"the DB never listened")
	return pid
}

func received(ch <-chan struct{}, within time.Duration) bool {
	select {
	case <-ch:
		return true
	case <-time.After(within):
		return false
	}
}

// Wake's channel receives when a due job is enqueued on its schema,
// through any DB, and not for other schemas; the listener stops with the
// last subscriber.
func TestWakeOnEnqueue(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	elsewhere := open(t, Config{})
	ctx := t.Context()

	wctx, stop := context.WithCancel(ctx)
	ch := b.Wake(wctx)
	awaitListening(t, b)
	require.True(t, received(ch, 5*time.Second), "a wake-up once listening, for what was enqueued before")

	_, err := elsewhere.EnqueueJob(ctx, jobs.New{Kind: "task"}, time.Now())
	require.NoError(t, err)
	_, err = a.EnqueueJob(ctx, jobs.New{Kind: "task", RunAt: time.Now().Add(time.Hour)}, time.Now())
	require.NoError(t, err)
	require.False(t, received(ch, 300*time.Millisecond), "no wake-up for another schema, nor for a job due later")

	_, err = a.EnqueueJob(ctx, jobs.New{Kind: "task"}, time.Now())
	require.NoError(t, err)
	require.True(t, received(ch, 3*time.Second), "woken by an enqueue through another DB")

	// In a transaction, the notification comes with the commit.
	require.NoError(t, a.inTx(ctx, func(q queries) error {
		_, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: "L"}, time.Now())
		require.NoError(t, err)
		require.False(t, received(ch, 300*time.Millisecond), "not before the commit")
		return nil
	}))
	require.True(t, received(ch, 3*time.Second), "woken at the commit")

	stop()
	require.Eventually(t, func() bool { return b.hub.listeningPID() == 0 }, 5*time.Second, 5*time.Millisecond,
		"the listener stops with the last subscriber")
}

// runWorker runs a worker over db that polls every 10s and reports each
// job it runs on the returned channel.
func runWorker(t *testing.T, db *DB) <-chan time.Time {
	t.Helper()
	w, err := jobs.NewWorker(db, jobs.WorkerConfig{
		PollInterval: 10 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	ran := make(chan time.Time, 10)
	w.Handle("task", func(ctx context.Context, j *jobs.Job) error { ran <- time.Now(); return nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })
	return ran
}

// A worker polling every 10s on one DB runs a job enqueued through another
// within well under its poll interval: the notification wakes it.
func TestWorkerWakesOnEnqueueThroughAnotherDB(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	ran := runWorker(t, b)
	awaitListening(t, b)
	time.Sleep(200 * time.Millisecond) // the worker's claims at start and on the first wake-up are done

	start := time.Now()
	_, err := a.EnqueueJob(t.Context(), jobs.New{Kind: "task"}, time.Now())
	require.NoError(t, err)
	select {
	case at := <-ran:
		t.Logf("picked up %v after the enqueue (poll interval 10s)", at.Sub(start))
		require.Less(t, at.Sub(start), 3*time.Second)
	case <-time.After(3 * time.Second):
		t.Fatal("the job was not picked up within 3s; the worker polls every 10s")
	}
}

// When the listening connection dies, the DB reconnects and listens again;
// jobs enqueued afterwards still wake the worker at once.
func TestWakeSurvivesALostConnection(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	ran := runWorker(t, b)
	first := awaitListening(t, b)

	var killed bool
	require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT pg_terminate_backend($1)`, int64(first)).Scan(&killed))
	require.True(t, killed)
	require.Eventually(t, func() bool { pid := b.hub.listeningPID(); return pid != 0 && pid != first }, 10*time.Second,
		5*time.Millisecond, "the listener did not reconnect")
	time.Sleep(200 * time.Millisecond)

	start := time.Now()
	_, err := a.EnqueueJob(t.Context(), jobs.New{Kind: "task"}, time.Now())
	require.NoError(t, err)
	select {
	case at := <-ran:
		require.Less(t, at.Sub(start), 3*time.Second)
	case <-time.After(3 * time.Second):
		t.Fatal("the job was not picked up within 3s after the reconnection")
	}
}

// Closing the DB stops its listener; Wake on a closed DB never wakes.
func TestCloseStopsTheListener(t *testing.T) {
	a := open(t, Config{})
	b, err := Open(t.Context(), testURL(t), a.cfg)
	require.NoError(t, err)
	b.Wake(t.Context())
	pid := awaitListening(t, b)
	require.NoError(t, b.Close()) // returns once the listener has ended
	require.Zero(t, b.hub.listeningPID())
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, int64(pid)).Scan(&n))
		return n == 0
	}, 5*time.Second, 10*time.Millisecond, "the listening connection is closed")
	require.False(t, received(b.Wake(t.Context()), 100*time.Millisecond))
}

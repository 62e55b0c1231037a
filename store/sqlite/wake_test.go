package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// TestWakeOnEnqueue checks that a due job enqueued on the DB wakes its
// workers at once, one enqueued in a transaction once it commits, and one
// due later wakes nobody.
func TestWakeOnEnqueue(t *testing.T) {
	db := open(t, Config{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	woken := db.Wake(ctx)
	now := time.Now()
	quiet := func(what string) {
		t.Helper()
		select {
		case <-woken:
			t.Fatal(what)
		case <-time.After(20 * time.Millisecond):
		}
	}
	woke := func(what string) {
		t.Helper()
		select {
		case <-woken:
		case <-time.After(5 * time.Second):
			t.Fatal(what)
		}
	}

	_, err := db.EnqueueJob(ctx, jobs.New{Kind: "task", RunAt: now.Add(time.Hour)}, now)
	require.NoError(t, err)
	quiet("a job due later wakes nobody")

	_, err = db.EnqueueJob(ctx, jobs.New{Kind: "task"}, now)
	require.NoError(t, err)
	woke("a due job enqueued on the DB")

	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx assetmint.Tx) error {
			if _, err := tx.EnqueueJob(ctx, jobs.New{Kind: "task"}, now); err != nil {
				return err
			}
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered
	quiet("not before the commit")
	close(release)
	require.NoError(t, <-done)
	woke("a due job enqueued in a transaction, once it committed")

	cancel()
	require.Eventually(t, func() bool {
		db.wakes.mu.Lock()
		defer db.wakes.mu.Unlock()
		return len(db.wakes.subs) == 0
	}, 5*time.Second, time.Millisecond, "the channel goes with its context")
}

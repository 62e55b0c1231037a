package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
)

// A job enqueued with a unique key runs once, however often it is
// enqueued; the worker runs it and records the outcome.
func ExampleWorker() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "jobs-example")
	defer os.RemoveAll(dir)
	db, _ := sqlite.Open(filepath.Join(dir, "q.db"), sqlite.Config{})
	defer db.Close()
	_ = db.Migrate(ctx)

	w, _ := jobs.NewWorker(db, jobs.WorkerConfig{PollInterval: 5 * time.Millisecond})
	ran := make(chan string, 2)
	w.Handle("greet", func(ctx context.Context, j *jobs.Job) error {
		ran <- string(j.Payload)
		return nil
	})
	for range 2 {
		ok, _ := db.EnqueueJob(ctx, jobs.New{Kind: "greet", UniqueKey: "greet:asset_1", Payload: []byte(`"hello"`)}, time.Now())
		fmt.Println("enqueued:", ok)
	}
	runCtx, stop := context.WithCancel(ctx)
	go w.Run(runCtx)
	fmt.Println("ran with", <-ran)
	stop()
	// Output:
	// enqueued: true
	// enqueued: false
	// ran with "hello"
}

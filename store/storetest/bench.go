package storetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// BenchmarkQueue measures a job queue's throughput, enqueue to completion,
// the same way for every store so that their figures compare: b.N jobs are
// enqueued by 4 producers (one EnqueueJob each, spread over queues) while a
// jobs.Worker on each of queues (Concurrency 8, claims batched up to the
// free slots, polling every 10ms, woken by the queue if it is a
// jobs.Waker) runs them with a handler that does nothing. Give it two
// handles on one store (two DBs, as two instances would have). It reports
// jobs/s, from the first enqueue to the last completion.
func BenchmarkQueue(b *testing.B, queues ...jobs.Queue) {
	if len(queues) == 0 {
		b.Fatal("storetest.BenchmarkQueue needs a queue")
	}
	n := b.N
	var completed atomic.Int64
	allDone := make(chan struct{})
	count := func() {
		if completed.Add(1) == int64(n) {
			close(allDone)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var workers []*jobs.Worker
	for _, q := range queues {
		w, err := jobs.NewWorker(counting(q, count), jobs.WorkerConfig{
			Concurrency:  8,
			PollInterval: 10 * time.Millisecond,
			Logger:       quiet,
		})
		if err != nil {
			b.Fatal(err)
		}
		w.Handle("bench", func(context.Context, *jobs.Job) error { return nil })
		workers = append(workers, w)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for _, w := range workers {
		running.Go(func() { _ = w.Run(ctx) })
	}
	const producers = 4
	errs := make(chan error, producers)
	var produced sync.WaitGroup
	for p := range producers {
		produced.Go(func() {
			for i := p; i < n; i += producers {
				q := queues[i%len(queues)]
				if _, err := q.EnqueueJob(ctx, jobs.New{Kind: "bench", Payload: []byte(fmt.Sprintf(`{"n":%d}`, i))}, time.Now()); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	produced.Wait()
	select {
	case err := <-errs:
		cancel()
		running.Wait()
		b.Fatal(err)
	default:
	}
	<-allDone
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	running.Wait()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "jobs/s")
}

// counting wraps q so that count runs after each completion it records,
// keeping q's Waker if it has one. It is an OutcomeRecorder, so the worker
// records outcomes in batches through it as it does through q.
func counting(q jobs.Queue, count func()) jobs.Queue {
	c := countingQueue{Queue: q, count: count}
	if w, ok := q.(jobs.Waker); ok {
		return countingWaker{countingQueue: c, waker: w}
	}
	return c
}

type countingQueue struct {
	jobs.Queue
	count func()
}

func (c countingQueue) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	err := c.Queue.CompleteJob(ctx, id, worker, attempt, now)
	if err == nil {
		c.count()
	}
	return err
}

// RecordOutcomes passes a batch to q's own RecordOutcomes when it has one,
// as the worker would, and counts the completions it recorded; without one
// it records them one by one, as the worker's fallback does.
func (c countingQueue) RecordOutcomes(ctx context.Context, outcomes []jobs.Outcome) ([]error, error) {
	errs := make([]error, len(outcomes))
	if r, ok := c.Queue.(jobs.OutcomeRecorder); ok {
		var err error
		if errs, err = r.RecordOutcomes(ctx, outcomes); err != nil {
			return nil, err
		}
	} else {
		for i, o := range outcomes {
			errs[i] = o.Record(ctx, c.Queue)
		}
	}
	for i, err := range errs {
		if err == nil && outcomes[i].Status == jobs.StatusCompleted {
			c.count()
		}
	}
	return errs, nil
}

type countingWaker struct {
	countingQueue
	waker jobs.Waker
}

func (c countingWaker) Wake(ctx context.Context) <-chan struct{} { return c.waker.Wake(ctx) }

// BenchmarkAssetDetails reads an asset with no documents and two
// valuations (the fixture report of the conformance suite), as GET
// /v1/assets/{id} does: "OneStatement" through the store's
// assetmint.AssetDetailsReader, "ReadTx" as the three reads of one
// assetmint.ReadTxer transaction that the Engine makes without it. Give it
// an empty store that has both capabilities.
func BenchmarkAssetDetails(b *testing.B, s assetmint.Store) {
	ctx := context.Background()
	dr, ok := s.(assetmint.AssetDetailsReader)
	rt, ok2 := s.(assetmint.ReadTxer)
	if !ok || !ok2 {
		b.Skip("the store is not an AssetDetailsReader and a ReadTxer")
	}
	if err := s.CreateBusiness(ctx, newBusiness("biz_0001")); err != nil {
		b.Fatal(err)
	}
	const assets = 100
	id := func(i int) string { return fmt.Sprintf("asset_%08d", i%assets) }
	for i := range assets {
		if err := s.CreateAsset(ctx, newAsset("biz_0001", id(i))); err != nil {
			b.Fatal(err)
		}
		for j := range 2 {
			if err := s.CreateValuation(ctx, newValuation("biz_0001", id(i), fmt.Sprintf("val_%08d_%d", i, j), t0)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("OneStatement", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if d, err := dr.AssetDetails(ctx, "biz_0001", id(i)); err != nil || d.Valuation == nil {
				b.Fatal(err, d)
			}
		}
	})
	b.Run("ReadTx", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			err := rt.InReadTx(ctx, func(tx assetmint.Tx) error {
				if _, err := tx.Asset(ctx, "biz_0001", id(i)); err != nil {
					return err
				}
				if _, err := tx.AssetDocuments(ctx, "biz_0001", id(i)); err != nil {
					return err
				}
				_, err := tx.LatestValuation(ctx, "biz_0001", id(i))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

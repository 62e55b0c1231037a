// Package jobs is AssetMint's small durable job queue: background work
// (valuation, minting, webhook delivery, servicing sweeps) stored as rows in
// the same database as the state that causes it.
//
// Why a table and not a framework: a job must be enqueued in the same
// transaction as the state change that needs it (a store's transaction
// implements Enqueuer), and one chain signer's transactions must run one at a
// time and in order even across processes (lanes). River, measured here, was
// 5-15x slower on SQLite, its SQLite driver is early, and its per-queue
// worker limit does not serialize one signer across instances; a hand-written
// queue of a few hundred lines did better (docs/jobs.md).
//
// The pieces:
//   - [New] describes a job: kind, payload, optional lane, unique key, run-at.
//   - [Queue] is what a store implements: enqueue, lease-based claim, complete,
//     retry, dead-letter, lease extension.
//   - [Worker] claims jobs and runs their [Handler]s, retrying with
//     [DefaultBackoff] (jitter only lengthens), renewing leases while a handler
//     runs, and enqueueing [Periodic] jobs once per period.
//   - [Waker] is what a queue may also implement to wake workers as soon as
//     jobs are enqueued (store/postgres does, by LISTEN/NOTIFY); without
//     it, and for any wake-up it misses, the Worker polls.
//   - [OutcomeRecorder] records outcomes in batches; a handler may also
//     record its own job's [Completion] in the transaction of its effect
//     and return [ErrRecorded], so that the two share one write.
//
// Every job runs at least once. A worker killed mid-job leaves its lease to
// expire, after which any worker claims the job again, so handlers must be
// idempotent.
//
//	w, _ := jobs.NewWorker(store, jobs.WorkerConfig{})
//	w.Handle("email.send", func(ctx context.Context, j *jobs.Job) error { ... })
//	go w.Run(ctx)
//	store.EnqueueJob(ctx, jobs.New{Kind: "email.send", Payload: payload}, time.Now())
package jobs

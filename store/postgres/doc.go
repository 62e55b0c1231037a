// Package postgres is AssetMint's cluster store: an [assetmint.Store] (and
// so a [jobs.Queue], which is also a [jobs.Waker]) in PostgreSQL, over
// jackc/pgx v5, for several instances of the engine on one database; with
// it, a [Limiter] (an auth.Limiter) and [Blobs] (an assetmint.BlobStore), so
// that rate limits and documents are shared by the instances too.
//
// It owns the schema (embedded, numbered migrations applied by
// [DB.Migrate], which holds an advisory lock so instances starting together
// apply each migration once), the mapping of records to rows, and the SQL
// that keeps the engine's rules across processes.
//
// # What holds with several instances
//
// SQLite's one writer serialized every transaction; here transactions run
// concurrently at READ COMMITTED, and each rule names what enforces it:
//
//   - Inside a transaction (DB.InTx, over inTx) every read of one record that the
//     root's Tx Locking paragraph lists (a business, client, asset,
//     document, token, loan, endpoint or delivery by its id; an asset's
//     token; an asset's loan in flight; a loan's repayment by reference)
//     locks its row until the transaction ends (SELECT ... FOR UPDATE; a
//     client's read locks the client, not its business), so a
//     read-modify-write of a loan, token or asset cannot interleave with
//     another: repayments of one loan apply one at a time, and the
//     servicing sweep and a repayment cannot both move a loan. Lists do
//     not lock, nor do reads of records never changed in place
//     (valuations, events, settings). Reads outside a transaction never
//     lock.
//   - Unique indexes stay the last line of defence: one loan in flight per
//     asset (a partial unique index), one token per asset, one delivery per
//     endpoint and event, one repayment per reference and loan. Every
//     insert of a record is INSERT ... ON CONFLICT DO NOTHING and reports ECONFLICT from
//     its row count, so a duplicate never fails the statement, which would
//     abort the whole transaction: the engine's fan-out goes on after a
//     delivery that exists. (An update that breaks a unique index,
//     UpdateLoan or MoveToken, does fail its statement; the engine ends the
//     transaction on that ECONFLICT.)
//   - A record that belongs to a parent of its business (a document,
//     valuation, token or loan on an asset, a repayment on a loan, a
//     delivery of an event to an endpoint) is inserted by INSERT ... SELECT
//     ... WHERE EXISTS (the parent in that business), which the foreign
//     keys alone cannot check; no row inserted is ENOTFOUND for the parent.
//   - An idempotency key is claimed by one statement, INSERT ... ON
//     CONFLICT DO UPDATE ... WHERE (free, expired, or its lock lapsed), so
//     of racing claims exactly one wins; its answer is stored by one
//     conditional UPDATE matching the reservation held, in the effect's
//     transaction, which a take-over waits for or defeats (ECONFLICT).
//   - A transaction that deadlocks or fails to serialize (SQLSTATE 40P01,
//     40001) is run again from the start, a few times, so fn must have no
//     effect outside the transaction (the engine's never do).
//
// The job queue (jobs.go; the comment on claimSQL gives the reasoning):
//
//   - A job is leased to one worker at a time: ClaimJobs is one statement,
//     a CTE that picks runnable jobs with SELECT ... FOR UPDATE OF j SKIP
//     LOCKED and the UPDATE that leases them, so concurrent claims never
//     lock the same row, and a row changed since the claim's snapshot is
//     re-checked on its newest version.
//   - Completing, retrying, dead-lettering and extending are fenced: one
//     UPDATE each whose WHERE names the lease (running, leased_by,
//     attempt); a worker whose lease was taken over gets ErrLeaseLost.
//   - A unique key enqueues once: the unique index on unique_key, with ON
//     CONFLICT DO NOTHING, so a duplicate never aborts the caller's
//     transaction.
//   - A lane runs one job at a time, in order: an enqueue into a lane holds
//     the lane's transaction-scoped advisory lock (pg_advisory_xact_lock)
//     from before its id is drawn until it commits, so a lane's ids are in
//     commit order and every snapshot that shows a lane's job shows the
//     older ones; the claim takes only a lane's oldest unfinished job (the
//     jobs_unfinished_lane index finds it), and only while no job of the
//     lane holds a live lease.
//   - Workers wake at once ([DB.Wake]): after a due job is enqueued (on a
//     transaction, after its commit) the DB sends pg_notify in a statement
//     of its own, coalesced, at most one every 5ms, never inside the
//     enqueue, whose commit would then wait for PostgreSQL's
//     database-wide notification lock; one LISTEN connection per DB fans it
//     out, reconnecting after failures. A wake-up is a hint: polling
//     (jobs.WorkerConfig.PollInterval) picks up whatever one misses.
//
// The valuation queue ([assetmint.ValuationQueue], valuationqueue.go): a
// claim is one UPDATE whose subquery picks rows FOR UPDATE SKIP LOCKED,
// as ClaimJobs does; extending a lease is fenced as the jobs' are; the
// take (TakeValuation) is one DELETE fenced by the lease, the attempt and
// the valuation id, in the transaction that records the report, so a
// valuation is recorded once whichever instance values it.
//
// The rate limiter ([Limiter]): each Allow is one INSERT ... ON CONFLICT DO
// UPDATE ... RETURNING on the key's row, which refills the token bucket,
// rolls the UTC day over and admits or denies in SQL on bigint columns
// under the row lock, so the instances share one exact budget per key.
// Peek is one SELECT. [Limiter.Prune], called by the host hourly, deletes
// the rows of keys gone quiet.
//
// Documents ([Blobs]): the bytes are rows of the blobs table keyed by their
// SHA-256, inserted with ON CONFLICT DO NOTHING, so a blob appears whole or
// not at all, the same bytes are stored once, and every instance serves
// what any instance stored. At most assetmint.MaxDocumentSize a blob.
//
// Wiring it into a host, in outline:
//
//	db, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"), postgres.Config{})
//	err = db.Migrate(ctx)                  // every instance may; they take turns
//	limiter := postgres.NewLimiter(db)     // the HTTP layer's auth.Limiter
//	blobs := postgres.NewBlobs(db)         // the engine's Config.Blobs
//	w.Handle("ratelimits.prune", func(ctx context.Context, _ *jobs.Job) error {
//		_, err := limiter.Prune(ctx, time.Now())
//		return err
//	})
//	w.Every(jobs.Periodic{Kind: "ratelimits.prune", Every: time.Hour})
//
// # Storage formats
//
// Times are bigint nanoseconds since the Unix epoch, UTC (NULL is the zero
// time): exact to the nanosecond, as the engine compares the times it wrote
// (an idempotency key's lock, a job's lease), for instants between the
// years 1678 and 2262 (the engine's dates are 1900 to 2200). Money, rates and ratios are
// numeric, exact at any scale. Metadata, payloads, lists, reports,
// schedules and event data are text holding JSON, so the bytes the engine
// wrote are the bytes it reads (a webhook payload is signed as stored). A
// document's declared date is text, 2006-01-02, as store/sqlite keeps it.
// Token numbers and chain ids are decimal text (a uint256 fits no integer
// type); a block number is a bigint holding the uint64's bits. Ids, and the
// other keys a list orders or pages by, are text COLLATE "C": ordered
// bytewise, as in SQLite, whatever the database's locale, so ORDER BY id is
// creation order and cursors page as in store/sqlite.
//
// # Tables and what their indexes guarantee
//
//   - businesses, clients, signing_keys, settings: the primary key; no
//     list needs more.
//   - assets: (business_id, id) pages a business's assets; (business_id,
//     status, id) pages them by status without reading the others.
//   - documents: (business_id, asset_id, id) lists an asset's documents;
//     sha256 and the partial indexes on serial_norm and vin_norm (where not
//     empty) find matching documents across businesses.
//   - valuations: (business_id, asset_id, id) lists an asset's reports and
//     finds its latest.
//   - tokens: unique asset_id (one token per asset) and unique (chain_id,
//     contract, token_number) (a contract numbers each token once);
//     (business_id, id) pages.
//   - loans: the partial unique index on asset_id where the status is in
//     flight (one loan in flight per asset, which AssetLoanInFlight reads);
//     (business_id, id), (business_id, status, id) and (status, id) page a
//     business's loans and every loan, filtered or not.
//   - repayments: the partial unique index on (loan_id, reference) where
//     reference is not empty (one repayment per loan and reference);
//     (loan_id, received_at, id) lists them in the order received.
//   - events (the outbox): (business_id, id) pages.
//   - webhook_endpoints: (business_id, id) pages and finds the enabled ones.
//   - webhook_deliveries: unique (endpoint_id, event_id) (a fan-out run
//     twice makes each delivery once); (business_id, endpoint_id, id) pages.
//   - idempotency_keys: the primary key (scope, key), one per key for the
//     cluster; created_at for pruning.
//   - chain_intents (the transaction manager's, tokenize.IntentStore):
//     unique (chain_id, signer, nonce), so two instances' managers never
//     give one nonce to two intents (CreateIntent inserts ON CONFLICT DO
//     NOTHING and reports tokenize.ErrNonceTaken, and the manager takes the
//     next); the partial unique index on (chain_id, signer, key) over the
//     states pending, mined and confirmed, so an action has one live
//     intent; UpdateIntent is one UPDATE conditional on the version read,
//     UpdateIntents one such UPDATE per intent in one transaction;
//     (chain_id, signer, nonce) where settled_at is null lists the open
//     ones. chain_attempts: primary key (intent_id, n), so of two managers
//     bumping one intent at once one records its attempt; unique hash.
//
// # Tests
//
// The conformance suite (store/storetest; the job queue's part through
// storetest.ExerciseQueue) runs against the server named by
// ASSETMINT_TEST_POSTGRES_URL, each test in a schema of its own
// ([Config.Schema]), and so does storetest.ExerciseConcurrency, with two
// DBs on one schema racing; without the variable the tests skip, saying how
// to run them (.ci/postgres starts a throwaway server). Other tests of the
// rules across instances open two DBs on one schema too. BenchmarkJobs
// measures the queue as store/sqlite's BenchmarkJobs does
// (storetest.BenchmarkQueue).
package postgres

// Package postgres is AssetMint's cluster store: an [assetmint.Store] (and
// so a [jobs.Queue]) in PostgreSQL, over jackc/pgx v5, for several
// instances of the engine on one database.
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
//
// # Tests
//
// The conformance suite (store/storetest) runs against the server named by
// ASSETMINT_TEST_POSTGRES_URL, each test in a schema of its own
// ([Config.Schema]), and so does storetest.ExerciseConcurrency, with two
// DBs on one schema racing; without the variable the tests skip, saying how
// to run them (.ci/postgres starts a throwaway server).
package postgres

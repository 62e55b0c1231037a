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
//   - Inside a transaction ([DB.InTx]) every read of one record by its id
//     (a business, client, asset, document, token, loan, endpoint,
//     delivery) locks its row until the transaction ends (SELECT ... FOR
//     UPDATE), so a read-modify-write of a loan, token or asset cannot
//     interleave with another: repayments of one loan apply one at a time,
//     and the servicing sweep and a repayment cannot both move a loan.
//     Lists do not lock. Reads outside a transaction never lock.
//   - Unique indexes stay the last line of defence: one loan in flight per
//     asset (a partial unique index), one token per asset, one delivery per
//     endpoint and event, one repayment per reference and loan.
//   - A transaction that deadlocks or fails to serialize (SQLSTATE 40P01,
//     40001) is run again from the start, a few times, so fn must have no
//     effect outside the transaction (the engine's never do).
//
// # Storage formats
//
// Times are bigint nanoseconds since the Unix epoch, UTC (NULL is the zero
// time): exact to the nanosecond, as the engine compares the times it wrote
// (an idempotency key's lock, a job's lease). Money is numeric, exact.
// Metadata, payloads and event data are text holding JSON, so the bytes the
// engine wrote are the bytes it reads (a webhook payload is signed as
// stored).
//
// # Tests
//
// The conformance suite (store/storetest) runs against the server named by
// ASSETMINT_TEST_POSTGRES_URL, each test in a schema of its own
// ([Config.Schema]); without the variable the tests skip, saying how to run
// them (.ci/postgres starts a throwaway server).
package postgres

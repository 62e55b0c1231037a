// Package sqlite is AssetMint's embedded store: an [assetmint.Store] (and
// so a [jobs.Queue]) in one SQLite file, over mattn/go-sqlite3 (cgo).
//
// It owns the schema (embedded, numbered migrations applied by
// [DB.Migrate]), the mapping of records to rows, and the SQL of the job
// queue: lease-based claims in one UPDATE ... RETURNING, fenced completion,
// unique keys and lanes; and the valuation queue ([assetmint.ValuationQueue]:
// a lean row per valuation, claimed the same way and deleted in the
// transaction that records the report).
//
// # One writer, many readers
//
// SQLite lets one connection write at a time. Many writing connections
// would queue on the file lock and fail with "database is locked" once the
// busy timeout runs out, and a transaction that reads before it writes can
// fail to upgrade at all. So a [DB] holds one writer connection, used for
// every write and every [DB.InTx] transaction (BEGIN IMMEDIATE), which
// serializes writers in the process without errors; and a small pool of
// read-only connections for reads outside transactions, which WAL mode lets
// run beside the writer. Every connection gets its settings from the DSN
// (WAL, synchronous FULL, foreign keys, busy timeout, immediate
// transactions), so none can miss them. Several processes may share one file
// and stay correct, but not under sustained write load: each process's
// committer takes the lock again as soon as it commits, so another process,
// whose busy handler polls, can wait past the busy timeout ("database is
// locked"). Run several instances on PostgreSQL (store/postgres).
//
// Inside InTx use only the transaction passed to fn: the DB's own writes
// would wait for the writer the transaction holds.
//
// # Group commit
//
// With synchronous=FULL each commit waits for an fsync. Write transactions
// that wait while the writer is busy share the next commit: one goroutine
// runs them one after another, each in a savepoint of one SQLite
// transaction, and commits once; every caller returns after that commit
// is durable. A transaction that fails (or panics) rolls back to its
// savepoint alone; if the shared transaction fails as a whole, each of its
// transactions runs again on its own, so InTx's fn must have no effect
// outside the transaction (as on PostgreSQL, which retries deadlocks).
// The DB's own writes outside InTx (CreateAsset on the DB, the job queue's
// claims and outcomes) are transactions of one statement that share
// commits too. Config.MaxGroup bounds a group; 1 turns sharing off.
//
// # Storage formats
//
// Money is decimal text (NULL for an undeclared amount), times are UTC RFC
// 3339 text with nine fractional digits (so text order is time order; NULL
// is the zero time), calendar dates are 2006-01-02 text read back at
// midnight UTC, metadata and payloads are JSON text, read back with numbers
// as [encoding/json.Number]. A valuation report is the encoding/json form of
// a [github.com/assetmint/assetmint/valuation.Report]. Documents keep their
// serial and VIN also normalized (ASCII letters and digits, upper case),
// which DocumentsMatching compares across businesses. A webhook endpoint's
// event filter is a JSON array of strings ("[]" for every event), read back
// as an empty, non-nil slice when empty or nil. A token's chain id and token
// number (a uint256) are decimal text, kept as given; its block number is an
// INTEGER holding the uint64's bits (negative in the database above
// math.MaxInt64, read back exactly). A setting's updated_at is the time
// SetSetting ran, by this process's clock.
//
// The DB is also the transaction manager's [tokenize.IntentStore] (the
// chain_intents and chain_attempts tables, outside the Engine's Tx): a
// signer's nonces are unique per chain, a key is unique among the signer's
// intents pending, mined or confirmed, and an update writes only over the
// version it read. Nonces are INTEGERs, fees decimal text, calldata and
// signed transactions BLOBs.
//
// # Usage
//
//	db, err := sqlite.Open("assetmint.db", sqlite.Config{})
//	if err != nil { ... }
//	defer db.Close()
//	if err := db.Migrate(ctx); err != nil { ... }
//	engine, err := assetmint.New(db, assetmint.Config{})
//
// The package passes the conformance suite in store/storetest.
package sqlite

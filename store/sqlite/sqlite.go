package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// Compile-time checks that DB is a whole store and its transactions are
// whole Txs.
var (
	_ assetmint.Store            = (*DB)(nil)
	_ assetmint.SigningKeyStore  = (*DB)(nil)
	_ assetmint.IdempotencyStore = (*DB)(nil)
	_ jobs.OutcomeRecorder       = (*DB)(nil)
	_ jobs.Queue                 = (*DB)(nil)
	_ assetmint.Tx               = (*tx)(nil)
	_ jobs.Enqueuer              = (*tx)(nil)
	_ assetmint.FanoutEnqueuer   = (*tx)(nil)
)

// Config holds Open's optional settings; the zero value means the defaults.
type Config struct {
	// Synchronous is SQLite's synchronous setting: "FULL" (the default)
	// makes every commit durable across a power loss; "NORMAL" is faster
	// and, in WAL mode, may lose the last commits on power loss (never on a
	// process crash) but never corrupts the database.
	Synchronous string
	// BusyTimeout is how long a connection waits for a lock held by another
	// connection (another process, or the readers during a checkpoint)
	// before failing. Default 5s.
	BusyTimeout time.Duration
	// MaxReaders is the size of the read-only connection pool used by reads
	// outside transactions. Default 4.
	MaxReaders int
	// StatementCache is how many prepared statements each connection keeps
	// for reuse. Default 64; -1 turns the cache off.
	StatementCache int
	// MaxGroup is how many write transactions may share one commit (group
	// commit: see InTx). Default DefaultMaxGroup; 1 commits each
	// transaction on its own.
	MaxGroup int
}

// Defaults used for zero Config fields.
const (
	DefaultBusyTimeout    = 5 * time.Second
	DefaultMaxReaders     = 4
	DefaultStatementCache = 64
)

func (c Config) withDefaults() (Config, error) {
	switch strings.ToUpper(c.Synchronous) {
	case "":
		c.Synchronous = "FULL"
	case "FULL", "NORMAL":
		c.Synchronous = strings.ToUpper(c.Synchronous)
	default:
		return c, fmt.Errorf("sqlite: Config.Synchronous must be FULL or NORMAL, not %q", c.Synchronous)
	}
	if c.BusyTimeout < 0 || c.MaxReaders < 0 || c.StatementCache < -1 || c.MaxGroup < 0 {
		return c, errors.New("sqlite: Config.BusyTimeout, MaxReaders, StatementCache and MaxGroup must not be negative")
	}
	if c.MaxGroup == 0 {
		c.MaxGroup = DefaultMaxGroup
	}
	if c.BusyTimeout == 0 {
		c.BusyTimeout = DefaultBusyTimeout
	}
	if c.MaxReaders == 0 {
		c.MaxReaders = DefaultMaxReaders
	}
	if c.StatementCache == 0 {
		c.StatementCache = DefaultStatementCache
	}
	return c, nil
}

// dsn is the data source name of one pool: every setting is in it, so every
// connection the pool opens has them.
func (c Config) dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", c.Synchronous)
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", strconv.FormatInt(c.BusyTimeout.Milliseconds(), 10))
	v.Set("_txlock", "immediate")
	if c.StatementCache > 0 {
		v.Set("_stmt_cache_size", strconv.Itoa(c.StatementCache))
	}
	if readOnly {
		v.Set("_query_only", "on")
	}
	return path + "?" + v.Encode()
}

// writerConnector opens the writer's connection with temp_store=MEMORY.
// Group commit runs each member in a SAVEPOINT, so SQLite keeps a
// statement journal of the pages each member changes (to roll it back
// alone); past 64 KiB it spills that journal to a temporary file, and a
// group of members that touch a few dozen pages (a job claim, a batch of
// deliveries) then costs a temporary file and a write per page, on the one
// writer, besides the WAL's. In memory it costs neither; the journal is
// gone at the transaction's end either way, so durability is the WAL's as
// before. (The DSN has no parameter for temp_store.)
type writerConnector struct{ dsn string }

var writerDriver = &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
	_, err := c.Exec("PRAGMA temp_store = MEMORY", nil)
	return err
}}

func (c writerConnector) Connect(context.Context) (driver.Conn, error) {
	return writerDriver.Open(c.dsn)
}
func (c writerConnector) Driver() driver.Driver { return writerDriver }

// DB is the SQLite store. It is safe for concurrent use.
//
// Every write, and every transaction, goes through one writer connection;
// reads outside transactions go to a pool of read-only connections, which
// WAL mode lets run beside the writer.
type DB struct {
	queries // the Tx methods: reads on readers, writes through group

	writer  *sql.DB    // one connection: SQLite has one writer at a time
	readers *sql.DB    // read-only (query_only) connections
	group   *committer // runs every write transaction on writer
	wakes   wakeHub    // the workers waiting on Wake
}

// Open opens (creating it if needed, with permissions 0600) the database
// file at path. It does not change the schema: call Migrate before use.
//
// path is a file system path; ":memory:" is refused because each pooled
// connection would get its own empty database (tests use a file in
// t.TempDir()).
func Open(path string, cfg Config) (*DB, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	switch {
	case path == "":
		return nil, errors.New("sqlite: Open needs a path")
	case path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "?"):
		return nil, fmt.Errorf("sqlite: Open needs a file path, not %q", path)
	}

	// The database is business data: a new one is readable by its owner
	// only (0600). SQLite gives the -wal and -shm files the database
	// file's permissions.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("sqlite: create %s: %w", path, err)
	}

	ctx := context.Background()
	writer := sql.OpenDB(writerConnector{cfg.dsn(path, false)})
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	// Connect the writer first: it creates the file and turns on WAL
	// before any reader looks at it.
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	readers, err := sql.Open("sqlite3", cfg.dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	readers.SetMaxOpenConns(cfg.MaxReaders)
	readers.SetMaxIdleConns(cfg.MaxReaders)
	readers.SetConnMaxLifetime(0)
	readers.SetConnMaxIdleTime(0)
	if err := readers.PingContext(ctx); err != nil {
		readers.Close()
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	db := &DB{writer: writer, readers: readers}
	db.group = newCommitter(writer, cfg.MaxGroup, db.wakes.notify)
	db.queries = queries{r: uncancelled{readers}, w: autoWriter{db.group}, due: db.wakes.notify}
	return db, nil
}

// Close lets the write transactions already waiting finish, refuses new
// ones, and closes the readers, then the writer (whose close checkpoints
// the WAL).
func (db *DB) Close() error {
	db.group.close()
	return errors.Join(db.readers.Close(), db.writer.Close())
}

// InTx runs fn in one write transaction on the writer (BEGIN IMMEDIATE). It
// commits if fn returns nil and rolls back fn's writes otherwise, returning
// fn's error unchanged; a panic in fn rolls back fn's writes and keeps
// panicking. It returns once the commit is durable (synchronous=FULL).
//
// Concurrent transactions share commits (group commit, group.go): fn runs
// in a savepoint of a transaction that other callers' functions run in
// too, one after another, and commit with. fn sees the writes of those
// before it, never those of one that failed. If the shared transaction
// fails as a whole, fn runs again in a transaction of its own, so fn must
// have no effect outside the transaction. The caller's ctx ends its wait
// for a turn, but is not passed to the statements: fn may check it.
//
// The transaction holds the one writer connection, so fn must use only its
// tx: a write through the DB inside fn would wait for the writer forever.
// Reads through tx see fn's own writes.
func (db *DB) InTx(ctx context.Context, fn func(tx assetmint.Tx) error) error {
	return db.inWriteTx(ctx, func(q dbtx) error {
		return fn(&tx{queries{r: q, w: q, due: q.(txConn).run.enqueuedDue}})
	})
}

// inWriteTx runs fn in a write transaction; see InTx.
func (db *DB) inWriteTx(ctx context.Context, fn func(q dbtx) error) error {
	return db.group.run(ctx, fn, false)
}

// tx is a transaction's view of the store: reads and writes both go through
// the *sql.Tx.
type tx struct {
	queries
}

// dbtx is what *sql.DB and *sql.Tx have in common, so each query is written
// once.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// uncancelled runs reads with a context that cannot be cancelled, after
// checking that the caller's has not ended.
//
// Why: with a context that can be cancelled, database/sql starts a
// goroutine per query to close the rows when it ends, and the driver
// another to interrupt SQLite; on this store's reads (point reads and
// pages of at most a few hundred rows by an index, microseconds each)
// those goroutines and the thread wake-ups they cause cost more than the
// read. What is lost is stopping a read midway; a context that has ended
// still fails the read before it starts.
type uncancelled struct{ q dbtx }

func (u uncancelled) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return u.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelled) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return u.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelled) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if ctx.Err() != nil {
		return u.q.QueryRowContext(ctx, query, args...) // a Row holding ctx's error
	}
	return u.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// execer runs a statement that writes.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// queries implements the Tx methods. On a DB, r is the reader pool and w
// makes each statement a write transaction of its own (autoWriter); in a
// transaction both are the transaction.
type queries struct {
	r dbtx   // reads
	w execer // writes
	// due is called when EnqueueJob has enqueued a job that is due, to
	// wake the workers (Wake): on the DB at once, in a transaction once
	// it has committed.
	due func()
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

const internalMessage = "An internal error occurred"

// internal wraps an unexpected error as EINTERNAL.
func internal(err error) error {
	return &assetmint.Error{Code: assetmint.EINTERNAL, Message: internalMessage, Err: err}
}

func notFound(thing string) error {
	return &assetmint.Error{Code: assetmint.ENOTFOUND, Message: thing + " not found"}
}

// storeError translates an error from a statement on thing ("asset"):
// no rows is ENOTFOUND, a duplicate key ECONFLICT, a missing parent (foreign
// key) ENOTFOUND for the business, anything else EINTERNAL. Records that
// belong to a parent (an asset, a loan) are inserted through insertOn
// instead.
func storeError(err error, thing string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(thing)
	}
	var ae *assetmint.Error
	if errors.As(err, &ae) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintPrimaryKey, sqlite3.ErrConstraintUnique:
			return &assetmint.Error{Code: assetmint.ECONFLICT, Message: thing + " already exists", Err: err}
		case sqlite3.ErrConstraintForeignKey:
			// Every foreign key but those of records on an asset points
			// at businesses.
			return &assetmint.Error{Code: assetmint.ENOTFOUND, Message: "business not found", Err: err}
		}
	}
	return internal(err)
}

// insertOn translates the result of an INSERT ... SELECT of thing
// ("document") that inserts only if its parent ("asset") exists in its
// business: no row inserted, or a missing parent (foreign key), is
// ENOTFOUND for the parent; a duplicate id ECONFLICT.
func insertOn(res sql.Result, err error, thing, parent string) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		return &assetmint.Error{Code: assetmint.ENOTFOUND, Message: parent + " not found", Err: err}
	}
	n, err := affected(res, err, thing)
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(parent)
	}
	return nil
}

// oneRow turns an UPDATE or DELETE that matched no row into ENOTFOUND.
func oneRow(res sql.Result, err error, thing string) error {
	if err != nil {
		return storeError(err, thing)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal(err)
	}
	if n == 0 {
		return notFound(thing)
	}
	return nil
}

// affected returns how many rows a statement changed.
func affected(res sql.Result, err error, thing string) (int, error) {
	if err != nil {
		return 0, storeError(err, thing)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, internal(err)
	}
	return int(n), nil
}

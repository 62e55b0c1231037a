package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/assetmint/assetmint"
)

// Config holds Open's optional settings; the zero value means the defaults.
type Config struct {
	// Schema is the PostgreSQL schema the store's tables live in, created
	// by Migrate if missing. Default "public". Tests give each store a
	// schema of its own.
	Schema string
	// MaxConns bounds the connection pool. Default 16.
	MaxConns int32
	// TxRetries is how many times InTx runs fn again after a deadlock or a
	// serialization failure. Default 5.
	TxRetries int
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func (c Config) withDefaults() (Config, error) {
	if c.Schema == "" {
		c.Schema = "public"
	}
	if !schemaName.MatchString(c.Schema) {
		return c, fmt.Errorf("postgres: Config.Schema %q must be a lower-case identifier", c.Schema)
	}
	if c.MaxConns < 0 || c.TxRetries < 0 {
		return c, errors.New("postgres: Config.MaxConns and TxRetries must not be negative")
	}
	if c.MaxConns == 0 {
		c.MaxConns = 16
	}
	if c.TxRetries == 0 {
		c.TxRetries = 5
	}
	return c, nil
}

// DB is the PostgreSQL store. It is safe for concurrent use, and any number
// of DBs (in one process or many) may share one database.
type DB struct {
	queries // reads and writes on the pool, outside transactions

	pool *pgxpool.Pool
	cfg  Config
	hub  wakeHub // the listening connection behind Wake (wake.go)
	// principals is the listening connection behind PrincipalEpoch
	// (principals.go).
	principals principalWatch
}

// Open connects to the database at url (a postgres:// or postgresql://
// URL, or a key=value connection string). It does not change the schema:
// call Migrate before use.
func Open(ctx context.Context, url string, cfg Config) (*DB, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pc.MaxConns = cfg.MaxConns
	pc.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	pc.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := &DB{pool: pool, cfg: cfg}
	db.queries = queries{q: pool, locking: false, enqueuedDue: db.notifyDue, changed: db.principals.moved}
	return db, nil
}

// Close stops the listener behind Wake and closes the pool's connections.
func (db *DB) Close() error {
	db.hub.close()
	db.principals.close()
	db.pool.Close()
	return nil
}

// querier is what a pool and a transaction have in common, so each query
// is written once.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// queries implements the Tx methods over q. In a transaction, locking is
// true: reads of one record by id take its row lock (forUpdate).
type queries struct {
	q       querier
	locking bool
	// enqueuedDue is called when a job that is due has been enqueued, to
	// wake the workers (wake.go): on the pool it notifies at once; in a
	// transaction it notes that the commit must.
	enqueuedDue func()
	// changed is called when a client, a business or the signing keys
	// changed (principals.go): on the pool it moves this DB's epoch at
	// once; in a transaction it notes that the commit must.
	changed func()
}

// forUpdate is what a read of one row by id appends: a row lock inside a
// transaction, nothing outside.
func (q queries) forUpdate() string {
	if q.locking {
		return " FOR UPDATE"
	}
	return ""
}

// tx is a transaction's view of the store.
type tx struct {
	queries
}

// InTx runs fn in one transaction (READ COMMITTED). It commits if fn
// returns nil and rolls back otherwise, returning fn's error unchanged; a
// panic in fn rolls back and keeps panicking. Reads of one record by id
// through the tx lock its row (see the package doc). A transaction that
// deadlocks or fails to serialize is run again from the start, up to
// Config.TxRetries times, so fn must have no effect outside the
// transaction.
func (db *DB) InTx(ctx context.Context, fn func(tx assetmint.Tx) error) error {
	return db.inTx(ctx, func(q queries) error { return fn(&tx{q}) })
}

// inTx is InTx over the queries of the transaction.
func (db *DB) inTx(ctx context.Context, fn func(q queries) error) error {
	for attempt := 0; ; attempt++ {
		err := db.once(ctx, fn)
		if !retryable(err) || attempt >= db.cfg.TxRetries {
			return err
		}
		// Back off a little, at random, so the two transactions that
		// collided do not collide again.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(1+rand.IntN(10*(attempt+1))) * time.Millisecond):
		}
	}
}

func (db *DB) once(ctx context.Context, fn func(q queries) error) (err error) {
	t, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return internal(err)
	}
	done := false
	defer func() {
		if !done {
			// After an error or during a panic.
			_ = t.Rollback(context.WithoutCancel(ctx))
		}
	}()
	wake, changed := false, false
	if err := fn(queries{q: t, locking: true, enqueuedDue: func() { wake = true }, changed: func() { changed = true }}); err != nil {
		return err
	}
	done = true
	if err := t.Commit(ctx); err != nil {
		return internal(err)
	}
	if wake {
		db.notifyDue() // the jobs are visible now
	}
	if changed {
		db.principals.moved() // the other instances hear of it through the NOTIFY it sent
	}
	return nil
}

// retryable reports whether err is a deadlock or a serialization failure,
// after which the whole transaction may be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

const internalMessage = "An internal error occurred"

// internal wraps an unexpected error as EINTERNAL.
func internal(err error) error {
	var ae *assetmint.Error
	if errors.As(err, &ae) {
		return err
	}
	return &assetmint.Error{Code: assetmint.EINTERNAL, Message: internalMessage, Err: err}
}

func notFound(thing string) error {
	return &assetmint.Error{Code: assetmint.ENOTFOUND, Message: thing + " not found"}
}

// storeError translates an error from a statement on thing ("asset"): no
// rows is ENOTFOUND, a unique violation ECONFLICT, a foreign key violation
// ENOTFOUND for the business, anything else EINTERNAL. A deadlock or
// serialization failure stays as it is, so InTx can retry.
func storeError(err error, thing string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(thing)
	}
	var ae *assetmint.Error
	if errors.As(err, &ae) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &assetmint.Error{Code: assetmint.ECONFLICT, Message: thing + " already exists", Err: err}
		case "23503": // foreign_key_violation
			return &assetmint.Error{Code: assetmint.ENOTFOUND, Message: "business not found", Err: err}
		case "40P01", "40001":
			return err
		}
	}
	return internal(err)
}

// oneRow turns an UPDATE or DELETE that matched no row into ENOTFOUND.
func oneRow(tag pgconn.CommandTag, err error, thing string) error {
	if err != nil {
		return storeError(err, thing)
	}
	if tag.RowsAffected() == 0 {
		return notFound(thing)
	}
	return nil
}

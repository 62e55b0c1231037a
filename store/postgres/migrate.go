package postgres

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/assetmint/assetmint/internal/migrations"
)

// migrationFiles are the schema changes, applied in the order of their
// numbers. Never edit one that has shipped: add the next number.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// schemaChanges reads the embedded migrations in order.
func schemaChanges() ([]migrations.Migration, error) {
	ms, err := migrations.Read(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", "postgres", err)
	}
	return ms, nil
}

// migrateLock is the advisory lock key Migrate holds: instances that start
// together migrate one after the other, and each migration is applied once.
const migrateLock = 0x61737365746d696e // "assetmin"

// Migrate brings the schema up to date: it creates Config.Schema if
// missing and applies, in order, each embedded migration not yet recorded
// in its schema_migrations table, each in one transaction with its record.
// It holds a session advisory lock for the whole run, so several instances
// starting at once apply each migration exactly once; running it again is a
// no-op.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := schemaChanges()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLock)) //nolint:errcheck // the session's end releases it too
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+db.cfg.Schema); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at bigint NOT NULL
	)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, m := range ms {
		t, err := conn.Begin(ctx)
		if err != nil {
			return fmt.Errorf("postgres: migrate %s: %w", m.Name, err)
		}
		var n int
		err = t.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n)
		if err == nil && n == 0 {
			if _, err = t.Exec(ctx, m.SQL); err == nil {
				_, err = t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
					m.Version, m.Name, time.Now().UnixNano())
			}
		}
		if err == nil {
			err = t.Commit(ctx)
		}
		if err != nil {
			_ = t.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("postgres: migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

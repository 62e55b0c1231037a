package sqlite

import (
	"context"
	"embed"
	"fmt"

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
		return nil, fmt.Errorf("%s: %w", "sqlite", err)
	}
	return ms, nil
}

// Migrate brings the schema up to date: it applies, in order, each embedded
// migration not yet recorded in the schema_migrations table, each in its own
// transaction together with its record. Running it again is a no-op, and
// concurrent runs (several processes starting at once) apply each
// migration once.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := schemaChanges()
	if err != nil {
		return err
	}
	if err := db.group.run(ctx, func(q dbtx) error {
		_, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`)
		return err
	}, true); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, m := range ms {
		// Alone in its transaction: a schema change shares no commit.
		err := db.group.run(ctx, func(q dbtx) error {
			// Checked inside the write transaction, so that of two
			// processes migrating at once only the first applies it.
			var n int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := q.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at)
				VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`, m.Version, m.Name)
			return err
		}, true)
		if err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// testURL is the server the tests use: ASSETMINT_TEST_POSTGRES_URL. Without
// it they skip, unless ASSETMINT_REQUIRE_POSTGRES=1 (CI), which makes its
// absence a failure.
func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("ASSETMINT_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("ASSETMINT_REQUIRE_POSTGRES") == "1" {
			t.Fatal("ASSETMINT_TEST_POSTGRES_URL is not set, and ASSETMINT_REQUIRE_POSTGRES=1 requires PostgreSQL")
		}
		t.Skip("skipped: set ASSETMINT_TEST_POSTGRES_URL to a PostgreSQL database to run the PostgreSQL store tests " +
			"(eval \"$(.ci/postgres start /tmp/pg)\" starts a throwaway server)")
	}
	return url
}

// open returns a migrated DB in a schema of its own, dropped at the end of
// the test.
func open(t testing.TB, cfg Config) *DB {
	t.Helper()
	url := testURL(t)
	if cfg.Schema == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		cfg.Schema = "t_" + hex.EncodeToString(b[:])
	}
	ctx := context.Background()
	db, err := Open(ctx, url, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = db.pool.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+cfg.Schema+` CASCADE`)
		require.NoError(t, db.Close())
	})
	require.NoError(t, db.Migrate(ctx))
	return db
}

// Instances starting together migrate once, under the advisory lock.
func TestMigrateConcurrently(t *testing.T) {
	first := open(t, Config{})
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := Open(ctx, testURL(t), Config{Schema: first.cfg.Schema})
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			errs <- db.Migrate(ctx)
		}()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
	ms, err := schemaChanges()
	require.NoError(t, err)
	var n int
	require.NoError(t, first.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n))
	require.Equal(t, len(ms), n, "each migration recorded once")
}

// another returns a second DB on db's schema, as another instance of the
// engine would have, closed at the end of the test (before db's schema is
// dropped).
func another(t testing.TB, db *DB) *DB {
	t.Helper()
	cfg := db.cfg
	other, err := Open(context.Background(), testURL(t), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Close()) })
	return other
}

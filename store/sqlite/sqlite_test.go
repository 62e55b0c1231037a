package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/storetest"
)

// open returns a migrated DB in a fresh file, closed at the end of the
// test.
func open(t testing.TB, cfg Config) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "test.db"), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	require.NoError(t, db.Migrate(context.Background()))
	return db
}

func TestConformance(t *testing.T) {
	storetest.Exercise(t, func(t *testing.T) assetmint.Store { return open(t, Config{}) })
}

// TestPrincipals runs two Engines over two DBs on one file, as two
// processes would.
func TestPrincipals(t *testing.T) {
	storetest.ExercisePrincipals(t, true, twoOnOneFile)
}

// TestConcurrency races two DBs on one file, as two processes would: each
// has its own writer, and BEGIN IMMEDIATE serializes their transactions.
func TestConcurrency(t *testing.T) {
	storetest.ExerciseConcurrency(t, twoOnOneFile)
}

// twoOnOneFile opens two migrated DBs on one file, as two processes would.
func twoOnOneFile(t *testing.T) (assetmint.Store, assetmint.Store) {
	path := filepath.Join(t.TempDir(), "test.db")
	var dbs [2]*DB
	for i := range dbs {
		db, err := Open(path, Config{})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, db.Close()) })
		require.NoError(t, db.Migrate(t.Context()))
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// pragmas reads the connection settings the DSN must set.
type pragmas struct {
	JournalMode string
	Synchronous int
	ForeignKeys int
	BusyTimeout int
	QueryOnly   int
}

func readPragmas(t *testing.T, conn interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) pragmas {
	t.Helper()
	var p pragmas
	for q, dst := range map[string]any{
		"PRAGMA journal_mode": &p.JournalMode,
		"PRAGMA synchronous":  &p.Synchronous,
		"PRAGMA foreign_keys": &p.ForeignKeys,
		"PRAGMA busy_timeout": &p.BusyTimeout,
		"PRAGMA query_only":   &p.QueryOnly,
	} {
		require.NoError(t, conn.QueryRowContext(t.Context(), q).Scan(dst), q)
	}
	return p
}

func TestEveryConnectionHasTheSettings(t *testing.T) {
	cases := []struct {
		name      string
		cfg       Config
		sync      int
		busyMilli int
	}{
		{"defaults", Config{}, 2, 5000},
		{"normal, 2s", Config{Synchronous: "NORMAL", BusyTimeout: 2 * time.Second}, 1, 2000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t, tc.cfg)
			want := pragmas{JournalMode: "wal", Synchronous: tc.sync, ForeignKeys: 1, BusyTimeout: tc.busyMilli}

			w, err := db.writer.Conn(t.Context())
			require.NoError(t, err)
			require.Equal(t, want, readPragmas(t, w), "writer")
			require.NoError(t, w.Close())

			// Hold every reader at once, so each is a different connection.
			want.QueryOnly = 1
			var readers []*sql.Conn
			for range DefaultMaxReaders {
				r, err := db.readers.Conn(t.Context())
				require.NoError(t, err)
				readers = append(readers, r)
			}
			for i, r := range readers {
				require.Equal(t, want, readPragmas(t, r), "reader %d", i)
				_, err := r.ExecContext(t.Context(), `INSERT INTO signing_keys (id, secret, created_at) VALUES ('k', x'00', 'now')`)
				require.Error(t, err, "readers cannot write")
			}
			for _, r := range readers {
				require.NoError(t, r.Close())
			}
		})
	}
}

func TestOpenRefusesBadInput(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:test.db?mode=memory&cache=shared", "test.db?_fk=off"} {
		_, err := Open(path, Config{})
		require.Error(t, err, "path %q", path)
	}
	dir := t.TempDir()
	for _, cfg := range []Config{{Synchronous: "OFF"}, {BusyTimeout: -1}, {MaxReaders: -1}, {StatementCache: -2}} {
		_, err := Open(filepath.Join(dir, "x.db"), cfg)
		require.Error(t, err, "config %+v", cfg)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := Open(path, Config{})
	require.NoError(t, err)
	require.NoError(t, db.Migrate(t.Context()))
	require.NoError(t, db.CreateBusiness(t.Context(), &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer",
		CreatedAt: time.Now(), UpdatedAt: time.Now()}))
	require.NoError(t, db.Migrate(t.Context()), "a second run is a no-op")
	require.NoError(t, db.Close())

	db, err = Open(path, Config{})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Migrate(t.Context()), "and so is a run after reopening")
	_, err = db.Business(t.Context(), "biz_0001")
	require.NoError(t, err, "data survives")

	ms, err := schemaChanges()
	require.NoError(t, err)
	var n int
	require.NoError(t, db.readers.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n))
	require.Equal(t, len(ms), n, "each migration recorded once")
}

// TestConcurrentClaims claims from many goroutines over two DBs on one file
// (as two processes would): every job is leased exactly once.
func TestConcurrentClaims(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	var dbs []*DB
	for range 2 {
		db, err := Open(path, Config{})
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		require.NoError(t, db.Migrate(t.Context()))
		dbs = append(dbs, db)
	}
	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	const total = 300
	for i := range total {
		lane := ""
		if i%10 == 0 {
			lane = fmt.Sprintf("lane-%d", i%3) // some lane jobs mixed in
		}
		ok, err := dbs[i%2].EnqueueJob(t.Context(), jobs.New{Kind: "task", Lane: lane}, now)
		require.NoError(t, err)
		require.True(t, ok)
	}

	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			db := dbs[g%2]
			worker := fmt.Sprintf("w%d", g)
			idle := 0
			for idle < 3 { // lane jobs appear as their predecessors complete
				got, err := db.ClaimJobs(context.Background(), jobs.Claim{Worker: worker, Kinds: []string{"task"}, Limit: 3, Lease: time.Hour, Now: now})
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					idle++
					time.Sleep(5 * time.Millisecond)
					continue
				}
				idle = 0
				for _, j := range got {
					mu.Lock()
					claimed[j.ID]++
					mu.Unlock()
					if err := db.CompleteJob(context.Background(), j.ID, worker, j.Attempt, now); err != nil {
						errs <- fmt.Errorf("complete %d: %w", j.ID, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, claimed, total, "every job claimed")
	for id, n := range claimed {
		require.Equal(t, 1, n, "job %d claimed %d times", id, n)
	}
}

// TestTimeTextSorts checks the stored time form sorts as time does, which
// the claim query's run_at <= now relies on.
func TestTimeTextSorts(t *testing.T) {
	base := time.Date(2025, 3, 14, 9, 0, 5, 0, time.UTC)
	times := []time.Time{base, base.Add(time.Nanosecond), base.Add(100 * time.Millisecond), base.Add(time.Second)}
	for i := 1; i < len(times); i++ {
		a, b := timeArg(times[i-1]).(string), timeArg(times[i]).(string)
		require.Less(t, a, b)
	}
}

// TestInTxBeginsImmediate checks InTx takes the write lock at BEGIN
// (_txlock=immediate): another connection cannot write while it is open,
// even before the transaction has written anything.
func TestInTxBeginsImmediate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := Open(path, Config{})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Migrate(t.Context()))
	other, err := Open(path, Config{BusyTimeout: time.Millisecond})
	require.NoError(t, err)
	defer other.Close()

	require.NoError(t, db.InTx(t.Context(), func(tx assetmint.Tx) error {
		now := time.Now()
		err := other.CreateBusiness(t.Context(), &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer", CreatedAt: now, UpdatedAt: now})
		require.Error(t, err, "the open transaction holds the write lock")
		require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err))
		_, err = other.Businesses(t.Context(), assetmint.ListParams{Limit: 10})
		require.NoError(t, err, "readers are not blocked")
		return nil
	}))
}

// TestWebhookEventsNeverNil checks the documented form of an endpoint's
// empty event filter: stored as "[]", read back as an empty, non-nil slice
// whether it was written nil or empty.
func TestWebhookEventsNeverNil(t *testing.T) {
	db := open(t, Config{})
	ctx := t.Context()
	now := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	require.NoError(t, db.CreateBusiness(ctx, &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer", CreatedAt: now, UpdatedAt: now}))
	for id, events := range map[string][]string{"we_0001": nil, "we_0002": {}} {
		require.NoError(t, db.CreateWebhookEndpoint(ctx, &assetmint.WebhookEndpoint{ID: id, BusinessID: "biz_0001",
			URL: "https://example.com/h", Events: events, Secret: "whsec_x", Status: assetmint.EndpointEnabled, CreatedAt: now, UpdatedAt: now}))
		var stored string
		require.NoError(t, db.readers.QueryRowContext(ctx, `SELECT events FROM webhook_endpoints WHERE id = ?`, id).Scan(&stored))
		require.Equal(t, "[]", stored)
		w, err := db.WebhookEndpoint(ctx, "biz_0001", id)
		require.NoError(t, err)
		require.NotNil(t, w.Events, id)
		require.Empty(t, w.Events, id)
	}
	ws, err := db.EnabledWebhookEndpoints(ctx, "biz_0001")
	require.NoError(t, err)
	for _, w := range ws {
		require.NotNil(t, w.Events, w.ID)
	}
}

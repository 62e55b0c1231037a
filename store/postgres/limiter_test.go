package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint/auth"
)

// The limits the oracle test draws from: plans, rates that do not divide a
// minute, a daily quota smaller than the minute's, and the largest rate
// the arithmetic allows.
var oracleLimits = []auth.Limits{
	auth.PlanDeveloper.Limits(),
	auth.PlanBusiness.Limits(),
	{PerMinute: 1},
	{PerMinute: 2, PerDay: 3},
	{PerMinute: 7, PerDay: 20},
	{PerMinute: 60, PerDay: 5},
	{PerMinute: 1000},
	{PerMinute: int(auth.MaxPerMinute), PerDay: 2},
}

// Random sequences of requests (keys, limits that change between
// requests as a plan would, time steps forwards, none, backwards, across
// UTC midnights) get the same Decisions from the Limiter as from
// auth.MemoryLimiter, the oracle, by Allow and by Peek.
func TestLimiterMatchesMemoryLimiter(t *testing.T) {
	db := open(t, Config{})
	pg := NewLimiter(db)
	ctx := context.Background()
	var run atomic.Int64
	rapid.Check(t, func(rt *rapid.T) {
		// A MemoryLimiter per key: MemoryLimiter forgets a key whose state
		// is a fresh key's at the time of another key's request, which is
		// exact only while time never goes backwards across keys, and
		// this test sends earlier times on purpose. The Limiter forgets
		// keys only when pruned.
		mems := map[string]*auth.MemoryLimiter{}
		prefix := fmt.Sprintf("run%d:", run.Add(1)) // a fresh set of keys for each run
		starts := []time.Time{
			time.Date(2026, 3, 14, 23, 58, 30, 0, time.UTC),
			time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC),
			time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC), // days before the epoch
		}
		now := rapid.SampledFrom(starts).Draw(rt, "start")
		steps := rapid.IntRange(1, 60).Draw(rt, "steps")
		for i := range steps {
			key := prefix + rapid.SampledFrom([]string{"a", "b", "c"}).Draw(rt, "key")
			limits := rapid.SampledFrom(oracleLimits).Draw(rt, "limits")
			switch rapid.IntRange(0, 11).Draw(rt, "step kind") {
			case 0: // the same instant
			case 1:
				now = now.Add(time.Nanosecond)
			case 10: // the edges of a full refill
				now = now.Add(time.Minute)
			case 11:
				now = now.Add(time.Minute - time.Nanosecond)
			case 2:
				now = now.Add(-time.Duration(rapid.Int64Range(1, int64(10*time.Second)).Draw(rt, "back")))
			case 3:
				now = now.Add(time.Duration(rapid.Int64Range(int64(time.Hour), int64(50*time.Hour)).Draw(rt, "jump")))
			default:
				now = now.Add(time.Duration(rapid.Int64Range(0, int64(90*time.Second)).Draw(rt, "step")))
			}
			mem := mems[key]
			if mem == nil {
				mem = auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
				mems[key] = mem
			}
			peek := rapid.IntRange(0, 3).Draw(rt, "peek") == 0
			var want, got auth.Decision
			var err error
			if peek {
				want, err = mem.Peek(ctx, key, limits, now)
				require.NoError(rt, err)
				got, err = pg.Peek(ctx, key, limits, now)
			} else {
				want, err = mem.Allow(ctx, key, limits, now)
				require.NoError(rt, err)
				got, err = pg.Allow(ctx, key, limits, now)
			}
			require.NoError(rt, err)
			require.Equal(rt, want, got, "step %d: %s %s with %+v at %s", i, map[bool]string{true: "Peek", false: "Allow"}[peek],
				key, limits, now.Format(time.RFC3339Nano))
		}
	})
}

// Limits that fail Validate are refused before any I/O, as MemoryLimiter's.
func TestLimiterRefusesInvalidLimits(t *testing.T) {
	pg := NewLimiter(open(t, Config{}))
	for _, l := range []auth.Limits{{}, {PerMinute: -1}, {PerMinute: 1, PerDay: -1}, {PerMinute: int(auth.MaxPerMinute) + 1}} {
		_, err := pg.Allow(t.Context(), "k", l, time.Now())
		require.ErrorIs(t, err, auth.ErrInvalidLimits)
		_, err = pg.Peek(t.Context(), "k", l, time.Now())
		require.ErrorIs(t, err, auth.ErrInvalidLimits)
	}
}

// Eight goroutines on each of two DBs (two instances) hammer one key at
// one instant: exactly the minute's allowance is admitted.
func TestLimiterIsExactUnderConcurrency(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	limits := auth.PlanDeveloper.Limits() // 60 a minute
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	var admitted, denied atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for _, db := range []*DB{a, b} {
		l := NewLimiter(db)
		for range 8 {
			wg.Go(func() {
				for range 25 {
					d, err := l.Allow(t.Context(), "cli_hammered", limits, now)
					if err != nil {
						errs <- err
						return
					}
					if d.Allowed {
						admitted.Add(1)
					} else {
						denied.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(60), admitted.Load())
	require.Equal(t, int64(16*25-60), denied.Load())
}

// The daily quota runs out, and a new one starts at UTC midnight, as
// MemoryLimiter's (the oracle checks every Decision too).
func TestLimiterDailyQuotaAcrossMidnight(t *testing.T) {
	pg := NewLimiter(open(t, Config{}))
	mem := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	ctx := t.Context()
	l := auth.Limits{PerMinute: 10, PerDay: 30}
	allow := func(now time.Time) auth.Decision {
		t.Helper()
		want, err := mem.Allow(ctx, "cli_1", l, now)
		require.NoError(t, err)
		got, err := pg.Allow(ctx, "cli_1", l, now)
		require.NoError(t, err)
		require.Equal(t, want, got, "at %s", now.Format(time.RFC3339Nano))
		return got
	}
	start := time.Date(2026, 3, 14, 23, 56, 0, 0, time.UTC)
	midnight := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

	// One request every 6s keeps the minute bucket full (10 a minute); the
	// day's 30 run out at 23:58:54.
	now := start
	for i := range 30 {
		now = start.Add(time.Duration(i) * 6 * time.Second)
		d := allow(now)
		require.True(t, d.Allowed, "request %d", i+1)
	}
	now = now.Add(6 * time.Second)
	require.Equal(t, auth.Decision{
		Code:       auth.CodeDailyQuotaExceeded,
		Limit:      30,
		Reset:      midnight,
		RetryAfter: time.Minute,
	}, allow(now))
	require.False(t, allow(midnight.Add(-time.Nanosecond)).Allowed)

	// Midnight starts a new day, with the whole minute's burst: the
	// denials consumed nothing.
	for i := range 10 {
		d := allow(midnight)
		require.True(t, d.Allowed, "request %d after midnight", i+1)
		require.Equal(t, 9-i, d.Remaining)
	}
	d := allow(midnight)
	require.Equal(t, auth.CodeRateLimitExceeded, d.Code)
	require.Equal(t, 6*time.Second, d.RetryAfter)
}

// Peek creates no row and changes none; Prune forgets only keys whose
// state is a fresh key's, so Decisions after it are unchanged.
func TestLimiterPeekAndPrune(t *testing.T) {
	db := open(t, Config{})
	pg := NewLimiter(db)
	mem := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	ctx := t.Context()
	rows := func() int {
		var n int
		require.NoError(t, db.pool.QueryRow(ctx, `SELECT count(*) FROM rate_limits`).Scan(&n))
		return n
	}
	l := auth.Limits{PerMinute: 5, PerDay: 2}
	both := func(key string, now time.Time) auth.Decision {
		t.Helper()
		want, err := mem.Allow(ctx, key, l, now)
		require.NoError(t, err)
		got, err := pg.Allow(ctx, key, l, now)
		require.NoError(t, err)
		require.Equal(t, want, got, "%s at %s", key, now.Format(time.RFC3339Nano))
		return got
	}
	t0 := time.Date(2026, 3, 14, 23, 59, 30, 0, time.UTC)
	midnight := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

	d, err := pg.Peek(ctx, "quiet", l, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	require.Zero(t, rows(), "Peek creates no row")

	both("old", t0)
	for range 3 {
		d, err := pg.Peek(ctx, "old", l, t0)
		require.NoError(t, err)
		require.Equal(t, auth.Decision{Allowed: true, Limit: 2, Reset: midnight}, d, "the day's second request, imagined")
	}
	both("today", midnight)
	both("recent", t0)
	both("recent", midnight.Add(31*time.Second))

	// At 00:01:30 "old" is a fresh key (quiet for a minute, its day
	// over); "today" has refilled its minute but its day still counts;
	// "recent" has not refilled.
	pruneAt := midnight.Add(90 * time.Second)
	n, err := pg.Prune(ctx, pruneAt)
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the fresh key")
	require.Equal(t, 2, rows())
	for _, key := range []string{"old", "today", "recent"} {
		both(key, pruneAt)
	}
	d = both("today", pruneAt)
	require.Equal(t, auth.CodeDailyQuotaExceeded, d.Code, "the day's count was kept")
}

// Edge cases drawn rarely at random, checked against MemoryLimiter: a plan
// downgrade leaves a deficit above the new capacity, which is capped, and
// a full minute (not a nanosecond less) refills all of it; a now earlier
// than the latest seen counts as the latest.
func TestLimiterEdges(t *testing.T) {
	high, low, daily := auth.Limits{PerMinute: 1000}, auth.Limits{PerMinute: 1}, auth.Limits{PerMinute: 1, PerDay: 1}
	t0 := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	type req struct {
		peek   bool
		limits auth.Limits
		at     time.Duration // after t0
	}
	downgrade := []req{{false, high, 0}, {false, high, 0}, {false, high, 0}}
	cases := map[string][]req{
		"downgrade, a minute later, Peek":      append(downgrade, req{true, low, time.Minute}),
		"downgrade, a minute later, Allow":     append(downgrade, req{false, low, time.Minute}),
		"downgrade, 1ns short, Peek":           append(downgrade, req{true, low, time.Minute - 1}),
		"downgrade, 1ns short, Allow":          append(downgrade, req{false, low, time.Minute - 1}),
		"earlier than the latest seen, Peek":   {{false, low, time.Second}, {true, low, 0}, {true, low, time.Minute}},
		"earlier than the latest seen, Allow":  {{false, low, time.Second}, {false, low, 0}, {false, low, time.Minute}},
		"a new day, then an earlier now, Peek": {{false, daily, 0}, {false, daily, 15 * time.Hour}, {true, daily, 14 * time.Hour}},
	}
	db := open(t, Config{})
	pg := NewLimiter(db)
	i := 0
	for name, reqs := range cases {
		i++
		key := fmt.Sprintf("case%d", i)
		mem := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
		for j, r := range reqs {
			call := func(l auth.Limiter) auth.Decision {
				f := l.Allow
				if r.peek {
					f = l.Peek
				}
				d, err := f(t.Context(), key, r.limits, t0.Add(r.at))
				require.NoError(t, err)
				return d
			}
			require.Equal(t, call(mem), call(pg), "%s: request %d", name, j+1)
		}
	}
}

// TestAllowCommitsWithoutWaitingForTheFlush checks what Allow's batch
// relies on: its statements run in one transaction, in which
// synchronous_commit is off, and the setting ends with it (the pooled
// connection's next statement commits durably again).
func TestAllowCommitsWithoutWaitingForTheFlush(t *testing.T) {
	db := open(t, Config{MaxConns: 1}) // one connection: the statements after the batch run on its
	ctx := t.Context()
	var inBatch string
	b := asyncCommit()
	b.Queue(`SELECT current_setting('synchronous_commit')`).QueryRow(func(row pgx.Row) error { return row.Scan(&inBatch) })
	require.NoError(t, db.pool.SendBatch(ctx, b).Close())
	require.Equal(t, "off", inBatch)
	var after string
	require.NoError(t, db.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&after))
	require.Equal(t, "on", after, "the setting outlived the batch's transaction")
	_, err := NewLimiter(db).Allow(ctx, "k", auth.Limits{PerMinute: 1}, time.Now())
	require.NoError(t, err)
	require.NoError(t, db.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&after))
	require.Equal(t, "on", after, "the setting outlived Allow's transaction")
}

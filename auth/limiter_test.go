package auth_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

var (
	developer  = auth.PlanDeveloper.Limits()
	business   = auth.PlanBusiness.Limits()
	enterprise = auth.PlanEnterprise.Limits()
)

// setupLimiter returns a fresh limiter and a helper that asks it about key at now.
func setupLimiter(t testing.TB, cfg auth.MemoryLimiterConfig) (*auth.MemoryLimiter, func(key string, l auth.Limits, now time.Time) auth.Decision) {
	t.Helper()
	m := auth.NewMemoryLimiter(cfg)
	return m, func(key string, l auth.Limits, now time.Time) auth.Decision {
		t.Helper()
		d, err := m.Allow(context.Background(), key, l, now)
		require.NoError(t, err)
		return d
	}
}

// admitted calls allow until it is denied (or max calls are made) and returns how many were admitted.
func admitted(allow func(string, auth.Limits, time.Time) auth.Decision, key string, l auth.Limits, now time.Time, max int) int {
	for n := 0; n < max; n++ {
		if !allow(key, l, now).Allowed {
			return n
		}
	}
	return max
}

func TestLimiterBurst(t *testing.T) {
	tests := []struct {
		name       string
		limits     auth.Limits
		retryAfter time.Duration // 60 s / PerMinute: one token's refill
	}{
		{"developer", developer, time.Second},
		{"business", business, 200 * time.Millisecond},
		{"enterprise", enterprise, 60 * time.Millisecond},
		{"7 per minute", auth.Limits{PerMinute: 7}, 60 * time.Second / 7}, // 8.571428571s, rounded down
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
			for i := range tt.limits.PerMinute {
				d := allow("cli_1", tt.limits, t0)
				require.True(t, d.Allowed, "request %d of the burst", i+1)
				require.Empty(t, d.Code)
				require.Equal(t, tt.limits.PerMinute, d.Limit)
				require.Equal(t, tt.limits.PerMinute-1-i, d.Remaining)
				require.Zero(t, d.RetryAfter)
			}
			d := allow("cli_1", tt.limits, t0)
			require.False(t, d.Allowed)
			require.Equal(t, auth.CodeRateLimitExceeded, d.Code)
			require.Equal(t, tt.limits.PerMinute, d.Limit)
			require.Zero(t, d.Remaining)
			require.True(t, t0.Add(time.Minute).Equal(d.Reset), "reset %v", d.Reset)
			require.InDelta(t, tt.retryAfter, d.RetryAfter, 1) // exact up to the nanosecond rounding up
			require.GreaterOrEqual(t, d.RetryAfter, tt.retryAfter)

			// Retry-After is honest: a request just before it is denied, one at it is admitted.
			require.False(t, allow("cli_1", tt.limits, t0.Add(d.RetryAfter-time.Nanosecond)).Allowed)
			require.True(t, allow("cli_1", tt.limits, t0.Add(d.RetryAfter)).Allowed)
		})
	}
}

func TestLimiterDeveloperRetryAfterHeader(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	require.Equal(t, 60, admitted(allow, "cli_1", developer, t0, 1000))
	d := allow("cli_1", developer, t0)
	require.False(t, d.Allowed)
	require.Equal(t, time.Second, d.RetryAfter)
	require.Equal(t, 1, auth.RetryAfterSeconds(d.RetryAfter))
}

func TestLimiterNoDoubleAllowanceAcrossMinute(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	start := time.Date(2026, 3, 14, 12, 0, 59, 0, time.UTC) // :59 of one minute
	require.Equal(t, 60, admitted(allow, "cli_1", developer, start, 1000))

	// A fixed window would hand out another 60 at 12:01:00; the bucket has refilled only 2 s worth.
	require.Equal(t, 2, admitted(allow, "cli_1", developer, start.Add(2*time.Second), 1000))
}

func TestLimiterRefill(t *testing.T) {
	tests := []struct {
		name  string
		after time.Duration
		want  int
	}{
		{"nothing yet", 999 * time.Millisecond, 0},
		{"one token a second", time.Second, 1},
		{"half a minute", 30 * time.Second, 30},
		{"half a minute and a bit", 30*time.Second + 500*time.Millisecond, 30},
		{"a full minute", time.Minute, 60},
		{"never more than the capacity", 10 * time.Minute, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
			require.Equal(t, 60, admitted(allow, "cli_1", developer, t0, 1000))
			require.Equal(t, tt.want, admitted(allow, "cli_1", developer, t0.Add(tt.after), 1000))
		})
	}
}

// TestLimiterNoDrift runs a rate that does not divide a minute (7/min, a token every 8.571428…s) for
// ten minutes, greedily, in steps that share no factor with it: exactly 7 + floor(7·T/60s) requests
// may pass by time T, not one more or less.
func TestLimiterNoDrift(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	l := auth.Limits{PerMinute: 7}
	total, now := 0, t0
	for elapsed := time.Duration(0); elapsed <= 10*time.Minute; elapsed += 137 * time.Millisecond {
		now = t0.Add(elapsed)
		total += admitted(allow, "cli_1", l, now, 100)
		require.Equal(t, 7+int(7*elapsed/time.Minute), total, "at %v", elapsed)
	}
}

func TestLimiterRemainingAndReset(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	d := allow("cli_1", developer, t0)
	require.Equal(t, auth.Decision{Allowed: true, Limit: 60, Remaining: 59, Reset: t0.Add(time.Second)}, d)

	d = allow("cli_1", developer, t0.Add(500*time.Millisecond))
	require.Equal(t, auth.Decision{Allowed: true, Limit: 60, Remaining: 58, Reset: t0.Add(2 * time.Second)}, d)
}

func TestLimiterTightestWindow(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	l := auth.Limits{PerMinute: 10, PerDay: 3}
	midnight := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

	// The day has fewer left (2) than the minute (9): it is the one reported.
	d := allow("cli_1", l, t0)
	require.Equal(t, auth.Decision{Allowed: true, Limit: 3, Remaining: 2, Reset: midnight}, d)

	// A tie goes to the minute window.
	l = auth.Limits{PerMinute: 3, PerDay: 3}
	d = allow("cli_2", l, t0)
	require.Equal(t, auth.Decision{Allowed: true, Limit: 3, Remaining: 2, Reset: t0.Add(20 * time.Second)}, d)
}

func TestLimiterKeysAreIsolated(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	require.Equal(t, 60, admitted(allow, "cli_a", developer, t0, 1000))
	require.False(t, allow("cli_a", developer, t0).Allowed)
	require.Equal(t, 300, admitted(allow, "cli_b", business, t0, 1000))
	require.Equal(t, 60, admitted(allow, "cli_c", developer, t0, 1000))
}

func TestLimiterDailyQuota(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	start := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	midnight := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

	// One request a second keeps the minute bucket full; the day runs out after 5,000 (at 23:23:19).
	now := start
	for i := range developer.PerDay {
		now = start.Add(time.Duration(i) * time.Second)
		require.True(t, allow("cli_1", developer, now).Allowed, "request %d", i+1)
	}
	now = now.Add(time.Second)
	d := allow("cli_1", developer, now)
	require.Equal(t, auth.Decision{
		Code:       auth.CodeDailyQuotaExceeded,
		Limit:      5_000,
		Remaining:  0,
		Reset:      midnight,
		RetryAfter: midnight.Sub(now),
	}, d)
	require.Equal(t, 36*60+40, auth.RetryAfterSeconds(d.RetryAfter))

	require.False(t, allow("cli_1", developer, midnight.Add(-time.Nanosecond)).Allowed)

	// UTC midnight starts a new day, with the whole minute allowance too: the denials consumed nothing.
	require.Equal(t, 60, admitted(allow, "cli_1", developer, midnight, 1000))
}

func TestLimiterDayIsUTC(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	l := auth.Limits{PerMinute: 10, PerDay: 1}
	newYork := time.FixedZone("EST", -5*60*60)

	require.True(t, allow("cli_1", l, time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC)).Allowed)
	// 19:30 on the 14th in New York is 00:30 on the 15th in UTC: a new day.
	d := allow("cli_1", l, time.Date(2026, 3, 14, 19, 30, 0, 0, newYork))
	require.True(t, d.Allowed)
	require.Equal(t, time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), d.Reset)
	require.Equal(t, time.UTC, d.Reset.Location())
}

func TestLimiterBothWindowsDeny(t *testing.T) {
	l := auth.Limits{PerMinute: 1, PerDay: 1}
	tests := []struct {
		name  string
		at    time.Time
		code  string
		retry time.Duration
	}{
		{"the day lasts longer", t0, auth.CodeDailyQuotaExceeded, 12 * time.Hour},
		{"the minute lasts longer", time.Date(2026, 3, 14, 23, 59, 30, 0, time.UTC), auth.CodeRateLimitExceeded, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
			require.True(t, allow("cli_1", l, tt.at).Allowed)
			d := allow("cli_1", l, tt.at)
			require.False(t, d.Allowed)
			require.Equal(t, tt.code, d.Code)
			require.Equal(t, tt.retry, d.RetryAfter)
			require.Equal(t, 1, d.Limit)
			require.Zero(t, d.Remaining)
			require.True(t, tt.at.Add(tt.retry).Equal(d.Reset))
		})
	}
}

func TestLimiterDeniedConsumesNothing(t *testing.T) {
	t.Run("minute denials leave the day alone", func(t *testing.T) {
		_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
		l := auth.Limits{PerMinute: 2, PerDay: 3}
		require.Equal(t, 2, admitted(allow, "cli_1", l, t0, 100))
		for range 10 {
			require.Equal(t, auth.CodeRateLimitExceeded, allow("cli_1", l, t0).Code)
		}
		d := allow("cli_1", l, t0.Add(time.Minute))
		require.True(t, d.Allowed, "the day still has one left")
		require.Equal(t, 3, d.Limit)
		require.Zero(t, d.Remaining)
	})
	t.Run("day denials leave the minute alone", func(t *testing.T) {
		_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
		require.True(t, allow("cli_1", auth.Limits{PerMinute: 3, PerDay: 1}, t0).Allowed)
		for range 10 {
			require.Equal(t, auth.CodeDailyQuotaExceeded, allow("cli_1", auth.Limits{PerMinute: 3, PerDay: 1}, t0).Code)
		}
		// Lifting the daily cap shows what is left of the minute: 3 - 1, untouched by the denials.
		require.Equal(t, 2, admitted(allow, "cli_1", auth.Limits{PerMinute: 3}, t0, 100))
	})
}

func TestLimiterEnterpriseHasNoDailyCap(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	// 1,000 a minute for 24 hours spans a UTC midnight and is far beyond any daily cap.
	start := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	for i := range 24 * 60 {
		now := start.Add(time.Duration(i) * time.Minute)
		require.Equal(t, 1_000, admitted(allow, "cli_1", enterprise, now, 2_000), "minute %d", i)
	}
	d := allow("cli_1", enterprise, start.Add(24*time.Hour))
	require.True(t, d.Allowed)
	require.Equal(t, 1_000, d.Limit)
}

func TestLimiterPlanChange(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	require.Equal(t, 60, admitted(allow, "cli_1", developer, t0, 1000))
	// An upgrade mid-minute keeps the 60 already made: 240 more of the 300.
	require.Equal(t, 240, admitted(allow, "cli_1", business, t0, 1000))
	// A downgrade caps what is owed at the smaller bucket, so it refills within a minute.
	require.Equal(t, 60, admitted(allow, "cli_1", developer, t0.Add(time.Minute), 1000))
}

func TestLimiterTimeGoingBackwards(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	require.Equal(t, 60, admitted(allow, "cli_1", developer, t0, 1000))
	d := allow("cli_1", developer, t0.Add(-time.Hour))
	require.False(t, d.Allowed, "an earlier now is read as the latest one seen, not as a refill")
	require.Equal(t, time.Second, d.RetryAfter)
	require.True(t, t0.Add(time.Minute).Equal(d.Reset))
	require.Equal(t, 1, admitted(allow, "cli_1", developer, t0.Add(time.Second), 1000))
}

func TestLimiterInvalidLimits(t *testing.T) {
	m := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	for _, l := range []auth.Limits{
		{},
		{PerMinute: -1},
		{PerMinute: 60, PerDay: -1},
		{PerMinute: int(auth.MaxPerMinute) + 1},
	} {
		t.Run(fmt.Sprintf("%+v", l), func(t *testing.T) {
			_, err := m.Allow(context.Background(), "cli_1", l, t0)
			require.ErrorIs(t, err, auth.ErrInvalidLimits)
		})
	}

	// The largest allowed rate works without overflow, across a long gap too.
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	huge := auth.Limits{PerMinute: int(auth.MaxPerMinute)}
	d := allow("cli_1", huge, t0)
	require.True(t, d.Allowed)
	require.Equal(t, huge.PerMinute-1, d.Remaining)
	require.Equal(t, huge.PerMinute-1, allow("cli_1", huge, t0.Add(100*365*24*time.Hour)).Remaining)
}

func TestLimiterEvictsLeastRecentlyUsed(t *testing.T) {
	_, allow := setupLimiter(t, auth.MemoryLimiterConfig{MaxKeys: 2})
	l := auth.Limits{PerMinute: 1}
	require.True(t, allow("a", l, t0).Allowed)
	require.True(t, allow("b", l, t0).Allowed)
	require.False(t, allow("a", l, t0).Allowed) // a is now the most recently used
	require.True(t, allow("c", l, t0).Allowed)  // evicts b
	require.False(t, allow("a", l, t0).Allowed, "a was kept")
	require.True(t, allow("b", l, t0).Allowed, "b was forgotten, so it starts full")
}

func TestLimiterConcurrent(t *testing.T) {
	m, _ := setupLimiter(t, auth.MemoryLimiterConfig{})
	var wg sync.WaitGroup
	var perKey [3]atomic.Int64
	for g := range 60 {
		wg.Go(func() {
			for i := range 30 {
				k := (g + i) % len(perKey)
				d, err := m.Allow(context.Background(), fmt.Sprintf("cli_%d", k), developer, t0)
				if err == nil && d.Allowed {
					perKey[k].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for k := range perKey {
		require.EqualValues(t, 60, perKey[k].Load(), "key %d admits exactly its capacity", k)
	}
}

// Peek answers what Allow would, and spends nothing: a budget that only failures spend is checked
// with Peek and spent with Allow.
func TestLimiterPeek(t *testing.T) {
	m, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	peek := func(key string, l auth.Limits, now time.Time) auth.Decision {
		t.Helper()
		d, err := m.Peek(context.Background(), key, l, now)
		require.NoError(t, err)
		return d
	}
	l := auth.Limits{PerMinute: 3, PerDay: 5}

	for range 100 {
		d := peek("cli_1", l, t0)
		require.True(t, d.Allowed)
		require.Equal(t, 2, d.Remaining, "the request it imagines is counted, as Allow would")
	}
	for i := range 3 {
		want := peek("cli_1", l, t0)
		require.Equal(t, want, allow("cli_1", l, t0), "request %d: Peek said what Allow then did", i+1)
	}
	d := peek("cli_1", l, t0)
	require.False(t, d.Allowed)
	require.Equal(t, auth.CodeRateLimitExceeded, d.Code)
	require.Equal(t, 20*time.Second, d.RetryAfter)
	require.Equal(t, d, allow("cli_1", l, t0))

	// Refill and the day are read as Allow reads them, still without spending.
	later := t0.Add(time.Minute)
	require.Equal(t, 1, peek("cli_1", l, later).Remaining, "after the imagined request the day has 1 left, the minute 2")
	require.Equal(t, 2, admitted(allow, "cli_1", l, later, 100))
	require.Equal(t, auth.CodeDailyQuotaExceeded, peek("cli_1", l, later.Add(time.Minute)).Code)

	_, err := m.Peek(context.Background(), "cli_1", auth.Limits{}, t0)
	require.ErrorIs(t, err, auth.ErrInvalidLimits)
}

// Peek then Allow is two steps: two callers that both Peek at the last unit both pass, and the Allow
// that lands second is denied and consumes nothing.
func TestLimiterPeekThenAllowIsNotAtomic(t *testing.T) {
	m, allow := setupLimiter(t, auth.MemoryLimiterConfig{})
	l := auth.Limits{PerMinute: 2}
	require.True(t, allow("ip", l, t0).Allowed)
	for range 2 {
		d, err := m.Peek(context.Background(), "ip", l, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	require.True(t, allow("ip", l, t0).Allowed)
	d := allow("ip", l, t0)
	require.False(t, d.Allowed)
	require.Equal(t, 30*time.Second, d.RetryAfter, "the denial spent nothing: one unit's refill away")
}

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int
	}{
		{-time.Second, 1},
		{0, 1},
		{time.Nanosecond, 1},
		{999 * time.Millisecond, 1},
		{time.Second, 1},
		{time.Second + time.Nanosecond, 2},
		{8571428572 * time.Nanosecond, 9},
		{59*time.Second + 500*time.Millisecond, 60},
		{36*time.Minute + 40*time.Second, 2200},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			require.Equal(t, tt.want, auth.RetryAfterSeconds(tt.d))
		})
	}
}

func BenchmarkLimiterAllow(b *testing.B) {
	m := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	ctx := context.Background()
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("cli_%d", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Time advances 1 ms per request, so buckets refill and the path measured is the common one.
		if _, err := m.Allow(ctx, keys[i%len(keys)], business, t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

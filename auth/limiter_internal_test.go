package auth

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Keys whose state equals a fresh key's (minute bucket refilled, day over) are dropped as new keys
// arrive, so memory follows the active clients, not every client ever seen.
func TestMemoryLimiterDropsFreshKeys(t *testing.T) {
	m := NewMemoryLimiter(MemoryLimiterConfig{})
	ctx := context.Background()
	day1 := time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC)
	for _, k := range []string{"a", "b", "c"} {
		_, err := m.Allow(ctx, k, PlanDeveloper.Limits(), day1)
		require.NoError(t, err)
	}

	// Same day: a, b, c still count towards today's quota and are kept.
	_, err := m.Allow(ctx, "d", PlanDeveloper.Limits(), day1.Add(30*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 4, m.lru.Len())

	// Next day, more than a minute on: a, b, c and d carry nothing and make way for e.
	_, err = m.Allow(ctx, "e", PlanDeveloper.Limits(), day1.Add(2*time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, m.lru.Len())
	require.Len(t, m.keys, 1)
}

// Peek creates no state: a stream of peeks at new keys costs no memory.
func TestMemoryLimiterPeekCreatesNoKey(t *testing.T) {
	m := NewMemoryLimiter(MemoryLimiterConfig{})
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	for _, k := range []string{"a", "b", "c"} {
		d, err := m.Peek(context.Background(), k, PlanDeveloper.Limits(), now)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	require.Zero(t, m.lru.Len())
	require.Empty(t, m.keys)
}

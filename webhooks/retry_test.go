package webhooks_test

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint/webhooks"
)

func TestNextAttemptSchedule(t *testing.T) {
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
		10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}
	require.Equal(t, want, webhooks.RetrySchedule())

	for n, base := range want {
		d, ok := webhooks.NextAttempt(n+1, 0)
		require.True(t, ok)
		require.Equal(t, base, d, "no jitter at random 0")

		d, ok = webhooks.NextAttempt(n+1, math.MaxUint64)
		require.True(t, ok)
		require.Equal(t, base+base/10, d, "full jitter is 10%%")
	}
	d, ok := webhooks.NextAttempt(1, 1<<63)
	require.True(t, ok)
	require.Equal(t, 5*time.Second+250*time.Millisecond, d, "half-way random, half the jitter")

	for _, n := range []int{len(want) + 1, 100, 0, -1} {
		d, ok := webhooks.NextAttempt(n, 12345)
		require.False(t, ok, n)
		require.Zero(t, d)
	}
}

func TestNextAttemptJitterBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, webhooks.RetryAttempts).Draw(t, "n")
		random := rapid.Uint64().Draw(t, "random")
		base := webhooks.RetrySchedule()[n-1]
		d, ok := webhooks.NextAttempt(n, random)
		if !ok || d < base || d > base+base/10 {
			t.Fatalf("NextAttempt(%d, %d) = %s, %v; want within [%s, %s]", n, random, d, ok, base, base+base/10)
		}
	})
}

func TestNextAttemptTotal(t *testing.T) {
	// Ten attempts over about four days, then failed.
	var total time.Duration
	n := 1
	for ; ; n++ {
		d, ok := webhooks.NextAttempt(n, 0)
		if !ok {
			break
		}
		total += d
	}
	require.Equal(t, 10, n, "the tenth failed attempt is final")
	require.Equal(t, 75*time.Hour+35*time.Minute+5*time.Second, total)
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{value: "120", want: 2 * time.Minute, ok: true},
		{value: "0", want: 0, ok: true},
		{value: " 30 ", want: 30 * time.Second, ok: true},
		{value: "86400", want: 24 * time.Hour, ok: true},
		{value: "86401", want: 24 * time.Hour, ok: true},
		{value: "99999999999999999999999", want: 24 * time.Hour, ok: true},
		{value: "Tue, 31 Mar 2026 14:10:00 GMT", want: 10 * time.Minute, ok: true},
		{value: "Tuesday, 31-Mar-26 14:00:30 GMT", want: 30 * time.Second, ok: true}, // RFC 850
		{value: "Tue Mar 31 14:01:00 2026", want: time.Minute, ok: true},             // asctime
		{value: "Tue, 31 Mar 2026 13:00:00 GMT", want: 0, ok: true},                  // past
		{value: "Sat, 04 Apr 2026 14:00:00 GMT", want: 24 * time.Hour, ok: true},     // capped
		{value: ""},
		{value: "-5"},
		{value: "1.5"},
		{value: "soon"},
		{value: "2026-03-31T14:10:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := webhooks.RetryAfter(h, now)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

package postgres

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A principal cached before the listening connection was lost is never
// served after it: the epoch moves when it is lost (and ok is false until
// it listens again), and moves again when it listens again.
func TestPrincipalEpochMovesWhenTheListenerIsLost(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	var pid uint32
	require.Eventually(t, func() bool {
		_, ok := b.PrincipalEpoch(t.Context())
		pid = b.principals.pid.Load()
		return ok && pid != 0
	}, 10*time.Second, 5*time.Millisecond, "the principal listener did not start")
	before, _ := b.PrincipalEpoch(t.Context())

	var killed bool
	require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT pg_terminate_backend($1)`, int64(pid)).Scan(&killed))
	require.True(t, killed)
	require.Eventually(t, func() bool {
		epoch, ok := b.PrincipalEpoch(t.Context())
		return !ok || epoch != before
	}, 5*time.Second, time.Millisecond, "the lost listener was not noticed")
	// It listens again, with an epoch that no principal cached before has.
	require.Eventually(t, func() bool {
		epoch, ok := b.PrincipalEpoch(t.Context())
		return ok && epoch != before && b.principals.pid.Load() != pid
	}, 10*time.Second, 5*time.Millisecond, "the listener did not reconnect")

	// A change through a moves b's epoch.
	now, _ := b.PrincipalEpoch(t.Context())
	_, err := a.pool.Exec(t.Context(), `SELECT pg_notify($1, current_schema())`, principalChannel)
	require.NoError(t, err)
	require.Eventually(t, func() bool { epoch, _ := b.PrincipalEpoch(t.Context()); return epoch != now }, 5*time.Second, time.Millisecond)
}

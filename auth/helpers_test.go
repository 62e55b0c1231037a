package auth_test

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

// t0 is a whole second, so issued times survive JWT's one-second precision unchanged.
var t0 = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// testKey returns a valid HS256 key whose secret is fill repeated.
func testKey(id string, fill byte) auth.Key {
	return auth.Key{ID: id, Secret: bytes.Repeat([]byte{fill}, auth.MinKeySecret)}
}

// clock is a settable time source; tests move it between calls, never while Tokens is in use concurrently.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

type tokensBundle struct {
	tokens *auth.Tokens
	clock  *clock
	keys   []auth.Key
}

// setupTokens returns Tokens over keys (default one key "k1") with a clock at t0 and deterministic jti
// randomness; mutate, if not nil, adjusts the config first.
func setupTokens(tb testing.TB, mutate func(*auth.TokenConfig), keys ...auth.Key) tokensBundle {
	tb.Helper()
	if len(keys) == 0 {
		keys = []auth.Key{testKey("k1", 0x11)}
	}
	c := &clock{t: t0}
	cfg := auth.TokenConfig{Now: c.Now, Rand: rand.NewChaCha8([32]byte{1})}
	if mutate != nil {
		mutate(&cfg)
	}
	tk, err := auth.NewTokens(keys, cfg)
	require.NoError(tb, err)
	return tokensBundle{tokens: tk, clock: c, keys: keys}
}

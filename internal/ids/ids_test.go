package ids

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBase62MatchesBigInt(t *testing.T) {
	for range 200 {
		var u [16]byte
		_, _ = rand.Read(u[:])
		want := new(big.Int).SetBytes(u[:]).Text(62)
		// big.Int's base-62 digits are 0-9a-zA-Z; ours are 0-9A-Za-z so
		// that byte order is numeric order. Map before comparing.
		mapped := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return r - 'a' + 'A'
			case r >= 'A' && r <= 'Z':
				return r - 'A' + 'a'
			}
			return r
		}, want)
		got := base62(u)
		require.Len(t, got, 22)
		require.Equal(t, strings.Repeat("0", 22-len(mapped))+mapped, got)
	}
}

func TestIDsSortInCreationOrder(t *testing.T) {
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	g := &Generator{Now: func() time.Time { return now }, Rand: rand.Reader}
	var ids []string
	for i := range 5000 {
		if i%1000 == 0 {
			now = now.Add(time.Millisecond)
		}
		id, err := g.New("asset_")
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(id, "asset_"))
		ids = append(ids, id)
	}
	require.True(t, sort.StringsAreSorted(ids), "ids must sort in creation order")
	seen := map[string]bool{}
	for _, id := range ids {
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
}

func TestIDIsDeterministicGivenClockAndRandomness(t *testing.T) {
	now := time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)
	mk := func() string {
		g := &Generator{Now: func() time.Time { return now }, Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 64))}
		id, err := g.New("biz_")
		require.NoError(t, err)
		return id
	}
	require.Equal(t, mk(), mk())
}

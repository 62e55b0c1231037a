package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

var signingKeyTests = []test{
	{"AddListDelete", func(t *testing.T, s assetmint.Store) {
		keys, err := s.SigningKeys(t.Context())
		require.NoError(t, err)
		require.Empty(t, keys)

		k1 := assetmint.SigningKey{ID: "key_0001", Secret: []byte("0123456789abcdef0123456789abcdef"), CreatedAt: t0}
		k2 := assetmint.SigningKey{ID: "key_0002", Secret: []byte{0, 1, 2, 255, 254, 0}, CreatedAt: at(time.Hour)}
		k3 := assetmint.SigningKey{ID: "key_0003", Secret: []byte("third secret, newest"), CreatedAt: at(2 * time.Hour)}
		for _, k := range []assetmint.SigningKey{k2, k3, k1} { // not in age order
			require.NoError(t, s.AddSigningKey(t.Context(), k))
		}
		keys, err = s.SigningKeys(t.Context())
		require.NoError(t, err)
		require.Equal(t, []assetmint.SigningKey{k3, k2, k1}, keys, "newest first")

		requireCode(t, assetmint.ECONFLICT, s.AddSigningKey(t.Context(), k1))

		require.NoError(t, s.DeleteSigningKey(t.Context(), "key_0002"))
		keys, err = s.SigningKeys(t.Context())
		require.NoError(t, err)
		require.Equal(t, []assetmint.SigningKey{k3, k1}, keys)
		requireCode(t, assetmint.ENOTFOUND, s.DeleteSigningKey(t.Context(), "key_0002"))
	}},
}

const (
	scope = "biz_0001"
	key   = "8e0f3a8c-retry-me"
)

// reservation is a request's claim on the key at now, locked for 30s.
func reservation(hash string, now time.Time) assetmint.IdempotencyRecord {
	return assetmint.IdempotencyRecord{Scope: scope, Key: key, RequestHash: hash, LockedUntil: now.Add(30 * time.Second), CreatedAt: now}
}

// dayAgo is the notBefore of a 24h retention at now.
func dayAgo(now time.Time) time.Time { return now.Add(-24 * time.Hour) }

func reserve(t *testing.T, s assetmint.Store, hash string, now time.Time) *assetmint.IdempotencyRecord {
	t.Helper()
	rec, err := s.ReserveIdempotencyKey(t.Context(), reservation(hash, now), now, dayAgo(now))
	require.NoError(t, err)
	return rec
}

var idempotencyTests = []test{
	{"ReserveCompleteReplay", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0), "a free key is claimed")

		inFlight := reserve(t, s, "hash-1", at(time.Second))
		require.NotNil(t, inFlight, "a key in flight is not claimed again")
		require.Equal(t, &assetmint.IdempotencyRecord{
			Scope: scope, Key: key, RequestHash: "hash-1", LockedUntil: at(30 * time.Second), CreatedAt: t0,
		}, withoutBody(inFlight))
		require.False(t, inFlight.Complete())

		body := []byte(`{"id":"asset_0001","object":"asset"}`)
		require.NoError(t, s.CompleteIdempotencyKey(t.Context(), reservation("hash-1", t0), 201, body))

		replay := reserve(t, s, "hash-2", at(2*time.Second))
		require.NotNil(t, replay)
		require.True(t, replay.Complete())
		require.Equal(t, 201, replay.Status)
		require.Equal(t, body, replay.Body)
		require.Equal(t, "hash-1", replay.RequestHash, "the record is returned unchanged")
		require.Equal(t, t0, replay.CreatedAt)

		// A complete record is replayed long after its lock would have
		// lapsed, until it expires.
		replay = reserve(t, s, "hash-2", at(23*time.Hour))
		require.NotNil(t, replay)
		require.True(t, replay.Complete())
	}},
	{"LapsedLockIsTakenOver", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0))
		require.NotNil(t, reserve(t, s, "hash-2", at(29*time.Second)), "the lock holds until LockedUntil")

		// The first request crashed; its lock lapses at t0+30s.
		require.Nil(t, reserve(t, s, "hash-2", at(30*time.Second)), "a lapsed lock is taken over")
		rec := reserve(t, s, "hash-3", at(31*time.Second))
		require.NotNil(t, rec)
		require.Equal(t, "hash-2", rec.RequestHash)
		require.Equal(t, at(60*time.Second), rec.LockedUntil)
		require.Equal(t, t0, rec.CreatedAt, "a takeover keeps the creation time")
		require.False(t, rec.Complete())
	}},
	{"ExpiredRecordIsReplaced", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0))
		require.NoError(t, s.CompleteIdempotencyKey(t.Context(), reservation("hash-1", t0), 200, []byte(`{}`)))

		later := at(25 * time.Hour)
		require.Nil(t, reserve(t, s, "hash-2", later), "a record created before notBefore is replaced")
		rec := reserve(t, s, "hash-3", later.Add(time.Second))
		require.NotNil(t, rec)
		require.False(t, rec.Complete(), "the replacement starts without a response")
		require.Equal(t, "hash-2", rec.RequestHash)
		require.Equal(t, later, rec.CreatedAt)
		require.Empty(t, rec.Body)
	}},
	{"Release", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0))
		require.NoError(t, s.ReleaseIdempotencyKey(t.Context(), reservation("hash-1", t0)))
		require.Nil(t, reserve(t, s, "hash-2", at(time.Second)), "a released key is free")

		held := reservation("hash-2", at(time.Second))
		require.NoError(t, s.CompleteIdempotencyKey(t.Context(), held, 201, []byte(`{"ok":true}`)))
		require.NoError(t, s.ReleaseIdempotencyKey(t.Context(), held), "releasing a complete key is a no-op")
		rec := reserve(t, s, "hash-3", at(2*time.Second))
		require.NotNil(t, rec)
		require.True(t, rec.Complete())
		require.Equal(t, 201, rec.Status)

		gone := reservation("hash-1", t0)
		gone.Key = "never-reserved"
		require.NoError(t, s.ReleaseIdempotencyKey(t.Context(), gone))
	}},
	{"ScopesAreSeparate", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0))
		other := reservation("hash-1", t0)
		other.Scope = "biz_0002"
		rec, err := s.ReserveIdempotencyKey(t.Context(), other, t0, dayAgo(t0))
		require.NoError(t, err)
		require.Nil(t, rec, "the same key in another scope is another key")
		other.Scope = "operator"
		rec, err = s.ReserveIdempotencyKey(t.Context(), other, t0, dayAgo(t0))
		require.NoError(t, err)
		require.Nil(t, rec)
	}},
	{"CompleteUnknownIsNotFound", func(t *testing.T, s assetmint.Store) {
		requireCode(t, assetmint.ENOTFOUND, s.CompleteIdempotencyKey(t.Context(), reservation("hash-1", t0), 201, []byte(`{}`)))
	}},
	{"OnlyTheHolderCompletesOrReleases", func(t *testing.T, s assetmint.Store) {
		stale := reservation("hash-1", t0)
		require.Nil(t, reserve(t, s, "hash-1", t0))
		// The first request outlives its lock; a retry takes the key over.
		retry := reservation("hash-1", at(time.Minute))
		require.Nil(t, reserve(t, s, "hash-1", at(time.Minute)))

		require.NoError(t, s.ReleaseIdempotencyKey(t.Context(), stale), "a stale release is a no-op")
		requireCode(t, assetmint.ECONFLICT, s.CompleteIdempotencyKey(t.Context(), stale, 500, []byte(`{"late":true}`)))
		require.NoError(t, s.CompleteIdempotencyKey(t.Context(), retry, 201, []byte(`{"retry":true}`)))
		rec := reserve(t, s, "hash-1", at(time.Minute+time.Second))
		require.Equal(t, []byte(`{"retry":true}`), rec.Body, "the holder's outcome stands")
		requireCode(t, assetmint.ECONFLICT, s.CompleteIdempotencyKey(t.Context(), retry, 201, []byte(`{}`))) // complete once
	}},
	{"Prune", func(t *testing.T, s assetmint.Store) {
		require.Nil(t, reserve(t, s, "hash-1", t0))
		newer := reservation("hash-1", at(2*time.Hour))
		newer.Key = "newer"
		rec, err := s.ReserveIdempotencyKey(t.Context(), newer, at(2*time.Hour), dayAgo(at(2*time.Hour)))
		require.NoError(t, err)
		require.Nil(t, rec)
		require.NoError(t, s.CompleteIdempotencyKey(t.Context(), newer, 201, []byte(`{}`)))

		n, err := s.PruneIdempotencyKeys(t.Context(), at(time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Nil(t, reserve(t, s, "hash-9", at(3*time.Hour)), "the pruned key is free")
		rec, err = s.ReserveIdempotencyKey(t.Context(), newer, at(3*time.Hour), dayAgo(at(3*time.Hour)))
		require.NoError(t, err)
		require.NotNil(t, rec, "the newer key is kept")
	}},
}

// withoutBody drops a record's body, which an incomplete record may hold as
// nil or empty.
func withoutBody(r *assetmint.IdempotencyRecord) *assetmint.IdempotencyRecord {
	c := *r
	c.Body = nil
	return &c
}

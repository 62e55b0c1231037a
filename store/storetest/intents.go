package storetest

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/tokenize"
)

// The transaction manager's intents (tokenize.IntentStore), which every
// store keeps beside the Engine's records.

const (
	signerA = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
	signerB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
)

// intents returns s as an IntentStore; a store must be one.
func intents(t *testing.T, s assetmint.Store) tokenize.IntentStore {
	t.Helper()
	is, ok := s.(tokenize.IntentStore)
	require.True(t, ok, "%T does not implement tokenize.IntentStore", s)
	return is
}

// wei is a fee above 2^64, so that a store that keeps fees in 64 bits
// shows.
var wei = new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 70), big.NewInt(12345))

// attemptN is a distinct attempt, recorded n seconds after t0.
func attemptN(nonce uint64, n int) tokenize.Attempt {
	return tokenize.Attempt{
		Hash:      "0x" + hashOf(fmt.Sprintf("tx %d %d", nonce, n)),
		Raw:       []byte{0x02, byte(nonce), byte(n), 0x00, 0xff},
		GasTipCap: new(big.Int).Add(wei, big.NewInt(int64(n))),
		GasFeeCap: new(big.Int).Mul(wei, big.NewInt(2)),
		SentAt:    at(secs(n)),
	}
}

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// newIntent is a pending mint of the signer at nonce with its first
// attempt.
func newIntent(signer string, nonce uint64, key string) *tokenize.Intent {
	return &tokenize.Intent{
		ChainID:   "31337",
		Signer:    signer,
		Nonce:     nonce,
		Key:       key,
		Kind:      tokenize.KindMint,
		Ref:       `{"job":"token.mint"}`,
		To:        "0x5FbDB2315678afecb367f032d93F642f64180aa3",
		Data:      []byte{0x40, 0xc1, 0x0f, 0x19, byte(nonce)},
		Gas:       181_234,
		State:     tokenize.IntentPending,
		Attempts:  []tokenize.Attempt{attemptN(nonce, 0)},
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func createIntent(t *testing.T, is tokenize.IntentStore, in *tokenize.Intent) *tokenize.Intent {
	t.Helper()
	require.NoError(t, is.CreateIntents(t.Context(), in))
	require.NotZero(t, in.ID)
	require.Equal(t, int64(1), in.Version)
	return in
}

func openNonces(t *testing.T, is tokenize.IntentStore, signer string) []uint64 {
	t.Helper()
	open, err := is.OpenIntents(t.Context(), "31337", signer)
	require.NoError(t, err)
	out := []uint64{}
	for _, in := range open {
		out = append(out, in.Nonce)
	}
	return out
}

var intentTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		want := createIntent(t, is, newIntent(signerA, 7, "mint:asset_0001"))
		got, err := is.Intent(t.Context(), want.ID)
		require.NoError(t, err)
		require.Equal(t, want, got)
		byKey, err := is.IntentByKey(t.Context(), "31337", signerA, "mint:asset_0001")
		require.NoError(t, err)
		require.Equal(t, want, byKey)

		_, err = is.Intent(t.Context(), want.ID+1000)
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound)
		_, err = is.IntentByKey(t.Context(), "31337", signerB, "mint:asset_0001")
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound, "another signer's keys are its own")
		_, err = is.IntentByKey(t.Context(), "1", signerA, "mint:asset_0001")
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound, "and another chain's")
	}},
	{"NoncesAreUniquePerSignerAndChain", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		n, err := is.NextNonce(t.Context(), "31337", signerA)
		require.NoError(t, err)
		require.Zero(t, n)
		for _, nonce := range []uint64{0, 1, 4} {
			createIntent(t, is, newIntent(signerA, nonce, ""))
		}
		n, err = is.NextNonce(t.Context(), "31337", signerA)
		require.NoError(t, err)
		require.Equal(t, uint64(5), n, "one past the highest, gaps or not")

		taken := newIntent(signerA, 1, "mint:asset_0002")
		taken.Attempts[0] = attemptN(1, 9)
		err = is.CreateIntents(t.Context(), taken)
		require.ErrorIs(t, err, tokenize.ErrNonceTaken)
		require.NotErrorIs(t, err, tokenize.ErrIntentExists)
		_, err = is.IntentByKey(t.Context(), "31337", signerA, "mint:asset_0002")
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound, "nothing of the refused intent is kept")
		require.Equal(t, []uint64{0, 1, 4}, openNonces(t, is, signerA))

		// Another signer, or another chain, has nonces of its own.
		another := newIntent(signerB, 1, "")
		another.Attempts[0] = attemptN(1, 20)
		createIntent(t, is, another)
		other := newIntent(signerA, 1, "")
		other.ChainID, other.Attempts[0] = "1", attemptN(1, 21)
		createIntent(t, is, other)
		n, err = is.NextNonce(t.Context(), "31337", signerB)
		require.NoError(t, err)
		require.Equal(t, uint64(2), n)
	}},
	{"ABatchIsRecordedWholeOrNotAtAll", func(t *testing.T, s assetmint.Store) {
		// A manager records the submissions waiting at one moment in one
		// transaction: a conflict in any of them keeps all of them out, so
		// the nonces it took leave no gap behind on chain.
		is := intents(t, s)
		batch := []*tokenize.Intent{newIntent(signerA, 0, "mint:asset_0001"), newIntent(signerA, 1, "mint:asset_0002"), newIntent(signerA, 2, "")}
		require.NoError(t, is.CreateIntents(t.Context(), batch...))
		for i, in := range batch {
			require.NotZero(t, in.ID)
			require.Equal(t, int64(1), in.Version)
			got, err := is.Intent(t.Context(), in.ID)
			require.NoError(t, err)
			require.Equal(t, in, got, "intent %d of the batch", i)
		}

		nonceTaken := []*tokenize.Intent{newIntent(signerA, 3, "mint:asset_0003"), newIntent(signerA, 2, "mint:asset_0004")}
		nonceTaken[1].Attempts[0] = attemptN(2, 1)
		require.ErrorIs(t, is.CreateIntents(t.Context(), nonceTaken...), tokenize.ErrNonceTaken)
		keyLive := []*tokenize.Intent{newIntent(signerA, 3, "mint:asset_0003"), newIntent(signerA, 4, "mint:asset_0001")}
		require.ErrorIs(t, is.CreateIntents(t.Context(), keyLive...), tokenize.ErrIntentExists)
		for _, in := range append(nonceTaken, keyLive...) {
			require.Zero(t, in.ID, "a refused batch sets no id")
		}
		_, err := is.IntentByKey(t.Context(), "31337", signerA, "mint:asset_0003")
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound, "nothing of a refused batch is kept")
		require.Equal(t, []uint64{0, 1, 2}, openNonces(t, is, signerA))
		n, err := is.NextNonce(t.Context(), "31337", signerA)
		require.NoError(t, err)
		require.Equal(t, uint64(3), n)
	}},
	{"OneLiveIntentPerKey", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		first := createIntent(t, is, newIntent(signerA, 0, "lock:loan_0001"))
		dup := newIntent(signerA, 1, "lock:loan_0001")
		err := is.CreateIntents(t.Context(), dup)
		require.ErrorIs(t, err, tokenize.ErrIntentExists)
		require.Equal(t, []uint64{0}, openNonces(t, is, signerA), "the refused intent took no nonce")

		for _, st := range []tokenize.IntentState{tokenize.IntentMined, tokenize.IntentConfirmed} {
			first.State = st
			require.NoError(t, is.UpdateIntent(t.Context(), first))
			require.ErrorIs(t, is.CreateIntents(t.Context(), newIntent(signerA, 1, "lock:loan_0001")), tokenize.ErrIntentExists, st)
		}
		// A reverted or failed intent frees its key.
		first.State = tokenize.IntentReverted
		require.NoError(t, is.UpdateIntent(t.Context(), first))
		second := createIntent(t, is, newIntent(signerA, 1, "lock:loan_0001"))
		second.State = tokenize.IntentFailed
		require.NoError(t, is.UpdateIntent(t.Context(), second))
		third := createIntent(t, is, newIntent(signerA, 2, "lock:loan_0001"))
		got, err := is.IntentByKey(t.Context(), "31337", signerA, "lock:loan_0001")
		require.NoError(t, err)
		require.Equal(t, third.ID, got.ID, "the newest")

		// Without a key, any number.
		createIntent(t, is, newIntent(signerA, 3, ""))
		createIntent(t, is, newIntent(signerA, 4, ""))
	}},
	{"OpenIntentsInNonceOrder", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		for _, nonce := range []uint64{3, 1, 2, 0} {
			createIntent(t, is, newIntent(signerA, nonce, ""))
		}
		createIntent(t, is, newIntent(signerB, 9, ""))
		open, err := is.OpenIntents(t.Context(), "31337", signerA)
		require.NoError(t, err)
		require.Equal(t, []uint64{0, 1, 2, 3}, openNonces(t, is, signerA))
		for _, in := range open {
			require.Len(t, in.Attempts, 1)
			require.Equal(t, attemptN(in.Nonce, 0), in.Attempts[0])
		}

		// Final but unsettled stays open; settled leaves.
		open[1].State, open[1].Error, open[1].UpdatedAt = tokenize.IntentReverted, "ethchain: mint reverted: ERC721InvalidSender", at(secs(5))
		require.NoError(t, is.UpdateIntent(t.Context(), open[1]))
		require.Equal(t, []uint64{0, 1, 2, 3}, openNonces(t, is, signerA))
		open[1].SettledAt = at(secs(6))
		require.NoError(t, is.UpdateIntent(t.Context(), open[1]))
		require.Equal(t, []uint64{0, 2, 3}, openNonces(t, is, signerA))

		empty, err := is.OpenIntents(t.Context(), "1", signerA)
		require.NoError(t, err)
		require.NotNil(t, empty)
		require.Empty(t, empty)
	}},
	{"AttemptsInOrder", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		in := createIntent(t, is, newIntent(signerA, 0, ""))
		bump := attemptN(0, 1)
		bump.GasTipCap, bump.GasFeeCap, bump.GasPrice = nil, nil, wei // a legacy one
		require.NoError(t, is.AddAttempt(t.Context(), in.ID, 1, bump))
		noop := attemptN(0, 2)
		noop.Noop = true
		require.NoError(t, is.AddAttempt(t.Context(), in.ID, 2, noop))
		got, err := is.Intent(t.Context(), in.ID)
		require.NoError(t, err)
		require.Equal(t, []tokenize.Attempt{attemptN(0, 0), bump, noop}, got.Attempts)
		require.Equal(t, &got.Attempts[2], got.Last())
		require.Equal(t, in.Version, got.Version, "attempts do not move the version")

		// Another process added attempt 3 first: this one's number is taken.
		require.NoError(t, is.AddAttempt(t.Context(), in.ID, 3, attemptN(0, 3)))
		require.ErrorIs(t, is.AddAttempt(t.Context(), in.ID, 3, attemptN(0, 4)), tokenize.ErrIntentChanged)
		// The same transaction twice is one attempt.
		require.ErrorIs(t, is.AddAttempt(t.Context(), in.ID, 4, attemptN(0, 3)), tokenize.ErrIntentChanged)
		got, err = is.Intent(t.Context(), in.ID)
		require.NoError(t, err)
		require.Len(t, got.Attempts, 4)

		require.ErrorIs(t, is.AddAttempt(t.Context(), in.ID+1000, 0, attemptN(9, 0)), tokenize.ErrIntentNotFound)
	}},
	{"UpdateOverTheVersionRead", func(t *testing.T, s assetmint.Store) {
		is := intents(t, s)
		in := createIntent(t, is, newIntent(signerA, 0, "deploy:31337"))
		in.Kind = tokenize.KindDeploy
		stale := *in
		in.State, in.TxHash, in.BlockNumber = tokenize.IntentMined, in.Attempts[0].Hash, 1<<63+5
		in.BlockHash, in.ContractAddress = "0x"+hashOf("block"), "0xCafac3dD18aC6c6e92c921884f9E4176737C052c"
		in.Error, in.UpdatedAt = "the block holding it was reorganised away", at(secs(3))
		require.NoError(t, is.UpdateIntent(t.Context(), in))
		require.Equal(t, int64(2), in.Version)
		got, err := is.Intent(t.Context(), in.ID)
		require.NoError(t, err)
		in.Kind = tokenize.KindMint // the kind is not updated
		require.Equal(t, in, got)

		stale.State = tokenize.IntentFailed
		require.ErrorIs(t, is.UpdateIntent(t.Context(), &stale), tokenize.ErrIntentChanged)
		require.Equal(t, int64(1), stale.Version)
		got, err = is.Intent(t.Context(), in.ID)
		require.NoError(t, err)
		require.Equal(t, tokenize.IntentMined, got.State, "the stale write lost")

		missing := *in
		missing.ID += 1000
		require.ErrorIs(t, is.UpdateIntent(t.Context(), &missing), tokenize.ErrIntentNotFound)
	}},
	{"UpdateManyInOneCall", func(t *testing.T, s assetmint.Store) {
		// A round of the manager's loop writes its intents together: each
		// over the version it read, the stale and the missing reported and
		// left as they are, the others written.
		is := intents(t, s)
		a := createIntent(t, is, newIntent(signerA, 0, "mint:asset_0001"))
		b := createIntent(t, is, newIntent(signerA, 1, "mint:asset_0002"))
		c := createIntent(t, is, newIntent(signerA, 2, "mint:asset_0003"))
		staleB := *b
		b.Error, b.UpdatedAt = "written by another process", at(secs(1))
		require.NoError(t, is.UpdateIntent(t.Context(), b))
		missing := *c
		missing.ID += 1000

		a.State, a.TxHash, a.BlockNumber, a.BlockHash = tokenize.IntentConfirmed, a.Attempts[0].Hash, 9, "0x"+hashOf("block 9")
		a.SettledAt, a.UpdatedAt = at(secs(2)), at(secs(2))
		staleB.State, staleB.UpdatedAt = tokenize.IntentFailed, at(secs(2))
		c.Error, c.UpdatedAt = "the node is unreachable", at(secs(2))
		err := is.UpdateIntents(t.Context(), []*tokenize.Intent{a, &staleB, c, &missing})
		require.ErrorIs(t, err, tokenize.ErrIntentChanged)
		require.ErrorIs(t, err, tokenize.ErrIntentNotFound)
		require.Equal(t, []int64{2, 1, 2, 1}, []int64{a.Version, staleB.Version, c.Version, missing.Version})
		for _, want := range []*tokenize.Intent{a, b, c} {
			got, err := is.Intent(t.Context(), want.ID)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}

		require.NoError(t, is.UpdateIntents(t.Context(), nil), "nothing to write")
		a.Error = "noted"
		require.NoError(t, is.UpdateIntents(t.Context(), []*tokenize.Intent{a}))
		require.Equal(t, int64(3), a.Version)
	}},
}

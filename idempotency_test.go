package assetmint_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// assetAnswer renders a submitted asset the way a host would: its id and
// status, as JSON.
func assetAnswer(result any) (assetmint.Answer, error) {
	a, ok := result.(*assetmint.Asset)
	if !ok {
		return assetmint.Answer{}, fmt.Errorf("answer of %T", result)
	}
	b, err := json.Marshal(map[string]string{"id": a.ID, "status": string(a.Status)})
	return assetmint.Answer{Status: 201, Body: b}, err
}

var machine = assetmint.NewAsset{Name: "CNC Milling Machine", Type: assetmint.AssetEquipment, EstimatedValue: decimal.RequireFromString("85000")}

// submit is one idempotent call of SubmitAsset; before and after run around
// the use case, inside the call, so a test can crash the call there.
func submit(e *assetmint.Engine, biz string, k assetmint.IdempotencyKey, before, after func()) (assetmint.Answer, bool, error) {
	return e.Idempotent(context.Background(), k, assetAnswer, func(ctx context.Context) (any, error) {
		if before != nil {
			before()
		}
		a, err := e.SubmitAsset(ctx, biz, machine)
		if err == nil && after != nil {
			after()
		}
		return a, err
	})
}

// crash runs fn, which panics, as a process dying at that point would:
// nothing after the panic runs, and the call's cleanup does not either.
func crash(t *testing.T, fn func()) {
	t.Helper()
	defer func() { require.Equal(t, "crash", recover()) }()
	fn()
}

func assetCount(t *testing.T, b *bundle, biz string) int {
	t.Helper()
	page, err := b.engine.Assets(context.Background(), biz, assetmint.AssetFilter{}, assetmint.ListParams{Limit: assetmint.MaxListLimit})
	require.NoError(t, err)
	return len(page.Items)
}

func TestIdempotentReplaysTheFirstAnswer(t *testing.T) {
	b := setup(t)
	biz, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	k := assetmint.IdempotencyKey{Scope: biz.ID, Key: "order-7", Fingerprint: "POST /v1/assets {cnc}"}

	first, replayed, err := submit(b.engine, biz.ID, k, nil, nil)
	require.NoError(t, err)
	require.False(t, replayed)
	require.Equal(t, 201, first.Status)

	again, replayed, err := submit(b.engine, biz.ID, k, func() { t.Fatal("a replay runs nothing") }, nil)
	require.NoError(t, err)
	require.True(t, replayed)
	require.Equal(t, first, again)
	require.Equal(t, 1, assetCount(t, b, biz.ID))

	_, _, err = submit(b.engine, biz.ID, assetmint.IdempotencyKey{Scope: biz.ID, Key: "order-7", Fingerprint: "another body"}, nil, nil)
	require.ErrorIs(t, err, assetmint.ErrIdempotencyKeyReused)
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))

	// Another scope's key of the same name is another key.
	other, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Bolt"})
	require.NoError(t, err)
	_, replayed, err = submit(b.engine, other.ID, assetmint.IdempotencyKey{Scope: other.ID, Key: "order-7", Fingerprint: k.Fingerprint}, nil, nil)
	require.NoError(t, err)
	require.False(t, replayed)

	// After IdempotencyTTL (24h) the key is forgotten.
	b.clock.Advance(24*time.Hour + time.Second)
	_, replayed, err = submit(b.engine, biz.ID, k, nil, nil)
	require.NoError(t, err)
	require.False(t, replayed)
	require.Equal(t, 2, assetCount(t, b, biz.ID))

	for _, bad := range []string{"", "key\nwith a newline", string(make([]byte, 256))} {
		_, _, err := submit(b.engine, biz.ID, assetmint.IdempotencyKey{Scope: biz.ID, Key: bad, Fingerprint: "x"}, nil, nil)
		require.Equal(t, "Idempotency-Key", assetmint.ErrorParam(err), "%q", bad)
	}
}

// A call that fails stores nothing and frees its key, so it can be retried
// with the same key.
func TestIdempotentFailureFreesTheKey(t *testing.T) {
	b := setup(t)
	biz, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	k := assetmint.IdempotencyKey{Scope: biz.ID, Key: "k", Fingerprint: "f"}
	_, _, err = b.engine.Idempotent(context.Background(), k, assetAnswer, func(ctx context.Context) (any, error) {
		return b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "No type"})
	})
	require.Equal(t, "type", assetmint.ErrorParam(err))
	_, replayed, err := submit(b.engine, biz.ID, k, nil, nil)
	require.NoError(t, err)
	require.False(t, replayed)
	require.Equal(t, 1, assetCount(t, b, biz.ID))
}

// The crash windows: a process that dies after reserving the key but
// before its effect commits leaves no effect, and its key is free again
// once the lock lapses (Config.IdempotencyLock, a minute); a process that
// dies after the effect committed, before it could answer, leaves the
// answer, which the retry gets.
func TestIdempotentSurvivesACrashAnywhere(t *testing.T) {
	b := setup(t)
	biz, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)

	before := assetmint.IdempotencyKey{Scope: biz.ID, Key: "dies-before", Fingerprint: "f"}
	crash(t, func() { _, _, _ = submit(b.engine, biz.ID, before, func() { panic("crash") }, nil) })
	_, _, err = submit(b.engine, biz.ID, before, nil, nil)
	require.ErrorIs(t, err, assetmint.ErrIdempotencyKeyInUse, "the lock still holds")
	b.clock.Advance(time.Minute)
	_, replayed, err := submit(b.engine, biz.ID, before, nil, nil)
	require.NoError(t, err)
	require.False(t, replayed, "the retry runs: the first call left nothing")
	require.Equal(t, 1, assetCount(t, b, biz.ID))

	after := assetmint.IdempotencyKey{Scope: biz.ID, Key: "dies-after", Fingerprint: "f"}
	crash(t, func() { _, _, _ = submit(b.engine, biz.ID, after, nil, func() { panic("crash") }) })
	require.Equal(t, 2, assetCount(t, b, biz.ID), "the effect committed")
	a, replayed, err := submit(b.engine, biz.ID, after, func() { t.Fatal("the retry must not run") }, nil)
	require.NoError(t, err)
	require.True(t, replayed, "its answer committed with it")
	var body map[string]string
	require.NoError(t, json.Unmarshal(a.Body, &body))
	page, err := b.engine.Assets(context.Background(), biz.ID, assetmint.AssetFilter{}, assetmint.ListParams{Limit: 1})
	require.NoError(t, err)
	require.Equal(t, page.Items[0].ID, body["id"], "the answer names the asset the crashed call made")
	require.Equal(t, 2, assetCount(t, b, biz.ID))
}

// A call that outlives its lock loses its key to a retry; when it then
// tries to commit, its effect rolls back, so the retry's effect is the
// only one.
func TestIdempotentCallThatLostItsKeyRollsBack(t *testing.T) {
	b := setup(t)
	biz, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	k := assetmint.IdempotencyKey{Scope: biz.ID, Key: "slow", Fingerprint: "f"}

	var retry assetmint.Answer
	_, _, err = submit(b.engine, biz.ID, k, func() {
		// The first call stalls past its lock; a retry takes the key
		// over and completes.
		b.clock.Advance(time.Minute + time.Second)
		var replayed bool
		var rerr error
		retry, replayed, rerr = submit(b.engine, biz.ID, k, nil, nil)
		require.NoError(t, rerr)
		require.False(t, replayed)
	}, nil)
	require.ErrorIs(t, err, assetmint.ErrIdempotencyKeyInUse)
	require.Equal(t, 1, assetCount(t, b, biz.ID), "the stalled call's asset rolled back")

	again, replayed, err := submit(b.engine, biz.ID, k, nil, nil)
	require.NoError(t, err)
	require.True(t, replayed)
	require.Equal(t, retry, again)
}

// Concurrent calls with one key: one runs, each other one is told the key
// is in use or gets the first answer back.
func TestIdempotentConcurrentCalls(t *testing.T) {
	b := setup(t)
	biz, _, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	k := assetmint.IdempotencyKey{Scope: biz.ID, Key: "race", Fingerprint: "f"}
	var wg sync.WaitGroup
	answers := make([]assetmint.Answer, 16)
	errs := make([]error, 16)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i], _, errs[i] = submit(b.engine, biz.ID, k, nil, nil)
		}()
	}
	wg.Wait()
	var first *assetmint.Answer
	for i, err := range errs {
		if errors.Is(err, assetmint.ErrIdempotencyKeyInUse) {
			continue
		}
		require.NoError(t, err)
		if first == nil {
			first = &answers[i]
		}
		require.Equal(t, *first, answers[i])
	}
	require.NotNil(t, first)
	require.Equal(t, 1, assetCount(t, b, biz.ID))
}

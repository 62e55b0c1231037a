package postgres

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/sqlite"
)

// sealedStore is what the sealed-values test writes and walks, on this
// store and store/sqlite's.
type sealedStore interface {
	assetmint.SealedStore
	assetmint.SigningKeyStore
	assetmint.IdempotencyStore
	CreateBusiness(ctx context.Context, b *assetmint.Business) error
	CreateWebhookEndpoint(ctx context.Context, w *assetmint.WebhookEndpoint) error
	CompleteIdempotencyKey(ctx context.Context, held assetmint.IdempotencyRecord, status int, body []byte) error
}

// walkSealed writes secrets of every kind and walks them two at a time,
// returning what it saw and what replacing some did.
func walkSealed(t *testing.T, s sealedStore) ([]assetmint.SealedValue, []string) {
	t.Helper()
	ctx := t.Context()
	require.NoError(t, s.CreateBusiness(ctx, &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer", CreatedAt: now, UpdatedAt: now}))
	for _, k := range []assetmint.SigningKey{{ID: "key_0002", Secret: []byte{0, 1, 255}, CreatedAt: now}, {ID: "key_0001", Secret: []byte("sealed:k1"), CreatedAt: now}} {
		require.NoError(t, s.AddSigningKey(ctx, k))
	}
	for _, w := range []*assetmint.WebhookEndpoint{
		{ID: "wh_0001", Secret: "sealed:w1", PreviousSecret: "sealed:p1"},
		{ID: "wh_0002", Secret: "sealed:w2"}, // no previous secret: not listed
	} {
		w.BusinessID, w.URL, w.Status, w.CreatedAt, w.UpdatedAt = "biz_0001", "https://example.com/h", assetmint.EndpointEnabled, now, now
		require.NoError(t, s.CreateWebhookEndpoint(ctx, w))
	}
	for _, key := range []string{"k-b", "k-a", "k-pending"} {
		rec := assetmint.IdempotencyRecord{Scope: "biz_0001", Key: key, RequestHash: "h", LockedUntil: now.Add(time.Minute), CreatedAt: now}
		got, err := s.ReserveIdempotencyKey(ctx, rec, now, now.Add(-time.Hour))
		require.NoError(t, err)
		require.Nil(t, got)
		if key != "k-pending" { // an answer not yet stored is not listed
			require.NoError(t, s.CompleteIdempotencyKey(ctx, rec, 201, []byte("sealed:"+key)))
		}
	}

	var seen []assetmint.SealedValue
	after := assetmint.SealedValue{}
	for {
		batch, err := s.SealedValues(ctx, after, 2)
		require.NoError(t, err)
		if len(batch) == 0 {
			break
		}
		require.LessOrEqual(t, len(batch), 2)
		seen = append(seen, batch...)
		after = batch[len(batch)-1]
	}

	var outcomes []string
	for _, r := range []struct {
		v     assetmint.SealedValue
		value string
	}{
		{seen[0], "resealed-0"},
		{seen[0], "resealed-again"}, // its stored text changed: ECONFLICT
		{assetmint.SealedValue{Kind: assetmint.SealedSigningKey, ID: "key_0404", Value: "x"}, "y"},
		{assetmint.SealedValue{Kind: assetmint.SealedIdempotentAnswer, ID: "biz_0001 k-b", Value: "sealed:k-b"}, "resealed-answer"},
		{assetmint.SealedValue{Kind: assetmint.SealedSigningKey, ID: "key_0002", Value: string([]byte{0, 1, 255})}, "resealed-key"},
		{assetmint.SealedValue{Kind: "nope", ID: "x"}, "y"},
	} {
		outcomes = append(outcomes, assetmint.ErrorCode(s.ReplaceSealedValue(ctx, r.v, r.value)))
	}
	after = assetmint.SealedValue{}
	all, err := s.SealedValues(ctx, after, 100)
	require.NoError(t, err)
	for _, v := range all {
		outcomes = append(outcomes, v.Kind+" "+v.ID+" "+v.Value)
	}
	return seen, outcomes
}

// SealedValues and ReplaceSealedValue behave as store/sqlite's: the same
// values, in the same order, the same outcomes.
func TestSealedValuesAsSQLite(t *testing.T) {
	db := open(t, Config{})
	lite, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, lite.Close()) })
	require.NoError(t, lite.Migrate(t.Context()))

	seen, outcomes := walkSealed(t, db)
	require.Len(t, seen, 7, "2 keys, 2 webhook secrets, 1 previous, 2 answers")
	require.Equal(t, assetmint.SealedValue{Kind: assetmint.SealedIdempotentAnswer, ID: "biz_0001 k-a", Value: "sealed:k-a"}, seen[0])
	require.Equal(t, []string{"", assetmint.ECONFLICT, assetmint.ENOTFOUND, "", "", assetmint.EINVALID}, outcomes[:6])

	liteSeen, liteOutcomes := walkSealed(t, lite)
	require.Equal(t, liteSeen, seen)
	require.Equal(t, liteOutcomes, outcomes)
}

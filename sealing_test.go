package assetmint_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// engineWith opens another engine on b's database with the given master
// keys, as another instance (or the same one after a restart) would.
func engineWith(t *testing.T, b *bundle, key []byte, previous ...[]byte) *assetmint.Engine {
	t.Helper()
	e, err := assetmint.New(b.db, assetmint.Config{Now: b.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MasterKey: key, PreviousMasterKeys: previous})
	require.NoError(t, err)
	return e
}

func requireSealed(t *testing.T, stored, plain string) {
	t.Helper()
	require.True(t, strings.HasPrefix(stored, "sealed:v1:"), "stored as %q", stored)
	require.NotContains(t, stored, plain)
}

// What the store holds of a webhook secret, a signing key and an
// idempotent answer is sealed; the engine reads them back in the clear.
func TestSecretsAreSealedInTheStore(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, creds, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	w, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/a"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(w.Secret, "whsec_"))
	rotated, err := b.engine.RotateWebhookSecret(ctx, biz.ID, w.ID)
	require.NoError(t, err)

	raw, err := b.db.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	requireSealed(t, raw.Secret, rotated.Secret)
	requireSealed(t, raw.PreviousSecret, w.Secret)
	read, err := b.engine.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	require.Equal(t, rotated.Secret, read.Secret)
	require.Equal(t, w.Secret, read.PreviousSecret)

	tok, err := b.engine.IssueToken(ctx, creds.ClientID, creds.ClientSecret)
	require.NoError(t, err)
	keys, err := b.db.SigningKeys(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.True(t, strings.HasPrefix(string(keys[0].Secret), "sealed:v1:"))

	k := assetmint.IdempotencyKey{Scope: biz.ID, Key: "k1", Fingerprint: "f"}
	a, _, err := submit(b.engine, biz.ID, k, nil, nil)
	require.NoError(t, err)
	rec, err := b.db.ReserveIdempotencyKey(ctx, assetmint.IdempotencyRecord{Scope: biz.ID, Key: "k1", RequestHash: "probe",
		LockedUntil: b.clock.Now(), CreatedAt: b.clock.Now()}, b.clock.Now(), b.clock.Now().AddDate(0, 0, -1))
	require.NoError(t, err)
	requireSealed(t, string(rec.Body), string(a.Body))

	// Another instance with the same key reads them all; its tokens are
	// the first one's.
	other := engineWith(t, b, testMasterKey)
	_, err = other.Authenticate(ctx, tok.Token)
	require.NoError(t, err)
	read, err = other.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	require.Equal(t, rotated.Secret, read.Secret)

	// One with another key reads none of them.
	stranger := engineWith(t, b, []byte("another master key, 32 bytes...."))
	_, err = stranger.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err))
	_, err = stranger.Authenticate(ctx, tok.Token)
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err))
}

// A sealed secret copied into another row does not open there.
func TestSealedSecretIsBoundToItsRow(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	w1, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/1"})
	require.NoError(t, err)
	w2, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/2"})
	require.NoError(t, err)
	raw1, err := b.db.WebhookEndpoint(ctx, biz.ID, w1.ID)
	require.NoError(t, err)
	raw2, err := b.db.WebhookEndpoint(ctx, biz.ID, w2.ID)
	require.NoError(t, err)
	raw2.Secret = raw1.Secret
	require.NoError(t, b.db.UpdateWebhookEndpoint(ctx, raw2))
	_, err = b.engine.WebhookEndpoint(ctx, biz.ID, w2.ID)
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err))
}

// Rotating the master key: instances start with the new key and the old
// one as previous, ResealSecrets re-seals everything once, and then the
// old key can go. Secrets stored in plain text by an older version are
// sealed by the same call.
func TestResealSecretsRotatesTheMasterKey(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, creds, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	w, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/a"})
	require.NoError(t, err)
	tok, err := b.engine.IssueToken(ctx, creds.ClientID, creds.ClientSecret)
	require.NoError(t, err)
	answer, _, err := submit(b.engine, biz.ID, assetmint.IdempotencyKey{Scope: biz.ID, Key: "k", Fingerprint: "f"}, nil, nil)
	require.NoError(t, err)
	// An endpoint written in plain text, as before sealing existed.
	legacy, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/old"})
	require.NoError(t, err)
	rawLegacy, err := b.db.WebhookEndpoint(ctx, biz.ID, legacy.ID)
	require.NoError(t, err)
	rawLegacy.Secret = legacy.Secret
	require.NoError(t, b.db.UpdateWebhookEndpoint(ctx, rawLegacy))
	read, err := b.engine.WebhookEndpoint(ctx, biz.ID, legacy.ID)
	require.NoError(t, err)
	require.Equal(t, legacy.Secret, read.Secret, "plain text from before sealing still reads")

	newKey := []byte("the next master key, 32 bytes..!")
	rotating := engineWith(t, b, newKey, testMasterKey)
	n, err := rotating.Operator().ResealSecrets(ctx)
	require.NoError(t, err)
	// The signing key, two webhook secrets and one answer.
	require.Equal(t, 4, n)
	n, err = rotating.Operator().ResealSecrets(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing is left to re-seal")

	after := engineWith(t, b, newKey)
	_, err = after.Authenticate(ctx, tok.Token)
	require.NoError(t, err, "tokens signed before the rotation still verify")
	for _, ep := range []*assetmint.WebhookEndpoint{w, legacy} {
		read, err := after.WebhookEndpoint(ctx, biz.ID, ep.ID)
		require.NoError(t, err)
		require.Equal(t, ep.Secret, read.Secret)
		raw, err := b.db.WebhookEndpoint(ctx, biz.ID, ep.ID)
		require.NoError(t, err)
		requireSealed(t, raw.Secret, ep.Secret)
	}
	again, replayed, err := submit(after, biz.ID, assetmint.IdempotencyKey{Scope: biz.ID, Key: "k", Fingerprint: "f"}, nil, nil)
	require.NoError(t, err)
	require.True(t, replayed)
	require.Equal(t, answer, again)

	_, err = engineWith(t, b, testMasterKey).WebhookEndpoint(ctx, biz.ID, w.ID)
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err), "the old key alone opens nothing now")
}

func TestNewRequiresAMasterKey(t *testing.T) {
	b := setup(t)
	_, err := assetmint.New(b.db, assetmint.Config{})
	require.ErrorContains(t, err, "Config.MasterKey is required")
	_, err = assetmint.New(b.db, assetmint.Config{MasterKey: []byte("short")})
	require.ErrorContains(t, err, "32 bytes")
}

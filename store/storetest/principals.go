package storetest

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
)

// ExercisePrincipals runs two Engines, as two instances, over two handles
// on one database (open returns them; each must be an
// assetmint.PrincipalWatcher) and checks that the principal cache serves
// repeated requests without reading the client, and that a revocation, a
// plan change and a deleted signing key made through one instance reach
// the other. strict says the other instance sees a change on its very next
// request (SQLite, whose epoch is read from the database); otherwise
// (PostgreSQL, told by NOTIFY) within notifyWithin, while the instance
// that made the change sees it at once.
func ExercisePrincipals(t *testing.T, strict bool, open func(t *testing.T) (assetmint.Store, assetmint.Store)) {
	const notifyWithin = 2 * time.Second
	ctx := t.Context()
	sa, sb := open(t)
	a, b := &clientReads{Store: sa}, &clientReads{Store: sb}
	ea, eb := principalsEngine(t, a), principalsEngine(t, b)

	_, creds, err := ea.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	tok, err := ea.IssueToken(ctx, creds.ClientID, creds.ClientSecret)
	require.NoError(t, err)

	// Both instances serve the principal; the second request of each is
	// served without reading the client.
	for _, e := range []*assetmint.Engine{ea, eb} {
		p, err := e.Authenticate(ctx, tok.Token)
		require.NoError(t, err)
		require.Equal(t, assetmint.Principal{ClientID: creds.ClientID, BusinessID: creds.BusinessID, Plan: auth.PlanDeveloper,
			Limits: auth.Limits{PerMinute: 60, PerDay: 5_000}}, p)
	}
	// (PostgreSQL's listener starts with the first request: until it
	// listens, the client is read every time.)
	require.Eventually(t, func() bool {
		before := b.reads.Load()
		for range 3 {
			_, err := eb.Authenticate(ctx, tok.Token)
			require.NoError(t, err)
		}
		return before == b.reads.Load()
	}, notifyWithin, 5*time.Millisecond, "a cached principal is served without reading the client")

	// seen waits (when not strict) for e to see what check wants; the
	// instance that made the change must see it at once.
	seen := func(e *assetmint.Engine, local bool, check func(assetmint.Principal, error) bool) {
		t.Helper()
		if strict || local {
			require.True(t, check(e.Authenticate(ctx, tok.Token)))
			return
		}
		require.Eventually(t, func() bool { return check(e.Authenticate(ctx, tok.Token)) }, notifyWithin, 5*time.Millisecond)
	}

	// A plan change through A.
	plan := auth.PlanEnterprise
	_, err = ea.Operator().UpdateBusiness(ctx, creds.BusinessID, assetmint.BusinessUpdate{Plan: &plan})
	require.NoError(t, err)
	isEnterprise := func(p assetmint.Principal, err error) bool { return err == nil && p.Plan == auth.PlanEnterprise }
	seen(ea, true, isEnterprise)
	seen(eb, false, isEnterprise)

	// A revocation through B.
	require.NoError(t, eb.Operator().RevokeClient(ctx, creds.ClientID))
	refused := func(_ assetmint.Principal, err error) bool {
		return assetmint.ErrorCode(err) == assetmint.EUNAUTHORIZED
	}
	seen(eb, true, refused)
	seen(ea, false, refused)

	// A signing key deleted through A stops the tokens it signed in B.
	_, creds2, err := ea.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Beta"})
	require.NoError(t, err)
	tok, err = ea.IssueToken(ctx, creds2.ClientID, creds2.ClientSecret)
	require.NoError(t, err)
	_, err = eb.Authenticate(ctx, tok.Token)
	require.NoError(t, err)
	keys, err := sa.SigningKeys(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.NoError(t, eb.Operator().RotateSigningKey(ctx))
	require.NoError(t, sa.DeleteSigningKey(ctx, keys[0].ID))
	seen(ea, true, refused)
	seen(eb, false, refused)
}

// clientReads counts the reads of a client.
type clientReads struct {
	assetmint.Store
	reads atomic.Int64
}

func (c *clientReads) Client(ctx context.Context, id string) (*assetmint.Client, *assetmint.Business, error) {
	c.reads.Add(1)
	return c.Store.Client(ctx, id)
}

func (c *clientReads) PrincipalEpoch(ctx context.Context) (uint64, bool) {
	return c.Store.(assetmint.PrincipalWatcher).PrincipalEpoch(ctx)
}

func principalsEngine(t *testing.T, s assetmint.Store) *assetmint.Engine {
	e, err := assetmint.New(s, assetmint.Config{MasterKey: []byte("0123456789abcdef0123456789abcdef"), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return e
}

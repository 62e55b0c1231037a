package assetmint

import (
	"context"
	"sync"
)

// PrincipalWatcher is an optional capability of a Store that lets the
// Engine keep authenticated principals (client, business, plan) in memory
// instead of reading the client on every request. Without it, Authenticate
// reads the client every time.
type PrincipalWatcher interface {
	// PrincipalEpoch returns a number that changes once a change of a
	// client (revocation, secret rotation), a business (plan) or the
	// signing keys has committed, whichever instance made it, and ok =
	// false while the store cannot promise that (PostgreSQL: while its
	// listening connection is down or has not been heard from lately;
	// any store: when the epoch cannot be read).
	// A principal read when the epoch was n may be reused while the epoch
	// is still n and ok.
	PrincipalEpoch(ctx context.Context) (epoch uint64, ok bool)
}

// maxPrincipals bounds the cache: past it, the cache starts again empty
// (an attack with many valid tokens costs one read each, as without it).
const maxPrincipals = 10000

// principalCache holds the principals Authenticate read, each with the
// store's epoch read before the client was: it is served only while the
// epoch has not moved since. So a revocation (or a plan change, or a key
// rotation) that commits after a principal was read makes the next request
// read the client again, and a read that raced with a change is never
// served (it carries the epoch from before the change).
type principalCache struct {
	mu      sync.RWMutex
	entries map[string]cachedPrincipal // by client id
}

type cachedPrincipal struct {
	p     Principal
	epoch uint64
}

func (c *principalCache) get(clientID string, epoch uint64) (Principal, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[clientID]
	if !ok || e.epoch != epoch {
		return Principal{}, false
	}
	return e.p, true
}

func (c *principalCache) put(p Principal, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxPrincipals {
		c.entries = make(map[string]cachedPrincipal)
	}
	c.entries[p.ClientID] = cachedPrincipal{p: p, epoch: epoch}
}

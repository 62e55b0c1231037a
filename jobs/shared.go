package jobs

import (
	"context"
	"sync"
)

// claimed is what the jobs of one claim share: the values Shared made for
// them. A Worker puts it in the context of each handler it runs for that
// claim.
type claimed struct {
	mu     sync.Mutex
	values map[string]*shared
}

// shared is one value of a claim: made once, by the first handler that
// asked for it, while the others that ask wait on done.
type shared struct {
	done chan struct{}
	v    any
	ok   bool // made without error
}

type claimedKey struct{}

func withClaim(ctx context.Context, c *claimed) context.Context {
	return context.WithValue(ctx, claimedKey{}, c)
}

// Shared returns what fn returns, made once for the jobs a Worker claimed
// together: the first of their handlers to ask for key runs fn, and the
// others that ask for the same key wait for it and get the same value. So
// a read that every job of a claim makes (the webhook endpoints of the
// business whose events the fan-out jobs carry) is made once per claim
// instead of once per job, and it is still made after the claim, as each
// job's own read would have been: no job sees anything older than its
// claim. The value is shared among goroutines: fn's result must not be
// changed by its users. An error is not shared: the handler whose fn
// failed gets the error, and the next one to ask runs fn again. Outside a
// handler that a Worker runs (Run or Drain), fn runs on every call.
func Shared[T any](ctx context.Context, key string, fn func() (T, error)) (T, error) {
	c, _ := ctx.Value(claimedKey{}).(*claimed)
	if c == nil {
		return fn()
	}
	for {
		c.mu.Lock()
		if c.values == nil {
			c.values = map[string]*shared{}
		}
		s, found := c.values[key]
		if !found {
			s = &shared{done: make(chan struct{})}
			c.values[key] = s
		}
		c.mu.Unlock()
		if found {
			select {
			case <-s.done:
			case <-ctx.Done():
				var zero T
				return zero, ctx.Err()
			}
			if s.ok {
				return s.v.(T), nil
			}
			continue // its maker failed and left: ask again
		}
		return makeShared(c, key, s, fn)
	}
}

// makeShared runs fn for s and tells the waiters; if fn fails (or panics), s
// is forgotten, so the next to ask runs fn again.
func makeShared[T any](c *claimed, key string, s *shared, fn func() (T, error)) (v T, err error) {
	defer func() {
		if !s.ok {
			c.mu.Lock()
			delete(c.values, key)
			c.mu.Unlock()
		}
		close(s.done)
	}()
	v, err = fn()
	if err == nil {
		s.v, s.ok = v, true
	}
	return v, err
}

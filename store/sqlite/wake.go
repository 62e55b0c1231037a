package sqlite

import (
	"context"
	"sync"

	"github.com/assetmint/assetmint/jobs"
)

var _ jobs.Waker = (*DB)(nil)

// Wake returns a channel that receives a value soon after a due job is
// enqueued through this DB (on the DB, or by a transaction once it has
// committed), until ctx ends: so a worker over the DB runs a job as soon as
// it is enqueued instead of at its next poll. Jobs enqueued by another
// process on the same file wake nobody here: the worker's polling picks
// them up. Wake-ups are coalesced (the channel holds one) and may be
// spurious (a transaction that enqueued and then rolled back to its
// savepoint).
func (db *DB) Wake(ctx context.Context) <-chan struct{} {
	return db.wakes.add(ctx)
}

// wakeHub fans wake-ups out to the channels Wake handed out.
type wakeHub struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

func (h *wakeHub) add(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[chan struct{}]struct{}{}
	}
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	})
	return ch
}

func (h *wakeHub) notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

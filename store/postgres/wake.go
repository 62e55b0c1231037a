package postgres

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint/jobs"
)

var _ jobs.Waker = (*DB)(nil)

// Wake-up timing: the least time between two notifications from one DB
// (while they are sent, the enqueues in between share the next one), how
// long one may take, how long the listening connection may sit idle before
// it is pinged (a connection that died without a word is noticed within
// listenIdle plus listenPing), and how long a reconnection waits after a
// failure, doubling up to the maximum.
const (
	notifySpacing   = 5 * time.Millisecond
	notifyTimeout   = 5 * time.Second
	listenIdle      = 30 * time.Second
	listenPing      = 5 * time.Second
	listenConnect   = 10 * time.Second
	reconnectFirst  = 100 * time.Millisecond
	reconnectLatest = 5 * time.Second
)

// Wake implements jobs.Waker: the returned channel receives a value soon
// after a due job is enqueued on the schema, through any DB (in this
// process or another), until ctx ends.
//
// Notifying: once a due job is enqueued and visible (at once on the DB,
// after the commit on a transaction) the DB sends pg_notify on jobChannel
// with the schema as payload, in a statement of its own. Not inside the
// enqueue: PostgreSQL takes a database-wide lock to commit a transaction
// that notified and holds it through the commit's WAL flush, so a NOTIFY
// in every enqueue would make all enqueueing transactions, of every
// instance, commit one at a time (BenchmarkEnqueue compares the two). One
// notification is in flight per DB, at most one every notifySpacing; the
// enqueues in between share the next one.
//
// Listening: one connection per DB, opened by the first Wake and closed
// when the last one's ctx ends or the DB closes, fans the notifications
// out. It reconnects after a failure (with a growing pause, at most 5s),
// and wakes every channel once it listens again, for the jobs enqueued
// while it did not; in between, workers just poll. A notification lost
// any other way (a process that dies between a commit and its
// notification) also costs at most a poll. Wake on a closed DB returns a
// channel that never receives.
func (db *DB) Wake(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	if db.hub.subscribe(ch, db.listen) {
		context.AfterFunc(ctx, func() { db.hub.unsubscribe(ch) })
	}
	return ch
}

// notifyDue has the workers of every DB on the schema woken: it owes a
// notification, which the DB's sender sends soon (sendNotifications).
func (db *DB) notifyDue() { db.hub.owe(db.sendNotifications) }

// sendNotifications sends the notifications owed, one at a time, at most
// one every notifySpacing, until none is owed or ctx ends.
func (db *DB) sendNotifications(ctx context.Context) {
	for db.hub.takeOwed() {
		sctx, cancel := context.WithTimeout(ctx, notifyTimeout)
		_, _ = db.pool.Exec(sctx, `SELECT pg_notify($1, $2)`, jobChannel, db.cfg.Schema) // a lost one costs a poll
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-time.After(notifySpacing):
		}
	}
}

// wakeHub fans the notifications of a DB's listening connection out to
// the channels Wake returned. Its zero value is ready to use.
type wakeHub struct {
	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	stop   context.CancelFunc // stops the running listener; nil when none runs
	closed bool
	pid    uint32         // the listening backend's process id; 0 while not listening
	wg     sync.WaitGroup // the listener and sender goroutines

	owed    bool               // a notification is to be sent
	sending bool               // the sender runs
	quit    context.CancelFunc // stops the sender at close
}

// owe records that a notification is owed, starting send unless a sender
// runs already (it will send it).
func (h *wakeHub) owe(send func(ctx context.Context)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.owed = true
	if h.sending {
		return
	}
	h.sending = true
	ctx, quit := context.WithCancel(context.Background())
	h.quit = quit
	h.wg.Go(func() {
		defer quit()
		send(ctx)
	})
}

// takeOwed reports whether a notification is owed, and clears it. When
// none is, the sender is done: the next owe starts another.
func (h *wakeHub) takeOwed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.owed && !h.closed {
		h.owed = false
		return true
	}
	h.sending = false
	return false
}

// subscribe adds ch, starting listen if no listener runs. It reports false
// (and adds nothing) once the hub is closed.
func (h *wakeHub) subscribe(ch chan struct{}, listen func(ctx context.Context)) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if h.subs == nil {
		h.subs = map[chan struct{}]struct{}{}
	}
	h.subs[ch] = struct{}{}
	if h.stop == nil {
		ctx, stop := context.WithCancel(context.Background())
		h.stop = stop
		h.wg.Go(func() { listen(ctx) })
	}
	return true
}

// unsubscribe removes ch, stopping the listener after the last one.
func (h *wakeHub) unsubscribe(ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, ch)
	if len(h.subs) == 0 && h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// wakeAll sends to every channel that has room: a channel that holds a
// wake-up already needs no second one.
func (h *wakeHub) wakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// setPID records the listening backend's process id.
func (h *wakeHub) setPID(pid uint32) {
	h.mu.Lock()
	h.pid = pid
	h.mu.Unlock()
}

// clearPID forgets pid when a listener ends, unless a successor has
// recorded its own already.
func (h *wakeHub) clearPID(pid uint32) {
	h.mu.Lock()
	if h.pid == pid {
		h.pid = 0
	}
	h.mu.Unlock()
}

// listeningPID is the listening backend's process id, 0 while not
// listening (for tests).
func (h *wakeHub) listeningPID() uint32 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pid
}

// close stops the listener and the sender for good and waits for them to
// end.
func (h *wakeHub) close() {
	h.mu.Lock()
	h.closed = true
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
	if h.quit != nil {
		h.quit()
	}
	h.mu.Unlock()
	h.wg.Wait()
}

// listen keeps a connection listening on jobChannel until ctx ends,
// reconnecting after failures.
func (db *DB) listen(ctx context.Context) {
	keepListening(ctx, func(ctx context.Context) bool {
		listened, _ := db.listenOnce(ctx) // a failure only means polling until the next connection
		return listened
	}, func() {})
}

// keepListening runs once (a connection that LISTENs until it fails or ctx
// ends, reporting whether it got as far as listening) again and again until
// ctx ends, calling lost after each, with a pause that doubles from
// reconnectFirst to reconnectLatest while connections fail.
func keepListening(ctx context.Context, once func(context.Context) bool, lost func()) {
	pause := reconnectFirst
	for {
		listened := once(ctx)
		lost()
		if ctx.Err() != nil {
			return
		}
		if listened {
			pause = reconnectFirst
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, reconnectLatest)
	}
}

// listenOnce opens a connection, LISTENs, wakes every subscriber (jobs
// may have been enqueued while nobody listened), and then wakes them on
// each notification for this schema, until the connection fails or ctx
// ends. listened reports whether it got as far as listening.
func (db *DB) listenOnce(ctx context.Context) (listened bool, err error) {
	cctx, cancel := context.WithTimeout(ctx, listenConnect)
	conn, err := pgx.ConnectConfig(cctx, db.pool.Config().ConnConfig)
	cancel()
	if err != nil {
		return false, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx) // the connection is done with either way
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+jobChannel); err != nil {
		return false, err
	}
	pid := conn.PgConn().PID()
	db.hub.setPID(pid)
	defer db.hub.clearPID(pid)
	db.hub.wakeAll()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenIdle)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			if n.Payload == db.cfg.Schema {
				db.hub.wakeAll()
			}
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			// Quiet for listenIdle: make sure the connection still works.
			pctx, cancel := context.WithTimeout(ctx, listenPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return true, err
			}
		default:
			return true, err
		}
	}
}

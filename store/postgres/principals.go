package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

var _ assetmint.PrincipalWatcher = (*DB)(nil)

// principalChannel is the NOTIFY channel of principal changes; the payload
// is the schema.
const principalChannel = "assetmint_principals"

// principalPing is how long the principal listener may go without hearing
// from the server before it pings it, and principalStale how long since it
// last heard from it the epoch is still trusted: a connection that died
// without a word stops the cache within principalStale.
const (
	principalPing  = time.Second
	principalStale = 3 * time.Second
)

// PrincipalEpoch implements assetmint.PrincipalWatcher, across instances:
//
//   - Every change of a client (UpdateClient), a business (UpdateBusiness)
//     or the signing keys sends pg_notify(principalChannel, schema) in its
//     own transaction, so the notification goes out when, and only if, the
//     change commits (PostgreSQL delivers NOTIFY at COMMIT).
//   - Each DB keeps one connection LISTENing on the channel (opened by the
//     first PrincipalEpoch, closed by Close). Every notification for its
//     schema moves the epoch; so do the DB's own changes, after their
//     commit, without waiting for the notification.
//   - ok is true only while that connection listens and has been heard
//     from (a notification or a ping answer) within principalStale; the
//     epoch moves again whenever it is lost and when it listens again, so
//     a principal cached before the loss is never served after it.
//
// The one window left: a change committed by another instance reaches this
// one when its notification arrives (normally well under a millisecond
// after the COMMIT on a local network); a request authenticated here in
// between still sees the principal as it was.
func (db *DB) PrincipalEpoch(context.Context) (uint64, bool) {
	w := &db.principals
	w.start.Do(func() {
		ctx, stop := context.WithCancel(context.Background())
		w.mu.Lock()
		w.stop = stop
		w.mu.Unlock()
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			db.listenPrincipals(ctx)
		}()
	})
	epoch := w.epoch.Load()
	heard := w.heard.Load()
	return epoch, heard != 0 && time.Since(time.Unix(0, heard)) < principalStale
}

// principalWatch is the state behind PrincipalEpoch.
type principalWatch struct {
	epoch atomic.Uint64
	heard atomic.Int64  // unix nanoseconds the listener last heard from the server; 0 while not listening
	pid   atomic.Uint32 // the listening backend's process id, for tests; 0 while not listening

	start sync.Once
	mu    sync.Mutex
	stop  context.CancelFunc
	wg    sync.WaitGroup
}

func (w *principalWatch) moved() { w.epoch.Add(1) }

// lost marks the listener as not listening, and moves the epoch.
func (w *principalWatch) lost() {
	w.heard.Store(0)
	w.epoch.Add(1)
}

func (w *principalWatch) close() {
	w.start.Do(func() {}) // no listener starts after Close
	w.mu.Lock()
	if w.stop != nil {
		w.stop()
	}
	w.mu.Unlock()
	w.wg.Wait()
	w.lost()
}

// listenPrincipals keeps a connection listening on principalChannel until
// ctx ends, reconnecting after failures.
func (db *DB) listenPrincipals(ctx context.Context) {
	keepListening(ctx, db.listenPrincipalsOnce, db.principals.lost)
}

// listenPrincipalsOnce opens a connection, LISTENs, and moves the epoch on
// each notification for this schema, until the connection fails or ctx
// ends. It reports whether it got as far as listening.
func (db *DB) listenPrincipalsOnce(ctx context.Context) bool {
	w := &db.principals
	cctx, cancel := context.WithTimeout(ctx, listenConnect)
	conn, err := pgx.ConnectConfig(cctx, db.pool.Config().ConnConfig)
	cancel()
	if err != nil {
		return false
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+principalChannel); err != nil {
		return false
	}
	// What was cached before this listened may be stale.
	w.epoch.Add(1)
	w.heard.Store(time.Now().UnixNano())
	w.pid.Store(conn.PgConn().PID())
	defer w.pid.Store(0)
	for {
		wctx, cancel := context.WithTimeout(ctx, principalPing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			if n.Payload == db.cfg.Schema {
				w.epoch.Add(1)
			}
			w.heard.Store(time.Now().UnixNano())
		case ctx.Err() != nil:
			return true
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			// Quiet for principalPing: make sure the connection still
			// works (the server sends what was notified before it
			// answers).
			pctx, cancel := context.WithTimeout(ctx, principalPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return true
			}
			w.heard.Store(time.Now().UnixNano())
		default:
			return true
		}
	}
}

// notifyPrincipals tells every instance that a client, a business or the
// signing keys changed, when err (the change's outcome) is nil, and
// returns err. In a transaction the NOTIFY goes out at its COMMIT and the
// DB's own epoch moves after it (once); on the pool the change has
// committed already, and a NOTIFY that fails is an error, since the other
// instances would not hear of the change.
func (q queries) notifyPrincipals(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	if _, err := q.q.Exec(ctx, `SELECT pg_notify($1, current_schema())`, principalChannel); err != nil {
		return internal(err)
	}
	if q.changed != nil {
		q.changed()
	}
	return nil
}

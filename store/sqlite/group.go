package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Group commit.
//
// With synchronous=FULL every COMMIT waits for the WAL to reach the disk
// (an fsync), and on one writer connection commits go one at a time: a
// write transaction costs at least one fsync, and the writer does nothing
// else while it waits. Group commit makes concurrent write transactions
// share one: a committer goroutine owns the writer's transactions, and runs
// the transactions that are waiting when it starts one (each caller's fn,
// in turn, in the caller's own goroutine) inside one SQLite transaction,
// each in a SAVEPOINT of its own, then COMMITs once. Every caller returns
// after that COMMIT, so nothing is acknowledged before it is durable, and
// synchronous stays FULL.
//
// What each caller still gets, as if its transaction were alone:
//   - fn's error rolls back to its savepoint: its writes are undone, the
//     others' are not, and InTx returns fn's error unchanged (after the
//     COMMIT of the others, so that what fn saw was committed).
//   - A panic (or runtime.Goexit) in fn rolls back to its savepoint and
//     goes on in the caller's goroutine with its own stack; the others
//     commit.
//   - fn sees the writes of the transactions before it in the group (they
//     are serialized, as they were on one writer) and never those of a
//     transaction that failed.
//   - A caller's context is not given to the statements (a cancelled
//     statement would make SQLite roll back the whole transaction, the
//     other callers' writes too); it only ends the wait for a turn. fn may
//     check it and return an error, which rolls back its own writes.
//
// When the shared transaction itself fails (its COMMIT, or a savepoint
// statement after an I/O error or a full disk, which make SQLite roll back
// the whole transaction), every caller in it runs again, alone in a
// transaction of its own, and gets that transaction's outcome. So fn may
// run more than once and must have no effect outside the transaction, as on
// PostgreSQL, whose InTx runs fn again after a deadlock.

// DefaultMaxGroup is how many write transactions share one commit at most
// when Config.MaxGroup is zero.
const DefaultMaxGroup = 64

// errClosed is what a write gets once Close has begun.
var errClosed = errors.New("sqlite: the database is closed")

// errLost tells a caller its shared transaction failed as a whole, so it
// runs again alone.
var errLost = errors.New("sqlite: the shared transaction failed")

// committer runs every write transaction of a DB on its one writer
// connection, in groups that share a commit.
type committer struct {
	writer *sql.DB
	max    int
	// onDue is called after a commit of a group that enqueued due jobs.
	onDue func()

	mu     sync.Mutex
	queue  []*member // waiting for a turn, in arrival order
	solo   []*member // to run alone, before the queue
	closed bool
	wake   chan struct{} // a member arrived, or Close began (capacity 1)
	done   chan struct{} // closed when the loop has ended

	// commits counts the COMMITs that succeeded and members the
	// transactions they carried; busy and committing are the nanoseconds
	// the writer spent in groups and in their COMMITs (GroupStats).
	commits, members, busy, committing atomic.Int64
}

// member is one caller's transaction waiting for, or having, its turn.
type member struct {
	ctx  context.Context
	solo bool
	turn chan dbtx    // committer -> caller: run fn now (unbuffered)
	ran  chan outcome // caller -> committer: fn is done
	out  chan error   // committer -> caller: the final result
}

// outcome is how fn ended.
type outcome struct {
	err     error
	aborted bool // a panic or runtime.Goexit: rolled back, nothing to wait for
}

func newCommitter(writer *sql.DB, max int, onDue func()) *committer {
	c := &committer{writer: writer, max: max, onDue: onDue, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go c.loop()
	return c
}

// close lets the members already waiting run, then ends the loop.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.signal()
	<-c.done
}

func (c *committer) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// run runs fn in a write transaction shared with the other callers waiting
// at the time (alone when solo), and returns after its commit: nil, fn's
// error unchanged, or EINTERNAL when the transaction could not begin or
// commit.
func (c *committer) run(ctx context.Context, fn func(q dbtx) error, solo bool) error {
	for {
		m := &member{ctx: ctx, solo: solo, turn: make(chan dbtx), ran: make(chan outcome, 1), out: make(chan error, 1)}
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return internal(errClosed)
		}
		if solo {
			c.solo = append(c.solo, m)
		} else {
			c.queue = append(c.queue, m)
		}
		c.mu.Unlock()
		c.signal()

		var err error
		select {
		case q := <-m.turn:
			m.call(q, fn)
			err = <-m.out
		case err = <-m.out: // its transaction failed before its turn
		case <-ctx.Done():
			return internal(ctx.Err())
		}
		if errors.Is(err, errLost) {
			solo = true
			continue
		}
		return err
	}
}

// call runs fn in the caller's goroutine and tells the committer how it
// ended. On a panic or runtime.Goexit it waits for the rollback to the
// member's savepoint and lets the panic go on, with its own stack.
func (m *member) call(q dbtx, fn func(q dbtx) error) {
	finished := false
	defer func() {
		if !finished {
			m.ran <- outcome{aborted: true}
			<-m.out
		}
	}()
	err := fn(q)
	finished = true
	m.ran <- outcome{err: err}
}

// next returns the member to run next: when starting a group, a solo one
// first, waiting for one to arrive (nil once closed and none is left);
// when adding to a group, the first in the queue, or nil if none waits.
func (c *committer) next(start bool) *member {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if start && len(c.solo) > 0 {
			m := c.solo[0]
			c.solo = c.solo[1:]
			return m
		}
		if len(c.queue) > 0 {
			m := c.queue[0]
			c.queue[0] = nil
			c.queue = c.queue[1:]
			return m
		}
		if !start || c.closed {
			return nil
		}
		c.mu.Unlock()
		<-c.wake
		c.mu.Lock()
	}
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		m := c.next(true)
		if m == nil {
			return
		}
		c.group(m)
	}
}

// waiting is a member whose fn returned, waiting for the commit, and
// fn's error.
type waiting struct {
	m   *member
	err error
}

// group runs first and the members that are waiting in one transaction
// and commits it.
//
// The transaction is BEGIN IMMEDIATE ... COMMIT on a *sql.Conn, not a
// *sql.Tx: database/sql gives a Tx a cancellable context, and then every
// query in it starts a goroutine that waits for the rows to close (and the
// driver another), which a CPU profile of POST showed waking threads on
// every read; on a Conn with a context that cannot be cancelled the reads
// run in the caller's goroutine.
func (c *committer) group(first *member) {
	start := time.Now()
	bg := context.Background()
	conn, err := c.writer.Conn(bg)
	if err != nil {
		first.out <- internal(err)
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(bg, `BEGIN IMMEDIATE`); err != nil {
		c.endTx(conn)
		first.out <- internal(err)
		return
	}
	q := txConn{conn, &groupRun{}}
	var ran []waiting
	var lost error // the statement that failed the whole transaction
	for m := first; m != nil; m = c.more(first, len(ran), lost) {
		if _, err := conn.ExecContext(bg, `SAVEPOINT member`); err != nil {
			lost = err
			c.fail(m, err, len(ran) == 0) // it has not run
			break
		}
		select {
		case m.turn <- q:
		case <-m.ctx.Done():
			// It stopped waiting; its savepoint is empty.
			if _, err := conn.ExecContext(bg, `RELEASE member`); err != nil {
				lost = err
			}
			continue
		}
		o := <-m.ran
		if o.err != nil || o.aborted {
			if _, err := conn.ExecContext(bg, `ROLLBACK TO member`); err != nil && lost == nil {
				lost = err
			}
		}
		if _, err := conn.ExecContext(bg, `RELEASE member`); err != nil && lost == nil {
			lost = err
		}
		if o.aborted {
			m.out <- nil // it goes on panicking; none of its writes stay
			continue
		}
		ran = append(ran, waiting{m, o.err})
	}
	err = lost
	if err == nil {
		committing := time.Now()
		_, err = conn.ExecContext(bg, `COMMIT`)
		c.committing.Add(int64(time.Since(committing)))
	}
	if err != nil {
		c.endTx(conn)
	} else {
		c.commits.Add(1)
		c.members.Add(int64(len(ran)))
		if q.run.due && c.onDue != nil {
			c.onDue()
		}
	}
	c.busy.Add(int64(time.Since(start))) // before the members hear: what they see includes their group
	for _, w := range ran {
		if err != nil {
			c.fail(w.m, err, len(ran) == 1)
		} else {
			w.m.out <- w.err
		}
	}
}

// endTx rolls back whatever is left of a failed transaction on conn (SQLite
// may keep it open after a failed COMMIT, or have rolled it back already).
// A connection still in a transaction after that is closed, so that the
// next group begins on a fresh one.
func (c *committer) endTx(conn *sql.Conn) {
	_, _ = conn.ExecContext(context.Background(), `ROLLBACK`) // "no transaction is active" when SQLite ended it
	_ = conn.Raw(func(dc any) error {
		if sc, ok := dc.(*sqlite3.SQLiteConn); ok && !sc.AutoCommit() {
			return driver.ErrBadConn // database/sql closes it
		}
		return nil
	})
}

// GroupStats is what the writer has done since Open.
type GroupStats struct {
	Commits int64 // shared transactions committed
	Members int64 // write transactions they carried
	// Busy is the time the writer spent running groups: BEGIN to COMMIT,
	// the members' functions included. Committing is the part of it spent
	// in COMMIT (writing the WAL frames and, with synchronous=FULL, the
	// fsync). Busy near the elapsed time means writes wait for the writer.
	Busy, Committing time.Duration
}

// GroupStats reports what the writer has done since Open: how much group
// commit shares commits, and how busy the one writer is, which is what
// bounds a write-heavy load on SQLite (docs/performance.md).
func (db *DB) GroupStats() GroupStats {
	c := db.group
	return GroupStats{Commits: c.commits.Load(), Members: c.members.Load(),
		Busy: time.Duration(c.busy.Load()), Committing: time.Duration(c.committing.Load())}
}

// fail tells m that its transaction failed with err: as its own failure
// when it was alone in it (or is to run alone), else as errLost, so that it
// runs again alone.
func (c *committer) fail(m *member, err error, alone bool) {
	if alone || m.solo {
		m.out <- internal(err)
		return
	}
	m.out <- errLost
}

// more returns the next member to add to a group begun by first that has
// had n members, or nil when the group is to commit now.
func (c *committer) more(first *member, n int, lost error) *member {
	if lost != nil || first.solo || n >= c.max {
		return nil
	}
	return c.next(false)
}

// txConn runs a member's statements in the shared transaction, without the
// caller's cancellation (see the comment at the top of the file).
type txConn struct {
	conn *sql.Conn
	run  *groupRun
}

// groupRun is what a group's members tell the committer.
type groupRun struct {
	due bool // a member enqueued a job that is due (perhaps rolled back: a hint)
}

func (g *groupRun) enqueuedDue() { g.due = true }

func (t txConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.conn.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (t txConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.conn.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (t txConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.conn.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// autoWriter is the DB's writer outside InTx: each statement is a write
// transaction of its own, sharing commits with the others.
type autoWriter struct{ c *committer }

func (w autoWriter) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = w.c.run(ctx, func(q dbtx) error {
		res, err = q.ExecContext(ctx, query, args...)
		return err
	}, false)
	return res, err
}

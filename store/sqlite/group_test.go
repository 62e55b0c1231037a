package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

func groupBusiness(id string) *assetmint.Business {
	now := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	return &assetmint.Business{ID: id, Name: "Acme " + id, Plan: "developer", CreatedAt: now, UpdatedAt: now}
}

// businessExists reads through the reader pool, which sees only what has
// committed.
func businessExists(t *testing.T, db *DB, id string) bool {
	t.Helper()
	_, err := db.Business(context.Background(), id)
	if assetmint.ErrorCode(err) == assetmint.ENOTFOUND {
		return false
	}
	require.NoError(t, err)
	return true
}

// holdWriter starts a transaction that holds the writer until release is
// called, so that the transactions started meanwhile queue up and share the
// next commit. It returns once the transaction runs.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	running, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	var once sync.Once
	go func() {
		done <- db.InTx(context.Background(), func(tx assetmint.Tx) error {
			once.Do(func() { close(running) }) // fn may run again

			<-gate
			return tx.CreateBusiness(context.Background(), groupBusiness("biz_holder"))
		})
	}()
	<-running
	return func() {
		close(gate)
		require.NoError(t, <-done)
	}
}

// queued waits until n transactions wait for the writer.
func queued(t *testing.T, db *DB, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		db.group.mu.Lock()
		defer db.group.mu.Unlock()
		return len(db.group.queue) >= n
	}, 5*time.Second, time.Millisecond)
}

// TestGroupCommitSharesOneCommit checks that transactions that wait while
// the writer is busy commit together, in one COMMIT (so one fsync), and
// that each caller returns only once its writes are visible to the
// readers, which see only what has committed.
func TestGroupCommitSharesOneCommit(t *testing.T) {
	db := open(t, Config{})
	before := db.GroupStats()
	held := time.Now()
	release := holdWriter(t, db)

	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("biz_%04d", i)
			errs[i] = db.InTx(context.Background(), func(tx assetmint.Tx) error {
				return tx.CreateBusiness(context.Background(), groupBusiness(id))
			})
			if errs[i] == nil && !businessExists(t, db, id) {
				errs[i] = fmt.Errorf("%s acknowledged before it committed", id)
			}
		}()
	}
	queued(t, db, n)
	time.Sleep(20 * time.Millisecond) // the writer is held for at least this
	release()
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	heldFor := time.Since(held)
	after := db.GroupStats()
	require.Equal(t, int64(1), after.Commits-before.Commits, "the holder and the %d waiting share one commit", n)
	require.Equal(t, int64(n+1), after.Members-before.Members)
	// The writer was busy at least while the holder held it, and its
	// COMMIT is part of that.
	require.Greater(t, after.Committing-before.Committing, time.Duration(0))
	require.Less(t, after.Committing-before.Committing, after.Busy-before.Busy)
	require.GreaterOrEqual(t, after.Busy-before.Busy, 20*time.Millisecond)
	require.LessOrEqual(t, after.Busy-before.Busy, heldFor)
}

// TestGroupCommitWithoutGroups checks MaxGroup 1: every transaction
// commits on its own.
func TestGroupCommitWithoutGroups(t *testing.T) {
	db := open(t, Config{MaxGroup: 1})
	release := holdWriter(t, db)
	before := db.group.commits.Load()
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.InTx(context.Background(), func(tx assetmint.Tx) error {
				return tx.CreateBusiness(context.Background(), groupBusiness(fmt.Sprintf("biz_%04d", i)))
			})
		}()
	}
	queued(t, db, 5)
	release()
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(6), db.group.commits.Load()-before)
}

// TestGroupCommitRollsBackAFailureAlone checks that a transaction that
// fails in a group loses its own writes and no one else's, and that its
// error comes back unchanged; and that a transaction sees the writes of
// those before it in its group, never those of one that failed.
func TestGroupCommitRollsBackAFailureAlone(t *testing.T) {
	db := open(t, Config{})
	ctx := context.Background()
	release := holdWriter(t, db)
	boom := errors.New("boom")

	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.InTx(ctx, func(tx assetmint.Tx) error {
				if err := tx.CreateBusiness(ctx, groupBusiness(fmt.Sprintf("biz_%04d", i))); err != nil {
					return err
				}
				if i%3 == 0 {
					return boom
				}
				return nil
			})
		}()
		queued(t, db, i+1) // in this order
	}
	// The last one reads what the group wrote before it.
	var seen []string
	wg.Add(1)
	var readErr error
	go func() {
		defer wg.Done()
		readErr = db.InTx(ctx, func(tx assetmint.Tx) error {
			for i := range 10 {
				if _, err := tx.Business(ctx, fmt.Sprintf("biz_%04d", i)); err == nil {
					seen = append(seen, fmt.Sprintf("biz_%04d", i))
				}
			}
			return nil
		})
	}()
	queued(t, db, 11)
	release()
	wg.Wait()
	require.NoError(t, readErr)

	var want []string
	for i := range 10 {
		id := fmt.Sprintf("biz_%04d", i)
		if i%3 == 0 {
			require.ErrorIs(t, errs[i], boom, id)
			require.Same(t, boom, errs[i], "fn's error comes back unchanged")
			require.False(t, businessExists(t, db, id), id)
			continue
		}
		require.NoError(t, errs[i], id)
		require.True(t, businessExists(t, db, id), id)
		want = append(want, id)
	}
	require.Equal(t, want, seen)
}

// TestGroupCommitPanicStaysWithItsCaller checks that a panic in one
// transaction of a group, and a runtime.Goexit (t.FailNow) in another,
// roll back only their own writes, reach only their own callers, and leave
// the store working.
func TestGroupCommitPanicStaysWithItsCaller(t *testing.T) {
	db := open(t, Config{})
	ctx := context.Background()
	release := holdWriter(t, db)

	var wg sync.WaitGroup
	var recovered any
	exited := make(chan bool, 1)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("biz_%04d", i)
			switch i {
			case 1:
				defer func() { recovered = recover() }()
			case 2:
				normal := false
				defer func() { exited <- !normal }()
				errs[i] = db.InTx(ctx, func(tx assetmint.Tx) error {
					_ = tx.CreateBusiness(ctx, groupBusiness(id))
					runtime.Goexit()
					return nil
				})
				normal = true
				return
			}
			errs[i] = db.InTx(ctx, func(tx assetmint.Tx) error {
				if err := tx.CreateBusiness(ctx, groupBusiness(id)); err != nil {
					return err
				}
				if i == 1 {
					panic("boom")
				}
				return nil
			})
		}()
		queued(t, db, i+1)
	}
	release()
	wg.Wait()
	require.Equal(t, "boom", recovered)
	require.True(t, <-exited, "the Goexit went on")
	require.NoError(t, errs[0])
	require.NoError(t, errs[3])
	require.True(t, businessExists(t, db, "biz_0000"))
	require.False(t, businessExists(t, db, "biz_0001"))
	require.False(t, businessExists(t, db, "biz_0002"))
	require.True(t, businessExists(t, db, "biz_0003"))
	require.NoError(t, db.CreateBusiness(ctx, groupBusiness("biz_after")))
}

// TestGroupCommitContextEndsTheWait checks that a caller whose context
// ends while it waits for a turn gets an error, and its fn never runs.
func TestGroupCommitContextEndsTheWait(t *testing.T) {
	db := open(t, Config{})
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ran := false
	go func() {
		done <- db.InTx(ctx, func(tx assetmint.Tx) error { ran = true; return nil })
	}()
	queued(t, db, 1)
	cancel()
	err := <-done
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(err))
	require.ErrorIs(t, err, context.Canceled)
	release()
	require.NoError(t, db.CreateBusiness(context.Background(), groupBusiness("biz_after")))
	require.False(t, ran)
}

// TestGroupCommitRunsAgainAloneWhenTheGroupFails checks the rule for a
// shared transaction that fails as a whole: here one fn ends it (ROLLBACK),
// so the savepoints are gone and nothing of the group can commit. The
// others run again, each alone, and commit; the culprit, alone too, fails.
func TestGroupCommitRunsAgainAloneWhenTheGroupFails(t *testing.T) {
	db := open(t, Config{})
	ctx := context.Background()
	release := holdWriter(t, db)

	var wg sync.WaitGroup
	var mu sync.Mutex
	runs := map[int]int{}
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.inWriteTx(ctx, func(q dbtx) error {
				mu.Lock()
				runs[i]++
				mu.Unlock()
				if i == 2 {
					_, err := q.ExecContext(ctx, `ROLLBACK`)
					return err
				}
				return (queries{r: q, w: q}).CreateBusiness(ctx, groupBusiness(fmt.Sprintf("biz_%04d", i)))
			})
		}()
		queued(t, db, i+1)
	}
	release()
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.Equal(t, assetmint.EINTERNAL, assetmint.ErrorCode(errs[2]))
	require.NoError(t, errs[3])
	require.Equal(t, map[int]int{0: 2, 1: 2, 2: 2, 3: 1}, runs, "0 and 1 ran in the lost group and again alone; 3 came after")
	for _, id := range []string{"biz_0000", "biz_0001", "biz_0003", "biz_holder"} {
		require.True(t, businessExists(t, db, id), id)
	}
}

// TestGroupCommitSurvivesKill9 kills a process that is writing with group
// commit (16 writers, each reporting every write InTx acknowledged) and
// checks that every acknowledged write is in the database afterwards.
func TestGroupCommitSurvivesKill9(t *testing.T) {
	if path := os.Getenv("ASSETMINT_GROUP_KILL_DB"); path != "" {
		groupKillChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	db, err := Open(path, Config{})
	require.NoError(t, err)
	require.NoError(t, db.Migrate(t.Context()))
	require.NoError(t, db.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestGroupCommitSurvivesKill9$")
	cmd.Env = append(os.Environ(), "ASSETMINT_GROUP_KILL_DB="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 2000 {
		if id, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
			acked = append(acked, id)
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.Len(t, acked, 2000, "the child wrote")

	db, err = Open(path, Config{})
	require.NoError(t, err)
	defer db.Close()
	for _, id := range acked {
		require.True(t, businessExists(t, db, id), "acknowledged %s is lost", id)
	}
}

// groupKillChild writes until it is killed, printing each acknowledged
// write.
func groupKillChild(path string) {
	db, err := Open(path, Config{})
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id := fmt.Sprintf("biz_%02d_%06d", g, i)
				if err := db.CreateBusiness(context.Background(), groupBusiness(id)); err != nil {
					panic(err)
				}
				mu.Lock()
				fmt.Fprintf(w, "acked %s\n", id)
				w.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// The writer keeps its statement journals (a member's savepoint) in
// memory: temp_store is MEMORY (2) on its connection, however often the
// pool opens one.
func TestWriterKeepsTempInMemory(t *testing.T) {
	db := open(t, Config{})
	var mode int
	require.NoError(t, db.writer.QueryRow(`PRAGMA temp_store`).Scan(&mode))
	require.Equal(t, 2, mode)
	var readerMode int
	require.NoError(t, db.readers.QueryRow(`PRAGMA temp_store`).Scan(&readerMode))
	require.Equal(t, 0, readerMode, "the readers keep the default")
}

// inShapes covers every item once, in order, by runs of 64, 32, ... 1: the
// largest that fits what is left (135 = 64 + 64 + 4 + 2 + 1).
func TestInShapesRunsThePowersOfTwoThatFit(t *testing.T) {
	items := make([]int, 135)
	for i := range items {
		items[i] = i
	}
	var sizes, seen []int
	require.NoError(t, inShapes(items, func(run []int) error {
		sizes = append(sizes, len(run))
		seen = append(seen, run...)
		return nil
	}))
	require.Equal(t, []int{64, 64, 4, 2, 1}, sizes)
	require.Equal(t, items, seen)
	require.NoError(t, inShapes([]int(nil), func([]int) error { t.Fatal("run on nothing"); return nil }))
	stop := errors.New("stop")
	calls := 0
	require.ErrorIs(t, inShapes(items, func([]int) error { calls++; return stop }), stop)
	require.Equal(t, 1, calls, "the first error ends it")
}

package assetmint

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// batchStore is a Store whose transactions only collect the test's writes
// (fakeTx.writes), and keep them when fn returns nil and the commit does
// not fail (failCommit fails the next commit of more than one write).
type batchStore struct {
	Store
	mu         sync.Mutex
	committed  []string
	txs        int
	failCommit bool
}

type fakeTx struct {
	Tx
	writes []string
}

func (s *batchStore) InTx(_ context.Context, fn func(Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &fakeTx{}
	if err := fn(tx); err != nil {
		return err
	}
	if s.failCommit && len(tx.writes) > 1 {
		s.failCommit = false
		return errors.New("disk I/O error")
	}
	s.committed = append(s.committed, tx.writes...)
	s.txs++
	return nil
}

// runBatched holds the batcher busy with a first write until n more wait,
// then lets them run as one batch; write i fails with failing's error when
// i == failing. It returns each one's outcome.
func runBatched(t *testing.T, s *batchStore, n, failing int) []error {
	t.Helper()
	b := &writeBatch{store: s}
	release := make(chan struct{})
	first := make(chan error)
	go func() {
		first <- b.inTx(context.Background(), func(tx Tx) error {
			<-release
			tx.(*fakeTx).writes = append(tx.(*fakeTx).writes, "first")
			return nil
		})
	}()
	for { // the first is taken: the n others make the next batch
		b.mu.Lock()
		taken := len(b.waiting) == 0 && b.running
		b.mu.Unlock()
		if taken {
			break
		}
		time.Sleep(time.Millisecond)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = b.inTx(context.Background(), func(tx Tx) error {
				if i == failing {
					return fmt.Errorf("write %d: %w", i, errBoom)
				}
				tx.(*fakeTx).writes = append(tx.(*fakeTx).writes, fmt.Sprint("w", i))
				return nil
			})
		})
	}
	for {
		b.mu.Lock()
		waiting := len(b.waiting)
		b.mu.Unlock()
		if waiting == n {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return errs
}

var errBoom = errors.New("boom")

// A write that fails its batch gets its own error; the others of the batch
// commit, together.
func TestWriteBatchFailureIsItsOwn(t *testing.T) {
	s := &batchStore{}
	errs := runBatched(t, s, 7, 3)
	for i, err := range errs {
		if i == 3 {
			if !errors.Is(err, errBoom) {
				t.Fatalf("write 3: %v, want its own error", err)
			}
		} else if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	slices.Sort(s.committed)
	if want := []string{"first", "w0", "w1", "w2", "w4", "w5", "w6"}; !slices.Equal(s.committed, want) {
		t.Fatalf("committed %v, want %v", s.committed, want)
	}
	if s.txs != 2 {
		t.Fatalf("%d transactions committed, want 2: the first, then the six others together", s.txs)
	}
}

// A batch whose commit fails runs each write again alone.
func TestWriteBatchCommitFailureRunsEachAlone(t *testing.T) {
	s := &batchStore{}
	s.failCommit = true
	errs := runBatched(t, s, 4, -1)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	slices.Sort(s.committed)
	if want := []string{"first", "w0", "w1", "w2", "w3"}; !slices.Equal(s.committed, want) {
		t.Fatalf("committed %v, want %v", s.committed, want)
	}
	if s.txs != 5 {
		t.Fatalf("%d transactions committed, want 5: the first, then each of the four alone", s.txs)
	}
}

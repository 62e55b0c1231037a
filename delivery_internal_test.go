package assetmint

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/assetmint/assetmint/jobs"
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

// CreateWebhookDeliveries refuses a delivery with id "dup" (ECONFLICT) and
// writes the others' ids.
func (tx *fakeTx) CreateWebhookDeliveries(_ context.Context, ds []*WebhookDelivery) ([]error, error) {
	errs := make([]error, len(ds))
	for i, d := range ds {
		if d.ID == "dup" {
			errs[i] = Errorf(ECONFLICT, "webhook delivery already exists")
			continue
		}
		tx.writes = append(tx.writes, d.ID)
	}
	return errs, nil
}

// RecordOutcomes writes "job<id>" for each outcome; job 404's is refused.
func (tx *fakeTx) RecordOutcomes(_ context.Context, os []jobs.Outcome) ([]error, error) {
	errs := make([]error, len(os))
	for i, o := range os {
		if o.ID == 404 {
			errs[i] = jobs.ErrLeaseLost
			continue
		}
		tx.writes = append(tx.writes, fmt.Sprint("job", o.ID))
	}
	return errs, nil
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
	awaitTaken(b) // the first is taken: the n others make the next batch
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

// Deliveries created through the batch go in by one call with their jobs'
// completions: one refused (ECONFLICT) gets its error and no completion,
// a completion whose lease is lost says so, the others commit together.
func TestWriteBatchCreatesTogether(t *testing.T) {
	s := &batchStore{}
	b := &writeBatch{store: s}
	release := make(chan struct{})
	go func() {
		_ = b.inTx(context.Background(), func(tx Tx) error { <-release; return nil })
	}()
	awaitTaken(b)
	type result struct {
		completed bool
		err       error
	}
	cases := []struct {
		id  string
		job int64
	}{{"whd_1", 1}, {"dup", 2}, {"whd_3", 404}, {"whd_4", 0}}
	results := make([]result, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Go(func() {
			var o *jobs.Outcome
			if c.job != 0 {
				o = &jobs.Outcome{ID: c.job, Status: jobs.StatusCompleted}
			}
			done, err := b.create(context.Background(), &WebhookDelivery{ID: c.id}, o)
			results[i] = result{done, err}
		})
	}
	for {
		b.mu.Lock()
		waiting := len(b.waiting)
		b.mu.Unlock()
		if waiting == len(cases) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	want := []result{{true, nil}, {false, nil}, {false, nil}, {false, nil}}
	for i, r := range results {
		if i == 1 {
			if ErrorCode(r.err) != ECONFLICT || r.completed {
				t.Fatalf("dup: %+v, want ECONFLICT and no completion", r)
			}
			continue
		}
		if r != want[i] {
			t.Fatalf("%s: %+v, want %+v", cases[i].id, r, want[i])
		}
	}
	slices.Sort(s.committed)
	if w := []string{"job1", "whd_1", "whd_3", "whd_4"}; !slices.Equal(s.committed, w) {
		t.Fatalf("committed %v, want %v", s.committed, w)
	}
	if s.txs != 2 {
		t.Fatalf("%d transactions, want 2: the first, then the four together", s.txs)
	}
}

// awaitTaken waits until b runs a batch and nothing waits for the next.
func awaitTaken(b *writeBatch) {
	for {
		b.mu.Lock()
		taken := len(b.waiting) == 0 && b.running
		b.mu.Unlock()
		if taken {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// endpointsTx is a Tx with endpoints and a jobs queue in memory, and no
// FanoutEnqueuer: enqueueFanout reads the endpoints itself.
type endpointsTx struct {
	Tx
	enabled  []*WebhookEndpoint
	enqueued []string
}

func (t *endpointsTx) EnabledWebhookEndpoints(context.Context, string) ([]*WebhookEndpoint, error) {
	return t.enabled, nil
}

func (t *endpointsTx) EnqueueJob(_ context.Context, n jobs.New, _ time.Time) (bool, error) {
	t.enqueued = append(t.enqueued, n.UniqueKey)
	return true, nil
}

// A store whose transactions are not FanoutEnqueuers gets a fan-out job
// only for an event an enabled endpoint wants, as one that is (the
// conformance suite's EnqueueFanoutOnlyWhenAnEndpointWantsTheEvent).
func TestFanoutWithoutTheStoresCapability(t *testing.T) {
	e := &Engine{cfg: Config{Now: time.Now}}
	tx := &endpointsTx{}
	emit := func(id, typ string) {
		t.Helper()
		if err := e.enqueueFanout(context.Background(), tx, &Event{ID: id, BusinessID: "biz_1", Type: typ, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	emit("evt_1", EventAssetSubmitted) // no endpoint
	tx.enabled = []*WebhookEndpoint{{ID: "we_1", Events: []string{EventAssetSubmitted}, Status: EndpointEnabled}}
	emit("evt_2", "asset.valued") // not wanted
	emit("evt_3", EventAssetSubmitted)
	tx.enabled = append(tx.enabled, &WebhookEndpoint{ID: "we_2", Status: EndpointEnabled}) // every event
	emit("evt_4", "asset.valued")
	if want := []string{"fanout:evt_3", "fanout:evt_4"}; !slices.Equal(tx.enqueued, want) {
		t.Fatalf("fan-outs %v, want %v", tx.enqueued, want)
	}
}

package assetmint

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/webhooks"
)

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "pending" // waiting for its first attempt or a retry
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed" // out of attempts, or its endpoint was disabled
)

// WebhookDelivery is one event sent to one endpoint, with its attempts.
type WebhookDelivery struct {
	ID             string
	BusinessID     string
	EndpointID     string
	EventID        string
	EventType      string
	Status         DeliveryStatus
	Attempts       int
	LastStatusCode int    // the receiver's last HTTP status; 0 when it never answered
	LastError      string // why the last attempt failed
	NextAttemptAt  time.Time
	DeliveredAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// WebhookDeliveryStore keeps deliveries: one per endpoint and event.
type WebhookDeliveryStore interface {
	// CreateWebhookDelivery inserts d. ECONFLICT if the id exists or the
	// endpoint already has a delivery of that event (fan-out runs at least
	// once, deliveries exist once).
	CreateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// CreateWebhookDeliveries inserts each of ds as CreateWebhookDelivery
	// would, in as few statements as the store can (a batch of attempts
	// recorded together), and returns each one's error: nil, ECONFLICT or
	// ENOTFOUND, which leave the others inserted and a transaction usable.
	// The second result is a failure of the whole, which inserted none.
	CreateWebhookDeliveries(ctx context.Context, ds []*WebhookDelivery) ([]error, error)
	// WebhookDelivery reads one of the business's deliveries. ENOTFOUND if
	// absent or another business's.
	WebhookDelivery(ctx context.Context, businessID, id string) (*WebhookDelivery, error)
	// WebhookDeliveryOfEvent reads the delivery of an event to one of the
	// business's endpoints (a fan-out run again finds what an earlier run
	// created). ENOTFOUND if there is none, or the business is another's.
	WebhookDeliveryOfEvent(ctx context.Context, businessID, endpointID, eventID string) (*WebhookDelivery, error)
	// WebhookDeliveries lists an endpoint's deliveries, newest first; none
	// for another business's endpoint. ErrCursorNotFound (ENOTFOUND) if
	// p's cursor is not one of the deliveries of the business's endpoint.
	WebhookDeliveries(ctx context.Context, businessID, endpointID string, p ListParams) (Page[*WebhookDelivery], error)
	// UpdateWebhookDelivery writes every mutable field of d (scoped by
	// d.BusinessID). ENOTFOUND if absent.
	UpdateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
}

// WebhookSender makes one delivery attempt: webhooks.Sender signs and
// POSTs it; a host may wrap it (to trace, to route through its own egress).
type WebhookSender interface {
	// Send signs m and sends it. An error means no answer came; its text is
	// shown to the endpoint's owner.
	Send(ctx context.Context, m webhooks.Message) (webhooks.Answer, error)
}

// Job kinds of webhook delivery.
const (
	// JobWebhookFanout turns one event into a delivery per subscribed
	// endpoint and makes each one's first attempt. It is enqueued with the
	// event, in the same transaction.
	JobWebhookFanout = "webhook.fanout"
	// JobWebhookDeliver makes the later attempts of one delivery. Each
	// failing delivery is its own job, so a failing message never waits
	// behind another.
	JobWebhookDeliver = "webhook.deliver"
)

// maxDeliveryAttempts is the first attempt plus the retry schedule.
const maxDeliveryAttempts = 1 + webhooks.RetryAttempts

func (e *Engine) setupWebhooks() error {
	wc := &e.cfg.Webhooks
	if wc.Concurrency < 0 || wc.DisableAfter < 0 {
		return errors.New("assetmint: WebhookConfig values must not be negative")
	}
	if wc.Concurrency == 0 {
		wc.Concurrency = 128
	}
	if wc.DisableAfter == 0 {
		wc.DisableAfter = 5 * 24 * time.Hour
	}
	if wc.Sender == nil {
		wc.Sender = webhooks.NewSender(webhooks.ClientConfig{AllowPrivate: wc.AllowPrivate})
	}
	w, err := e.newWorker("delivery", wc.Concurrency, e.raw)
	if err != nil {
		return err
	}
	// The fan-out makes each delivery's first attempt, so it is the
	// delivery worker's: I/O, never in the way of valuations.
	w.Handle(JobWebhookFanout, e.fanout)
	w.Handle(JobWebhookDeliver, e.deliver)
	e.deliveries = w
	e.deliveryWrites.store = e.store
	return nil
}

// writeBatch runs write transactions together: the writes that arrive
// while one batch runs make the next, run one after another in one
// transaction of the store, each caller returning after that commit. The
// delivery worker's attempts record their outcomes through it, so that
// the deliveries finishing together cost one write transaction (one
// member of SQLite's group commit, whose turn on the one writer cost more
// than a delivery's insert), not one each; and the deliveries a fan-out
// creates with their outcome (create) are inserted by one statement per
// batch, their jobs' completions recorded by one call, not two statements
// each. A batch starts as soon as the one before has run its statements,
// without waiting for its commit, so that it can join the same group
// commit. If a batch's transaction fails, the write that failed it runs
// alone and gets its own error, and the others run again as a batch; if
// it fails otherwise (its commit, the batch's insert), each runs alone.
// So a function may run more than once (as under InTx on PostgreSQL,
// which runs it again after a deadlock) and must have no effect outside
// the transaction.
type writeBatch struct {
	store Store

	mu      sync.Mutex
	waiting []*batchedWrite
	running bool // a goroutine is starting the batches (loop)
}

// batchedWrite is a transaction function, or (fn nil) a delivery to create
// with the job outcome to record with it, if any.
type batchedWrite struct {
	ctx      context.Context
	fn       func(tx Tx) error
	d        *WebhookDelivery
	complete *jobs.Outcome
	done     chan batchResult
}

type batchResult struct {
	err       error
	completed bool // complete was recorded
}

// inTx runs fn in a transaction shared with the others waiting, and
// returns after its commit: nil, or fn's error, or the store's. It waits
// for the outcome even if ctx ends (the statements run without its
// cancellation, as group commit runs them), so that what it returns is
// what happened.
func (b *writeBatch) inTx(ctx context.Context, fn func(tx Tx) error) error {
	return b.submit(&batchedWrite{ctx: ctx, fn: fn}).err
}

// create inserts d (as CreateWebhookDelivery, whose errors it returns) and,
// if it was inserted and complete is set, records complete in the same
// transaction, saying whether that applied (not if the job's lease was
// lost); as inTx, with the others waiting.
func (b *writeBatch) create(ctx context.Context, d *WebhookDelivery, complete *jobs.Outcome) (completed bool, err error) {
	r := b.submit(&batchedWrite{ctx: ctx, d: d, complete: complete})
	return r.completed, r.err
}

func (b *writeBatch) submit(w *batchedWrite) batchResult {
	w.done = make(chan batchResult, 1)
	b.mu.Lock()
	b.waiting = append(b.waiting, w)
	if !b.running {
		b.running = true
		go b.loop()
	}
	b.mu.Unlock()
	return <-w.done
}

// loop starts the waiting writes' batches, each once the one before has
// run, until none waits.
func (b *writeBatch) loop() {
	for {
		b.mu.Lock()
		batch := b.waiting
		b.waiting = nil
		if len(batch) == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		ran := make(chan struct{})
		go b.write(batch, ran)
		<-ran
	}
}

// write runs batch in one transaction and tells each its outcome; ran is
// closed once the statements have run (or will not), before the commit.
func (b *writeBatch) write(batch []*batchedWrite, ran chan struct{}) {
	var once sync.Once
	signal := func() { once.Do(func() { close(ran) }) }
	defer signal()
	ctx := context.WithoutCancel(batch[0].ctx)
	results := make([]batchResult, len(batch))
	failed := -1
	err := b.store.InTx(ctx, func(tx Tx) error {
		defer signal()
		failed = -1
		clear(results)
		var creates []int
		for i, w := range batch {
			if w.fn == nil {
				creates = append(creates, i)
			} else if err := w.fn(tx); err != nil {
				failed = i
				return err
			}
		}
		return createAll(ctx, tx, batch, creates, results)
	})
	switch {
	case err == nil:
		for i, w := range batch {
			w.done <- results[i]
		}
	case len(batch) == 1:
		batch[0].done <- batchResult{err: err}
	case failed >= 0:
		// That one's own failure, most likely: it runs alone, the rest go
		// on.
		alone := batch[failed]
		b.write([]*batchedWrite{alone}, make(chan struct{}))
		b.write(slices.Delete(batch, failed, failed+1), make(chan struct{}))
	default:
		var wg sync.WaitGroup
		for _, w := range batch {
			wg.Go(func() { b.write([]*batchedWrite{w}, make(chan struct{})) })
		}
		wg.Wait()
	}
}

// createAll inserts the deliveries of batch[creates] in one call, each
// one's refusal (ECONFLICT, ENOTFOUND) its own result, and records the
// completions of those inserted in another.
func createAll(ctx context.Context, tx Tx, batch []*batchedWrite, creates []int, results []batchResult) error {
	if len(creates) == 0 {
		return nil
	}
	ds := make([]*WebhookDelivery, len(creates))
	for k, i := range creates {
		ds[k] = batch[i].d
	}
	errs, err := tx.CreateWebhookDeliveries(ctx, ds)
	if err != nil {
		return err
	}
	var outcomes []jobs.Outcome
	var of []int
	for k, i := range creates {
		results[i].err = errs[k]
		if errs[k] == nil && batch[i].complete != nil {
			outcomes = append(outcomes, *batch[i].complete)
			of = append(of, i)
		}
	}
	if len(outcomes) == 0 {
		return nil
	}
	oerrs, err := tx.RecordOutcomes(ctx, outcomes)
	if err != nil {
		return err
	}
	// A lease lost (the job taken over) leaves the delivery recorded: the
	// run that holds the job now finds it and skips it.
	for k, i := range of {
		results[i].completed = oerrs[k] == nil
	}
	return nil
}

type fanoutJob struct {
	BusinessID string `json:"business_id"`
	EventID    string `json:"event_id"`
	// The event itself, which never changes, so that the fan-out need not
	// read it back; a job enqueued without it (before it was carried)
	// reads it.
	EventType string          `json:"event_type,omitempty"`
	CreatedAt time.Time       `json:"created_at,omitzero"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// event is the job's event: the one it carries, or else the stored one.
func (p fanoutJob) event(ctx context.Context, s Store) (*Event, error) {
	if p.EventType == "" {
		return s.Event(ctx, p.BusinessID, p.EventID)
	}
	return &Event{ID: p.EventID, BusinessID: p.BusinessID, Type: p.EventType, Data: p.Data, CreatedAt: p.CreatedAt}, nil
}

type deliverJob struct {
	BusinessID string `json:"business_id"`
	DeliveryID string `json:"delivery_id"`
}

// FanoutEnqueuer is an optional capability of a store's transactions:
// EnqueueFanout enqueues the job that job returns (an event's fan-out) only
// when one of the business's enabled endpoints wants events of eventType
// (no events filter, or eventType in it: WebhookEndpoint.wants), deciding
// in the store, and reports whether it enqueued it (false as well when the
// job's UniqueKey exists). Without it the Engine reads the endpoints and
// then enqueues: on SQLite that read, inside the one writer's transaction,
// was a quarter of a POST /v1/assets's time there.
//
// job is called at most once, and a store may leave it uncalled when no
// endpoint wants the event: its payload carries the event's data, and
// marshalling and checking it for every event was most of what an event
// of a business with no endpoint cost the SQLite writer.
type FanoutEnqueuer interface {
	EnqueueFanout(ctx context.Context, businessID, eventType string, job func() jobs.New, now time.Time) (bool, error)
}

// enqueueFanout is called with every event, inside its transaction. An
// event that no enabled endpoint of the business wants when it is emitted
// gets no fan-out job (most businesses have no endpoint: a job insert per
// event saved): an endpoint receives the events emitted after it was
// created. (The fan-out job reads the endpoints again when it runs.)
func (e *Engine) enqueueFanout(ctx context.Context, tx Tx, ev *Event) error {
	tx = unsealed(tx) // the endpoints' URLs and events are enough: no secrets opened
	job := func() jobs.New {
		payload, _ := json.Marshal(fanoutJob{BusinessID: ev.BusinessID, EventID: ev.ID, EventType: ev.Type, CreatedAt: ev.CreatedAt, Data: ev.Data})
		return jobs.New{Kind: JobWebhookFanout, UniqueKey: "fanout:" + ev.ID, Payload: payload}
	}
	if fe, ok := tx.(FanoutEnqueuer); ok {
		_, err := fe.EnqueueFanout(ctx, ev.BusinessID, ev.Type, job, e.now())
		return err
	}
	endpoints, err := tx.EnabledWebhookEndpoints(ctx, ev.BusinessID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(endpoints, func(w *WebhookEndpoint) bool { return w.wants(ev.Type) }) {
		return nil
	}
	_, err = tx.EnqueueJob(ctx, job(), e.now())
	return err
}

func (e *Engine) enqueueDelivery(ctx context.Context, tx Tx, d *WebhookDelivery, round string) error {
	payload, _ := json.Marshal(deliverJob{BusinessID: d.BusinessID, DeliveryID: d.ID})
	_, err := tx.EnqueueJob(ctx, jobs.New{
		Kind: JobWebhookDeliver, UniqueKey: "deliver:" + d.ID + ":" + round, Payload: payload,
		MaxAttempts: maxDeliveryAttempts, RunAt: d.NextAttemptAt,
	}, e.now())
	return err
}

// fanout makes the first attempt of the event's delivery to every enabled
// endpoint of the business that wants it, side by side, and records each
// delivery with its outcome in a transaction of its own; a delivery that
// needs another attempt gets its deliver job, at its retry time, in that
// transaction. So an event delivered at the first try costs one job and
// one write. A fan-out run again (its lease lapsed mid-run) skips the
// endpoints whose delivery an earlier run recorded (a delivery exists once
// per endpoint and event) and attempts the others again: one the earlier
// run sent without recording it is sent twice, with the same webhook-id,
// which receivers deduplicate by (at least once, as every retry).
func (e *Engine) fanout(ctx context.Context, j *jobs.Job) error {
	var p fanoutJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("fanout payload: %v: %w", err, jobs.ErrPermanent)
	}
	ev, err := p.event(ctx, e.store)
	if err != nil {
		return err
	}
	// The fan-out jobs claimed together read their business's endpoints
	// once, after the claim (the read was 14 % of BenchmarkDelivery's CPU
	// when each job made its own); the endpoints are read, not changed,
	// below.
	endpoints, err := jobs.Shared(ctx, "webhook endpoints of "+p.BusinessID, func() ([]*WebhookEndpoint, error) {
		return e.store.EnabledWebhookEndpoints(ctx, p.BusinessID)
	})
	if err != nil || len(endpoints) == 0 {
		return err
	}
	var wanted []*WebhookEndpoint
	for _, w := range endpoints {
		if !w.wants(ev.Type) {
			continue
		}
		if j.Attempt > 1 {
			_, err := e.store.WebhookDeliveryOfEvent(ctx, ev.BusinessID, w.ID, ev.ID)
			if err == nil {
				continue // recorded by an earlier run
			} else if ErrorCode(err) != ENOTFOUND {
				return err
			}
		}
		wanted = append(wanted, w)
	}
	// The job of an event with one delivery to make (the common case) is
	// completed in the transaction that records that delivery.
	var complete *jobs.Job
	if len(wanted) == 1 {
		complete = j
	}
	errs := make([]error, len(wanted))
	var completed bool
	var wg sync.WaitGroup
	for i, w := range wanted {
		one := func() {
			id, err := e.newID(PrefixDelivery)
			if err != nil {
				errs[i] = err
				return
			}
			now := e.now()
			d := &WebhookDelivery{ID: id, BusinessID: ev.BusinessID, EndpointID: w.ID, EventID: ev.ID, EventType: ev.Type,
				Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
			var done bool
			_, done, errs[i] = e.attempt(ctx, d, w, ev, true, complete)
			if done {
				completed = true // (only with one endpoint: no other goroutine writes it)
			}
		}
		if len(wanted) == 1 {
			one() // on the job's goroutine: no goroutine to start
		} else {
			wg.Go(one)
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if completed {
		return jobs.ErrRecorded
	}
	return nil
}

// deliver makes one attempt of a delivery whose first attempt failed (or
// that an operator sent again); another is scheduled by returning
// jobs.RetryAt.
func (e *Engine) deliver(ctx context.Context, j *jobs.Job) error {
	var p deliverJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("deliver payload: %v: %w", err, jobs.ErrPermanent)
	}
	d, err := e.store.WebhookDelivery(ctx, p.BusinessID, p.DeliveryID)
	if err != nil {
		return err
	}
	if d.Status != DeliveryPending {
		return nil // delivered or failed by an earlier run
	}
	w, err := e.store.WebhookEndpoint(ctx, p.BusinessID, d.EndpointID)
	if err != nil {
		return err
	}
	ev, err := e.store.Event(ctx, p.BusinessID, d.EventID)
	if err != nil {
		return err
	}
	retryAt, _, err := e.attempt(ctx, d, w, ev, false, nil)
	if err != nil || retryAt.IsZero() {
		return err
	}
	why := d.LastError
	if why == "" {
		why = fmt.Sprintf("HTTP %d", d.LastStatusCode)
	}
	return jobs.RetryAt(retryAt, fmt.Errorf("delivery %s attempt %d: %s", d.ID, d.Attempts, why))
}

// attempt makes one attempt of d (of event ev to endpoint w) and records
// its outcome. A 2xx delivers; a 410 disables the endpoint; anything else
// is retried on webhooks.RetrySchedule() (or after the receiver's
// Retry-After on 429 and 503) until the schedule ends: attempt returns
// when. With first set (the fan-out's first attempt), d is not stored yet:
// it is created with its outcome, and the deliver job that makes the next
// attempt is enqueued in the same transaction; a delivery of the event to
// the endpoint recorded meanwhile (by a fan-out run again) is kept as it
// is. The deliver job's attempts update d, and it reschedules itself.
// With complete set (a fan-out job whose only delivery d is), the job's
// completion is recorded in the transaction that creates d; attempt says
// whether it was (a delivery recorded meanwhile, or a lease lost, leaves
// the job to its worker). The outcome is written in a transaction shared
// with the other attempts finishing at the time (writeBatch).
func (e *Engine) attempt(ctx context.Context, d *WebhookDelivery, w *WebhookEndpoint, ev *Event, first bool, complete *jobs.Job) (retryAt time.Time, completed bool, err error) {
	now := e.now()
	if w.Status != EndpointEnabled { // (the deliver job's: the fan-out attempts enabled endpoints)
		d.Status, d.LastError, d.UpdatedAt = DeliveryFailed, "endpoint "+string(w.Status), now
		return time.Time{}, false, e.store.UpdateWebhookDelivery(ctx, d)
	}
	body, err := webhooks.Event{ID: ev.ID, Type: ev.Type, CreatedAt: ev.CreatedAt, APIVersion: "v1", Data: ev.Data}.Marshal()
	if err != nil {
		return time.Time{}, false, fmt.Errorf("encode event: %v: %w", err, jobs.ErrPermanent)
	}
	ans, attemptErr := e.cfg.Webhooks.Sender.Send(ctx, webhooks.Message{URL: w.URL, EventID: ev.ID, EventType: ev.Type,
		Body: body, Secrets: w.signingSecrets(now), Now: now})
	status, retryAfter := ans.Status, ans.RetryAfter
	if refused := (*webhooks.BlockedAddressError)(nil); errors.As(attemptErr, &refused) {
		// The business sees only that the address is not allowed; where its
		// host resolved to is for the operator's eyes.
		e.log.WarnContext(ctx, "webhook delivery refused: the endpoint's host is or resolves to a blocked address",
			"business_id", d.BusinessID, "endpoint_id", w.ID, "delivery_id", d.ID, "host", refused.Host, "addr", refused.Addr)
	}

	done := e.now()
	d.Attempts++
	d.LastStatusCode, d.LastError, d.UpdatedAt = status, "", done
	if attemptErr != nil {
		d.LastError = attemptErr.Error()
	}
	// A success while the endpoint is not failing changes nothing of the
	// endpoint but its last success, which is kept to the second: a busy
	// endpoint's deliveries do not each read and rewrite its row. (Were it
	// failing since the snapshot w was read, the next delivery's snapshot
	// shows it, and its success clears it.)
	delivered := attemptErr == nil && status >= 200 && status < 300
	quiet := delivered && w.FailingSince.IsZero() && done.Sub(w.LastSuccessAt) < time.Second
	if delivered {
		d.Status, d.DeliveredAt, d.NextAttemptAt = DeliveryDelivered, done, time.Time{}
	}
	// writeDelivery stores d: the fan-out's first attempt creates it, with
	// the job of its next attempt when one is due, and completes the
	// fan-out job when asked to; a later attempt updates it (its job
	// reschedules itself).
	writeDelivery := func(tx Tx) error {
		if !first {
			return tx.UpdateWebhookDelivery(ctx, d)
		}
		if err := tx.CreateWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if !retryAt.IsZero() {
			if err := e.enqueueDelivery(ctx, tx, d, "auto"); err != nil {
				return err
			}
		}
		if complete == nil {
			return nil
		}
		errs, err := tx.RecordOutcomes(ctx, []jobs.Outcome{jobs.Completion(complete, done)})
		if err != nil {
			return err
		}
		// A lease lost (the job taken over) leaves the delivery recorded:
		// the run that holds the job now finds it and skips it.
		completed = errs[0] == nil
		return nil
	}
	if quiet && first {
		// Delivered, nothing of the endpoint to change: the batch inserts
		// it, with its job's completion, by one statement for all.
		var outcome *jobs.Outcome
		if complete != nil {
			o := jobs.Completion(complete, done)
			outcome = &o
		}
		completed, err = e.deliveryWrites.create(ctx, d, outcome)
		if ErrorCode(err) == ECONFLICT {
			return time.Time{}, false, nil // recorded by another run of the fan-out
		}
		return time.Time{}, completed, err
	}
	err = e.deliveryWrites.inTx(ctx, func(tx Tx) error {
		retryAt, completed = time.Time{}, false
		if quiet {
			return writeDelivery(tx)
		}
		w, err := tx.WebhookEndpoint(ctx, d.BusinessID, d.EndpointID)
		if err != nil {
			return err
		}
		switch {
		case delivered:
			w.LastSuccessAt, w.FailingSince = done, time.Time{}
		case status == http.StatusGone:
			d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
			if err := e.disableEndpoint(ctx, tx, w, "the endpoint answered 410 Gone"); err != nil {
				return err
			}
		default:
			if w.FailingSince.IsZero() {
				w.FailingSince = done
			}
			delay, more := webhooks.NextAttempt(d.Attempts, e.random64())
			if ra, ok := retryAfter, status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable; ok && ra > delay {
				delay = ra
			}
			switch {
			case done.Sub(w.FailingSince) >= e.cfg.Webhooks.DisableAfter:
				d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
				if err := e.disableEndpoint(ctx, tx, w, "no successful delivery for "+days(e.cfg.Webhooks.DisableAfter)); err != nil {
					return err
				}
			case !more:
				d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
			default:
				d.NextAttemptAt = done.Add(delay)
				retryAt = d.NextAttemptAt
			}
		}
		w.UpdatedAt = done
		if err := tx.UpdateWebhookEndpoint(ctx, w); err != nil {
			return err
		}
		return writeDelivery(tx)
	})
	if first && ErrorCode(err) == ECONFLICT {
		return time.Time{}, false, nil // recorded by another run of the fan-out
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return retryAt, completed, nil
}

// disableEndpoint disables w inside tx and emits the event that says so,
// once: an endpoint already disabled (by another delivery of the same
// batch) stays as it is.
func (e *Engine) disableEndpoint(ctx context.Context, tx Tx, w *WebhookEndpoint, reason string) error {
	if w.Status != EndpointEnabled {
		return nil
	}
	w.Status, w.DisabledReason = EndpointDisabled, reason
	return e.emit(ctx, tx, w.BusinessID, WebhookEndpointDisabledEventData{WebhookID: w.ID, URL: w.URL, Reason: reason})
}

// random64 draws jitter from the Engine's randomness.
func (e *Engine) random64() uint64 {
	var b [8]byte
	e.randMu.Lock()
	defer e.randMu.Unlock()
	if _, err := io.ReadFull(e.cfg.Rand, b[:]); err != nil {
		return 0
	}
	return binary.BigEndian.Uint64(b[:])
}

// days writes a duration of whole days for people ("5 days"), else Go's
// form.
func days(d time.Duration) string {
	if d%(24*time.Hour) != 0 {
		return d.String()
	}
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// WebhookDeliveries lists an endpoint's deliveries, newest first.
// Errors: EINVALID (a cursor must name one of the endpoint's deliveries:
// ListParams), ENOTFOUND for the endpoint.
func (e *Engine) WebhookDeliveries(ctx context.Context, businessID, endpointID string, p ListParams) (Page[*WebhookDelivery], error) {
	return readPage(p, "webhook deliveries", func(p ListParams) (Page[*WebhookDelivery], error) {
		if _, err := e.WebhookEndpoint(ctx, businessID, endpointID); err != nil {
			return Page[*WebhookDelivery]{}, err
		}
		return e.store.WebhookDeliveries(ctx, businessID, endpointID, p)
	})
}

// RetryWebhookDelivery sends a delivered or failed delivery again now, with
// a fresh set of attempts. Errors: ENOTFOUND, ECONFLICT when its endpoint
// is not enabled or the delivery is still pending (its next attempt is
// already scheduled).
func (e *Engine) RetryWebhookDelivery(ctx context.Context, businessID, endpointID, deliveryID string) (*WebhookDelivery, error) {
	d, err := commit(e, ctx, func(tx Tx) (*WebhookDelivery, error) {
		w, err := tx.WebhookEndpoint(ctx, businessID, endpointID)
		if err != nil {
			return nil, err
		}
		d, err := tx.WebhookDelivery(ctx, businessID, deliveryID)
		if err != nil {
			return nil, err
		}
		if d.EndpointID != w.ID || w.Status == EndpointDeleted {
			return nil, Errorf(ENOTFOUND, "webhook delivery not found")
		}
		if w.Status != EndpointEnabled {
			return nil, Errorf(ECONFLICT, "webhook endpoint %s is %s (%s); re-create it to receive events", w.ID, w.Status, w.DisabledReason)
		}
		if d.Status == DeliveryPending {
			// Its own job will attempt it; a second job would send it twice.
			return nil, Errorf(ECONFLICT, "webhook delivery %s is already scheduled (next attempt %s)", d.ID, d.NextAttemptAt.Format(time.RFC3339))
		}
		now := e.now()
		d.Status, d.Attempts, d.NextAttemptAt, d.UpdatedAt = DeliveryPending, 0, now, now
		if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
			return nil, err
		}
		return d, e.enqueueDelivery(ctx, tx, d, fmt.Sprintf("manual@%d", now.UnixNano()))
	})
	if err != nil {
		return nil, internal(err, "retry webhook delivery")
	}
	return d, nil
}

// DeliveryFilter narrows a list of deliveries; the zero value lists all.
type DeliveryFilter struct {
	Status DeliveryStatus
	// Attempted keeps the deliveries attempted at least once: with Status
	// pending, the failing ones waiting for their next attempt.
	Attempted bool
}

func (f DeliveryFilter) validate() error {
	switch f.Status {
	case "", DeliveryPending, DeliveryDelivered, DeliveryFailed:
		return nil
	}
	return FieldError("status", "status must be one of pending, delivered, failed")
}

// WebhookDeliveryBookStore reads the deliveries of every business, for
// operators watching failing receivers; never for a business.
type WebhookDeliveryBookStore interface {
	// WebhookDeliveryByID reads a delivery whatever its business.
	// ENOTFOUND if absent.
	WebhookDeliveryByID(ctx context.Context, id string) (*WebhookDelivery, error)
	// AllWebhookDeliveries lists every business's deliveries, newest
	// first, only those in f.Status when it is set, and only those with
	// Attempts > 0 when f.Attempted is. EINTERNAL on failure.
	AllWebhookDeliveries(ctx context.Context, f DeliveryFilter, p ListParams) (Page[*WebhookDelivery], error)
}

// AllWebhookDeliveries lists every business's deliveries, newest first,
// for operators: {Status: DeliveryPending, Attempted: true} are the
// failing ones (retried on the schedule), {Status: DeliveryFailed} the
// dead ones (out of attempts, or their endpoint disabled).
// Errors: EINVALID.
func (o *Operator) AllWebhookDeliveries(ctx context.Context, f DeliveryFilter, p ListParams) (Page[*WebhookDelivery], error) {
	e := o.e
	if err := f.validate(); err != nil {
		return Page[*WebhookDelivery]{}, err
	}
	return readPage(p, "webhook deliveries", func(p ListParams) (Page[*WebhookDelivery], error) {
		return e.store.AllWebhookDeliveries(ctx, f, p)
	})
}

// RetryWebhookDelivery sends a delivered or failed delivery of any business
// again now, with a fresh set of attempts, as the business's own
// RetryWebhookDelivery does. Errors: ENOTFOUND (also when its endpoint was
// deleted), ECONFLICT when its endpoint is not enabled or the delivery is
// still pending.
func (o *Operator) RetryWebhookDelivery(ctx context.Context, deliveryID string) (*WebhookDelivery, error) {
	e := o.e
	d, err := e.store.WebhookDeliveryByID(ctx, deliveryID)
	if err != nil {
		return nil, internal(err, "read webhook delivery")
	}
	return e.RetryWebhookDelivery(ctx, d.BusinessID, d.EndpointID, d.ID)
}

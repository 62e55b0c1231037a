package assetmint

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/ids"
	"github.com/assetmint/assetmint/internal/seal"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/valuation"
)

func internalOrNil(err error, what string) error {
	if err == nil {
		return nil
	}
	return internal(err, what)
}

// DefaultJobConcurrency is how many of the Engine's chain, loan and
// maintenance jobs run at once in a process when Config.Jobs.Concurrency
// is zero (valuations and webhook deliveries have workers of their own:
// ValuationConfig.Concurrency, WebhookConfig.Concurrency). Most of such a
// job's time is spent waiting, for its commits (one fsync each on SQLite,
// one round trip each on PostgreSQL) or for the chain, so many at once
// keep the CPUs busy.
const DefaultJobConcurrency = 32

// JobMaintenance is the kind of the hourly job that prunes expired
// idempotency records and old completed jobs.
const JobMaintenance = "maintenance.prune"

// Engine runs AssetMint's use cases over a Store. It is safe for concurrent
// use; all state that matters lives in the store, so several Engines (in one
// process or many) may share one.
type Engine struct {
	// store is the store the Engine was given, sealing secrets on their way
	// in and opening them on their way out (sealingStore); raw is the same
	// store unwrapped.
	store  Store
	raw    Store
	ring   *seal.Keyring
	cfg    Config
	ids    *ids.Generator
	worker *jobs.Worker
	log    *slog.Logger
	params valuation.Parameters
	model  valuation.Model
	// deliveries runs webhook deliveries apart from the other jobs, with
	// its own concurrency, so slow receivers never hold back valuations.
	deliveries *jobs.Worker
	// valuations runs the valuations apart from the other jobs, as many at
	// once as ValuationConfig.Concurrency (valuation.go): the store's
	// ValuationQueue through valuationQueue when it has one, else the
	// JobValuation jobs.
	valuations     *jobs.Worker
	valuationQueue *valuationQueue // nil without a ValuationQueue
	// deliveryWrites records the deliveries' attempts in shared
	// transactions (delivery.go).
	deliveryWrites writeBatch
	// txm is the chain's transaction manager, when ChainConfig.Chain is
	// one (chain.go).
	txm    tokenize.TxManager
	randMu sync.Mutex

	keysMu     sync.Mutex
	tokens     *auth.Tokens
	keysLoaded time.Time
	keysEpoch  uint64 // the store's PrincipalEpoch when the keys were read

	// principals caches Authenticate's reads when the store is a
	// PrincipalWatcher (watcher); nil watcher: no cache.
	principals principalCache
	watcher    PrincipalWatcher
}

// New returns an Engine over store. The store must be migrated.
func New(store Store, cfg Config) (*Engine, error) {
	if store == nil {
		return nil, errors.New("assetmint: New needs a store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Tokens.Now == nil {
		cfg.Tokens.Now = cfg.Now
	}
	if cfg.Tokens.Rand == nil {
		cfg.Tokens.Rand = cfg.Rand
	}
	if cfg.Jobs.Now == nil {
		cfg.Jobs.Now = cfg.Now
	}
	if cfg.Jobs.Rand == nil {
		cfg.Jobs.Rand = cfg.Rand
	}
	if cfg.Jobs.Logger == nil {
		cfg.Jobs.Logger = cfg.Logger
	}
	if cfg.Jobs.Concurrency == 0 {
		cfg.Jobs.Concurrency = DefaultJobConcurrency
	}
	if cfg.KeepCompletedJobs < 0 {
		return nil, errors.New("assetmint: Config retention periods must not be negative")
	}
	cfg, err := cfg.idempotencyDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Plans, err = cfg.Plans.Merge(); err != nil {
		return nil, fmt.Errorf("assetmint: Config.Plans: %w", err)
	}
	if len(cfg.MasterKey) == 0 {
		return nil, fmt.Errorf(errMasterKeyRequiredTemplate, masterKeySize)
	}
	ring, err := seal.NewKeyring(cfg.MasterKey, cfg.PreviousMasterKeys, cfg.Rand)
	if err != nil {
		return nil, fmt.Errorf("assetmint: Config.MasterKey: %w", err)
	}
	if cfg.KeepCompletedJobs == 0 {
		cfg.KeepCompletedJobs = 7 * 24 * time.Hour
	}
	worker, err := jobs.NewWorker(store, cfg.Jobs)
	if err != nil {
		return nil, fmt.Errorf("assetmint: %w", err)
	}
	e := &Engine{store: sealingStore{Store: store, ring: ring}, raw: store, ring: ring, cfg: cfg, worker: worker, log: cfg.Logger}
	e.watcher, _ = store.(PrincipalWatcher)
	e.ids = &ids.Generator{Now: cfg.Now, Rand: cfg.Rand}
	if err := e.setupValuation(); err != nil {
		return nil, err
	}
	if err := e.setupWebhooks(); err != nil {
		return nil, err
	}
	if err := e.setupChain(); err != nil {
		return nil, err
	}
	if err := e.setupLending(); err != nil {
		return nil, err
	}
	worker.Handle(JobMaintenance, e.maintain)
	worker.Every(jobs.Periodic{Kind: JobMaintenance, Every: time.Hour})
	return e, nil
}

// maintain prunes what the store keeps only for a while (idempotency
// keys, completed jobs, expired operator sessions). It is idempotent:
// running it twice deletes nothing more.
func (e *Engine) maintain(ctx context.Context, _ *jobs.Job) error {
	now := e.now()
	keys, err := e.store.PruneIdempotencyKeys(ctx, now.Add(-e.cfg.KeepIdempotencyKeys))
	if err != nil {
		return err
	}
	done, err := e.store.PruneJobs(ctx, now.Add(-e.cfg.KeepCompletedJobs))
	if err != nil {
		return err
	}
	sessions, err := e.store.PruneOperatorSessions(ctx, now)
	if err != nil {
		return err
	}
	e.log.InfoContext(ctx, "maintenance: pruned", "idempotency_keys", keys, "completed_jobs", done, "operator_sessions", sessions)
	return nil
}

// Run runs the Engine's background jobs until ctx ends, then lets running
// jobs finish (see jobs.WorkerConfig.ShutdownGrace). Run it in one goroutine
// per process; any number of processes may run it against one store.
func (e *Engine) Run(ctx context.Context) error {
	workers := e.workers()
	errs := make(chan error, len(workers))
	for _, w := range workers {
		go func() { errs <- w.Run(ctx) }()
	}
	var err error
	for range workers {
		err = errors.Join(err, <-errs)
	}
	return err
}

// newWorker makes one of the Engine's workers apart from the main one: the
// Engine's job settings with its own concurrency, and its own lease holder
// name (a random one), over queue: the raw store, so that the worker finds
// its optional capabilities (jobs.Waker, jobs.OutcomeRecorder), which the
// sealing wrapper hides, or the store's ValuationQueue as a jobs.Queue.
func (e *Engine) newWorker(what string, concurrency int, queue jobs.Queue) (*jobs.Worker, error) {
	cfg := e.cfg.Jobs
	cfg.Concurrency, cfg.ID = concurrency, ""
	w, err := jobs.NewWorker(queue, cfg)
	if err != nil {
		return nil, fmt.Errorf("assetmint: %s worker: %w", what, err)
	}
	return w, nil
}

// workers are the Engine's job workers: the chain, loan and maintenance
// jobs, the valuations, and the webhook deliveries.
func (e *Engine) workers() []*jobs.Worker {
	return []*jobs.Worker{e.worker, e.valuations, e.deliveries}
}

// RunPending runs every background job that is due now (valuations, ...)
// and returns when none is left: background work done synchronously, for
// tests of a host's business rules and for tools. Retries scheduled later
// are left for Run.
func (e *Engine) RunPending(ctx context.Context) error {
	for {
		ran := 0
		for _, w := range e.workers() {
			n, err := w.Drain(ctx)
			if err != nil {
				return err
			}
			ran += n
		}
		if ran == 0 {
			return nil
		}
	}
}

func (e *Engine) now() time.Time { return e.cfg.Now().UTC() }

func (e *Engine) newID(prefix string) (string, error) {
	id, err := e.ids.New(prefix)
	if err != nil {
		return "", &Error{Code: EINTERNAL, Message: "could not generate an id", Err: err}
	}
	return id, nil
}

// internal wraps an unexpected error; *Error values pass through.
func internal(err error, what string) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Message: "An internal error occurred", Err: fmt.Errorf("%s: %w", what, err)}
}

// Operator is the Engine as the platform's operators and its host use it:
// actions and reads across businesses (deciding assets and loans, recording
// repayments from the payment rails, managing businesses and their
// clients) and platform maintenance (servicing, re-minting, re-sealing,
// rotating keys). Nothing a business's own client may call is here; the
// HTTP API serves these only on its operator routes.
type Operator struct{ e *Engine }

// Operator returns the operator's view of the Engine.
func (e *Engine) Operator() *Operator { return &Operator{e: e} }

// JobBookStore reads the job queue for operators.
type JobBookStore interface {
	// DeadJobs returns the dead jobs (jobs.StatusDead) that finished last,
	// at most limit of them, newest first, and how many dead jobs there are
	// in all. EINTERNAL on failure.
	DeadJobs(ctx context.Context, limit int) (recent []*jobs.Job, total int, err error)
}

// DeadJobs returns the dead jobs that finished last, at most limit (1 to
// MaxListLimit), newest first, and how many dead jobs there are: the work
// that ran out of attempts and waits for a person. Errors: EINVALID for
// the limit.
func (o *Operator) DeadJobs(ctx context.Context, limit int) ([]*jobs.Job, int, error) {
	if limit < 1 || limit > MaxListLimit {
		return nil, 0, FieldError("limit", "limit must be between 1 and %d", MaxListLimit)
	}
	recent, total, err := o.e.store.DeadJobs(ctx, limit)
	if err != nil {
		return nil, 0, internal(err, "list dead jobs")
	}
	return recent, total, nil
}

package assetmint

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/tokenize"
)

// The chain jobs (token.mint, loan.fund, loan.release, loan.seize) with a
// transaction manager (a ChainConfig.Chain that is a tokenize.TxManager,
// as tokenize/ethchain's Manager is):
//
//   - The job runs in its asset's lane, so the chain actions of one token
//     run one at a time, in order (a lock only ever follows a recorded
//     mint), and those of different tokens side by side. It reads the
//     store and, unless an intent of its action is already live (in
//     flight, or confirmed and not yet recorded), the token's state on
//     chain; it records at once what the chain already shows, and
//     otherwise submits the action as an intent keyed by it ("mint:<asset
//     id>", "lock:<loan id>", ...), which the manager records with its
//     nonce before it broadcasts, and returns without waiting.
//   - Submitting enqueues JobConfirmChain in the signer's lane, so one
//     instance at a time runs the manager's loop (the lane's lease): it
//     awaits the receipts of every intent in flight together, applies the
//     fault rules, and settles each intent that reaches a final state:
//     confirmed, it records the action (the token, the funding, the
//     release, the seizure) with its events, in one transaction, as the
//     job without a manager does; reverted or failed, it enqueues the job
//     again (with a back-off), which reads the chain and decides afresh,
//     and dead-letters after MaxChainTries intents of the action failed.
//   - Exactly once: the job checks for a live intent and the chain's state
//     before it sends; the store keeps one live intent per key and gives
//     each nonce to one intent; recording is idempotent (a second record
//     of a token or of a funding changes nothing).
//
// Without a manager, each job runs in the signer's lane and sends and
// waits for its transaction, one at a time across instances.

// JobConfirmChain runs the transaction manager's loop for the chain's
// signer (see above). It runs in the signer's lane.
const JobConfirmChain = "chain.confirm"

// MaxChainTries is how many intents of one chain action may revert or
// fail before its job is dead-lettered for an operator.
const MaxChainTries = 5

// confirmJobAttempts: a confirmation job cut off by shutdowns runs again
// after its lease; it must not be dead-lettered while intents wait.
const confirmJobAttempts = 1000

// chainRef is what an intent carries for the engine: the job that
// submitted it (kind, lane, payload) and, for a mint, what to record.
type chainRef struct {
	Job     string          `json:"job"`
	Lane    string          `json:"lane"`
	Payload json.RawMessage `json:"payload"`
	Mint    *mintRecord     `json:"mint,omitempty"`
	To      string          `json:"to,omitempty"`
}

// chainTries is the retry count a chain job's payload carries.
type chainTries struct {
	Tries     int    `json:"tries,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

// chainLane is the lane of the chain jobs of an asset's token: the
// asset's with a transaction manager, the signer's without.
func (e *Engine) chainLane(assetID string) string {
	if e.txm != nil {
		return "asset:" + assetID
	}
	return e.signerLane()
}

// live reports whether the action key has an intent in flight or
// confirmed but not recorded; if so its confirmation job is made sure of
// and the caller has nothing to do.
func (e *Engine) live(ctx context.Context, key string) (bool, error) {
	in, err := e.txm.Live(ctx, key)
	if err != nil || in == nil {
		return false, err
	}
	if in.State == tokenize.IntentConfirmed && !in.SettledAt.IsZero() {
		return false, nil // recorded: the caller reads what it recorded
	}
	return true, e.confirming(ctx, in.ID)
}

// submit sends call through the manager on behalf of job j, unless the
// action failed MaxChainTries times already, and makes sure the
// confirmation loop runs.
func (e *Engine) submit(ctx context.Context, j *jobs.Job, tries chainTries, call tokenize.Call, ref chainRef) error {
	if tries.Tries >= MaxChainTries {
		return fmt.Errorf("%s: %d transactions failed, the last: %s: %w", call.Key, tries.Tries, tries.LastError, jobs.ErrPermanent)
	}
	ref.Job, ref.Lane, ref.Payload = j.Kind, j.Lane, j.Payload
	b, err := json.Marshal(ref)
	if err != nil {
		return err
	}
	call.Ref = string(b)
	in, err := e.txm.Submit(ctx, call)
	if err != nil {
		return err
	}
	return e.confirming(ctx, in.ID)
}

// confirming enqueues the confirmation job for intent id (once per
// intent; the lane runs one at a time, and a job that finds nothing open
// ends at once).
func (e *Engine) confirming(ctx context.Context, id int64) error {
	_, err := e.store.EnqueueJob(ctx, jobs.New{Kind: JobConfirmChain, Lane: e.signerLane(),
		UniqueKey: fmt.Sprintf("%s:%d", JobConfirmChain, id), MaxAttempts: confirmJobAttempts}, e.now())
	return err
}

// confirmPause is how long after a confirmation job's time slice, with
// intents still open, the next one starts: long enough that RunPending,
// which runs only what is due, ends while a transaction is stuck.
const confirmPause = time.Second

// confirmChain is JobConfirmChain: the manager's loop, for its time slice;
// if intents are still open, the next job continues after confirmPause.
func (e *Engine) confirmChain(ctx context.Context, j *jobs.Job) error {
	open, err := e.txm.Confirm(ctx, e.settle)
	if err != nil {
		return err
	}
	if open == 0 {
		return nil
	}
	_, err = e.store.EnqueueJob(ctx, jobs.New{Kind: JobConfirmChain, Lane: e.signerLane(), RunAt: e.now().Add(confirmPause),
		UniqueKey: fmt.Sprintf("%s:after:%d", JobConfirmChain, j.ID), MaxAttempts: confirmJobAttempts}, e.now())
	return err
}

// settle records a final intent's outcome (a tokenize.SettleFunc). An
// intent the engine did not submit (a deployment, Remint's) has nothing to
// record.
func (e *Engine) settle(ctx context.Context, in *tokenize.Intent) error {
	if in.Ref == "" {
		return nil
	}
	var ref chainRef
	if err := json.Unmarshal([]byte(in.Ref), &ref); err != nil {
		e.log.ErrorContext(ctx, "chain intent with an unreadable reference; nothing recorded", "intent", in.ID, "err", err)
		return nil
	}
	if in.State != tokenize.IntentConfirmed {
		return e.retryChainJob(ctx, in, ref)
	}
	receipt := tokenize.Receipt{TxHash: in.TxHash, BlockNumber: in.BlockNumber}
	switch ref.Job {
	case JobMint:
		if ref.Mint == nil {
			return nil
		}
		return e.recordMint(ctx, ref.Mint, receipt)
	case JobFundLoan, JobReleaseCollateral, JobSeizeCollateral:
		var p loanJob
		if err := json.Unmarshal(ref.Payload, &p); err != nil {
			return nil
		}
		l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
		if err != nil {
			return err
		}
		switch ref.Job {
		case JobFundLoan:
			return e.recordFunding(ctx, p)
		case JobReleaseCollateral:
			return e.recordRelease(ctx, l)
		default:
			return e.recordSeizure(ctx, l, ref.To)
		}
	}
	return nil
}

// retryChainJob enqueues again the job whose intent reverted or failed:
// it reads the chain and decides afresh (the action may be done after all,
// by another transaction), after a back-off, counting the failure.
func (e *Engine) retryChainJob(ctx context.Context, in *tokenize.Intent, ref chainRef) error {
	var payload map[string]any
	if err := json.Unmarshal(ref.Payload, &payload); err != nil || payload == nil {
		return nil
	}
	var tries chainTries
	_ = json.Unmarshal(ref.Payload, &tries)
	tries.Tries++
	payload["tries"], payload["last_error"] = tries.Tries, fmt.Sprintf("intent %d %s: %s", in.ID, in.State, in.Error)
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	e.log.WarnContext(ctx, "chain action failed; its job runs again", "job", ref.Job, "intent", in.ID, "state", in.State,
		"err", in.Error, "tries", tries.Tries)
	_, err = e.store.EnqueueJob(ctx, jobs.New{Kind: ref.Job, Lane: ref.Lane, Payload: b,
		UniqueKey: fmt.Sprintf("%s:retry:%d", ref.Job, in.ID), RunAt: e.now().Add(jobs.DefaultBackoff(tries.Tries))}, e.now())
	return err
}

// resumeChainWork enqueues again, once per contract, the chain jobs whose
// actions were under way on a chain that lost its state (Remint's case):
// with a manager a job ends once its intent is recorded, and the intent
// died with the chain. Each job reads the store and the new chain and does
// what is left. It returns how many jobs it enqueued.
func (e *Engine) resumeChainWork(ctx context.Context, contract string) (int, error) {
	n := 0
	enqueue := func(kind, lane, key string, payload any) error {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		ok, err := e.store.EnqueueJob(ctx, jobs.New{Kind: kind, Lane: lane, UniqueKey: key + ":resume:" + contract, Payload: b}, e.now())
		if ok {
			n++
		}
		return err
	}
	p := ListParams{Limit: MaxListLimit}
	for {
		page, err := e.store.AllAssets(ctx, AssetFilter{Status: AssetVerified}, p)
		if err != nil {
			return n, internal(err, "list verified assets")
		}
		for _, a := range page.Items {
			if err := enqueue(JobMint, e.chainLane(a.ID), fmt.Sprintf("mint:%s:%d", a.ID, a.Revision),
				mintJob{BusinessID: a.BusinessID, AssetID: a.ID}); err != nil {
				return n, err
			}
		}
		if !page.HasMore {
			break
		}
		p.StartingAfter = page.Items[len(page.Items)-1].ID
	}
	for _, w := range []struct {
		status LoanStatus
		kind   string
		due    func(l *Loan, t *Token) bool
	}{
		{LoanApproved, JobFundLoan, func(l *Loan, _ *Token) bool { return !l.FundingRequestedAt.IsZero() }},
		{LoanRepaid, JobReleaseCollateral, func(_ *Loan, t *Token) bool { return t.Status == TokenLocked }},
		{LoanDefaulted, JobSeizeCollateral, func(_ *Loan, t *Token) bool { return t.Status != TokenSeized }},
	} {
		p := ListParams{Limit: MaxListLimit}
		for {
			page, err := e.store.AllLoans(ctx, LoanFilter{Status: w.status}, p)
			if err != nil {
				return n, internal(err, "list loans")
			}
			for _, l := range page.Items {
				t, err := e.store.Token(ctx, l.BusinessID, l.TokenID)
				if err != nil {
					return n, internal(err, "read token")
				}
				if !w.due(l, t) {
					continue
				}
				if err := enqueue(w.kind, e.chainLane(l.AssetID), w.kind+":"+l.ID,
					loanJob{BusinessID: l.BusinessID, LoanID: l.ID}); err != nil {
					return n, err
				}
			}
			if !page.HasMore {
				break
			}
			p.StartingAfter = page.Items[len(page.Items)-1].ID
		}
	}
	return n, nil
}

// ChainState is the chain's transaction manager as an operator sees it.
type ChainState struct {
	// Managed is false when the chain has no transaction manager: each
	// chain job then sends and waits, and Signers is empty.
	Managed bool
	// Signers holds the state of each signer the engine sends for (one).
	Signers []tokenize.SignerState
}

// ChainState reads the transaction manager's state for the chain's signer:
// intents in flight, the oldest one's age, nonces, the fee cap and the last
// fault. Errors: ENOTFOUND without a chain; EINTERNAL when the store cannot
// be read.
func (o *Operator) ChainState(ctx context.Context) (*ChainState, error) {
	e := o.e
	if e.cfg.Chain.Chain == nil {
		return nil, Errorf(ENOTFOUND, "No chain is configured")
	}
	if e.txm == nil {
		return &ChainState{Signers: []tokenize.SignerState{}}, nil
	}
	s, err := e.txm.State(ctx)
	if err != nil {
		return nil, internal(err, "read the chain's state")
	}
	return &ChainState{Managed: true, Signers: []tokenize.SignerState{s}}, nil
}

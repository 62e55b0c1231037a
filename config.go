package assetmint

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/valuation"
)

// WebhookConfig is how events are delivered.
type WebhookConfig struct {
	// AllowPrivate lets endpoints point at loopback and private addresses:
	// for local development only (the example server's
	// ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1).
	AllowPrivate bool
	// Sender signs and sends each delivery attempt. Default a
	// webhooks.Sender over webhooks.NewClient: the SSRF guard (honouring
	// AllowPrivate), a 15 s timeout, no redirects.
	Sender WebhookSender
	// Concurrency bounds deliveries in flight per process. Default 128:
	// a delivery mostly waits (on its receiver, and on the commit that
	// records it), and the deliveries that finish together share one
	// write, so more in flight is more per commit (on SQLite, 128 made
	// BenchmarkDelivery ~8 % faster than 64 with a third fewer commits;
	// 256 was slower); 128 is also what the default client keeps idle per
	// host (webhooks.NewClient), so a busy receiver's connections are
	// reused, not redialled. It is also how many requests at once one
	// receiver may get from a process draining a backlog: lower it for
	// receivers that cannot take that (each answers 429 or 503 with a
	// Retry-After to slow its own deliveries down).
	Concurrency int
	// DisableAfter disables an endpoint that has had no successful delivery
	// for this long while failing. Default 5 days.
	DisableAfter time.Duration
}

// Config holds the Engine's optional settings; the zero value means the
// defaults.
type Config struct {
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand is the source of ids, secrets and keys. Default crypto/rand.Reader.
	Rand io.Reader
	// Logger receives operational logs. Default slog.Default().
	Logger *slog.Logger
	// Tokens configures access tokens (issuer, audience, TTL, leeway). Its
	// Now and Rand default to the Engine's.
	Tokens auth.TokenConfig
	// Plans are the rate limits of each plan's API clients; plans left out
	// keep auth.DefaultPlanLimits (developer 60 a minute and 5,000 a day,
	// business 300 and 50,000, enterprise 1,000 and no daily cap). The
	// example server reads ASSETMINT_PLAN_LIMITS (auth.ParsePlanLimits).
	Plans auth.PlanLimits
	// Jobs configures the background worker. Its Now, Rand and Logger
	// default to the Engine's, its Concurrency to DefaultJobConcurrency.
	Jobs jobs.WorkerConfig
	// MasterKey seals, with AES-256-GCM, the secrets the Engine must read
	// back: token signing keys, webhook secrets and the stored answers of
	// idempotent calls (which may carry a new client's secret). 32 bytes
	// (NewMasterKey, ParseMasterKey), kept outside the database: a copy of
	// the database without it reveals none of these. Required. Every
	// instance on one store needs the same key.
	MasterKey []byte
	// PreviousMasterKeys open what older master keys sealed, while a
	// rotation re-seals it (ResealSecrets).
	PreviousMasterKeys [][]byte
	// IdempotencyTTL is how long an idempotency key is remembered: a retry
	// within it is answered from the first call. Default 24h.
	IdempotencyTTL time.Duration
	// IdempotencyLock is how long a call holds its key while it runs; a
	// call that crashed frees it after this. Default one minute.
	IdempotencyLock time.Duration
	// KeepIdempotencyKeys is how long idempotency records are kept before
	// the hourly maintenance job deletes them. Default 48h; at least
	// IdempotencyTTL.
	KeepIdempotencyKeys time.Duration
	// KeepCompletedJobs is how long completed jobs are kept. Default 7 days.
	// Dead jobs are never deleted.
	KeepCompletedJobs time.Duration
	// Blobs keeps uploaded document bytes. Without it, UploadDocument fails;
	// the example server uses store/fsblob under its -data folder.
	Blobs BlobStore
	// Valuation configures how assets are valued and verified.
	Valuation ValuationConfig
	// Webhooks configures event delivery.
	Webhooks WebhookConfig
	// Chain configures tokenization of verified assets.
	Chain ChainConfig
	// Lending configures underwriting, funding and servicing of loans.
	Lending LendingConfig
}

// ValuationConfig is the valuation and verification policy.
type ValuationConfig struct {
	// Parameters are the deterministic model's table. Zero value means
	// valuation.DefaultParameters(); its RequiredDocuments are the
	// verification policy's required documents too.
	Parameters *valuation.Parameters
	// External, if set, is an outside (e.g. AI) valuator consulted after the
	// deterministic model; valuation.Bounded limits its influence and falls
	// back on error or after ExternalTimeout (default 10s).
	External        valuation.Model
	ExternalTimeout time.Duration
	// MinConfidence is the confidence (0-100) a report needs for automatic
	// verification. Default 75 (MISMO "medium-high").
	MinConfidence int
	// ManualVerification, when true, leaves every valued asset for an
	// operator's decision instead of verifying it automatically.
	ManualVerification bool
	// Concurrency is how many valuations run at once per process, apart
	// from the other jobs. Default: twice runtime.GOMAXPROCS without an
	// External model, DefaultJobConcurrency with one. The deterministic
	// model is CPU work, so running more valuations at once than the CPUs
	// can keep busy (with one waiting for its commit) drains a backlog no
	// faster and takes the CPUs from the API's requests; an External
	// model's calls wait on the network, so more at once is faster.
	Concurrency int
}

func (c Config) idempotencyDefaults() (Config, error) {
	if c.IdempotencyTTL < 0 || c.IdempotencyLock < 0 || c.KeepIdempotencyKeys < 0 {
		return c, errors.New("assetmint: Config idempotency durations must not be negative")
	}
	if c.IdempotencyTTL == 0 {
		c.IdempotencyTTL = 24 * time.Hour
	}
	if c.IdempotencyLock == 0 {
		c.IdempotencyLock = time.Minute
	}
	if c.KeepIdempotencyKeys == 0 {
		c.KeepIdempotencyKeys = 48 * time.Hour
	}
	if c.KeepIdempotencyKeys < c.IdempotencyTTL {
		return c, fmt.Errorf("assetmint: Config.KeepIdempotencyKeys (%s) must be at least IdempotencyTTL (%s)", c.KeepIdempotencyKeys, c.IdempotencyTTL)
	}
	return c, nil
}

// LendingConfig is the lending policy: underwriting, approval, funding and
// servicing.
type LendingConfig struct {
	// Policy is the underwriting policy; its zero fields are
	// lending.DefaultPolicy's.
	Policy lending.Policy
	// ManualApproval refers every loan underwriting would approve to an
	// operator. Default false: approved within policy.
	ManualApproval bool
	// AutoFund funds an approved loan at once: the token is locked and the
	// loan funded without an operator. Default false: an operator calls
	// FundLoan once the money has gone out.
	AutoFund bool
	// Servicing sets late charges, the repayment allocation order and the
	// default rule. Nil means lending.DefaultLatePolicy (5 days of grace,
	// 5 % late fee capped at 100.00, 2 % penalty interest), fees then
	// interest then principal, and default after 90 days past due.
	Servicing *lending.ServicingPolicy
	// LenderAddress receives the token of a defaulted loan. Default: the
	// chain signer.
	LenderAddress string
}

// ChainConfig configures tokenization. Without a Chain, verified assets
// stay verified and nothing is minted.
type ChainConfig struct {
	Chain tokenize.Chain
	// Contract attaches to a deployed AssetToken; empty means deploy one on
	// first use and keep its address in the store.
	Contract string
	// CustodyAddress receives the tokens of businesses without a wallet
	// address. Default: the signer.
	CustodyAddress string
	// TokenName and TokenSymbol name a deployed contract. Defaults
	// "AssetMint Asset Token", "AMAT".
	TokenName, TokenSymbol string
}

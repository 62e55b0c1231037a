// Command server runs the AssetMint API with the embedded defaults: a SQLite
// file and the in-process simulated chain.
//
//	go run ./examples/server [-addr 127.0.0.1:8080] [-db assetmint.db] [-data assetmint-data] [-drain 30s]
//
// With -db postgres://... (or postgresql://) it is one instance of a
// cluster: any number of them share the PostgreSQL database (its jobs, rate
// limits, idempotency keys and, unless -data is given, its documents), a
// chain node (ASSETMINT_CHAIN_RPC is then required) and a master key
// (ASSETMINT_MASTER_KEY is then required unless -data is given).
//
// Every chain action goes through a transaction manager (ethchain.Manager)
// whose intents live in the database, so many transactions ride in one
// block and a restart resumes what was in flight; GET /v1/admin/chain
// shows its state (docs/tokenization.md).
//
// Environment:
//
//	ASSETMINT_BOOTSTRAP_CLIENT_ID, ASSETMINT_BOOTSTRAP_CLIENT_SECRET
//	    make sure this API client (and a business for it) exists at start;
//	    without them, a first start on an empty database creates a business
//	    and prints its credentials. The secret has at least 32 characters.
//	ASSETMINT_BOOTSTRAP_PLAN      the bootstrap business's plan (developer, business, enterprise)
//	ASSETMINT_ADMIN_TOKEN         enables the operator routes under /v1/admin/ and the operator console
//	    at /console/, which operators sign in to with it (at least 32 characters)
//	ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1  lets webhook endpoints be loopback or private addresses (local work)
//	ASSETMINT_CHAIN_RPC, ASSETMINT_CHAIN_KEY  a JSON-RPC node and the signer's hex private key (0x optional)
//	    instead of the in-process simulated chain
//	ASSETMINT_CHAIN_CONFIRMATIONS  receipts wait for this many blocks (default 1)
//	ASSETMINT_CHAIN_MAX_IN_FLIGHT  the signer's transactions in flight at once (default 16)
//	ASSETMINT_CHAIN_BUMP_AFTER     a transaction unmined this long is replaced with higher fees (default 30s)
//	ASSETMINT_CHAIN_MAX_FEE_GWEI   the fee cap, gwei per gas (default 200)
//	ASSETMINT_LENDER_ADDRESS      where the tokens of defaulted loans go (default the chain signer)
//	ASSETMINT_MASTER_KEY          32 bytes (64 hex digits or base64) that seal signing keys, webhook
//	    secrets and stored answers at rest; without it, <data>/master.key is created (0600) on the
//	    first start and used after
//	ASSETMINT_PREVIOUS_MASTER_KEYS  comma-separated keys that still open what they sealed, during a
//	    rotation (every start re-seals under the current key)
//	ASSETMINT_PLAN_LIMITS         the plans' rate limits, e.g.
//	    developer=60/min,5000/day;business=300/min,50000/day;enterprise=1000/min
//	    (a plan left out keeps its default; an entry without /day has no daily cap)
//	ASSETMINT_TRUSTED_PROXIES     comma-separated CIDRs (or addresses) of the proxies whose
//	    X-Forwarded-For is believed; the per-address limits then key on the client behind them
//
// Its policies verify valued assets, approve loans within the underwriting
// policy and fund approved loans automatically, so the whole flow runs from
// the public API; repayments are recorded through the operator route.
//
// It shuts down cleanly on SIGINT/SIGTERM: in-flight requests and jobs get
// the -drain time to finish, what is still running then is cut off (and
// logged as a warning), the process exits 0, and pending work resumes on the
// next start.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/console"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/postgres"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/ethchain"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its inputs and outputs passed in so a test
// can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	dbPath := fs.String("db", "assetmint.db", "SQLite database file, or a postgres:// (postgresql://) URL for the cluster store")
	dataDir := fs.String("data", "assetmint-data", "document storage folder (created if missing)")
	drain := fs.Duration("drain", 30*time.Second, "on SIGINT/SIGTERM, how long in-flight requests and jobs may finish before they are cut off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *drain <= 0 {
		return fmt.Errorf("-drain must be positive, not %s", *drain)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if t := getenv("ASSETMINT_ADMIN_TOKEN"); t != "" && utf8.RuneCountInString(t) < httpapi.MinAdminTokenLength {
		return fmt.Errorf("ASSETMINT_ADMIN_TOKEN must be at least %d characters", httpapi.MinAdminTokenLength)
	}
	proxies, err := parseTrustedProxies(getenv("ASSETMINT_TRUSTED_PROXIES"))
	if err != nil {
		return err
	}
	plans, err := auth.ParsePlanLimits(getenv("ASSETMINT_PLAN_LIMITS"))
	if err != nil {
		return fmt.Errorf("ASSETMINT_PLAN_LIMITS: %w", err)
	}

	dataSet := false
	fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	st, err := openStore(ctx, *dbPath, *dataDir, dataSet, getenv)
	if err != nil {
		return err
	}
	defer st.close()
	masterKey, previousKeys, err := masterKeys(getenv, st.keyDir, stdout)
	if err != nil {
		return err
	}
	lender := getenv("ASSETMINT_LENDER_ADDRESS")
	if lender != "" {
		if lender, err = assetmint.NormalizeAddress("ASSETMINT_LENDER_ADDRESS", lender); err != nil {
			return errors.New(assetmint.ErrorMessage(err))
		}
	}
	chain, chainInfo, closeChain, err := openChain(ctx, getenv, st.intents, log)
	if err != nil {
		return err
	}
	defer closeChain()
	engine, err := assetmint.New(st.db, assetmint.Config{Logger: log, Blobs: st.blobs,
		MasterKey: masterKey, PreviousMasterKeys: previousKeys, Plans: plans,
		Jobs:     jobs.WorkerConfig{ShutdownGrace: *drain},
		Webhooks: assetmint.WebhookConfig{AllowPrivate: getenv("ASSETMINT_WEBHOOK_ALLOW_PRIVATE") == "1"},
		Chain:    chain,
		Lending:  assetmint.LendingConfig{AutoFund: true, LenderAddress: lender}})
	if err != nil {
		return err
	}
	// Seal what an older master key sealed, or what an older version
	// stored in plain text.
	if n, err := engine.Operator().ResealSecrets(ctx); err != nil {
		return fmt.Errorf("re-sealing secrets under the master key: %w", err)
	} else if n > 0 {
		fmt.Fprintf(stdout, "Re-sealed %d stored secrets under master key %s.\n", n, assetmint.MasterKeyID(masterKey))
	}
	if err := bootstrap(ctx, engine, getenv, stdout); err != nil {
		return err
	}
	if getenv("ASSETMINT_CHAIN_RPC") == "" {
		// The simulated chain starts empty: put the recorded tokens back.
		n, err := engine.Operator().Remint(ctx)
		if err != nil {
			return fmt.Errorf("re-minting recorded tokens on the simulated chain: %w", err)
		}
		if n > 0 {
			fmt.Fprintf(stdout, "Re-minted %d recorded tokens on the fresh simulated chain.\n", n)
		}
	}
	// One limiter for the API and the console, so that one address gets one
	// budget of failed guesses at the operator token, whichever it tries;
	// on PostgreSQL, one for every instance.
	limiter := st.limiter
	api, err := httpapi.New(engine, httpapi.Config{AdminToken: getenv("ASSETMINT_ADMIN_TOKEN"), TrustedProxies: proxies, Logger: log,
		Limiter: limiter})
	if err != nil {
		return err
	}
	var operatorConsole http.Handler
	if t := getenv("ASSETMINT_ADMIN_TOKEN"); t != "" {
		if operatorConsole, err = console.New(engine, console.Config{AdminToken: t, TrustedProxies: proxies, Limiter: limiter, Logger: log}); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var inFlight atomic.Int64 // requests being served, for the shutdown's log
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			if operatorConsole != nil && (r.URL.Path == "/console" || strings.HasPrefix(r.URL.Path, "/console/")) {
				operatorConsole.ServeHTTP(w, r)
				return
			}
			api.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       2 * time.Minute, // document uploads are up to 25 MiB
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if len(proxies) > 0 {
		fmt.Fprintf(stdout, "Believing X-Forwarded-For from %s (ASSETMINT_TRUSTED_PROXIES).\n", getenv("ASSETMINT_TRUSTED_PROXIES"))
	}
	fmt.Fprintln(stdout, chainInfo)
	fmt.Fprintf(stdout, "AssetMint API listening on http://%s/v1\n", ln.Addr())
	if getenv("ASSETMINT_ADMIN_TOKEN") != "" {
		fmt.Fprintln(stdout, "Operator routes enabled under /v1/admin/.")
		fmt.Fprintf(stdout, "Operator console at http://%s/console/ (sign in with ASSETMINT_ADMIN_TOKEN).\n", ln.Addr())
	}
	if getenv("ASSETMINT_WEBHOOK_ALLOW_PRIVATE") == "1" {
		fmt.Fprintln(stdout, "Webhook endpoints may be loopback or private addresses (ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1).")
	}

	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- engine.Run(jobsCtx) }()
	if st.prune != nil {
		go pruneHourly(jobsCtx, st.prune, log)
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ln) }()

	select {
	case err = <-serveDone:
	case <-ctx.Done():
		log.Info("shutting down: finishing in-flight requests and jobs", "drain", *drain)
		stopJobs() // the jobs get the same time, at the same time (their ShutdownGrace)
		err = shutdown(srv, *drain, &inFlight, log)
	}
	stopJobs()
	if jerr := <-jobsDone; jerr != nil && err == nil {
		err = jerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// shutdown stops srv taking requests and lets those in flight finish for
// up to drain, then closes the connections still open: a client that holds
// a request open cannot keep the process from exiting, and cutting it off
// is logged as a warning, not returned as an error.
func shutdown(srv *http.Server, drain time.Duration, inFlight *atomic.Int64, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := srv.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	log.Warn("shutdown: drain time over; cutting off the requests still in flight", "requests", inFlight.Load(), "drain", drain)
	if err := srv.Close(); err != nil {
		log.Warn("shutdown: closing the server", "err", err)
	}
	return nil
}

// parseTrustedProxies reads ASSETMINT_TRUSTED_PROXIES: comma-separated
// CIDRs, or single addresses.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for entry := range strings.SplitSeq(v, ",") {
		entry = strings.TrimSpace(entry)
		p, err := netip.ParsePrefix(entry)
		if err != nil {
			a, aerr := netip.ParseAddr(entry)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("ASSETMINT_TRUSTED_PROXIES: %q is not a CIDR (like 10.0.0.0/8) or an IP address", entry)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

// openChain connects the chain verified assets are minted on: a JSON-RPC
// node when ASSETMINT_CHAIN_RPC is set, else the in-process simulated chain;
// either way through a transaction manager (ethchain.Manager) whose intents
// live in the database. The simulated chain lives in memory, so each start
// deploys a fresh AssetToken (passed as the contract to mint on) from a
// fresh key, and run re-mints the recorded tokens on it.
func openChain(ctx context.Context, getenv func(string) string, intents tokenize.IntentStore, log *slog.Logger) (assetmint.ChainConfig, string, func(), error) {
	confirmations := uint64(1)
	if v := getenv("ASSETMINT_CHAIN_CONFIRMATIONS"); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n < 1 {
			return assetmint.ChainConfig{}, "", nil, fmt.Errorf("ASSETMINT_CHAIN_CONFIRMATIONS must be a whole number of at least 1, not %q", v)
		}
		confirmations = n
	}
	mcfg, err := managerConfig(getenv, log)
	if err != nil {
		return assetmint.ChainConfig{}, "", nil, err
	}
	rpc, keyHex := getenv("ASSETMINT_CHAIN_RPC"), getenv("ASSETMINT_CHAIN_KEY")
	if rpc == "" {
		if keyHex != "" {
			return assetmint.ChainConfig{}, "", nil, errors.New("ASSETMINT_CHAIN_KEY is set without ASSETMINT_CHAIN_RPC")
		}
		sim, err := simchain.New(simchain.Config{Confirmations: confirmations})
		if err != nil {
			return assetmint.ChainConfig{}, "", nil, err
		}
		m, err := sim.Manager(intents, mcfg)
		if err != nil {
			sim.Close()
			return assetmint.ChainConfig{}, "", nil, err
		}
		signer := m.Signer()
		contract, _, err := m.Deploy(ctx, tokenize.DeployParams{Name: "AssetMint Asset Token", Symbol: "AMAT",
			Admin: signer, Minter: signer, Lender: signer})
		if err != nil {
			sim.Close()
			return assetmint.ChainConfig{}, "", nil, fmt.Errorf("deploying AssetToken on the simulated chain: %w", err)
		}
		info := fmt.Sprintf("Minting on the in-process simulated chain (chain id %s, in memory), AssetToken at %s.", simchain.ChainID, contract)
		return assetmint.ChainConfig{Chain: m, Contract: contract}, info, func() { sim.Close() }, nil
	}
	if keyHex == "" {
		return assetmint.ChainConfig{}, "", nil, errors.New("ASSETMINT_CHAIN_RPC needs ASSETMINT_CHAIN_KEY, the signer's hex private key")
	}
	key, err := ethchain.ParsePrivateKey(keyHex)
	if err != nil {
		return assetmint.ChainConfig{}, "", nil, fmt.Errorf("ASSETMINT_CHAIN_KEY: %w", err)
	}
	chain, closeChain, err := ethchain.Dial(ctx, rpc, key, ethchain.Config{Confirmations: confirmations})
	if err != nil {
		return assetmint.ChainConfig{}, "", nil, fmt.Errorf("ASSETMINT_CHAIN_RPC: %w", err)
	}
	id, err := chain.ChainID(ctx)
	if err != nil {
		closeChain()
		return assetmint.ChainConfig{}, "", nil, fmt.Errorf("ASSETMINT_CHAIN_RPC: reading the chain id: %w", err)
	}
	m, err := ethchain.NewManager(chain, intents, mcfg)
	if err != nil {
		closeChain()
		return assetmint.ChainConfig{}, "", nil, err
	}
	info := fmt.Sprintf("Minting on %s (chain id %s) as %s; the AssetToken is deployed on first use.", rpc, id, chain.Signer())
	return assetmint.ChainConfig{Chain: m}, info, closeChain, nil
}

// managerConfig reads the transaction manager's settings.
func managerConfig(getenv func(string) string, log *slog.Logger) (ethchain.ManagerConfig, error) {
	cfg := ethchain.ManagerConfig{Logger: log}
	if v := getenv("ASSETMINT_CHAIN_MAX_IN_FLIGHT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("ASSETMINT_CHAIN_MAX_IN_FLIGHT must be a whole number of at least 1, not %q", v)
		}
		cfg.MaxInFlight = n
	}
	if v := getenv("ASSETMINT_CHAIN_BUMP_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("ASSETMINT_CHAIN_BUMP_AFTER must be a positive duration such as 30s, not %q", v)
		}
		cfg.BumpAfter = d
	}
	if v := getenv("ASSETMINT_CHAIN_MAX_FEE_GWEI"); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("ASSETMINT_CHAIN_MAX_FEE_GWEI must be a whole number of at least 1, not %q", v)
		}
		cfg.MaxFeePerGas = new(big.Int).Mul(new(big.Int).SetUint64(n), big.NewInt(1e9))
	}
	return cfg, nil
}

// bootstrap makes sure someone can call the API: the configured client, or
// on a first start a new business whose credentials are printed once.
func bootstrap(ctx context.Context, engine *assetmint.Engine, getenv func(string) string, stdout io.Writer) error {
	id, secret := getenv("ASSETMINT_BOOTSTRAP_CLIENT_ID"), getenv("ASSETMINT_BOOTSTRAP_CLIENT_SECRET")
	plan := auth.Plan(getenv("ASSETMINT_BOOTSTRAP_PLAN"))
	if plan != "" && !plan.Valid() {
		return fmt.Errorf("ASSETMINT_BOOTSTRAP_PLAN must be developer, business or enterprise, not %q", plan)
	}
	switch {
	case id != "" && secret != "":
		b, err := engine.Operator().EnsureClient(ctx, id, secret, assetmint.NewBusiness{Name: "Bootstrap business", Plan: plan})
		switch assetmint.ErrorParam(err) {
		case "client_id":
			return fmt.Errorf("ASSETMINT_BOOTSTRAP_CLIENT_ID: %s", assetmint.ErrorMessage(err))
		case "client_secret":
			return fmt.Errorf("ASSETMINT_BOOTSTRAP_CLIENT_SECRET: %s", assetmint.ErrorMessage(err))
		}
		if err != nil {
			return fmt.Errorf("bootstrap client: %w", err)
		}
		fmt.Fprintf(stdout, "Bootstrap client %s ready for business %s (plan %s).\n", id, b.ID, b.Plan)
		return nil
	case id != "" || secret != "":
		return errors.New("set both ASSETMINT_BOOTSTRAP_CLIENT_ID and ASSETMINT_BOOTSTRAP_CLIENT_SECRET, or neither")
	}
	page, err := engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 1})
	if err != nil {
		return err
	}
	if len(page.Items) > 0 {
		fmt.Fprintln(stdout, "Using the existing database; its credentials were printed at its first start.")
		fmt.Fprintln(stdout, "Set ASSETMINT_BOOTSTRAP_CLIENT_ID and ASSETMINT_BOOTSTRAP_CLIENT_SECRET to choose your own.")
		return nil
	}
	b, creds, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Demo business", Plan: plan})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created business %s (plan %s) with an API client. The secret is shown only now:\n", b.ID, b.Plan)
	fmt.Fprintf(stdout, "  client_id:     %s\n  client_secret: %s\n", creds.ClientID, creds.ClientSecret)
	return nil
}

// masterKeys returns the master key that seals secrets at rest, and the
// previous ones that still open what they sealed: ASSETMINT_MASTER_KEY
// when set, else <data>/master.key, created (0600) on the first start;
// ASSETMINT_PREVIOUS_MASTER_KEYS (comma-separated) during a rotation.
func masterKeys(getenv func(string) string, dataDir string, stdout io.Writer) ([]byte, [][]byte, error) {
	var previous [][]byte
	for _, s := range strings.Split(getenv("ASSETMINT_PREVIOUS_MASTER_KEYS"), ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		k, err := assetmint.ParseMasterKey(s)
		if err != nil {
			return nil, nil, fmt.Errorf("ASSETMINT_PREVIOUS_MASTER_KEYS: %w", err)
		}
		previous = append(previous, k)
	}
	if v := getenv("ASSETMINT_MASTER_KEY"); v != "" {
		k, err := assetmint.ParseMasterKey(v)
		if err != nil {
			return nil, nil, fmt.Errorf("ASSETMINT_MASTER_KEY: %w", err)
		}
		return k, previous, nil
	}
	if dataDir == "" {
		return nil, nil, errors.New("ASSETMINT_MASTER_KEY is required: no -data folder to keep master.key in")
	}
	path := filepath.Join(dataDir, "master.key")
	text, err := os.ReadFile(path)
	if err == nil {
		k, err := assetmint.ParseMasterKey(string(text))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return k, previous, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("master key: %w", err)
	}
	k, err := assetmint.NewMasterKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("master key: %w", err)
	}
	_, err = fmt.Fprintf(f, "%x\n", k)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("master key: %w", err)
	}
	fmt.Fprintf(stdout, "Created master key %s (id %s): it seals signing keys, webhook secrets and stored answers.\n", path, assetmint.MasterKeyID(k))
	fmt.Fprintln(stdout, "Back it up and keep it apart from the database, or set ASSETMINT_MASTER_KEY; without it the secrets in the database cannot be read.")
	return k, previous, nil
}

// store is the database the server runs on and what comes with it.
type store struct {
	db      assetmint.Store
	intents tokenize.IntentStore // the transaction manager's
	blobs   assetmint.BlobStore
	limiter auth.Limiter
	// keyDir is where master.key may live ("" when the master key must
	// come from ASSETMINT_MASTER_KEY).
	keyDir string
	// prune, when set, is run hourly (the shared limiter's quiet keys).
	prune func(ctx context.Context, now time.Time) (int, error)
	close func() error
}

// isPostgresURL reports whether -db names a PostgreSQL database.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openStore opens and migrates the database -db names: a SQLite file
// (documents in -data, limits in process), or a PostgreSQL database (the
// cluster store: documents in PostgreSQL unless -data is given, one rate
// limit for every instance). Several instances on one PostgreSQL need a
// chain every instance reaches, so the in-process simulated chain is
// refused there, and a master key they share, so without -data it must
// come from ASSETMINT_MASTER_KEY.
func openStore(ctx context.Context, dbFlag, dataDir string, dataSet bool, getenv func(string) string) (*store, error) {
	if !isPostgresURL(dbFlag) {
		// The data folder holds the master key and the documents: its
		// owner's only.
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		db, err := sqlite.Open(dbFlag, sqlite.Config{})
		if err != nil {
			return nil, err
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		blobs, err := fsblob.New(filepath.Join(dataDir, "documents"))
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("document storage: %w", err)
		}
		return &store{db: db, intents: db, blobs: blobs, limiter: auth.NewMemoryLimiter(auth.MemoryLimiterConfig{}), keyDir: dataDir, close: db.Close}, nil
	}
	if getenv("ASSETMINT_CHAIN_RPC") == "" {
		return nil, errors.New("ASSETMINT_CHAIN_RPC is required with a PostgreSQL database: the in-process simulated chain lives in one process, " +
			"and every instance must mint on the same chain (geth --dev locally)")
	}
	if !dataSet && getenv("ASSETMINT_MASTER_KEY") == "" {
		return nil, errors.New("ASSETMINT_MASTER_KEY is required with a PostgreSQL database and no -data: every instance must seal and open " +
			"secrets with the same key (openssl rand -hex 32 makes one)")
	}
	db, err := postgres.Open(ctx, dbFlag, postgres.Config{})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	st := &store{db: db, intents: db, blobs: postgres.NewBlobs(db), close: db.Close}
	limiter := postgres.NewLimiter(db)
	st.limiter, st.prune = limiter, limiter.Prune
	if dataSet {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			db.Close()
			return nil, fmt.Errorf("data folder: %w", err)
		}
		blobs, err := fsblob.New(filepath.Join(dataDir, "documents"))
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("document storage: %w", err)
		}
		st.blobs, st.keyDir = blobs, dataDir
	}
	return st, nil
}

// pruneHourly runs prune every hour until ctx ends. Several instances may
// prune at once: a prune deletes only what is quiet, twice is harmless.
func pruneHourly(ctx context.Context, prune func(context.Context, time.Time) (int, error), log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if _, err := prune(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("pruning the rate limits", "err", err)
			}
		}
	}
}

package assetmint

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/tokenize"
)

// TokenStatus is where a token is: minted -> locked -> (minted | seized);
// burned.
type TokenStatus string

const (
	TokenMinted TokenStatus = "minted"
	TokenLocked TokenStatus = "locked"
	TokenSeized TokenStatus = "seized"
	TokenBurned TokenStatus = "burned"
)

// Token is an asset's ERC-721 token, recorded once its mint receipt is in.
type Token struct {
	ID           string
	BusinessID   string
	AssetID      string
	ChainID      string // decimal
	Contract     string // the AssetToken contract's address (the API's token_address)
	TokenNumber  string // the ERC-721 id, decimal
	OwnerAddress string
	TxHash       string // the mint transaction
	BlockNumber  uint64
	Status       TokenStatus
	MetadataHash string // 0x-prefixed hex SHA-256 of the metadata JSON
	TokenURI     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TokenStore keeps tokens and the small settings the chain side needs.
type TokenStore interface {
	// CreateToken inserts t. ECONFLICT if the id exists or the asset has a
	// token already; ENOTFOUND if the asset is not the business's.
	CreateToken(ctx context.Context, t *Token) error
	// Token reads one of the business's tokens. ENOTFOUND if absent or
	// another business's.
	Token(ctx context.Context, businessID, id string) (*Token, error)
	// AssetToken reads an asset's token. ENOTFOUND if it has none.
	AssetToken(ctx context.Context, businessID, assetID string) (*Token, error)
	// Tokens lists the business's tokens, newest first.
	// ErrCursorNotFound (ENOTFOUND) if p's cursor is not one of the
	// business's tokens.
	Tokens(ctx context.Context, businessID string, p ListParams) (Page[*Token], error)
	// UpdateToken writes t's owner, status, metadata and timestamps (scoped
	// by t.BusinessID). ENOTFOUND if absent.
	UpdateToken(ctx context.Context, t *Token) error
}

// TokenBookStore is for platform work on every business's tokens, such as
// re-minting them on a new chain (Remint); never for a business.
type TokenBookStore interface {
	// AllTokens lists every business's tokens, newest first.
	// ErrCursorNotFound (ENOTFOUND) if p's cursor is no token.
	AllTokens(ctx context.Context, p ListParams) (Page[*Token], error)
	// MoveToken writes where a re-minted token now lives: its contract,
	// mint transaction and block (scoped by t.BusinessID). ENOTFOUND if
	// absent; ECONFLICT if another token holds that contract and number.
	MoveToken(ctx context.Context, t *Token) error
}

// SettingStore keeps platform settings, such as the address of the
// contract deployed on each chain.
type SettingStore interface {
	// Setting reads a setting. ENOTFOUND if unset.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting writes a setting, replacing any value.
	SetSetting(ctx context.Context, key, value string) error
}

// JobMint mints a verified asset's token. It runs in the signer's lane, so
// one signer's transactions go out one at a time and in order, across
// processes.
const JobMint = "token.mint"

func (e *Engine) setupChain() error {
	cc := &e.cfg.Chain
	if cc.Chain == nil {
		return nil
	}
	if cc.CustodyAddress == "" {
		cc.CustodyAddress = cc.Chain.Signer()
	}
	var err error
	if cc.CustodyAddress, err = NormalizeAddress("custody_address", cc.CustodyAddress); err != nil {
		return fmt.Errorf("assetmint: ChainConfig.CustodyAddress: %w", err)
	}
	if cc.Contract != "" {
		if cc.Contract, err = NormalizeAddress("contract", cc.Contract); err != nil {
			return fmt.Errorf("assetmint: ChainConfig.Contract: %w", err)
		}
	}
	if cc.TokenName == "" {
		cc.TokenName = "AssetMint Asset Token"
	}
	if cc.TokenSymbol == "" {
		cc.TokenSymbol = "AMAT"
	}
	if tm, ok := cc.Chain.(tokenize.TxManager); ok {
		e.txm = tm
		e.worker.Handle(JobConfirmChain, e.confirmChain)
	}
	e.worker.Handle(JobMint, e.mint)
	return nil
}

type mintJob struct {
	BusinessID string `json:"business_id"`
	AssetID    string `json:"asset_id"`
	chainTries
}

// mintRecord is what a mint records once its transaction is in: the
// token's chain, contract, number, owner, URI and metadata hash.
type mintRecord struct {
	BusinessID   string `json:"business_id"`
	AssetID      string `json:"asset_id"`
	ChainID      string `json:"chain_id"`
	Contract     string `json:"contract"`
	TokenNumber  string `json:"token_number"`
	Owner        string `json:"owner"`
	URI          string `json:"uri"`
	MetadataHash string `json:"metadata_hash"` // 0x-prefixed hex
}

// enqueueMint is called inside the transaction that verifies an asset.
func (e *Engine) enqueueMint(ctx context.Context, tx Tx, a *Asset) error {
	if e.cfg.Chain.Chain == nil {
		return nil
	}
	payload, _ := json.Marshal(mintJob{BusinessID: a.BusinessID, AssetID: a.ID})
	// One job per verification of a revision: a job that found the asset
	// changed did nothing, and its next verification must mint.
	_, err := tx.EnqueueJob(ctx, jobs.New{Kind: JobMint, Lane: e.chainLane(a.ID),
		UniqueKey: fmt.Sprintf("mint:%s:%d", a.ID, a.Revision), Payload: payload}, e.now())
	return err
}

// mint is the mint job. It is idempotent: the token number comes from the
// asset id, so a run after a crash between sending and recording finds the
// token on chain, checks its owner, and records it with the transaction
// found from the Minted event. With a transaction manager it submits the
// mint and returns; the confirmation loop records it (chain.go).
func (e *Engine) mint(ctx context.Context, j *jobs.Job) error {
	var p mintJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("mint payload: %v: %w", err, jobs.ErrPermanent)
	}
	if _, err := e.store.AssetToken(ctx, p.BusinessID, p.AssetID); err == nil {
		return nil // recorded by an earlier run
	} else if ErrorCode(err) != ENOTFOUND {
		return err
	}
	a, err := e.store.Asset(ctx, p.BusinessID, p.AssetID)
	if err != nil {
		return err
	}
	if a.Status != AssetVerified {
		return nil // changed since (revalued, rejected): a later verification enqueues again
	}
	key := "mint:" + a.ID
	if e.txm != nil {
		if live, err := e.live(ctx, key); live || err != nil {
			return err // in flight: the confirmation loop records it
		}
	}
	b, err := e.store.Business(ctx, p.BusinessID)
	if err != nil {
		return err
	}
	to := e.cfg.Chain.CustodyAddress
	if b.WalletAddress != "" {
		to = b.WalletAddress
	}
	chain := e.cfg.Chain.Chain
	chainID, err := chain.ChainID(ctx)
	if err != nil {
		return err
	}
	contract, err := e.tokenContract(ctx, chainID.String())
	if err != nil {
		return err
	}
	meta, err := e.tokenMetadata(ctx, a)
	if err != nil {
		return err
	}
	hash := meta.Hash()
	rec := &mintRecord{BusinessID: a.BusinessID, AssetID: a.ID, ChainID: chainID.String(), Contract: contract,
		TokenNumber: tokenize.TokenNumber(a.ID).String(), Owner: to,
		URI: "data:application/json;base64," + base64.StdEncoding.EncodeToString(meta.Canonical()), MetadataHash: "0x" + hex.EncodeToString(hash[:])}
	params := tokenize.MintParams{To: to, TokenNumber: tokenize.TokenNumber(a.ID), URI: rec.URI, MetadataHash: hash}

	if e.txm != nil {
		err := e.submit(ctx, j, p.chainTries, tokenize.Call{Kind: tokenize.KindMint, Key: key, Contract: contract, Mint: params},
			chainRef{Mint: rec})
		if errors.Is(err, tokenize.ErrTokenExists) {
			return e.mintedElsewhere(ctx, rec)
		}
		return err
	}
	receipt, err := chain.Mint(ctx, contract, params)
	if errors.Is(err, tokenize.ErrTokenExists) {
		return e.mintedElsewhere(ctx, rec)
	}
	if err != nil {
		return err
	}
	return e.recordMint(ctx, rec, receipt)
}

// mintedElsewhere records a token found minted on chain by a transaction
// the engine never recorded (an earlier run that died before recording
// it): its owner must be the one the engine mints to, and its transaction
// is found from the Minted event.
func (e *Engine) mintedElsewhere(ctx context.Context, rec *mintRecord) error {
	chain := e.cfg.Chain.Chain
	number := tokenize.TokenNumber(rec.AssetID)
	state, err := chain.Token(ctx, rec.Contract, number)
	if err != nil {
		return err
	}
	if !strings.EqualFold(state.Owner, rec.Owner) && !strings.EqualFold(state.Owner, e.cfg.Chain.CustodyAddress) {
		return fmt.Errorf("token %s of asset %s is owned by %s, not %s: %w", number, rec.AssetID, state.Owner, rec.Owner, jobs.ErrPermanent)
	}
	found := *rec
	found.Owner, found.URI, found.MetadataHash = state.Owner, state.URI, "0x"+hex.EncodeToString(state.MetadataHash[:])
	receipt, err := chain.MintReceipt(ctx, rec.Contract, number)
	if err != nil {
		return err
	}
	return e.recordMint(ctx, &found, receipt)
}

// recordMint records a minted token, its asset tokenized and token.minted,
// in one transaction; a token recorded already is left as it is.
func (e *Engine) recordMint(ctx context.Context, rec *mintRecord, receipt tokenize.Receipt) error {
	now := e.now()
	id, err := e.newID(PrefixToken)
	if err != nil {
		return err
	}
	t := &Token{ID: id, BusinessID: rec.BusinessID, AssetID: rec.AssetID, ChainID: rec.ChainID, Contract: rec.Contract,
		TokenNumber: rec.TokenNumber, OwnerAddress: rec.Owner, TxHash: receipt.TxHash, BlockNumber: receipt.BlockNumber,
		Status: TokenMinted, MetadataHash: rec.MetadataHash, TokenURI: rec.URI, CreatedAt: now, UpdatedAt: now}
	err = e.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateToken(ctx, t); err != nil {
			return err
		}
		cur, err := tx.Asset(ctx, rec.BusinessID, rec.AssetID)
		if err != nil {
			return err
		}
		if cur.Status == AssetVerified {
			cur.Status, cur.UpdatedAt = AssetTokenized, now
			if err := tx.UpdateAsset(ctx, cur); err != nil {
				return err
			}
		}
		return e.emit(ctx, tx, rec.BusinessID, TokenMintedEventData{
			TokenID: t.ID, AssetID: rec.AssetID, TokenAddress: rec.Contract, TokenNumber: t.TokenNumber,
			ChainID: t.ChainID, TxHash: t.TxHash, OwnerAddress: rec.Owner,
		})
	})
	if ErrorCode(err) == ECONFLICT {
		return nil // recorded by a concurrent run
	}
	return err
}

// signerLane is the job lane of the chain signer's transactions: mints and
// the collateral jobs run in it one at a time, in order, across processes.
func (e *Engine) signerLane() string { return "signer:" + strings.ToLower(e.cfg.Chain.Chain.Signer()) }

// tokenContract is the AssetToken address: configured, or deployed once
// and kept in the store. Deploying runs inside a mint job: in the signer's
// lane without a transaction manager, so two processes never deploy at
// once; with one, as the intent keyed "deploy:<chain id>", which mint jobs
// racing in other lanes find and await instead of deploying again.
func (e *Engine) tokenContract(ctx context.Context, chainID string) (string, error) {
	if e.cfg.Chain.Contract != "" {
		return e.cfg.Chain.Contract, nil
	}
	key := "token_contract:" + chainID
	addr, err := e.store.Setting(ctx, key)
	if err == nil {
		return addr, nil
	}
	if ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	signer := e.cfg.Chain.Chain.Signer()
	p := tokenize.DeployParams{Name: e.cfg.Chain.TokenName, Symbol: e.cfg.Chain.TokenSymbol, Admin: signer, Minter: signer, Lender: signer}
	if e.txm != nil {
		addr, err = e.deploy(ctx, chainID, p)
	} else {
		addr, _, err = e.cfg.Chain.Chain.Deploy(ctx, p)
	}
	if err != nil {
		return "", fmt.Errorf("deploy AssetToken: %w", err)
	}
	if err := e.store.SetSetting(ctx, key, addr); err != nil {
		return "", err
	}
	e.log.InfoContext(ctx, "deployed AssetToken", "chain_id", chainID, "address", addr)
	return addr, nil
}

// deploy deploys the AssetToken through the transaction manager and
// awaits it.
func (e *Engine) deploy(ctx context.Context, chainID string, p tokenize.DeployParams) (string, error) {
	in, err := e.txm.Submit(ctx, tokenize.Call{Kind: tokenize.KindDeploy, Key: "deploy:" + chainID, Deploy: p})
	if err != nil {
		return "", err
	}
	if in, err = e.txm.Await(ctx, in.ID); err != nil {
		return "", err
	}
	if in.State != tokenize.IntentConfirmed || in.ContractAddress == "" {
		return "", fmt.Errorf("deployment intent %d %s: %s", in.ID, in.State, in.Error)
	}
	return in.ContractAddress, nil
}

// tokenMetadata is what the token commits to: the asset, its latest
// valuation and the hashes of its attached documents.
func (e *Engine) tokenMetadata(ctx context.Context, a *Asset) (tokenize.Metadata, error) {
	v, err := e.store.LatestValuation(ctx, a.BusinessID, a.ID)
	if err != nil {
		return tokenize.Metadata{}, err
	}
	docs, err := e.store.AssetDocuments(ctx, a.BusinessID, a.ID)
	if err != nil {
		return tokenize.Metadata{}, err
	}
	var hashes []string
	for _, d := range docs {
		if d.Attached() {
			hashes = append(hashes, d.SHA256)
		}
	}
	sort.Strings(hashes)
	return tokenize.Metadata{
		AssetID: a.ID, Name: a.Name, Type: string(a.Type), Description: a.Description, Currency: v.Report.Currency,
		ValuationID: v.ID, Value: v.Report.Value.StringFixed(2), MaxLoan: v.Report.MaxLoan.StringFixed(2),
		RiskGrade: v.Report.RiskGrade, ValuedAt: v.Report.AsOf.UTC().Format(time.RFC3339), Documents: hashes,
	}, nil
}

// Tokens lists the business's tokens, newest first. Errors: EINVALID
// (a cursor must name one of the business's tokens: ListParams).
func (e *Engine) Tokens(ctx context.Context, businessID string, p ListParams) (Page[*Token], error) {
	return readPage(p, "tokens", func(p ListParams) (Page[*Token], error) { return e.store.Tokens(ctx, businessID, p) })
}

// Token reads one of the business's tokens. Errors: ENOTFOUND.
func (e *Engine) Token(ctx context.Context, businessID, id string) (*Token, error) {
	t, err := e.store.Token(ctx, businessID, id)
	if err != nil {
		return nil, internal(err, "read token")
	}
	return t, nil
}

// Remint puts every recorded token on the configured contract again and
// records where it now lives: for a chain that lost its state, such as the
// in-process simulated chain after a restart (the example server calls it
// at start). Each token gets its recorded owner, URI and metadata hash, and
// its lock; a token already there is left as it is, so Remint can run
// again after a failure. With a transaction manager, the chain actions
// under way on the lost chain (a mint, a lock, an unlock, a seizure whose
// transaction was in flight) are enqueued again too, once per contract.
// It returns how many tokens it minted.
// Errors: EINVALID without a chain and a contract.
func (o *Operator) Remint(ctx context.Context) (int, error) {
	e := o.e
	chain, contract := e.cfg.Chain.Chain, e.cfg.Chain.Contract
	if chain == nil || contract == "" {
		return 0, Errorf(EINVALID, "Remint needs ChainConfig.Chain and ChainConfig.Contract")
	}
	if e.txm != nil {
		if _, err := e.resumeChainWork(ctx, contract); err != nil {
			return 0, err
		}
	}
	minted := 0
	p := ListParams{Limit: MaxListLimit}
	for {
		page, err := e.store.AllTokens(ctx, p)
		if err != nil {
			return minted, internal(err, "list tokens")
		}
		for _, t := range page.Items {
			did, err := e.remint(ctx, chain, contract, t)
			if err != nil {
				return minted, err
			}
			if did {
				minted++
			}
		}
		if !page.HasMore {
			return minted, nil
		}
		p.StartingAfter = page.Items[len(page.Items)-1].ID
	}
}

func (e *Engine) remint(ctx context.Context, chain tokenize.Chain, contract string, t *Token) (bool, error) {
	number, ok := new(big.Int).SetString(t.TokenNumber, 10)
	if !ok {
		return false, Errorf(EINTERNAL, "token %s has an invalid token number", t.ID)
	}
	state, err := chain.Token(ctx, contract, number)
	if err != nil {
		return false, err
	}
	did := false
	if !state.Exists {
		var hash [32]byte
		if b, err := hex.DecodeString(strings.TrimPrefix(t.MetadataHash, "0x")); err == nil && len(b) == 32 {
			copy(hash[:], b)
		}
		if _, err := chain.Mint(ctx, contract, tokenize.MintParams{To: t.OwnerAddress, TokenNumber: number, URI: t.TokenURI, MetadataHash: hash}); err != nil && !errors.Is(err, tokenize.ErrTokenExists) {
			return false, fmt.Errorf("re-mint token %s: %w", t.ID, err)
		}
		if t.Status == TokenLocked || t.Status == TokenSeized {
			if _, err := chain.Lock(ctx, contract, number); err != nil {
				return false, fmt.Errorf("re-lock token %s: %w", t.ID, err)
			}
		}
		did = true
	}
	receipt, err := chain.MintReceipt(ctx, contract, number)
	if err != nil {
		return did, err
	}
	if strings.EqualFold(t.Contract, contract) && t.TxHash == receipt.TxHash {
		return did, nil
	}
	t.Contract, t.TxHash, t.BlockNumber, t.UpdatedAt = contract, receipt.TxHash, receipt.BlockNumber, e.now()
	if err := e.store.MoveToken(ctx, t); err != nil {
		return did, internal(err, "move token")
	}
	return did, nil
}

package contracts_test

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize/contracts"
)

// account is a funded key on the simulated chain.
type account struct {
	addr common.Address
	opts *bind.TransactOpts
}

// env is a simulated chain with a freshly deployed AssetToken and its cast: the admin deploys and
// holds DEFAULT_ADMIN_ROLE, minter and lender hold their roles, vault is where the lender sends
// seized tokens, alice owns tokens, bob receives them and carol is an approved address or operator.
type env struct {
	backend  *simulated.Backend
	client   simulated.Client
	token    *contracts.AssetToken
	instance *bind.BoundContract
	addr     common.Address
	deploy   *types.Receipt

	minterRole, lenderRole [32]byte

	admin, minter, lender, vault, alice, bob, carol *account
}

func setup(t *testing.T) *env {
	t.Helper()
	chainID := big.NewInt(1337) // the simulated backend's chain id
	names := []string{"admin", "minter", "lender", "vault", "alice", "bob", "carol"}
	accounts := make([]*account, len(names))
	alloc := types.GenesisAlloc{}
	for i := range names {
		key, err := crypto.GenerateKey()
		require.NoError(t, err)
		accounts[i] = newAccount(t, key, chainID)
		alloc[accounts[i].addr] = types.Account{Balance: new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil)}
	}
	backend := simulated.NewBackend(alloc)
	t.Cleanup(func() { _ = backend.Close() })

	e := &env{
		backend: backend,
		client:  backend.Client(),
		token:   contracts.NewAssetToken(),
		admin:   accounts[0], minter: accounts[1], lender: accounts[2], vault: accounts[3],
		alice: accounts[4], bob: accounts[5], carol: accounts[6],
	}
	addr, tx, err := bind.DeployContract(e.admin.opts, common.FromHex(contracts.AssetTokenMetaData.Bin), e.client,
		e.token.PackConstructor("AssetMint Asset", "AMA", e.admin.addr, e.minter.addr, e.lender.addr))
	require.NoError(t, err)
	e.backend.Commit()
	deployed, err := bind.WaitDeployed(t.Context(), e.client, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, addr, deployed)
	e.deploy, err = bind.WaitMined(t.Context(), e.client, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, e.deploy.Status)

	e.addr = addr
	e.instance = e.token.Instance(e.client, addr)
	e.minterRole = call(t, e, e.token.PackMINTERROLE(), e.token.UnpackMINTERROLE)
	e.lenderRole = call(t, e, e.token.PackLENDERROLE(), e.token.UnpackLENDERROLE)
	return e
}

func newAccount(t *testing.T, key *ecdsa.PrivateKey, chainID *big.Int) *account {
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = t.Context()
	return &account{addr: opts.From, opts: opts}
}

// send submits calldata from an account, mines it and requires success.
func (e *env) send(t *testing.T, from *account, data []byte) *types.Receipt {
	t.Helper()
	tx, err := bind.Transact(e.instance, from.opts, data)
	if err != nil {
		reason, _ := e.token.DecodeRevert(err)
		t.Fatalf("transaction from %s reverted: %v (%#v)", from.addr, err, reason)
	}
	e.backend.Commit()
	receipt, err := bind.WaitMined(t.Context(), e.client, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, receipt.Status)
	return receipt
}

// revert requires that calldata from an account reverts, and returns the decoded custom error. It
// checks both that gas estimation refuses it with that error and that the same transaction, sent
// anyway with a fixed gas limit, is mined with a failed status.
func (e *env) revert(t *testing.T, from *account, data []byte) any {
	t.Helper()
	_, err := bind.Transact(e.instance, from.opts, data)
	require.Error(t, err, "transaction from %s should revert", from.addr)
	reason, ok := e.token.DecodeRevert(err)
	require.True(t, ok, "no AssetToken error in %v", err)

	forced := *from.opts
	forced.GasLimit = 500_000
	tx, err := bind.Transact(e.instance, &forced, data)
	require.NoError(t, err)
	e.backend.Commit()
	receipt, err := bind.WaitMined(t.Context(), e.client, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusFailed, receipt.Status, "the mined transaction should fail")
	require.Empty(t, receipt.Logs)
	return reason
}

func call[T any](t *testing.T, e *env, data []byte, unpack func([]byte) (T, error)) T {
	t.Helper()
	out, err := bind.Call(e.instance, &bind.CallOpts{Context: t.Context()}, data, unpack)
	require.NoError(t, err)
	return out
}

// callRevert requires that a view call reverts and returns the decoded custom error.
func callRevert[T any](t *testing.T, e *env, data []byte, unpack func([]byte) (T, error)) any {
	t.Helper()
	_, err := bind.Call(e.instance, &bind.CallOpts{Context: t.Context()}, data, unpack)
	require.Error(t, err)
	reason, ok := e.token.DecodeRevert(err)
	require.True(t, ok, "no AssetToken error in %v", err)
	return reason
}

// eventNames lists the names of the receipt's events in order, all of which must come from the
// token contract.
func (e *env) eventNames(t *testing.T, r *types.Receipt) []string {
	t.Helper()
	abi := e.token.GetABI()
	var names []string
	for _, l := range r.Logs {
		require.Equal(t, e.addr, l.Address)
		ev, err := abi.EventByID(l.Topics[0])
		require.NoError(t, err)
		names = append(names, ev.Name)
	}
	return names
}

// event returns the one event of its type in the receipt, decoded with the generated binding.
func event[T any](t *testing.T, r *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	t.Helper()
	var found []*T
	for _, l := range r.Logs {
		ev, err := unpack(l)
		if errors.Is(err, bind.ErrEventSignatureMismatch) {
			continue
		}
		require.NoError(t, err)
		found = append(found, ev)
	}
	require.Len(t, found, 1)
	return found[0]
}

var (
	tokenID = big.NewInt(7001)
	uri     = "ipfs://bafy-asset-7001"
	hash    = crypto.Keccak256Hash([]byte(`{"asset":"asset_7001","value":"85000.00"}`))
)

// mint mints tokenID to alice.
func (e *env) mint(t *testing.T) *types.Receipt {
	t.Helper()
	return e.send(t, e.minter, e.token.PackMint(e.alice.addr, tokenID, uri, hash))
}

func (e *env) owner(t *testing.T) common.Address {
	t.Helper()
	return call(t, e, e.token.PackOwnerOf(tokenID), e.token.UnpackOwnerOf)
}

func (e *env) locked(t *testing.T) bool {
	t.Helper()
	return call(t, e, e.token.PackLocked(tokenID), e.token.UnpackLocked)
}

func unauthorized(who *account, role [32]byte) *contracts.AssetTokenAccessControlUnauthorizedAccount {
	return &contracts.AssetTokenAccessControlUnauthorizedAccount{Account: who.addr, NeededRole: role}
}

func TestDeploy(t *testing.T) {
	e := setup(t)

	require.Equal(t, "AssetMint Asset", call(t, e, e.token.PackName(), e.token.UnpackName))
	require.Equal(t, "AMA", call(t, e, e.token.PackSymbol(), e.token.UnpackSymbol))
	require.Equal(t, crypto.Keccak256Hash([]byte("MINTER_ROLE")), common.Hash(e.minterRole))
	require.Equal(t, crypto.Keccak256Hash([]byte("LENDER_ROLE")), common.Hash(e.lenderRole))
	adminRole := call(t, e, e.token.PackDEFAULTADMINROLE(), e.token.UnpackDEFAULTADMINROLE)

	holders := map[[32]byte]*account{adminRole: e.admin, e.minterRole: e.minter, e.lenderRole: e.lender}
	for role, holder := range holders {
		for _, who := range []*account{e.admin, e.minter, e.lender, e.alice} {
			has := call(t, e, e.token.PackHasRole(role, who.addr), e.token.UnpackHasRole)
			require.Equal(t, who == holder, has, "role %x, account %s", role, who.addr)
		}
	}

	require.Equal(t, []string{"RoleGranted", "RoleGranted", "RoleGranted"}, e.eventNames(t, e.deploy))
	var granted []contracts.AssetTokenRoleGranted
	for _, l := range e.deploy.Logs {
		ev, err := e.token.UnpackRoleGrantedEvent(l)
		require.NoError(t, err)
		granted = append(granted, contracts.AssetTokenRoleGranted{Role: ev.Role, Account: ev.Account, Sender: ev.Sender})
	}
	require.Equal(t, []contracts.AssetTokenRoleGranted{
		{Role: adminRole, Account: e.admin.addr, Sender: e.admin.addr},
		{Role: e.minterRole, Account: e.minter.addr, Sender: e.admin.addr},
		{Role: e.lenderRole, Account: e.lender.addr, Sender: e.admin.addr},
	}, granted)

	for _, tc := range []struct {
		name string
		id   [4]byte
		want bool
	}{
		{"ERC-165", [4]byte{0x01, 0xff, 0xc9, 0xa7}, true},
		{"ERC-721", [4]byte{0x80, 0xac, 0x58, 0xcd}, true},
		{"ERC-721 metadata", [4]byte{0x5b, 0x5e, 0x13, 0x9f}, true},
		{"ERC-4906", [4]byte{0x49, 0x06, 0x49, 0x06}, true},
		{"AccessControl", [4]byte{0x79, 0x65, 0xdb, 0x0b}, true},
		{"none", [4]byte{0xff, 0xff, 0xff, 0xff}, false},
	} {
		got := call(t, e, e.token.PackSupportsInterface(tc.id), e.token.UnpackSupportsInterface)
		require.Equal(t, tc.want, got, tc.name)
	}
}

func TestDeployRejectsZeroRoleHolder(t *testing.T) {
	e := setup(t)
	bin := common.FromHex(contracts.AssetTokenMetaData.Bin)
	zero := common.Address{}
	adminRole := [32]byte{}
	for _, tc := range []struct {
		name                  string
		admin, minter, lender common.Address
		role                  [32]byte
	}{
		{"admin", zero, e.minter.addr, e.lender.addr, adminRole},
		{"minter", e.admin.addr, zero, e.lender.addr, e.minterRole},
		{"lender", e.admin.addr, e.minter.addr, zero, e.lenderRole},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := bind.DeployContract(e.admin.opts, bin, e.client,
				e.token.PackConstructor("n", "s", tc.admin, tc.minter, tc.lender))
			require.Error(t, err)
			reason, ok := e.token.DecodeRevert(err)
			require.True(t, ok, "no AssetToken error in %v", err)
			require.Equal(t, &contracts.AssetTokenZeroRoleHolder{Role: tc.role}, reason)
		})
	}
}

func TestMint(t *testing.T) {
	e := setup(t)
	r := e.mint(t)

	require.Equal(t, e.alice.addr, e.owner(t))
	require.Equal(t, uri, call(t, e, e.token.PackTokenURI(tokenID), e.token.UnpackTokenURI))
	require.Equal(t, [32]byte(hash), call(t, e, e.token.PackMetadataHash(tokenID), e.token.UnpackMetadataHash))
	require.Equal(t, uint64(1), call(t, e, e.token.PackBalanceOf(e.alice.addr), e.token.UnpackBalanceOf).Uint64())
	require.False(t, e.locked(t))
	require.False(t, call(t, e, e.token.PackSeized(tokenID), e.token.UnpackSeized))

	require.Equal(t, []string{"Transfer", "MetadataUpdate", "Minted"}, e.eventNames(t, r))
	transfer := event(t, r, e.token.UnpackTransferEvent)
	require.Equal(t, common.Address{}, transfer.From)
	require.Equal(t, e.alice.addr, transfer.To)
	require.Equal(t, tokenID, transfer.TokenId)
	require.Equal(t, tokenID, event(t, r, e.token.UnpackMetadataUpdateEvent).TokenId)
	minted := event(t, r, e.token.UnpackMintedEvent)
	require.Equal(t, tokenID, minted.TokenId)
	require.Equal(t, e.alice.addr, minted.To)
	require.Equal(t, uri, minted.Uri)
	require.Equal(t, [32]byte(hash), minted.MetadataHash)
}

func TestMintRequiresMinterRole(t *testing.T) {
	e := setup(t)
	for _, who := range []*account{e.admin, e.lender, e.alice} {
		reason := e.revert(t, who, e.token.PackMint(who.addr, tokenID, uri, hash))
		require.Equal(t, unauthorized(who, e.minterRole), reason)
	}
	reason := callRevert(t, e, e.token.PackOwnerOf(tokenID), e.token.UnpackOwnerOf)
	require.Equal(t, &contracts.AssetTokenERC721NonexistentToken{TokenId: tokenID}, reason)
}

func TestMintRejects(t *testing.T) {
	e := setup(t)
	e.mint(t)

	// The same token number twice: a retried mint cannot create a second token.
	reason := e.revert(t, e.minter, e.token.PackMint(e.bob.addr, tokenID, uri, hash))
	require.Equal(t, &contracts.AssetTokenERC721InvalidSender{Sender: common.Address{}}, reason)
	require.Equal(t, e.alice.addr, e.owner(t))

	reason = e.revert(t, e.minter, e.token.PackMint(common.Address{}, big.NewInt(2), uri, hash))
	require.Equal(t, &contracts.AssetTokenERC721InvalidReceiver{Receiver: common.Address{}}, reason)

	// A contract that does not accept ERC-721 tokens cannot receive one.
	reason = e.revert(t, e.minter, e.token.PackMint(e.addr, big.NewInt(3), uri, hash))
	require.Equal(t, &contracts.AssetTokenERC721InvalidReceiver{Receiver: e.addr}, reason)
}

func TestSetMetadata(t *testing.T) {
	e := setup(t)
	e.mint(t)
	newURI := "ipfs://bafy-asset-7001-v2"
	newHash := crypto.Keccak256Hash([]byte(`{"asset":"asset_7001","value":"79000.00"}`))

	for _, who := range []*account{e.admin, e.lender, e.alice} {
		reason := e.revert(t, who, e.token.PackSetMetadata(tokenID, newURI, newHash))
		require.Equal(t, unauthorized(who, e.minterRole), reason)
	}
	reason := e.revert(t, e.minter, e.token.PackSetMetadata(big.NewInt(404), newURI, newHash))
	require.Equal(t, &contracts.AssetTokenERC721NonexistentToken{TokenId: big.NewInt(404)}, reason)

	// A revaluation is allowed while the token is pledged.
	e.send(t, e.lender, e.token.PackLock(tokenID))
	r := e.send(t, e.minter, e.token.PackSetMetadata(tokenID, newURI, newHash))

	require.Equal(t, []string{"MetadataUpdate"}, e.eventNames(t, r))
	require.Equal(t, tokenID, event(t, r, e.token.UnpackMetadataUpdateEvent).TokenId)
	require.Equal(t, newURI, call(t, e, e.token.PackTokenURI(tokenID), e.token.UnpackTokenURI))
	require.Equal(t, [32]byte(newHash), call(t, e, e.token.PackMetadataHash(tokenID), e.token.UnpackMetadataHash))
	require.Equal(t, e.alice.addr, e.owner(t))
	require.True(t, e.locked(t))
}

func TestLenderFunctionsRequireLenderRole(t *testing.T) {
	e := setup(t)
	e.mint(t)
	e.send(t, e.lender, e.token.PackLock(tokenID))

	for _, who := range []*account{e.admin, e.minter, e.alice, e.vault} {
		for name, data := range map[string][]byte{
			"lock":   e.token.PackLock(tokenID),
			"unlock": e.token.PackUnlock(tokenID),
			"seize":  e.token.PackSeize(tokenID, who.addr),
		} {
			reason := e.revert(t, who, data)
			require.Equal(t, unauthorized(who, e.lenderRole), reason, "%s by %s", name, who.addr)
		}
	}
	require.True(t, e.locked(t))
	require.Equal(t, e.alice.addr, e.owner(t))
}

func TestLockUnlock(t *testing.T) {
	e := setup(t)
	e.mint(t)

	r := e.send(t, e.lender, e.token.PackLock(tokenID))
	require.Equal(t, []string{"Locked"}, e.eventNames(t, r))
	require.Equal(t, tokenID, event(t, r, e.token.UnpackLockedEvent).TokenId)
	require.True(t, e.locked(t))

	reason := e.revert(t, e.lender, e.token.PackLock(tokenID))
	require.Equal(t, &contracts.AssetTokenAlreadyLocked{TokenId: tokenID}, reason)

	r = e.send(t, e.lender, e.token.PackUnlock(tokenID))
	require.Equal(t, []string{"Unlocked"}, e.eventNames(t, r))
	require.Equal(t, tokenID, event(t, r, e.token.UnpackUnlockedEvent).TokenId)
	require.False(t, e.locked(t))

	reason = e.revert(t, e.lender, e.token.PackUnlock(tokenID))
	require.Equal(t, &contracts.AssetTokenNotLocked{TokenId: tokenID}, reason)

	missing := big.NewInt(404)
	for _, data := range [][]byte{e.token.PackLock(missing), e.token.PackUnlock(missing), e.token.PackSeize(missing, e.vault.addr)} {
		reason = e.revert(t, e.lender, data)
		require.Equal(t, &contracts.AssetTokenERC721NonexistentToken{TokenId: missing}, reason)
	}
	reason = callRevert(t, e, e.token.PackLocked(missing), e.token.UnpackLocked)
	require.Equal(t, &contracts.AssetTokenERC721NonexistentToken{TokenId: missing}, reason)
}

// transferPaths are every way an ERC-721 token can change hands outside seize. Each is sent by
// `by`: alice herself, carol approved for the token, or carol as alice's operator.
type transferPath struct {
	name string
	// grant gives carol the rights the path needs; it runs before or after the lock.
	grant func(t *testing.T, e *env)
	by    func(e *env) *account
	data  func(e *env) []byte
}

func transferPaths() []transferPath {
	none := func(*testing.T, *env) {}
	approve := func(t *testing.T, e *env) { e.send(t, e.alice, e.token.PackApprove(e.carol.addr, tokenID)) }
	operator := func(t *testing.T, e *env) { e.send(t, e.alice, e.token.PackSetApprovalForAll(e.carol.addr, true)) }
	alice := func(e *env) *account { return e.alice }
	carol := func(e *env) *account { return e.carol }
	transferFrom := func(e *env) []byte { return e.token.PackTransferFrom(e.alice.addr, e.bob.addr, tokenID) }
	safe := func(e *env) []byte { return e.token.PackSafeTransferFrom(e.alice.addr, e.bob.addr, tokenID) }
	safeData := func(e *env) []byte {
		return e.token.PackSafeTransferFrom0(e.alice.addr, e.bob.addr, tokenID, []byte("loan"))
	}
	return []transferPath{
		{"owner transferFrom", none, alice, transferFrom},
		{"owner safeTransferFrom", none, alice, safe},
		{"owner safeTransferFrom with data", none, alice, safeData},
		{"approved transferFrom", approve, carol, transferFrom},
		{"approved safeTransferFrom", approve, carol, safe},
		{"approved safeTransferFrom with data", approve, carol, safeData},
		{"operator transferFrom", operator, carol, transferFrom},
		{"operator safeTransferFrom", operator, carol, safe},
		{"operator safeTransferFrom with data", operator, carol, safeData},
	}
}

func TestLockedTokenCannotMove(t *testing.T) {
	for _, path := range transferPaths() {
		for _, grantAfterLock := range []bool{false, true} {
			name := path.name
			if grantAfterLock {
				name += " granted while locked"
			}
			t.Run(name, func(t *testing.T) {
				e := setup(t)
				e.mint(t)
				if !grantAfterLock {
					path.grant(t, e)
				}
				e.send(t, e.lender, e.token.PackLock(tokenID))
				if grantAfterLock {
					path.grant(t, e)
				}

				reason := e.revert(t, path.by(e), path.data(e))
				require.Equal(t, &contracts.AssetTokenTokenLocked{TokenId: tokenID}, reason)
				require.Equal(t, e.alice.addr, e.owner(t))

				// Once unlocked, the same path moves the token again.
				e.send(t, e.lender, e.token.PackUnlock(tokenID))
				r := e.send(t, path.by(e), path.data(e))
				transfer := event(t, r, e.token.UnpackTransferEvent)
				require.Equal(t, e.alice.addr, transfer.From)
				require.Equal(t, e.bob.addr, transfer.To)
				require.Equal(t, e.bob.addr, e.owner(t))
			})
		}
	}
}

func TestSeize(t *testing.T) {
	e := setup(t)
	e.mint(t)
	// Alice approves carol for the token and as operator before she pledges it.
	e.send(t, e.alice, e.token.PackApprove(e.carol.addr, tokenID))
	e.send(t, e.alice, e.token.PackSetApprovalForAll(e.carol.addr, true))

	reason := e.revert(t, e.lender, e.token.PackSeize(tokenID, e.vault.addr))
	require.Equal(t, &contracts.AssetTokenNotLocked{TokenId: tokenID}, reason)
	require.Equal(t, e.alice.addr, e.owner(t))

	e.send(t, e.lender, e.token.PackLock(tokenID))
	reason = e.revert(t, e.lender, e.token.PackSeize(tokenID, common.Address{}))
	require.Equal(t, &contracts.AssetTokenERC721InvalidReceiver{Receiver: common.Address{}}, reason)

	r := e.send(t, e.lender, e.token.PackSeize(tokenID, e.vault.addr))
	require.Equal(t, []string{"Transfer", "Seized"}, e.eventNames(t, r))
	transfer := event(t, r, e.token.UnpackTransferEvent)
	require.Equal(t, e.alice.addr, transfer.From)
	require.Equal(t, e.vault.addr, transfer.To)
	require.Equal(t, tokenID, transfer.TokenId)
	seized := event(t, r, e.token.UnpackSeizedEvent)
	require.Equal(t, tokenID, seized.TokenId)
	require.Equal(t, e.alice.addr, seized.From)
	require.Equal(t, e.vault.addr, seized.To)

	require.Equal(t, e.vault.addr, e.owner(t))
	require.True(t, e.locked(t), "a seized token stays locked")
	require.True(t, call(t, e, e.token.PackSeized(tokenID), e.token.UnpackSeized))
	require.Equal(t, common.Address{}, call(t, e, e.token.PackGetApproved(tokenID), e.token.UnpackGetApproved),
		"seizure clears the token approval")
	require.Zero(t, call(t, e, e.token.PackBalanceOf(e.alice.addr), e.token.UnpackBalanceOf).Sign())

	// Neither alice nor carol can take it back while it is locked ...
	back := e.token.PackTransferFrom(e.vault.addr, e.alice.addr, tokenID)
	for _, who := range []*account{e.alice, e.carol, e.vault} {
		reason = e.revert(t, who, back)
		require.Equal(t, &contracts.AssetTokenTokenLocked{TokenId: tokenID}, reason)
	}
	reason = e.revert(t, e.alice, e.token.PackApprove(e.alice.addr, tokenID))
	require.Equal(t, &contracts.AssetTokenERC721InvalidApprover{Approver: e.alice.addr}, reason)

	// ... nor after the lender unlocks it to liquidate it: they are no longer owner or approved.
	e.send(t, e.lender, e.token.PackUnlock(tokenID))
	for _, who := range []*account{e.alice, e.carol} {
		reason = e.revert(t, who, back)
		require.Equal(t, &contracts.AssetTokenERC721InsufficientApproval{Operator: who.addr, TokenId: tokenID}, reason)
	}
	require.Equal(t, e.vault.addr, e.owner(t))

	// The vault can sell it.
	e.send(t, e.vault, e.token.PackTransferFrom(e.vault.addr, e.bob.addr, tokenID))
	require.Equal(t, e.bob.addr, e.owner(t))
}

func TestSeizeAgainMovesOn(t *testing.T) {
	e := setup(t)
	e.mint(t)
	e.send(t, e.lender, e.token.PackLock(tokenID))
	e.send(t, e.lender, e.token.PackSeize(tokenID, e.vault.addr))

	r := e.send(t, e.lender, e.token.PackSeize(tokenID, e.bob.addr))
	seized := event(t, r, e.token.UnpackSeizedEvent)
	require.Equal(t, e.vault.addr, seized.From)
	require.Equal(t, e.bob.addr, seized.To)
	require.Equal(t, e.bob.addr, e.owner(t))
	require.True(t, e.locked(t))
}

func TestDecodeRevertWithoutRevertData(t *testing.T) {
	token := contracts.NewAssetToken()
	_, ok := token.DecodeRevert(errors.New("connection refused"))
	require.False(t, ok)
	_, ok = token.DecodeRevert(nil)
	require.False(t, ok)
}

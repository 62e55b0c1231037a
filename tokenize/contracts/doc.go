// Package contracts holds AssetToken, the ERC-721 contract behind tokenized assets: its Solidity
// source, the compiled ABI and bytecode, and the Go bindings generated from them by abigen v2.
//
// # The contract
//
// AssetToken.sol is an OpenZeppelin 5.7.0 ERC721URIStorage with AccessControl. Each real-world
// asset is one token; the token number is chosen by the caller (derived from the asset id, so a
// retried mint of the same asset fails instead of minting twice). Every token carries a URI and
// the hash of its off-chain metadata.
//
// Roles (bytes32 constants on the contract, granted in the constructor):
//
//   - DEFAULT_ADMIN_ROLE grants and revokes roles.
//   - MINTER_ROLE: mint(to, tokenId, uri, metadataHash) and setMetadata(tokenId, uri, hash), the
//     revaluation, which emits the ERC-4906 MetadataUpdate event.
//   - LENDER_ROLE: lock(tokenId) and unlock(tokenId), which pledge and release a token as
//     collateral, and seize(tokenId, to) on default.
//
// While a token is locked, every transfer path reverts with TokenLocked(tokenId): transferFrom,
// both safeTransferFrom variants, and transfers by an approved address or an operator. The only
// way a locked token moves is seize, which works only on a locked token (NotLocked otherwise),
// moves it to the address the lender names, and leaves it locked and marked seized(tokenId). The
// previous owner no longer owns it and the transfer cleared any per-token approval, so neither
// they nor their operators can take it back; the lender alone decides what happens next (unlock
// it to liquidate it, or seize it again to move it on).
//
// Events: Minted, Locked, Unlocked, Seized, plus the standard Transfer, Approval, ApprovalForAll,
// MetadataUpdate and the AccessControl role events. Custom errors: TokenLocked, NotLocked,
// AlreadyLocked, ZeroRoleHolder, plus OpenZeppelin's (AccessControlUnauthorizedAccount for a
// caller without the role, ERC721NonexistentToken, ...). [AssetToken.DecodeRevert] turns the error
// of a reverted call or gas estimation into the matching Go type, such as *AssetTokenTokenLocked.
//
// # Using the bindings
//
// The bindings follow go-ethereum's bind v2 style: pack calldata with the generated methods and
// send it with bind.Transact or bind.Call on a bound instance.
//
//	token := contracts.NewAssetToken()
//	addr, tx, err := bind.DeployContract(opts, common.FromHex(contracts.AssetTokenMetaData.Bin), backend,
//		token.PackConstructor("AssetMint", "AMT", admin, minter, lender))
//	// ... bind.WaitDeployed(ctx, backend, tx.Hash())
//	instance := token.Instance(backend, addr)
//	tx, err = bind.Transact(instance, minterOpts, token.PackMint(owner, tokenID, uri, hash))
//	locked, err := bind.Call(instance, nil, token.PackLocked(tokenID), token.UnpackLocked)
//
// # Regenerating
//
// AssetToken.abi, AssetToken.bin and assettoken.go are generated and committed; do not edit them.
// After changing AssetToken.sol (or build.mjs, or the pinned packages), run
//
//	go generate ./tokenize/contracts
//
// which needs node and npm. It runs `npm ci` (solc 0.8.37 and @openzeppelin/contracts 5.7.0,
// pinned in package.json and package-lock.json), `node build.mjs` (solc standard-JSON input: EVM
// version cancun, optimizer on with 200 runs, no metadata hash in the bytecode, imports resolved
// from node_modules only), then `go tool abigen --v2`. The output is byte-identical across runs;
// check-generated.sh regenerates into a temporary copy and fails if anything committed differs,
// which is what CI runs.
package contracts

// Package ethchain implements [tokenize.Chain] over go-ethereum's bind v2
// for any backend that is a bind.ContractBackend and a bind.DeployBackend:
// *ethclient.Client for a JSON-RPC node (geth --dev locally), or the
// simulated backend's client (package tokenize/simchain, kept apart so that
// a program using a real node does not link the simulated node).
//
// One [Chain] signs with one key:
//
//   - Sends are serialized under a mutex in nonce order. The nonce comes
//     from the node's pending nonce on first use, is incremented locally,
//     and is fetched again after a failed send or a wait that failed
//     or timed out (the transaction may have been dropped).
//   - Gas is estimated and given a margin (Config.GasMarginPercent, 20% by
//     default). When estimation reverts while this signer still has
//     unmined transactions, the transaction may depend on them (a lock
//     right after its mint, in the same block), so it is sent with the
//     explicit Config.DependentGasLimit and its receipt decides.
//   - Fees are EIP-1559 (the node's suggested tip plus twice the head's
//     base fee), or the legacy gas price on a node without base fees or
//     tip suggestions.
//   - Receipts are polled every Config.PollInterval ("not found" and
//     "transaction indexing is in progress" mean "not yet"), then the head
//     until Config.Confirmations blocks (1 by default) hold the receipt.
//   - Reverts become a [*RevertError] that matches tokenize.ErrReverted
//     and names the contract's custom error; a mint of a taken token
//     number also matches tokenize.ErrTokenExists. A mined transaction with
//     status 0 is replayed with eth_call at its block for the reason.
//   - Addresses are validated on the way in (a *tokenize.InputError naming
//     the parameter) and EIP-55 checksummed on the way out.
//
// With a real node:
//
//	client, err := ethclient.DialContext(ctx, "http://127.0.0.1:8545")
//	key, err := ethchain.ParsePrivateKey(os.Getenv("ASSETMINT_CHAIN_KEY"))
//	chain, err := ethchain.New(client, key, ethchain.Config{Confirmations: 2})
//	contract, receipt, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "AssetMint", Symbol: "AMT"})
//	receipt, err = chain.Mint(ctx, contract, tokenize.MintParams{To: owner, TokenNumber: n, URI: uri, MetadataHash: h})
//
// A backend that only mines on demand (simulated.Backend) needs
// Config.Commit; simchain wires it.
package ethchain

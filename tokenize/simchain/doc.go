// Package simchain runs the in-process simulated chain, the embedded
// default when no node is configured: a go-ethereum simulated.Backend with
// a funded signer and an [ethchain.Chain] over it that mines a block after
// every transaction.
//
// The chain lives in memory only: closing it, or restarting the process,
// loses every contract and token. Re-creating chain state after a restart
// (redeploying and re-minting) is the caller's job.
//
// It is a separate package from ethchain so that a program using a real
// node does not link the simulated node.
//
//	sim, err := simchain.New(simchain.Config{})
//	if err != nil { ... }
//	defer sim.Close()
//	chain := sim.Chain() // a tokenize.Chain
//	contract, _, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "AssetMint", Symbol: "AMT"})
//
// See [New], [Sim] and [Config].
package simchain

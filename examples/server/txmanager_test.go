package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize"
)

// The transaction manager end to end, on geth --dev nodes of the tests'
// own (one block a second), through the real server process: many mints a
// block, and every asset minted exactly once when the node stops
// mid-flight or the server is killed mid-flight. The chain is read back
// independently, with ethers (examples/chain-reader/minted-events.mjs).

const txmAdmin = "txmanager-test-operator-token-0123456789"

// needGethBin returns the geth binary these tests start nodes with, and
// checks that the ethers reader can run; it skips without them, unless
// ASSETMINT_REQUIRE_GETH=1.
func needGethBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("ASSETMINT_TEST_GETH_BIN")
	_, nodeErr := exec.LookPath("node")
	_, ethersErr := os.Stat(filepath.Join(readerDir, "node_modules", "ethers"))
	if bin == "" || nodeErr != nil || ethersErr != nil || testing.Short() {
		msg := "needs a geth binary in ASSETMINT_TEST_GETH_BIN and `npm ci --prefix examples/chain-reader` (.ci/run sets them up)"
		if os.Getenv("ASSETMINT_REQUIRE_GETH") == "1" && !testing.Short() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// mintedEvent is one Minted event as ethers reads it.
type mintedEvent struct {
	TokenID     string `json:"tokenId"`
	To          string `json:"to"`
	BlockNumber uint64 `json:"blockNumber"`
	TxHash      string `json:"txHash"`
}

// mintedEvents reads every Minted event of the contract with ethers.
func mintedEvents(t *testing.T, rpc, contract string) []mintedEvent {
	t.Helper()
	out := readChain(t, rpc, "minted-events.mjs", contract)
	var events []mintedEvent
	require.NoError(t, json.Unmarshal(out, &events))
	return events
}

// submitAssets submits n assets, each with an invoice of its own, eight at
// a time, and returns their ids.
func submitAssets(t *testing.T, srv *serverProcess, tok string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			status, out := sendJSON(srv.base, "POST", "/v1/assets", tok,
				fmt.Sprintf(`{"name":"CNC Milling Machine %d","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`, i))
			if status != http.StatusCreated {
				t.Errorf("asset %d: %d %v", i, status, out)
				return
			}
			ids[i] = out["data"].(map[string]any)["id"].(string)
			evidence(t, srv.base, tok, ids[i], i)
		})
	}
	wg.Wait()
	require.False(t, t.Failed())
	return ids
}

// statuses reads the assets' statuses with one request (GET /v1/assets),
// so polling stays well under the plan's rate limit.
func statuses(srv *serverProcess, tok string, ids []string) map[string]string {
	out := map[string]string{}
	_, body := sendJSON(srv.base, "GET", fmt.Sprintf("/v1/assets?limit=%d", max(len(ids), 1)), tok, "")
	list, _ := body["data"].([]any)
	for _, item := range list {
		if a, ok := item.(map[string]any); ok {
			id, _ := a["id"].(string)
			out[id], _ = a["status"].(string)
		}
	}
	return out
}

// allIn reports whether every asset is in one of the statuses.
func allIn(srv *serverProcess, tok string, ids []string, want ...string) bool {
	st := statuses(srv, tok, ids)
	for _, id := range ids {
		if !slicesContains(want, st[id]) {
			return false
		}
	}
	return true
}

func slicesContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// waitTokenized waits for every asset to be tokenized, and says where
// they are and what the chain's manager saw if they are not.
func waitTokenized(t *testing.T, srv *serverProcess, tok string, ids []string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !allIn(srv, tok, ids, "tokenized") {
		if time.Now().After(deadline) {
			counts := map[string]int{}
			for _, st := range statuses(srv, tok, ids) {
				counts[st]++
			}
			t.Fatalf("not every asset tokenized within 2m: %v; chain: %v", counts, chainSigner(srv))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// chainSigner reads GET /v1/admin/chain's one signer.
func chainSigner(srv *serverProcess) map[string]any {
	status, out := sendJSON(srv.base, "GET", "/v1/admin/chain", txmAdmin, "")
	if status != http.StatusOK {
		return nil
	}
	signers, _ := out["data"].(map[string]any)["signers"].([]any)
	if len(signers) != 1 {
		return nil
	}
	return signers[0].(map[string]any)
}

// requireMintedOnce checks, through the API, an independent read of the
// chain and the server's database, that each asset's token was minted
// exactly once: one Minted event per token, the recorded transaction that
// event's, and one confirmed intent per mint, whose transaction it is. It
// returns the blocks that hold the mints.
func requireMintedOnce(t *testing.T, srv *serverProcess, tok, rpc, dbPath string, ids []string) map[uint64]int {
	t.Helper()
	tokens := map[string]map[string]any{}
	list := srv.call(t, "GET", "/v1/tokens?limit=100", tok, "")["data"].([]any)
	for _, item := range list {
		tk := item.(map[string]any)
		asset := tk["asset_id"].(string)
		require.NotContains(t, tokens, asset, "asset %s has two tokens", asset)
		tokens[asset] = tk
	}
	require.Len(t, tokens, len(ids))
	contract := tokens[ids[0]]["token_address"].(string)

	events := mintedEvents(t, rpc, contract)
	byNumber := map[string][]mintedEvent{}
	blocks := map[uint64]int{}
	for _, ev := range events {
		byNumber[ev.TokenID] = append(byNumber[ev.TokenID], ev)
		blocks[ev.BlockNumber]++
	}
	require.Len(t, events, len(ids), "one Minted event per asset, none more")

	db, err := sqlite.Open(dbPath, sqlite.Config{})
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	for _, id := range ids {
		tk := tokens[id]
		number := tokenize.TokenNumber(id).String()
		require.Equal(t, number, tk["token_number"])
		evs := byNumber[number]
		require.Len(t, evs, 1, "token %s minted once", number)
		require.True(t, strings.EqualFold(evs[0].TxHash, tk["tx_hash"].(string)), "recorded with the transaction that minted it")
		in, err := db.IntentByKey(ctx, fmt.Sprint(tk["chain_id"]), srvSigner(t, srv), "mint:"+id)
		require.NoError(t, err)
		require.Equal(t, tokenize.IntentConfirmed, in.State, "intent %d: %s", in.ID, in.Error)
		require.False(t, in.SettledAt.IsZero())
		require.True(t, strings.EqualFold(in.TxHash, evs[0].TxHash))
	}
	return blocks
}

// srvSigner is the signer the server sends from.
func srvSigner(t *testing.T, srv *serverProcess) string {
	t.Helper()
	s := chainSigner(srv)
	require.NotNil(t, s)
	return s["address"].(string)
}

// The done-when of issue 13: on geth --dev --dev.period 1, 40 assets
// verified within a few seconds are minted in at most 12 blocks, each
// exactly once, as an independent read of the contract's Minted events
// shows.
func TestFortyMintsInAtMostTwelveBlocks(t *testing.T) {
	g := newGeth(t, needGethBin(t))
	dir := t.TempDir()
	srv := startProcess(t, buildServer(t), dir, "ASSETMINT_CHAIN_RPC="+g.rpc, "ASSETMINT_CHAIN_KEY="+g.keyHex,
		"ASSETMINT_ADMIN_TOKEN="+txmAdmin)
	tok := srv.token(t)

	start := time.Now()
	ids := submitAssets(t, srv, tok, 40)
	eventually(t, 30*time.Second, "every asset verified", func() bool { return allIn(srv, tok, ids, "verified", "tokenized") })
	verified := time.Since(start)
	waitTokenized(t, srv, tok, ids)
	tokenized := time.Since(start)

	blocks := requireMintedOnce(t, srv, tok, g.rpc, filepath.Join(dir, "am.db"), ids)
	var numbers []uint64
	for b := range blocks {
		numbers = append(numbers, b)
	}
	sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] })
	per := make([]int, len(numbers))
	for i, b := range numbers {
		per[i] = blocks[b]
	}
	t.Logf("40 assets verified in %s, tokenized in %s; their mints are in %d blocks (%v), mints per block %v",
		verified.Round(100*time.Millisecond), tokenized.Round(100*time.Millisecond), len(numbers), numbers, per)
	require.LessOrEqual(t, len(numbers), 12)
	s := chainSigner(srv)
	require.Equal(t, float64(0), s["in_flight"])
}

// The node stopped while mints are in flight, and started again: every
// asset is minted exactly once (what the node lost is broadcast again),
// and the operator sees the fault meanwhile.
func TestMintsSurviveTheNodeStoppingMidFlight(t *testing.T) {
	g := newGeth(t, needGethBin(t))
	dir := t.TempDir()
	srv := startProcess(t, buildServer(t), dir, "ASSETMINT_CHAIN_RPC="+g.rpc, "ASSETMINT_CHAIN_KEY="+g.keyHex,
		"ASSETMINT_ADMIN_TOKEN="+txmAdmin)
	tok := srv.token(t)
	ids := submitAssets(t, srv, tok, 12)
	eventually(t, 60*time.Second, "mints in flight", func() bool {
		s := chainSigner(srv)
		return s != nil && s["in_flight"].(float64) > 0
	})
	g.stop(t, syscall.SIGTERM)
	eventually(t, 30*time.Second, "the fault shown to operators", func() bool {
		s := chainSigner(srv)
		e, _ := s["last_error"].(string)
		return s != nil && strings.Contains(e, "refused")
	})
	time.Sleep(3 * time.Second) // down for a while
	g.start(t)
	waitTokenized(t, srv, tok, ids)
	requireMintedOnce(t, srv, tok, g.rpc, filepath.Join(dir, "am.db"), ids)
}

// The server killed with SIGKILL while mints are in flight, and started
// again: the new process resumes from the intents (the confirmation job's
// lease lapses, and it is taken over) and every asset is minted exactly
// once, recorded with the transaction the first process sent.
func TestMintsSurviveKill9MidFlight(t *testing.T) {
	g := newGeth(t, needGethBin(t))
	dir := t.TempDir()
	bin := buildServer(t)
	env := []string{"ASSETMINT_CHAIN_RPC=" + g.rpc, "ASSETMINT_CHAIN_KEY=" + g.keyHex, "ASSETMINT_ADMIN_TOKEN=" + txmAdmin}
	first := startProcess(t, bin, dir, env...)
	tok := first.token(t)
	ids := submitAssets(t, first, tok, 12)
	eventually(t, 60*time.Second, "mints in flight", func() bool {
		s := chainSigner(first)
		return s != nil && s["in_flight"].(float64) > 0
	})
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()

	second := startProcess(t, bin, dir, env...)
	tok = second.token(t)
	waitTokenized(t, second, tok, ids)
	requireMintedOnce(t, second, tok, g.rpc, filepath.Join(dir, "am.db"), ids)
}

package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/ethchain"
)

// startGeth runs a geth --dev node of the test's own, mining a block every
// second, with a fresh key as its funded developer account.
func startGeth(t *testing.T, bin string) (rpc, keyHex string) {
	t.Helper()
	dir := t.TempDir()
	key, err := crypto.GenerateKey()
	require.NoError(t, err)
	keyHex = hexutil.Encode(crypto.FromECDSA(key))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "key"), []byte(keyHex[2:]), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "password"), nil, 0o600))
	imp := exec.Command(bin, "account", "import", "--datadir", filepath.Join(dir, "data"), "--password", filepath.Join(dir, "password"), filepath.Join(dir, "key"))
	out, err := imp.CombinedOutput()
	require.NoError(t, err, string(out))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--dev", "--dev.period", "1", "--datadir", filepath.Join(dir, "data"), "--password", filepath.Join(dir, "password"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(port), "--http.api", "eth,net,web3", "--verbosity", "1")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	rpc = "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, closeChain, err := ethchain.Dial(context.Background(), rpc, key, ethchain.Config{}); err == nil {
			_, err = c.ChainID(context.Background())
			closeChain()
			if err == nil {
				return rpc, keyHex
			}
		}
		require.True(t, time.Now().Before(deadline), "geth did not start")
		time.Sleep(100 * time.Millisecond)
	}
}

// Killing the server between sending a mint and recording it, then
// restarting it, leaves exactly one token, recorded once. The first server
// waits for 3 confirmations, so once the mint is on chain it is still
// waiting, with nothing recorded, when it is killed.
func TestMintSurvivesKill9BetweenSendAndRecord(t *testing.T) {
	gethBin := os.Getenv("ASSETMINT_TEST_GETH_BIN")
	if gethBin == "" || testing.Short() {
		msg := "needs a geth binary in ASSETMINT_TEST_GETH_BIN (.ci/run builds one)"
		if os.Getenv("ASSETMINT_REQUIRE_GETH") == "1" && !testing.Short() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	rpc, keyHex := startGeth(t, gethBin)
	key, err := ethchain.ParsePrivateKey(keyHex)
	require.NoError(t, err)
	signer := crypto.PubkeyToAddress(key.PublicKey)
	contract := crypto.CreateAddress(signer, 0).Hex() // the engine deploys first, at nonce 0

	dir := t.TempDir()
	bin := buildServer(t, dir)
	chainEnv := []string{"ASSETMINT_CHAIN_RPC=" + rpc, "ASSETMINT_CHAIN_KEY=" + keyHex}
	first := startProcess(t, bin, dir, append(chainEnv, "ASSETMINT_CHAIN_CONFIRMATIONS=3")...)
	tok := first.token(t)
	id := first.call(t, "POST", "/v1/assets", tok, `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`)["data"].(map[string]any)["id"].(string)
	uploadInvoice(t, first.base, tok, id)

	// Watch the chain with a reader of our own; kill the server as soon as
	// the token exists there.
	reader, closeReader, err := ethchain.Dial(context.Background(), rpc, key, ethchain.Config{})
	require.NoError(t, err)
	defer closeReader()
	number := tokenize.TokenNumber(id)
	deadline := time.Now().Add(60 * time.Second)
	for {
		state, err := reader.Token(context.Background(), contract, number)
		if err == nil && state.Exists {
			break
		}
		require.True(t, time.Now().Before(deadline), "the mint never reached the chain (%v)", err)
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()

	second := startProcess(t, bin, dir, chainEnv...)
	tok = second.token(t)
	require.Empty(t, second.call(t, "GET", "/v1/tokens", tok, "")["data"], "killed before recording")
	// The killed worker's lease lapses (30 s), then the job runs again.
	deadline = time.Now().Add(90 * time.Second)
	var list []any
	for {
		list = second.call(t, "GET", "/v1/tokens", tok, "")["data"].([]any)
		if len(list) > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the mint was never recorded after the restart")
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(time.Second)
	list = second.call(t, "GET", "/v1/tokens", tok, "")["data"].([]any)
	require.Len(t, list, 1, "recorded once")
	recorded := list[0].(map[string]any)
	require.Equal(t, contract, recorded["token_address"])
	require.Equal(t, number.String(), recorded["token_number"])
	receipt, err := reader.MintReceipt(context.Background(), contract, number)
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, recorded["tx_hash"], "the transaction the first server sent")
	require.Equal(t, "tokenized", second.call(t, "GET", "/v1/assets/"+id, tok, "")["data"].(map[string]any)["status"])
}

package main

import (
	"context"
	"crypto/ecdsa"
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

// gethNode is a geth --dev node of the test's own, mining a block every
// second, with a fresh key as its funded developer account; it can be
// stopped and started again on its data directory and port.
type gethNode struct {
	bin, dir string
	port     int
	rpc      string
	keyHex   string
	key      *ecdsa.PrivateKey
	cmd      *exec.Cmd
}

// startGeth starts a gethNode and returns its RPC URL and key.
func startGeth(t *testing.T, bin string) (rpc, keyHex string) {
	g := newGeth(t, bin)
	return g.rpc, g.keyHex
}

// newGeth imports a fresh key into a new data directory and starts geth
// on a free port.
func newGeth(t *testing.T, bin string) *gethNode {
	t.Helper()
	g := &gethNode{bin: bin, dir: t.TempDir()}
	var err error
	g.key, err = crypto.GenerateKey()
	require.NoError(t, err)
	g.keyHex = hexutil.Encode(crypto.FromECDSA(g.key))
	require.NoError(t, os.WriteFile(filepath.Join(g.dir, "key"), []byte(g.keyHex[2:]), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(g.dir, "password"), nil, 0o600))
	imp := exec.Command(bin, "account", "import", "--lightkdf", "--datadir", filepath.Join(g.dir, "data"), "--password", filepath.Join(g.dir, "password"), filepath.Join(g.dir, "key"))
	out, err := imp.CombinedOutput()
	require.NoError(t, err, string(out))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	g.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	g.rpc = "http://127.0.0.1:" + strconv.Itoa(g.port)
	g.start(t)
	t.Cleanup(func() {
		if g.cmd != nil {
			_ = g.cmd.Process.Kill()
			_ = g.cmd.Wait()
		}
	})
	return g
}

// start runs geth on the node's data directory and port, and waits until
// it answers.
func (g *gethNode) start(t *testing.T) {
	t.Helper()
	g.cmd = exec.Command(g.bin, "--dev", "--dev.period", "1", "--datadir", filepath.Join(g.dir, "data"), "--password", filepath.Join(g.dir, "password"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(g.port), "--http.api", "eth,net,web3", "--verbosity", "1")
	require.NoError(t, g.cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, closeChain, err := ethchain.Dial(context.Background(), g.rpc, g.key, ethchain.Config{}); err == nil {
			_, err = c.ChainID(context.Background())
			closeChain()
			if err == nil {
				return
			}
		}
		require.True(t, time.Now().Before(deadline), "geth did not start")
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends geth with sig and waits for it to exit.
func (g *gethNode) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, g.cmd.Process.Signal(sig))
	// geth that does not exit within 30 s of sig is killed.
	hung := time.AfterFunc(30*time.Second, func() { _ = g.cmd.Process.Kill() })
	defer hung.Stop()
	_ = g.cmd.Wait()
	g.cmd = nil
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
	bin := buildServer(t)
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

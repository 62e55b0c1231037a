package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// serverProcess is the example server as a real process, so it can be
// killed with SIGKILL.
type serverProcess struct {
	cmd  *exec.Cmd
	base string
}

func startProcess(t *testing.T, bin, dir string, env ...string) *serverProcess {
	t.Helper()
	return startInstance(t, bin, []string{"-db", filepath.Join(dir, "am.db"), "-data", filepath.Join(dir, "data")}, env...)
}

// startInstance starts the server with args (the database, ...) on a free
// port, the bootstrap client your_client_id and env.
func startInstance(t *testing.T, bin string, args []string, env ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(),
		"ASSETMINT_BOOTSTRAP_CLIENT_ID=your_client_id", "ASSETMINT_BOOTSTRAP_CLIENT_SECRET=your_client_secret_at_least_32_chars",
		"ASSETMINT_BOOTSTRAP_PLAN=enterprise", "ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1")
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// A server that hangs before it listens is killed, which ends the scan.
	hung := time.AfterFunc(time.Minute, func() { _ = cmd.Process.Kill() })
	defer hung.Stop()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`listening on (http://\S+)/v1`).FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			return &serverProcess{cmd: cmd, base: m[1]}
		}
	}
	t.Fatal("the server did not start listening within a minute")
	return nil
}

func (s *serverProcess) call(t *testing.T, method, path, token, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	require.Less(t, res.StatusCode, 300, "%s %s: %v", method, path, out)
	return out
}

func (s *serverProcess) token(t *testing.T) string {
	out := s.call(t, "POST", "/v1/auth/token", "", `{"client_id":"your_client_id","client_secret":"your_client_secret_at_least_32_chars","grant_type":"client_credentials"}`)
	return out["access_token"].(string)
}

// serverBuild is this program built once for the package's tests: each
// build costs seconds of a test run that CI makes twice.
var serverBuild struct {
	once     sync.Once
	dir, bin string
	err      error
}

// buildServer returns this program built (once) into a directory of its
// own, removed by TestMain.
func buildServer(t *testing.T) string {
	t.Helper()
	serverBuild.once.Do(func() {
		serverBuild.dir, serverBuild.err = os.MkdirTemp("", "assetmint-server-")
		if serverBuild.err != nil {
			return
		}
		serverBuild.bin = filepath.Join(serverBuild.dir, "server")
		build := exec.Command("go", "build", "-o", serverBuild.bin, ".")
		build.Stderr = os.Stderr
		serverBuild.err = build.Run()
	})
	require.NoError(t, serverBuild.err)
	return serverBuild.bin
}

func TestMain(m *testing.M) {
	// A server that stops answering fails the request, and so the test that
	// made it, instead of holding the package until go test's timeout.
	http.DefaultClient.Timeout = time.Minute
	code := m.Run()
	if serverBuild.dir != "" {
		os.RemoveAll(serverBuild.dir)
	}
	os.Exit(code)
}

// A receiver that is down while the server is killed with SIGKILL gets the
// event after the restart, once.
func TestWebhookSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server process; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := buildServer(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	receiverAddr := ln.Addr().String()
	ln.Close() // the receiver is down for now

	first := startProcess(t, bin, dir)
	tok := first.token(t)
	hook := first.call(t, "POST", "/v1/webhooks", tok, `{"url":"http://`+receiverAddr+`/hook","events":["asset.submitted"]}`)["data"].(map[string]any)
	secret, hookID := hook["secret"].(string), hook["id"].(string)
	asset := first.call(t, "POST", "/v1/assets", tok, `{"name":"Press","type":"equipment","estimated_value":1000}`)["data"].(map[string]any)

	// Wait for the first, failed attempt.
	deadline := time.Now().Add(15 * time.Second)
	for {
		list := first.call(t, "GET", "/v1/webhooks/"+hookID+"/deliveries", tok, "")["data"].([]any)
		if len(list) == 1 && list[0].(map[string]any)["attempts"].(float64) >= 1 {
			require.Equal(t, "pending", list[0].(map[string]any)["status"])
			break
		}
		require.True(t, time.Now().Before(deadline), "no failed attempt yet: %v", list)
		time.Sleep(50 * time.Millisecond)
	}
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()

	// The receiver comes up, then the server again.
	var mu sync.Mutex
	var ids []string
	rl, err := net.Listen("tcp", receiverAddr)
	require.NoError(t, err)
	rcv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := (webhooks.Verifier{Secrets: []string{secret}}).VerifyStandard(r.Header, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		mu.Lock()
		ids = append(ids, r.Header.Get("webhook-id"))
		mu.Unlock()
	}))
	rcv.Listener.Close()
	rcv.Listener = rl
	rcv.Start()
	defer rcv.Close()

	second := startProcess(t, bin, dir)
	tok = second.token(t)
	deadline = time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(ids)
		mu.Unlock()
		if n > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the event never arrived after the restart")
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // room for a duplicate, if there were one
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, ids, 1, "delivered once")
	list := second.call(t, "GET", "/v1/webhooks/"+hookID+"/deliveries", tok, "")["data"].([]any)
	require.Equal(t, "delivered", list[0].(map[string]any)["status"])
	require.Equal(t, list[0].(map[string]any)["event_id"], ids[0], fmt.Sprintf("webhook-id is the event id (asset %s)", asset["id"]))
}

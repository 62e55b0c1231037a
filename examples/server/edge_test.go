package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
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
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := parseTrustedProxies(" 10.0.0.0/8, 192.168.1.7 ,2001:db8::/32")
	require.NoError(t, err)
	require.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("2001:db8::/32"),
	}, got)
	got, err = parseTrustedProxies("")
	require.NoError(t, err)
	require.Empty(t, got)

	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0.0/8,", "10.0.0.0/8;10.1.0.0/16", "fe80::1%eth0"} {
		_, err := parseTrustedProxies(bad)
		require.ErrorContains(t, err, "ASSETMINT_TRUSTED_PROXIES", bad)
	}
}

// The server believes X-Forwarded-For from the proxies it is told to
// trust: two clients behind the proxy have their own failure budgets.
func TestServerTrustsConfiguredProxies(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	base, done, out := startServer(t, ctx, dir, map[string]string{
		"ASSETMINT_BOOTSTRAP_CLIENT_ID":     "your_client_id",
		"ASSETMINT_BOOTSTRAP_CLIENT_SECRET": "your_client_secret_at_least_32_chars",
		"ASSETMINT_TRUSTED_PROXIES":         "127.0.0.0/8, ::1",
	})
	require.Contains(t, out.String(), "Believing X-Forwarded-For from 127.0.0.0/8, ::1")
	wrong := `{"client_id":"your_client_id","client_secret":"guess","grant_type":"client_credentials"}`
	right := `{"client_id":"your_client_id","client_secret":"your_client_secret_at_least_32_chars","grant_type":"client_credentials"}`
	for range 30 {
		status, _ := request(t, base, "POST", "/v1/auth/token", "", wrong, "X-Forwarded-For", "198.51.100.1")
		require.Equal(t, http.StatusUnauthorized, status)
	}
	status, _ := request(t, base, "POST", "/v1/auth/token", "", right, "X-Forwarded-For", "198.51.100.1")
	require.Equal(t, http.StatusTooManyRequests, status, "the guesser's budget is spent")
	status, _ = request(t, base, "POST", "/v1/auth/token", "", right, "X-Forwarded-For", "198.51.100.2")
	require.Equal(t, http.StatusOK, status, "another client behind the same proxy is not affected")
	cancel()
	require.NoError(t, <-done)

	bad := map[string]string{"ASSETMINT_TRUSTED_PROXIES": "10.0.0.0/8,lb.internal"}
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "am.db"), "-data", filepath.Join(dir, "data")},
		func(k string) string { return bad[k] }, io.Discard, io.Discard)
	require.ErrorContains(t, err, `ASSETMINT_TRUSTED_PROXIES: "lb.internal" is not a CIDR`)
}

// SIGTERM with a request and a job that outlast the drain time: both are
// cut off, the log says so, and the process exits 0.
func TestSIGTERMCutsOffWhatOutlastsTheDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and signals the process; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := buildServer(t)

	// A webhook receiver that never answers: its delivery is a job that
	// runs until it is cancelled.
	hooked := make(chan struct{}, 1)
	release := make(chan struct{})
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case hooked <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer rcv.Close()
	defer close(release)

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "am.db"), "-data", filepath.Join(dir, "data"), "-drain", "300ms")
	cmd.Env = append(os.Environ(),
		"ASSETMINT_BOOTSTRAP_CLIENT_ID=your_client_id", "ASSETMINT_BOOTSTRAP_CLIENT_SECRET=your_client_secret_at_least_32_chars",
		"ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1")
	var logs lockedBuffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	s := &serverProcess{cmd: cmd}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`listening on (http://\S+)/v1`).FindStringSubmatch(sc.Text()); m != nil {
			s.base = m[1]
			break
		}
	}
	require.NotEmpty(t, s.base, "the server did not start")
	go io.Copy(io.Discard, stdout)

	tok := s.token(t)
	s.call(t, "POST", "/v1/webhooks", tok, `{"url":"`+rcv.URL+`/hook","events":["asset.submitted"]}`)
	s.call(t, "POST", "/v1/assets", tok, `{"name":"Press","type":"equipment","estimated_value":1000}`)
	select {
	case <-hooked:
	case <-time.After(30 * time.Second):
		t.Fatal("the delivery never reached the receiver")
	}

	// A request whose body never comes. The 100 Continue says its handler
	// is running and reading the body.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /v1/auth/token HTTP/1.1\r\nHost: assetmint\r\nContent-Type: application/json\r\n"+
		"Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
	require.NoError(t, err)
	line, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	_, err = io.WriteString(conn, `{"grant_type":`)
	require.NoError(t, err)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err = <-waited:
	case <-time.After(2 * time.Minute):
		t.Fatalf("the server did not exit after SIGTERM:\n%s", logs.String())
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("exit code %d:\n%s", exit.ExitCode(), logs.String())
	}
	require.NoError(t, err)
	require.Contains(t, logs.String(), `level=WARN msg="shutdown: drain time over; cutting off the requests still in flight" requests=1 drain=300ms`)
	require.Contains(t, logs.String(), `level=WARN msg="jobs: shutdown grace over; cancelling the handlers still running`)
}

// lockedBuffer collects a process's output while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

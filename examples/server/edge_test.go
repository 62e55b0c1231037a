package main

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"path/filepath"
	"testing"

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

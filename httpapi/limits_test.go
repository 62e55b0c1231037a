package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// from sends a request straight to the handler as if it came from the peer
// remote (host:port), so tests can play several client addresses; headers
// are name/value pairs, and an X-Forwarded-For given twice is two lines.
func (b *bundle) from(t testing.TB, remote, method, path, token, body string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = remote
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	b.srv.Config.Handler.ServeHTTP(rec, req)
	out := response{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&out.json), out.raw)
	}
	return out
}

// Behind a trusted proxy each client has its own bucket; a client that
// connects directly cannot pick another bucket by writing the header.
func TestLimitsKeyOnTheClientBehindTrustedProxies(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) {
		c.PublicLimits = auth.Limits{PerMinute: 2}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	const proxy = "10.0.0.2:443"
	get := func(remote string, xff ...string) int {
		var headers []string
		for _, v := range xff {
			headers = append(headers, "X-Forwarded-For", v)
		}
		return b.from(t, remote, "GET", "/v1/openapi.json", "", "", headers...).status
	}

	for range 2 {
		require.Equal(t, http.StatusOK, get(proxy, "198.51.100.1"))
		require.Equal(t, http.StatusOK, get(proxy, "198.51.100.2"))
	}
	require.Equal(t, http.StatusTooManyRequests, get(proxy, "198.51.100.1"))
	require.Equal(t, http.StatusTooManyRequests, get(proxy, "192.0.2.66, 198.51.100.2"), "what the client wrote is left of what the proxy saw")
	require.Equal(t, http.StatusTooManyRequests, get(proxy, "198.51.100.2, 10.1.1.1"), "a second trusted proxy is skipped")
	require.Equal(t, http.StatusOK, get(proxy, "198.51.100.3"), "a third client has its own bucket")
	require.Equal(t, http.StatusOK, get(proxy), "the proxy's own requests count against the proxy")

	// A spoofer connected directly stays in its own bucket whatever it writes.
	const spoofer = "203.0.113.9:40000"
	require.Equal(t, http.StatusOK, get(spoofer, "198.51.100.7"))
	require.Equal(t, http.StatusOK, get(spoofer, "198.51.100.8"))
	require.Equal(t, http.StatusTooManyRequests, get(spoofer, "198.51.100.9"))
	require.Equal(t, http.StatusTooManyRequests, get(spoofer, "10.0.0.5"))

	// Without trusted proxies, everyone behind the proxy shares its bucket.
	plain := setup(t, func(c *httpapi.Config) { c.PublicLimits = auth.Limits{PerMinute: 2} })
	require.Equal(t, http.StatusOK, plain.from(t, proxy, "GET", "/v1/openapi.json", "", "", "X-Forwarded-For", "198.51.100.1").status)
	require.Equal(t, http.StatusOK, plain.from(t, proxy, "GET", "/v1/openapi.json", "", "", "X-Forwarded-For", "198.51.100.2").status)
	require.Equal(t, http.StatusTooManyRequests, plain.from(t, proxy, "GET", "/v1/openapi.json", "", "", "X-Forwarded-For", "198.51.100.3").status)
}

func TestNewRefusesAnInvalidTrustedProxy(t *testing.T) {
	b := setup(t)
	_, err := httpapi.New(b.engine, httpapi.Config{TrustedProxies: []netip.Prefix{{}}})
	require.ErrorContains(t, err, "TrustedProxies[0]")
}

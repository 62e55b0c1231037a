package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
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

// tokenBody is the reference's token request for id and secret.
func tokenBody(id, secret string) string {
	return `{"client_id":"` + id + `","client_secret":"` + secret + `","grant_type":"client_credentials"}`
}

// Knowing a client id is not enough to lock it out: one address's wrong
// secrets stop that address, not the client's right secret from another.
func TestTokenEndpointCannotBeLockedOut(t *testing.T) {
	b := setup(t) // the defaults: 30 failures a minute per address, 300 per client id
	creds := b.business(t, auth.PlanDeveloper)
	const attacker, owner = "198.51.100.1:40000", "192.0.2.10:50000"
	wrong, right := tokenBody(creds.ClientID, "sk_guess"), tokenBody(creds.ClientID, creds.ClientSecret)

	for i := range 40 {
		res := b.from(t, attacker, "POST", "/v1/auth/token", "", wrong)
		if i < 30 {
			require.Equal(t, http.StatusUnauthorized, res.status, "failure %d is answered", i+1)
			require.Equal(t, "invalid_client", res.json["error"])
			continue
		}
		require.Equal(t, http.StatusTooManyRequests, res.status, "attempt %d", i+1)
		require.Equal(t, "rate_limit_exceeded", res.json["error"], "RFC 6749 shape")
		require.Equal(t, "2", res.header.Get("Retry-After"), "one failure's refill: 60 s / 30, not the window")
		require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))
	}
	res := b.from(t, owner, "POST", "/v1/auth/token", "", right)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.NotEmpty(t, res.json["access_token"])

	res = b.from(t, attacker, "POST", "/v1/auth/token", "", right)
	require.Equal(t, http.StatusTooManyRequests, res.status, "the attacker's address is stopped, even with the right secret")
	require.Equal(t, "rate_limit_exceeded", res.json["error"])
	require.Equal(t, "no-store", res.header.Get("Cache-Control"))
	retry, err := strconv.Atoi(res.header.Get("Retry-After"))
	require.NoError(t, err)
	require.Equal(t, 2, retry)

	// 300 attempts from the one address change nothing for the owner: the
	// 429s spend nothing, so the client id's budget has seen 30 failures.
	for range 260 {
		require.Equal(t, http.StatusTooManyRequests, b.from(t, attacker, "POST", "/v1/auth/token", "", wrong).status)
	}
	require.Equal(t, http.StatusOK, b.from(t, owner, "POST", "/v1/auth/token", "", right).status)

	// Retry-After is honest: after it, the address gets one more answer.
	b.clock.Advance(time.Duration(retry) * time.Second)
	require.Equal(t, http.StatusOK, b.from(t, attacker, "POST", "/v1/auth/token", "", right).status)
	require.Equal(t, http.StatusUnauthorized, b.from(t, attacker, "POST", "/v1/auth/token", "", wrong).status)
	require.Equal(t, http.StatusTooManyRequests, b.from(t, attacker, "POST", "/v1/auth/token", "", wrong).status)
}

// Guessing spread over many addresses is bounded per client id: 300
// failures a minute, which takes at least ten addresses at their full rate.
// Spending it stops the client id for everyone, which is the price of
// slowing such a guesser.
func TestTokenEndpointBoundsGuessesPerClientID(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanDeveloper)
	other := b.business(t, auth.PlanDeveloper)
	wrong, right := tokenBody(creds.ClientID, "sk_guess"), tokenBody(creds.ClientID, creds.ClientSecret)
	guessFrom := func(n int) {
		remote := "198.51.100." + strconv.Itoa(n) + ":40000"
		for i := range 31 {
			want := http.StatusUnauthorized
			if i == 30 {
				want = http.StatusTooManyRequests
			}
			require.Equal(t, want, b.from(t, remote, "POST", "/v1/auth/token", "", wrong).status, "address %d, attempt %d", n, i+1)
		}
	}
	for n := range 9 {
		guessFrom(n + 1)
	}
	require.Equal(t, http.StatusOK, b.from(t, "192.0.2.10:1", "POST", "/v1/auth/token", "", right).status, "270 failures: room left")
	guessFrom(10)

	res := b.from(t, "192.0.2.11:1", "POST", "/v1/auth/token", "", right)
	require.Equal(t, http.StatusTooManyRequests, res.status, "300 failures: the client id is stopped")
	require.Equal(t, "rate_limit_exceeded", res.json["error"])
	require.Equal(t, "1", res.header.Get("Retry-After"), "60 s / 300, rounded up")
	require.Equal(t, http.StatusOK, b.from(t, "192.0.2.11:1", "POST", "/v1/auth/token", "", tokenBody(other.ClientID, other.ClientSecret)).status,
		"other client ids are not affected")
	b.clock.Advance(time.Second)
	require.Equal(t, http.StatusOK, b.from(t, "192.0.2.11:1", "POST", "/v1/auth/token", "", right).status)
}

// One budget per address covers every way of failing to authenticate: the
// token endpoint, the operator routes and bearer tokens on business routes.
func TestFailedAuthenticationsCountPerAddress(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) { c.TokenLimits = auth.Limits{PerMinute: 3} })
	creds := b.business(t, auth.PlanDeveloper)
	valid := b.token(t, creds)
	const wrongAdmin = "wrong-operator-token-0123456789abcdef"

	t.Run("operator routes", func(t *testing.T) {
		const a, c = "198.51.100.1:1", "198.51.100.2:1"
		for range 3 {
			res := b.from(t, a, "GET", "/v1/admin/businesses", wrongAdmin, "")
			require.Equal(t, http.StatusUnauthorized, res.status)
		}
		res := b.from(t, a, "GET", "/v1/admin/businesses", adminToken, "")
		require.Equal(t, http.StatusTooManyRequests, res.status, "over budget: not even the right token is checked")
		require.Equal(t, "rate_limit_error", res.errField("type"))
		require.Equal(t, "20", res.header.Get("Retry-After"))
		require.Equal(t, http.StatusTooManyRequests, b.from(t, a, "GET", "/v1/admin/businesses", "", "").status, "no token is a failure too")
		require.Equal(t, http.StatusOK, b.from(t, c, "GET", "/v1/admin/businesses", adminToken, "").status, "another address is not affected")
		require.Equal(t, http.StatusUnauthorized, b.from(t, c, "GET", "/v1/admin/businesses", wrongAdmin, "").status)
	})

	t.Run("business routes", func(t *testing.T) {
		const a, c = "198.51.100.3:1", "198.51.100.4:1"
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "GET", "/v1/assets", "", "").status)
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "GET", "/v1/assets", "not-a-token", "").status)
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "GET", "/v1/assets", valid+"x", "").status)
		res := b.from(t, a, "GET", "/v1/assets", "not-a-token", "")
		require.Equal(t, http.StatusTooManyRequests, res.status)
		require.Equal(t, "rate_limit_exceeded", res.errField("code"))
		require.NotEmpty(t, res.header.Get("Retry-After"))
		res = b.from(t, a, "GET", "/v1/assets", valid, "")
		require.Equal(t, http.StatusOK, res.status, "a valid bearer token is never held up by failures")
		require.Equal(t, "60", res.header.Get("X-RateLimit-Limit"), "and counts against its plan")
		require.Equal(t, http.StatusUnauthorized, b.from(t, c, "GET", "/v1/assets", "not-a-token", "").status)
	})

	t.Run("one budget across routes", func(t *testing.T) {
		const a = "198.51.100.5:1"
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "GET", "/v1/assets", "not-a-token", "").status)
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "GET", "/v1/admin/businesses", wrongAdmin, "").status)
		require.Equal(t, http.StatusUnauthorized, b.from(t, a, "POST", "/v1/auth/token", "", tokenBody(creds.ClientID, "sk_guess")).status)
		require.Equal(t, http.StatusTooManyRequests, b.from(t, a, "POST", "/v1/auth/token", "", tokenBody(creds.ClientID, creds.ClientSecret)).status)
		require.Equal(t, http.StatusTooManyRequests, b.from(t, a, "GET", "/v1/admin/businesses", adminToken, "").status)
	})

	t.Run("malformed token requests are failures", func(t *testing.T) {
		const a = "198.51.100.6:1"
		for range 3 {
			require.Equal(t, http.StatusBadRequest, b.from(t, a, "POST", "/v1/auth/token", "", `{"client_id":`).status)
		}
		require.Equal(t, http.StatusTooManyRequests, b.from(t, a, "POST", "/v1/auth/token", "", `{"client_id":`).status)
	})
}

// A limiter that fails lets requests through (logged), as for plan limits.
func TestFailureBudgetsFailOpen(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) { c.Limiter = brokenLimiter{} })
	creds := b.business(t, auth.PlanDeveloper)
	require.Equal(t, http.StatusUnauthorized, b.from(t, "198.51.100.1:1", "POST", "/v1/auth/token", "", tokenBody(creds.ClientID, "sk_guess")).status)
	require.Equal(t, http.StatusOK, b.from(t, "198.51.100.1:1", "POST", "/v1/auth/token", "", tokenBody(creds.ClientID, creds.ClientSecret)).status)
	require.Equal(t, http.StatusUnauthorized, b.from(t, "198.51.100.1:1", "GET", "/v1/admin/businesses", "", "").status)
}

type brokenLimiter struct{}

func (brokenLimiter) Allow(context.Context, string, auth.Limits, time.Time) (auth.Decision, error) {
	return auth.Decision{}, errors.New("limiter down")
}

func (brokenLimiter) Peek(context.Context, string, auth.Limits, time.Time) (auth.Decision, error) {
	return auth.Decision{}, errors.New("limiter down")
}

func TestNewRefusesAShortAdminToken(t *testing.T) {
	b := setup(t)
	_, err := httpapi.New(b.engine, httpapi.Config{AdminToken: strings.Repeat("x", httpapi.MinAdminTokenLength-1)})
	require.ErrorContains(t, err, "AdminToken must be at least 32 characters")
	_, err = httpapi.New(b.engine, httpapi.Config{AdminToken: strings.Repeat("é", httpapi.MinAdminTokenLength-1)})
	require.Error(t, err, "characters, not bytes")
	_, err = httpapi.New(b.engine, httpapi.Config{AdminToken: strings.Repeat("x", httpapi.MinAdminTokenLength)})
	require.NoError(t, err)
}

// A host's plan table (Config.Plans) is what the API enforces.
func TestConfiguredPlanLimits(t *testing.T) {
	b := setupEngine(t, func(c *assetmint.Config) {
		c.Plans = auth.PlanLimits{auth.PlanDeveloper: {PerMinute: 3}}
	})
	tok := b.token(t, b.business(t, auth.PlanDeveloper))
	for i := range 3 {
		res := b.send(t, "GET", "/v1/assets", tok, "")
		require.Equal(t, http.StatusOK, res.status, "request %d", i+1)
		require.Equal(t, "3", res.header.Get("X-RateLimit-Limit"))
	}
	res := b.send(t, "GET", "/v1/assets", tok, "")
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "rate_limit_exceeded", res.json["error"].(map[string]any)["code"])
}

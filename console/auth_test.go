package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/console"
)

// cookieOf finds a Set-Cookie of the answer by name.
func cookieOf(t *testing.T, p page, name string) *http.Cookie {
	t.Helper()
	for _, line := range p.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		require.NoError(t, err)
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no cookie %s in %v", name, p.header.Values("Set-Cookie"))
	return nil
}

// The sign-in page is a form with one field named token; the right token
// sets an HttpOnly, SameSite=Strict, expiring session cookie scoped to the
// console and sends the browser to the dashboard.
func TestSignIn(t *testing.T) {
	b := setup(t)
	res := b.get(t, "/console/")
	require.Equal(t, http.StatusSeeOther, res.status, "a page without a session sends the browser to sign in")
	require.Equal(t, "/console/login", res.location)

	login := b.get(t, "/console/login")
	require.Equal(t, http.StatusOK, login.status)
	form := login.form(t, "/console/login")
	require.ElementsMatch(t, []string{"csrf", "token"}, keys(form))
	inputs := findAll(login.doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "token" })
	require.Len(t, inputs, 1)
	require.Equal(t, "password", attr(inputs[0], "type"))

	form.Set("token", adminToken)
	res = b.post(t, "/console/login", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "/console/", res.location)
	c := cookieOf(t, res, "assetmint_console")
	require.True(t, c.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, c.SameSite)
	require.False(t, c.Secure, "plain HTTP and no SecureCookies: not Secure")
	require.Equal(t, "/console/", c.Path)
	require.Equal(t, int((8 * time.Hour).Seconds()), c.MaxAge, "the cookie expires with the session")
	require.Len(t, c.Value, 43)
	require.Equal(t, -1, cookieOf(t, res, "assetmint_console_login").MaxAge, "the sign-in form's cookie is spent")

	dash := b.get(t, "/console/")
	require.Equal(t, http.StatusOK, dash.status, dash.body)
	require.Contains(t, dash.body, "Dashboard")
	require.Equal(t, http.StatusSeeOther, b.get(t, "/console/login").status, "signed in, the sign-in page sends to the dashboard")
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}

// A wrong token is answered 401 with the form and a message, and spends
// the address's budget: after 30 a minute, 429 with Retry-After, even for
// the right token.
func TestWrongTokenIsRefusedAndRateLimited(t *testing.T) {
	b := setup(t)
	login := b.get(t, "/console/login")
	form := login.form(t, "/console/login")
	for i := range 30 {
		form.Set("token", "not-the-operator-token-"+strconv.Itoa(i))
		res := b.post(t, "/console/login", form)
		require.Equal(t, http.StatusUnauthorized, res.status, "attempt %d", i+1)
		require.Contains(t, res.body, "That is not the operator token")
		require.True(t, res.has("/console/login"), "the form comes back")
		require.Empty(t, res.header.Values("Set-Cookie"), "no session")
	}
	form.Set("token", adminToken)
	res := b.post(t, "/console/login", form)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Contains(t, res.body, "Too many failed sign-ins")
	retry, err := strconv.Atoi(res.header.Get("Retry-After"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, retry, 1)
	require.LessOrEqual(t, retry, 2, "one failure's worth of the minute's budget")

	// The budget refills with time.
	b.clock.Advance(time.Duration(retry) * time.Second)
	res = b.post(t, "/console/login", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
}

// Given the API's limiter, the console counts failed sign-ins in the same
// budget as the API's failed operator authentications: one address gets 30
// guesses a minute at the operator token, whichever door it knocks at.
func TestSignInBudgetIsSharedWithTheAPI(t *testing.T) {
	b := setup(t, func(o *options) { o.sharedLimiter = true })
	for range 20 {
		req, err := http.NewRequest("GET", b.srv.URL+"/v1/admin/businesses", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer not-the-operator-token")
		res, err := b.srv.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	}
	form := b.get(t, "/console/login").form(t, "/console/login")
	form.Set("token", "wrong")
	for i := range 10 {
		require.Equal(t, http.StatusUnauthorized, b.post(t, "/console/login", form).status, "console attempt %d", i+1)
	}
	require.Equal(t, http.StatusTooManyRequests, b.post(t, "/console/login", form).status)
}

// Behind TLS the session cookie is Secure: on a TLS connection to the
// server itself, or always with SecureCookies (TLS ending at a proxy).
func TestSessionCookieIsSecureBehindTLS(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  func(*options)
	}{
		{"TLS to the server", func(o *options) { o.tls = true }},
		{"SecureCookies behind a proxy", func(o *options) { o.console = func(c *console.Config) { c.SecureCookies = true } }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t, tc.opt)
			login := b.get(t, "/console/login")
			require.True(t, cookieOf(t, login, "assetmint_console_login").Secure)
			form := login.form(t, "/console/login")
			form.Set("token", adminToken)
			// The client's jar would not send a Secure cookie over plain
			// HTTP, so the login cookie goes by hand.
			req, err := http.NewRequest("POST", b.srv.URL+"/console/login", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "assetmint_console_login", Value: form.Get("csrf")})
			c := b.srv.Client()
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			res, err := c.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			require.Equal(t, http.StatusSeeOther, res.StatusCode)
			var session *http.Cookie
			for _, ck := range res.Cookies() {
				if ck.Name == "assetmint_console" {
					session = ck
				}
			}
			require.NotNil(t, session)
			require.True(t, session.Secure)
			require.True(t, session.HttpOnly)
			require.Equal(t, http.SameSiteStrictMode, session.SameSite)
		})
	}
}

// Signing out ends the session on the server: its cookie, replayed, no
// longer opens a page or posts a form.
func TestSignOutEndsTheSession(t *testing.T) {
	b := setup(t)
	b.signIn(t, b.client)
	dash := b.get(t, "/console/")
	u, _ := url.Parse(b.srv.URL + "/console/")
	stolen := b.client.Jar.Cookies(u)
	require.Len(t, stolen, 1)

	res := b.post(t, "/console/logout", dash.form(t, "/console/logout"))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "/console/login?notice=signed_out", res.location)
	require.Equal(t, -1, cookieOf(t, res, "assetmint_console").MaxAge)
	require.Contains(t, b.get(t, res.location).body, "You are signed out.")

	replay := b.newClient(t)
	replay.Jar.SetCookies(u, stolen)
	require.Equal(t, http.StatusSeeOther, b.do(t, replay, "GET", "/console/", nil).status)
	res = b.do(t, replay, "POST", "/console/businesses", url.Values{"csrf": {dash.form(t, "/console/logout").Get("csrf")},
		"idempotency_key": {"k1"}, "name": {"Sneaky"}})
	require.Equal(t, http.StatusForbidden, res.status)
	page, err := b.op.Businesses(context.Background(), assetmint.ListParams{})
	require.NoError(t, err)
	require.Empty(t, page.Items)

	// A session also ends when it expires.
	b.signIn(t, b.client)
	b.clock.Advance(8 * time.Hour)
	require.Equal(t, http.StatusSeeOther, b.get(t, "/console/").status)
}

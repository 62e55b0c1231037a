package httpapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// The reference's Step 1, with its body as written.
func TestTokenAsInTheReference(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanDeveloper)
	res := b.do(t, "POST", "/v1/auth/token", "", `{
"client_id": "`+creds.ClientID+`",
"client_secret": "`+creds.ClientSecret+`",
"grant_type": "client_credentials"
}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "Bearer", res.json["token_type"])
	require.Equal(t, json.Number("3600"), res.json["expires_in"])
	require.True(t, strings.HasPrefix(res.json["access_token"].(string), "eyJhbGciOiJIUzI1NiIs"), "an HS256 JWT")
	require.Len(t, res.json, 3, "RFC 6749 shape, no envelope")
	require.Equal(t, "no-store", res.header.Get("Cache-Control"))

	list := b.do(t, "GET", "/v1/assets", res.json["access_token"].(string), nil)
	require.Equal(t, http.StatusOK, list.status, list.raw)
	require.Equal(t, []any{}, list.json["data"])
}

func TestTokenFormAndBasic(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanDeveloper)
	post := func(body string, basic bool, ctype string) response {
		req, _ := http.NewRequest("POST", b.srv.URL+"/v1/auth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		if basic {
			req.SetBasicAuth(url.QueryEscape(creds.ClientID), url.QueryEscape(creds.ClientSecret))
		}
		res, err := b.srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
		require.NoError(t, json.Unmarshal(raw, &out.json), string(raw))
		return out
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}}
	res := post(form.Encode(), false, "application/x-www-form-urlencoded")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.NotEmpty(t, res.json["access_token"])

	res = post("grant_type=client_credentials", true, "application/x-www-form-urlencoded")
	require.Equal(t, http.StatusOK, res.status, res.raw)

	// Without a Content-Type, a JSON object is read as JSON and anything
	// else as a form.
	res = post(`{"client_id":"`+creds.ClientID+`","client_secret":"`+creds.ClientSecret+`","grant_type":"client_credentials"}`, false, "")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	res = post(form.Encode(), false, "")
	require.Equal(t, http.StatusOK, res.status, res.raw)

	cases := []struct {
		name, body, ctype string
		basic             bool
		status            int
		oauthErr          string
	}{
		{"wrong secret json", `{"client_id":"` + creds.ClientID + `","client_secret":"sk_wrong","grant_type":"client_credentials"}`, "application/json", false, 401, "invalid_client"},
		{"unknown client form", "grant_type=client_credentials&client_id=cli_nobody&client_secret=x", "application/x-www-form-urlencoded", false, 401, "invalid_client"},
		{"missing secret", "grant_type=client_credentials&client_id=" + creds.ClientID, "application/x-www-form-urlencoded", false, 401, "invalid_client"},
		{"wrong grant", "grant_type=password&client_id=a&client_secret=b", "application/x-www-form-urlencoded", false, 400, "unsupported_grant_type"},
		{"missing grant", `{"client_id":"a","client_secret":"b"}`, "application/json", false, 400, "invalid_request"},
		{"malformed json", `{"client_id":`, "application/json", false, 400, "invalid_request"},
		{"grant not a string", `{"grant_type":5}`, "application/json", false, 400, "invalid_request"},
		{"two ways at once", form.Encode(), "application/x-www-form-urlencoded", true, 400, "invalid_request"},
		{"xml", `<grant/>`, "application/xml", false, 400, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := post(tc.body, tc.basic, tc.ctype)
			require.Equal(t, tc.status, res.status, res.raw)
			require.Equal(t, tc.oauthErr, res.json["error"])
			require.NotEmpty(t, res.json["error_description"])
			require.Equal(t, "no-store", res.header.Get("Cache-Control"))
		})
	}

	// An Authorization header that is not Basic is a failed client
	// authentication: 401 with a Basic challenge (RFC 6749 5.2).
	req, _ := http.NewRequest("POST", b.srv.URL+"/v1/auth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer something")
	raw, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	raw.Body.Close()
	require.Equal(t, http.StatusUnauthorized, raw.StatusCode)
	require.Equal(t, `Basic realm="assetmint"`, raw.Header.Get("WWW-Authenticate"))

	// A wrong secret sent with Basic is 401 too, with a Basic challenge.
	creds.ClientSecret = "sk_wrong"
	res = post("grant_type=client_credentials", true, "application/x-www-form-urlencoded")
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, "invalid_client", res.json["error"])
	require.Contains(t, res.header.Get("WWW-Authenticate"), "Basic")
}

// golang.org/x/oauth2's client-credentials flow works as is.
func TestStandardOAuth2Client(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanDeveloper)
	cfg := clientcredentials.Config{ClientID: creds.ClientID, ClientSecret: creds.ClientSecret, TokenURL: b.srv.URL + "/v1/auth/token"}
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cfg.AuthStyle = style
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, b.srv.Client())
		tok, err := cfg.Token(ctx)
		require.NoError(t, err, "style %d", style)
		require.Equal(t, "Bearer", tok.TokenType)
		require.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)

		res, err := cfg.Client(ctx).Get(b.srv.URL + "/v1/assets")
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	cfg.ClientSecret = "wrong"
	_, err := cfg.Token(context.WithValue(context.Background(), oauth2.HTTPClient, b.srv.Client()))
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "invalid_client", re.ErrorCode)
}

func TestBearerTokenErrors(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	other := b.business(t, auth.PlanEnterprise)
	forged := strings.Replace(string(payload), creds.ClientID, other.ClientID, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2]
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	hs512 := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS512","typ":"JWT","kid":"x"}`)) + "." + parts[1] + "." + parts[2]
	badSig := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))

	for name, h := range map[string]string{
		"garbage":        "Bearer not-a-jwt",
		"tampered":       "Bearer " + tampered,
		"alg none":       "Bearer " + none,
		"alg swapped":    "Bearer " + hs512,
		"bad signature":  "Bearer " + badSig,
		"truncated":      "Bearer " + parts[0] + "." + parts[1],
		"client secret!": "Bearer " + creds.ClientSecret,
	} {
		t.Run(name, func(t *testing.T) {
			res := b.do(t, "GET", "/v1/assets", "", nil, "Authorization", h)
			require.Equal(t, http.StatusUnauthorized, res.status, res.raw)
			require.Equal(t, "authentication_error", res.errField("type"))
			require.Equal(t, "invalid_token", res.errField("code"))
			require.Contains(t, res.header.Get("WWW-Authenticate"), `Bearer realm="assetmint", error="invalid_token"`)
		})
	}
	for name, h := range map[string]string{"none": "", "basic": "Basic YTpi", "empty bearer": "Bearer "} {
		t.Run("missing "+name, func(t *testing.T) {
			res := b.do(t, "GET", "/v1/assets", "", nil, "Authorization", h)
			require.Equal(t, http.StatusUnauthorized, res.status)
			require.Equal(t, `Bearer realm="assetmint"`, res.header.Get("WWW-Authenticate"), "RFC 6750 3.1: no error code without credentials")
		})
	}

	// Expiry: valid until exp plus the small leeway, then refused.
	b.clock.Advance(time.Hour - time.Second)
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", tok, nil).status)
	b.clock.Advance(time.Minute)
	res := b.do(t, "GET", "/v1/assets", tok, nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Contains(t, res.errField("message"), "expired")
}

func TestClientRotationAndRevocation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	creds := b.business(t, auth.PlanEnterprise)
	oldTok := b.token(t, creds)

	rotated, err := b.engine.Operator().RotateClientSecret(ctx, creds.ClientID, time.Hour)
	require.NoError(t, err)
	require.NotEqual(t, creds.ClientSecret, rotated.ClientSecret)
	b.token(t, rotated)
	b.token(t, creds) // the old secret works during the grace period
	b.clock.Advance(time.Hour)
	res := b.do(t, "POST", "/v1/auth/token", "", map[string]string{"client_id": creds.ClientID, "client_secret": creds.ClientSecret, "grant_type": "client_credentials"})
	require.Equal(t, http.StatusUnauthorized, res.status, "the old secret ends with the grace period")

	newTok := b.token(t, rotated)
	require.NoError(t, b.engine.Operator().RevokeClient(ctx, creds.ClientID))
	for _, tok := range []string{oldTok, newTok} {
		res := b.do(t, "GET", "/v1/assets", tok, nil)
		require.Equal(t, http.StatusUnauthorized, res.status, "a revoked client's tokens stop working at once")
	}
	res = b.do(t, "POST", "/v1/auth/token", "", map[string]string{"client_id": rotated.ClientID, "client_secret": rotated.ClientSecret, "grant_type": "client_credentials"})
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, "invalid_client", res.json["error"])
}

func TestSigningKeyRotation(t *testing.T) {
	b := setup(t)
	creds := b.business(t, auth.PlanEnterprise)
	before := b.token(t, creds)
	require.NoError(t, b.engine.Operator().RotateSigningKey(context.Background()))
	after := b.token(t, creds)
	require.NotEqual(t, header(t, before)["kid"], header(t, after)["kid"])
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", before, nil).status, "tokens of the older key still verify")
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", after, nil).status)
}

func header(t *testing.T, jwt string) map[string]any {
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	require.NoError(t, err)
	var h map[string]any
	require.NoError(t, json.Unmarshal(raw, &h))
	return h
}

func TestRateLimitsByPlan(t *testing.T) {
	b := setup(t)
	dev := b.token(t, b.business(t, auth.PlanDeveloper))
	other := b.token(t, b.business(t, auth.PlanDeveloper))

	// The whole minute allowance may be used in one burst.
	for i := range 60 {
		res := b.do(t, "GET", "/v1/assets", dev, nil)
		require.Equal(t, http.StatusOK, res.status, "request %d", i+1)
		require.Equal(t, "60", res.header.Get("X-RateLimit-Limit"))
		require.Equal(t, fmt.Sprint(59-i), res.header.Get("X-RateLimit-Remaining"))
		require.NotEmpty(t, res.header.Get("X-RateLimit-Reset"))
	}
	res := b.do(t, "GET", "/v1/assets", dev, nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "rate_limit_error", res.errField("type"))
	require.Equal(t, "rate_limit_exceeded", res.errField("code"))
	require.Equal(t, "1", res.header.Get("Retry-After"), "one request's worth refills in one second")
	require.Equal(t, "0", res.header.Get("X-RateLimit-Remaining"))

	// Another client is not affected.
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", other, nil).status)

	// Crossing a minute boundary gives no second burst: after one second,
	// one request.
	b.clock.Advance(time.Second)
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", dev, nil).status)
	require.Equal(t, http.StatusTooManyRequests, b.do(t, "GET", "/v1/assets", dev, nil).status)

	// Upgrading the plan applies to the next request.
	p, err := b.engine.Authenticate(context.Background(), dev)
	require.NoError(t, err)
	plan := auth.PlanBusiness
	_, err = b.engine.Operator().UpdateBusiness(context.Background(), p.BusinessID, assetmint.BusinessUpdate{Plan: &plan})
	require.NoError(t, err)
	res = b.do(t, "GET", "/v1/assets", dev, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "300", res.header.Get("X-RateLimit-Limit"))
}

func TestDailyQuota(t *testing.T) {
	b := setup(t)
	b.clock.Set(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	creds := b.business(t, auth.PlanDeveloper)
	tok := b.token(t, creds)
	// 5,000 a day for developer; spread out so the minute limit never bites.
	for i := range 5000 {
		res := b.do(t, "GET", "/v1/assets?limit=1", tok, nil)
		require.Equal(t, http.StatusOK, res.status, "request %d", i+1)
		b.clock.Advance(1100 * time.Millisecond)
		if i%3000 == 2999 {
			tok = b.token(t, creds) // tokens last an hour
		}
	}
	res := b.do(t, "GET", "/v1/assets", tok, nil)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "daily_quota_exceeded", res.errField("code"))
	midnight := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	left := midnight.Sub(b.clock.Now())
	require.Equal(t, fmt.Sprint(int64((left+time.Second-1)/time.Second)), res.header.Get("Retry-After"), "until UTC midnight")
	b.clock.Set(midnight)
	tok = b.token(t, creds)
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/assets", tok, nil).status, "a new UTC day, a new quota")
}

func TestTokenEndpointHasItsOwnLimit(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) { c.TokenLimits = auth.Limits{PerMinute: 5} })
	creds := b.business(t, auth.PlanDeveloper)
	wrong := map[string]string{"client_id": creds.ClientID, "client_secret": "guess", "grant_type": "client_credentials"}
	for range 5 {
		require.Equal(t, http.StatusUnauthorized, b.do(t, "POST", "/v1/auth/token", "", wrong).status)
	}
	res := b.do(t, "POST", "/v1/auth/token", "", wrong)
	require.Equal(t, http.StatusTooManyRequests, res.status)
	require.Equal(t, "rate_limit_exceeded", res.json["error"], "RFC 6749 shape here too")
	require.NotEmpty(t, res.header.Get("Retry-After"))
}

// The token endpoint's headers show the failure budget left, the tighter
// of the address's and the client id's; a success spends neither.
func TestTokenEndpointShowsTheTightestWindow(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) { c.TokenLimits = auth.Limits{PerMinute: 5} })
	first, second := b.business(t, auth.PlanDeveloper), b.business(t, auth.PlanDeveloper)
	b.token(t, first)
	b.token(t, first)
	ok := map[string]string{"client_id": second.ClientID, "client_secret": second.ClientSecret, "grant_type": "client_credentials"}
	res := b.do(t, "POST", "/v1/auth/token", "", ok)
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "5", res.header.Get("X-RateLimit-Limit"))
	require.Equal(t, "5", res.header.Get("X-RateLimit-Remaining"), "successes spend nothing")

	wrong := map[string]string{"client_id": second.ClientID, "client_secret": "guess", "grant_type": "client_credentials"}
	res = b.do(t, "POST", "/v1/auth/token", "", wrong)
	require.Equal(t, http.StatusUnauthorized, res.status)
	require.Equal(t, "5", res.header.Get("X-RateLimit-Limit"), "the address's window (4 left), not the client id's (49 left)")
	require.Equal(t, "4", res.header.Get("X-RateLimit-Remaining"))
	res = b.do(t, "POST", "/v1/auth/token", "", ok)
	require.Equal(t, "4", res.header.Get("X-RateLimit-Remaining"))
}

func TestOperatorRoutes(t *testing.T) {
	b := setup(t)
	admin := adminToken

	res := b.do(t, "POST", "/v1/admin/businesses", "", `{"name":"Globex"}`)
	require.Equal(t, http.StatusUnauthorized, res.status)
	res = b.do(t, "POST", "/v1/admin/businesses", "wrong-operator-token-000", `{"name":"Globex"}`)
	require.Equal(t, http.StatusUnauthorized, res.status)
	biz := b.token(t, b.business(t, auth.PlanDeveloper))
	res = b.do(t, "GET", "/v1/admin/businesses", biz, nil)
	require.Equal(t, http.StatusUnauthorized, res.status, "a business token is not an operator token")

	res = b.do(t, "POST", "/v1/admin/businesses", admin, `{"name":"Globex","plan":"business","wallet_address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	d := res.data()
	require.Regexp(t, `^biz_`, d["id"])
	require.Equal(t, "business", d["plan"])
	require.Equal(t, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", d["wallet_address"])
	creds := &assetmint.ClientCredentials{ClientID: d["client_id"].(string), ClientSecret: d["client_secret"].(string)}
	tok := b.token(t, creds)
	require.Equal(t, "300", b.do(t, "GET", "/v1/assets", tok, nil).header.Get("X-RateLimit-Limit"))
	id := d["id"].(string)

	for _, tc := range []struct{ body, param string }{
		{`{}`, "name"},
		{`{"name":"x","plan":"gold"}`, "plan"},
		{`{"name":"x","plan":""}`, "plan"},
		{`{"name":"x","wallet_address":"0x123"}`, "wallet_address"},
		{`{"name":"x","client_secret":"mine"}`, "client_secret"},
	} {
		res := b.do(t, "POST", "/v1/admin/businesses", admin, tc.body)
		require.Equal(t, http.StatusBadRequest, res.status, tc.body)
		require.Equal(t, tc.param, res.errField("param"), tc.body)
	}

	res = b.do(t, "PATCH", "/v1/admin/businesses/"+id, admin, `{"plan":"enterprise","wallet_address":null}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "enterprise", res.data()["plan"])
	require.Nil(t, res.data()["wallet_address"])
	res = b.do(t, "PATCH", "/v1/admin/businesses/biz_missing", admin, `{"plan":"enterprise"}`)
	require.Equal(t, http.StatusNotFound, res.status)

	res = b.do(t, "POST", "/v1/admin/businesses/"+id+"/clients", admin, nil)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	second := &assetmint.ClientCredentials{ClientID: res.data()["client_id"].(string), ClientSecret: res.data()["client_secret"].(string)}
	require.NotEqual(t, creds.ClientID, second.ClientID)
	b.token(t, second)
	res = b.do(t, "POST", "/v1/admin/businesses/biz_missing/clients", admin, nil)
	require.Equal(t, http.StatusNotFound, res.status)

	res = b.do(t, "GET", "/v1/admin/businesses?limit=1", admin, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Len(t, res.list(), 1)
	require.Equal(t, true, res.json["meta"].(map[string]any)["has_more"])
	require.NotContains(t, res.raw, "client_secret", "secrets are shown once, on create")

	// Without an operator token configured, the routes do not exist.
	off := setup(t, func(c *httpapi.Config) { c.AdminToken = "" })
	res = off.do(t, "GET", "/v1/admin/businesses", admin, nil)
	require.Equal(t, http.StatusNotFound, res.status)
}

func TestUnroutedRequestsAnswerInTheEnvelope(t *testing.T) {
	b := setup(t)
	res := b.do(t, "GET", "/v1/nothing", "", nil)
	require.Equal(t, http.StatusNotFound, res.status)
	require.Equal(t, "not_found_error", res.errField("type"))
	require.NotEmpty(t, res.header.Get("Request-Id"))

	res = b.do(t, "DELETE", "/v1/assets", "", nil)
	require.Equal(t, http.StatusMethodNotAllowed, res.status)
	require.ElementsMatch(t, []string{"GET", "POST"}, res.header.Values("Allow"))
}

// The handler mounts under any prefix and next to a host's own routes.
func TestMounting(t *testing.T) {
	b := setup(t)
	api := b.srv.Config.Handler
	tok := b.token(t, b.business(t, auth.PlanDeveloper))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.Handle("/v1/", api)
	mux.Handle("/api/", http.StripPrefix("/api", api))
	b.srv.Config.Handler = mux

	for _, path := range []string{"/v1/assets", "/api/v1/assets"} {
		res := b.do(t, "GET", path, tok, nil)
		require.Equal(t, http.StatusOK, res.status, path)
	}
	res := b.do(t, "GET", "/healthz", "", nil)
	require.Equal(t, "ok", res.raw)
}

// Every answer carries the X-RateLimit-* headers: business routes count
// against the client's plan, operator routes against the operator's limit,
// and what needs no credentials against the caller's IP.
func TestEveryAnswerCarriesRateLimitHeaders(t *testing.T) {
	b := setup(t, func(c *httpapi.Config) { c.PublicLimits = auth.Limits{PerMinute: 3} })
	for _, tc := range []struct{ method, path, token, limit string }{
		{"GET", "/v1/openapi.json", "", "3"},
		{"GET", "/v1/nothing", "", "3"},
		{"GET", "/v1/admin/businesses", adminToken, "1000"},
		{"POST", "/v1/auth/token", "", "30"},
	} {
		res := b.do(t, tc.method, tc.path, tc.token, nil)
		require.Equal(t, tc.limit, res.header.Get("X-RateLimit-Limit"), tc.path)
		require.NotEmpty(t, res.header.Get("X-RateLimit-Remaining"), tc.path)
		require.NotEmpty(t, res.header.Get("X-RateLimit-Reset"), tc.path)
	}
	require.Equal(t, http.StatusOK, b.do(t, "GET", "/v1/openapi.json", "", nil).status, "the third of 3")
	res := b.do(t, "GET", "/v1/openapi.json", "", nil)
	require.Equal(t, http.StatusTooManyRequests, res.status, "the public allowance of 3 is used up")
	require.Equal(t, "rate_limit_exceeded", res.errField("code"))
	require.NotEmpty(t, res.header.Get("Retry-After"))
}

package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// The OpenAPI document is checked three ways: it is a valid OpenAPI 3.1
// document; it names exactly the routes the handler serves; and real
// traffic through the real handler, over SQLite, matches it — every request
// the document accepts and every response the handler gives, status,
// headers and body, with no undocumented member in a body.

// oaRoutes are the routes handler.go registers (routes()), with the
// operator routes enabled.
var oaRoutes = []string{
	"POST /v1/auth/token",
	"GET /v1/openapi.json",
	"GET /v1/assets",
	"POST /v1/assets",
	"GET /v1/assets/{id}",
	"PATCH /v1/assets/{id}",
	"GET /v1/admin/businesses",
	"POST /v1/admin/businesses",
	"GET /v1/admin/businesses/{id}",
	"PATCH /v1/admin/businesses/{id}",
	"POST /v1/admin/businesses/{id}/clients",
}

const oaAdminToken = "openapi-test-operator-token"

func oaLoad(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(httpapi.OpenAPI())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	return doc
}

func oaOperations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[method+" "+path] = op
		}
	}
	return ops
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := oaLoad(t)
	require.Equal(t, "3.1.0", doc.OpenAPI)
	require.Len(t, doc.Servers, 1)
	require.Equal(t, "http://127.0.0.1:8080", doc.Servers[0].URL)

	// Tidy: 2-space indentation, as json.Indent writes it, and a final newline.
	raw := httpapi.OpenAPI()
	var compact, tidy bytes.Buffer
	require.NoError(t, json.Compact(&compact, raw))
	require.NoError(t, json.Indent(&tidy, compact.Bytes(), "", "  "))
	tidy.WriteByte('\n')
	require.Equal(t, tidy.String(), string(raw), "openapi.json is not indented with 2 spaces")

	for name, op := range oaOperations(doc) {
		require.NotEmpty(t, op.OperationID, name)
		require.NotEmpty(t, op.Summary, name)
		require.NotEmpty(t, op.Description, name)
		require.NotNil(t, op.Security, "%s: say which security applies, even none", name)
		for code, ref := range op.Responses.Map() {
			resp := ref.Value
			require.Contains(t, resp.Headers, "Request-Id", "%s %s", name, code)
			require.NotNil(t, resp.Content.Get("application/json"), "%s %s", name, code)
			if code == "429" {
				require.Contains(t, resp.Headers, "Retry-After", "%s %s", name, code)
			}
		}
		if name != "GET /v1/openapi.json" {
			require.NotNil(t, op.Responses.Status(500), "%s: document the 500", name)
			require.NotNil(t, op.Responses.Status(429), "%s: document the 429", name)
		}
		if strings.HasPrefix(name, "POST /v1/") && name != "POST /v1/auth/token" {
			require.NotNil(t, op.Parameters.GetByInAndName("header", "Idempotency-Key"), "%s takes Idempotency-Key", name)
			require.NotNil(t, op.Responses.Status(201), name)
			require.NotNil(t, op.Responses.Status(422), name)
			require.NotNil(t, op.Responses.Status(409), name)
		}
	}
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc := oaLoad(t)
	var documented []string
	for name := range oaOperations(doc) {
		documented = append(documented, name)
	}
	want := slices.Clone(oaRoutes)
	sort.Strings(want)
	sort.Strings(documented)
	require.Equal(t, want, documented)

	// Probe: every documented operation reaches a handler, not the
	// route_not_found / method_not_allowed fallback.
	s := oaSetup(t, nil)
	for name := range oaOperations(doc) {
		method, path, _ := strings.Cut(name, " ")
		path = strings.ReplaceAll(path, "{id}", "probe_1")
		req, err := http.NewRequest(method, s.srv.URL+path, nil)
		require.NoError(t, err)
		resp, err := s.srv.Client().Do(req)
		require.NoError(t, err)
		var body struct {
			Error *struct{ Code string } `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		require.NotEqual(t, http.StatusMethodNotAllowed, resp.StatusCode, name)
		if body.Error != nil {
			require.NotEqual(t, "route_not_found", body.Error.Code, name)
		}
	}

	// And a path the document does not have is not served either.
	resp, err := s.srv.Client().Get(s.srv.URL + "/v1/nothing-here")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// oaSuite drives requests through the handler and checks them against the
// document.
type oaSuite struct {
	doc    *openapi3.T
	router routers.Router
	srv    *httptest.Server
	engine *assetmint.Engine
	opts   *openapi3filter.Options
	seen   map[string]bool // "METHOD /path status" exercised
}

// oaSetup serves the API with the operator routes over a fresh migrated
// SQLite store; mutate adjusts the handler's config.
func oaSetup(t *testing.T, mutate func(*httpapi.Config)) *oaSuite {
	t.Helper()
	b := setup(t, func(c *httpapi.Config) {
		c.AdminToken = oaAdminToken
		c.Now = time.Now // this suite runs on the wall clock
		if mutate != nil {
			mutate(c)
		}
	})
	srv, engine := b.srv, b.engine

	doc := oaLoad(t)
	// Route requests to the test server rather than the documented one.
	doc.Servers = openapi3.Servers{{URL: srv.URL}}
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return &oaSuite{
		doc: doc, router: router, srv: srv, engine: engine,
		opts: &openapi3filter.Options{
			AuthenticationFunc:    oaAuthenticate,
			IncludeResponseStatus: true, // an undocumented status is a failure
			SkipSettingDefaults:   true,
			MultiError:            true,
		},
		seen: map[string]bool{},
	}
}

// oaAuthenticate checks that the request carries the credentials of the
// scheme the document names (their value is the handler's business).
func oaAuthenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecurityScheme.Scheme {
	case "bearer":
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return errors.New("no bearer token")
		}
	case "basic":
		if _, _, ok := r.BasicAuth(); !ok {
			return errors.New("no HTTP Basic credentials")
		}
	default:
		return fmt.Errorf("unexpected scheme %q", in.SecurityScheme.Scheme)
	}
	return nil
}

// Whether the document must accept the request.
type oaDocSays int

const (
	docAccepts oaDocSays = iota // a well-formed request
	docRejects                  // the document itself rules the request out
	docEither                   // a rule the document cannot express (e.g. exclusive cursors)
)

type oaReq struct {
	method, path string
	body         string
	contentType  string // "application/json" by default when there is a body
	bearer       string
	basic        [2]string
	idemKey      string
	doc          oaDocSays
	want         int
}

type oaResp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r oaResp) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

func (r oaResp) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r oaResp) errParam() string {
	e, _ := r.body["error"].(map[string]any)
	p, _ := e["param"].(string)
	return p
}

func (r oaReq) build(t *testing.T, base string) *http.Request {
	req, err := http.NewRequest(r.method, base+r.path, strings.NewReader(r.body))
	require.NoError(t, err)
	if r.body != "" {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.basic[0] != "" {
		req.SetBasicAuth(url.QueryEscape(r.basic[0]), url.QueryEscape(r.basic[1]))
	}
	if r.idemKey != "" {
		req.Header.Set("Idempotency-Key", r.idemKey)
	}
	return req
}

// do sends r to the handler, after checking it against the document, and
// checks the response against the document.
func (s *oaSuite) do(t *testing.T, r oaReq) oaResp {
	t.Helper()
	ctx := context.Background()
	name := r.method + " " + r.path

	vreq := r.build(t, s.srv.URL)
	route, params, err := s.router.FindRoute(vreq)
	require.NoError(t, err, "%s: no documented route", name)
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: s.opts}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	switch r.doc {
	case docAccepts:
		require.NoError(t, reqErr, "%s: the document rejects this request", name)
	case docRejects:
		require.Error(t, reqErr, "%s: the document accepts a request the handler must refuse", name)
	}

	resp, err := s.srv.Client().Do(r.build(t, s.srv.URL))
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, r.want, resp.StatusCode, "%s: %s", name, raw)

	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: s.opts,
	}
	out.SetBodyBytes(raw)
	require.NoError(t, openapi3filter.ValidateResponse(ctx, out), "%s: response does not match the document: %s", name, raw)

	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body), "%s: %s", name, raw)
	schema := route.Operation.Responses.Status(resp.StatusCode).Value.Content.Get("application/json").Schema.Value
	require.Empty(t, oaUndocumented(schema, body, ""), "%s %d: members the document does not name", name, resp.StatusCode)

	// The envelope's request id is the header's, except on a replay.
	if m, ok := body["meta"].(map[string]any); ok && resp.Header.Get("Idempotent-Replayed") == "" {
		require.Equal(t, resp.Header.Get("Request-Id"), m["request_id"], name)
	}
	s.seen[route.Method+" "+route.Path+" "+fmt.Sprint(resp.StatusCode)] = true
	return oaResp{status: resp.StatusCode, header: resp.Header, raw: raw, body: body}
}

// oaUndocumented lists the members of v that schema does not name. An
// object schema with no properties, or with additionalProperties: true, is
// free-form.
func oaUndocumented(schema *openapi3.Schema, v any, at string) []string {
	if schema == nil {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props := map[string]*openapi3.Schema{}
		open := false
		var collect func(s *openapi3.Schema)
		collect = func(s *openapi3.Schema) {
			for k, p := range s.Properties {
				props[k] = p.Value
			}
			if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
				open = true
			}
			for _, sub := range s.AllOf {
				collect(sub.Value)
			}
		}
		collect(schema)
		if open || len(props) == 0 {
			return nil
		}
		var out []string
		for k, val := range v {
			p, ok := props[k]
			if !ok {
				out = append(out, at+"."+k)
				continue
			}
			out = append(out, oaUndocumented(p, val, at+"."+k)...)
		}
		return out
	case []any:
		if schema.Items == nil {
			return nil
		}
		var out []string
		for i, e := range v {
			out = append(out, oaUndocumented(schema.Items.Value, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	return nil
}

// report logs the documented responses that no request exercised.
func (s *oaSuite) report(t *testing.T) {
	var missed []string
	for name, op := range oaOperations(s.doc) {
		for code := range op.Responses.Map() {
			if !s.seen[name+" "+code] {
				missed = append(missed, name+" "+code)
			}
		}
	}
	sort.Strings(missed)
	t.Logf("exercised %d documented responses; not exercised: %s", len(s.seen), strings.Join(missed, ", "))
}

func oaToken(t *testing.T, s *oaSuite, creds *assetmint.ClientCredentials) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"client_id": creds.ClientID, "client_secret": creds.ClientSecret, "grant_type": "client_credentials"})
	require.NoError(t, err)
	r := s.do(t, oaReq{method: "POST", path: "/v1/auth/token", body: string(body), want: 200})
	tok, _ := r.body["access_token"].(string)
	require.NotEmpty(t, tok)
	return tok
}

func TestOpenAPITraffic(t *testing.T) {
	ctx := context.Background()
	s := oaSetup(t, nil)
	defer s.report(t)

	_, credsA, err := s.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanDeveloper})
	require.NoError(t, err)
	bizB, credsB, err := s.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt", Plan: auth.PlanBusiness})
	require.NoError(t, err)

	var tokA, tokB string
	t.Run("token", func(t *testing.T) {
		tokA = oaToken(t, s, credsA) // the reference's JSON body
		r := s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 200, contentType: "application/x-www-form-urlencoded",
			body: url.Values{"grant_type": {"client_credentials"}, "client_id": {credsB.ClientID}, "client_secret": {credsB.ClientSecret}}.Encode()})
		tokB, _ = r.body["access_token"].(string)
		require.Equal(t, "no-store", r.header.Get("Cache-Control"))
		s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 200, contentType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials", basic: [2]string{credsA.ClientID, credsA.ClientSecret}})

		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 401,
			body: `{"client_id":"` + credsA.ClientID + `","client_secret":"wrong","grant_type":"client_credentials"}`})
		require.Equal(t, "invalid_client", r.body["error"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 401, contentType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials", basic: [2]string{credsA.ClientID, "wrong"}})
		require.Contains(t, r.header.Get("WWW-Authenticate"), "Basic")
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 400, doc: docRejects,
			body: `{"client_id":"` + credsA.ClientID + `","client_secret":"x","grant_type":"password"}`})
		require.Equal(t, "unsupported_grant_type", r.body["error"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 400, contentType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials&client_secret=x", basic: [2]string{credsA.ClientID, credsA.ClientSecret}})
		require.Equal(t, "invalid_request", r.body["error"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 400, doc: docRejects, body: `{"client_id":"` + credsA.ClientID + `"}`})
		require.Equal(t, "invalid_request", r.body["error"])
	})

	t.Run("invalid_client is 401 whatever the auth style", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/auth/token", body: `{"grant_type":"client_credentials"}`, want: 401})
		require.Equal(t, "invalid_client", r.body["error"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", bearer: "not-basic", contentType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials", want: 401})
		require.Equal(t, "invalid_client", r.body["error"])
	})

	refBody := `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`
	var assetA, assetB string
	t.Run("create assets", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: refBody, idemKey: "create-1", want: 201})
		assetA, _ = r.data()["id"].(string)
		require.Equal(t, "pending_valuation", r.data()["status"])
		require.Equal(t, []any{}, r.data()["documents"])
		require.Nil(t, r.data()["valuation"])

		// Replayed, then reused with another body.
		r2 := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: refBody, idemKey: "create-1", want: 201})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, idemKey: "create-1", want: 422,
			body: `{"name":"Other","type":"art","estimated_value":1}`})
		require.Equal(t, "idempotency_key_reused", r2.errCode())

		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 201,
			body: `{"name":"Invoice pool","type":"receivables","estimated_value":"1725.56","currency":"EUR","metadata":{"pool":7,"region":"EU"}}`})
		require.Equal(t, 1725.56, r.data()["estimated_value"])
		require.Equal(t, "EUR", r.data()["currency"])
		s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 201,
			body: `{"name":"Forklift","type":"vehicle","estimated_value":12000.5}`})

		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokB, want: 201, body: `{"name":"Gold bars","type":"commodity","estimated_value":250000}`})
		assetB, _ = r.data()["id"].(string)
	})

	t.Run("asset input errors", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			body: `{"name":"Lathe","type":"equipment","estimated_value":5000,"colour":"red"}`})
		require.Equal(t, "colour", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			body: `{"name":"Lathe","type":"equipment","estimated_value":5000,"status":"verified"}`})
		require.Equal(t, "status", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			body: `{"name":"Lathe","type":"spaceship","estimated_value":5000}`})
		require.Equal(t, "type", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			body: `{"name":"Lathe","type":"equipment","estimated_value":"lots"}`})
		require.Equal(t, "estimated_value", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			body: `{"name":"Lathe","type":"equipment"}`})
		require.Equal(t, "estimated_value", r.errParam())
		s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects, body: `{"name":`})
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 415, doc: docRejects, contentType: "text/plain",
			body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`})
		require.Equal(t, "unsupported_media_type", r.errCode())
		big := `{"name":"Lathe","type":"equipment","estimated_value":5000,"description":"` + strings.Repeat("a", 1<<20) + `"}`
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 413, doc: docRejects, body: big})
		require.Equal(t, "request_too_large", r.errCode())
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 400, doc: docRejects,
			idemKey: strings.Repeat("k", 256), body: refBody})
		require.Equal(t, "Idempotency-Key", r.errParam())
	})

	t.Run("idempotency key in flight", func(t *testing.T) {
		// A request holding the key right now, as a concurrent retry sees it.
		body := `{"name":"Press","type":"equipment","estimated_value":7000}`
		sum := sha256.Sum256([]byte("POST /v1/assets\n" + body))
		now := time.Now().UTC()
		prev, err := s.engine.Store().ReserveIdempotencyKey(ctx, assetmint.IdempotencyRecord{
			Scope: oaBusinessOf(t, s, tokA), Key: "in-flight",
			RequestHash: hex.EncodeToString(sum[:]), LockedUntil: now.Add(time.Minute), CreatedAt: now,
		}, now, now.Add(-time.Hour))
		require.NoError(t, err)
		require.Nil(t, prev)
		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, idemKey: "in-flight", body: body, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())
	})

	t.Run("list assets", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tokA, want: 200})
		items, _ := r.body["data"].([]any)
		require.Len(t, items, 3)
		require.Equal(t, false, r.body["meta"].(map[string]any)["has_more"])
		first := items[0].(map[string]any)["id"].(string)
		require.Equal(t, "Forklift", items[0].(map[string]any)["name"], "newest first")

		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?limit=1", bearer: tokA, want: 200})
		require.Equal(t, true, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?limit=2&starting_after=" + first, bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 2)
		require.Equal(t, false, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?ending_before=" + assetA, bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 2)

		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?limit=0", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?limit=101", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?page=2", bearer: tokA, want: 400, doc: docEither})
		require.Equal(t, "page", r.errParam())
		s.do(t, oaReq{method: "GET", path: "/v1/assets?starting_after=" + first + "&ending_before=" + first, bearer: tokA, want: 400, doc: docEither})
	})

	t.Run("get and patch assets", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/assets/" + assetA, bearer: tokA, want: 200})
		require.Equal(t, assetA, r.data()["id"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + assetB, bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode())
		s.do(t, oaReq{method: "GET", path: "/v1/assets/asset_doesnotexist", bearer: tokA, want: 404})

		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 200,
			body: `{"description":"Serviced March 2026","estimated_value":"90000.50","metadata":{"site":"Leeds","old":null}}`})
		require.Equal(t, 90000.5, r.data()["estimated_value"])
		require.Equal(t, map[string]any{"site": "Leeds"}, r.data()["metadata"])
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 200, body: `{}`})
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 400, doc: docRejects, body: `{"type":"vehicle"}`})
		require.Equal(t, "type", r.errParam())
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 400, doc: docRejects, body: `{"id":"asset_x"}`})
		require.Equal(t, "id", r.errParam())
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetB, bearer: tokA, want: 404, body: `{"name":"Mine now"}`})
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/asset_doesnotexist", bearer: tokA, want: 404, body: `{"name":"x"}`})
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 415, doc: docRejects,
			contentType: "application/x-www-form-urlencoded", body: "name=x"})
	})

	t.Run("bearer errors", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 401, doc: docRejects})
		require.Equal(t, "missing_token", r.errCode())
		require.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer")
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + assetA, bearer: "not-a-jwt", want: 401})
		require.Equal(t, "invalid_token", r.errCode())
		s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: oaAdminToken, body: refBody, want: 401})
	})

	t.Run("operator", func(t *testing.T) {
		nb := `{"name":"Cobalt Freight","plan":"business","wallet_address":"0x52908400098527886e0f7030069857d2e4169ee7"}`
		r := s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, idemKey: "biz-1", body: nb, want: 201})
		biz := r.data()
		id, _ := biz["id"].(string)
		require.Equal(t, "0x52908400098527886E0F7030069857D2E4169EE7", biz["wallet_address"])
		require.NotEmpty(t, biz["client_secret"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, idemKey: "biz-1", body: nb, want: 201})
		require.Equal(t, "true", r.header.Get("Idempotent-Replayed"))
		require.Equal(t, id, r.data()["id"])
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, idemKey: "biz-1", body: `{"name":"Other"}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r.errCode())
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Dyno","plan":"gold"}`, want: 400, doc: docRejects})
		require.Equal(t, "plan", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Dyno","client_id":"cli_mine"}`, want: 400, doc: docRejects})
		require.Equal(t, "client_id", r.errParam())
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Dyno"}`, contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Echo Ltd"}`, want: 201})

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: oaAdminToken, want: 200})
		require.Len(t, r.body["data"], 4)
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?limit=2", bearer: oaAdminToken, want: 200})
		require.Equal(t, true, r.body["meta"].(map[string]any)["has_more"])
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?limit=500", bearer: oaAdminToken, want: 400, doc: docRejects})

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/" + bizB.ID, bearer: oaAdminToken, want: 200})
		require.Equal(t, "business", r.data()["plan"])
		require.Nil(t, r.data()["wallet_address"])
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/biz_doesnotexist", bearer: oaAdminToken, want: 404})

		r = s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, body: `{"plan":"enterprise","wallet_address":null}`, want: 200})
		require.Equal(t, "enterprise", r.data()["plan"])
		require.Nil(t, r.data()["wallet_address"])
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, body: `{"wallet_address":"0x12"}`, want: 400, doc: docRejects})
		require.Equal(t, "wallet_address", r.errParam())
		s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/biz_doesnotexist", bearer: oaAdminToken, body: `{"name":"x"}`, want: 404})

		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/" + bizB.ID + "/clients", bearer: oaAdminToken, idemKey: "cli-1", want: 201})
		require.Equal(t, bizB.ID, r.data()["business_id"])
		newClient := &assetmint.ClientCredentials{ClientID: r.data()["client_id"].(string), ClientSecret: r.data()["client_secret"].(string)}
		oaToken(t, s, newClient)
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/biz_doesnotexist/clients", bearer: oaAdminToken, want: 404})

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: tokA, want: 401})
		require.Equal(t, "invalid_token", r.errCode())
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", want: 401, doc: docRejects})
	})

	t.Run("openapi.json", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/openapi.json", want: 200})
		require.JSONEq(t, string(httpapi.OpenAPI()), string(r.raw))
	})
}

// oaBusinessOf finds the business a token acts for.
func oaBusinessOf(t *testing.T, s *oaSuite, token string) string {
	t.Helper()
	p, err := s.engine.Authenticate(context.Background(), token)
	require.NoError(t, err)
	return p.BusinessID
}

// oaTinyLimiter gives every API client a tiny per-minute allowance, so the
// plan limit is cheap to reach.
type oaTinyLimiter struct{ auth.Limiter }

func (l oaTinyLimiter) Allow(ctx context.Context, key string, limits auth.Limits, now time.Time) (auth.Decision, error) {
	if strings.HasPrefix(key, "client:") {
		limits = auth.Limits{PerMinute: 2}
	}
	return l.Limiter.Allow(ctx, key, limits, now)
}

func TestOpenAPIRateLimits(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	s := oaSetup(t, func(c *httpapi.Config) {
		c.Limiter = oaTinyLimiter{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})}
		c.TokenLimits = auth.Limits{PerMinute: 2}
		c.Now = func() time.Time { return now } // the buckets never refill
	})
	defer s.report(t)
	_, creds, err := s.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanDeveloper})
	require.NoError(t, err)

	tok := oaToken(t, s, creds) // the address's token allowance: 1 of 2 used
	s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 200})
	r := s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 200})
	require.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	r = s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 429})
	require.Equal(t, "rate_limit_exceeded", r.errCode())
	require.NotEmpty(t, r.header.Get("Retry-After"))
	s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tok, want: 429, body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`})

	// Failed authentications count against the address: 2 of 2, then over.
	s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 401, doc: docRejects})
	r = s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 429, doc: docRejects})
	require.Equal(t, "rate_limit_error", r.body["error"].(map[string]any)["type"])
	s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: "wrong-operator-token", want: 429})

	// The token endpoint answers its 429 in RFC 6749 shape.
	r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 429,
		body: `{"client_id":"` + creds.ClientID + `","client_secret":"` + creds.ClientSecret + `","grant_type":"client_credentials"}`})
	require.Equal(t, "rate_limit_exceeded", r.body["error"])
}

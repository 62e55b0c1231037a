package httpapi_test

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/webhooks"
)

// The OpenAPI document is checked three ways: it is a valid OpenAPI 3.1
// document; it names exactly the routes the handler serves; and real
// traffic through the real handler, over SQLite, matches it — every request
// the document accepts and every response the handler gives, status,
// headers and body, with no undocumented member in a body.

// oaActions are the POST routes that act on an existing object rather than
// create one: they answer 200 (or 202), never 201. All honour
// Idempotency-Key.
var oaActions = []string{
	"POST /v1/admin/assets/{id}/verify",
	"POST /v1/admin/assets/{id}/reject",
	"POST /v1/admin/loans/{id}/approve",
	"POST /v1/admin/loans/{id}/reject",
	"POST /v1/admin/loans/{id}/fund",
	"POST /v1/webhooks/{id}/rotate_secret",
	"POST /v1/webhooks/{id}/deliveries/{delivery_id}/retry",
}

// oaBinary are the responses that are not JSON: a document's bytes, in
// the types an upload may have. Every other response is the JSON envelope
// (or, at the token endpoint, RFC 6749's JSON).
var oaBinary = map[string][]string{
	"GET /v1/documents/{id}/content 200": {"application/pdf", "image/png", "image/jpeg", "text/csv", "text/plain"},
}

// oaNotIdempotent are the POST routes that take no Idempotency-Key; every
// other POST honours it.
var oaNotIdempotent = []string{
	"POST /v1/auth/token",
}

const oaAdminToken = "openapi-test-operator-token-0123456789"

var oaPathParam = regexp.MustCompile(`\{[a-z_]+\}`)

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
			if types, ok := oaBinary[name+" "+code]; ok {
				require.ElementsMatch(t, types, slices.Collect(maps.Keys(resp.Content)), "%s %s", name, code)
				continue
			}
			require.NotNil(t, resp.Content.Get("application/json"), "%s %s", name, code)
			if code == "429" {
				require.Contains(t, resp.Headers, "Retry-After", "%s %s", name, code)
			}
		}
		if name != "GET /v1/openapi.json" {
			require.NotNil(t, op.Responses.Status(500), "%s: document the 500", name)
			require.NotNil(t, op.Responses.Status(429), "%s: document the 429", name)
		}
		if !strings.HasPrefix(name, "POST /v1/") {
			require.Nil(t, op.Parameters.GetByInAndName("header", "Idempotency-Key"), "%s ignores Idempotency-Key", name)
			continue
		}
		if slices.Contains(oaNotIdempotent, name) {
			require.Nil(t, op.Parameters.GetByInAndName("header", "Idempotency-Key"), "%s ignores Idempotency-Key", name)
			require.Nil(t, op.Responses.Status(422), name)
		} else {
			require.NotNil(t, op.Parameters.GetByInAndName("header", "Idempotency-Key"), "%s takes Idempotency-Key", name)
			require.NotNil(t, op.Responses.Status(422), name)
			require.NotNil(t, op.Responses.Status(409), name)
		}
		switch {
		case slices.Contains(oaActions, name):
			require.True(t, op.Responses.Status(200) != nil || op.Responses.Status(202) != nil, name)
			require.Nil(t, op.Responses.Status(201), name)
		case name != "POST /v1/auth/token":
			require.NotNil(t, op.Responses.Status(201), name)
		}
	}

	// The webhooks section has an entry for every event type an endpoint
	// may subscribe to, and the event type enum is that list.
	var hooks []string
	for typ, item := range doc.Webhooks {
		require.NotNil(t, item.Post, typ)
		require.NotEmpty(t, item.Post.OperationID, typ)
		require.NotEmpty(t, item.Post.Description, typ)
		require.NotNil(t, item.Post.Security, "%s: say which security applies, even none", typ)
		require.Equal(t, typ, item.Post.RequestBody.Value.Content.Get("application/json").Schema.Value.Properties["type"].Value.Const, typ)
		hooks = append(hooks, typ)
	}
	require.ElementsMatch(t, assetmint.EventTypes(), hooks)
	var enum []string
	for _, v := range doc.Components.Schemas["WebhookEventType"].Value.Enum {
		enum = append(enum, v.(string))
	}
	require.Equal(t, assetmint.EventTypes(), enum)

	// The status filters' enums are the engine's statuses.
	enumOf := func(schema string) []string {
		var out []string
		for _, v := range doc.Components.Schemas[schema].Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	var assetStatuses, loanStatuses []string
	for _, st := range assetmint.AssetStatuses() {
		assetStatuses = append(assetStatuses, string(st))
	}
	for _, st := range assetmint.LoanStatuses() {
		loanStatuses = append(loanStatuses, string(st))
	}
	require.Equal(t, assetStatuses, enumOf("AssetStatus"))
	require.Equal(t, loanStatuses, enumOf("LoanStatus"))
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc := oaLoad(t)
	var documented []string
	for name := range oaOperations(doc) {
		documented = append(documented, name)
	}
	want := httpapi.Routes() // the handler's own route table
	sort.Strings(want)
	sort.Strings(documented)
	require.Equal(t, want, documented)

	// Probe: every documented operation reaches a handler, not the
	// route_not_found / method_not_allowed fallback.
	s := oaSetup(t, nil)
	for name := range oaOperations(doc) {
		method, path, _ := strings.Cut(name, " ")
		path = oaPathParam.ReplaceAllString(path, "probe_1")
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
	db     *sqlite.DB       // the engine's store, for arranging what no route can
	clock  *testclock.Clock // the engine's; the handler runs on the wall clock
	opts   *openapi3filter.Options
	// lastBody is the body of the last upload.
	lastBody string
}

// oaSetup serves the API with the operator routes over a fresh migrated
// SQLite store; mutate adjusts the handler's config.
func oaSetup(t *testing.T, mutate func(*httpapi.Config)) *oaSuite {
	t.Helper()
	return oaSuiteOver(t, setup(t, oaConfig(mutate)))
}

// oaConfig is the suite's handler config: the operator routes on, the
// wall clock, then mutate.
func oaConfig(mutate func(*httpapi.Config)) func(*httpapi.Config) {
	return func(c *httpapi.Config) {
		c.AdminToken = oaAdminToken
		c.Now = time.Now // this suite runs on the wall clock
		if mutate != nil {
			mutate(c)
		}
	}
}

// oaSuiteOver checks traffic to b's server against the document; b's
// handler must have oaConfig's settings.
func oaSuiteOver(t *testing.T, b *bundle) *oaSuite {
	t.Helper()
	srv, engine := b.srv, b.engine

	doc := oaLoad(t)
	// Route requests to the test server rather than the documented one.
	doc.Servers = openapi3.Servers{{URL: srv.URL}}
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	oaCoverage.ran(t)
	return &oaSuite{
		doc: doc, router: router, srv: srv, engine: engine, db: b.db, clock: b.clock,
		opts: &openapi3filter.Options{
			AuthenticationFunc:    oaAuthenticate,
			IncludeResponseStatus: true, // an undocumented status is a failure
			SkipSettingDefaults:   true,
			MultiError:            true,
		},
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

	if _, binary := oaBinary[route.Method+" "+route.Path+" "+fmt.Sprint(resp.StatusCode)]; binary {
		oaCoverage.exercised(route.Method + " " + route.Path + " " + fmt.Sprint(resp.StatusCode))
		return oaResp{status: resp.StatusCode, header: resp.Header, raw: raw}
	}
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"), "%s: every other answer is JSON", name)
	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body), "%s: %s", name, raw)
	schema := route.Operation.Responses.Status(resp.StatusCode).Value.Content.Get("application/json").Schema.Value
	require.Empty(t, oaUndocumented(schema, body, ""), "%s %d: members the document does not name", name, resp.StatusCode)

	// One message style for every error a client sees: a sentence without
	// a final period, in the envelope and in the token endpoint's RFC 6749
	// shape alike.
	msg, _ := body["error_description"].(string)
	if e, ok := body["error"].(map[string]any); ok {
		msg, _ = e["message"].(string)
	}
	require.False(t, strings.HasSuffix(msg, "."), "%s %d: %q ends with a period", name, resp.StatusCode, msg)

	// The envelope's request id is the header's, except on a replay.
	if m, ok := body["meta"].(map[string]any); ok && resp.Header.Get("Idempotent-Replayed") == "" {
		require.Equal(t, resp.Header.Get("Request-Id"), m["request_id"], name)
	}
	oaCoverage.exercised(route.Method + " " + route.Path + " " + fmt.Sprint(resp.StatusCode))
	return oaResp{status: resp.StatusCode, header: resp.Header, raw: raw, body: body}
}

// oaUndocumented lists the members of v that schema does not name. An
// object schema with no properties, or with additionalProperties: true, is
// free-form. Of a oneOf or anyOf, the alternative that v matches counts; a
// member both a schema and its allOf name is checked against the schema's.
func oaUndocumented(schema *openapi3.Schema, v any, at string) []string {
	if schema == nil {
		return nil
	}
	if len(schema.Properties) == 0 && schema.Items == nil {
		if alt := oaBranch(schema, v); alt != nil {
			return oaUndocumented(alt, v, at)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props := map[string]*openapi3.Schema{}
		open := false
		var collect func(s *openapi3.Schema)
		collect = func(s *openapi3.Schema) {
			for k, p := range s.Properties {
				if _, ok := props[k]; !ok { // an outer schema refines its allOf
					props[k] = p.Value
				}
			}
			if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
				open = true
			}
			for _, sub := range s.AllOf {
				collect(sub.Value)
			}
			if alt := oaBranch(s, v); alt != nil {
				collect(alt)
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

// oaBranch is the alternative of schema's oneOf or anyOf that v matches,
// or nil.
func oaBranch(schema *openapi3.Schema, v any) *openapi3.Schema {
	for _, alt := range slices.Concat(schema.OneOf, schema.AnyOf) {
		if alt.Value != nil && alt.Value.VisitJSON(v) == nil {
			return alt.Value
		}
	}
	return nil
}

// oaTrafficTests are the tests whose traffic, together, must exercise
// every documented response (route and status). TestMain checks that once
// they have all run and passed; a test that builds an oaSuite must be
// listed here.
var oaTrafficTests = []string{
	"TestOpenAPICoversEveryRoute",
	"TestOpenAPITraffic",
	"TestOpenAPIRateLimits",
	"TestOpenAPIDocumentTraffic",
	"TestOpenAPIWebhookTraffic",
	"TestOpenAPILoanTraffic",
	"TestOpenAPIPolicyLoanEvents",
	"TestOpenAPIInternalErrors",
	"TestOpenAPIChainTraffic",
}

// oaCoverage records, across the traffic tests of one run, which tests
// ran and which documented responses their traffic exercised.
var oaCoverage = &oaExercised{tests: map[string]bool{}, seen: map[string]bool{}}

type oaExercised struct {
	mu    sync.Mutex
	tests map[string]bool // top-level test names
	seen  map[string]bool // "METHOD /path status"
}

func (c *oaExercised) ran(t *testing.T) {
	name, _, _ := strings.Cut(t.Name(), "/")
	c.mu.Lock()
	c.tests[name] = true
	c.mu.Unlock()
}

func (c *oaExercised) exercised(response string) {
	c.mu.Lock()
	c.seen[response] = true
	c.mu.Unlock()
}

// missed lists the documented responses of doc that no traffic
// exercised. It judges only a run in which every one of oaTrafficTests
// ran: absent names those a -run filter left out.
func (c *oaExercised) missed(doc *openapi3.T) (missed, absent []string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.tests {
		if !slices.Contains(oaTrafficTests, name) {
			return nil, nil, fmt.Errorf("%s sends traffic through an oaSuite: add it to oaTrafficTests", name)
		}
	}
	for _, name := range oaTrafficTests {
		if !c.tests[name] {
			absent = append(absent, name)
		}
	}
	if len(absent) > 0 {
		return nil, absent, nil
	}
	for name, op := range oaOperations(doc) {
		for code := range op.Responses.Map() {
			if !c.seen[name+" "+code] {
				missed = append(missed, name+" "+code)
			}
		}
	}
	sort.Strings(missed)
	return missed, nil, nil
}

// TestMain runs the tests, then fails the run if the traffic tests, all
// run and passed, left a documented response unexercised: a response no
// request can produce is a promise the document should not make.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		code = oaCheckCoverage()
	}
	os.Exit(code)
}

func oaCheckCoverage() int {
	doc, err := openapi3.NewLoader().LoadFromData(httpapi.OpenAPI())
	if err != nil {
		fmt.Printf("FAIL: openapi: %v\n", err)
		return 1
	}
	missed, absent, err := oaCoverage.missed(doc)
	switch {
	case err != nil:
		fmt.Printf("FAIL: openapi: %v\n", err)
		return 1
	case len(absent) > 0:
		if testing.Verbose() {
			fmt.Printf("openapi: not checking that every documented response is exercised: %s did not run\n", strings.Join(absent, ", "))
		}
	case len(missed) > 0:
		fmt.Printf("FAIL: openapi: %d documented responses that no test exercises: add a request that produces each, "+
			"or drop from openapi.json a response the server never gives:\n\t%s\n", len(missed), strings.Join(missed, "\n\t"))
		return 1
	}
	return 0
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

	_, credsA, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanDeveloper})
	require.NoError(t, err)
	bizB, credsB, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt", Plan: auth.PlanBusiness})
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
		r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 413, contentType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials&pad=" + strings.Repeat("x", 1<<20)})
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
			body: `{"name":"Lathe","type":"equipment","estimated_value":1000000000000.5}`})
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
		oaHoldKey(t, s, oaBusinessOf(t, s, tokA), "in-flight", "POST /v1/assets\n"+body)
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

		// Filtered by status: an asset put on chain (no route mints here)
		// leaves pending_valuation, and shows only under its own status.
		bizA := oaBusinessOf(t, s, tokA)
		a, err := s.db.Asset(ctx, bizA, assetA)
		require.NoError(t, err)
		a.Status = assetmint.AssetTokenized
		require.NoError(t, s.db.UpdateAsset(ctx, a))
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=tokenized", bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 1)
		require.Equal(t, assetA, r.body["data"].([]any)[0].(map[string]any)["id"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=pending_valuation&limit=1", bearer: tokA, want: 200})
		require.Equal(t, first, r.body["data"].([]any)[0].(map[string]any)["id"])
		require.Equal(t, true, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=pending_valuation&starting_after=" + first, bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 1, "the tokenized one is left out")
		require.Equal(t, false, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=pending_valuation&ending_before=" + assetA, bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 2, "an asset outside the filter is still a cursor")
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=liquidated", bearer: tokA, want: 200})
		require.Equal(t, []any{}, r.body["data"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets?status=sold", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "status", r.errParam())
		require.Contains(t, r.body["error"].(map[string]any)["message"], "pending_valuation")
		a.Status = assetmint.AssetPendingValuation
		require.NoError(t, s.db.UpdateAsset(ctx, a))

		// A cursor names one of the list's objects: an unknown id, or
		// another business's asset, is no place in it.
		for _, q := range []string{"starting_after=asset_nope", "ending_before=asset_nope", "starting_after=" + assetB, "ending_before=" + assetB} {
			r = s.do(t, oaReq{method: "GET", path: "/v1/assets?" + q, bearer: tokA, want: 400})
			param, _, _ := strings.Cut(q, "=")
			require.Equal(t, param, r.errParam(), q)
			require.Equal(t, "invalid", r.errCode(), q)
		}
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
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: tokA, want: 413, doc: docRejects,
			body: `{"description":"` + strings.Repeat("a", 1<<20) + `"}`})
		require.Equal(t, "request_too_large", r.errCode())
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, want: 401, doc: docRejects, body: `{"name":"x"}`})
		require.Equal(t, "missing_token", r.errCode())
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + assetA, bearer: "not-a-jwt", want: 401, body: `{"name":"x"}`})
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
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, want: 413, doc: docRejects,
			body: `{"name":"` + strings.Repeat("a", 1<<20) + `"}`})
		require.Equal(t, "request_too_large", r.errCode())
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: tokA, body: `{"name":"Dyno"}`, want: 401})
		held := `{"name":"Held Ltd"}`
		oaHoldKey(t, s, oaOperatorScope, "biz-in-flight", "POST /v1/admin/businesses\n"+held)
		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, idemKey: "biz-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Echo Ltd"}`, want: 201})

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: oaAdminToken, want: 200})
		require.Len(t, r.body["data"], 4)
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?limit=2", bearer: oaAdminToken, want: 200})
		require.Equal(t, true, r.body["meta"].(map[string]any)["has_more"])
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?limit=500", bearer: oaAdminToken, want: 400, doc: docRejects})
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?starting_after=" + bizB.ID, bearer: oaAdminToken, want: 200})
		require.NotEmpty(t, r.body["data"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses?ending_before=biz_nope", bearer: oaAdminToken, want: 400})
		require.Equal(t, "ending_before", r.errParam())

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/" + bizB.ID, bearer: oaAdminToken, want: 200})
		require.Equal(t, "business", r.data()["plan"])
		require.Nil(t, r.data()["wallet_address"])
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/biz_doesnotexist", bearer: oaAdminToken, want: 404})
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/" + bizB.ID, bearer: tokB, want: 401})

		r = s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, body: `{"plan":"enterprise","wallet_address":null}`, want: 200})
		require.Equal(t, "enterprise", r.data()["plan"])
		require.Nil(t, r.data()["wallet_address"])
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, body: `{"wallet_address":"0x12"}`, want: 400, doc: docRejects})
		require.Equal(t, "wallet_address", r.errParam())
		s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/biz_doesnotexist", bearer: oaAdminToken, body: `{"name":"x"}`, want: 404})
		s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, body: "name=x",
			contentType: "application/x-www-form-urlencoded", want: 415, doc: docRejects})
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: oaAdminToken, want: 413, doc: docRejects,
			body: `{"name":"` + strings.Repeat("a", 1<<20) + `"}`})
		require.Equal(t, "request_too_large", r.errCode())
		s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/" + id, bearer: tokA, body: `{"name":"x"}`, want: 401})

		r = s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/" + bizB.ID + "/clients", bearer: oaAdminToken, idemKey: "cli-1", want: 201})
		require.Equal(t, bizB.ID, r.data()["business_id"])
		newClient := &assetmint.ClientCredentials{ClientID: r.data()["client_id"].(string), ClientSecret: r.data()["client_secret"].(string)}
		oaToken(t, s, newClient)
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/biz_doesnotexist/clients", bearer: oaAdminToken, want: 404})
		s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/" + bizB.ID + "/clients", bearer: tokB, want: 401})
		// The route takes no body, or an empty JSON object within the
		// limit.
		clients := "/v1/admin/businesses/" + id + "/clients"
		r = s.do(t, oaReq{method: "POST", path: clients, bearer: oaAdminToken, idemKey: "cli-1", want: 422})
		require.Equal(t, "idempotency_key_reused", r.errCode(), "the same key for another business")
		r = s.do(t, oaReq{method: "POST", path: clients, bearer: oaAdminToken, idemKey: strings.Repeat("k", 256), want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: clients, bearer: oaAdminToken, idemKey: "cli-2", body: "x", contentType: "text/plain", want: 415, doc: docRejects})
		require.Equal(t, "unsupported_media_type", r.errCode())
		r = s.do(t, oaReq{method: "POST", path: clients, bearer: oaAdminToken, idemKey: "cli-2", body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		require.Equal(t, "request_too_large", r.errCode())
		oaHoldKey(t, s, oaOperatorScope, "cli-in-flight", "POST "+clients+"\n")
		r = s.do(t, oaReq{method: "POST", path: clients, bearer: oaAdminToken, idemKey: "cli-in-flight", want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: tokA, want: 401})
		require.Equal(t, "invalid_token", r.errCode())
		s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", want: 401, doc: docRejects})
	})

	t.Run("openapi.json", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/openapi.json", want: 200})
		require.JSONEq(t, string(httpapi.OpenAPI()), string(r.raw))
	})
}

// oaHoldKey reserves an Idempotency-Key in scope for a request whose
// fingerprint (the bytes hashed: method, path and body) is given, as a
// request still running holds it.
func oaHoldKey(t *testing.T, s *oaSuite, scope, key, fingerprint string) {
	t.Helper()
	sum := sha256.Sum256([]byte(fingerprint))
	now := time.Now().UTC()
	prev, err := s.db.ReserveIdempotencyKey(context.Background(), assetmint.IdempotencyRecord{
		Scope: scope, Key: key, RequestHash: hex.EncodeToString(sum[:]), LockedUntil: now.Add(time.Minute), CreatedAt: now,
	}, now, now.Add(-time.Hour))
	require.NoError(t, err)
	require.Nil(t, prev)
}

// oaOperatorScope is the scope of the operator's idempotency keys.
const oaOperatorScope = "operator"

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
		c.PublicLimits = auth.Limits{PerMinute: 1}
		c.Now = func() time.Time { return now } // the buckets never refill
	})
	_, creds, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanDeveloper})
	require.NoError(t, err)

	tok := oaToken(t, s, creds) // a success spends none of the address's failure budget
	s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 200})
	r := s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 200})
	require.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	r = s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 429})
	require.Equal(t, "rate_limit_exceeded", r.errCode())
	require.NotEmpty(t, r.header.Get("Retry-After"))
	s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tok, want: 429, body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`})
	s.upload(t, oaReq{bearer: tok, want: 429}, &oaFile{"invoice.pdf", "application/pdf", oaPDF}, "asset_id", "asset_x", "kind", "invoice")
	s.do(t, oaReq{method: "GET", path: "/v1/valuations/asset_x", bearer: tok, want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/tokens", bearer: tok, want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/tokens/tok_x", bearer: tok, want: 429})
	for _, r := range []oaReq{
		{method: "GET", path: "/v1/assets/asset_x"},
		{method: "PATCH", path: "/v1/assets/asset_x", body: `{"name":"x"}`},
		{method: "GET", path: "/v1/documents/doc_x"},
		{method: "GET", path: "/v1/documents/doc_x/content"},
		{method: "GET", path: "/v1/loans"},
		{method: "POST", path: "/v1/loans", body: `{"asset_id":"asset_x","amount":1000,"term_months":12}`},
		{method: "GET", path: "/v1/loans/loan_x"},
		{method: "GET", path: "/v1/webhooks"},
		{method: "POST", path: "/v1/webhooks", body: `{"url":"https://hooks.example.com/assetmint"}`},
		{method: "DELETE", path: "/v1/webhooks/wh_x"},
		{method: "POST", path: "/v1/webhooks/wh_x/rotate_secret"},
		{method: "GET", path: "/v1/webhooks/wh_x/deliveries"},
		{method: "POST", path: "/v1/webhooks/wh_x/deliveries/dlv_x/retry"},
	} {
		r.bearer, r.want = tok, 429
		s.do(t, r)
	}

	// Failed authentications count against the address: 2 of 2, then over.
	s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 401, doc: docRejects})
	s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 401, doc: docRejects})
	r = s.do(t, oaReq{method: "GET", path: "/v1/assets", want: 429, doc: docRejects})
	require.Equal(t, "rate_limit_error", r.body["error"].(map[string]any)["type"])
	s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses", bearer: "wrong-operator-token", body: `{"name":"x"}`, want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/admin/businesses/biz_x", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "PATCH", path: "/v1/admin/businesses/biz_x", bearer: "wrong-operator-token", body: `{"name":"x"}`, want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/businesses/biz_x/clients", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/asset_x/verify", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/asset_x/reject", bearer: "wrong-operator-token", body: `{"reason":"x"}`, want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/admin/loans", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/loan_x", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/loans/loan_x/approve", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/loans/loan_x/reject", bearer: "wrong-operator-token", body: `{"reason":"x"}`, want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/loans/loan_x/fund", bearer: "wrong-operator-token", want: 429})
	s.do(t, oaReq{method: "POST", path: "/v1/admin/loans/loan_x/repayments", bearer: "wrong-operator-token", idemKey: "k", body: `{"amount":1}`, want: 429})
	s.do(t, oaReq{method: "GET", path: "/v1/admin/chain", bearer: "wrong-operator-token", want: 429})

	// The OpenAPI document is limited per address too, apart.
	s.do(t, oaReq{method: "GET", path: "/v1/openapi.json", want: 200})
	r = s.do(t, oaReq{method: "GET", path: "/v1/openapi.json", want: 429})
	require.Equal(t, "rate_limit_exceeded", r.errCode())

	// The token endpoint answers its 429 in RFC 6749 shape.
	r = s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 429,
		body: `{"client_id":"` + creds.ClientID + `","client_secret":"` + creds.ClientSecret + `","grant_type":"client_credentials"}`})
	require.Equal(t, "rate_limit_exceeded", r.body["error"])
}

// oaPDF is a minimal PDF, as the reference's invoice upload sends.
const oaPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// oaFile is the file part of an upload.
type oaFile struct {
	name, contentType, content string
}

// oaForm builds a multipart/form-data body as curl -F does: the text
// fields (name/value pairs) in order, then the file part when there is one.
func oaForm(t *testing.T, file *oaFile, fields ...string) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, mw.WriteField(fields[i], fields[i+1]))
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, file.name))
		h.Set("Content-Type", file.contentType)
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = io.WriteString(w, file.content)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return b.String(), mw.FormDataContentType()
}

// upload is a document upload request; s.lastBody keeps its body.
func (s *oaSuite) upload(t *testing.T, r oaReq, file *oaFile, fields ...string) oaResp {
	t.Helper()
	r.method, r.path = "POST", "/v1/documents/upload"
	r.body, r.contentType = oaForm(t, file, fields...)
	s.lastBody = r.body
	return s.do(t, r)
}

// oaFormFingerprint is what an upload's Idempotency-Key is bound to, as
// the document says: each part's field name, file name and content hash,
// in sorted order, whatever the boundary.
func oaFormFingerprint(t *testing.T, body, contentType string) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(contentType)
	require.NoError(t, err)
	mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		content, err := io.ReadAll(p)
		require.NoError(t, err)
		parts = append(parts, fmt.Sprintf("%q %q %x", p.FormName(), p.FileName(), sha256.Sum256(content)))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// The documents, valuations and verification routes, through the reference
// workflow: an asset submitted, an invoice uploaded, the asset valued and
// verified, a document detached, an operator's decisions.
func TestOpenAPIDocumentTraffic(t *testing.T) {
	ctx := context.Background()
	s := oaSetup(t, nil)

	_, credsA, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	_, credsB, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	tokA, tokB := oaToken(t, s, credsA), oaToken(t, s, credsB)

	refBody := `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`
	r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: refBody, want: 201})
	cnc := r.data()["id"].(string)
	r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokB, body: `{"name":"Gold bars","type":"commodity","estimated_value":250000}`, want: 201})
	assetB := r.data()["id"].(string)
	invoice := &oaFile{"invoice.pdf", "application/pdf", oaPDF}
	invoiceFields := []string{"asset_id", cnc, "kind", "invoice", "amount", "150000", "currency", "USD", "date", "2021-07-01",
		"serial", "X200-2021-0042", "issuer", "Haas Automation"}

	t.Run("valuation before any", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc, bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode())
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true", bearer: tokA, want: 200})
		require.Equal(t, []any{}, r.body["data"])
		require.Equal(t, false, r.body["meta"].(map[string]any)["has_more"])
		s.do(t, oaReq{method: "GET", path: "/v1/valuations/asset_doesnotexist", bearer: tokA, want: 404})
		s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + assetB + "?history=true", bearer: tokA, want: 404})
	})

	var docID string
	t.Run("upload", func(t *testing.T) {
		body, ct := oaForm(t, invoice, invoiceFields...)
		up := oaReq{method: "POST", path: "/v1/documents/upload", bearer: tokA, body: body, contentType: ct, idemKey: "upload-1", want: 201}
		r := s.do(t, up)
		doc := r.data()
		docID, _ = doc["id"].(string)
		require.Equal(t, cnc, doc["asset_id"])
		require.Equal(t, "application/pdf", doc["content_type"])
		require.Equal(t, "invoice.pdf", doc["filename"])
		require.Equal(t, float64(150000), doc["amount"])
		require.Equal(t, "2021-07-01", doc["date"])
		require.Equal(t, float64(len(oaPDF)), doc["size"])
		require.Nil(t, doc["vin"])
		require.NotContains(t, doc, "detached_at")

		// The same bytes with the same key replay; so does the same form
		// encoded again, with a new boundary and its fields in another
		// order; another form with it is 422.
		r2 := s.do(t, up)
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		again := slices.Concat(invoiceFields[2:], invoiceFields[:2])
		r2 = s.upload(t, oaReq{bearer: tokA, idemKey: "upload-1", want: 201}, invoice, again...)
		require.NotEqual(t, body, s.lastBody, "a new encoding")
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.upload(t, oaReq{bearer: tokA, idemKey: "upload-1", want: 422}, invoice, "asset_id", cnc, "kind", "appraisal")
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		r2 = s.upload(t, oaReq{bearer: tokA, idemKey: "upload-1", want: 422}, &oaFile{"invoice.pdf", "application/pdf", oaPDF + "\n"}, invoiceFields...)
		require.Equal(t, "idempotency_key_reused", r2.errCode(), "the same form with another file")

		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + cnc, bearer: tokA, want: 200})
		require.Equal(t, "pending_valuation", r.data()["status"])
		require.Len(t, r.data()["documents"], 1)
		require.Nil(t, r.data()["valuation"])
	})

	t.Run("read a document", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/documents/" + docID, bearer: tokA, want: 200})
		require.Equal(t, docID, r.data()["id"])
		require.Equal(t, "invoice.pdf", r.data()["filename"])
		require.Equal(t, float64(150000), r.data()["amount"])

		r = s.do(t, oaReq{method: "GET", path: "/v1/documents/" + docID + "/content", bearer: tokA, want: 200})
		require.Equal(t, oaPDF, string(r.raw))
		require.Equal(t, "application/pdf", r.header.Get("Content-Type"))
		require.Equal(t, "attachment; filename=invoice.pdf", r.header.Get("Content-Disposition"))
		require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
		require.Equal(t, strconv.Itoa(len(oaPDF)), r.header.Get("Content-Length"))
		require.NotEmpty(t, r.header.Get("Request-Id"))
		require.NotEmpty(t, r.header.Get("X-RateLimit-Remaining"))

		for _, path := range []string{"/v1/documents/" + docID, "/v1/documents/" + docID + "/content"} {
			r = s.do(t, oaReq{method: "GET", path: path, bearer: tokB, want: 404})
			require.Equal(t, "not_found", r.errCode(), "another business's document")
			s.do(t, oaReq{method: "GET", path: strings.Replace(path, docID, "doc_doesnotexist", 1), bearer: tokA, want: 404})
			r = s.do(t, oaReq{method: "GET", path: path, want: 401, doc: docRejects})
			require.Equal(t, "missing_token", r.errCode())
			s.do(t, oaReq{method: "GET", path: path, bearer: "not-a-jwt", want: 401})
		}
	})

	t.Run("upload errors", func(t *testing.T) {
		r := s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, nil, "asset_id", cnc, "kind", "invoice")
		require.Equal(t, "file", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "colour", "red")
		require.Equal(t, "colour", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "selfie")
		require.Equal(t, "kind", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "kind", "invoice")
		require.Equal(t, "asset_id", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "amount", "lots", "currency", "USD")
		require.Equal(t, "amount", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "amount", "1.234", "currency", "USD")
		require.Equal(t, "amount", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "amount", "0", "currency", "USD")
		require.Equal(t, "amount", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "amount", "5", "currency", "usd")
		require.Equal(t, "currency", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice", "date", "July 2021")
		require.Equal(t, "date", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docRejects}, invoice, "asset_id", cnc, "kind", "title", "vin", "123")
		require.Equal(t, "vin", r.errParam())
		r = s.upload(t, oaReq{bearer: tokA, want: 400, doc: docEither}, invoice, "asset_id", cnc, "kind", "invoice", "kind", "photo")
		require.Equal(t, "kind", r.errParam(), "a repeated field")
		r = s.upload(t, oaReq{bearer: tokA, want: 400}, &oaFile{"a.exe", "application/octet-stream", "MZ\x90\x00\x03\x00\x00\x00\x04\x00"},
			"asset_id", cnc, "kind", "invoice")
		require.Equal(t, "file", r.errParam(), "the type is sniffed from the bytes")
		r = s.upload(t, oaReq{bearer: tokA, want: 400}, &oaFile{"aging.pdf", "application/pdf", oaPDF}, "asset_id", cnc, "kind", "aging_report")
		require.Equal(t, "file", r.errParam(), "a report must be a CSV")

		r = s.upload(t, oaReq{bearer: tokA, want: 404}, invoice, "asset_id", assetB, "kind", "invoice")
		require.Equal(t, "not_found", r.errCode(), "another business's asset")
		s.upload(t, oaReq{bearer: tokA, want: 404}, invoice, "asset_id", "asset_doesnotexist", "kind", "invoice")

		r = s.do(t, oaReq{method: "POST", path: "/v1/documents/upload", bearer: tokA, want: 415, doc: docRejects,
			body: `{"asset_id":"` + cnc + `","kind":"invoice"}`})
		require.Equal(t, "unsupported_media_type", r.errCode())
		r = s.upload(t, oaReq{bearer: tokA, want: 413}, &oaFile{"big.txt", "text/plain", strings.Repeat("a", assetmint.MaxDocumentSize+1)},
			"asset_id", cnc, "kind", "other")
		require.Equal(t, "request_too_large", r.errCode())
		r = s.upload(t, oaReq{want: 401, doc: docRejects}, invoice, "asset_id", cnc, "kind", "invoice")
		require.Equal(t, "missing_token", r.errCode())

		// A request holding the key right now, as a concurrent retry that
		// encodes the form again sees it.
		held, ct := oaForm(t, invoice, "asset_id", cnc, "kind", "photo")
		oaHoldKey(t, s, oaBusinessOf(t, s, tokA), "upload-in-flight", "POST /v1/documents/upload\n"+oaFormFingerprint(t, held, ct))
		r = s.upload(t, oaReq{bearer: tokA, idemKey: "upload-in-flight", want: 409}, invoice, "asset_id", cnc, "kind", "photo")
		require.NotEqual(t, held, s.lastBody)
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + cnc, bearer: tokA, want: 200})
		require.Len(t, r.data()["documents"], 1, "no failed upload attached anything")
	})

	t.Run("amount in the asset's currency", func(t *testing.T) {
		assay := &oaFile{"assay.pdf", "application/pdf", oaPDF + "% assay\n"}
		r := s.upload(t, oaReq{bearer: tokB, want: 201}, assay, "asset_id", assetB, "kind", "assay", "amount", "250000")
		require.Equal(t, "USD", r.data()["currency"], "no currency: the asset's")
		require.Equal(t, float64(250000), r.data()["amount"])
	})

	t.Run("valued and verified", func(t *testing.T) {
		require.NoError(t, s.engine.RunPending(ctx))
		r := s.do(t, oaReq{method: "GET", path: "/v1/assets/" + cnc, bearer: tokA, want: 200})
		require.Equal(t, "verified", r.data()["status"])
		require.Len(t, r.data()["documents"], 1)
		val := r.data()["valuation"].(map[string]any)
		anchor := val["anchor"].(map[string]any)
		require.Equal(t, "invoice", anchor["source"])
		require.Equal(t, docID, anchor["document_id"])
		require.Equal(t, "2021-07-01", anchor["date"])

		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc, bearer: tokA, want: 200})
		require.Equal(t, val, r.data(), "the detail embeds the latest report")
		require.Equal(t, "valuation", r.data()["object"])
		require.NotEmpty(t, r.data()["factors"])
		s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=false", bearer: tokA, want: 200})

		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true", bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 1, "the submission's valuation was overtaken by the upload's")
		require.Equal(t, val["id"], r.body["data"].([]any)[0].(map[string]any)["id"])

		s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + assetB, bearer: tokA, want: 404})
	})

	t.Run("detach documents", func(t *testing.T) {
		r := s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, want: 200,
			body: `{"detach_documents":["` + docID + `"]}`})
		require.Equal(t, "pending_valuation", r.data()["status"])
		require.Equal(t, []any{}, r.data()["documents"])
		require.NotNil(t, r.data()["valuation"], "the previous report stays until the new one")
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, want: 400, body: `{"detach_documents":["doc_nope"]}`})
		require.Equal(t, "detach_documents", r.errParam())
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, want: 400, doc: docRejects, body: `{"detach_documents":"` + docID + `"}`})
		require.Equal(t, "detach_documents", r.errParam())

		// A detached document stays on record, and readable.
		r = s.do(t, oaReq{method: "GET", path: "/v1/documents/" + docID, bearer: tokA, want: 200})
		require.NotEmpty(t, r.data()["detached_at"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/documents/" + docID + "/content", bearer: tokA, want: 200})
		require.Equal(t, oaPDF, string(r.raw))

		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + cnc, bearer: tokA, want: 200})
		require.Equal(t, "valued", r.data()["status"], "without its invoice the asset is not verified by the policy")
		latest := r.data()["valuation"].(map[string]any)
		require.Equal(t, "declared", latest["anchor"].(map[string]any)["source"])
		require.Nil(t, latest["anchor"].(map[string]any)["document_id"])

		// Two reports now: page through them.
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&limit=1", bearer: tokA, want: 200})
		page := r.body["data"].([]any)
		require.Len(t, page, 1)
		require.Equal(t, latest["id"], page[0].(map[string]any)["id"], "newest first")
		require.Equal(t, true, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&limit=1&starting_after=" + latest["id"].(string), bearer: tokA, want: 200})
		older := r.body["data"].([]any)[0].(map[string]any)
		require.Equal(t, "invoice", older["anchor"].(map[string]any)["source"])
		require.Equal(t, false, r.body["meta"].(map[string]any)["has_more"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&ending_before=" + older["id"].(string), bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 1)
	})

	t.Run("valuation query errors", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?limit=1", bearer: tokA, want: 400, doc: docEither})
		require.Equal(t, "limit", r.errParam(), "list parameters need history=true")
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=yes", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "history", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&limit=0", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&page=2", bearer: tokA, want: 400, doc: docEither})
		require.Equal(t, "page", r.errParam())
		s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&starting_after=val_a&ending_before=val_b", bearer: tokA, want: 400, doc: docEither})
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&starting_after=val_nope", bearer: tokA, want: 400})
		require.Equal(t, "starting_after", r.errParam(), "a cursor that names none of the asset's reports")
		s.do(t, oaReq{method: "GET", path: "/v1/valuations/asset_doesnotexist?history=true&ending_before=val_nope", bearer: tokA, want: 404})
		r = s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc, want: 401, doc: docRejects})
		require.Equal(t, "missing_token", r.errCode())
	})

	t.Run("operator decisions", func(t *testing.T) {
		verify := func(id string) string { return "/v1/admin/assets/" + id + "/verify" }
		reject := func(id string) string { return "/v1/admin/assets/" + id + "/reject" }

		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: `{"name":"Press","type":"equipment","estimated_value":7000}`, want: 201})
		pending := r.data()["id"].(string)
		r = s.do(t, oaReq{method: "POST", path: verify(pending), bearer: oaAdminToken, want: 409})
		require.Equal(t, "conflict", r.errCode(), "a pending asset has no valuation to verify")

		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, idemKey: "verify-1", want: 200})
		require.Equal(t, "verified", r.data()["status"])
		require.Equal(t, []any{}, r.data()["documents"], "the asset's detail")
		require.Equal(t, "declared", r.data()["valuation"].(map[string]any)["anchor"].(map[string]any)["source"])
		r2 := s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, idemKey: "verify-1", want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, idemKey: "verify-1", body: `{}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		r2 = s.do(t, oaReq{method: "POST", path: verify(pending), bearer: oaAdminToken, idemKey: "verify-1", want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode(), "the same key on another asset")
		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, idemKey: strings.Repeat("k", 256), want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, body: `{}`, want: 200})
		require.Equal(t, "verified", r.data()["status"], "verifying a verified asset changes nothing")
		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, body: `{"note":"ok"}`, want: 400, doc: docRejects})
		require.Equal(t, "note", r.errParam())
		s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, body: "ok", contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: verify("asset_doesnotexist"), bearer: oaAdminToken, want: 404})
		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: tokA, want: 401})
		require.Equal(t, "invalid_token", r.errCode())
		s.do(t, oaReq{method: "POST", path: verify(cnc), body: `{}`, want: 401, doc: docRejects})
		r = s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		require.Equal(t, "request_too_large", r.errCode())

		r = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, body: `{}`, want: 400, doc: docRejects})
		require.Equal(t, "reason", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, body: `{"reason":"   "}`, want: 400, doc: docRejects})
		require.Equal(t, "reason", r.errParam())
		s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, want: 400, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: reject("asset_doesnotexist"), bearer: oaAdminToken, body: `{}`, want: 400, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: reject("asset_doesnotexist"), bearer: oaAdminToken, body: `{"reason":"x"}`, want: 404})
		s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: tokA, body: `{"reason":"x"}`, want: 401})
		big := `{"reason":"` + strings.Repeat("a", 1<<20) + `"}`
		r = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, body: big, want: 413, doc: docRejects})
		require.Equal(t, "request_too_large", r.errCode())
		s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, body: "reason=x", contentType: "application/x-www-form-urlencoded", want: 415, doc: docRejects})

		r = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Title dispute"}`, want: 200})
		require.Equal(t, "rejected", r.data()["status"])
		require.Equal(t, []any{}, r.data()["documents"], "the asset's detail")
		require.NotNil(t, r.data()["valuation"])
		r2 = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Title dispute"}`, want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"), "a retry with the key gets the first answer, not a 409")
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Other"}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		r = s.do(t, oaReq{method: "POST", path: reject(cnc), bearer: oaAdminToken, body: `{"reason":"Again"}`, want: 409})
		require.Equal(t, "conflict", r.errCode())
		s.do(t, oaReq{method: "POST", path: verify(cnc), bearer: oaAdminToken, want: 409})

		// An operator's request holding its key right now.
		held := `{"reason":"Duplicate"}`
		oaHoldKey(t, s, oaOperatorScope, "reject-in-flight", "POST "+reject(pending)+"\n"+held)
		r = s.do(t, oaReq{method: "POST", path: reject(pending), bearer: oaAdminToken, idemKey: "reject-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		// The operator acts on any business's asset.
		r = s.do(t, oaReq{method: "POST", path: reject(assetB), bearer: oaAdminToken, body: `{"reason":"Assay missing"}`, want: 200})
		require.Equal(t, "rejected", r.data()["status"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + cnc, bearer: tokA, want: 200})
		require.Equal(t, "rejected", r.data()["status"])
	})

	t.Run("rejected is frozen", func(t *testing.T) {
		history := func() int {
			r := s.do(t, oaReq{method: "GET", path: "/v1/valuations/" + cnc + "?history=true&limit=100", bearer: tokA, want: 200})
			return len(r.body["data"].([]any))
		}
		reports := history()
		r := s.upload(t, oaReq{bearer: tokA, want: 409}, invoice, "asset_id", cnc, "kind", "invoice")
		require.Equal(t, "conflict", r.errCode(), "no new evidence for a rejected asset")
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, body: `{"estimated_value":90000}`, want: 409})
		require.Equal(t, "conflict", r.errCode())
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, body: `{"name":"CNC X200","metadata":{"site":"York"}}`, want: 409})
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + cnc, bearer: tokA, body: `{"metadata":{"site":"York"}}`, want: 200})
		require.Equal(t, "rejected", r.data()["status"], "metadata may change, and the rejection stays")
		require.Equal(t, map[string]any{"site": "York"}, r.data()["metadata"])
		require.NoError(t, s.engine.RunPending(ctx))
		require.Equal(t, reports, history(), "no new valuation")
	})

	t.Run("on chain", func(t *testing.T) {
		// No route tokenizes yet: put an asset on chain in the store.
		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`, want: 201})
		id := r.data()["id"].(string)
		a, err := s.db.Asset(ctx, oaBusinessOf(t, s, tokA), id)
		require.NoError(t, err)
		a.Status = assetmint.AssetTokenized
		require.NoError(t, s.db.UpdateAsset(ctx, a))

		r = s.upload(t, oaReq{bearer: tokA, want: 409}, invoice, "asset_id", id, "kind", "invoice")
		require.Equal(t, "conflict", r.errCode())
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + id, bearer: tokA, body: `{"name":"Big lathe"}`, want: 409})
		require.Equal(t, "conflict", r.errCode())
		r = s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + id, bearer: tokA, body: `{"metadata":{"site":"Leeds"}}`, want: 200})
		require.Equal(t, "tokenized", r.data()["status"], "metadata may change on chain")
		s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/" + id + "/reject", bearer: oaAdminToken, body: `{"reason":"x"}`, want: 409})
		s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/" + id + "/verify", bearer: oaAdminToken, want: 409})
	})

	t.Run("tokens", func(t *testing.T) {
		items := func(r oaResp) []any { return r.body["data"].([]any) }
		hasMore := func(r oaResp) any { return r.body["meta"].(map[string]any)["has_more"] }

		// The harness's engine has no chain: nothing is ever minted.
		r := s.do(t, oaReq{method: "GET", path: "/v1/tokens", bearer: tokA, want: 200})
		require.Equal(t, []any{}, r.body["data"])
		require.Equal(t, false, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens/tok_doesnotexist", bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?limit=0", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?limit=101", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?page=2", bearer: tokA, want: 400, doc: docEither})
		require.Equal(t, "page", r.errParam())
		s.do(t, oaReq{method: "GET", path: "/v1/tokens?starting_after=tok_a&ending_before=tok_b", bearer: tokA, want: 400, doc: docEither})
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens", want: 401, doc: docRejects})
		require.Equal(t, "missing_token", r.errCode())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens/tok_doesnotexist", bearer: "not-a-jwt", want: 401})
		require.Equal(t, "invalid_token", r.errCode())

		// Record two of business A's tokens in the store, as a mint would.
		bizA := oaBusinessOf(t, s, tokA)
		meta := `{"asset_id":"` + cnc + `","name":"CNC","type":"equipment","description":"","currency":"USD","valuation_id":"val_x",` +
			`"value":"85000.00","max_loan":"42500.00","risk_grade":"B","valued_at":"2026-03-31T14:00:00Z","documents":[]}`
		sum := sha256.Sum256([]byte(meta))
		uri := "data:application/json;base64," + base64.StdEncoding.EncodeToString([]byte(meta))
		created := time.Date(2026, 3, 31, 14, 5, 0, 0, time.UTC)
		older := &assetmint.Token{ID: "tok_0000000000000000000001", BusinessID: bizA, AssetID: cnc, ChainID: "31337",
			Contract: "0x52908400098527886E0F7030069857D2E4169EE7", TokenNumber: strings.Repeat("9", 78),
			OwnerAddress: "0x8617E340B3D01FA5F11F306F4090FD50E238070D", TxHash: "0x" + strings.Repeat("ab", 32),
			BlockNumber: 1 << 40, Status: assetmint.TokenMinted, MetadataHash: "0x" + hex.EncodeToString(sum[:]),
			TokenURI: uri, CreatedAt: created, UpdatedAt: created}
		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`, want: 201})
		newer := *older
		newer.ID, newer.AssetID, newer.TokenNumber, newer.Status = "tok_0000000000000000000002", r.data()["id"].(string), "7", assetmint.TokenLocked
		newer.CreatedAt = created.Add(time.Minute)
		for _, tok := range []*assetmint.Token{older, &newer} {
			require.NoError(t, s.db.CreateToken(ctx, tok))
		}

		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens/" + older.ID, bearer: tokA, want: 200})
		require.Equal(t, map[string]any{
			"id": older.ID, "object": "token", "asset_id": cnc, "chain_id": "31337",
			"token_address": older.Contract, "token_number": older.TokenNumber, "owner_address": older.OwnerAddress,
			"tx_hash": older.TxHash, "block_number": float64(1 << 40), "status": "minted", "locked": false,
			"metadata_hash": older.MetadataHash, "token_uri": uri, "created_at": "2026-03-31T14:05:00Z",
		}, r.data())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens/" + newer.ID, bearer: tokA, want: 200})
		require.Equal(t, "locked", r.data()["status"])
		require.Equal(t, true, r.data()["locked"])

		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens", bearer: tokA, want: 200})
		require.Len(t, items(r), 2)
		require.Equal(t, newer.ID, items(r)[0].(map[string]any)["id"], "newest first")
		require.Equal(t, older.ID, items(r)[1].(map[string]any)["id"])
		require.Equal(t, false, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?limit=1", bearer: tokA, want: 200})
		require.Len(t, items(r), 1)
		require.Equal(t, newer.ID, items(r)[0].(map[string]any)["id"])
		require.Equal(t, true, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?limit=1&starting_after=" + newer.ID, bearer: tokA, want: 200})
		require.Len(t, items(r), 1)
		require.Equal(t, older.ID, items(r)[0].(map[string]any)["id"])
		require.Equal(t, false, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?ending_before=" + older.ID, bearer: tokA, want: 200})
		require.Len(t, items(r), 1)
		require.Equal(t, newer.ID, items(r)[0].(map[string]any)["id"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?starting_after=tok_nope", bearer: tokA, want: 400})
		require.Equal(t, "starting_after", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens?ending_before=" + older.ID, bearer: tokB, want: 400})
		require.Equal(t, "ending_before", r.errParam(), "another business's token is no cursor")

		// Another business sees none of them.
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens/" + older.ID, bearer: tokB, want: 404})
		require.Equal(t, "not_found", r.errCode())
		r = s.do(t, oaReq{method: "GET", path: "/v1/tokens", bearer: tokB, want: 200})
		require.Equal(t, []any{}, r.body["data"])

		// token.minted, as a mint emits it, matches the webhooks section.
		data, err := json.Marshal(map[string]any{
			"token_id": older.ID, "asset_id": older.AssetID, "token_address": older.Contract, "token_number": older.TokenNumber,
			"chain_id": older.ChainID, "tx_hash": older.TxHash, "owner_address": older.OwnerAddress,
		})
		require.NoError(t, err)
		require.NoError(t, s.db.AppendEvent(ctx, &assetmint.Event{ID: "evt_0000000000000000000001", BusinessID: bizA,
			Type: assetmint.EventTokenMinted, Data: data, CreatedAt: created}))
		require.NotEmpty(t, oaCheckEventPayloads(t, s, bizA)[assetmint.EventTokenMinted])
	})
}

// The webhook routes: endpoints registered, listed, rotated and deleted;
// their deliveries made in the background, listed and retried. No
// delivery succeeds here: an endpoint's URL must be public to be accepted,
// and this test has no network, so every attempt fails and is retried
// until, five days on, the endpoint is disabled.
func TestOpenAPIWebhookTraffic(t *testing.T) {
	ctx := context.Background()
	s := oaSetup(t, nil)

	bizA, credsA, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	bizB, credsB, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	tokA, tokB := oaToken(t, s, credsA), oaToken(t, s, credsB)

	const hookURL = "https://hooks.example.com/assetmint"
	const hooks = "/v1/webhooks"
	hook := func(id string) string { return hooks + "/" + id }
	rotate := func(id string) string { return hook(id) + "/rotate_secret" }
	deliveries := func(id string) string { return hook(id) + "/deliveries" }
	retry := func(id, delivery string) string { return deliveries(id) + "/" + delivery + "/retry" }
	items := func(r oaResp) []map[string]any {
		var out []map[string]any
		for _, it := range r.body["data"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}
	hasMore := func(r oaResp) any { return r.body["meta"].(map[string]any)["has_more"] }
	secretForm := regexp.MustCompile(`^whsec_[A-Za-z0-9+/]{43}=$`)

	var ledger, everything, secret string // business A's endpoints
	t.Run("create", func(t *testing.T) {
		body := `{"url":"` + hookURL + `","events":["asset.valuation_complete","asset.submitted","asset.submitted"],"description":"Ledger sync"}`
		r := s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, idemKey: "hook-1", body: body, want: 201})
		ep := r.data()
		ledger, secret = ep["id"].(string), ep["secret"].(string)
		require.Regexp(t, secretForm, secret)
		require.Equal(t, hookURL, ep["url"])
		require.Equal(t, "Ledger sync", ep["description"])
		require.Equal(t, []any{"asset.submitted", "asset.valuation_complete"}, ep["events"], "sorted, without duplicates")
		require.Equal(t, "enabled", ep["status"])
		require.Nil(t, ep["last_success_at"])
		require.NotContains(t, ep, "disabled_reason")

		r2 := s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, idemKey: "hook-1", body: body, want: 201})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw), "the replay shows the same endpoint and secret")
		r2 = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, idemKey: "hook-1", body: `{"url":"` + hookURL + `"}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())

		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: `{"url":"` + hookURL + `/all"}`, want: 201})
		everything = r.data()["id"].(string)
		require.Equal(t, []any{}, r.data()["events"], "every event type")
		require.Equal(t, "", r.data()["description"])
		require.Regexp(t, secretForm, r.data()["secret"])
		require.NotEqual(t, secret, r.data()["secret"])
		s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: `{"url":"` + hookURL + `/all","events":[]}`, want: 201})
		r = s.do(t, oaReq{method: "GET", path: hooks, bearer: tokA, want: 200})
		require.Equal(t, everything, items(r)[1]["id"])
		s.do(t, oaReq{method: "DELETE", path: hook(items(r)[0]["id"].(string)), bearer: tokA, want: 200})
	})

	var boltHook string // business B's
	t.Run("create errors", func(t *testing.T) {
		for _, c := range []struct {
			body, param string
			doc         oaDocSays
		}{
			{`{}`, "url", docRejects},
			{`{"url":""}`, "url", docRejects},
			{`{"url":"ftp://hooks.example.com/assetmint"}`, "url", docRejects},
			{`{"url":"hooks.example.com/assetmint"}`, "url", docRejects},
			{`{"url":"https://user:secret@hooks.example.com/assetmint"}`, "url", docAccepts},
			{`{"url":"https://hooks.example.com/assetmint#top"}`, "url", docAccepts},
			{`{"url":"https://hooks.example.com:0/assetmint"}`, "url", docAccepts},
			{`{"url":"https://2130706433/assetmint"}`, "url", docAccepts},
			{`{"url":"http://127.0.0.1:3000/webhooks/assetmint"}`, "url", docAccepts},
			{`{"url":"http://localhost:3000/webhooks/assetmint"}`, "url", docAccepts},
			{`{"url":"http://10.1.2.3/hook"}`, "url", docAccepts},
			{`{"url":"http://169.254.169.254/latest/meta-data/"}`, "url", docAccepts},
			{`{"url":"http://[::1]/hook"}`, "url", docAccepts},
			{`{"url":"` + hookURL + `/` + strings.Repeat("a", 2048) + `"}`, "url", docRejects},
			{`{"url":"` + hookURL + `","events":["asset.exploded"]}`, "events", docRejects},
			{`{"url":"` + hookURL + `","events":"asset.submitted"}`, "events", docRejects},
			{`{"url":"` + hookURL + `","events":null}`, "events", docRejects},
			{`{"url":"` + hookURL + `","description":"` + strings.Repeat("d", 501) + `"}`, "description", docRejects},
			{`{"url":"` + hookURL + `","description":null}`, "description", docRejects},
			{`{"url":"` + hookURL + `","secret":"whsec_mine"}`, "secret", docRejects},
			{`{"url":"` + hookURL + `","status":"disabled"}`, "status", docRejects},
		} {
			r := s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: c.body, want: 400, doc: c.doc})
			require.Equal(t, c.param, r.errParam(), c.body)
		}
		r := s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: `{"url":"http://127.0.0.1/hook"}`, want: 400})
		require.Contains(t, r.body["error"].(map[string]any)["message"], "private", "the message says why")
		s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: "url=" + hookURL, contentType: "application/x-www-form-urlencoded", want: 415, doc: docRejects})
		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: `{"url":"` + hookURL + `","description":"` + strings.Repeat("d", 1<<20) + `"}`, want: 413, doc: docRejects})
		require.Equal(t, "request_too_large", r.errCode())
		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, body: `{"url":"` + hookURL + `"}`, idemKey: strings.Repeat("k", 256), want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: hooks, body: `{"url":"` + hookURL + `"}`, want: 401, doc: docRejects})
		require.Equal(t, "missing_token", r.errCode())

		held := `{"url":"` + hookURL + `/held"}`
		oaHoldKey(t, s, bizA.ID, "hook-in-flight", "POST /v1/webhooks\n"+held)
		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokA, idemKey: "hook-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		// At most 20 endpoints a business; deleted ones do not count.
		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokB, body: `{"url":"` + hookURL + `/bolt"}`, want: 201})
		boltHook = r.data()["id"].(string)
		var last string
		for range 19 {
			ep, err := s.engine.CreateWebhookEndpoint(ctx, bizB.ID, assetmint.NewWebhookEndpoint{URL: hookURL + "/bolt"})
			require.NoError(t, err)
			last = ep.ID
		}
		r = s.do(t, oaReq{method: "POST", path: hooks, bearer: tokB, body: `{"url":"` + hookURL + `/bolt"}`, want: 409})
		require.Equal(t, "conflict", r.errCode())
		s.do(t, oaReq{method: "DELETE", path: hook(last), bearer: tokB, want: 200})
		s.do(t, oaReq{method: "POST", path: hooks, bearer: tokB, body: `{"url":"` + hookURL + `/bolt"}`, want: 201})
	})

	t.Run("list", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: hooks, bearer: tokA, want: 200})
		eps := items(r)
		require.Len(t, eps, 2)
		require.Equal(t, everything, eps[0]["id"], "newest first")
		require.Equal(t, ledger, eps[1]["id"])
		require.Equal(t, false, hasMore(r))
		for _, ep := range eps {
			require.NotContains(t, ep, "secret", "never listed")
		}
		r = s.do(t, oaReq{method: "GET", path: hooks + "?limit=1", bearer: tokA, want: 200})
		require.Len(t, items(r), 1)
		require.Equal(t, true, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: hooks + "?starting_after=" + everything, bearer: tokA, want: 200})
		require.Equal(t, ledger, items(r)[0]["id"])
		require.Equal(t, false, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: hooks + "?ending_before=" + ledger, bearer: tokA, want: 200})
		require.Equal(t, everything, items(r)[0]["id"])

		r = s.do(t, oaReq{method: "GET", path: hooks + "?limit=100", bearer: tokB, want: 200})
		require.Len(t, items(r), 20, "only business B's")
		require.NotContains(t, r.raw, ledger)

		r = s.do(t, oaReq{method: "GET", path: hooks + "?limit=0", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: hooks + "?page=2", bearer: tokA, want: 400, doc: docEither})
		require.Equal(t, "page", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: hooks + "?starting_after=wh_nope", bearer: tokA, want: 400})
		require.Equal(t, "starting_after", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: hooks + "?ending_before=" + boltHook, bearer: tokA, want: 400})
		require.Equal(t, "ending_before", r.errParam(), "another business's endpoint is no cursor")
		s.do(t, oaReq{method: "GET", path: hooks, bearer: "not-a-jwt", want: 401})
	})

	var submitted, valued string // ledger's deliveries
	var press string             // the asset whose events they carry
	t.Run("deliveries", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
		require.Empty(t, items(r), "no event yet")

		r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, body: `{"name":"Press","type":"equipment","estimated_value":7000}`, want: 201})
		press = r.data()["id"].(string)
		require.NoError(t, s.engine.RunPending(ctx)) // valued, fanned out, first attempts made

		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
		ds := items(r)
		require.Len(t, ds, 2, "the two event types ledger takes")
		// The two fan-outs run side by side: the deliveries are listed in
		// the order they were recorded, newest first, whichever that was.
		require.Greater(t, ds[0]["id"].(string), ds[1]["id"].(string), "newest first")
		for _, d := range ds {
			switch d["event_type"] {
			case "asset.valuation_complete":
				valued = d["id"].(string)
			case "asset.submitted":
				submitted = d["id"].(string)
			}
		}
		require.NotEmpty(t, valued)
		require.NotEmpty(t, submitted)
		for _, d := range ds {
			require.Equal(t, ledger, d["webhook_id"])
			require.Regexp(t, "^evt_", d["event_id"])
			require.Equal(t, "pending", d["status"], "the first attempt failed; a retry is due")
			require.Equal(t, float64(1), d["attempts"])
			require.NotNil(t, d["next_attempt_at"])
			require.Nil(t, d["delivered_at"])
			require.True(t, d["last_error"] != nil || d["last_status_code"] != nil, "the failed attempt says why")
		}
		r = s.do(t, oaReq{method: "GET", path: deliveries(everything), bearer: tokA, want: 200})
		require.GreaterOrEqual(t, len(items(r)), 2, "every event type")

		newest, older := ds[0]["id"].(string), ds[1]["id"].(string)
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?limit=1", bearer: tokA, want: 200})
		require.Equal(t, newest, items(r)[0]["id"])
		require.Equal(t, true, hasMore(r))
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?starting_after=" + newest, bearer: tokA, want: 200})
		require.Equal(t, older, items(r)[0]["id"])
		require.Equal(t, false, hasMore(r))

		r = s.do(t, oaReq{method: "GET", path: deliveries(boltHook), bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode(), "another business's endpoint")
		s.do(t, oaReq{method: "GET", path: deliveries("wh_doesnotexist"), bearer: tokA, want: 404})
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?limit=101", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "limit", r.errParam())
		s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?since=today", bearer: tokA, want: 400, doc: docEither})
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?starting_after=dlv_nope", bearer: tokA, want: 400})
		require.Equal(t, "starting_after", r.errParam())
		everythings := items(s.do(t, oaReq{method: "GET", path: deliveries(everything), bearer: tokA, want: 200}))
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger) + "?ending_before=" + everythings[0]["id"].(string), bearer: tokA, want: 400})
		require.Equal(t, "ending_before", r.errParam(), "another endpoint's delivery is no cursor")
		s.do(t, oaReq{method: "GET", path: deliveries(ledger), want: 401, doc: docRejects})
	})

	t.Run("retry", func(t *testing.T) {
		// A pending delivery has its next attempt scheduled already: a
		// retry would send it twice.
		r := s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, want: 409})
		require.Equal(t, "conflict", r.errCode(), "a pending delivery")
		require.Contains(t, r.body["error"].(map[string]any)["message"], "already scheduled")
		r = s.do(t, oaReq{method: "POST", path: retry(ledger, valued), bearer: tokA, body: `{}`, want: 409})
		require.Equal(t, "conflict", r.errCode())
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
		for _, d := range items(r) {
			require.Equal(t, "pending", d["status"], "left as it was")
			require.Equal(t, float64(1), d["attempts"])
		}

		// Fail both, as running out of attempts would; their scheduled
		// attempts come due and find nothing to do.
		for _, id := range []string{submitted, valued} {
			d, err := s.db.WebhookDelivery(ctx, bizA.ID, id)
			require.NoError(t, err)
			d.Status, d.NextAttemptAt = assetmint.DeliveryFailed, time.Time{}
			require.NoError(t, s.db.UpdateWebhookDelivery(ctx, d))
		}
		s.clock.Advance(time.Minute)
		require.NoError(t, s.engine.RunPending(ctx))
		failed := func(t *testing.T) {
			t.Helper()
			r := s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
			for _, d := range items(r) {
				require.Equal(t, "failed", d["status"])
				require.Equal(t, float64(1), d["attempts"])
				require.Nil(t, d["next_attempt_at"])
			}
		}
		failed(t)

		// A malformed retry of a retryable delivery does nothing.
		r = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, body: `{"force":true}`, want: 400, doc: docRejects})
		require.Equal(t, "force", r.errParam())
		s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, body: "now", contentType: "text/plain", want: 415, doc: docRejects})
		r = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		require.Equal(t, "request_too_large", r.errCode())
		failed(t)

		r = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, want: 202})
		d := r.data()
		require.Equal(t, submitted, d["id"])
		require.Equal(t, "pending", d["status"])
		require.Equal(t, float64(0), d["attempts"], "a fresh set of attempts")
		require.NotNil(t, d["next_attempt_at"])
		r = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, want: 409})
		require.Equal(t, "conflict", r.errCode(), "retried already: pending again")
		// With a key, a retried retry is answered from the first one and
		// schedules nothing more.
		r = s.do(t, oaReq{method: "POST", path: retry(ledger, valued), bearer: tokA, body: `{}`, idemKey: "retry-valued", want: 202})
		r2 := s.do(t, oaReq{method: "POST", path: retry(ledger, valued), bearer: tokA, body: `{}`, idemKey: "retry-valued", want: 202})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, body: `{}`, idemKey: "retry-valued", want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode(), "the same key on another delivery")

		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
		require.Len(t, items(r), 2, "no new delivery")
		for _, d := range items(r) {
			require.Equal(t, float64(1), d["attempts"], "attempted again at once, once")
			require.Equal(t, "pending", d["status"], "it failed again; a retry is due")
			require.NotNil(t, d["next_attempt_at"])
		}

		s.do(t, oaReq{method: "POST", path: retry(ledger, "dlv_doesnotexist"), bearer: tokA, want: 404})
		r = s.do(t, oaReq{method: "POST", path: retry(everything, submitted), bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode(), "a delivery of another endpoint")
		s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokB, want: 404})
		s.do(t, oaReq{method: "POST", path: retry(boltHook, submitted), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), want: 401, doc: docRejects})
	})

	t.Run("rotate the secret", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, idemKey: "rotate-1", want: 200})
		rotated := r.data()["secret"].(string)
		require.Regexp(t, secretForm, rotated)
		require.NotEqual(t, secret, rotated)
		require.Equal(t, ledger, r.data()["id"])
		require.Empty(t, r.header.Get("Idempotent-Replayed"))
		ep, err := s.engine.WebhookEndpoint(ctx, bizA.ID, ledger)
		require.NoError(t, err)
		require.Equal(t, secret, ep.PreviousSecret, "the old secret signs beside the new one")
		require.Equal(t, s.clock.Now().Add(24*time.Hour), ep.PreviousExpiresAt, "for 24 hours")

		// A retry with the key replays the new secret; rotating twice would
		// end the old secret's grace.
		r2 := s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, idemKey: "rotate-1", want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.Equal(t, rotated, r2.data()["secret"], "the same new secret")
		require.JSONEq(t, string(r.raw), string(r2.raw))
		ep, err = s.engine.WebhookEndpoint(ctx, bizA.ID, ledger)
		require.NoError(t, err)
		require.Equal(t, rotated, ep.Secret, "not rotated again")
		require.Equal(t, secret, ep.PreviousSecret, "the old secret still signs")
		r2 = s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, idemKey: "rotate-1", body: `{}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		r2 = s.do(t, oaReq{method: "POST", path: rotate(everything), bearer: tokA, idemKey: "rotate-1", want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode(), "the same key on another endpoint")
		r2 = s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, idemKey: strings.Repeat("k", 256), want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r2.errParam())
		oaHoldKey(t, s, bizA.ID, "rotate-in-flight", "POST "+rotate(ledger)+"\n")
		r2 = s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, idemKey: "rotate-in-flight", want: 409})
		require.Equal(t, "idempotency_key_in_use", r2.errCode())
		ep, err = s.engine.WebhookEndpoint(ctx, bizA.ID, ledger)
		require.NoError(t, err)
		require.Equal(t, rotated, ep.Secret, "none of these rotated")

		r = s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, body: `{}`, want: 200})
		require.NotEqual(t, rotated, r.data()["secret"])
		r = s.do(t, oaReq{method: "GET", path: hooks, bearer: tokA, want: 200})
		require.NotContains(t, r.raw, rotated, "still never listed")

		r = s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, body: `{"secret":"whsec_mine"}`, want: 400, doc: docRejects})
		require.Equal(t, "secret", r.errParam())
		s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, body: `{`, want: 400, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, body: "x", contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		s.do(t, oaReq{method: "POST", path: rotate("wh_doesnotexist"), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "POST", path: rotate(boltHook), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "POST", path: rotate(ledger), want: 401, doc: docRejects})
	})

	t.Run("disabled after five days of failure", func(t *testing.T) {
		s.clock.Advance(5*24*time.Hour + time.Hour)
		require.NoError(t, s.engine.RunPending(ctx)) // the retries due by now fail again
		tokA = oaToken(t, s, credsA)                 // the old token expired meanwhile

		r := s.do(t, oaReq{method: "GET", path: hooks, bearer: tokA, want: 200})
		for _, ep := range items(r) {
			require.Equal(t, "disabled", ep["status"], ep["id"])
			require.NotEmpty(t, ep["disabled_reason"])
		}
		r = s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 200})
		for _, d := range items(r) {
			require.Equal(t, "failed", d["status"])
			require.Nil(t, d["next_attempt_at"])
		}
		events, err := s.engine.Events(ctx, bizA.ID, assetmint.ListParams{Limit: 100})
		require.NoError(t, err)
		disabled := map[string]int{} // webhook_id: events
		for _, e := range events.Items {
			if e.Type == "webhook_endpoint.disabled" {
				var data struct {
					WebhookID string `json:"webhook_id"`
				}
				require.NoError(t, json.Unmarshal(e.Data, &data))
				disabled[data.WebhookID]++
			}
		}
		require.Equal(t, map[string]int{ledger: 1, everything: 1}, disabled,
			"the business is told, once an endpoint, however many of its deliveries failed")

		r = s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, want: 409})
		require.Equal(t, "conflict", r.errCode(), "nothing is sent to a disabled endpoint")
		s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, want: 200})
	})

	t.Run("delete", func(t *testing.T) {
		r := s.do(t, oaReq{method: "DELETE", path: hook(ledger), bearer: tokA, want: 200})
		require.Equal(t, map[string]any{"id": ledger, "object": "webhook_endpoint", "deleted": true}, r.data())
		r = s.do(t, oaReq{method: "DELETE", path: hook(ledger), bearer: tokA, want: 404})
		require.Equal(t, "not_found", r.errCode(), "deleting again")
		s.do(t, oaReq{method: "GET", path: deliveries(ledger), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "POST", path: rotate(ledger), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "POST", path: retry(ledger, submitted), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "DELETE", path: hook(boltHook), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "DELETE", path: hook("wh_doesnotexist"), bearer: tokA, want: 404})
		s.do(t, oaReq{method: "DELETE", path: hook(everything), want: 401, doc: docRejects})

		r = s.do(t, oaReq{method: "GET", path: hooks, bearer: tokA, want: 200})
		require.Len(t, items(r), 1)
		require.Equal(t, everything, items(r)[0]["id"])
		tokB = oaToken(t, s, credsB)
		s.do(t, oaReq{method: "GET", path: hook(boltHook) + "/deliveries", bearer: tokB, want: 200})
	})

	t.Run("event payloads", func(t *testing.T) {
		// Every event type the engine emits so far, for business A.
		s.upload(t, oaReq{bearer: tokA, want: 201}, &oaFile{"invoice.pdf", "application/pdf", oaPDF},
			"asset_id", press, "kind", "invoice", "amount", "7200", "currency", "USD", "date", "2024-02-01")
		require.NoError(t, s.engine.RunPending(ctx))
		s.do(t, oaReq{method: "PATCH", path: "/v1/assets/" + press, bearer: tokA, body: `{"metadata":{"site":"Leeds"}}`, want: 200})
		require.NoError(t, s.engine.RunPending(ctx))
		s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/" + press + "/verify", bearer: oaAdminToken, want: 200})
		s.do(t, oaReq{method: "POST", path: "/v1/admin/assets/" + press + "/reject", bearer: oaAdminToken, body: `{"reason":"Title dispute"}`, want: 200})

		seen := oaCheckEventPayloads(t, s, bizA.ID)
		for _, typ := range []string{"asset.submitted", "asset.updated", "document.uploaded", "asset.valuation_complete",
			"asset.verified", "asset.rejected", "webhook_endpoint.disabled"} {
			require.NotEmpty(t, seen[typ], typ)
		}
	})
}

// oaCheckEventPayloads checks what AssetMint sends for each of a
// business's events — the body and the headers of an attempt, signed with
// two secrets as during a rotation — against the document's webhooks
// section, and returns the events' data by event type, newest first.
func oaCheckEventPayloads(t *testing.T, s *oaSuite, businessID string) map[string][]map[string]any {
	t.Helper()
	events, err := s.engine.Events(context.Background(), businessID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.False(t, events.HasMore, "more events than one page: check them all")
	var secrets []string
	for range 2 {
		secret, err := webhooks.NewSecret(crand.Reader)
		require.NoError(t, err)
		secrets = append(secrets, secret)
	}
	// As openapi3filter checks the traffic of an OpenAPI 3.1 document: with
	// JSON Schema 2020-12, which honours const.
	as31 := openapi3.EnableJSONSchema2020()
	seen := map[string][]map[string]any{}
	for _, e := range events.Items {
		body, err := webhooks.Event{ID: e.ID, Type: e.Type, CreatedAt: e.CreatedAt, APIVersion: "v1", Data: e.Data}.Marshal()
		require.NoError(t, err)
		item, ok := s.doc.Webhooks[e.Type]
		require.True(t, ok, "%s: not in the webhooks section", e.Type)
		schema := item.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
		var v any
		require.NoError(t, json.Unmarshal(body, &v))
		require.NoError(t, schema.VisitJSON(v, as31), "%s: %s", e.Type, body)
		require.Empty(t, oaUndocumented(schema, v, ""), "%s: members the document does not name", e.Type)

		h, err := webhooks.Sign(e.ID, e.Type, body, secrets, s.clock.Now())
		require.NoError(t, err)
		for _, ref := range item.Post.Parameters {
			p := ref.Value
			val := h.Get(p.Name)
			if val == "" {
				require.False(t, p.Required, "%s: %s is not sent", e.Type, p.Name)
				continue
			}
			var hv any = val
			if p.Schema.Value.Type.Is("integer") {
				n, err := strconv.ParseInt(val, 10, 64)
				require.NoError(t, err, p.Name)
				hv = float64(n)
			}
			require.NoError(t, p.Schema.Value.VisitJSON(hv, as31), "%s: %s: %s", e.Type, p.Name, val)
		}
		seen[e.Type] = append(seen[e.Type], v.(map[string]any)["data"].(map[string]any))
	}
	return seen
}

// oaAmount is a money member of an answer as a request writes it.
func oaAmount(t *testing.T, v any) string {
	t.Helper()
	f, ok := v.(float64)
	require.True(t, ok, "%v is not a number", v)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// The loan routes, over an engine with a chain whose policy refers every
// loan to the operator: requested, approved, funded, repaid or defaulted,
// rejected by the policy or the operator, and every refusal on the way;
// then every lending event they emitted, against the webhooks section.
func TestOpenAPILoanTraffic(t *testing.T) {
	ctx := context.Background()
	b, _ := lendingSetup(t, assetmint.LendingConfig{ManualApproval: true}, oaConfig(nil))
	s := oaSuiteOver(t, b)

	bizA, credsA, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	_, credsB, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	tokA, tokB := oaToken(t, s, credsA), oaToken(t, s, credsB)

	tokenized := func(serial string) string {
		r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 201,
			body: `{"name":"CNC Milling Machine — Model X200","type":"equipment","estimated_value":85000}`})
		id := r.data()["id"].(string)
		s.upload(t, oaReq{bearer: tokA, want: 201}, &oaFile{"invoice.pdf", "application/pdf", oaPDF + serial},
			"asset_id", id, "kind", "invoice", "amount", "150000", "currency", "USD", "date", "2021-07-01", "serial", serial)
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + id, bearer: tokA, want: 200})
		require.Equal(t, "tokenized", r.data()["status"])
		return id
	}
	a1, a2 := tokenized("X200-0001"), tokenized("X200-0002")
	r := s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokA, want: 201, body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`})
	notOnChain := r.data()["id"].(string)
	r = s.do(t, oaReq{method: "POST", path: "/v1/assets", bearer: tokB, want: 201, body: `{"name":"Gold bars","type":"commodity","estimated_value":250000}`})
	assetB := r.data()["id"].(string)

	loanBody := func(asset string) string {
		return `{"asset_id":"` + asset + `","amount":20000,"term_months":12,"purpose":"working capital"}`
	}
	var first, second string
	t.Run("request", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, body: loanBody(a1), idemKey: "loan-1", want: 201})
		first = r.data()["id"].(string)
		require.Equal(t, "submitted", r.data()["status"])
		require.Equal(t, []any{}, r.data()["schedule"])
		require.Nil(t, r.data()["annual_rate"])
		require.Nil(t, r.data()["next_due"])
		r2 := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, body: loanBody(a1), idemKey: "loan-1", want: 201})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, body: loanBody(a2), idemKey: "loan-1", want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())

		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 409, body: loanBody(a1)})
		require.Equal(t, "conflict", r.errCode(), "a loan in flight holds the asset")
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 409, body: loanBody(notOnChain)})
		require.Equal(t, "conflict", r.errCode(), "not on chain")
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 404, body: loanBody(assetB)})
		require.Equal(t, "asset_id", r.errParam(), "another business's asset")
		oaHoldKey(t, s, bizA.ID, "loan-in-flight", "POST /v1/loans\n"+loanBody(a2))
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, idemKey: "loan-in-flight", body: loanBody(a2), want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		tokenID := s.do(t, oaReq{method: "GET", path: "/v1/tokens", bearer: tokA, want: 200}).body["data"].([]any)[0].(map[string]any)["id"].(string)
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 201,
			body: `{"token_id":"` + tokenID + `","amount":"15000.50","term_months":24,"amortization":"balloon","balloon_amount":5000,"day_count":"ACT/365F"}`})
		second = r.data()["id"].(string)
		require.Equal(t, 5000.0, r.data()["balloon_amount"])
	})

	t.Run("request errors", func(t *testing.T) {
		valid := `"asset_id":"` + a2 + `","amount":20000,"term_months":12`
		for _, c := range []struct {
			body, param string
			doc         oaDocSays
		}{
			{`{` + valid + `,"colour":"red"}`, "colour", docRejects},
			{`{` + valid + `,"annual_rate":0.01}`, "annual_rate", docRejects},
			{`{` + valid + `,"status":"approved"}`, "status", docRejects},
			{`{"asset_id":"` + a2 + `","term_months":12}`, "amount", docRejects},
			{`{"asset_id":"` + a2 + `","amount":"lots","term_months":12}`, "amount", docRejects},
			{`{"asset_id":"` + a2 + `","amount":10.001,"term_months":12}`, "amount", docRejects},
			{`{"asset_id":"` + a2 + `","amount":"10.001","term_months":12}`, "amount", docRejects},
			{`{"asset_id":"` + a2 + `","amount":1000000000000.01,"term_months":12}`, "amount", docRejects},
			{`{` + valid + `,"amortization":"balloon","balloon_amount":"-5"}`, "balloon_amount", docRejects},
			{`{"asset_id":"` + a2 + `","amount":20000}`, "term_months", docRejects},
			{`{"asset_id":"` + a2 + `","amount":20000,"term_months":12.5}`, "term_months", docRejects},
			{`{"asset_id":"` + a2 + `","amount":20000,"term_months":481}`, "term_months", docRejects},
			{`{` + valid + `,"amortization":"bullet"}`, "amortization", docRejects},
			{`{` + valid + `,"day_count":"ACT/364"}`, "day_count", docRejects},
			{`{` + valid + `,"amortization":"balloon"}`, "balloon_amount", docEither},
			{`{"amount":20000,"term_months":12}`, "asset_id", docRejects},
			{`{`, "", docRejects},
		} {
			r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, body: c.body, doc: c.doc, want: 400})
			require.Equal(t, c.param, r.errParam(), c.body)
		}
		s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, body: "amount=1", contentType: "application/x-www-form-urlencoded", want: 415, doc: docRejects})
		r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 413, doc: docRejects,
			body: `{` + valid + `,"purpose":"` + strings.Repeat("a", 1<<20) + `"}`})
		require.Equal(t, "request_too_large", r.errCode())
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, idemKey: strings.Repeat("k", 256), body: loanBody(a2), want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: "/v1/loans", body: loanBody(a2), want: 401, doc: docRejects})
		require.Equal(t, "missing_token", r.errCode())
	})

	t.Run("read", func(t *testing.T) {
		r := s.do(t, oaReq{method: "GET", path: "/v1/loans", bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 2)
		s.do(t, oaReq{method: "GET", path: "/v1/loans?status=submitted&limit=1", bearer: tokA, want: 200})
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?status=funded", bearer: tokA, want: 200})
		require.Equal(t, []any{}, r.body["data"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?starting_after=" + second, bearer: tokA, want: 200})
		require.Len(t, r.body["data"], 1)
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?status=paid", bearer: tokA, want: 400, doc: docRejects})
		require.Equal(t, "status", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?status=funded&starting_after=" + second, bearer: tokA, want: 200})
		require.Equal(t, []any{}, r.body["data"], "a loan outside the filter is still a cursor")
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?starting_after=loan_nope", bearer: tokA, want: 400})
		require.Equal(t, "starting_after", r.errParam())
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans?ending_before=" + second, bearer: tokB, want: 400})
		require.Equal(t, "ending_before", r.errParam(), "another business's loan is no cursor")
		s.do(t, oaReq{method: "GET", path: "/v1/loans?limit=0", bearer: tokA, want: 400, doc: docRejects})
		s.do(t, oaReq{method: "GET", path: "/v1/loans?page=2", bearer: tokA, want: 400, doc: docEither})
		s.do(t, oaReq{method: "GET", path: "/v1/loans", want: 401, doc: docRejects})

		s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, bearer: tokA, want: 200})
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, bearer: tokB, want: 404})
		require.Equal(t, "not_found", r.errCode())
		s.do(t, oaReq{method: "GET", path: "/v1/loans/loan_doesnotexist", bearer: tokA, want: 404})
		s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, want: 401, doc: docRejects})
	})

	admin := func(id, action string) string { return "/v1/admin/loans/" + id + "/" + action }
	t.Run("approve and fund", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, want: 409})
		require.Equal(t, "conflict", r.errCode(), "not underwritten yet")
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, bearer: tokA, want: 200})
		require.Equal(t, "referred", r.data()["status"])

		// The operator finds the referred loans of every business.
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans?status=referred&limit=100", bearer: oaAdminToken, want: 200})
		var referred []string
		for _, it := range r.body["data"].([]any) {
			l := it.(map[string]any)
			require.Equal(t, "referred", l["status"])
			require.NotEmpty(t, l["business_id"])
			referred = append(referred, l["id"].(string))
		}
		require.Contains(t, referred, first)
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans?status=late", bearer: oaAdminToken, want: 400, doc: docRejects})
		require.Equal(t, "status", r.errParam())
		s.do(t, oaReq{method: "GET", path: "/v1/admin/loans?page=2", bearer: oaAdminToken, want: 400, doc: docEither})
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans?status=funded&ending_before=" + first, bearer: oaAdminToken, want: 200})
		require.NotContains(t, r.raw, first, "any business's loan is a cursor, in the filter or not")
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans?starting_after=loan_nope", bearer: oaAdminToken, want: 400})
		require.Equal(t, "starting_after", r.errParam())
		s.do(t, oaReq{method: "GET", path: "/v1/admin/loans", bearer: tokA, want: 401})
		s.do(t, oaReq{method: "GET", path: "/v1/admin/loans", want: 401, doc: docRejects})
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/" + first, bearer: oaAdminToken, want: 200})
		require.Equal(t, first, r.data()["id"])
		require.NotEmpty(t, r.data()["business_id"])
		require.NotNil(t, r.data()["schedule"])
		s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/loan_doesnotexist", bearer: oaAdminToken, want: 404})
		s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/" + first, bearer: tokA, want: 401})

		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, idemKey: "approve-1", body: `{"annual_rate":0.09}`, want: 200})
		require.Equal(t, "approved", r.data()["status"])
		require.Equal(t, 0.09, r.data()["annual_rate"])
		r2 := s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, idemKey: "approve-1", body: `{"annual_rate":0.09}`, want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, idemKey: "approve-1", body: `{"annual_rate":0.1}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, want: 200})
		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: `{"annual_rate":"0.1"}`, want: 409})
		require.Equal(t, "conflict", r.errCode(), "approved at another rate")
		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: `{"annual_rate":1.5}`, want: 400, doc: docRejects})
		require.Equal(t, "annual_rate", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: `{"annual_rate":0.0000001}`, want: 400, doc: docEither})
		require.Equal(t, "annual_rate", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: `{"rate":0.09}`, want: 400, doc: docRejects})
		require.Equal(t, "rate", r.errParam())
		s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: "x", contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: oaAdminToken, body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		s.do(t, oaReq{method: "POST", path: admin("loan_doesnotexist", "approve"), bearer: oaAdminToken, want: 404})
		r = s.do(t, oaReq{method: "POST", path: admin(first, "approve"), bearer: tokA, want: 401})
		require.Equal(t, "invalid_token", r.errCode())
		s.do(t, oaReq{method: "POST", path: admin(first, "approve"), want: 401, doc: docRejects})
		held := `{"annual_rate":0.08}`
		oaHoldKey(t, s, oaOperatorScope, "approve-in-flight", "POST "+admin(second, "approve")+"\n"+held)
		r = s.do(t, oaReq{method: "POST", path: admin(second, "approve"), bearer: oaAdminToken, idemKey: "approve-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		r = s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, idemKey: "fund-1", want: 200})
		require.Equal(t, "approved", r.data()["status"])
		require.NotNil(t, r.data()["funding_requested_at"])
		r2 = s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, idemKey: "fund-1", want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		r2 = s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, idemKey: "fund-1", body: `{}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		r = s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, body: `{"now":true}`, want: 400, doc: docRejects})
		require.Equal(t, "now", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: admin(second, "fund"), bearer: oaAdminToken, body: `{}`, want: 409})
		require.Equal(t, "conflict", r.errCode(), "a referred loan is not approved")
		s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, body: "x", contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, body: "{}" + strings.Repeat(" ", 1<<20), want: 413})
		s.do(t, oaReq{method: "POST", path: admin("loan_doesnotexist", "fund"), bearer: oaAdminToken, want: 404})
		s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: tokA, want: 401})
		s.do(t, oaReq{method: "POST", path: admin(first, "fund"), want: 401, doc: docRejects})

		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "POST", path: admin(first, "fund"), bearer: oaAdminToken, body: `{}`, want: 200})
		require.Equal(t, "funded", r.data()["status"])
		require.Len(t, r.data()["schedule"], 12)
		require.NotNil(t, r.data()["next_due"])
	})

	t.Run("reject", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, body: `{}`, want: 400, doc: docRejects})
		require.Equal(t, "reason", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, body: `{"reason":"  "}`, want: 400, doc: docRejects})
		require.Equal(t, "reason", r.errParam())
		s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, want: 400, doc: docRejects})
		r = s.do(t, oaReq{method: "POST", path: admin(first, "reject"), bearer: oaAdminToken, body: `{"reason":"Too late"}`, want: 409})
		require.Equal(t, "conflict", r.errCode(), "a funded loan")
		s.do(t, oaReq{method: "POST", path: admin("loan_doesnotexist", "reject"), bearer: oaAdminToken, body: `{"reason":"x"}`, want: 404})
		s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: tokA, body: `{"reason":"x"}`, want: 401})
		s.do(t, oaReq{method: "POST", path: admin(second, "reject"), body: `{"reason":"x"}`, want: 401, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, body: "reason=x", contentType: "application/x-www-form-urlencoded", want: 415, doc: docRejects})
		r = s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, want: 413, doc: docRejects,
			body: `{"reason":"` + strings.Repeat("a", 1<<20) + `"}`})
		require.Equal(t, "request_too_large", r.errCode())

		r = s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Concentration limit"}`, want: 200})
		require.Equal(t, "rejected", r.data()["status"])
		require.Equal(t, "Concentration limit", r.data()["rejection_reason"])
		r2 := s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Concentration limit"}`, want: 200})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		r2 = s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, idemKey: "reject-1", body: `{"reason":"Other"}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())
		s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, body: `{"reason":"Again"}`, want: 409})
		held := `{"reason":"Duplicate"}`
		oaHoldKey(t, s, oaOperatorScope, "reject-loan-in-flight", "POST "+admin(second, "reject")+"\n"+held)
		r = s.do(t, oaReq{method: "POST", path: admin(second, "reject"), bearer: oaAdminToken, idemKey: "reject-loan-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())
		held = `{}`
		oaHoldKey(t, s, oaOperatorScope, "fund-in-flight", "POST "+admin(second, "fund")+"\n"+held)
		r = s.do(t, oaReq{method: "POST", path: admin(second, "fund"), bearer: oaAdminToken, idemKey: "fund-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())
	})

	t.Run("repayments", func(t *testing.T) {
		repay := admin(first, "repayments")
		r := s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-1", body: `{"amount":500}`, want: 201})
		rep := r.data()
		require.Equal(t, "rail-1", rep["reference"])
		require.Equal(t, 500.0, rep["amount"])
		r2 := s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-1", body: `{"amount":500}`, want: 201})
		require.Equal(t, "true", r2.header.Get("Idempotent-Replayed"))
		require.JSONEq(t, string(r.raw), string(r2.raw))
		r2 = s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-1", body: `{"amount":600}`, want: 422})
		require.Equal(t, "idempotency_key_reused", r2.errCode())

		r = s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, body: `{"amount":500}`, want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam(), "repayments must carry a key")
		for _, c := range []struct {
			body, param string
			doc         oaDocSays
		}{
			{`{}`, "amount", docRejects},
			{`{"amount":"lots"}`, "amount", docRejects},
			{`{"amount":0}`, "amount", docRejects},
			{`{"amount":"0.00"}`, "amount", docRejects},
			{`{"amount":"-5"}`, "amount", docRejects},
			{`{"amount":1,"received_at":"yesterday"}`, "received_at", docRejects},
			{`{"amount":1,"received_at":"2999-01-01T00:00:00Z"}`, "received_at", docEither},
			{`{"amount":1,"fees":1}`, "fees", docRejects},
		} {
			r = s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "bad", body: c.body, doc: c.doc, want: 400})
			require.Equal(t, c.param, r.errParam(), c.body)
		}
		r = s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: strings.Repeat("k", 256), body: `{"amount":1}`, want: 400, doc: docRejects})
		require.Equal(t, "Idempotency-Key", r.errParam())
		r = s.do(t, oaReq{method: "POST", path: admin(second, "repayments"), bearer: oaAdminToken, idemKey: "rail-x", body: `{"amount":1}`, want: 409})
		require.Equal(t, "conflict", r.errCode(), "a rejected loan")
		s.do(t, oaReq{method: "POST", path: admin("loan_doesnotexist", "repayments"), bearer: oaAdminToken, idemKey: "rail-x", body: `{"amount":1}`, want: 404})
		s.do(t, oaReq{method: "POST", path: repay, bearer: tokA, idemKey: "rail-x", body: `{"amount":1}`, want: 401})
		s.do(t, oaReq{method: "POST", path: repay, idemKey: "rail-x", body: `{"amount":1}`, want: 401, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-x", body: "amount=1", contentType: "text/plain", want: 415, doc: docRejects})
		s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-x", body: `{"amount":1}` + strings.Repeat(" ", 1<<20), want: 413})
		held := `{"amount":7}`
		oaHoldKey(t, s, oaOperatorScope, "rail-in-flight", "POST "+repay+"\n"+held)
		r = s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-in-flight", body: held, want: 409})
		require.Equal(t, "idempotency_key_in_use", r.errCode())

		// Paid off: repaid, with nothing left due.
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, bearer: tokA, want: 200})
		require.Len(t, r.data()["repayments"], 1)
		payoff := oaAmount(t, r.data()["payoff_amount"])
		s.do(t, oaReq{method: "POST", path: repay, bearer: oaAdminToken, idemKey: "rail-2", body: `{"amount":"` + payoff + `"}`, want: 201})
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + first, bearer: tokA, want: 200})
		require.Equal(t, "repaid", r.data()["status"])
		require.Nil(t, r.data()["next_due"])
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + a1, bearer: tokA, want: 200})
		require.Equal(t, "tokenized", r.data()["status"], "released")
		s.do(t, oaReq{method: "GET", path: "/v1/loans?status=repaid", bearer: tokA, want: 200})
	})

	t.Run("rejected by the policy", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 201,
			body: `{"asset_id":"` + a2 + `","amount":20000,"term_months":120}`})
		id := r.data()["id"].(string)
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + id, bearer: tokA, want: 200})
		require.Equal(t, "rejected", r.data()["status"])
		require.Equal(t, "policy", r.data()["decided_by"])
		require.Equal(t, []any{"term_too_long"}, r.data()["reasons"], "equipment: 84 months at most")
	})

	t.Run("default", func(t *testing.T) {
		r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tokA, want: 201, body: loanBody(a2)})
		third := r.data()["id"].(string)
		require.NoError(t, s.engine.RunPending(ctx))
		s.do(t, oaReq{method: "POST", path: admin(third, "approve"), bearer: oaAdminToken, want: 200})
		s.do(t, oaReq{method: "POST", path: admin(third, "fund"), bearer: oaAdminToken, want: 200})
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/" + third, bearer: oaAdminToken, want: 200})
		require.Equal(t, "funded", r.data()["status"])
		firstDue, err := time.Parse(time.DateOnly, r.data()["schedule"].([]any)[0].(map[string]any)["due_date"].(string))
		require.NoError(t, err)

		// Nothing paid: on day 91 past the first due date the daily
		// servicing sweep defaults the loan, and its token is seized.
		s.clock.Set(firstDue.Add(91 * 24 * time.Hour))
		require.NoError(t, s.engine.RunPending(ctx))
		r = s.do(t, oaReq{method: "GET", path: "/v1/admin/loans/" + third, bearer: oaAdminToken, want: 200})
		require.Equal(t, "defaulted", r.data()["status"])
		require.Equal(t, 91.0, r.data()["days_past_due"])
		r = s.do(t, oaReq{method: "GET", path: "/v1/assets/" + a2, bearer: oaToken(t, s, credsA), want: 200})
		require.Equal(t, "liquidated", r.data()["status"], "seized")
	})

	t.Run("event payloads", func(t *testing.T) {
		seen := oaCheckEventPayloads(t, s, bizA.ID)
		for _, typ := range []string{"loan.submitted", "loan.referred", "loan.approved", "loan.rejected", "token.locked",
			"loan.funded", "loan.repayment_received", "loan.repaid", "token.unlocked", "loan.defaulted", "token.seized"} {
			require.NotEmpty(t, seen[typ], typ)
		}
		// The members some emitters add were checked too: each variant
		// was sent.
		member := func(typ, key string) []any {
			var out []any
			for _, d := range seen[typ] {
				out = append(out, d[key])
			}
			return out
		}
		require.ElementsMatch(t, []any{"operator", "operator"}, member("loan.approved", "decided_by"))
		require.ElementsMatch(t, []any{"operator", "policy"}, member("loan.rejected", "decided_by"))
		for _, d := range seen["loan.rejected"] {
			if d["decided_by"] == "policy" {
				require.Equal(t, []any{"term_too_long"}, d["reasons"])
				require.Contains(t, d, "max_amount")
			} else {
				require.Equal(t, "Concentration limit", d["reason"])
			}
		}
		require.ElementsMatch(t, []any{"funded", "repaid"}, member("loan.repayment_received", "status"),
			"a part payment, then the payoff")
	})
}

// The lending events of a loan the policy approves and funds at once,
// against the webhooks section.
func TestOpenAPIPolicyLoanEvents(t *testing.T) {
	ctx := context.Background()
	b, _ := lendingSetup(t, assetmint.LendingConfig{AutoFund: true}, oaConfig(nil))
	s := oaSuiteOver(t, b)
	biz, creds, err := s.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	tok := oaToken(t, s, creds)
	a := b.tokenizedAsset(t, tok, "X200-0001")

	r := s.do(t, oaReq{method: "POST", path: "/v1/loans", bearer: tok, want: 201,
		body: `{"asset_id":"` + a + `","amount":20000,"term_months":12}`})
	id := r.data()["id"].(string)
	require.NoError(t, s.engine.RunPending(ctx))
	r = s.do(t, oaReq{method: "GET", path: "/v1/loans/" + id, bearer: tok, want: 200})
	require.Equal(t, "funded", r.data()["status"])

	seen := oaCheckEventPayloads(t, s, biz.ID)
	require.Len(t, seen["loan.approved"], 1)
	approved := seen["loan.approved"][0]
	require.Equal(t, "policy", approved["decided_by"])
	require.Equal(t, []any{}, approved["reasons"])
	for _, typ := range []string{"loan.submitted", "token.locked", "loan.funded"} {
		require.NotEmpty(t, seen[typ], typ)
	}
}

// oaLostDB is a store whose database went away: every read and write
// fails, except the lookup of the API clients kept before, so that a
// business request gets past authentication and fails where its handler
// reaches the store.
type oaLostDB struct {
	*sqlite.DB
	kept map[string]oaKeptClient
}

type oaKeptClient struct {
	client   *assetmint.Client
	business *assetmint.Business
}

func (s *oaLostDB) Client(ctx context.Context, id string) (*assetmint.Client, *assetmint.Business, error) {
	if k, ok := s.kept[id]; ok {
		return k.client, k.business, nil
	}
	return s.DB.Client(ctx, id)
}

// Every route but the OpenAPI document's answers 500, in its documented
// shape, when the database fails under it.
func TestOpenAPIInternalErrors(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "api.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(ctx))
	store := &oaLostDB{DB: db, kept: map[string]oaKeptClient{}}
	clock := testclock.New(time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	blobs, err := fsblob.New(filepath.Join(t.TempDir(), "blobs"))
	require.NoError(t, err)
	ecfg := assetmint.Config{MasterKey: testMasterKey, Now: clock.Now, Logger: quiet, Blobs: blobs}
	ecfg.Chain.Chain = fakechain.New() // lending needs one
	engine, err := assetmint.New(store, ecfg)
	require.NoError(t, err)
	cfg := httpapi.Config{Logger: quiet}
	oaConfig(nil)(&cfg)
	h, err := httpapi.New(engine, cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := oaSuiteOver(t, &bundle{srv: srv, engine: engine, db: db, clock: clock})

	_, creds, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	tok := oaToken(t, s, creds)
	c, b, err := db.Client(ctx, creds.ClientID)
	require.NoError(t, err)
	store.kept[c.ID] = oaKeptClient{c, b}
	s.do(t, oaReq{method: "GET", path: "/v1/assets", bearer: tok, want: 200})
	require.NoError(t, db.Close())

	r := s.do(t, oaReq{method: "POST", path: "/v1/auth/token", want: 500,
		body: `{"client_id":"cli_unknown","client_secret":"x","grant_type":"client_credentials"}`})
	require.Equal(t, "server_error", r.body["error"], "RFC 6749 shape")

	form, ct := oaForm(t, &oaFile{"invoice.pdf", "application/pdf", oaPDF}, "asset_id", "asset_x", "kind", "invoice")
	for _, r := range []oaReq{
		{method: "GET", path: "/v1/assets"},
		{method: "POST", path: "/v1/assets", body: `{"name":"Lathe","type":"equipment","estimated_value":5000}`},
		{method: "GET", path: "/v1/assets/asset_x"},
		{method: "PATCH", path: "/v1/assets/asset_x", body: `{"name":"x"}`},
		{method: "POST", path: "/v1/documents/upload", body: form, contentType: ct},
		{method: "GET", path: "/v1/documents/doc_x"},
		{method: "GET", path: "/v1/documents/doc_x/content"},
		{method: "GET", path: "/v1/valuations/asset_x"},
		{method: "GET", path: "/v1/tokens"},
		{method: "GET", path: "/v1/tokens/tok_x"},
		{method: "GET", path: "/v1/loans"},
		{method: "POST", path: "/v1/loans", body: `{"asset_id":"asset_x","amount":1000,"term_months":12}`},
		{method: "GET", path: "/v1/loans/loan_x"},
		{method: "GET", path: "/v1/webhooks"},
		{method: "POST", path: "/v1/webhooks", body: `{"url":"https://hooks.example.com/assetmint"}`},
		{method: "DELETE", path: "/v1/webhooks/wh_x"},
		{method: "POST", path: "/v1/webhooks/wh_x/rotate_secret"},
		{method: "GET", path: "/v1/webhooks/wh_x/deliveries"},
		{method: "POST", path: "/v1/webhooks/wh_x/deliveries/dlv_x/retry"},
		{method: "GET", path: "/v1/admin/businesses", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/businesses", bearer: oaAdminToken, body: `{"name":"Bolt"}`},
		{method: "GET", path: "/v1/admin/businesses/biz_x", bearer: oaAdminToken},
		{method: "PATCH", path: "/v1/admin/businesses/biz_x", bearer: oaAdminToken, body: `{"name":"x"}`},
		{method: "POST", path: "/v1/admin/businesses/biz_x/clients", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/assets/asset_x/verify", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/assets/asset_x/reject", bearer: oaAdminToken, body: `{"reason":"x"}`},
		{method: "GET", path: "/v1/admin/loans", bearer: oaAdminToken},
		{method: "GET", path: "/v1/admin/loans/loan_x", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/loans/loan_x/approve", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/loans/loan_x/reject", bearer: oaAdminToken, body: `{"reason":"x"}`},
		{method: "POST", path: "/v1/admin/loans/loan_x/fund", bearer: oaAdminToken},
		{method: "POST", path: "/v1/admin/loans/loan_x/repayments", bearer: oaAdminToken, idemKey: "rail-1", body: `{"amount":1}`},
	} {
		if r.bearer == "" {
			r.bearer = tok
		}
		r.want = 500
		got := s.do(t, r)
		require.Equal(t, "internal", got.errCode(), "%s %s", r.method, r.path)
		require.Equal(t, "An internal error occurred", got.body["error"].(map[string]any)["message"], "no detail leaks")
	}
}

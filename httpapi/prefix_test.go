package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// mounted serves b's engine the way a host mounts the API under a prefix:
// http.StripPrefix(prefix, api) on a ServeMux, with Config.BaseURL naming
// the prefix. It returns the server and the base URL.
func mounted(t *testing.T, b *bundle, prefix string) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String() + prefix
	api, err := httpapi.New(b.engine, httpapi.Config{
		AdminToken: adminToken, Now: b.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: base,
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, api))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, base
}

func TestBaseURLIsChecked(t *testing.T) {
	b := setup(t)
	for _, bad := range []string{
		"api.example.com/assetmint", // no scheme
		"/assetmint",
		"ftp://api.example.com/assetmint",
		"https://",
		"https:///assetmint",
		"https://api.example.com/assetmint?tenant=1",
		"https://api.example.com/assetmint?",
		"https://api.example.com/assetmint#top",
		"https://user:pass@api.example.com/assetmint",
		"https://api.example.com:port/assetmint",
		"mailto:ops@example.com",
	} {
		_, err := httpapi.New(b.engine, httpapi.Config{BaseURL: bad})
		require.Error(t, err, bad)
		require.Contains(t, err.Error(), "BaseURL", bad)
		_, err = httpapi.OpenAPIFor(bad)
		require.Error(t, err, bad)
	}
	for in, want := range map[string]string{
		"https://api.example.com/assetmint":  "https://api.example.com/assetmint",
		"https://api.example.com/assetmint/": "https://api.example.com/assetmint",
		"https://api.example.com":            "https://api.example.com",
		"https://api.example.com/":           "https://api.example.com",
		"http://10.0.0.7:8080/tenants/acme":  "http://10.0.0.7:8080/tenants/acme",
	} {
		_, err := httpapi.New(b.engine, httpapi.Config{BaseURL: in})
		require.NoError(t, err, in)
		doc, err := httpapi.OpenAPIFor(in)
		require.NoError(t, err, in)
		var d struct{ Servers []struct{ URL string } }
		require.NoError(t, json.Unmarshal(doc, &d))
		require.Len(t, d.Servers, 1)
		require.Equal(t, want, d.Servers[0].URL, in)
	}
}

// OpenAPIFor changes the servers and nothing else; without a base URL it
// is the embedded document.
func TestOpenAPIFor(t *testing.T) {
	same, err := httpapi.OpenAPIFor("")
	require.NoError(t, err)
	require.Equal(t, httpapi.OpenAPI(), same)

	doc, err := httpapi.OpenAPIFor("https://api.example.com/assetmint")
	require.NoError(t, err)
	var got, want map[string]any
	require.NoError(t, json.Unmarshal(doc, &got))
	require.NoError(t, json.Unmarshal(httpapi.OpenAPI(), &want))
	require.Equal(t, []any{map[string]any{
		"url":         "https://api.example.com/assetmint",
		"description": "Where this API is served (paths are written in full, from /v1).",
	}}, got["servers"])
	delete(got, "servers")
	delete(want, "servers")
	require.Equal(t, want, got)

	// Laid out as openapi.json is: the same bytes, but for the servers.
	before, _, _ := bytes.Cut(httpapi.OpenAPI(), []byte(`  "servers"`))
	require.True(t, bytes.HasPrefix(doc, before))
	_, after, _ := bytes.Cut(httpapi.OpenAPI(), []byte("\n  \"tags\""))
	require.True(t, bytes.HasSuffix(doc, after))
}

// Mounted under a prefix with BaseURL set, the handler serves a document
// whose server, followed by a documented path, is the URL that reaches
// that route; traffic through the prefix matches that document.
func TestOpenAPIMountedUnderPrefix(t *testing.T) {
	b := setup(t)
	srv, base := mounted(t, b, "/assetmint")
	token := b.token(t, b.business(t, auth.PlanBusiness))

	resp, err := srv.Client().Get(base + "/v1/openapi.json")
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	want, err := httpapi.OpenAPIFor(base)
	require.NoError(t, err)
	require.Equal(t, string(want), string(raw))

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	require.Len(t, doc.Servers, 1)
	require.Equal(t, base, doc.Servers[0].URL)

	// Route with the document as served: its server is where the API is.
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: oaAuthenticate, IncludeResponseStatus: true, MultiError: true}
	for _, c := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/v1/assets", "", http.StatusOK},
		{"POST", "/v1/assets", `{"name":"Lathe","type":"equipment","estimated_value":"5000.50"}`, http.StatusCreated},
		{"GET", "/v1/assets/asset_missing", "", http.StatusNotFound},
	} {
		build := func() *http.Request {
			req, err := http.NewRequest(c.method, base+c.path, bytes.NewReader([]byte(c.body)))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+token)
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			return req
		}
		route, params, err := router.FindRoute(build())
		require.NoError(t, err, "%s %s: the served document has no route for it", c.method, base+c.path)
		in := &openapi3filter.RequestValidationInput{Request: build(), PathParams: params, Route: route, Options: opts}
		require.NoError(t, openapi3filter.ValidateRequest(ctx, in), "%s %s", c.method, c.path)

		resp, err := srv.Client().Do(build())
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, c.want, resp.StatusCode, "%s %s: %s", c.method, c.path, body)
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
		out.SetBodyBytes(body)
		require.NoError(t, openapi3filter.ValidateResponse(ctx, out), "%s %s: %s", c.method, c.path, body)
	}

	t.Run("redocly", func(t *testing.T) { redoclyLint(t, raw) })
}

// The answers to a path or a method no route serves quote the path the
// client sent, prefix and all, not what http.StripPrefix left of it.
func TestUnroutedQuotesTheClientsPath(t *testing.T) {
	b := setup(t)
	srv, _ := mounted(t, b, "/assetmint")
	m := &bundle{srv: srv, engine: b.engine, db: b.db, clock: b.clock}

	res := m.do(t, "GET", "/assetmint/v1/nothing-here?limit=3", "", nil)
	require.Equal(t, http.StatusNotFound, res.status, res.raw)
	require.Equal(t, "route_not_found", res.errField("code"))
	require.Equal(t, "Unrecognized request URL (GET /assetmint/v1/nothing-here)", res.errField("message"))

	res = m.do(t, "DELETE", "/assetmint/v1/assets", "", nil)
	require.Equal(t, http.StatusMethodNotAllowed, res.status, res.raw)
	require.Equal(t, "method_not_allowed", res.errField("code"))
	require.Equal(t, "DELETE is not allowed on /assetmint/v1/assets", res.errField("message"))
	require.Equal(t, []string{"GET", "POST"}, res.header.Values("Allow"))

	// Mounted at the root, the path is the request's as before.
	res = b.do(t, "GET", "/v1/nothing-here", "", nil)
	require.Equal(t, "Unrecognized request URL (GET /v1/nothing-here)", res.errField("message"))

	// A request built in process has no request line: its URL's path.
	api, err := httpapi.New(b.engine, httpapi.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	req, err := http.NewRequest("GET", "http://api.internal/v1/nothing-here", nil)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	require.Equal(t, http.StatusNotFound, rec.Code)
	var body struct{ Error struct{ Message string } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Equal(t, "Unrecognized request URL (GET /v1/nothing-here)", body.Error.Message)
}

package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
)

// testMasterKey seals the test engines' secrets at rest.
var testMasterKey = []byte("0123456789abcdef0123456789abcdef")

const adminToken = "operator-token-0123456789abcdefghij"

// bundle is the subject under test and its collaborators.
type bundle struct {
	srv    *httptest.Server
	engine *assetmint.Engine
	db     *sqlite.DB
	clock  *testclock.Clock
	path   string // the database file
}

// setup serves the API over a fresh SQLite store with a manual clock set
// to a fixed morning. mutate, if given, adjusts the handler's config.
func setup(t testing.TB, mutate ...func(*httpapi.Config)) *bundle {
	t.Helper()
	return setupEngine(t, nil, mutate...)
}

// setupEngine is setup with engine, if not nil, adjusting the Engine's
// config.
func setupEngine(t testing.TB, engine func(*assetmint.Config), mutate ...func(*httpapi.Config)) *bundle {
	t.Helper()
	return openBundle(t, filepath.Join(t.TempDir(), "api.db"), testclock.New(time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC)), engine, mutate...)
}

// another serves the API a second time over b's database file, as a
// second process would: its own DB, Engine and handler, b's clock.
func (b *bundle) another(t testing.TB) *bundle {
	t.Helper()
	return openBundle(t, b.path, b.clock, nil)
}

func openBundle(t testing.TB, path string, clock *testclock.Clock, engine func(*assetmint.Config), mutate ...func(*httpapi.Config)) *bundle {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(path, sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(ctx))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	blobs, err := fsblob.New(filepath.Join(t.TempDir(), "blobs"))
	require.NoError(t, err)
	ecfg := assetmint.Config{MasterKey: testMasterKey, Now: clock.Now, Logger: quiet, Blobs: blobs, Jobs: jobs.WorkerConfig{PollInterval: 2 * time.Millisecond}}
	if engine != nil {
		engine(&ecfg)
	}
	e, err := assetmint.New(db, ecfg)
	require.NoError(t, err)
	cfg := httpapi.Config{AdminToken: adminToken, Now: clock.Now, Logger: quiet}
	for _, m := range mutate {
		m(&cfg)
	}
	h, err := httpapi.New(e, cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &bundle{srv: srv, engine: e, db: db, clock: clock, path: path}
}

// business creates a business and returns its first client's credentials.
func (b *bundle) business(t testing.TB, plan auth.Plan) *assetmint.ClientCredentials {
	t.Helper()
	_, creds, err := b.engine.Operator().CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Acme " + string(plan), Plan: plan})
	require.NoError(t, err)
	return creds
}

// token gets an access token for creds through the token endpoint.
func (b *bundle) token(t testing.TB, creds *assetmint.ClientCredentials) string {
	t.Helper()
	res := b.do(t, "POST", "/v1/auth/token", "", map[string]string{
		"client_id": creds.ClientID, "client_secret": creds.ClientSecret, "grant_type": "client_credentials",
	})
	require.Equal(t, http.StatusOK, res.status, res.raw)
	return res.json["access_token"].(string)
}

// response is an answer, decoded.
type response struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

func (r response) data() map[string]any {
	d, _ := r.json["data"].(map[string]any)
	return d
}

func (r response) list() []any {
	d, _ := r.json["data"].([]any)
	return d
}

func (r response) errField(name string) string {
	e, _ := r.json["error"].(map[string]any)
	s, _ := e[name].(string)
	return s
}

// do sends a request; body is JSON-encoded unless it is a string (sent as
// is) or nil.
func (b *bundle) do(t testing.TB, method, path, token string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.srv.URL+path, rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.roundTrip(t, req)
}

// roundTrip sends req to the server and reads the answer, decoding a JSON
// body (numbers as json.Number).
func (b *bundle) roundTrip(t testing.TB, req *http.Request) response {
	t.Helper()
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, jsonDecode(raw, &out.json), string(raw))
	}
	return out
}

// asset submits a valid asset and returns its id.
func (b *bundle) asset(t testing.TB, token, name string) string {
	t.Helper()
	res := b.do(t, "POST", "/v1/assets", token, map[string]any{"name": name, "type": "equipment", "estimated_value": 1000})
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	return res.data()["id"].(string)
}

// count returns how many assets and events a business has, to show that a
// rejected request wrote nothing.
func (b *bundle) count(t testing.TB, token string) (assets, events int) {
	t.Helper()
	p, err := b.engine.Authenticate(context.Background(), token)
	require.NoError(t, err)
	a, err := b.engine.Assets(context.Background(), p.BusinessID, assetmint.AssetFilter{}, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	e, err := b.engine.Events(context.Background(), p.BusinessID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	return len(a.Items), len(e.Items)
}

// jsonDecode decodes an answer, keeping numbers exact.
func jsonDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

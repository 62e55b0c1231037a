package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/console"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/valuation"
)

// testMasterKey seals the test engines' secrets at rest.
var testMasterKey = []byte("0123456789abcdef0123456789abcdef")

const adminToken = "operator-token-0123456789abcdefghij"

// bundle is a console and the REST API over one engine, served together
// as a host would mount them, with a browser-like client.
type bundle struct {
	srv    *httptest.Server
	engine *assetmint.Engine
	op     *assetmint.Operator
	db     *sqlite.DB
	clock  *testclock.Clock
	client *http.Client // keeps cookies, follows no redirect
}

// options adjust a bundle.
type options struct {
	console func(*console.Config)
	tls     bool
	noAPI   bool
	mount   func(h http.Handler) (pattern string, wrapped http.Handler)
	// sharedLimiter gives the console and the API one limiter.
	sharedLimiter bool
	// engine adjusts the engine's config.
	engine func(*assetmint.Config)
}

// setup serves the console at /console/ and the API at /v1/ over a fresh
// store, on the fake chain, with a manual clock. Its policies leave every
// valued asset and every loan underwriting would approve to an operator,
// and fund approved loans at once.
func setup(t testing.TB, opts ...func(*options)) *bundle {
	t.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "console.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(ctx))
	blobs, err := fsblob.New(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	clock := testclock.New(time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC))
	quiet := slog.New(slog.DiscardHandler)
	ecfg := assetmint.Config{
		MasterKey: testMasterKey, Now: clock.Now, Logger: quiet, Blobs: blobs,
		Jobs:      jobs.WorkerConfig{PollInterval: 2 * time.Millisecond},
		Chain:     assetmint.ChainConfig{Chain: fakechain.New()},
		Valuation: assetmint.ValuationConfig{ManualVerification: true},
		Lending:   assetmint.LendingConfig{ManualApproval: true, AutoFund: true},
		Webhooks:  assetmint.WebhookConfig{AllowPrivate: true},
	}
	if o.engine != nil {
		o.engine(&ecfg)
	}
	engine, err := assetmint.New(db, ecfg)
	require.NoError(t, err)
	cfg := console.Config{AdminToken: adminToken, Logger: quiet, Now: clock.Now}
	apiCfg := httpapi.Config{AdminToken: adminToken, Logger: quiet, Now: clock.Now}
	if o.sharedLimiter {
		cfg.Limiter = auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
		apiCfg.Limiter = cfg.Limiter
	}
	if o.console != nil {
		o.console(&cfg)
	}
	h, err := console.New(engine, cfg)
	require.NoError(t, err)
	mux := http.NewServeMux()
	if o.mount != nil {
		pattern, wrapped := o.mount(h)
		mux.Handle(pattern, wrapped)
	} else {
		mux.Handle("/console/", h)
	}
	if !o.noAPI {
		api, err := httpapi.New(engine, apiCfg)
		require.NoError(t, err)
		mux.Handle("/v1/", api)
	}
	var srv *httptest.Server
	if o.tls {
		srv = httptest.NewTLSServer(mux)
	} else {
		srv = httptest.NewServer(mux)
	}
	t.Cleanup(srv.Close)
	b := &bundle{srv: srv, engine: engine, op: engine.Operator(), db: db, clock: clock}
	b.client = b.newClient(t)
	return b
}

// newClient is a client with its own cookie jar that follows no redirect.
func (b *bundle) newClient(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := b.srv.Client()
	return &http.Client{Transport: c.Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// page is an answer of the console, its HTML parsed.
type page struct {
	status   int
	header   http.Header
	body     string
	location string
	doc      *html.Node
}

func (b *bundle) do(t testing.TB, c *http.Client, method, path string, form url.Values) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.srv.URL+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	p := page{status: res.StatusCode, header: res.Header, body: string(raw), location: res.Header.Get("Location")}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		p.doc, err = html.Parse(bytes.NewReader(raw))
		require.NoError(t, err)
	}
	return p
}

// get reads a page with the bundle's client.
func (b *bundle) get(t testing.TB, path string) page {
	t.Helper()
	return b.do(t, b.client, "GET", path, nil)
}

// post submits a form with the bundle's client.
func (b *bundle) post(t testing.TB, path string, form url.Values) page {
	t.Helper()
	return b.do(t, b.client, "POST", path, form)
}

// signIn signs the client in with the operator token.
func (b *bundle) signIn(t testing.TB, c *http.Client) {
	t.Helper()
	login := b.do(t, c, "GET", "/console/login", nil)
	require.Equal(t, http.StatusOK, login.status, login.body)
	form := login.form(t, "/console/login")
	form.Set("token", adminToken)
	res := b.do(t, c, "POST", "/console/login", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "/console/", res.location)
}

// form returns the fields a form of the page posting to action would send
// as the page stands: its inputs' values and its selects' selected options.
func (p page) form(t testing.TB, action string) url.Values {
	t.Helper()
	require.NotNil(t, p.doc, "not HTML: %s", p.body)
	for _, f := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action }) {
		v := url.Values{}
		for _, in := range findAll(f, func(n *html.Node) bool { return n.Data == "input" || n.Data == "select" }) {
			name := attr(in, "name")
			if name == "" {
				continue
			}
			if in.Data == "select" {
				for _, o := range findAll(in, func(n *html.Node) bool { return n.Data == "option" }) {
					if _, ok := attrOK(o, "selected"); ok {
						v.Set(name, attr(o, "value"))
					}
				}
				continue
			}
			v.Set(name, attr(in, "value"))
		}
		return v
	}
	t.Fatalf("no form posts to %s on the page:\n%s", action, p.body)
	return nil
}

// has reports whether the page has a form posting to action.
func (p page) has(action string) bool {
	return len(findAll(p.doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action })) > 0
}

// findAll lists the element nodes under n that match, in document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

// attr is an attribute's value, "" when absent.
func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// text is the text under n.
func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// fixtures: what the engine holds, made through its use cases.

const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// business creates a business and returns it with its first client's
// credentials.
func (b *bundle) business(t testing.TB, name string) (*assetmint.Business, *assetmint.ClientCredentials) {
	t.Helper()
	biz, creds, err := b.op.CreateBusiness(context.Background(), assetmint.NewBusiness{Name: name})
	require.NoError(t, err)
	return biz, creds
}

// valuedAsset submits a CNC machine with an invoice (serial makes it
// unique) and lets it be valued; the policy leaves it for an operator.
func (b *bundle) valuedAsset(t testing.TB, businessID, serial string) *assetmint.Asset {
	t.Helper()
	ctx := context.Background()
	a, err := b.engine.SubmitAsset(ctx, businessID, assetmint.NewAsset{
		Name: "CNC Milling Machine — Model X200", Type: assetmint.AssetEquipment,
		Description: "Industrial CNC machine, 2021, excellent condition", EstimatedValue: decimal.NewFromInt(85000),
	})
	require.NoError(t, err)
	date := time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
	_, err = b.engine.UploadDocument(ctx, businessID, assetmint.NewDocument{
		AssetID: a.ID, Kind: valuation.KindInvoice, Filename: "invoice-" + serial + ".pdf", Content: strings.NewReader(pdf + serial),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD", Date: &date, Serial: serial, Issuer: "Haas Automation",
	})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	a, err = b.engine.Asset(ctx, businessID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetValued, a.Status)
	return a
}

// tokenizedAsset is a valued asset an operator verified, then minted.
func (b *bundle) tokenizedAsset(t testing.TB, businessID, serial string) *assetmint.Asset {
	t.Helper()
	ctx := context.Background()
	a := b.valuedAsset(t, businessID, serial)
	_, err := b.op.VerifyAsset(ctx, a.ID)
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	a, err = b.engine.Asset(ctx, businessID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetTokenized, a.Status)
	return a
}

// referredLoan requests a loan on a new tokenized asset; the policy refers
// it to an operator.
func (b *bundle) referredLoan(t testing.TB, businessID, serial, amount string, months int) *assetmint.Loan {
	t.Helper()
	ctx := context.Background()
	a := b.tokenizedAsset(t, businessID, serial)
	l, err := b.engine.RequestLoan(ctx, businessID, assetmint.NewLoan{AssetID: a.ID, Amount: decimal.RequireFromString(amount), TermMonths: months})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	d, err := b.op.LoanByID(ctx, l.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanReferred, d.Status)
	return d.Loan
}

// fundedLoan is a referred loan an operator approved, then funded.
func (b *bundle) fundedLoan(t testing.TB, businessID, serial, amount string, months int) *assetmint.Loan {
	t.Helper()
	ctx := context.Background()
	l := b.referredLoan(t, businessID, serial, amount, months)
	_, err := b.op.ApproveLoan(ctx, l.ID, nil)
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	d, err := b.op.LoanByID(ctx, l.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanFunded, d.Status)
	return d.Loan
}

// api calls the REST API's operator routes and decodes the answer's data,
// numbers exact.
func (b *bundle) api(t testing.TB, method, path string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, b.srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, string(raw))
	var env struct {
		Data map[string]any `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&env))
	return env.Data
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

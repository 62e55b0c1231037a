package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/console"
)

// world is a platform with something on every page: two businesses, a
// valued asset waiting for review, a referred loan, a funded loan 40 days
// late with a repayment, a rejected asset, a failing webhook endpoint with
// a failing delivery and a dead one.
type world struct {
	biz, other     *assetmint.Business
	valued         *assetmint.Asset
	rejected       *assetmint.Asset
	referred       *assetmint.Loan
	funded         *assetmint.Loan
	endpoint       *assetmint.WebhookEndpoint
	failing, dead  string // delivery ids
	receiver       *httptest.Server
	endpointSecret string
}

func (b *bundle) world(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{}
	w.biz, _ = b.business(t, "Acme Machining")
	w.other, _ = b.business(t, "Baltic Freight")

	// A receiver that answers 503 to one endpoint and 410 to another.
	w.receiver = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/gone") {
			rw.WriteHeader(http.StatusGone)
			return
		}
		rw.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(w.receiver.Close)
	var err error
	w.endpoint, err = b.engine.CreateWebhookEndpoint(ctx, w.biz.ID, assetmint.NewWebhookEndpoint{URL: w.receiver.URL + "/hook",
		Events: []string{assetmint.EventAssetSubmitted}})
	require.NoError(t, err)
	w.endpointSecret = w.endpoint.Secret
	gone, err := b.engine.CreateWebhookEndpoint(ctx, w.other.ID, assetmint.NewWebhookEndpoint{URL: w.receiver.URL + "/gone",
		Events: []string{assetmint.EventAssetSubmitted}})
	require.NoError(t, err)

	w.valued = b.valuedAsset(t, w.biz.ID, "X200-0001")
	w.rejected = b.valuedAsset(t, w.other.ID, "X200-0002")
	_, err = b.op.RejectAsset(ctx, w.rejected.ID, "the invoice is for another machine")
	require.NoError(t, err)
	w.referred = b.referredLoan(t, w.biz.ID, "X200-0003", "20000", 12)
	w.funded = b.fundedLoan(t, w.other.ID, "X200-0004", "30000", 24)
	// Its first two installments paid on their due dates, the next two not:
	// 40 days past due.
	for i := range 2 {
		d, err := b.op.LoanByID(ctx, w.funded.ID)
		require.NoError(t, err)
		due := d.Position.NextDue
		b.clock.Set(due.DueDate)
		_, err = b.op.RecordRepayment(ctx, w.funded.ID, assetmint.NewRepayment{Amount: due.Payment, Reference: "rail-" + strconv.Itoa(i)})
		require.NoError(t, err)
	}
	b.clock.Advance(70 * 24 * time.Hour)
	_, err = b.op.ServiceLoans(ctx)
	require.NoError(t, err)

	fails, err := b.op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: assetmint.DeliveryPending, Attempted: true}, assetmint.ListParams{})
	require.NoError(t, err)
	require.NotEmpty(t, fails.Items)
	w.failing = fails.Items[0].ID
	dead, err := b.op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: assetmint.DeliveryFailed}, assetmint.ListParams{})
	require.NoError(t, err)
	require.NotEmpty(t, dead.Items)
	w.dead = dead.Items[0].ID
	require.Equal(t, gone.ID, dead.Items[0].EndpointID)
	return w
}

// Every page renders for a signed-in operator, with its heading, and the
// pages without a thing to show say so.
func TestEveryPageRenders(t *testing.T) {
	b := setup(t)
	b.signIn(t, b.client)
	// Empty, first.
	for _, path := range []string{"/console/", "/console/assets", "/console/assets?status=valued", "/console/loans",
		"/console/businesses", "/console/webhooks", "/console/webhooks?list=dead"} {
		res := b.get(t, path)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", path, res.body)
	}
	w := b.world(t)
	b.signIn(t, b.client) // the world took days: the first session expired
	paths := []string{
		"/console/",
		"/console/assets",
		"/console/assets/" + w.valued.ID,
		"/console/assets/" + w.rejected.ID,
		"/console/loans",
		"/console/loans/" + w.referred.ID,
		"/console/loans/" + w.funded.ID,
		"/console/businesses",
		"/console/businesses/" + w.biz.ID,
		"/console/webhooks",
		"/console/webhooks?list=dead",
	}
	for _, s := range assetmint.AssetStatuses() {
		paths = append(paths, "/console/assets?status="+string(s))
	}
	for _, s := range assetmint.LoanStatuses() {
		paths = append(paths, "/console/loans?status="+string(s))
	}
	for _, path := range paths {
		res := b.get(t, path)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", path, res.body)
		require.Equal(t, "text/html; charset=utf-8", res.header.Get("Content-Type"))
		require.Len(t, findAll(res.doc, func(n *html.Node) bool { return n.Data == "h1" }), 1, path)
		require.Contains(t, res.header.Get("Content-Security-Policy"), "default-src 'none'", path)
		require.Equal(t, "no-store", res.header.Get("Cache-Control"), path)
		require.Equal(t, "DENY", res.header.Get("X-Frame-Options"), path)
		require.NotContains(t, res.body, "<script", path)
	}

	// What the pages show.
	dash := b.get(t, "/console/")
	require.Equal(t, "1", text(one(t, dash.doc, `tr[data-status=valued] td.num`)))
	require.Equal(t, "1", text(one(t, dash.doc, `tr[data-status=referred] td.num`)))
	require.Equal(t, "1", text(one(t, dash.doc, `tr[data-status=funded] td.num`)))
	queue := b.get(t, "/console/assets?status=valued")
	require.Contains(t, queue.body, w.valued.ID)
	require.NotContains(t, queue.body, w.rejected.ID)
	require.Contains(t, queue.body, "Acme Machining", "the business is named")
	asset := b.get(t, "/console/assets/"+w.valued.ID)
	require.True(t, asset.has("/console/assets/"+w.valued.ID+"/verify"))
	require.True(t, asset.has("/console/assets/"+w.valued.ID+"/reject"))
	require.False(t, b.get(t, "/console/assets/"+w.rejected.ID).has("/console/assets/"+w.rejected.ID+"/verify"))
	referred := b.get(t, "/console/loans/"+w.referred.ID)
	require.True(t, referred.has("/console/loans/"+w.referred.ID+"/approve"))
	require.True(t, referred.has("/console/loans/"+w.referred.ID+"/reject"))
	require.False(t, referred.has("/console/loans/"+w.referred.ID+"/repayments"))
	funded := b.get(t, "/console/loans/"+w.funded.ID)
	require.True(t, funded.has("/console/loans/"+w.funded.ID+"/repayments"))
	require.False(t, funded.has("/console/loans/"+w.funded.ID+"/approve"))
	require.Len(t, query(funded.doc, "tr[data-repayment]"), 2, "the repayments are listed")
	webhooks := b.get(t, "/console/webhooks")
	require.Contains(t, webhooks.body, w.endpoint.ID)
	require.Contains(t, webhooks.body, w.failing)
	require.False(t, webhooks.has("/console/webhooks/deliveries/"+w.failing+"/retry"), "a failing delivery has its retry scheduled")
	require.True(t, b.get(t, "/console/webhooks?list=dead").has("/console/webhooks/deliveries/"+w.dead+"/retry"))

	// What is not there, or not right.
	for path, status := range map[string]int{
		"/console/assets/asset_none":                             http.StatusNotFound,
		"/console/loans/loan_none":                               http.StatusNotFound,
		"/console/businesses/biz_none":                           http.StatusNotFound,
		"/console/nowhere":                                       http.StatusNotFound,
		"/console/assets?status=lost":                            http.StatusBadRequest,
		"/console/loans?status=lost":                             http.StatusBadRequest,
		"/console/webhooks?list=lost":                            http.StatusBadRequest,
		"/console/assets/" + w.valued.ID + "/documents/doc_none": http.StatusNotFound,
		"/console/assets/" + w.rejected.ID + "/documents/" + docOf(t, b, w.valued): http.StatusNotFound,
	} {
		res := b.get(t, path)
		require.Equal(t, status, res.status, path)
		require.NotNil(t, one(t, res.doc, "p.error"), path)
	}
}

// Lists page 25 rows at a time, newest first, with links to the pages
// beside.
func TestListsPage(t *testing.T) {
	b := setup(t)
	var ids []string
	for i := range 30 {
		biz, _ := b.business(t, "Business "+strconv.Itoa(i))
		ids = append(ids, biz.ID)
	}
	b.signIn(t, b.client)
	rows := func(p page) []string {
		var out []string
		for _, n := range query(p.doc, "tr[data-business]") {
			out = append(out, attr(n, "data-business"))
		}
		return out
	}
	first := b.get(t, "/console/businesses")
	require.Equal(t, reversed(ids[5:]), rows(first))
	require.Empty(t, query(first.doc, "a[rel=prev]"))
	older := attr(one(t, first.doc, "a[rel=next]"), "href")
	second := b.get(t, "/console/businesses"+older)
	require.Equal(t, reversed(ids[:5]), rows(second))
	require.Empty(t, query(second.doc, "a[rel=next]"))
	newer := attr(one(t, second.doc, "a[rel=prev]"), "href")
	require.Equal(t, rows(first), rows(b.get(t, "/console/businesses"+newer)))
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// docOf is the id of the asset's first document.
func docOf(t *testing.T, b *bundle, a *assetmint.Asset) string {
	t.Helper()
	d, err := b.op.AssetDetails(context.Background(), a.ID)
	require.NoError(t, err)
	require.NotEmpty(t, d.Documents)
	return d.Documents[0].ID
}

// A document downloads as an attachment of its sniffed type.
func TestDocumentDownloads(t *testing.T) {
	b := setup(t)
	b.signIn(t, b.client)
	biz, _ := b.business(t, "Acme")
	a := b.valuedAsset(t, biz.ID, "X200-0042")
	page := b.get(t, "/console/assets/"+a.ID)
	links := findAll(page.doc, func(n *html.Node) bool { return n.Data == "a" && strings.Contains(attr(n, "href"), "/documents/") })
	require.Len(t, links, 1)
	res := b.get(t, attr(links[0], "href"))
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "application/pdf", res.header.Get("Content-Type"))
	require.Equal(t, `attachment; filename=invoice-X200-0042.pdf`, res.header.Get("Content-Disposition"))
	require.Equal(t, "nosniff", res.header.Get("X-Content-Type-Options"))
	require.Equal(t, pdf+"X200-0042", res.body)
}

// The console may be mounted under any prefix, with or without the host
// stripping it; its links, redirects and cookie follow Config.Path.
func TestMountedUnderAnotherPrefix(t *testing.T) {
	for _, strip := range []bool{false, true} {
		b := setup(t, func(o *options) {
			o.console = func(c *console.Config) { c.Path = "/ops/console/" }
			o.mount = func(h http.Handler) (string, http.Handler) {
				if strip {
					return "/ops/console/", http.StripPrefix("/ops/console", h)
				}
				return "/ops/console/", h
			}
		})
		res := b.get(t, "/ops/console/")
		require.Equal(t, http.StatusSeeOther, res.status)
		require.Equal(t, "/ops/console/login", res.location)
		login := b.get(t, "/ops/console/login")
		require.Equal(t, http.StatusOK, login.status)
		require.Equal(t, "/ops/console/", cookieOf(t, login, "assetmint_console_login").Path)
		form := login.form(t, "/ops/console/login")
		form.Set("token", adminToken)
		res = b.post(t, "/ops/console/login", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/ops/console/", res.location)
		dash := b.get(t, "/ops/console/")
		require.Equal(t, http.StatusOK, dash.status)
		require.Contains(t, dash.body, `href="/ops/console/static/console.css"`)
		css := b.get(t, "/ops/console/static/console.css")
		require.Equal(t, http.StatusOK, css.status)
		require.Contains(t, css.header.Get("Content-Type"), "text/css")
		// The host's mux sends the bare prefix on to the console's root.
		res = b.get(t, "/ops/console")
		require.Equal(t, http.StatusTemporaryRedirect, res.status)
		require.Equal(t, "/ops/console/", res.location)
	}
}

// one finds the single element matching a small selector: tag, optional
// [attr=value], optional " tag.class" descendant.
func one(t *testing.T, doc *html.Node, sel string) *html.Node {
	t.Helper()
	nodes := query(doc, sel)
	require.Len(t, nodes, 1, "selector %s", sel)
	return nodes[0]
}

// query matches a tiny subset of CSS: "tag[attr=value] tag.class",
// "tag.class", "tag[attr=value]".
func query(doc *html.Node, sel string) []*html.Node {
	parts := strings.Fields(sel)
	nodes := []*html.Node{doc}
	for _, part := range parts {
		tag, cond := part, ""
		if i := strings.IndexAny(part, "[."); i >= 0 {
			tag, cond = part[:i], part[i:]
		}
		var next []*html.Node
		for _, n := range nodes {
			next = append(next, findAll(n, func(c *html.Node) bool {
				if c == n || (tag != "" && c.Data != tag) {
					return false
				}
				switch {
				case strings.HasPrefix(cond, "."):
					return strings.Contains(" "+attr(c, "class")+" ", " "+cond[1:]+" ")
				case strings.HasPrefix(cond, "["):
					k, v, _ := strings.Cut(strings.Trim(cond, "[]"), "=")
					got, ok := attrOK(c, k)
					return ok && (v == "" || got == v)
				}
				return true
			})...)
		}
		nodes = next
	}
	return nodes
}

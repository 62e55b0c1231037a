package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// state is what the forms could change, to show that a refused POST
// changed nothing.
type state struct {
	businesses, events int
	assets             map[string]assetmint.AssetStatus
	loans              map[string]assetmint.LoanStatus
	repayments         int
	deliveries         map[string]assetmint.DeliveryStatus
}

func (b *bundle) state(t *testing.T, w *world) state {
	t.Helper()
	ctx := context.Background()
	s := state{assets: map[string]assetmint.AssetStatus{}, loans: map[string]assetmint.LoanStatus{}, deliveries: map[string]assetmint.DeliveryStatus{}}
	bs, err := b.op.Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	s.businesses = len(bs.Items)
	for _, biz := range bs.Items {
		s.events += b.eventCount(t, biz.ID)
	}
	as, err := b.op.AllAssets(ctx, assetmint.AssetFilter{}, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	for _, a := range as.Items {
		s.assets[a.ID] = a.Status
	}
	ls, err := b.op.AllLoans(ctx, assetmint.LoanFilter{}, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	for _, l := range ls.Items {
		s.loans[l.ID] = l.Status
		d, err := b.op.LoanByID(ctx, l.ID)
		require.NoError(t, err)
		s.repayments += len(d.Repayments)
	}
	ds, err := b.op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{}, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	for _, d := range ds.Items {
		s.deliveries[d.ID] = d.Status
	}
	return s
}

// formsOf is every form of the world the console offers, with the page it
// is on and the values it needs to do something.
func formsOf(w *world) []struct {
	page, action string
	set          url.Values
} {
	return []struct {
		page, action string
		set          url.Values
	}{
		{"/console/assets/" + w.valued.ID, "/console/assets/" + w.valued.ID + "/verify", nil},
		{"/console/assets/" + w.valued.ID, "/console/assets/" + w.valued.ID + "/reject", url.Values{"reason": {"no"}}},
		{"/console/loans/" + w.referred.ID, "/console/loans/" + w.referred.ID + "/approve", nil},
		{"/console/loans/" + w.referred.ID, "/console/loans/" + w.referred.ID + "/reject", url.Values{"reason": {"no"}}},
		{"/console/loans/" + w.funded.ID, "/console/loans/" + w.funded.ID + "/repayments", url.Values{"amount": {"100"}}},
		{"/console/businesses", "/console/businesses", url.Values{"name": {"Mallory Ltd"}}},
		{"/console/businesses/" + w.biz.ID, "/console/businesses/" + w.biz.ID, url.Values{"plan": {"enterprise"}}},
		{"/console/businesses/" + w.biz.ID, "/console/businesses/" + w.biz.ID + "/clients", nil},
		{"/console/webhooks?list=dead", "/console/webhooks/deliveries/" + w.dead + "/retry", nil},
		{"/console/", "/console/logout", nil},
	}
}

// A POST without the session's CSRF token, or with a wrong one, or with
// another session's, is answered 403 and changes nothing; the forms with
// their token do what they say.
func TestPostsWithoutTheCSRFTokenAreRefused(t *testing.T) {
	b := setup(t)
	w := b.world(t)
	b.signIn(t, b.client)
	otherSession := b.newClient(t)
	b.signIn(t, otherSession)
	othersToken := b.do(t, otherSession, "GET", "/console/", nil).form(t, "/console/logout").Get("csrf")
	before := b.state(t, w)

	for _, f := range formsOf(w) {
		form := b.get(t, f.page).form(t, f.action)
		require.NotEmpty(t, form.Get("csrf"), f.action)
		for k, v := range f.set {
			form[k] = v
		}
		for name, csrf := range map[string]*string{"none": nil, "wrong": new(wrongToken(form.Get("csrf"))), "another session's": &othersToken} {
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Del("csrf")
			if csrf != nil {
				bad.Set("csrf", *csrf)
			}
			res := b.post(t, f.action, bad)
			require.Equal(t, http.StatusForbidden, res.status, "%s, csrf %s", f.action, name)
			require.Contains(t, res.body, "security token is missing or wrong")
		}
	}
	require.Equal(t, before, b.state(t, w), "nothing changed")
	require.Equal(t, http.StatusOK, b.get(t, "/console/").status, "still signed in")

	// The sign-in form's own token.
	form := b.do(t, b.newClient(t), "GET", "/console/login", nil).form(t, "/console/login")
	fresh := b.newClient(t)
	form.Set("token", adminToken)
	res := b.do(t, fresh, "POST", "/console/login", form) // the token without the cookie it must match
	require.Equal(t, http.StatusForbidden, res.status)
	require.Empty(t, cookieValue(t, b, fresh), "no session")
}

// cookieValue is the session cookie a client holds, "" if none.
func cookieValue(t *testing.T, b *bundle, c *http.Client) string {
	t.Helper()
	u, err := url.Parse(b.srv.URL + "/console/")
	require.NoError(t, err)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "assetmint_console" {
			return ck.Value
		}
	}
	return ""
}

// Without a session no page opens and no form does anything; the console
// shows no secret but on the answer that creates it; it offers nothing a
// business's own client does.
func TestScoping(t *testing.T) {
	b := setup(t)
	w := b.world(t)
	b.signIn(t, b.client)
	var pages []string
	for _, f := range formsOf(w) {
		pages = append(pages, f.page)
	}
	pages = append(pages, "/console/loans", "/console/assets", "/console/assets?status=valued", "/console/webhooks",
		"/console/assets/"+w.valued.ID+"/documents/"+docOf(t, b, w.valued))
	// Forms as a signed-in operator would send them, to send without one.
	forms := map[string]url.Values{}
	for _, f := range formsOf(w) {
		forms[f.action] = b.get(t, f.page).form(t, f.action)
	}

	// No secret on any page: webhook secrets, client secrets' hashes, the
	// operator token.
	for _, p := range pages {
		res := b.get(t, p)
		require.Equal(t, http.StatusOK, res.status, p)
		require.NotContains(t, res.body, w.endpointSecret, p)
		require.NotContains(t, res.body, "whsec_", p)
		require.NotContains(t, res.body, adminToken, p)
	}

	stranger := b.newClient(t)
	before := b.state(t, w)
	for _, p := range pages {
		res := b.do(t, stranger, "GET", p, nil)
		require.Equal(t, http.StatusSeeOther, res.status, p)
		require.Equal(t, "/console/login", res.location, p)
	}
	for action, form := range forms {
		res := b.do(t, stranger, "POST", action, form)
		require.Equal(t, http.StatusForbidden, res.status, action)
		require.Contains(t, res.body, "Your session has ended")
	}
	require.Equal(t, before, b.state(t, w))

	// What a business's client does is not here.
	for _, r := range []struct{ method, path string }{
		{"POST", "/console/assets"}, {"POST", "/console/loans"}, {"POST", "/console/webhooks"},
		{"DELETE", "/console/businesses/" + w.biz.ID}, {"PUT", "/console/assets/" + w.valued.ID},
	} {
		res := b.do(t, b.client, r.method, r.path, url.Values{"csrf": {forms["/console/logout"].Get("csrf")}})
		require.Contains(t, []int{http.StatusMethodNotAllowed, http.StatusNotFound}, res.status, "%s %s", r.method, r.path)
	}
	require.Equal(t, before, b.state(t, w))
	require.False(t, strings.Contains(b.get(t, "/console/businesses/"+w.biz.ID).body, "secret_hash"))
}

// wrongToken is token with its first character changed: always another
// token (a fixed "x" in its place was the token itself one time in 64).
func wrongToken(token string) string {
	if strings.HasPrefix(token, "x") {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}

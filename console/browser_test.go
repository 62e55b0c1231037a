package console_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// The console in a real browser: Debian's chromium, headless, driven with
// chromedp. Without a browser these tests skip, saying so; with
// ASSETMINT_REQUIRE_BROWSER=1 (CI) its absence fails them. Screenshots of
// every page go to the test's temporary folder, or to the folder given
// with:
//
//	go test ./console -run Browser -args -screenshots DIR

var screenshotDir = flag.String("screenshots", "", "keep the browser tests' screenshots (PNG) in this folder")

// browser starts a headless chromium for the test and returns its context.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("ASSETMINT_REQUIRE_BROWSER") == "1" {
			t.Fatal("ASSETMINT_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install -y chromium)")
		}
		t.Skip("skipped: no chromium on PATH to drive (apt-get install -y chromium; set ASSETMINT_REQUIRE_BROWSER=1 to require it)")
	}
	// A fresh profile; chromium's helpers may still write in it for a moment
	// after it exits, so it is removed with retries.
	profile, err := os.MkdirTemp("", "assetmint-chromium-")
	require.NoError(t, err)
	t.Cleanup(func() {
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// /dev/shm is small in many containers; chromium then keeps its
		// shared memory in /tmp instead of crashing.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return ctx
}

// shots saves full-page screenshots of the browser's pages.
type shots struct{ dir string }

func newShots(t *testing.T) *shots {
	t.Helper()
	dir := *screenshotDir
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "screenshots")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return &shots{dir: dir}
}

func (s *shots) take(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, name+".png"), png, 0o644))
}

// run runs steps with a time limit; the first Run of the context, which
// owns the browser, must have none.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, steps...))
}

// navigate follows a click or a submit to the page it loads and returns
// its status.
func navigate(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	require.NoError(t, err)
	return res.Status
}

// attrs reads the attributes of every element a CSS selector matches.
func attrs(t *testing.T, ctx context.Context, sel string) []map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(sel)))
	require.NoError(t, err, sel)
	return got
}

// eval evaluates JavaScript in the page (the console runs none of its
// own; this is the test's hand).
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err, js)
	return v
}

// businessToken gets a bearer token for the business's client from the
// REST API.
func (b *bundle) businessToken(t *testing.T, creds *assetmint.ClientCredentials) string {
	t.Helper()
	res, err := b.srv.Client().PostForm(b.srv.URL+"/v1/auth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}})
	require.NoError(t, err)
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

// apiAs reads a business route of the REST API with a bearer token.
func (b *bundle) apiAs(t *testing.T, token, path string) map[string]any {
	t.Helper()
	req, err := http.NewRequest("GET", b.srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, path)
	var env struct {
		Data map[string]any `json:"data"`
	}
	dec := json.NewDecoder(res.Body)
	dec.UseNumber()
	require.NoError(t, dec.Decode(&env))
	return env.Data
}

// apiList reads a list route of the REST API's operator routes.
func (b *bundle) apiList(t *testing.T, path string) []map[string]any {
	t.Helper()
	req, err := http.NewRequest("GET", b.srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, path)
	var env struct {
		Data []map[string]any `json:"data"`
	}
	dec := json.NewDecoder(res.Body)
	dec.UseNumber()
	require.NoError(t, dec.Decode(&env))
	return env.Data
}

// same says whether a JSON number of the API and a chart's attribute are
// the same amount.
func same(t *testing.T, api any, attr string) bool {
	t.Helper()
	return decimal.RequireFromString(fmt.Sprint(api)).Equal(decimal.RequireFromString(attr))
}

// An operator's day in the browser: sign in, review the queue and verify
// an asset (its valuation chart checked against the API), open a funded
// loan (its schedule chart checked against the API) and record a
// repayment, submitting the same form twice; a POST without its CSRF
// token is refused; every page is photographed.
func TestBrowserOperatorDay(t *testing.T) {
	ctx := browser(t)
	b := setup(t)
	w := b.world(t)
	_, creds, err := b.op.CreateBusiness(context.Background(), assetmint.NewBusiness{Name: "Cobalt Tooling"})
	require.NoError(t, err)
	cobalt, err := b.engine.Authenticate(context.Background(), b.businessToken(t, creds))
	require.NoError(t, err)
	queued := b.valuedAsset(t, cobalt.BusinessID, "X200-0777")
	shot := newShots(t)
	base := b.srv.URL + "/console"

	// Sign in.
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Navigate(base+"/")), "redirected to the sign-in page")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, base+"/login", loc)
	shot.take(t, ctx, "01-login")
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), "not the token"))
	require.EqualValues(t, http.StatusUnauthorized, navigate(t, ctx, chromedp.Click(chromedp.CSS(`form button`))))
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), adminToken)) // the refused form comes back empty
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Click(chromedp.CSS(`form button`))))
	loc, err = chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, base+"/", loc)
	shot.take(t, ctx, "02-dashboard")

	// The delinquency chart against the API's funded loans.
	bars := attrs(t, ctx, `svg[data-chart="delinquency"] [data-bucket]`)
	require.Len(t, bars, 4)
	funded := b.apiList(t, "/v1/admin/loans?status=funded&limit=100")
	for _, bar := range bars {
		count, sum := 0, decimal.Zero
		for _, l := range funded {
			if l["delinquency_bucket"] == bar["data-bucket"] {
				count++
				sum = sum.Add(decimal.RequireFromString(fmt.Sprint(l["outstanding_principal"])))
			}
		}
		require.Equal(t, fmt.Sprint(count), bar["data-count"], bar["data-bucket"])
		require.True(t, sum.Equal(decimal.RequireFromString(bar["data-amount"])), "%s: %s vs %s", bar["data-bucket"], sum, bar["data-amount"])
	}
	require.Contains(t, eval[string](t, ctx, `document.querySelector('svg[data-chart="delinquency"] > title').textContent`), "past due")

	// The review queue, and an asset from it verified.
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Click(chromedp.CSS(`a.stat[href$="status=valued"]`))))
	shot.take(t, ctx, "03-review-queue")
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Click(chromedp.CSS(`tr[data-asset="`+queued.ID+`"] a`))))
	shot.take(t, ctx, "04-asset")
	val := b.apiAs(t, b.businessToken(t, creds), "/v1/valuations/"+queued.ID)
	factors := attrs(t, ctx, `svg[data-chart="valuation-factors"] [data-factor]`)
	apiFactors := val["factors"].([]any)
	require.Len(t, factors, len(apiFactors))
	total := decimal.RequireFromString(fmt.Sprint(val["anchor"].(map[string]any)["amount"]))
	for i, f := range apiFactors {
		f := f.(map[string]any)
		require.Equal(t, f["id"], factors[i]["data-factor"])
		require.True(t, same(t, f["contribution"], factors[i]["data-contribution"]), "factor %s", f["id"])
		require.True(t, total.Equal(decimal.RequireFromString(factors[i]["data-from"])), "factor %s starts where the last ended", f["id"])
		total = total.Add(decimal.RequireFromString(fmt.Sprint(f["contribution"])))
	}
	require.True(t, same(t, val["value"], total.StringFixed(2)), "anchor + contributions = value")
	value := attrs(t, ctx, `svg[data-chart="valuation-factors"] [data-step="value"]`)
	require.Len(t, value, 1)
	require.True(t, same(t, val["value"], value[0]["data-to"]))

	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Click(chromedp.CSS(`#verify`))))
	notice := eval[string](t, ctx, `document.querySelector('.notice').textContent`)
	require.Contains(t, notice, "verified")
	require.Equal(t, "verified", b.apiAs(t, b.businessToken(t, creds), "/v1/assets/"+queued.ID)["status"])

	// A funded loan: its schedule chart against the API, then a repayment
	// submitted twice.
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Navigate(base+"/loans?status=funded")))
	shot.take(t, ctx, "05-loans")
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Click(chromedp.CSS(`tr[data-loan="`+w.funded.ID+`"] a`))))
	shot.take(t, ctx, "06-loan")
	loan := b.api(t, "GET", "/v1/admin/loans/"+w.funded.ID)
	schedule := loan["schedule"].([]any)
	installments := attrs(t, ctx, `svg[data-chart="schedule"] [data-installment]`)
	require.Len(t, installments, len(schedule))
	for i, s := range schedule {
		s := s.(map[string]any)
		in := installments[i]
		require.Equal(t, fmt.Sprint(s["number"]), in["data-installment"])
		require.Equal(t, s["due_date"], in["data-due-date"])
		require.Equal(t, s["status"], in["data-status"])
		for _, k := range []string{"principal", "interest", "payment", "balance", "paid"} {
			require.True(t, same(t, s[k], in["data-"+k]), "installment %v %s: API %v, chart %s", s["number"], k, s[k], in["data-"+k])
		}
	}
	repaymentsBefore := len(loan["repayments"].([]any))

	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#repayment input[name="amount"]`), "1,250.00"))
	// What the form will send, to send it again after.
	fields := eval[map[string]string](t, ctx, `Object.fromEntries(new FormData(document.querySelector('#repayment')))`)
	require.NotEmpty(t, fields["idempotency_key"])
	require.NotEmpty(t, fields["csrf"])
	// A double submit: two submissions of the form, one right after the
	// other.
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { const f = document.querySelector('#repayment'); f.requestSubmit(); f.requestSubmit(); return true })()`)(ctx, tg)
		return err
	})))
	shot.take(t, ctx, "07-repayment-recorded")
	// And the same form once more, as a browser resends it on a reload.
	js, err := json.Marshal(fields)
	require.NoError(t, err)
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => {
			const f = document.createElement('form'); f.method = 'post'; f.action = '`+base+`/loans/`+w.funded.ID+`/repayments';
			for (const [k, v] of Object.entries(`+string(js)+`)) { const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i) }
			document.body.appendChild(f); f.submit(); return true })()`)(ctx, tg)
		return err
	})))
	require.Contains(t, eval[string](t, ctx, `document.querySelector('.notice').textContent`), "already submitted")
	loan = b.api(t, "GET", "/v1/admin/loans/"+w.funded.ID)
	reps := loan["repayments"].([]any)
	require.Len(t, reps, repaymentsBefore+1, "one repayment for the form, however often it was sent")
	last := reps[len(reps)-1].(map[string]any)
	require.True(t, same(t, last["amount"], "1250"))
	require.Equal(t, fields["idempotency_key"], last["reference"], "the form's key is the repayment's reference")

	// A POST without its CSRF token is refused, and changes nothing.
	require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Navigate(base+"/loans/"+w.referred.ID)))
	shot.take(t, ctx, "08-referred-loan")
	require.EqualValues(t, http.StatusForbidden, navigate(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { const f = document.querySelector('#approve'); f.querySelector('input[name="csrf"]').remove(); f.submit(); return true })()`)(ctx, tg)
		return err
	})))
	shot.take(t, ctx, "09-refused-without-csrf")
	require.Equal(t, "referred", b.api(t, "GET", "/v1/admin/loans/"+w.referred.ID)["status"])

	// The other pages.
	for _, p := range []struct{ name, path string }{
		{"10-businesses", "/businesses"},
		{"11-business", "/businesses/" + w.biz.ID},
		{"12-webhooks", "/webhooks"},
		{"13-webhooks-dead", "/webhooks?list=dead"},
		{"14-rejected-asset", "/assets/" + w.rejected.ID},
	} {
		require.EqualValues(t, http.StatusOK, navigate(t, ctx, chromedp.Navigate(base+p.path)), p.path)
		shot.take(t, ctx, p.name)
	}
	entries, err := os.ReadDir(shot.dir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(entries), 14)
	t.Logf("screenshots in %s", shot.dir)
}

package console

import (
	"bytes"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/clientip"
)

// Config holds the console's settings; the zero value of every field but
// AdminToken means its default.
type Config struct {
	// AdminToken is the operator token operators sign in with: the same
	// one the API's operator routes take (httpapi.Config.AdminToken).
	// Required, at least MinAdminTokenLength characters.
	AdminToken string
	// Path is where the browser sees the console: its links, its
	// redirects and the Path of its cookies start with it. Default
	// "/console". The handler serves the paths under it (mount it with
	// mux.Handle(Path+"/", h)), and paths a host already stripped of it
	// (http.StripPrefix(Path, h)) alike.
	Path string
	// SessionTTL is how long a sign-in lasts; the session cookie expires
	// with it. Default 8 hours.
	SessionTTL time.Duration
	// SecureCookies marks the console's cookies Secure on every answer.
	// Without it they are Secure when the request reached this server
	// over TLS (http.Request.TLS set), which is how the console knows it is
	// behind TLS. When TLS ends at a proxy in front of the server, set
	// SecureCookies: the console believes no X-Forwarded-Proto header,
	// which anyone can send.
	SecureCookies bool
	// Limiter counts failed sign-ins per client address, under the key the
	// API's failure budget uses ("auth:ip:<address>"): give the console the
	// API's Limiter (httpapi.Config.Limiter) and one address gets one
	// budget of guesses at the operator token, whichever door it knocks
	// at. Default an in-process auth.MemoryLimiter.
	Limiter auth.Limiter
	// SignInLimits bounds failed sign-ins per client address. Default 30 a
	// minute, as the API's TokenLimits. Over it, the sign-in page answers
	// 429 with Retry-After, even for the right token.
	SignInLimits auth.Limits
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// when finding the client's address, as in httpapi.Config. Default
	// none: the peer is the client.
	TrustedProxies []netip.Prefix
	// Logger receives the errors the operator sees only as "an internal
	// error". Default slog.Default().
	Logger *slog.Logger
	// Now is the clock of the sign-in budget. Default time.Now.
	Now func() time.Time
	// Rand makes the sign-in form's and the forms' idempotency keys'
	// random values; it must be safe for concurrent use. Default
	// crypto/rand.Reader. (Session tokens are the engine's, from its own
	// Config.Rand.)
	Rand io.Reader
}

// MinAdminTokenLength is the fewest characters Config.AdminToken may have,
// as in httpapi.
const MinAdminTokenLength = 32

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// handler serves the console over an Engine.
type handler struct {
	engine *assetmint.Engine
	op     *assetmint.Operator
	cfg    Config
	mux    *http.ServeMux
	pages  map[string]*template.Template
	static http.Handler
}

// New returns the operator console's http.Handler over engine. It serves
// HTML pages under cfg.Path (default /console): mount it in a host's mux
// with mux.Handle("/console/", h). It never owns the listener.
func New(engine *assetmint.Engine, cfg Config) (http.Handler, error) {
	if engine == nil {
		return nil, errors.New("console: New needs an engine")
	}
	if utf8.RuneCountInString(cfg.AdminToken) < MinAdminTokenLength {
		return nil, fmt.Errorf("console: Config.AdminToken must be at least %d characters", MinAdminTokenLength)
	}
	if cfg.Path == "" {
		cfg.Path = "/console"
	}
	cfg.Path = strings.TrimSuffix(cfg.Path, "/")
	if !strings.HasPrefix(cfg.Path, "/") || strings.ContainsAny(cfg.Path, "?#\\\"'<> ") || strings.Contains(cfg.Path, "//") {
		return nil, fmt.Errorf("console: Config.Path %q must be an absolute path such as /console", cfg.Path)
	}
	if cfg.SessionTTL < 0 {
		return nil, errors.New("console: Config.SessionTTL must not be negative")
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.SignInLimits == (auth.Limits{}) {
		cfg.SignInLimits = auth.Limits{PerMinute: 30}
	}
	if err := cfg.SignInLimits.Validate(); err != nil {
		return nil, fmt.Errorf("console: Config.SignInLimits: %w", err)
	}
	trusted, err := clientip.Prefixes("console: Config.TrustedProxies", cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	cfg.TrustedProxies = trusted
	if cfg.Limiter == nil {
		cfg.Limiter = auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	h := &handler{engine: engine, op: engine.Operator(), cfg: cfg, mux: http.NewServeMux(), pages: pages,
		static: http.FileServerFS(static)}
	h.routes()
	return h, nil
}

// routes registers every page and form; paths are relative to the
// console's Path.
func (h *handler) routes() {
	h.mux.HandleFunc("GET /login", h.loginPage)
	h.mux.HandleFunc("POST /login", h.signIn)
	h.mux.HandleFunc("POST /logout", h.form(h.signOut))
	h.mux.HandleFunc("GET /static/", h.serveStatic)

	h.mux.HandleFunc("GET /{$}", h.page(h.dashboard))
	h.mux.HandleFunc("GET /assets", h.page(h.assets))
	h.mux.HandleFunc("GET /assets/{id}", h.page(h.asset))
	h.mux.HandleFunc("GET /assets/{id}/documents/{doc}", h.page(h.document))
	h.mux.HandleFunc("POST /assets/{id}/verify", h.form(h.verifyAsset))
	h.mux.HandleFunc("POST /assets/{id}/reject", h.form(h.rejectAsset))
	h.mux.HandleFunc("GET /loans", h.page(h.loans))
	h.mux.HandleFunc("GET /loans/{id}", h.page(h.loan))
	h.mux.HandleFunc("POST /loans/{id}/approve", h.form(h.approveLoan))
	h.mux.HandleFunc("POST /loans/{id}/reject", h.form(h.rejectLoan))
	h.mux.HandleFunc("POST /loans/{id}/fund", h.form(h.fundLoan))
	h.mux.HandleFunc("POST /loans/{id}/repayments", h.form(h.recordRepayment))
	h.mux.HandleFunc("GET /businesses", h.page(h.businesses))
	h.mux.HandleFunc("POST /businesses", h.form(h.createBusiness))
	h.mux.HandleFunc("GET /businesses/{id}", h.page(h.business))
	h.mux.HandleFunc("POST /businesses/{id}", h.form(h.updateBusiness))
	h.mux.HandleFunc("POST /businesses/{id}/clients", h.form(h.createClient))
	h.mux.HandleFunc("GET /webhooks", h.page(h.webhooks))
	h.mux.HandleFunc("POST /webhooks/deliveries/{id}/retry", h.form(h.retryDelivery))
	h.mux.HandleFunc("/", h.page(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, assetmint.Errorf(assetmint.ENOTFOUND, "There is no page at %s", h.cfg.Path+r.URL.Path))
	}))
}

// ServeHTTP answers one request: it sets the headers every answer carries,
// takes the console's Path off the request's, and routes it.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// No script runs, no style but the console's own sheet, nothing loads
	// from elsewhere, forms post only here, no one frames the pages.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "+
		"frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")

	rel := r.URL.Path
	switch {
	case rel == h.cfg.Path || rel == "":
		http.Redirect(w, r, h.cfg.Path+"/", http.StatusSeeOther)
		return
	case strings.HasPrefix(rel, h.cfg.Path+"/"):
		rel = rel[len(h.cfg.Path):]
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = rel, ""
	h.mux.ServeHTTP(w, r2)
}

// serveStatic serves the embedded style sheet; it may be cached.
func (h *handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, "/static")
	if strings.HasSuffix(r2.URL.Path, "/") {
		http.NotFound(w, r)
		return
	}
	h.static.ServeHTTP(w, r2)
}

// view is what every page template gets.
type view struct {
	Base     string // the console's Path
	SignedIn bool
	CSRF     string // the forms' token of the session, "" when signed out
	Title    string
	Section  string // the navigation entry to highlight
	Notice   string // what the last action did
	Error    string // why the last action was refused
	Data     any    // the page's own data
	newKey   func() (string, error)
}

// NewKey makes a fresh idempotency key for one form of the page.
func (v *view) NewKey() (string, error) { return v.newKey() }

// render writes the page tmpl with v at status, or a plain 500 if the
// template fails (before anything is written).
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, tmpl string, v *view) {
	v.Base = h.cfg.Path
	v.newKey = func() (string, error) {
		k, err := h.random(18)
		return "console-" + k, err
	}
	if s := sessionOf(r.Context()); s != nil {
		v.SignedIn, v.CSRF = true, s.csrf
	}
	if v.Notice == "" {
		v.Notice = notices[r.URL.Query().Get("notice")]
	}
	t, ok := h.pages[tmpl]
	if !ok {
		h.cfg.Logger.ErrorContext(r.Context(), "console: no such template", "template", tmpl)
		http.Error(w, "An internal error occurred", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "console: render", "template", tmpl, "err", err)
		http.Error(w, "An internal error occurred", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// statusOf is the HTTP status of an engine error.
func statusOf(err error) int {
	switch assetmint.ErrorCode(err) {
	case assetmint.EINVALID:
		return http.StatusBadRequest
	case assetmint.ENOTFOUND:
		return http.StatusNotFound
	case assetmint.ECONFLICT:
		return http.StatusConflict
	case assetmint.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case assetmint.EFORBIDDEN:
		return http.StatusForbidden
	case assetmint.ERATELIMITED:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// fail answers a page that could not be shown with the error's status and
// its caller-safe message; internal errors are logged in full.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		h.cfg.Logger.ErrorContext(r.Context(), "console: internal error", "path", r.URL.Path, "err", err)
	}
	h.render(w, r, status, "error.html", &view{Title: http.StatusText(status), Error: message(err)})
}

// message is what the operator reads of err: the engine's caller-safe
// message, with the field it names.
func message(err error) string {
	msg := assetmint.ErrorMessage(err)
	if p := assetmint.ErrorParam(err); p != "" && !strings.Contains(msg, p) {
		msg += " (" + p + ")"
	}
	return msg
}

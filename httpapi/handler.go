package httpapi

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/clientip"
	"github.com/assetmint/assetmint/internal/ids"
)

// Config holds the handler's optional settings; the zero value means the
// defaults.
type Config struct {
	// AdminToken enables the operator routes under /v1/admin/, which then
	// require "Authorization: Bearer <AdminToken>". Empty disables them (404).
	// It has at least MinAdminTokenLength (32) characters: New refuses a
	// shorter one.
	AdminToken string
	// Limiter enforces the plan limits per API client and the failure
	// budgets below. Default an in-process auth.MemoryLimiter; several
	// instances need a shared one.
	Limiter auth.Limiter
	// TrustedProxies are the proxies (load balancers) whose X-Forwarded-For
	// is believed. A request from a peer inside one of these prefixes is
	// counted against the right-most X-Forwarded-For hop that is not itself
	// a trusted proxy; from any other peer the header is ignored and the
	// peer is the client. Default none: every limit keys on the peer.
	TrustedProxies []netip.Prefix
	// TokenLimits bounds failed authentications per client address, against
	// secret guessing: token requests that get no token, operator requests
	// without the right operator token, and business requests without a
	// valid bearer token all spend it. Default 30 a minute. Over it, the
	// address gets 429 with Retry-After. At the token endpoint and on the
	// operator routes the budget is checked before the credentials, so an
	// address over it gets 429 even with the right ones, and guessing
	// cannot go on; a valid bearer token on a business route is never held
	// up. Successes spend nothing, so no one address can lock a client out
	// by failing on its behalf. The address is the peer's, or the client's
	// behind TrustedProxies.
	TokenLimits auth.Limits
	// ClientFailureLimits bounds failed token requests per client id, from
	// whatever address, so that guessing spread over many addresses is
	// slowed too; when it is spent, the token endpoint answers 429 for that
	// client id, right secret or not. Default ten times TokenLimits (300 a
	// minute): one address can never spend it alone, so lock-out needs at
	// least ten addresses failing at their full rate for as long as it
	// lasts, while a distributed guesser gets at most 300 guesses a minute.
	ClientFailureLimits auth.Limits
	// OperatorLimits bounds the operator routes, which payment rails may
	// call often. Default 1,000 a minute.
	OperatorLimits auth.Limits
	// PublicLimits bounds, per client address, what needs no credentials: the
	// OpenAPI document and unknown routes. Default 120 a minute.
	PublicLimits auth.Limits
	// Logger receives one line per request. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand is the randomness of request ids. Default crypto/rand.Reader.
	Rand io.Reader
	// BaseURL is the public URL the API is reached at, without the /v1 its
	// own paths start with: "https://api.example.com/assetmint" for a
	// handler a host mounts with http.StripPrefix("/assetmint", api)
	// behind https://api.example.com. The OpenAPI document the handler
	// serves names it as its server (see OpenAPIFor), so a client calls
	// BaseURL + "/v1/assets". An absolute http or https URL with no query,
	// fragment or user info; a trailing slash is dropped. Empty serves the
	// embedded document (OpenAPI), whose server is the example server's
	// default address.
	BaseURL string
}

// MinAdminTokenLength is the fewest characters Config.AdminToken may have.
const MinAdminTokenLength = 32

// handler serves the /v1 API over an Engine.
type handler struct {
	engine   *assetmint.Engine
	cfg      Config
	mux      *http.ServeMux
	ids      *ids.Generator // request ids
	patterns []string       // the routes registered, in order
	openapi  []byte         // the OpenAPI document served, for cfg.BaseURL
	// details keeps encoded asset details (see detailCache).
	details *detailCache
}

// handle registers one route.
func (h *handler) handle(pattern string, next http.Handler) {
	h.patterns = append(h.patterns, pattern)
	h.mux.Handle(pattern, next)
}

// Routes lists the patterns ("POST /v1/assets", ...) of every route the
// handler serves, the operator routes included: the route table the
// OpenAPI document is checked against.
func Routes() []string {
	h := &handler{cfg: Config{AdminToken: strings.Repeat("x", MinAdminTokenLength)}, mux: http.NewServeMux()}
	h.routes()
	return h.patterns
}

// New returns the http.Handler of the AssetMint API. It serves paths that
// start with /v1/; mount it at "/v1/" of a host's ServeMux, or under any
// prefix with http.StripPrefix, and then set Config.BaseURL so that the
// OpenAPI document it serves names where it is.
func New(engine *assetmint.Engine, cfg Config) (http.Handler, error) {
	if engine == nil {
		return nil, errors.New("httpapi: New needs an engine")
	}
	if cfg.TokenLimits.PerMinute < 0 || cfg.TokenLimits.PerDay < 0 ||
		cfg.ClientFailureLimits.PerMinute < 0 || cfg.ClientFailureLimits.PerDay < 0 ||
		cfg.OperatorLimits.PerMinute < 0 || cfg.OperatorLimits.PerDay < 0 || cfg.PublicLimits.PerMinute < 0 || cfg.PublicLimits.PerDay < 0 {
		return nil, errors.New("httpapi: Config limits must not be negative")
	}
	if cfg.AdminToken != "" && utf8.RuneCountInString(cfg.AdminToken) < MinAdminTokenLength {
		return nil, fmt.Errorf("httpapi: AdminToken must be at least %d characters", MinAdminTokenLength)
	}
	trusted, err := clientip.Prefixes("httpapi: TrustedProxies", cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	cfg.TrustedProxies = trusted
	doc, err := OpenAPIFor(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Limiter == nil {
		cfg.Limiter = auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	}
	if cfg.TokenLimits.PerMinute == 0 {
		cfg.TokenLimits.PerMinute = 30
	}
	if cfg.ClientFailureLimits == (auth.Limits{}) {
		cfg.ClientFailureLimits.PerDay = 10 * cfg.TokenLimits.PerDay
	}
	if cfg.ClientFailureLimits.PerMinute == 0 {
		cfg.ClientFailureLimits.PerMinute = 10 * cfg.TokenLimits.PerMinute
	}
	if cfg.OperatorLimits.PerMinute == 0 {
		cfg.OperatorLimits.PerMinute = 1000
	}
	if cfg.PublicLimits.PerMinute == 0 {
		cfg.PublicLimits.PerMinute = 120
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
	h := &handler{engine: engine, cfg: cfg, mux: http.NewServeMux(), ids: &ids.Generator{Now: cfg.Now, Rand: cfg.Rand}, openapi: doc,
		details: newDetailCache()}
	h.routes()
	return h, nil
}

// routes registers every route. Business routes authenticate with a bearer
// token and count against the client's plan; POSTs honour Idempotency-Key
// (see post).
func (h *handler) routes() {
	h.handle("POST /v1/auth/token", http.HandlerFunc(h.token))
	h.handle("GET /v1/openapi.json", h.public(h.serveOpenAPI))

	h.handle("GET /v1/assets", h.business(h.listAssets))
	h.handle("POST /v1/assets", h.business(h.createAsset))
	h.handle("GET /v1/assets/{id}", h.business(h.getAsset))
	h.handle("PATCH /v1/assets/{id}", h.business(h.updateAsset))
	h.handle("POST /v1/documents/upload", h.business(uploadBody(h.uploadDocument)))
	h.handle("GET /v1/documents/{id}", h.business(h.getDocument))
	h.handle("GET /v1/documents/{id}/content", h.business(h.getDocumentContent))
	h.handle("GET /v1/valuations/{asset_id}", h.business(h.getValuation))

	h.handle("GET /v1/tokens", h.business(h.listTokens))
	h.handle("GET /v1/tokens/{id}", h.business(h.getToken))

	h.handle("GET /v1/loans", h.business(h.listLoans))
	h.handle("POST /v1/loans", h.business(h.createLoan))
	h.handle("GET /v1/loans/{id}", h.business(h.getLoan))

	h.handle("GET /v1/webhooks", h.business(h.listWebhooks))
	h.handle("POST /v1/webhooks", h.business(h.createWebhook))
	h.handle("DELETE /v1/webhooks/{id}", h.business(h.deleteWebhook))
	h.handle("POST /v1/webhooks/{id}/rotate_secret", h.business(h.rotateWebhookSecret))
	h.handle("GET /v1/webhooks/{id}/deliveries", h.business(h.listDeliveries))
	h.handle("POST /v1/webhooks/{id}/deliveries/{delivery_id}/retry", h.business(h.retryDelivery))

	if h.cfg.AdminToken != "" {
		h.handle("GET /v1/admin/businesses", h.operator(h.listBusinesses))
		h.handle("POST /v1/admin/businesses", h.operator(h.createBusiness))
		h.handle("GET /v1/admin/businesses/{id}", h.operator(h.getBusiness))
		h.handle("PATCH /v1/admin/businesses/{id}", h.operator(h.updateBusiness))
		h.handle("POST /v1/admin/businesses/{id}/clients", h.operator(h.createClient))
		h.handle("POST /v1/admin/assets/{id}/verify", h.operator(h.verifyAsset))
		h.handle("POST /v1/admin/assets/{id}/reject", h.operator(h.rejectAsset))
		h.handle("GET /v1/admin/loans", h.operator(h.listAllLoans))
		h.handle("GET /v1/admin/loans/{id}", h.operator(h.getAnyLoan))
		h.handle("POST /v1/admin/loans/{id}/approve", h.operator(h.approveLoan))
		h.handle("POST /v1/admin/loans/{id}/reject", h.operator(h.rejectLoan))
		h.handle("POST /v1/admin/loans/{id}/fund", h.operator(h.fundLoan))
		h.handle("POST /v1/admin/loans/{id}/repayments", h.operator(h.recordRepayment))
		h.handle("GET /v1/admin/chain", h.operator(h.getChain))
	}
	h.mux.HandleFunc("/", h.public(h.unrouted))
}

// ServeHTTP gives every request an id and a log line, and turns a panic
// into a 500 rather than a dropped connection.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.cfg.Now()
	id, err := h.ids.New(assetmint.PrefixRequest)
	if err != nil {
		id = "req_unknown"
	}
	rec := &record{}
	ctx := context.WithValue(r.Context(), ctxKey{}, &reqState{id: id, rec: rec})
	r = r.WithContext(ctx)
	sw := &statusWriter{ResponseWriter: w}
	sw.Header().Set("Request-Id", id)
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			rec.err = fmt.Errorf("panic: %v", p)
			if !sw.wrote {
				writeError(sw, r, rec.err)
			}
		}
		h.logRequest(r, sw, rec, start)
	}()
	_, pattern := h.mux.Handler(r)
	rec.route = pattern
	h.mux.ServeHTTP(sw, r)
}

// unrouted answers paths and methods no route serves, in the envelope. The
// message quotes the path the client sent (clientPath), not the one left
// after a host's http.StripPrefix.
func (h *handler) unrouted(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := h.mux.Handler(probe); p != "/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		for _, m := range allowed {
			w.Header().Add("Allow", m)
		}
		writeError(w, r, &apiError{http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed",
			fmt.Sprintf("%s is not allowed on %s", r.Method, clientPath(r)), ""})
		return
	}
	writeError(w, r, &apiError{http.StatusNotFound, "not_found_error", "route_not_found",
		fmt.Sprintf("Unrecognized request URL (%s %s)", r.Method, clientPath(r)), ""})
}

// clientPath is the path of the URL the client asked for: the request
// line's, which http.StripPrefix leaves as it was while it takes the
// prefix off r.URL.Path. A request built in process, with no RequestURI,
// gives r.URL.Path.
func clientPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		return u.Path
	}
	return r.URL.Path
}

func (h *handler) logRequest(r *http.Request, sw *statusWriter, rec *record, start time.Time) {
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	attrs := []slog.Attr{
		slog.String("request_id", requestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("route", rec.route),
		slog.Int("status", status),
		slog.Duration("latency", h.cfg.Now().Sub(start)),
	}
	if rec.businessID != "" {
		attrs = append(attrs, slog.String("business_id", rec.businessID))
	}
	if rec.clientID != "" {
		attrs = append(attrs, slog.String("client_id", rec.clientID))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
		if rec.err != nil {
			attrs = append(attrs, slog.String("err", rec.err.Error()))
		}
	}
	h.cfg.Logger.LogAttrs(r.Context(), level, "request", attrs...)
}

// statusWriter remembers the status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// record collects what the log line reports about a request.
type record struct {
	route      string
	businessID string
	clientID   string
	err        error
}

type ctxKey struct{}

// reqState is the per-request state kept in the context.
type reqState struct {
	id        string
	rec       *record
	principal assetmint.Principal
	body      []byte
	bodyRead  bool
}

func stateOf(ctx context.Context) *reqState {
	s, _ := ctx.Value(ctxKey{}).(*reqState)
	return s
}

func requestID(ctx context.Context) string {
	if s := stateOf(ctx); s != nil {
		return s.id
	}
	return ""
}

func recordOf(ctx context.Context) *record {
	if s := stateOf(ctx); s != nil {
		return s.rec
	}
	return nil
}

// principal is who an authenticated business request acts for.
func principal(r *http.Request) assetmint.Principal { return stateOf(r.Context()).principal }

// bodyOf returns the request body, read once within the JSON size limit.
func bodyOf(r *http.Request) ([]byte, error) {
	s := stateOf(r.Context())
	if s.bodyRead {
		return s.body, nil
	}
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	s.body, s.bodyRead = b, true
	return b, nil
}

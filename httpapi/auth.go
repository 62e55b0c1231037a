package httpapi

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
)

// tokenResponse is RFC 6749 section 5.1.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// oauthError is RFC 6749 section 5.2.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// token is POST /v1/auth/token: client credentials for a bearer token. It
// answers in RFC 6749 shape, not the envelope, because standard OAuth2
// clients parse that shape. Credentials come as HTTP Basic, a form body or
// the reference's JSON body.
func (h *handler) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")

	// The address's budget is checked before anything is read, the client
	// id's once it is known, and both before the secret: a spent one stops
	// guessing. Only failures spend them, so one address's failures never
	// keep another from a token (see Config.TokenLimits).
	addr := h.addrBudget(r)
	if !h.admitFailures(w, r, true, addr) {
		return
	}
	req, oerr := parseTokenRequest(r)
	if oerr != nil {
		h.countFailure(w, r, addr)
		status := cmp.Or(oerr.status, http.StatusBadRequest)
		if oerr.Error == "invalid_client" {
			status = http.StatusUnauthorized // RFC 6749 5.2, whatever the auth style
			if r.Header.Get("Authorization") != "" {
				w.Header().Set("WWW-Authenticate", `Basic realm="assetmint"`)
			}
		}
		writeJSON(w, status, oerr)
		return
	}
	client := budget{"auth:client:" + req.clientID, h.cfg.ClientFailureLimits}
	if !h.admitFailures(w, r, true, client) {
		return
	}
	basic := r.Header.Get("Authorization") != ""
	tok, err := h.engine.IssueToken(r.Context(), req.clientID, req.clientSecret)
	if err != nil {
		recordOf(r.Context()).err = err
		if errors.Is(err, assetmint.ErrInvalidClient) {
			h.countFailure(w, r, addr, client)
			if basic {
				w.Header().Set("WWW-Authenticate", `Basic realm="assetmint"`)
			}
			writeJSON(w, http.StatusUnauthorized, oauthError{"invalid_client", "Client authentication failed"})
			return
		}
		writeJSON(w, http.StatusInternalServerError, oauthError{"server_error", "The token could not be issued"})
		return
	}
	recordOf(r.Context()).clientID = req.clientID
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok.Token, TokenType: "Bearer", ExpiresIn: int(tok.ExpiresIn.Seconds())})
}

type tokenRequest struct {
	grantType, clientID, clientSecret string
}

// tokenError is a refused token request: the RFC 6749 error and its
// status, when not the one its error code implies.
type tokenError struct {
	oauthError
	status int
}

// parseTokenRequest reads the grant and the client's credentials. Using
// more than one way to send credentials is an error (RFC 6749 2.3), and so
// is a JSON body that repeats a key. Unknown parameters are ignored, as
// RFC 6749 3.2 requires.
func parseTokenRequest(r *http.Request) (tokenRequest, *tokenError) {
	var req tokenRequest
	fail := func(code, desc string) (tokenRequest, *tokenError) {
		return tokenRequest{}, &tokenError{oauthError: oauthError{code, desc}}
	}
	bad := func(desc string) (tokenRequest, *tokenError) { return fail("invalid_request", desc) }
	body, err := readLimited(r)
	var tooBig *apiError
	if errors.As(err, &tooBig) && tooBig.status == http.StatusRequestEntityTooLarge {
		return tokenRequest{}, &tokenError{oauthError{"invalid_request", tooBig.message}, tooBig.status}
	}
	if err != nil {
		return bad("The request body could not be read")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "" && len(bytes.TrimSpace(body)) > 0 {
		// No Content-Type: a JSON object is JSON, anything else a form.
		mt = "application/x-www-form-urlencoded"
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
			mt = "application/json"
		}
	}
	var bodyID, bodySecret string
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		in, err := scanObject(body)
		if err != nil {
			return bad(assetmint.ErrorMessage(err))
		}
		get := func(k string) (string, bool) {
			v, present := in[k]
			if !present {
				return "", true
			}
			s, ok := v.(string)
			return s, ok
		}
		var ok1, ok2, ok3 bool
		req.grantType, ok1 = get("grant_type")
		bodyID, ok2 = get("client_id")
		bodySecret, ok3 = get("client_secret")
		if !ok1 || !ok2 || !ok3 {
			return bad("grant_type, client_id and client_secret must be strings")
		}
	case mt == "application/x-www-form-urlencoded" || (mt == "" && len(body) == 0):
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return bad("The form body is malformed")
		}
		for k, v := range form {
			if len(v) > 1 && (k == "grant_type" || k == "client_id" || k == "client_secret") {
				return bad(k + " must not repeat")
			}
		}
		req.grantType, bodyID, bodySecret = form.Get("grant_type"), form.Get("client_id"), form.Get("client_secret")
	default:
		return bad("Send the request as application/x-www-form-urlencoded or application/json")
	}

	if r.Header.Get("Authorization") != "" {
		user, pass, ok := r.BasicAuth()
		if !ok {
			return fail("invalid_client", "The Authorization header must be HTTP Basic")
		}
		if bodyID != "" && bodyID != unescapeOr(user) || bodySecret != "" {
			return bad("Send client credentials in the Authorization header or in the body, not both")
		}
		// RFC 6749 2.3.1: both parts are form-urlencoded before Basic encoding.
		req.clientID, req.clientSecret = unescapeOr(user), unescapeOr(pass)
	} else {
		req.clientID, req.clientSecret = bodyID, bodySecret
	}

	switch {
	case req.grantType == "":
		return bad("grant_type is required")
	case req.grantType != "client_credentials":
		return fail("unsupported_grant_type", "Only grant_type client_credentials is supported")
	case req.clientID == "" || req.clientSecret == "":
		return fail("invalid_client", "client_id and client_secret are required")
	}
	return req, nil
}

func unescapeOr(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// business wraps a route of the business API: it authenticates the bearer
// token and enforces the client's plan limits, setting the X-RateLimit-*
// headers on every answer. A missing or invalid token spends the caller's
// failure budget; a valid one is never held up by it (a signed token cannot
// be guessed, and checking first would cost every request a limiter call).
func (h *handler) business(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok {
			if d := h.countFailure(w, r, h.addrBudget(r)); d != nil {
				h.tooMany(w, r, *d, false)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="assetmint"`)
			writeError(w, r, &apiError{http.StatusUnauthorized, "authentication_error", "missing_token",
				"Send an access token: Authorization: Bearer <token> (from POST /v1/auth/token)", ""})
			return
		}
		p, err := h.engine.Authenticate(r.Context(), token)
		if err != nil {
			if assetmint.ErrorCode(err) == assetmint.EUNAUTHORIZED {
				// Failed authentications count against the caller's address,
				// so tokens cannot be guessed at the plan limit of nobody.
				if d := h.countFailure(w, r, h.addrBudget(r)); d != nil {
					h.tooMany(w, r, *d, false)
					return
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="assetmint", error="invalid_token", error_description=`+strconv.Quote(assetmint.ErrorMessage(err)))
				writeError(w, r, &apiError{http.StatusUnauthorized, "authentication_error", "invalid_token", assetmint.ErrorMessage(err), ""})
				return
			}
			writeError(w, r, err)
			return
		}
		st := stateOf(r.Context())
		st.principal = p
		st.rec.businessID, st.rec.clientID = p.BusinessID, p.ClientID
		if !h.limit(w, r, "client:"+p.ClientID, p.Limits) {
			return
		}
		next(w, r)
	})
}

// operator wraps an operator route: the admin token, compared in constant
// time once the caller's failure budget has been checked, so that an
// address over it cannot go on guessing.
func (h *handler) operator(next http.HandlerFunc) http.Handler {
	want := []byte(h.cfg.AdminToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := h.addrBudget(r)
		if !h.admitFailures(w, r, false, addr) {
			return
		}
		token, ok := bearer(r)
		if !ok || subtle.ConstantTimeCompare([]byte(token), want) != 1 {
			h.countFailure(w, r, addr)
			w.Header().Set("WWW-Authenticate", `Bearer realm="assetmint-admin", error="invalid_token"`)
			writeError(w, r, &apiError{http.StatusUnauthorized, "authentication_error", "invalid_token",
				"Operator routes need Authorization: Bearer <operator token>", ""})
			return
		}
		stateOf(r.Context()).principal = assetmint.Principal{BusinessID: operatorScope}
		if !h.limit(w, r, "operator", h.cfg.OperatorLimits) {
			return
		}
		next(w, r)
	})
}

// public wraps what needs no credentials (the OpenAPI document, unknown
// routes) in a per-address limit, so that every answer carries
// X-RateLimit-*.
func (h *handler) public(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.limit(w, r, "public:ip:"+h.clientAddr(r), h.cfg.PublicLimits) {
			return
		}
		next(w, r)
	}
}

// operatorScope keys the operator's idempotency records apart from any
// business's.
const operatorScope = "operator"

// bearer extracts an RFC 6750 bearer token from the Authorization header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// budget is a limiter key that only failed authentications spend.
type budget struct {
	key    string
	limits auth.Limits
}

// addrBudget is the failure budget of r's client address (Config.TokenLimits).
func (h *handler) addrBudget(r *http.Request) budget {
	return budget{"auth:ip:" + h.clientAddr(r), h.cfg.TokenLimits}
}

// admitFailures checks, spending nothing, that no budget is spent. If one
// is, it answers 429 (in RFC 6749 shape with oauth, for the token endpoint)
// and reports false; otherwise the X-RateLimit-* headers show the budget
// with the least room.
func (h *handler) admitFailures(w http.ResponseWriter, r *http.Request, oauth bool, budgets ...budget) bool {
	for _, b := range budgets {
		d, err := h.cfg.Limiter.Peek(r.Context(), b.key, b.limits, h.cfg.Now())
		if err != nil {
			// A broken shared limiter must not take the API down with it.
			h.cfg.Logger.ErrorContext(r.Context(), "rate limiter failed; request admitted", "err", err)
			continue
		}
		if !d.Allowed {
			h.tooMany(w, r, d, oauth)
			return false
		}
		d.Remaining++ // Peek counts the request it imagines; this one has spent nothing yet
		showTightest(w, d)
	}
	return true
}

// countFailure spends one unit of each budget for a failed authentication
// and shows the one with the least room left in the X-RateLimit-* headers.
// When a budget was already spent it returns that denial, for the caller
// to answer 429 with; a caller that checked with admitFailures first may
// instead answer as the failure deserves (another request spent the last
// unit in between).
func (h *handler) countFailure(w http.ResponseWriter, r *http.Request, budgets ...budget) *auth.Decision {
	for _, b := range budgets {
		d, err := h.cfg.Limiter.Allow(r.Context(), b.key, b.limits, h.cfg.Now())
		if err != nil {
			h.cfg.Logger.ErrorContext(r.Context(), "rate limiter failed; failure not counted", "err", err)
			continue
		}
		if !d.Allowed {
			return &d
		}
		showTightest(w, d)
	}
	return nil
}

// showTightest shows d in the X-RateLimit-* headers unless they already
// show a window with less room: a request checked against several budgets
// (the token endpoint: its address and its client id) shows the tightest.
func showTightest(w http.ResponseWriter, d auth.Decision) {
	if prev, err := strconv.Atoi(w.Header().Get("X-RateLimit-Remaining")); err == nil && prev < d.Remaining {
		return
	}
	setLimitHeaders(w, d)
}

// limit counts one request against key's limits, sets the X-RateLimit-*
// headers, and answers 429 when over; it reports whether to go on.
func (h *handler) limit(w http.ResponseWriter, r *http.Request, key string, limits auth.Limits) bool {
	d, err := h.cfg.Limiter.Allow(r.Context(), key, limits, h.cfg.Now())
	if err != nil {
		// A broken shared limiter must not take the API down with it.
		h.cfg.Logger.ErrorContext(r.Context(), "rate limiter failed; request admitted", "err", err)
		return true
	}
	if !d.Allowed {
		h.tooMany(w, r, d, false)
		return false
	}
	setLimitHeaders(w, d)
	return true
}

// setLimitHeaders shows d's window in the X-RateLimit-* headers.
func setLimitHeaders(w http.ResponseWriter, d auth.Decision) {
	hd := w.Header()
	hd.Set("X-RateLimit-Limit", strconv.Itoa(d.Limit))
	hd.Set("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
	hd.Set("X-RateLimit-Reset", strconv.FormatInt(d.Reset.Unix(), 10))
}

// tooMany answers 429 for the denied d, with Retry-After.
func (h *handler) tooMany(w http.ResponseWriter, r *http.Request, d auth.Decision, oauth bool) {
	setLimitHeaders(w, d)
	retry := auth.RetryAfterSeconds(d.RetryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	msg := "Too many requests: retry after " + strconv.Itoa(retry) + " seconds"
	if d.Code == "daily_quota_exceeded" {
		msg = "The daily request quota of this plan is used up: retry after " + strconv.Itoa(retry) + " seconds"
	}
	if oauth {
		writeJSON(w, http.StatusTooManyRequests, oauthError{d.Code, msg})
		return
	}
	writeError(w, r, &apiError{http.StatusTooManyRequests, "rate_limit_error", d.Code, msg, ""})
}

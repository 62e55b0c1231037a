package console

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/clientip"
)

// How the console authenticates. An operator signs in with the operator
// token; the engine then starts an operator session (stored by the hash of
// its token, so every instance knows it and signing out ends it
// everywhere), and the session's token goes into the session cookie:
// HttpOnly, SameSite=Strict, Secure behind TLS (Config.SecureCookies),
// scoped to the console's Path, expiring with the session.
//
// Every form that changes something carries a CSRF token: the session's,
// an HMAC of the session token, which a page of another site can neither
// read nor compute. The sign-in form, before any session, carries a random
// value that must match a cookie of its own (double submit). A POST
// without the right token is refused with 403 before anything runs.
//
// A wrong token is answered 401 and spends one unit of the client
// address's failure budget (Config.SignInLimits, shared with the API's
// operator routes through Config.Limiter); once it is spent, sign-in
// answers 429 with Retry-After whatever the token.

const (
	sessionCookie = "assetmint_console"
	loginCookie   = "assetmint_console_login"
	// maxFormBytes bounds a form's body: the console's forms are small.
	maxFormBytes = 64 << 10
)

// session is the signed-in operator's session, for the request.
type session struct {
	token string // from the cookie
	csrf  string // the forms' token
}

type sessionKey struct{}

func sessionOf(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// csrfToken is the CSRF token of a session token: an HMAC keyed with it.
func csrfToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("assetmint console forms v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// session reads the request's session. Errors: EUNAUTHORIZED when there is
// no live one.
func (h *handler) session(r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, &assetmint.Error{Code: assetmint.EUNAUTHORIZED, Message: "Sign in first", Err: assetmint.ErrInvalidSession}
	}
	if _, err := h.op.Session(r.Context(), c.Value); err != nil {
		return nil, err
	}
	return &session{token: c.Value, csrf: csrfToken(c.Value)}, nil
}

// page wraps a page: without a live session it sends the browser to the
// sign-in page.
func (h *handler) page(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.session(r)
		if assetmint.ErrorCode(err) == assetmint.EUNAUTHORIZED {
			http.Redirect(w, r, h.cfg.Path+"/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
	}
}

// form wraps a form's POST: it needs a live session and the session's
// CSRF token in the form's csrf field, else it answers 403 and runs
// nothing. The form is parsed (at most maxFormBytes) for next.
func (h *handler) form(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.session(r)
		if assetmint.ErrorCode(err) == assetmint.EUNAUTHORIZED {
			h.forbid(w, r, "Your session has ended, so nothing was done: sign in again")
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if err := parseForm(w, r); err != nil {
			h.forbid(w, r, "The form could not be read, so nothing was done")
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, s))
		if !sameToken(r.PostForm.Get("csrf"), s.csrf) {
			h.forbid(w, r, "The form's security token is missing or wrong, so nothing was done: reload the page and try again")
			return
		}
		next(w, r)
	}
}

// forbid answers 403 with msg on a page that carries no form token.
func (h *handler) forbid(w http.ResponseWriter, r *http.Request, msg string) {
	h.render(w, r, http.StatusForbidden, "error.html", &view{Title: "Refused", Error: msg})
}

// parseForm reads a URL-encoded form body of at most maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return r.ParseForm()
}

// sameToken compares a submitted token with the expected one in constant
// time; an empty one never matches.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// secure reports whether the cookies of r's answer are Secure.
func (h *handler) secure(r *http.Request) bool { return h.cfg.SecureCookies || r.TLS != nil }

// cookie is one of the console's cookies: HttpOnly, SameSite=Strict,
// scoped to the console, Secure behind TLS, expiring after maxAge (Max-Age,
// which browsers count on their own clock); maxAge 0 deletes it.
func (h *handler) cookie(r *http.Request, name, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: h.cfg.Path + "/", HttpOnly: true, Secure: h.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(maxAge / time.Second)}
	if maxAge <= 0 {
		c.MaxAge, c.Value = -1, ""
	}
	return c
}

// random returns n random bytes from Config.Rand, base64url.
func (h *handler) random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(h.cfg.Rand, b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// loginView is the sign-in page's data.
type loginView struct {
	Token string // the sign-in form's double-submit value
}

// showLogin answers the sign-in form at status, with msg as its error; the
// form's double-submit value is the login cookie's (set if missing).
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	nonce := ""
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) == 43 {
		nonce = c.Value
	} else {
		var err error
		if nonce, err = h.random(32); err != nil {
			h.fail(w, r, err)
			return
		}
		http.SetCookie(w, h.cookie(r, loginCookie, nonce, time.Hour))
	}
	h.render(w, r, status, "login.html", &view{Title: "Sign in", Error: msg, Data: loginView{Token: nonce}})
}

// loginPage is GET /login: the sign-in form, or the dashboard for a
// signed-in operator.
func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := h.session(r); err == nil {
		http.Redirect(w, r, h.cfg.Path+"/", http.StatusSeeOther)
		return
	}
	h.showLogin(w, r, http.StatusOK, "")
}

// signIn is POST /login: the operator token for a session.
func (h *handler) signIn(w http.ResponseWriter, r *http.Request) {
	key := "auth:ip:" + clientip.Addr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), h.cfg.TrustedProxies)
	// The budget is checked before anything is read: a spent one stops
	// guessing, whatever the token.
	if d, err := h.cfg.Limiter.Peek(r.Context(), key, h.cfg.SignInLimits, h.cfg.Now()); err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "console: rate limiter failed; sign-in admitted", "err", err)
	} else if !d.Allowed {
		h.tooMany(w, r, d)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.showLogin(w, r, http.StatusForbidden, "The sign-in form could not be read: try again")
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostForm.Get("csrf"), c.Value) {
		h.showLogin(w, r, http.StatusForbidden, "The sign-in form expired or did not come from this console: try again")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(h.cfg.AdminToken)) != 1 {
		d, err := h.cfg.Limiter.Allow(r.Context(), key, h.cfg.SignInLimits, h.cfg.Now())
		if err != nil {
			h.cfg.Logger.ErrorContext(r.Context(), "console: rate limiter failed; failure not counted", "err", err)
		} else if !d.Allowed {
			h.tooMany(w, r, d)
			return
		}
		h.showLogin(w, r, http.StatusUnauthorized, "That is not the operator token")
		return
	}
	token, s, err := h.op.StartSession(r.Context(), h.cfg.SessionTTL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, h.cookie(r, sessionCookie, token, s.ExpiresAt.Sub(s.CreatedAt)))
	http.SetCookie(w, h.cookie(r, loginCookie, "", 0))
	http.Redirect(w, r, h.cfg.Path+"/", http.StatusSeeOther)
}

// tooMany answers 429 with Retry-After and the sign-in form.
func (h *handler) tooMany(w http.ResponseWriter, r *http.Request, d auth.Decision) {
	retry := auth.RetryAfterSeconds(d.RetryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	h.showLogin(w, r, http.StatusTooManyRequests, "Too many failed sign-ins from your address: try again in "+strconv.Itoa(retry)+" seconds")
}

// signOut is POST /logout: the session ends, for every instance.
func (h *handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := h.op.EndSession(r.Context(), sessionOf(r.Context()).token); err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, h.cookie(r, sessionCookie, "", 0))
	http.Redirect(w, r, h.cfg.Path+"/login?notice=signed_out", http.StatusSeeOther)
}

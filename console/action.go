package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/assetmint/assetmint"
)

// Every form carries its own idempotency key, made when the page was
// rendered (view.NewKey), and its POST runs the engine's use case through
// Engine.Idempotent under that key in the operator's scope, as the REST
// API's operator routes do with an Idempotency-Key header. What is stored
// under the key, in the use case's own transaction, is where the form's
// answer sends the operator. So a form submitted twice (a double click, a
// reload of the answer, the back button) runs its use case once: the
// second submission finds the stored answer and is sent to the same page,
// told that nothing was done again; one still running is waited for; the
// same key with other values is refused (409).

// keyField is the form field of the idempotency key.
const keyField = "idempotency_key"

// operatorScope is the scope of the operator's idempotency keys, the same
// as the REST API's operator routes.
const operatorScope = "operator"

// action is one form's use case.
type action struct {
	// fields are the form fields the submission's fingerprint covers: the
	// ones the use case reads.
	fields []string
	// call runs the use case with the context it is given.
	call func(ctx context.Context) (any, error)
	// next is where the operator goes after the use case, from its result,
	// relative to the console ("/loans/loan_...?notice=..."). It must be
	// pure: it runs inside the use case's transaction.
	next func(result any) string
}

// perform runs a's use case under the form's idempotency key. It returns
// the use case's result when it ran now; when an earlier submission of the
// form ran it, it answers with a redirect to where that one went and
// returns replayed true. On an error, nothing has been answered.
func (h *handler) perform(r *http.Request, a action) (result any, replayed bool, err error) {
	key := r.PostForm.Get(keyField)
	if key == "" {
		return nil, false, assetmint.FieldError(keyField, "The form has no idempotency key: reload the page and submit it again")
	}
	sum := sha256.New()
	sum.Write([]byte("console " + r.URL.Path + "\n"))
	for _, f := range a.fields {
		sum.Write([]byte(url.QueryEscape(f) + "=" + url.QueryEscape(r.PostForm.Get(f)) + "\n"))
	}
	k := assetmint.IdempotencyKey{Scope: operatorScope, Key: key, Fingerprint: hex.EncodeToString(sum.Sum(nil))}
	render := func(res any) (assetmint.Answer, error) {
		return assetmint.Answer{Status: http.StatusSeeOther, Body: []byte(a.next(res))}, nil
	}
	call := func(ctx context.Context) (any, error) {
		v, err := a.call(ctx)
		result = v
		return v, err
	}
	// A submission still running (the first click of a double click) is
	// waited for, a few seconds at most, so the second gets its answer.
	for range 50 {
		var answer assetmint.Answer
		answer, replayed, err = h.engine.Idempotent(r.Context(), k, render, call)
		if !errors.Is(err, assetmint.ErrIdempotencyKeyInUse) {
			if replayed {
				return nil, true, redirectTo(string(answer.Body))
			}
			break
		}
		select {
		case <-r.Context().Done():
			return nil, false, err
		case <-time.After(100 * time.Millisecond):
		}
	}
	switch {
	case errors.Is(err, assetmint.ErrIdempotencyKeyInUse):
		return nil, false, assetmint.Errorf(assetmint.ECONFLICT,
			"This form is still being processed: reload the page in a moment to see what it did")
	case errors.Is(err, assetmint.ErrIdempotencyKeyReused):
		return nil, false, assetmint.Errorf(assetmint.ECONFLICT,
			"This form was already submitted with other values, so nothing was done: reload the page for a fresh form")
	case assetmint.ErrorParam(err) == "Idempotency-Key":
		return nil, false, assetmint.FieldError(keyField, "The form's idempotency key is malformed: reload the page")
	}
	return result, false, err
}

// redirect is the answer of a replayed form: where the first submission
// went. It is an error value so perform's callers stop; act and the
// creating forms answer it with the redirect.
type redirect struct{ to string }

func (r *redirect) Error() string { return "redirect to " + r.to }

// redirectTo is where a replayed submission goes: the first one's page,
// told that nothing was done again.
func redirectTo(stored string) error {
	path, _, _ := strings.Cut(stored, "?")
	return &redirect{to: path + "?notice=" + noticeAgain}
}

// act runs a form's action and sends the operator on (303), or, when the
// engine refuses it, shows the form's page again with the reason
// (onError).
func (h *handler) act(w http.ResponseWriter, r *http.Request, a action, onError func(w http.ResponseWriter, r *http.Request, err error)) {
	res, _, err := h.perform(r, a)
	if h.redirected(w, r, err) {
		return
	}
	if err != nil {
		onError(w, r, err)
		return
	}
	http.Redirect(w, r, h.cfg.Path+a.next(res), http.StatusSeeOther)
}

// redirected answers a replayed form's redirect, if err is one.
func (h *handler) redirected(w http.ResponseWriter, r *http.Request, err error) bool {
	var rd *redirect
	if !errors.As(err, &rd) {
		return false
	}
	http.Redirect(w, r, h.cfg.Path+rd.to, http.StatusSeeOther)
	return true
}

// The notices a page shows after an action, by the code in its notice
// parameter; codes only, so a link cannot put words on a page.
const noticeAgain = "again"

var notices = map[string]string{
	noticeAgain:          "This form was already submitted: nothing was done again.",
	"signed_out":         "You are signed out.",
	"verified":           "The asset is verified; its token is being minted.",
	"asset_rejected":     "The asset is rejected.",
	"approved":           "The loan is approved.",
	"loan_rejected":      "The loan is rejected.",
	"funding":            "Funding is requested: the token is locked on chain, then the loan is funded.",
	"repayment_recorded": "The repayment is recorded.",
	"business_updated":   "The business is updated.",
	"retried":            "The delivery is scheduled again.",
	"business_created":   "The business was created; its first client's secret was shown once, on the page that answered the form.",
	"client_created":     "The client was created; its secret was shown once, on the page that answered the form.",
}

package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"

	"github.com/assetmint/assetmint"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 255

// idempotent wraps a creating POST: with an Idempotency-Key, the first
// request's successful answer is stored and replayed to retries with the
// same key and body; the same key with another body is 422, and a retry
// while the first is still running is 409. Failed answers are not stored,
// so a failed request may be retried with its key. Keys are scoped by the
// business (or the operator) and kept for Config.IdempotencyTTL.
func (h *handler) idempotent(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			next(w, r)
			return
		}
		if len(key) > maxIdempotencyKey {
			writeError(w, r, assetmint.FieldError("Idempotency-Key", "The Idempotency-Key header must be at most %d characters.", maxIdempotencyKey))
			return
		}
		body, err := bodyOf(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		sum := sha256.New()
		sum.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
		sum.Write(canonicalBody(r, body))
		hash := hex.EncodeToString(sum.Sum(nil))

		scope := principal(r).BusinessID
		now := h.cfg.Now().UTC()
		store := h.engine.Store()
		held := assetmint.IdempotencyRecord{
			Scope: scope, Key: key, RequestHash: hash, LockedUntil: now.Add(h.cfg.IdempotencyLock), CreatedAt: now,
		}
		prev, err := store.ReserveIdempotencyKey(r.Context(), held, now, now.Add(-h.cfg.IdempotencyTTL))
		if err != nil {
			writeError(w, r, err)
			return
		}
		if prev != nil {
			switch {
			case prev.RequestHash != hash:
				writeError(w, r, &apiError{http.StatusUnprocessableEntity, "idempotency_error", "idempotency_key_reused",
					"This Idempotency-Key was used with a different request; use a new key for a new request.", ""})
			case !prev.Complete():
				writeError(w, r, &apiError{http.StatusConflict, "idempotency_error", "idempotency_key_in_use",
					"A request with this Idempotency-Key is still in progress; retry later.", ""})
			default:
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Idempotent-Replayed", "true")
				w.WriteHeader(prev.Status)
				_, _ = w.Write(prev.Body)
			}
			return
		}

		cw := &captureWriter{ResponseWriter: w}
		next(cw, r)
		// The request's own context may be cancelled by now; the outcome
		// must still be recorded.
		ctx := context.WithoutCancel(r.Context())
		if cw.status >= 200 && cw.status < 300 {
			err = store.CompleteIdempotencyKey(ctx, held, cw.status, cw.body.Bytes())
		} else {
			err = store.ReleaseIdempotencyKey(ctx, held)
		}
		if err != nil {
			h.cfg.Logger.ErrorContext(ctx, "idempotency: record outcome", "err", err, "request_id", requestID(ctx))
		}
	}
}

// captureWriter keeps a copy of the answer for the idempotency store.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// canonicalBody is what a request's idempotency fingerprint covers. A
// multipart body is reduced to its fields and files in order of name, since
// clients draw a new random boundary for every encoding of the same form;
// any other body (or a malformed form) is taken byte for byte.
func canonicalBody(r *http.Request, body []byte) []byte {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return body
	}
	var parts []string
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return body
		}
		sum := sha256.Sum256(content)
		parts = append(parts, fmt.Sprintf("%q %q %x", p.FormName(), p.FileName(), sum))
	}
	sort.Strings(parts)
	return []byte(strings.Join(parts, "\n"))
}

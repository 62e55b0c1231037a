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

// post answers a POST route: it runs call, one of the engine's use cases,
// and answers status with render of its result in the envelope. With an
// Idempotency-Key header, the engine reserves the key, the use case stores
// this very answer under it in the transaction of its own effect, and a
// retry with the same key and body gets the stored answer back
// (Idempotent-Replayed: true) without running anything: a crash can leave
// the effect with its answer, or neither. The same key with another body is
// 422; a retry while the first is still running is 409. A failed call
// stores nothing, so it may be retried with its key. Keys are scoped by the
// business (or the operator) and kept for the engine's IdempotencyTTL.
//
// render must be pure: it runs inside the use case's transaction.
func post[T any](h *handler, w http.ResponseWriter, r *http.Request, status int, call func(ctx context.Context) (T, error), render func(T) any) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		v, err := call(r.Context())
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeData(w, r, status, render(v))
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
	k := assetmint.IdempotencyKey{Scope: principal(r).BusinessID, Key: key, Fingerprint: hex.EncodeToString(sum.Sum(nil))}
	answer := func(result any) (assetmint.Answer, error) {
		v, ok := result.(T)
		if !ok {
			return assetmint.Answer{}, fmt.Errorf("httpapi: %s answers %T, not %T", r.Pattern, result, v)
		}
		b, err := encode(envelope{Data: render(v), Meta: meta{RequestID: requestID(r.Context())}})
		return assetmint.Answer{Status: status, Body: b}, err
	}
	a, replayed, err := h.engine.Idempotent(r.Context(), k, answer, func(ctx context.Context) (any, error) { return call(ctx) })
	if err != nil {
		writeError(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
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

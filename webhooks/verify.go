package webhooks

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verification errors. The verify methods wrap them with detail; test with
// errors.Is.
var (
	// ErrMissingSignature: the signature headers are absent or malformed.
	ErrMissingSignature = errors.New("webhooks: missing or malformed signature headers")
	// ErrSignatureMismatch: no signature matches any of the secrets.
	ErrSignatureMismatch = errors.New("webhooks: signature mismatch")
	// ErrTimestampOutOfRange: webhook-timestamp is further than the
	// tolerance from now, in either direction (a replay, or a bad clock).
	ErrTimestampOutOfRange = errors.New("webhooks: timestamp out of range")
	// ErrInvalidSecret: a secret is not "whsec_" + standard base64, or
	// there is none. It is the receiver's configuration at fault, not the
	// request.
	ErrInvalidSecret = errors.New("webhooks: invalid secret")
)

// DefaultTolerance is how far webhook-timestamp may be from the receiver's
// clock, either way, when Verifier.Tolerance is zero.
const DefaultTolerance = 5 * time.Minute

// MaxBodyBytes is the largest body Handler reads.
const MaxBodyBytes = 1 << 20

// Verifier checks deliveries on the receiver's side. The zero Tolerance and
// Now mean the defaults.
type Verifier struct {
	// Secrets are the endpoint's secrets; a signature made with any of
	// them verifies. During a rotation, list the new and the old one.
	Secrets []string
	// Tolerance bounds |now - webhook-timestamp|; zero or negative means
	// DefaultTolerance.
	Tolerance time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AllowLegacy lets Handler accept a request without a Standard
	// Webhooks signature if its X-AssetMint-Signature verifies. Such
	// requests cannot be checked for replay; leave it off unless a sender
	// that only sets the AssetMint header must be accepted.
	AllowLegacy bool
}

// VerifyStandard checks the Standard Webhooks headers: webhook-id,
// webhook-timestamp (within Tolerance of Now, either way) and
// webhook-signature (any v1 entry matching any secret), over the raw body.
// Because the timestamp is signed, a captured request cannot be replayed
// after Tolerance; to refuse replays within it, remember webhook-id (the
// event id) for at least that long and drop repeats, which also dedupes
// AssetMint's at-least-once retries.
//
// It returns nil or an error wrapping ErrMissingSignature,
// ErrTimestampOutOfRange, ErrSignatureMismatch or ErrInvalidSecret.
func (v Verifier) VerifyStandard(h http.Header, body []byte) error {
	id, tsRaw := h.Get(HeaderID), h.Get(HeaderTimestamp)
	sigs := strings.Join(h.Values(HeaderStdSignature), " ")
	switch {
	case id == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, HeaderID)
	case tsRaw == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, HeaderTimestamp)
	case strings.TrimSpace(sigs) == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, HeaderStdSignature)
	}
	keys, err := v.standardKeys()
	if err != nil {
		return err
	}
	ts, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not Unix seconds", ErrMissingSignature, HeaderTimestamp)
	}
	if err := v.checkTimestamp(ts); err != nil {
		return err
	}
	// Sign what the timestamp means, not how it was spelled.
	tsCanon := strconv.FormatInt(ts, 10)
	want := make([][]byte, len(keys))
	for i, k := range keys {
		want[i] = standardMAC(k, id, tsCanon, body)
	}
	for _, entry := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(entry, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got, w) {
				return nil
			}
		}
	}
	return ErrSignatureMismatch
}

// VerifyAssetMint checks X-AssetMint-Signature, or
// X-AssetMint-Signature-Previous, against every secret: the scheme of the
// reference Express receiver.
//
// This scheme signs the body only, with no timestamp, so it cannot reject a
// replay: anyone who captures one delivery can send it again, at any time,
// and it verifies. Prefer VerifyStandard, which also signs the id and the
// time of the attempt. (Event ids still let a receiver drop exact repeats.)
//
// It returns nil or an error wrapping ErrMissingSignature,
// ErrSignatureMismatch or ErrInvalidSecret.
func (v Verifier) VerifyAssetMint(h http.Header, body []byte) error {
	sigs := append(h.Values(HeaderSignature), h.Values(HeaderSignaturePrevious)...)
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, HeaderSignature)
	}
	if _, err := v.standardKeys(); err != nil {
		return err
	}
	want := make([][]byte, len(v.Secrets))
	for i, s := range v.Secrets {
		want[i] = assetMintMAC(s, body)
	}
	for _, s := range sigs {
		hexSig, ok := strings.CutPrefix(strings.TrimSpace(s), "sha256=")
		if !ok {
			continue
		}
		got, err := hex.DecodeString(hexSig)
		if err != nil {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got, w) {
				return nil
			}
		}
	}
	return ErrSignatureMismatch
}

func (v Verifier) standardKeys() ([][]byte, error) {
	if len(v.Secrets) == 0 {
		return nil, fmt.Errorf("%w: the verifier has no secrets", ErrInvalidSecret)
	}
	keys := make([][]byte, len(v.Secrets))
	for i, s := range v.Secrets {
		k, err := standardKey(s)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// maxTimestamp keeps time arithmetic on a received timestamp far from
// overflow; anything beyond it is out of range anyway.
const maxTimestamp = 1 << 40

func (v Verifier) checkTimestamp(ts int64) error {
	tol := v.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if ts > maxTimestamp || ts < -maxTimestamp {
		return fmt.Errorf("%w: %d", ErrTimestampOutOfRange, ts)
	}
	d := now().Sub(time.Unix(ts, 0))
	switch {
	case d > tol:
		return fmt.Errorf("%w: %s old, tolerance %s", ErrTimestampOutOfRange, d.Round(time.Second), tol)
	case d < -tol:
		return fmt.Errorf("%w: %s in the future, tolerance %s", ErrTimestampOutOfRange, (-d).Round(time.Second), tol)
	}
	return nil
}

// Handler is middleware for receivers. It reads the body (at most
// MaxBodyBytes), verifies it with v.VerifyStandard (or, only if
// v.AllowLegacy and the request has no webhook-signature header, with
// v.VerifyAssetMint), decodes the Event and calls next with it. r.Body is
// replaced by the raw body, so next may read it again.
//
// Without calling next it answers 400 if the body cannot be read or is not
// an event with an id and a type, 413 if it is larger than MaxBodyBytes,
// 401 if the signature does not verify, and 500 if v's secrets are
// malformed. next answers 2xx to acknowledge; anything else makes AssetMint
// retry.
func Handler(v Verifier, next func(w http.ResponseWriter, r *http.Request, e Event)) http.Handler {
	if next == nil {
		panic("webhooks: Handler needs a next function")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if v.AllowLegacy && len(r.Header.Values(HeaderStdSignature)) == 0 {
			err = v.VerifyAssetMint(r.Header, body)
		} else {
			err = v.VerifyStandard(r.Header, body)
		}
		switch {
		case errors.Is(err, ErrInvalidSecret):
			http.Error(w, "webhook secret misconfigured", http.StatusInternalServerError)
			return
		case err != nil:
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		var e Event
		if err := json.Unmarshal(body, &e); err != nil || e.ID == "" || e.Type == "" {
			http.Error(w, "body is not an event", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, e)
	})
}

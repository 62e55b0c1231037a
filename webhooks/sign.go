package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of one delivery attempt.
const (
	// HeaderSignature is "sha256=" + hex(HMAC-SHA256(key = the bytes of the
	// whole secret string "whsec_...", message = the raw body)), exactly as
	// the reference Express receiver checks it. It carries no timestamp.
	HeaderSignature = "X-AssetMint-Signature"
	// HeaderSignaturePrevious is HeaderSignature computed with the previous
	// secret, sent only while a rotated-out secret is still signing.
	HeaderSignaturePrevious = "X-AssetMint-Signature-Previous"
	// HeaderEvent is the event type, e.g. "loan.approved".
	HeaderEvent = "X-AssetMint-Event"
	// HeaderID is the Standard Webhooks message id: the event id, the same
	// on every retry, so receivers can drop duplicates.
	HeaderID = "webhook-id"
	// HeaderTimestamp is the Unix time in seconds of this attempt.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderStdSignature is the Standard Webhooks signature list:
	// "v1,<base64 HMAC-SHA256>" per secret, separated by spaces, keyed with
	// the base64-decoded part of the secret after "whsec_", over
	// id + "." + timestamp + "." + body.
	HeaderStdSignature = "webhook-signature"
)

// The header names as http.CanonicalHeaderKey spells them.
const (
	canonSignature         = "X-Assetmint-Signature"
	canonSignaturePrevious = "X-Assetmint-Signature-Previous"
	canonEvent             = "X-Assetmint-Event"
	canonID                = "Webhook-Id"
	canonTimestamp         = "Webhook-Timestamp"
	canonStdSignature      = "Webhook-Signature"
)

// Sign returns the headers of one attempt to deliver body (the bytes of
// Event.Marshal) at time now: Content-Type, HeaderEvent, HeaderID,
// HeaderTimestamp, HeaderStdSignature, HeaderSignature and, when
// len(secrets) > 1, HeaderSignaturePrevious.
//
// secrets[0] is the current secret and signs HeaderSignature; secrets[1], if
// any, is the previous one and signs HeaderSignaturePrevious. Every secret
// adds a v1 entry to HeaderStdSignature, so during a rotation a receiver
// holding either secret verifies. Call Sign again for every attempt: the
// timestamp, and so the Standard Webhooks signature, changes.
//
// The error wraps ErrInvalidSecret if secrets is empty or one is malformed.
// Sign also fails if eventID or eventType is empty or not a plain header
// token (1-255 bytes of printable ASCII, no spaces).
func Sign(eventID, eventType string, body []byte, secrets []string, now time.Time) (http.Header, error) {
	if !headerToken(eventID) {
		return nil, errors.New("webhooks: sign: the event id must be 1-255 printable ASCII characters without spaces")
	}
	if !headerToken(eventType) {
		return nil, errors.New("webhooks: sign: the event type must be 1-255 printable ASCII characters without spaces")
	}
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w: no secret to sign with", ErrInvalidSecret)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	var std strings.Builder
	for i, s := range secrets {
		key, err := standardKey(s)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			std.WriteByte(' ')
		}
		std.WriteString("v1,")
		std.WriteString(base64.StdEncoding.EncodeToString(standardMAC(key, eventID, ts, body)))
	}
	// Canonical keys and one backing array for the values: Sign runs for
	// every attempt, and http.Header.Set would canonicalize and allocate
	// per header.
	vals := [...]string{
		"application/json",
		eventType,
		eventID,
		ts,
		std.String(),
		"sha256=" + hex.EncodeToString(assetMintMAC(secrets[0], body)),
		"",
	}
	h := http.Header{
		"Content-Type":    vals[0:1:1],
		canonEvent:        vals[1:2:2],
		canonID:           vals[2:3:3],
		canonTimestamp:    vals[3:4:4],
		canonStdSignature: vals[4:5:5],
		canonSignature:    vals[5:6:6],
	}
	if len(secrets) > 1 {
		vals[6] = "sha256=" + hex.EncodeToString(assetMintMAC(secrets[1], body))
		h[canonSignaturePrevious] = vals[6:7:7]
	}
	return h, nil
}

// SignForTest returns the body and headers AssetMint would send for e, signed
// with secret at now, so receivers can test their handlers without a
// sender:
//
//	body, h, err := webhooks.SignForTest(secret, event, time.Now())
//	req := httptest.NewRequest(http.MethodPost, "/webhooks/assetmint", bytes.NewReader(body))
//	req.Header = h
func SignForTest(secret string, e Event, now time.Time) (body []byte, h http.Header, err error) {
	body, err = e.Marshal()
	if err != nil {
		return nil, nil, err
	}
	h, err = Sign(e.ID, e.Type, body, []string{secret}, now)
	if err != nil {
		return nil, nil, err
	}
	return body, h, nil
}

// assetMintMAC is the X-AssetMint-Signature MAC: keyed with the bytes of the
// whole secret string, over the raw body.
func assetMintMAC(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// standardMAC is the Standard Webhooks MAC over id.timestamp.body.
func standardMAC(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	prefix := make([]byte, 0, len(id)+len(ts)+2)
	prefix = append(append(append(append(prefix, id...), '.'), ts...), '.')
	m.Write(prefix)
	m.Write(body)
	return m.Sum(nil)
}

// headerToken reports whether s can travel as a header value unchanged and
// unambiguously: 1-255 bytes of printable ASCII, no spaces.
func headerToken(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

package webhooks

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

const (
	secretPrefix = "whsec_"
	secretBytes  = 32
)

// NewSecret returns a new endpoint secret: "whsec_" followed by the standard
// base64 (RFC 4648 section 4, padded) of 32 bytes read from r, which should be
// crypto/rand.Reader outside tests.
func NewSecret(r io.Reader) (string, error) {
	b := make([]byte, secretBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("webhooks: new secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// ValidSecret reports whether s has exactly the form NewSecret produces.
//
// Sign and Verifier are more lenient: they take any "whsec_" secret whose
// remainder is non-empty standard base64, so secrets made by other Standard
// Webhooks tools (such as the specification's test vector) work too.
func ValidSecret(s string) bool {
	key, err := standardKey(s)
	return err == nil && len(key) == secretBytes
}

// standardKey is the Standard Webhooks HMAC key of a secret: the
// base64-decoded part after "whsec_". The error never contains the secret.
func standardKey(secret string) ([]byte, error) {
	rest, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: it must start with %q", ErrInvalidSecret, secretPrefix)
	}
	// Strict decoding still skips line breaks; a secret has none.
	key, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil || len(key) == 0 || strings.ContainsAny(rest, "\r\n") {
		return nil, fmt.Errorf("%w: the part after %q must be standard base64", ErrInvalidSecret, secretPrefix)
	}
	return key, nil
}

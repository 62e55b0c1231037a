package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

const (
	secretPrefix = "sk_" // lets secret scanners and humans recognise a leaked AssetMint secret
	secretBytes  = 32    // 256 bits: beyond brute force, which is what lets HashSecret be a fast hash
)

// NewSecret returns a client secret "sk_" + base64url (no padding) of 32 bytes read from r.
// The caller passes the randomness (crypto/rand.Reader in production) so tests are deterministic.
// Show the secret to its owner once and keep only HashSecret of it.
func NewSecret(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("auth: NewSecret: nil random reader")
	}
	var b [secretBytes]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("auth: NewSecret: reading randomness: %w", err)
	}
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashSecret returns the hex SHA-256 of secret, the form in which a client secret is stored.
//
// A fast hash is the right tool here, not bcrypt/scrypt/Argon2: the secrets are 256-bit random values
// that the server generates, not passwords people choose, so there is no dictionary to slow down and
// a brute-force search of 2^256 is out of reach however fast the hash is. A deliberately slow KDF would
// add no security and would turn the token endpoint into a CPU denial-of-service target, since every
// guess an attacker sends would cost the server tens of milliseconds. GitHub and Stripe store their
// high-entropy API tokens the same way.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SecretMatches reports whether secret hashes to storedHash (as produced by HashSecret). The comparison
// is constant-time so response timing leaks nothing about how much of a guess was right. An empty
// secret never matches, so a client that sends no secret is never authenticated, and a stored hash that
// is not 64 hex digits never matches, so a corrupted record cannot be logged into.
func SecretMatches(storedHash, secret string) bool {
	if secret == "" {
		return false
	}
	want, err := hex.DecodeString(storedHash)
	if err != nil || len(want) != sha256.Size {
		return false
	}
	got := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(got[:], want) == 1
}

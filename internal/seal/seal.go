// Package seal encrypts the secrets AssetMint must be able to read back
// (token signing keys, webhook secrets, stored idempotent answers) under a
// master key that is not in the database, so a copy of the database reveals
// none of them.
//
// A sealed value is text:
//
//	sealed:v1:<key id>:<base64url(nonce || AES-256-GCM ciphertext and tag)>
//
// The key id (8 hex digits of a hash of the key) says which master key
// sealed it, so a Keyring holding the current key and the previous ones
// opens values sealed under any of them while a rotation re-seals them. The
// caller binds each value to its place (say "webhook_endpoint.secret:wh_1")
// as additional authenticated data, so a sealed value copied into another
// row does not open there.
//
// The encryption is crypto/aes and crypto/cipher's GCM from the standard
// library; this package only frames it.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// KeySize is the size of a master key: AES-256.
const KeySize = 32

const prefix = "sealed:v1:"

// ErrOpen is returned (wrapped) for a sealed value that no key of the
// keyring opens: sealed under an unknown key, altered, or bound to another
// place.
var ErrOpen = errors.New("seal: cannot open sealed value")

// Keyring seals with its current key and opens with any of its keys. It is
// safe for concurrent use.
type Keyring struct {
	current key
	keys    map[string]key
	rand    io.Reader
}

type key struct {
	id   string
	aead cipher.AEAD
}

// NewKeyring returns a keyring that seals under current and opens values
// sealed under current or any of previous. Nonces are read from rand
// (crypto/rand.Reader in production). Every key must be KeySize bytes.
func NewKeyring(current []byte, previous [][]byte, rand io.Reader) (*Keyring, error) {
	if rand == nil {
		return nil, errors.New("seal: NewKeyring needs a source of randomness")
	}
	k := &Keyring{keys: map[string]key{}, rand: rand}
	for i, raw := range append([][]byte{current}, previous...) {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("seal: a master key must be %d bytes, not %d", KeySize, len(raw))
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		kk := key{id: KeyID(raw), aead: aead}
		if i == 0 {
			k.current = kk
		}
		if _, dup := k.keys[kk.id]; !dup {
			k.keys[kk.id] = kk
		}
	}
	return k, nil
}

// KeyID names a master key without revealing it: the first 8 hex digits of
// SHA-256 over a label and the key.
func KeyID(raw []byte) string {
	sum := sha256.Sum256(append([]byte("assetmint master key id\x00"), raw...))
	return hex.EncodeToString(sum[:4])
}

// CurrentID is the id of the key that seals.
func (k *Keyring) CurrentID() string { return k.current.id }

// Seal encrypts plaintext under the current key, bound to place.
func (k *Keyring) Seal(plaintext []byte, place string) (string, error) {
	nonce := make([]byte, k.current.aead.NonceSize(), k.current.aead.NonceSize()+len(plaintext)+k.current.aead.Overhead())
	if _, err := io.ReadFull(k.rand, nonce); err != nil {
		return "", fmt.Errorf("seal: reading a nonce: %w", err)
	}
	out := k.current.aead.Seal(nonce, nonce, plaintext, []byte(place))
	return prefix + k.current.id + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal made for place, under whichever key of the
// keyring sealed it. Errors: ErrOpen (wrapped) for a value no key opens,
// and for text that is not a sealed value (see IsSealed).
func (k *Keyring) Open(sealed, place string) ([]byte, error) {
	id, body, ok := split(sealed)
	if !ok {
		return nil, fmt.Errorf("%w: not a sealed value", ErrOpen)
	}
	kk, found := k.keys[id]
	if !found {
		return nil, fmt.Errorf("%w: sealed under master key %s, which this keyring does not hold", ErrOpen, id)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < kk.aead.NonceSize()+kk.aead.Overhead() {
		return nil, fmt.Errorf("%w: malformed", ErrOpen)
	}
	n := kk.aead.NonceSize()
	plain, err := kk.aead.Open(nil, raw[:n], raw[n:], []byte(place))
	if err != nil {
		return nil, fmt.Errorf("%w: altered, or sealed for another place", ErrOpen)
	}
	return plain, nil
}

// IsSealed reports whether s has the form of a sealed value (whatever key
// sealed it).
func IsSealed(s string) bool {
	_, _, ok := split(s)
	return ok
}

// SealedWithCurrent reports whether s is a sealed value made under the
// keyring's current key: what a rotation leaves alone.
func (k *Keyring) SealedWithCurrent(s string) bool {
	id, _, ok := split(s)
	return ok && id == k.current.id
}

func split(s string) (id, body string, ok bool) {
	rest, found := strings.CutPrefix(s, prefix)
	if !found {
		return "", "", false
	}
	id, body, found = strings.Cut(rest, ":")
	if !found || len(id) != 8 || body == "" {
		return "", "", false
	}
	return id, body, true
}

// ParseKey reads a master key written as hex (64 digits) or base64
// (standard or URL alphabet, with or without padding) of KeySize bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("a master key must be %d bytes written as 64 hex digits or as base64", KeySize)
}

// NewKey returns a new master key read from rand.
func NewKey(rand io.Reader) ([]byte, error) {
	b := make([]byte, KeySize)
	if _, err := io.ReadFull(rand, b); err != nil {
		return nil, fmt.Errorf("seal: reading a new key: %w", err)
	}
	return b, nil
}

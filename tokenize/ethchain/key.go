package ethchain

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// ParsePrivateKey parses a secp256k1 private key written as 64 hex digits,
// with or without a 0x prefix, ignoring surrounding white space. Its errors
// never echo the key.
func ParsePrivateKey(s string) (*ecdsa.PrivateKey, error) {
	s = strings.TrimSpace(s)
	if has0x(s) {
		s = s[2:]
	}
	if s == "" {
		return nil, errors.New("ethchain: private key is empty")
	}
	if len(s) != 64 {
		return nil, fmt.Errorf("ethchain: private key must be 64 hex digits (32 bytes), got %d characters", len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("ethchain: private key is not hex")
	}
	key, err := crypto.ToECDSA(b)
	if err != nil {
		return nil, errors.New("ethchain: private key is not a valid secp256k1 key (zero, or not below the curve order)")
	}
	return key, nil
}

package tokenize

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/sha3"
)

// Address errors; NormalizeAddress wraps them.
var (
	// ErrAddressFormat: not 0x followed by 40 hex digits.
	ErrAddressFormat = errors.New("not 0x followed by 40 hex digits")
	// ErrAddressChecksum: a mixed-case address whose EIP-55 checksum is
	// wrong, most likely a typo.
	ErrAddressChecksum = errors.New("an invalid EIP-55 checksum")
)

// NormalizeAddress validates an EVM address ("0x" and 40 hex digits) and
// returns its EIP-55 checksummed form. A mixed-case address must carry a
// correct checksum, which catches most typos in an address money goes to;
// an all-lower or all-upper one has none to check.
func NormalizeAddress(addr string) (string, error) {
	if len(addr) != 42 || (addr[:2] != "0x" && addr[:2] != "0X") {
		return "", ErrAddressFormat
	}
	hex := addr[2:]
	for _, c := range hex {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return "", ErrAddressFormat
		}
	}
	sum := checksum(strings.ToLower(hex))
	if hex != strings.ToLower(hex) && hex != strings.ToUpper(hex) && "0x"+hex != sum {
		return "", ErrAddressChecksum
	}
	return sum, nil
}

// checksum applies EIP-55 to 40 lower-case hex digits: a letter is upper
// case where the matching nibble of the Keccak-256 of the digits is 8 or
// more.
func checksum(lower string) string {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	digest := h.Sum(nil)
	out := []byte(lower)
	for i := range out {
		nibble := digest[i/2]
		if i%2 == 0 {
			nibble >>= 4
		}
		if out[i] >= 'a' && nibble&0xf >= 8 {
			out[i] -= 'a' - 'A'
		}
	}
	return "0x" + string(out)
}

// InputError is a Chain call's refusal of its own input, before anything is
// sent: Param names the argument ("to", "contract", "token_number", ...).
type InputError struct {
	Param   string
	Message string
}

func (e *InputError) Error() string { return fmt.Sprintf("tokenize: %s: %s", e.Param, e.Message) }

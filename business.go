package assetmint

import (
	"strings"
	"time"

	"golang.org/x/crypto/sha3"

	"github.com/assetmint/assetmint/auth"
)

// Business is a customer of the platform; every other record belongs to one.
type Business struct {
	ID   string
	Name string
	Plan auth.Plan
	// WalletAddress is the EVM address its tokens are minted to; empty means
	// the platform's custody address. Stored EIP-55 checksummed.
	WalletAddress string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Client is an API client of a business: the client-credentials pair.
// Only hashes of secrets are kept.
type Client struct {
	ID         string
	BusinessID string
	SecretHash string
	// PreviousSecretHash keeps working until PreviousExpiresAt after a
	// rotation, so a host can roll its deployments without downtime.
	PreviousSecretHash string
	PreviousExpiresAt  time.Time
	CreatedAt          time.Time
	RevokedAt          time.Time // zero while active
}

// Active reports whether the client may authenticate.
func (c *Client) Active() bool { return c.RevokedAt.IsZero() }

// ClientCredentials is what a new or rotated client is given, once. The
// secret is not stored and cannot be shown again.
type ClientCredentials struct {
	BusinessID   string
	ClientID     string
	ClientSecret string
}

// NewBusiness is the input of CreateBusiness.
type NewBusiness struct {
	Name          string
	Plan          auth.Plan // empty means developer
	WalletAddress string    // optional
}

// BusinessUpdate changes a business; nil fields stay as they are. An empty
// WalletAddress clears it.
type BusinessUpdate struct {
	Name          *string
	Plan          *auth.Plan
	WalletAddress *string
}

const maxNameLen = 200

func validateName(param, name string) (string, error) {
	if err := validateText(param, param, name, false); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", FieldError(param, "%s is required", param)
	}
	if len(name) > maxNameLen {
		return "", FieldError(param, "%s must be at most %d bytes", param, maxNameLen)
	}
	return name, nil
}

func validatePlan(p auth.Plan) (auth.Plan, error) {
	if p == "" {
		return auth.PlanDeveloper, nil
	}
	if !p.Valid() {
		return "", FieldError("plan", "plan must be one of developer, business, enterprise")
	}
	return p, nil
}

// NormalizeAddress validates an EVM address ("0x" and 40 hex digits) and
// returns its EIP-55 checksummed form. A mixed-case address must carry a
// correct checksum, which catches most typos in an address money goes to.
func NormalizeAddress(param, addr string) (string, error) {
	if len(addr) != 42 || (addr[:2] != "0x" && addr[:2] != "0X") {
		return "", FieldError(param, "%s must be 0x followed by 40 hex digits", param)
	}
	hex := addr[2:]
	for _, c := range hex {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return "", FieldError(param, "%s must be 0x followed by 40 hex digits", param)
		}
	}
	sum := checksumAddress(strings.ToLower(hex))
	if hex != strings.ToLower(hex) && hex != strings.ToUpper(hex) && "0x"+hex != sum {
		return "", FieldError(param, "%s has an invalid EIP-55 checksum", param)
	}
	return sum, nil
}

// checksumAddress applies EIP-55 to 40 lower-case hex digits.
func checksumAddress(lower string) string {
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

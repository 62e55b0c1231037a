package auth

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verify's errors wrap exactly one of these, so the HTTP layer can tell a client to fetch a new token
// (expired) apart from a client that sent garbage or a forgery (malformed, invalid).
var (
	// ErrTokenMalformed: not a JWT at all (wrong shape, characters outside base64url, bad encoding).
	ErrTokenMalformed = errors.New("auth: malformed token")
	// ErrTokenInvalid: a JWT this server must not accept: bad signature, an algorithm other than HS256
	// (including "none"), an unknown kid, the wrong issuer or audience, an iat in the future, or a
	// required claim missing.
	ErrTokenInvalid = errors.New("auth: invalid token")
	// ErrTokenExpired: a genuine token whose exp (plus leeway) has passed.
	ErrTokenExpired = errors.New("auth: token expired")
)

const (
	// MinKeySecret is the shortest HS256 key accepted: RFC 7518 §3.2 requires a key at least as long
	// as the hash output (256 bits).
	MinKeySecret = 32

	// maxTokenLen bounds the work an anonymous caller can make Verify do; an issued token is ~300 bytes.
	maxTokenLen = 8 << 10

	jtiBytes = 16 // 128 random bits: unique without coordination
)

// Key is one HMAC key for signing or verifying tokens.
type Key struct {
	ID     string // the JWT "kid" header
	Secret []byte // at least MinKeySecret bytes
}

// TokenConfig holds the optional settings of Tokens; the zero value means the defaults.
type TokenConfig struct {
	Issuer   string           // default "assetmint"
	Audience string           // default "assetmint-api"
	TTL      time.Duration    // default 1h; whole seconds, since JWT times are whole seconds
	Leeway   time.Duration    // default 5s: tolerates clock skew between the servers that issue and verify
	Now      func() time.Time // default time.Now
	Rand     io.Reader        // source of jti values; default crypto/rand.Reader
}

// Tokens issues and verifies the bearer tokens that API clients get from POST /v1/auth/token.
// It is safe for concurrent use.
type Tokens struct {
	signer   Key
	keys     map[string][]byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser

	// validator runs the parser's claim checks (exp, iat, iss, aud, with
	// the same options) on claims verified before: see Verify.
	validator  *jwt.Validator
	verifiedMu sync.Mutex
	verified   map[string]jwt.RegisteredClaims // token → its claims, once its signature checked out

	randMu sync.Mutex // an injected Rand (a bytes.Reader in a test, say) need not be safe for concurrent use
	rand   io.Reader
}

// Claims are what a verified token says.
type Claims struct {
	Subject   string    // the API client id
	ID        string    // jti
	IssuedAt  time.Time // UTC, whole seconds
	ExpiresAt time.Time // UTC, whole seconds
}

// NewTokens returns Tokens that sign with keys[0] and verify with every key in keys, so a key can be
// rotated without logging everyone out: put the new key first, keep the old one after it until the
// last token it signed has expired, then remove it. Keys are copied.
func NewTokens(keys []Key, cfg TokenConfig) (*Tokens, error) {
	if len(keys) == 0 {
		return nil, errors.New("auth: NewTokens: no keys")
	}
	t := &Tokens{
		keys:     make(map[string][]byte, len(keys)),
		issuer:   cmp.Or(cfg.Issuer, "assetmint"),
		audience: cmp.Or(cfg.Audience, "assetmint-api"),
		ttl:      cmp.Or(cfg.TTL, time.Hour),
		now:      cfg.Now,
		rand:     cfg.Rand,
	}
	for i, k := range keys {
		switch {
		case k.ID == "":
			return nil, fmt.Errorf("auth: NewTokens: keys[%d]: empty ID", i)
		case len(k.Secret) < MinKeySecret:
			return nil, fmt.Errorf("auth: NewTokens: key %q: secret is %d bytes, need at least %d", k.ID, len(k.Secret), MinKeySecret)
		}
		if _, dup := t.keys[k.ID]; dup {
			return nil, fmt.Errorf("auth: NewTokens: duplicate key ID %q", k.ID)
		}
		t.keys[k.ID] = append([]byte(nil), k.Secret...)
	}
	t.signer = Key{ID: keys[0].ID, Secret: t.keys[keys[0].ID]}

	if t.ttl < time.Second || t.ttl%time.Second != 0 {
		return nil, fmt.Errorf("auth: NewTokens: TTL %v must be a positive whole number of seconds", cfg.TTL)
	}
	leeway := cfg.Leeway
	switch {
	case leeway == 0:
		leeway = 5 * time.Second
	case leeway < 0:
		return nil, fmt.Errorf("auth: NewTokens: negative Leeway %v", cfg.Leeway)
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.rand == nil {
		t.rand = rand.Reader
	}

	opts := []jwt.ParserOption{
		// Never let the token pick its algorithm ("none", or RS256 with our secret as the "public key").
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		// One token, one spelling: no second encoding that differs only in unused base64 bits.
		jwt.WithStrictDecoding(),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(t.now),
	}
	t.parser = jwt.NewParser(opts...)
	t.validator = jwt.NewValidator(opts...)
	t.verified = make(map[string]jwt.RegisteredClaims)
	return t, nil
}

// TTL is how long an issued token lives; the token endpoint reports it as expires_in.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs a token for subject, the API client id. The returned claims are exactly what Verify will
// return for the token (times truncated to whole seconds, in UTC).
func (t *Tokens) Issue(subject string) (token string, claims Claims, err error) {
	if subject == "" {
		return "", Claims{}, errors.New("auth: Issue: empty subject")
	}
	jti, err := t.newID()
	if err != nil {
		return "", Claims{}, err
	}
	now := t.now().UTC().Truncate(time.Second)
	claims = Claims{Subject: subject, ID: jti, IssuedAt: now, ExpiresAt: now.Add(t.ttl)}

	jt := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer:    t.issuer,
		Subject:   claims.Subject,
		Audience:  jwt.ClaimStrings{t.audience},
		IssuedAt:  jwt.NewNumericDate(claims.IssuedAt),
		ExpiresAt: jwt.NewNumericDate(claims.ExpiresAt),
		ID:        claims.ID,
	})
	jt.Header["kid"] = t.signer.ID
	token, err = jt.SignedString(t.signer.Secret)
	if err != nil {
		return "", Claims{}, fmt.Errorf("auth: Issue: signing: %w", err)
	}
	return token, claims, nil
}

func (t *Tokens) newID() (string, error) {
	var b [jtiBytes]byte
	t.randMu.Lock()
	_, err := io.ReadFull(t.rand, b[:])
	t.randMu.Unlock()
	if err != nil {
		return "", fmt.Errorf("auth: Issue: reading randomness for jti: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Verify checks that token was issued by these Tokens (under any of their keys) and is still valid at
// cfg.Now, and returns its claims. It accepts only HS256 with a known kid, requires exp, sub, iat and
// jti, checks iss and aud, and rejects an iat in the future beyond the leeway. The error wraps exactly
// one of ErrTokenMalformed, ErrTokenInvalid, ErrTokenExpired; an expired token that is also wrong in
// some other way is ErrTokenInvalid, because fetching a new token would not be the fix.
func (t *Tokens) Verify(token string) (Claims, error) {
	if len(token) > maxTokenLen {
		return Claims{}, fmt.Errorf("%w: longer than %d bytes", ErrTokenMalformed, maxTokenLen)
	}
	if !isTokenText(token) {
		// The base64 decoder skips CR and LF, so without this check "sig\n" would verify as "sig".
		return Claims{}, fmt.Errorf("%w: characters outside base64url", ErrTokenMalformed)
	}
	// A client sends the same token with every request for its lifetime.
	// Once its signature and structure have checked out under these keys
	// (which never change: new keys make new Tokens), only the claim checks
	// that depend on the time can change their answer, so a token verified
	// before gets those alone, by the library's validator with the
	// parser's options: what parsing it again would answer, without the
	// JSON decoding and the HMAC, most of a verification.
	t.verifiedMu.Lock()
	rc, seen := t.verified[token]
	t.verifiedMu.Unlock()
	if seen {
		if err := t.validator.Validate(rc); err != nil {
			return Claims{}, classify(fmt.Errorf("%w: %w", jwt.ErrTokenInvalidClaims, err))
		}
		return claimsOf(rc), nil
	}
	if _, err := t.parser.ParseWithClaims(token, &rc, t.key); err != nil {
		return Claims{}, classify(err)
	}
	if rc.Subject == "" || rc.ID == "" || rc.IssuedAt == nil {
		return Claims{}, fmt.Errorf("%w: missing sub, jti or iat", ErrTokenInvalid)
	}
	t.verifiedMu.Lock()
	if len(t.verified) >= maxVerified {
		clear(t.verified)
	}
	t.verified[token] = rc
	t.verifiedMu.Unlock()
	return claimsOf(rc), nil
}

// maxVerified bounds the tokens Verify remembers (a few hundred bytes
// each); it forgets them all when full.
const maxVerified = 4096

// claimsOf is what Verify returns for verified registered claims.
func claimsOf(rc jwt.RegisteredClaims) Claims {
	return Claims{
		Subject:   rc.Subject,
		ID:        rc.ID,
		IssuedAt:  rc.IssuedAt.UTC(),
		ExpiresAt: rc.ExpiresAt.UTC(),
	}
}

// key picks the verification key by kid; the algorithm is already pinned by the parser.
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	kid, _ := tok.Header["kid"].(string)
	secret, ok := t.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	return secret, nil
}

// classify maps the jwt library's errors onto this package's three sentinels. The library's own errors
// are kept as text only, so callers depend on this package's contract, not on the library's.
func classify(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("%w: %v", ErrTokenMalformed, err)
	case errors.Is(err, jwt.ErrTokenExpired) && !anyIs(err,
		jwt.ErrTokenSignatureInvalid, jwt.ErrTokenUnverifiable, jwt.ErrTokenRequiredClaimMissing,
		jwt.ErrTokenInvalidIssuer, jwt.ErrTokenInvalidAudience, jwt.ErrTokenUsedBeforeIssued,
		jwt.ErrTokenNotValidYet, jwt.ErrInvalidType):
		return fmt.Errorf("%w: %v", ErrTokenExpired, err)
	default:
		return fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	}
}

func anyIs(err error, targets ...error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// isTokenText reports whether s uses only the JWS compact serialization alphabet: base64url and dots.
func isTokenText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

package auth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

// requireSentinel checks that err wraps want and no other of Verify's sentinels.
func requireSentinel(tb testing.TB, err, want error) {
	tb.Helper()
	require.ErrorIs(tb, err, want)
	n := 0
	for _, s := range []error{auth.ErrTokenMalformed, auth.ErrTokenInvalid, auth.ErrTokenExpired} {
		if errors.Is(err, s) {
			n++
		}
	}
	require.Equal(tb, 1, n, "error %q wraps %d sentinels", err, n)
}

func TestNewTokensValidation(t *testing.T) {
	good := testKey("k1", 1)
	tests := []struct {
		name    string
		keys    []auth.Key
		mutate  func(*auth.TokenConfig)
		wantErr string
	}{
		{name: "defaults", keys: []auth.Key{good}},
		{name: "two keys", keys: []auth.Key{good, testKey("k2", 2)}},
		{name: "custom TTL and leeway", keys: []auth.Key{good}, mutate: func(c *auth.TokenConfig) { c.TTL, c.Leeway = 15*time.Minute, time.Second }},
		{name: "no keys", wantErr: "no keys"},
		{name: "empty kid", keys: []auth.Key{{Secret: good.Secret}}, wantErr: "empty ID"},
		{name: "duplicate kid", keys: []auth.Key{good, testKey("k1", 2)}, wantErr: "duplicate key ID"},
		{name: "short secret", keys: []auth.Key{{ID: "k1", Secret: make([]byte, 31)}}, wantErr: "need at least 32"},
		{name: "short second secret", keys: []auth.Key{good, {ID: "k2", Secret: []byte("short")}}, wantErr: "need at least 32"},
		{name: "negative TTL", keys: []auth.Key{good}, mutate: func(c *auth.TokenConfig) { c.TTL = -time.Hour }, wantErr: "TTL"},
		{name: "fractional TTL", keys: []auth.Key{good}, mutate: func(c *auth.TokenConfig) { c.TTL = 1500 * time.Millisecond }, wantErr: "TTL"},
		{name: "negative leeway", keys: []auth.Key{good}, mutate: func(c *auth.TokenConfig) { c.Leeway = -time.Second }, wantErr: "Leeway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg auth.TokenConfig
			if tt.mutate != nil {
				tt.mutate(&cfg)
			}
			tk, err := auth.NewTokens(tt.keys, cfg)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Nil(t, tk)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, tk)
		})
	}
}

func TestTokensRoundTrip(t *testing.T) {
	s := setupTokens(t, nil)
	require.Equal(t, time.Hour, s.tokens.TTL())

	s.clock.t = t0.Add(750 * time.Millisecond) // JWT times are whole seconds
	token, claims, err := s.tokens.Issue("cli_123")
	require.NoError(t, err)
	require.Equal(t, "cli_123", claims.Subject)
	require.Len(t, claims.ID, 22) // 16 random bytes, base64url
	require.Equal(t, t0, claims.IssuedAt)
	require.Equal(t, t0.Add(time.Hour), claims.ExpiresAt)

	got, err := s.tokens.Verify(token)
	require.NoError(t, err)
	require.Equal(t, claims, got)

	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	var header map[string]any
	require.NoError(t, json.Unmarshal(decodeSegment(t, parts[0]), &header))
	require.Equal(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": "k1"}, header)
	var payload map[string]any
	require.NoError(t, json.Unmarshal(decodeSegment(t, parts[1]), &payload))
	require.Equal(t, map[string]any{
		"iss": "assetmint",
		"sub": "cli_123",
		"aud": []any{"assetmint-api"},
		"iat": float64(t0.Unix()),
		"exp": float64(t0.Add(time.Hour).Unix()),
		"jti": claims.ID,
	}, payload)

	_, other, err := s.tokens.Issue("cli_123")
	require.NoError(t, err)
	require.NotEqual(t, claims.ID, other.ID)
}

func TestTokensCustomConfig(t *testing.T) {
	s := setupTokens(t, func(c *auth.TokenConfig) { c.Issuer, c.Audience, c.TTL = "acme", "acme-api", 10*time.Minute })
	token, claims, err := s.tokens.Issue("cli_1")
	require.NoError(t, err)
	require.Equal(t, t0.Add(10*time.Minute), claims.ExpiresAt)
	_, err = s.tokens.Verify(token)
	require.NoError(t, err)

	// The same key under the default issuer and audience must refuse it.
	def := setupTokens(t, nil, s.keys...)
	_, err = def.tokens.Verify(token)
	requireSentinel(t, err, auth.ErrTokenInvalid)
}

func TestIssueErrors(t *testing.T) {
	s := setupTokens(t, nil)
	_, _, err := s.tokens.Issue("")
	require.Error(t, err)

	broken := setupTokens(t, func(c *auth.TokenConfig) { c.Rand = strings.NewReader("short") })
	_, _, err = broken.tokens.Issue("cli_1")
	require.Error(t, err)
}

func TestKeysAreCopied(t *testing.T) {
	key := testKey("k1", 0x11)
	s := setupTokens(t, nil, key)
	token, _, err := s.tokens.Issue("cli_1")
	require.NoError(t, err)
	key.Secret[0] ^= 0xff
	_, err = s.tokens.Verify(token)
	require.NoError(t, err)
}

func TestVerifyTimes(t *testing.T) {
	s := setupTokens(t, nil) // TTL 1h, leeway 5s
	token, claims, err := s.tokens.Issue("cli_1")
	require.NoError(t, err)
	exp := claims.ExpiresAt
	const leeway = 5 * time.Second

	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"just issued", t0, nil},
		{"before exp", exp.Add(-time.Nanosecond), nil},
		{"at exp, within leeway", exp, nil},
		{"last instant of leeway", exp.Add(leeway - time.Nanosecond), nil},
		{"leeway used up", exp.Add(leeway), auth.ErrTokenExpired},
		{"long expired", exp.Add(24 * time.Hour), auth.ErrTokenExpired},
		{"iat ahead by the leeway", t0.Add(-leeway), nil},
		{"iat ahead beyond the leeway", t0.Add(-leeway - time.Nanosecond), auth.ErrTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.clock.t = tt.now
			got, err := s.tokens.Verify(token)
			if tt.want != nil {
				requireSentinel(t, err, tt.want)
				require.Zero(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, claims, got)
		})
	}
}

// Helpers to craft tokens by hand, the way an attacker would.

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func decodeSegment(tb testing.TB, seg string) []byte {
	tb.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	require.NoError(tb, err)
	return b
}

func jsonSegment(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return b64(b)
}

func hs256(secret []byte, signingInput string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signingInput))
	return b64(mac.Sum(nil))
}

// validClaims are claims Verify accepts at t0; cases delete or change one.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": "assetmint",
		"aud": "assetmint-api",
		"sub": "cli_1",
		"iat": t0.Unix(),
		"exp": t0.Add(time.Hour).Unix(),
		"jti": "jti_1",
	}
}

// sign signs claims with the jwt library, as a well-formed but possibly wrong token.
func sign(tb testing.TB, method jwt.SigningMethod, kid string, secret []byte, claims jwt.MapClaims) string {
	tb.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(secret)
	require.NoError(tb, err)
	return s
}

func without(c jwt.MapClaims, names ...string) jwt.MapClaims {
	c = maps.Clone(c)
	for _, n := range names {
		delete(c, n)
	}
	return c
}

func with(c jwt.MapClaims, name string, v any) jwt.MapClaims {
	c = maps.Clone(c)
	c[name] = v
	return c
}

func TestVerifyRejects(t *testing.T) {
	s := setupTokens(t, nil, testKey("k1", 0x11))
	secret := s.keys[0].Secret
	issued, _, err := s.tokens.Issue("cli_1")
	require.NoError(t, err)
	parts := strings.Split(issued, ".")
	hs := jwt.SigningMethodHS256

	tests := []struct {
		name  string
		token string
		want  error // nil: accepted, a control that the crafting itself is right
	}{
		{"control: crafted with the right key", sign(t, hs, "k1", secret, validClaims()), nil},
		{"control: issued", issued, nil},

		{"empty", "", auth.ErrTokenMalformed},
		{"one segment", "abc", auth.ErrTokenMalformed},
		{"two segments", parts[0] + "." + parts[1], auth.ErrTokenMalformed},
		{"four segments", issued + ".x", auth.ErrTokenMalformed},
		{"header not base64", "!!." + parts[1] + "." + parts[2], auth.ErrTokenMalformed},
		{"header not JSON", b64([]byte("hello")) + "." + parts[1] + "." + parts[2], auth.ErrTokenMalformed},
		{"payload not JSON", parts[0] + "." + b64([]byte("{")) + "." + parts[2], auth.ErrTokenMalformed},
		{"Bearer prefix left on", "Bearer " + issued, auth.ErrTokenMalformed},
		{"trailing newline", issued + "\n", auth.ErrTokenMalformed},
		{"newline inside signature", parts[0] + "." + parts[1] + "." + parts[2][:10] + "\n" + parts[2][10:], auth.ErrTokenMalformed},
		{"padded signature", issued + "=", auth.ErrTokenMalformed},
		{"signature with non-zero padding bits", parts[0] + "." + parts[1] + "." + flipPaddingBits(parts[2]), auth.ErrTokenMalformed},
		{"too long", issued + strings.Repeat("A", 9000), auth.ErrTokenMalformed},

		{"tampered payload", parts[0] + "." + jsonSegment(t, with(validClaims(), "sub", "cli_admin")) + "." + parts[2], auth.ErrTokenInvalid},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flipFirst(parts[2]), auth.ErrTokenInvalid},
		{"signature missing", parts[0] + "." + parts[1] + ".", auth.ErrTokenInvalid},
		{"alg none", jsonSegment(t, map[string]string{"alg": "none", "typ": "JWT", "kid": "k1"}) + "." + jsonSegment(t, validClaims()) + ".", auth.ErrTokenInvalid},
		{"alg None", jsonSegment(t, map[string]string{"alg": "None", "typ": "JWT", "kid": "k1"}) + "." + jsonSegment(t, validClaims()) + ".", auth.ErrTokenInvalid},
		{"alg missing", hmacSigned(t, map[string]string{"typ": "JWT", "kid": "k1"}, validClaims(), secret), auth.ErrTokenInvalid},
		{"RS256 header, HMAC signature", hmacSigned(t, map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"}, validClaims(), secret), auth.ErrTokenInvalid},
		{"HS512", sign(t, jwt.SigningMethodHS512, "k1", secret, validClaims()), auth.ErrTokenInvalid},
		{"HS384", sign(t, jwt.SigningMethodHS384, "k1", secret, validClaims()), auth.ErrTokenInvalid},
		{"unknown kid", sign(t, hs, "k9", secret, validClaims()), auth.ErrTokenInvalid},
		{"no kid", sign(t, hs, "", secret, validClaims()), auth.ErrTokenInvalid},
		{"kid not a string", hmacSigned(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": 1}, validClaims(), secret), auth.ErrTokenInvalid},
		{"another key under our kid", sign(t, hs, "k1", testKey("x", 0x22).Secret, validClaims()), auth.ErrTokenInvalid},
		{"wrong iss", sign(t, hs, "k1", secret, with(validClaims(), "iss", "evil")), auth.ErrTokenInvalid},
		{"no iss", sign(t, hs, "k1", secret, without(validClaims(), "iss")), auth.ErrTokenInvalid},
		{"wrong aud", sign(t, hs, "k1", secret, with(validClaims(), "aud", "other-api")), auth.ErrTokenInvalid},
		{"aud list with ours", sign(t, hs, "k1", secret, with(validClaims(), "aud", []string{"other-api", "assetmint-api"})), nil},
		{"no aud", sign(t, hs, "k1", secret, without(validClaims(), "aud")), auth.ErrTokenInvalid},
		{"no exp", sign(t, hs, "k1", secret, without(validClaims(), "exp")), auth.ErrTokenInvalid},
		{"no sub", sign(t, hs, "k1", secret, without(validClaims(), "sub")), auth.ErrTokenInvalid},
		{"no iat", sign(t, hs, "k1", secret, without(validClaims(), "iat")), auth.ErrTokenInvalid},
		{"no jti", sign(t, hs, "k1", secret, without(validClaims(), "jti")), auth.ErrTokenInvalid},
		{"iat in the future", sign(t, hs, "k1", secret, with(validClaims(), "iat", t0.Add(time.Minute).Unix())), auth.ErrTokenInvalid},
		{"nbf in the future", sign(t, hs, "k1", secret, with(validClaims(), "nbf", t0.Add(time.Minute).Unix())), auth.ErrTokenInvalid},
		{"expired", sign(t, hs, "k1", secret, with(validClaims(), "exp", t0.Add(-time.Minute).Unix())), auth.ErrTokenExpired},
		{"expired and wrong iss", sign(t, hs, "k1", secret, with(with(validClaims(), "exp", t0.Add(-time.Minute).Unix()), "iss", "evil")), auth.ErrTokenInvalid},
		{"expired and forged", sign(t, hs, "k1", testKey("x", 0x22).Secret, with(validClaims(), "exp", t0.Add(-time.Minute).Unix())), auth.ErrTokenInvalid},
		{"exp not a number", sign(t, hs, "k1", secret, with(validClaims(), "exp", "tomorrow")), auth.ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := s.tokens.Verify(tt.token)
			if tt.want == nil {
				require.NoError(t, err)
				require.NotEmpty(t, claims.Subject)
				return
			}
			requireSentinel(t, err, tt.want)
			require.Zero(t, claims)
		})
	}
}

// hmacSigned builds a token with an arbitrary header and a correct HMAC-SHA256 signature under secret.
func hmacSigned(tb testing.TB, header any, claims jwt.MapClaims, secret []byte) string {
	tb.Helper()
	input := jsonSegment(tb, header) + "." + jsonSegment(tb, claims)
	return input + "." + hs256(secret, input)
}

// flipFirst changes the first character of a base64url segment, changing the bytes it encodes.
func flipFirst(seg string) string {
	c := byte('A')
	if seg[0] == 'A' {
		c = 'B'
	}
	return string(c) + seg[1:]
}

// flipPaddingBits changes only the unused low bits of the last character of a 32-byte signature's
// encoding: a lenient decoder reads the same bytes, so the token would verify under a second spelling.
func flipPaddingBits(seg string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[last|1])
}

func TestKeyRotation(t *testing.T) {
	oldKey, newKey := testKey("2025-01", 0x11), testKey("2026-03", 0x22)

	before := setupTokens(t, nil, oldKey)
	oldToken, _, err := before.tokens.Issue("cli_1")
	require.NoError(t, err)

	during := setupTokens(t, nil, newKey, oldKey)
	_, err = during.tokens.Verify(oldToken)
	require.NoError(t, err, "a token signed with the rotated-out key keeps verifying")

	newToken, _, err := during.tokens.Issue("cli_1")
	require.NoError(t, err)
	header := strings.Split(newToken, ".")[0]
	require.Contains(t, string(decodeSegment(t, header)), `"kid":"2026-03"`, "the first key signs")
	_, err = during.tokens.Verify(newToken)
	require.NoError(t, err)

	_, err = before.tokens.Verify(newToken)
	requireSentinel(t, err, auth.ErrTokenInvalid) // a server that has not learnt the new key yet

	after := setupTokens(t, nil, newKey)
	_, err = after.tokens.Verify(oldToken)
	requireSentinel(t, err, auth.ErrTokenInvalid) // once removed, the old key verifies nothing
	_, err = after.tokens.Verify(newToken)
	require.NoError(t, err)
}

func TestTokensConcurrent(t *testing.T) {
	s := setupTokens(t, nil)
	var wg sync.WaitGroup
	ids := make([]string, 16)
	for i := range ids {
		wg.Go(func() {
			token, claims, err := s.tokens.Issue("cli_1")
			if err == nil {
				_, err = s.tokens.Verify(token)
			}
			if err == nil {
				ids[i] = claims.ID
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		require.NotEmpty(t, id)
		require.False(t, seen[id], "jti %q issued twice", id)
		seen[id] = true
	}
}

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, must classify every failure under
// exactly one sentinel, and must accept nothing but the exact tokens Issue produced.
func FuzzVerify(f *testing.F) {
	s := setupTokens(f, nil, testKey("k1", 0x11), testKey("k0", 0x33))
	issued := map[string]auth.Claims{}
	for _, sub := range []string{"cli_1", "cli_2", "a"} {
		token, claims, err := s.tokens.Issue(sub)
		require.NoError(f, err)
		issued[token] = claims
		f.Add(token)
		parts := strings.Split(token, ".")
		f.Add(parts[0] + "." + parts[1] + "." + flipFirst(parts[2]))
		f.Add(parts[0] + "." + parts[1] + ".")
		f.Add(token + "\n")
	}
	f.Add("")
	f.Add("..")
	f.Add("a.b.c")
	f.Add(jsonSegment(f, map[string]string{"alg": "none", "kid": "k1"}) + "." + jsonSegment(f, validClaims()) + ".")
	f.Add(sign(f, jwt.SigningMethodHS512, "k1", testKey("k1", 0x11).Secret, validClaims()))

	f.Fuzz(func(t *testing.T, token string) {
		claims, err := s.tokens.Verify(token)
		if err != nil {
			require.Zero(t, claims)
			n := 0
			for _, sentinel := range []error{auth.ErrTokenMalformed, auth.ErrTokenInvalid, auth.ErrTokenExpired} {
				if errors.Is(err, sentinel) {
					n++
				}
			}
			require.Equal(t, 1, n, "error %q wraps %d sentinels", err, n)
			return
		}
		want, ok := issued[token]
		require.True(t, ok, "accepted a token Issue did not produce: %q", token)
		require.Equal(t, want, claims)
	})
}

func BenchmarkVerify(b *testing.B) {
	s := setupTokens(b, nil)
	token, _, err := s.tokens.Issue("cli_0123456789")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.tokens.Verify(token); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssue(b *testing.B) {
	s := setupTokens(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.tokens.Issue("cli_0123456789"); err != nil {
			b.Fatal(err)
		}
	}
}

// Verify remembers the tokens it verified and then checks only their
// times again: a remembered token gets, at every instant, the answer a
// Tokens that never saw it gives (TestVerifyTimes's instants), a token
// changed in any byte is verified afresh, and the memory is bounded.
func TestVerifyRemembersOnlyWhatItVerified(t *testing.T) {
	s := setupTokens(t, nil)
	token, claims, err := s.tokens.Issue("cli_1")
	require.NoError(t, err)
	got, err := s.tokens.Verify(token)
	require.NoError(t, err)
	require.Equal(t, claims, got)
	require.Equal(t, 1, auth.Verified(s.tokens))

	exp := claims.ExpiresAt
	for _, now := range []time.Time{t0, exp.Add(-time.Nanosecond), exp, exp.Add(5*time.Second - time.Nanosecond),
		exp.Add(5 * time.Second), exp.Add(24 * time.Hour), t0.Add(-5 * time.Second), t0.Add(-5*time.Second - time.Nanosecond), t0} {
		s.clock.t = now
		fresh := setupTokens(t, nil, s.keys...)
		fresh.clock.t = now
		want, wantErr := fresh.tokens.Verify(token)
		got, err := s.tokens.Verify(token)
		require.Equal(t, want, got, "at %v", now)
		if wantErr == nil {
			require.NoError(t, err, "at %v", now)
			continue
		}
		for _, sentinel := range []error{auth.ErrTokenMalformed, auth.ErrTokenInvalid, auth.ErrTokenExpired} {
			require.Equal(t, errors.Is(wantErr, sentinel), errors.Is(err, sentinel), "at %v: %v against %v", now, err, wantErr)
		}
	}
	require.Equal(t, 1, auth.Verified(s.tokens), "a refusal adds nothing")

	s.clock.t = t0
	for i := range len(token) {
		c := byte('A')
		if token[i] == c {
			c = 'B'
		}
		if token[i] == '.' {
			continue
		}
		changed := token[:i] + string(c) + token[i+1:]
		_, err := s.tokens.Verify(changed)
		require.Error(t, err, "byte %d changed", i)
	}
	require.Equal(t, 1, auth.Verified(s.tokens))
	_, err = setupTokens(t, nil, testKey("k1", 0x22)).tokens.Verify(token)
	requireSentinel(t, err, auth.ErrTokenInvalid) // other keys, other Tokens: nothing remembered

	for i := range auth.MaxVerified + 10 {
		tok, _, err := s.tokens.Issue(fmt.Sprintf("cli_%d", i))
		require.NoError(t, err)
		_, err = s.tokens.Verify(tok)
		require.NoError(t, err)
		require.LessOrEqual(t, auth.Verified(s.tokens), auth.MaxVerified)
	}
}

package auth_test

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

func TestNewSecret(t *testing.T) {
	r := rand.NewChaCha8([32]byte{7})
	s1, err := auth.NewSecret(r)
	require.NoError(t, err)
	s2, err := auth.NewSecret(r)
	require.NoError(t, err)

	for _, s := range []string{s1, s2} {
		require.Regexp(t, `^sk_[A-Za-z0-9_-]{43}$`, s)
		raw, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(s, "sk_"))
		require.NoError(t, err)
		require.Len(t, raw, 32)
	}
	require.NotEqual(t, s1, s2)

	again, err := auth.NewSecret(rand.NewChaCha8([32]byte{7}))
	require.NoError(t, err)
	require.Equal(t, s1, again, "the same randomness gives the same secret")
}

func TestNewSecretErrors(t *testing.T) {
	_, err := auth.NewSecret(strings.NewReader("only 16 bytes..."))
	require.Error(t, err)
	_, err = auth.NewSecret(nil)
	require.Error(t, err)
}

func TestHashSecret(t *testing.T) {
	// FIPS 180-2 test vectors.
	require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", auth.HashSecret(""))
	require.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", auth.HashSecret("abc"))
}

func TestSecretMatches(t *testing.T) {
	const secret = "sk_q2Vh3u1mN5hZ0bQbqHhH6u0kQyYw0mA8h1dC9p3Xr2E"
	good := auth.HashSecret(secret)

	tests := []struct {
		name   string
		stored string
		secret string
		want   bool
	}{
		{"match", good, secret, true},
		{"match, upper-case hex", strings.ToUpper(good), secret, true},
		{"mismatch", good, secret[:len(secret)-1] + "F", false},
		{"secret with a suffix", good, secret + "x", false},
		{"empty secret", good, "", false},
		{"empty secret against hash of empty", auth.HashSecret(""), "", false},
		{"empty stored hash", "", secret, false},
		{"stored hash one digit short", good[:63], secret, false},
		{"stored hash one byte long", good + "00", secret, false},
		{"stored hash half length", good[:32], secret, false},
		{"stored hash not hex", strings.Repeat("zz", 32), secret, false},
		{"stored value is the secret itself", secret, secret, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, auth.SecretMatches(tt.stored, tt.secret))
		})
	}
}

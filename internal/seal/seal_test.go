package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestOpensThePublishedVector frames test case 16 of McGrew and Viega, "The
// Galois/Counter Mode of Operation (GCM)" (AES-256, 96-bit IV, with
// additional data), as a sealed value and opens it: the framing hands the
// standard library's GCM exactly the nonce, ciphertext, tag and additional
// data of the published vector.
func TestOpensThePublishedVector(t *testing.T) {
	k := mustHex(t, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
	iv := mustHex(t, "cafebabefacedbaddecaf888")
	aad := mustHex(t, "feedfacedeadbeeffeedfacedeadbeefabaddad2")
	plain := mustHex(t, "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"+
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
	ct := mustHex(t, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"+
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
	tag := mustHex(t, "76fc6ece0f4e1768cddf8853bb2d551b")

	ring, err := NewKeyring(k, nil, rand.Reader)
	require.NoError(t, err)
	framed := prefix + KeyID(k) + ":" + base64.RawURLEncoding.EncodeToString(append(append(iv, ct...), tag...))
	got, err := ring.Open(framed, string(aad))
	require.NoError(t, err)
	require.Equal(t, plain, got)

	// Sealing with the vector's IV as the nonce gives the vector's
	// ciphertext and tag back.
	fixed, err := NewKeyring(k, nil, bytes.NewReader(iv))
	require.NoError(t, err)
	sealed, err := fixed.Seal(plain, string(aad))
	require.NoError(t, err)
	require.Equal(t, framed, sealed)
}

func newRing(t *testing.T, current []byte, previous ...[]byte) *Keyring {
	t.Helper()
	r, err := NewKeyring(current, previous, rand.Reader)
	require.NoError(t, err)
	return r
}

func TestSealOpen(t *testing.T) {
	k1, err := NewKey(rand.Reader)
	require.NoError(t, err)
	k2, err := NewKey(rand.Reader)
	require.NoError(t, err)
	ring := newRing(t, k1)
	secret := []byte("whsec_c2VjcmV0IGJ5dGVzIHRoYXQgbmV2ZXIgcmVhY2ggdGhlIGRpc2s=")

	s, err := ring.Seal(secret, "webhook_endpoint.secret:wh_1")
	require.NoError(t, err)
	require.True(t, IsSealed(s))
	require.True(t, ring.SealedWithCurrent(s))
	require.NotContains(t, s, string(secret))
	got, err := ring.Open(s, "webhook_endpoint.secret:wh_1")
	require.NoError(t, err)
	require.Equal(t, secret, got)

	again, err := ring.Seal(secret, "webhook_endpoint.secret:wh_1")
	require.NoError(t, err)
	require.NotEqual(t, s, again, "a fresh nonce each time")

	_, err = ring.Open(s, "webhook_endpoint.secret:wh_2")
	require.ErrorIs(t, err, ErrOpen, "bound to its place")

	raw, _ := base64.RawURLEncoding.DecodeString(s[strings.LastIndexByte(s, ':')+1:])
	raw[len(raw)-1] ^= 1
	_, err = ring.Open(s[:strings.LastIndexByte(s, ':')+1]+base64.RawURLEncoding.EncodeToString(raw), "webhook_endpoint.secret:wh_1")
	require.ErrorIs(t, err, ErrOpen, "altered")

	_, err = newRing(t, k2).Open(s, "webhook_endpoint.secret:wh_1")
	require.ErrorIs(t, err, ErrOpen, "another key")
	require.ErrorContains(t, err, KeyID(k1))

	rotated := newRing(t, k2, k1)
	got, err = rotated.Open(s, "webhook_endpoint.secret:wh_1")
	require.NoError(t, err, "the previous key still opens")
	require.Equal(t, secret, got)
	require.False(t, rotated.SealedWithCurrent(s))

	for _, bad := range []string{"", "whsec_abc", "sealed:v1:", "sealed:v1:0123abcd:", "sealed:v1:0123abcd:!!", "sealed:v1:" + KeyID(k1) + ":AAAA"} {
		_, err := ring.Open(bad, "x")
		require.ErrorIs(t, err, ErrOpen, bad)
	}
}

func TestNewKeyringRefusesBadKeys(t *testing.T) {
	_, err := NewKeyring(make([]byte, 16), nil, rand.Reader)
	require.ErrorContains(t, err, "32 bytes")
	_, err = NewKeyring(make([]byte, 32), [][]byte{make([]byte, 31)}, rand.Reader)
	require.ErrorContains(t, err, "32 bytes")
	_, err = NewKeyring(make([]byte, 32), nil, nil)
	require.Error(t, err)
}

func TestParseKey(t *testing.T) {
	raw := mustHex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	for _, s := range []string{
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
		base64.StdEncoding.EncodeToString(raw),
		base64.RawStdEncoding.EncodeToString(raw),
		base64.URLEncoding.EncodeToString(raw),
		" " + base64.RawURLEncoding.EncodeToString(raw) + "\n",
	} {
		got, err := ParseKey(s)
		require.NoError(t, err, s)
		require.Equal(t, raw, got, s)
	}
	for _, s := range []string{"", "00", "password", strings.Repeat("z", 64), base64.StdEncoding.EncodeToString(raw[:31])} {
		_, err := ParseKey(s)
		require.Error(t, err, s)
	}
}

func FuzzOpen(f *testing.F) {
	k := make([]byte, KeySize)
	ring, _ := NewKeyring(k, nil, rand.Reader)
	s, _ := ring.Seal([]byte("x"), "p")
	f.Add(s, "p")
	f.Add("sealed:v1:00000000:AAAA", "")
	f.Fuzz(func(t *testing.T, sealed, place string) {
		plain, err := ring.Open(sealed, place)
		if err == nil {
			// Whatever opens must seal back to something that opens to
			// the same bytes.
			again, serr := ring.Seal(plain, place)
			require.NoError(t, serr)
			got, oerr := ring.Open(again, place)
			require.NoError(t, oerr)
			require.Equal(t, plain, got)
		}
	})
}

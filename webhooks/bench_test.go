package webhooks_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"testing"

	"github.com/assetmint/assetmint/webhooks"
)

// BenchmarkSign is the cost of one delivery attempt's headers (two MACs, the
// encodings and the header map); BenchmarkHMACSHA256 is one bare MAC over
// the same body. Compare their ns/op.
func BenchmarkSign(b *testing.B) {
	f := setup(b)
	secrets := []string{f.secret}
	b.SetBytes(int64(len(f.body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := webhooks.Sign(f.event.ID, f.event.Type, f.body, secrets, f.now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHMACSHA256(b *testing.B) {
	f := setup(b)
	key := []byte(f.secret)
	b.SetBytes(int64(len(f.body)))
	b.ReportAllocs()
	for b.Loop() {
		m := hmac.New(sha256.New, key)
		m.Write(f.body)
		_ = m.Sum(nil)
	}
}

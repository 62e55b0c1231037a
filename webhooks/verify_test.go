package webhooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

func TestVerifyStandard(t *testing.T) {
	type subject struct {
		h    http.Header
		body []byte
		v    webhooks.Verifier
	}
	tests := []struct {
		name   string
		mutate func(f fixture, s *subject)
		want   error // nil: verifies
	}{
		{name: "valid", mutate: func(fixture, *subject) {}},
		{name: "tampered body", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.body = []byte(strings.Replace(string(s.body), "125000.00", "925000.00", 1))
		}},
		{name: "body with a trailing newline", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.body = append(s.body, '\n')
		}},
		{name: "other id", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderID, "evt_other")
		}},
		{name: "timestamp moved within tolerance", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderTimestamp, "1774965601")
		}},
		{name: "timestamp respelled, same instant", mutate: func(_ fixture, s *subject) {
			// The MAC covers the instant, as in the official libraries.
			s.h.Set(webhooks.HeaderTimestamp, "+1774965600")
		}},
		{name: "wrong secret", want: webhooks.ErrSignatureMismatch, mutate: func(f fixture, s *subject) {
			s.v.Secrets = []string{f.stranger}
		}},
		{name: "key of the other scheme", want: webhooks.ErrSignatureMismatch, mutate: func(f fixture, s *subject) {
			// Keyed with the whole string, as X-AssetMint-Signature is.
			s.h.Set(webhooks.HeaderStdSignature, "v1,"+strings.TrimPrefix(s.h.Get(webhooks.HeaderSignature), "sha256="))
		}},
		{name: "one of several entries matches", mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderStdSignature, "v1a,xyz v1,bm90IGl0 "+s.h.Get(webhooks.HeaderStdSignature)+" v2,abc")
		}},
		{name: "entries across header lines", mutate: func(_ fixture, s *subject) {
			s.h[http.CanonicalHeaderKey(webhooks.HeaderStdSignature)] = []string{"v1,bm90IGl0", s.h.Get(webhooks.HeaderStdSignature)}
		}},
		{name: "right MAC under another version", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderStdSignature, strings.Replace(s.h.Get(webhooks.HeaderStdSignature), "v1,", "v2,", 1))
		}},
		{name: "truncated signature", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			sig := s.h.Get(webhooks.HeaderStdSignature)
			s.h.Set(webhooks.HeaderStdSignature, sig[:len(sig)-8])
		}},
		{name: "stale at the tolerance", mutate: func(f fixture, s *subject) {
			s.v.Now = func() time.Time { return f.now.Add(5 * time.Minute) }
		}},
		{name: "stale past the tolerance", want: webhooks.ErrTimestampOutOfRange, mutate: func(f fixture, s *subject) {
			s.v.Now = func() time.Time { return f.now.Add(5*time.Minute + time.Nanosecond) }
		}},
		{name: "future at the tolerance", mutate: func(f fixture, s *subject) {
			s.v.Now = func() time.Time { return f.now.Add(-5 * time.Minute) }
		}},
		{name: "future past the tolerance", want: webhooks.ErrTimestampOutOfRange, mutate: func(f fixture, s *subject) {
			s.v.Now = func() time.Time { return f.now.Add(-5*time.Minute - time.Nanosecond) }
		}},
		{name: "custom tolerance", want: webhooks.ErrTimestampOutOfRange, mutate: func(f fixture, s *subject) {
			s.v.Tolerance = time.Minute
			s.v.Now = func() time.Time { return f.now.Add(61 * time.Second) }
		}},
		{name: "far-out timestamp", want: webhooks.ErrTimestampOutOfRange, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderTimestamp, "9223372036854775807")
		}},
		{name: "negative timestamp", want: webhooks.ErrTimestampOutOfRange, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderTimestamp, "-9223372036854775808")
		}},
		{name: "timestamp not a number", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderTimestamp, "2026-03-31T14:00:00Z")
		}},
		{name: "no id", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderID)
		}},
		{name: "no timestamp", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderTimestamp)
		}},
		{name: "no signature", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderStdSignature)
		}},
		{name: "blank signature", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderStdSignature, "  ")
		}},
		{name: "no headers", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h = http.Header{}
		}},
		{name: "no secrets", want: webhooks.ErrInvalidSecret, mutate: func(_ fixture, s *subject) {
			s.v.Secrets = nil
		}},
		{name: "a malformed secret", want: webhooks.ErrInvalidSecret, mutate: func(f fixture, s *subject) {
			s.v.Secrets = []string{f.secret, "my-secret"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			s := subject{h: f.sign(t, f.secret), body: f.body, v: f.verifier(f.secret)}
			tt.mutate(f, &s)
			err := s.v.VerifyStandard(s.h, s.body)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestVerifyStandardDefaults(t *testing.T) {
	f := setup(t)
	f.now = time.Now()
	h := f.sign(t, f.secret)
	require.NoError(t, webhooks.Verifier{Secrets: []string{f.secret}}.VerifyStandard(h, f.body))
	// Nine hours ago is out of range against the real clock.
	f.now = f.now.Add(-9 * time.Hour)
	require.ErrorIs(t, webhooks.Verifier{Secrets: []string{f.secret}}.VerifyStandard(f.sign(t, f.secret), f.body), webhooks.ErrTimestampOutOfRange)
}

func TestVerifyAssetMint(t *testing.T) {
	type subject struct {
		h    http.Header
		body []byte
		v    webhooks.Verifier
	}
	tests := []struct {
		name   string
		mutate func(f fixture, s *subject)
		want   error
	}{
		{name: "valid", mutate: func(fixture, *subject) {}},
		{name: "valid without a timestamp, long after", mutate: func(f fixture, s *subject) {
			s.h.Del(webhooks.HeaderTimestamp) // the scheme cannot see replays
			s.v.Now = func() time.Time { return f.now.Add(365 * 24 * time.Hour) }
		}},
		{name: "upper-case hex", mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderSignature, "sha256="+strings.ToUpper(strings.TrimPrefix(s.h.Get(webhooks.HeaderSignature), "sha256=")))
		}},
		{name: "tampered body", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.body = []byte(strings.Replace(string(s.body), "asset.", "loan.", 1))
		}},
		{name: "wrong secret", want: webhooks.ErrSignatureMismatch, mutate: func(f fixture, s *subject) {
			s.v.Secrets = []string{f.stranger}
		}},
		{name: "no sha256= prefix", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderSignature, strings.TrimPrefix(s.h.Get(webhooks.HeaderSignature), "sha256="))
		}},
		{name: "not hex", want: webhooks.ErrSignatureMismatch, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderSignature, "sha256=zz")
		}},
		{name: "previous secret's header", mutate: func(f fixture, s *subject) {
			h, err := webhooks.Sign(f.event.ID, f.event.Type, f.body, []string{f.stranger, f.previous}, f.now)
			require.NoError(t, err)
			s.h = h
			s.v.Secrets = []string{f.previous}
		}},
		{name: "missing", want: webhooks.ErrMissingSignature, mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderSignature)
		}},
		{name: "no secrets", want: webhooks.ErrInvalidSecret, mutate: func(_ fixture, s *subject) {
			s.v.Secrets = nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			s := subject{h: f.sign(t, f.secret), body: f.body, v: f.verifier(f.secret)}
			tt.mutate(f, &s)
			err := s.v.VerifyAssetMint(s.h, s.body)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

package webhooks_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assetmint/assetmint/webhooks"
)

// FuzzVerifyStandard feeds arbitrary headers and bodies. It must never
// panic, and a request verifies only if it carries the genuine MAC of the
// secret (which the fuzzer can only have copied from a seed): never with a
// different secret.
func FuzzVerifyStandard(f *testing.F) {
	fx := setup(f)
	h := http.Header(fx.sign(f, fx.secret))
	f.Add(h.Get(webhooks.HeaderID), h.Get(webhooks.HeaderTimestamp), h.Get(webhooks.HeaderStdSignature), fx.body)
	f.Add(h.Get(webhooks.HeaderID), h.Get(webhooks.HeaderTimestamp), "v1,"+strings.Repeat("A", 43)+"=", fx.body)
	f.Add("msg_1", "1774965600", "v1,", []byte{})
	f.Add("", "", "", []byte(nil))
	f.Add("a.b", "+1774965600", "v1,,v1 v2,x ,", []byte("{}"))
	f.Add("id", "99999999999999999999", "v1,====", []byte("x"))

	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(fx.secret, "whsec_"))
	if err != nil {
		f.Fatal(err)
	}
	owner := fx.verifier(fx.secret)
	stranger := fx.verifier(fx.stranger)

	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		hdr := http.Header{}
		hdr.Set(webhooks.HeaderID, id)
		hdr.Set(webhooks.HeaderTimestamp, ts)
		hdr.Set(webhooks.HeaderStdSignature, sig)
		bodyCopy := bytes.Clone(body)

		if err := stranger.VerifyStandard(hdr, body); err == nil {
			t.Fatalf("verified without the secret: id=%q ts=%q sig=%q", id, ts, sig)
		}
		err := owner.VerifyStandard(hdr, body)
		if !bytes.Equal(body, bodyCopy) {
			t.Fatal("the body was modified")
		}
		if err != nil {
			return
		}
		// It verified: the genuine MAC over the canonical timestamp must
		// be among the entries.
		n, perr := strconv.ParseInt(hdr.Get(webhooks.HeaderTimestamp), 10, 64)
		if perr != nil {
			t.Fatalf("verified with a malformed timestamp %q", ts)
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(hdr.Get(webhooks.HeaderID) + "." + strconv.FormatInt(n, 10) + "."))
		m.Write(body)
		want := m.Sum(nil)
		found := false
		for _, e := range strings.Fields(hdr.Get(webhooks.HeaderStdSignature)) {
			v, s, _ := strings.Cut(e, ",")
			got, derr := base64.StdEncoding.DecodeString(s)
			found = found || (v == "v1" && derr == nil && hmac.Equal(got, want))
		}
		if !found {
			t.Fatalf("verified without the genuine MAC: id=%q ts=%q sig=%q", id, ts, sig)
		}
		if d := fx.now.Sub(time.Unix(n, 0)); d > webhooks.DefaultTolerance || d < -webhooks.DefaultTolerance {
			t.Fatalf("verified a timestamp %s away", d)
		}
	})
}

// FuzzValidateURL: never panic, and whatever passes is an absolute http(s)
// URL with a host, no user info or fragment, not a blocked literal address.
func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/webhooks/assetmint",
		"http://127.0.0.1:8080/",
		"http://[::ffff:10.0.0.1]/",
		"http://[fe80::1%25eth0]:80/",
		"https://user:pw@example.com/#x",
		"http://2130706433/",
		"javascript:alert(1)",
		"https://ex ample.com",
		"HTTP://EXAMPLE.COM:65535/a?b=c",
		"http://localhost./",
		"",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, allowPrivate bool) {
		err := webhooks.ValidateURL(raw, allowPrivate)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "webhooks: url ") {
				t.Fatalf("error %q lacks the prefix", err)
			}
			return
		}
		if len(raw) > webhooks.MaxURLLength {
			t.Fatalf("accepted %d bytes", len(raw))
		}
		u, perr := url.Parse(raw)
		if perr != nil {
			t.Fatalf("accepted %q that does not parse: %v", raw, perr)
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Hostname() == "" || u.User != nil || u.Opaque != "" || strings.Contains(raw, "#") {
			t.Fatalf("accepted %q", raw)
		}
		if a, aerr := netip.ParseAddr(u.Hostname()); aerr == nil && !allowPrivate {
			// The package's own table decides; spot-check the obvious ones.
			a = a.Unmap()
			if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
				t.Fatalf("accepted blocked %q", raw)
			}
		}
		if !allowPrivate && strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), "localhost") {
			t.Fatalf("accepted %q", raw)
		}
	})
}

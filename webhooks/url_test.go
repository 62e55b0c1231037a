package webhooks_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

func TestValidateURL(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", webhooks.MaxURLLength-len("https://example.com/"))
	tests := []struct {
		url          string
		allowPrivate bool
		wantIn       string // "" means valid
		blocked      bool
	}{
		{url: "https://example.com/webhooks/assetmint"},
		{url: "http://example.com:8080/hook?x=1"},
		{url: "HTTPS://Example.COM/hook"},
		{url: "https://api.example.com./hook"},
		{url: "https://8.8.8.8/hook"},
		{url: "https://[2001:4860:4860::8888]:8443/hook"},
		{url: "https://my_host.example.com/"},
		{url: long},
		{url: long + "a", wantIn: "at most 2048 bytes"},
		{url: "", wantIn: "is empty"},
		{url: "ftp://example.com/", wantIn: "http or https"},
		{url: "javascript:alert(1)", wantIn: "http or https"},
		{url: "file:///etc/passwd", wantIn: "http or https"},
		{url: "//example.com/hook", wantIn: "http or https"},
		{url: "/hook", wantIn: "http or https"},
		{url: "https:example.com", wantIn: "absolute"},
		{url: "https://user:pass@example.com/", wantIn: "user name or password"},
		{url: "https://user@example.com/", wantIn: "user name or password"},
		{url: "https://example.com/hook#frag", wantIn: "fragment"},
		{url: "https://example.com/hook#", wantIn: "fragment"},
		{url: "https:///hook", wantIn: "must have a host"},
		{url: "https://:443/hook", wantIn: "must have a host"},
		{url: "https://example.com:0/", wantIn: "port"},
		{url: "https://example.com:65536/", wantIn: "port"},
		{url: "https://exa mple.com/", wantIn: "does not parse"},
		{url: "https://ex..ample.com/", wantIn: "DNS name"},
		{url: "https://bücher.example/", wantIn: "DNS name"},
		{url: "http://2130706433/", wantIn: "ambiguous number"},
		{url: "http://0x7f.1/", wantIn: "ambiguous number"},
		{url: "http://127.1/", wantIn: "ambiguous number"},
		{url: "http://017700000001/", wantIn: "ambiguous number", allowPrivate: true},
		{url: "http://127.0.0.1:8080/hook", wantIn: "127.0.0.1", blocked: true},
		{url: "http://127.0.0.1:8080/hook", allowPrivate: true},
		{url: "http://10.0.0.5/", wantIn: "private", blocked: true},
		{url: "http://169.254.169.254/latest/meta-data/", wantIn: "169.254.169.254", blocked: true},
		{url: "http://[::1]/", wantIn: "::1", blocked: true},
		{url: "http://[::ffff:127.0.0.1]/", wantIn: "::ffff:127.0.0.1", blocked: true},
		{url: "http://[64:ff9b::a9fe:a9fe]/", wantIn: "64:ff9b::a9fe:a9fe", blocked: true},
		{url: "http://[fe80::1%25eth0]/", wantIn: "fe80::1", blocked: true},
		{url: "http://[fe80::1%25eth0]/", allowPrivate: true},
		{url: "http://localhost:3000/", wantIn: "loopback name", blocked: true},
		{url: "http://api.LOCALHOST/", wantIn: "loopback name", blocked: true},
		{url: "http://localhost:3000/", allowPrivate: true},
	}
	for _, tt := range tests {
		name := tt.url
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			err := webhooks.ValidateURL(tt.url, tt.allowPrivate)
			if tt.wantIn == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, webhooks.ErrInvalidURL)
			require.Contains(t, err.Error(), tt.wantIn)
			require.True(t, strings.HasPrefix(err.Error(), "webhooks: url "), err.Error())
			require.Equal(t, tt.blocked, errors.Is(err, webhooks.ErrBlockedAddress))
		})
	}
}

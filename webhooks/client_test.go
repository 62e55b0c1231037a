package webhooks_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// fakeResolver answers from a table and counts lookups; any other name is
// not found.
type fakeResolver struct {
	hosts   map[string][]string
	lookups atomic.Int32
}

func (f *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	f.lookups.Add(1)
	addrs, ok := f.hosts[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		ip, zone, _ := strings.Cut(a, "%")
		out[i] = net.IPAddr{IP: net.ParseIP(ip), Zone: zone}
	}
	return out, nil
}

// receiver is a real server on 127.0.0.1; hits counts requests it saw.
func receiver(t *testing.T, h http.HandlerFunc) (port string, hits *atomic.Int32) {
	t.Helper()
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return u.Port(), hits
}

func ok(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"received":true}`) }

func post(t *testing.T, c *http.Client, target string) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(`{}`))
	require.NoError(t, err)
	res, err := c.Do(req)
	if res != nil {
		t.Cleanup(func() { _ = res.Body.Close() })
	}
	return res, err
}

func TestClientRefusesBlockedLiteralIPs(t *testing.T) {
	c := webhooks.NewClient(webhooks.ClientConfig{Resolver: &fakeResolver{}})
	for _, host := range []string{
		"127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
		"0.0.0.0", "192.0.0.1", "198.18.0.1", "240.0.0.1", "255.255.255.255", "224.0.0.1", "192.0.2.1",
		"[::1]", "[::]", "[fc00::1]", "[fe80::1]", "[ff02::1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]",
		"[64:ff9b:1::1]", "[2002:a9fe:a9fe::1]", "[2001:db8::1]",
	} {
		_, err := post(t, c, "http://"+host+":9/hook")
		require.ErrorIs(t, err, webhooks.ErrBlockedAddress, host)
	}
}

func TestClientRefusesNamesResolvingToBlockedAddresses(t *testing.T) {
	port, hits := receiver(t, ok)
	r := &fakeResolver{hosts: map[string][]string{
		"internal.example": {"10.0.0.7"},
		"loop.example":     {"127.0.0.1"},
		"mixed.example":    {"93.184.216.34", "127.0.0.1"},
		"mixed6.example":   {"2606:4700:4700::1111", "fd00::1"},
		"mapped.example":   {"::ffff:127.0.0.1"},
		"nat64.example":    {"64:ff9b::7f00:1"},
		"metadata.example": {"169.254.169.254"},
		"zoned.example":    {"fe80::1%lo"},
	}}
	c := webhooks.NewClient(webhooks.ClientConfig{Resolver: r})
	for host := range r.hosts {
		_, err := post(t, c, "http://"+host+":"+port+"/hook")
		require.ErrorIs(t, err, webhooks.ErrBlockedAddress, host)
		require.Contains(t, err.Error(), host)
	}
	require.Zero(t, hits.Load(), "nothing may reach the receiver")
}

// A refusal names the host but not what it resolved to: the message reaches
// the endpoint's owner, the address only the server's log (Addr).
func TestClientRefusalDoesNotSayWhereANameResolves(t *testing.T) {
	r := &fakeResolver{hosts: map[string][]string{"db.corp.example": {"10.20.30.40"}, "v6.corp.example": {"fd12:3456::7"}}}
	c := webhooks.NewClient(webhooks.ClientConfig{Resolver: r})
	for host, addr := range map[string]string{"db.corp.example": "10.20.30.40", "v6.corp.example": "fd12:3456::7"} {
		_, err := post(t, c, "https://"+host+"/hook")
		require.ErrorIs(t, err, webhooks.ErrBlockedAddress)
		require.Contains(t, err.Error(), "address not allowed: "+host+" is or resolves to a private, loopback or reserved address")
		require.NotContains(t, err.Error(), addr)
		var b *webhooks.BlockedAddressError
		require.ErrorAs(t, err, &b)
		require.Equal(t, host, b.Host)
		require.Equal(t, addr, b.Addr.String())
	}
}

// A failed lookup does not name the server's own DNS resolver.
func TestClientLookupErrorDoesNotNameTheResolver(t *testing.T) {
	c := webhooks.NewClient(webhooks.ClientConfig{Resolver: resolverFunc(func(host string) ([]net.IPAddr, error) {
		return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.0.0.2:53", IsNotFound: true}
	})})
	_, err := post(t, c, "https://nowhere.example/hook")
	var dnsErr *net.DNSError
	require.ErrorAs(t, err, &dnsErr)
	require.True(t, dnsErr.IsNotFound)
	require.NotContains(t, err.Error(), "10.0.0.2")
	require.Contains(t, err.Error(), "lookup nowhere.example: no such host")
}

type resolverFunc func(host string) ([]net.IPAddr, error)

func (f resolverFunc) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return f(host)
}

func TestClientAllowPrivate(t *testing.T) {
	port, hits := receiver(t, ok)

	t.Run("refused by default", func(t *testing.T) {
		c := webhooks.NewClient(webhooks.ClientConfig{})
		_, err := post(t, c, "http://127.0.0.1:"+port+"/hook")
		require.ErrorIs(t, err, webhooks.ErrBlockedAddress)
		require.Zero(t, hits.Load())
	})
	t.Run("allowed for local development", func(t *testing.T) {
		c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true})
		res, err := post(t, c, "http://127.0.0.1:"+port+"/hook")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, int32(1), hits.Load())
	})
	t.Run("dials the address it resolved, not the name", func(t *testing.T) {
		// The system resolver does not know receiver.test; only our
		// lookup does, so success means the vetted IP was dialled.
		r := &fakeResolver{hosts: map[string][]string{"receiver.test": {"127.0.0.1"}}}
		c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true, Resolver: r})
		res, err := post(t, c, "http://receiver.test:"+port+"/hook")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, int32(1), r.lookups.Load())
	})
	t.Run("tries the next address", func(t *testing.T) {
		// The receiver listens on 127.0.0.1 only, so [::1]:port refuses.
		r := &fakeResolver{hosts: map[string][]string{"two.test": {"::1", "127.0.0.1"}}}
		c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true, Resolver: r})
		res, err := post(t, c, "http://two.test:"+port+"/hook")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
	})
}

func TestClientUnknownHost(t *testing.T) {
	c := webhooks.NewClient(webhooks.ClientConfig{Resolver: &fakeResolver{}})
	_, err := post(t, c, "http://nowhere.test/hook")
	var dnsErr *net.DNSError
	require.ErrorAs(t, err, &dnsErr)
	require.NotErrorIs(t, err, webhooks.ErrBlockedAddress)
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	port, hits := receiver(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hook" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		ok(w, r)
	})
	c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true})
	res, err := post(t, c, "http://127.0.0.1:"+port+"/hook")
	require.NoError(t, err)
	require.Equal(t, http.StatusFound, res.StatusCode)
	require.Equal(t, "http://169.254.169.254/latest/meta-data/", res.Header.Get("Location"))
	require.Equal(t, int32(1), hits.Load())

	// Even to an allowed place.
	port2, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	res, err = post(t, c, "http://127.0.0.1:"+port2+"/hook")
	require.NoError(t, err)
	require.Equal(t, http.StatusTemporaryRedirect, res.StatusCode)
}

func TestClientSettings(t *testing.T) {
	c := webhooks.NewClient(webhooks.ClientConfig{})
	require.Equal(t, 15*time.Second, c.Timeout)
	tr, isTransport := c.Transport.(*http.Transport)
	require.True(t, isTransport)
	require.Nil(t, tr.Proxy, "environment proxies must not reroute deliveries")
	require.Nil(t, tr.TLSClientConfig, "TLS verification as usual")

	require.Equal(t, 3*time.Second, webhooks.NewClient(webhooks.ClientConfig{Timeout: 3 * time.Second}).Timeout)
}

func TestClientTimeout(t *testing.T) {
	release := make(chan struct{})
	port, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	defer close(release)
	c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true, Timeout: 50 * time.Millisecond})
	_, err := post(t, c, "http://127.0.0.1:"+port+"/hook")
	require.Error(t, err)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	require.True(t, ue.Timeout())
}

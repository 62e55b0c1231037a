package clientip

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The proxies of the tests: a load balancer's subnet and one IPv6 proxy.
var testProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ff::/48")}

func TestAddr(t *testing.T) {
	tests := []struct {
		name      string
		remote    string
		forwarded []string
		want      string
	}{
		{"direct, no header", "203.0.113.7:5555", nil, "203.0.113.7"},
		{"direct, spoofed header ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, "203.0.113.7"},
		{"direct, spoofed trusted-looking header ignored", "203.0.113.7:5555", []string{"10.0.0.9"}, "203.0.113.7"},
		{"proxy, no header", "10.0.0.2:443", nil, "10.0.0.2"},
		{"proxy, one hop", "10.0.0.2:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"proxy, the client's own header is left of its address", "10.0.0.2:443", []string{"192.0.2.66, 198.51.100.1"}, "198.51.100.1"},
		{"proxy chain: trusted hops are skipped", "10.0.0.2:443", []string{"198.51.100.1, 10.1.1.1, 10.2.2.2"}, "198.51.100.1"},
		{"several header lines are one list in order", "10.0.0.2:443", []string{"192.0.2.66", "198.51.100.1, 10.1.1.1", "10.2.2.2"}, "198.51.100.1"},
		{"the right-most untrusted line wins", "10.0.0.2:443", []string{"198.51.100.1", "192.0.2.66"}, "192.0.2.66"},
		{"spaces and tabs around hops", "10.0.0.2:443", []string{" 198.51.100.1 ,\t10.1.1.1 "}, "198.51.100.1"},
		{"every hop trusted: where it started", "10.0.0.2:443", []string{"10.9.9.9, 10.1.1.1"}, "10.9.9.9"},
		{"hop with a port", "10.0.0.2:443", []string{"198.51.100.1:61000"}, "198.51.100.1"},
		{"IPv6 hop", "10.0.0.2:443", []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"bracketed IPv6 hop with a port", "10.0.0.2:443", []string{"[2001:db8:1::7]:61000"}, "2001:db8:1::7"},
		{"IPv4-mapped hop is unmapped", "10.0.0.2:443", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"zone is dropped", "10.0.0.2:443", []string{"fe80::1%eth0"}, "fe80::1"},
		{"IPv6 proxy", "[2001:db8:ff::1]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"IPv4-mapped peer is a trusted IPv4 proxy", "[::ffff:10.0.0.2]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"malformed right-most hop: the peer", "10.0.0.2:443", []string{"198.51.100.1, garbage"}, "10.0.0.2"},
		{"malformed behind trusted hops: the peer", "10.0.0.2:443", []string{"198.51.100.1, garbage, 10.1.1.1"}, "10.0.0.2"},
		{"malformed left of the client: never reached", "10.0.0.2:443", []string{"garbage, 198.51.100.1"}, "198.51.100.1"},
		{"empty hop: the peer", "10.0.0.2:443", []string{"198.51.100.1,"}, "10.0.0.2"},
		{"empty line: the peer", "10.0.0.2:443", []string{""}, "10.0.0.2"},
		{"a name is not an address", "10.0.0.2:443", []string{"client.example"}, "10.0.0.2"},
		{"RFC 7239 syntax is not X-Forwarded-For", "10.0.0.2:443", []string{"for=198.51.100.1"}, "10.0.0.2"},
		{"unknown", "10.0.0.2:443", []string{"unknown"}, "10.0.0.2"},
		{"bare peer address", "198.51.100.1", nil, "198.51.100.1"},
		{"peer that is not an address is used as it is", "@", []string{"198.51.100.1"}, "@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Addr(tt.remote, tt.forwarded, testProxies))
		})
	}

	t.Run("no trusted proxies: always the peer", func(t *testing.T) {
		require.Equal(t, "10.0.0.2", Addr("10.0.0.2:443", []string{"198.51.100.1"}, nil))
	})
}

func TestPrefixes(t *testing.T) {
	got, err := Prefixes("TrustedProxies", []netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/8"),
		netip.MustParsePrefix("::ffff:192.168.0.0/112"),
		netip.MustParsePrefix("2001:db8::/32"),
	})
	require.NoError(t, err)
	require.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("2001:db8::/32"),
	}, got)

	_, err = Prefixes("TrustedProxies", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), {}})
	require.ErrorContains(t, err, "TrustedProxies[1]")
}

// Whatever the header says, the answer is the peer or an address that the
// header holds, and an untrusted peer is never talked out of its own
// address.
func FuzzAddr(f *testing.F) {
	for _, seed := range [][2]string{
		{"10.0.0.2:443", "198.51.100.1, 10.1.1.1"},
		{"10.0.0.2:443", "garbage, 198.51.100.1"},
		{"10.0.0.2:443", "[2001:db8::1]:80,::ffff:1.2.3.4 , fe80::1%eth0"},
		{"10.0.0.2:443", ",,,"},
		{"203.0.113.7:5555", "10.0.0.9"},
		{"[::ffff:10.0.0.2]:443", "10.9.9.9"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, remote, header string) {
		lines := strings.Split(header, "\n")
		got := Addr(remote, lines, testProxies)
		peer, ok := parseHop(remote)
		if !ok {
			if got != remote {
				t.Fatalf("unparsable peer %q gave %q", remote, got)
			}
			return
		}
		if got == peer.String() {
			return
		}
		if !isTrusted(peer, testProxies) {
			t.Fatalf("untrusted peer %q was read as %q", remote, got)
		}
		a, err := netip.ParseAddr(got)
		if err != nil || a.Zone() != "" || a.Is4In6() {
			t.Fatalf("%q is not a plain address", got)
		}
		found := false
		for _, line := range lines {
			for hop := range strings.SplitSeq(line, ",") {
				if h, ok := parseHop(hop); ok && h == a {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("%q is neither the peer %q nor a hop of %q", got, remote, header)
		}
	})
}

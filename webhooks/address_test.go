package webhooks

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBlocked(t *testing.T) {
	blockedAddrs := map[string]string{
		"0.0.0.0":                "unspecified",
		"0.1.2.3":                "this network",
		"127.0.0.1":              "loopback",
		"127.255.255.254":        "loopback",
		"10.0.0.1":               "private 10/8",
		"10.255.255.255":         "private 10/8",
		"172.16.0.1":             "private 172.16/12",
		"172.31.255.255":         "private 172.16/12",
		"192.168.1.1":            "private 192.168/16",
		"169.254.169.254":        "cloud metadata",
		"169.254.0.1":            "link-local",
		"100.64.0.1":             "CGNAT",
		"100.127.255.255":        "CGNAT",
		"192.0.0.8":              "IETF 192.0.0/24",
		"192.0.2.10":             "TEST-NET-1",
		"198.51.100.7":           "TEST-NET-2",
		"203.0.113.9":            "TEST-NET-3",
		"198.18.0.1":             "benchmarking",
		"198.19.255.255":         "benchmarking",
		"192.88.99.1":            "6to4 relay anycast",
		"224.0.0.1":              "multicast",
		"239.255.255.250":        "multicast",
		"240.0.0.1":              "reserved",
		"255.255.255.255":        "broadcast",
		"::":                     "unspecified v6",
		"::1":                    "loopback v6",
		"fc00::1":                "unique local",
		"fd12:3456:789a::1":      "unique local",
		"fe80::1":                "link-local v6",
		"fe80::1%eth0":           "link-local v6 with zone",
		"fec0::1":                "site-local (deprecated)",
		"ff02::1":                "multicast v6",
		"::ffff:127.0.0.1":       "IPv4-mapped loopback",
		"::ffff:10.1.2.3":        "IPv4-mapped private",
		"::ffff:169.254.169.254": "IPv4-mapped metadata",
		"::127.0.0.1":            "IPv4-compatible",
		"64:ff9b::7f00:1":        "NAT64 of loopback",
		"64:ff9b::a9fe:a9fe":     "NAT64 of metadata",
		"64:ff9b::10.0.0.1":      "NAT64 of private",
		"64:ff9b:1::808:808":     "local-use NAT64",
		"2002:7f00:1::1":         "6to4 of loopback",
		"2002:a00:1::1":          "6to4 of private",
		"2002:c0a8:101::":        "6to4 of 192.168.1.1",
		"2001:db8::1":            "documentation v6",
		"3fff::1":                "documentation v6 (RFC 9637)",
		"2001::1":                "Teredo",
		"2001:2::1":              "benchmarking v6",
		"100::1":                 "discard-only",
		"5f00::1":                "SRv6 SIDs",
	}
	for s, why := range blockedAddrs {
		require.True(t, blocked(netip.MustParseAddr(s)), "%s (%s) must be blocked", s, why)
	}
	require.True(t, blocked(netip.Addr{}), "the zero Addr")

	for _, s := range []string{
		"8.8.8.8",
		"1.1.1.1",
		"93.184.216.34",
		"172.15.255.255", // just below 172.16/12
		"172.32.0.0",     // just above
		"100.63.255.255", // just below CGNAT
		"100.128.0.0",    // just above
		"169.253.255.255",
		"192.0.1.1",
		"198.17.255.255",
		"198.20.0.0",
		"223.255.255.255",
		"2606:4700:4700::1111",
		"2001:4860:4860::8888",
		"::ffff:8.8.8.8",    // IPv4-mapped public
		"64:ff9b::808:808",  // NAT64 of 8.8.8.8
		"2002:808:808::1",   // 6to4 of 8.8.8.8
		"2a00:1450:4001::1", // public v6
	} {
		require.False(t, blocked(netip.MustParseAddr(s)), "%s must be allowed", s)
	}
}

func TestRefuseBlocked(t *testing.T) {
	require.ErrorIs(t, refuseBlocked("tcp4", "127.0.0.1:80", nil), ErrBlockedAddress)
	require.ErrorIs(t, refuseBlocked("tcp6", "[::ffff:10.0.0.1]:443", nil), ErrBlockedAddress)
	require.ErrorIs(t, refuseBlocked("tcp6", "[fe80::1%eth0]:443", nil), ErrBlockedAddress)
	require.ErrorIs(t, refuseBlocked("tcp", "not an address", nil), ErrBlockedAddress)
	require.NoError(t, refuseBlocked("tcp4", "8.8.8.8:443", nil))
	require.NoError(t, refuseBlocked("tcp6", "[2001:4860:4860::8888]:443", nil))
}

func TestCanonicalHeaderKeys(t *testing.T) {
	for name, canon := range map[string]string{
		HeaderSignature:         canonSignature,
		HeaderSignaturePrevious: canonSignaturePrevious,
		HeaderEvent:             canonEvent,
		HeaderID:                canonID,
		HeaderTimestamp:         canonTimestamp,
		HeaderStdSignature:      canonStdSignature,
	} {
		require.Equal(t, http.CanonicalHeaderKey(name), canon)
	}
}

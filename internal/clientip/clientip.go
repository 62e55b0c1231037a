// Package clientip finds the client behind a request: the peer, or the
// right-most X-Forwarded-For hop that is not a trusted proxy. It is the
// rule httpapi's per-address limits key on (httpapi/clientip.go, written
// before this package), here for the operator console, so that both count
// one client's failed sign-ins against one address.
package clientip

import (
	"fmt"
	"net/netip"
	"strings"
)

// Addr returns the address of the client behind a request that came from
// remote (a RemoteAddr) with the X-Forwarded-For header lines forwarded:
//
//   - from a peer that is not in trusted, the peer: anyone can write the
//     header, so it is ignored;
//   - from a trusted proxy, the right-most hop of the header (its lines
//     read as one list, in order) that is not itself trusted; when every hop
//     is trusted, the left-most, where the request started;
//   - a hop that is not an IP address (with or without a port) ends the
//     walk, and the peer is used: what lies left of it cannot be read.
//
// Addresses are returned in netip's form, IPv4-mapped IPv6 unmapped and
// without zone, so one client has one spelling. A RemoteAddr that is not
// an address (a Unix socket, a test's placeholder) is returned as it is.
func Addr(remote string, forwarded []string, trusted []netip.Prefix) string {
	peer, ok := parseHop(remote)
	if !ok {
		return remote
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	var last netip.Addr // the left-most hop read so far, all trusted
	for i := len(forwarded) - 1; i >= 0; i-- {
		line := forwarded[i]
		for {
			comma := strings.LastIndexByte(line, ',')
			hop, ok := parseHop(line[comma+1:])
			if !ok {
				return peer.String()
			}
			if !isTrusted(hop, trusted) {
				return hop.String()
			}
			last = hop
			if comma < 0 {
				break
			}
			line = line[:comma]
		}
	}
	if last.IsValid() {
		return last.String()
	}
	return peer.String()
}

// parseHop reads one address: an IP, or an IP with a port ("1.2.3.4:80",
// "[::1]:80"), surrounded by optional spaces.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.Trim(s, " \t")
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Prefixes checks and normalizes trusted proxies into a copy: masked, and
// IPv4-mapped IPv6 prefixes written as IPv4, since client addresses are
// compared unmapped. what names the setting in errors
// ("TrustedProxies").
func Prefixes(what string, in []netip.Prefix) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(in))
	for i, p := range in {
		if !p.IsValid() {
			return nil, fmt.Errorf("%s[%d] is not a valid prefix", what, i)
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

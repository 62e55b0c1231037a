package webhooks

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ErrBlockedAddress is returned, wrapped, when an endpoint's address is one
// AssetMint does not send to: loopback, private, link-local (including cloud
// metadata at 169.254.169.254), multicast, unspecified, shared (CGNAT),
// benchmarking, documentation, reserved, broadcast, or an IPv6 form embedding
// one of these.
var ErrBlockedAddress = errors.New("webhooks: address not allowed")

// BlockedAddressError is how the client of NewClient refuses to connect: it
// wraps ErrBlockedAddress. Its message names the host of the endpoint's URL
// but never the address the host resolved to, because delivery errors are
// shown to whoever registered the endpoint, and what an internal name
// resolves to is not theirs to learn. Addr is for the server's own log.
type BlockedAddressError struct {
	Host string     // the URL's host; "" when only the socket's address was checked
	Addr netip.Addr // the blocked address it resolved to
}

func (e *BlockedAddressError) Error() string {
	if e.Host == "" {
		return ErrBlockedAddress.Error() + ": private, loopback or reserved"
	}
	return ErrBlockedAddress.Error() + ": " + e.Host + " is or resolves to a private, loopback or reserved address"
}

func (e *BlockedAddressError) Unwrap() error { return ErrBlockedAddress }

// ErrInvalidURL is returned, wrapped, by ValidateURL.
var ErrInvalidURL = errors.New("webhooks: invalid endpoint URL")

// MaxURLLength is the longest endpoint URL ValidateURL accepts, in bytes.
const MaxURLLength = 2048

// The IPv4 ranges never dialled (IANA special-purpose registry, minus the
// few globally reachable anycast services).
var blockedV4 = [...]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),          // "this network", incl. unspecified
	netip.MustParsePrefix("10.0.0.0/8"),         // private
	netip.MustParsePrefix("100.64.0.0/10"),      // shared address space (CGNAT)
	netip.MustParsePrefix("127.0.0.0/8"),        // loopback
	netip.MustParsePrefix("169.254.0.0/16"),     // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),      // private
	netip.MustParsePrefix("192.0.0.0/24"),       // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),       // documentation (TEST-NET-1)
	netip.MustParsePrefix("192.88.99.0/24"),     // deprecated 6to4 relay anycast
	netip.MustParsePrefix("192.168.0.0/16"),     // private
	netip.MustParsePrefix("198.18.0.0/15"),      // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),    // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),     // documentation (TEST-NET-3)
	netip.MustParsePrefix("224.0.0.0/4"),        // multicast
	netip.MustParsePrefix("240.0.0.0/4"),        // reserved, incl. broadcast
	netip.MustParsePrefix("255.255.255.255/32"), // broadcast (inside 240/4; named for readers)
}

var (
	// IPv6 outside global unicast (loopback, unspecified, unique local
	// fc00::/7, link-local fe80::/10, multicast ff00::/8, IPv4-compatible,
	// discard 100::/64, local-use NAT64 64:ff9b:1::/48, ...) is blocked
	// wholesale, except the NAT64 and IPv4-mapped forms judged by their
	// IPv4 address.
	globalUnicast6 = netip.MustParsePrefix("2000::/3")
	nat64          = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour      = netip.MustParsePrefix("2002::/16")
	// Ranges inside 2000::/3 that are not ordinary hosts.
	blockedV6 = [...]netip.Prefix{
		netip.MustParsePrefix("2001::/23"),     // IETF protocol assignments: Teredo, benchmarking 2001:2::/48, ORCHID
		netip.MustParsePrefix("2001:db8::/32"), // documentation
		netip.MustParsePrefix("3fff::/20"),     // documentation
		netip.MustParsePrefix("5f00::/16"),     // SRv6 SIDs
	}
)

// blocked reports whether a is an address AssetMint never sends to.
func blocked(a netip.Addr) bool {
	a = a.WithZone("").Unmap()
	switch {
	case !a.IsValid():
		return true
	case a.Is4():
		for _, p := range blockedV4 {
			if p.Contains(a) {
				return true
			}
		}
		return false
	case nat64.Contains(a):
		b := a.As16()
		return blocked(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(a):
		b := a.As16()
		return blocked(netip.AddrFrom4([4]byte(b[2:6])))
	case !globalUnicast6.Contains(a):
		return true
	}
	for _, p := range blockedV6 {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// urlError is what ValidateURL returns; its message reads well after the
// "webhooks: " prefix is trimmed, for API responses.
type urlError struct {
	msg       string
	isBlocked bool
}

func (e *urlError) Error() string { return "webhooks: url " + e.msg }

func (e *urlError) Is(target error) bool {
	return target == ErrInvalidURL || (e.isBlocked && target == ErrBlockedAddress)
}

// ValidateURL checks an endpoint URL when it is registered: an absolute http
// or https URL with a host, no user info, no fragment, at most MaxURLLength
// bytes; a host spelled as an ambiguous number (2130706433, 0x7f.1) is
// refused. Unless allowPrivate, a literal IP in a blocked range, and
// "localhost", are refused too (wrapping ErrBlockedAddress).
//
// Hostnames are not resolved here: what a name points to can change, so the
// client of NewClient checks every address again when it dials.
//
// The error wraps ErrInvalidURL and its message says what is wrong.
func ValidateURL(raw string, allowPrivate bool) error {
	bad := func(msg string) error { return &urlError{msg: msg} }
	if raw == "" {
		return bad("is empty")
	}
	if len(raw) > MaxURLLength {
		return bad("must be at most " + strconv.Itoa(MaxURLLength) + " bytes")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("does not parse as a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("must use http or https")
	case u.Opaque != "":
		return bad("must be absolute, like https://host/path")
	case u.User != nil:
		return bad("must not contain a user name or password")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("must not contain a fragment (#...)")
	case u.Hostname() == "":
		return bad("must have a host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("port must be between 1 and 65535")
		}
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if !allowPrivate && blocked(a) {
			return &urlError{msg: "host " + host + " is a private, loopback, link-local or reserved address", isBlocked: true}
		}
		return nil
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if !hostname(name) {
		return bad("host must be a DNS name (punycode for international names) or an IP address")
	}
	if last := name[strings.LastIndexByte(name, '.')+1:]; digits(last) || strings.HasPrefix(last, "0x") {
		return bad("host " + host + " is an ambiguous number; write an IP address in dotted or bracketed form")
	}
	if !allowPrivate && (name == "localhost" || strings.HasSuffix(name, ".localhost")) {
		return &urlError{msg: "host " + host + " is a loopback name", isBlocked: true}
	}
	return nil
}

// hostname reports whether s is dot-separated labels of letters, digits,
// '-' and '_', each 1-63 bytes, at most 253 in all.
func hostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// DefaultTimeout bounds a whole delivery request when ClientConfig.Timeout is
// zero.
const DefaultTimeout = 15 * time.Second

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// ClientConfig configures NewClient; the zero value is the production
// setting.
type ClientConfig struct {
	// AllowPrivate lets the client reach loopback, private and other
	// blocked addresses. For local development only.
	AllowPrivate bool
	// Timeout bounds the whole request, body included; zero or negative
	// means DefaultTimeout.
	Timeout time.Duration
	// Resolver resolves endpoint hosts; nil means net.DefaultResolver.
	Resolver Resolver
}

// NewClient returns the HTTP client that delivers webhooks, guarded against
// server-side request forgery at dial time:
//
//   - the client resolves the host itself and refuses the connection, with
//     a *BlockedAddressError (wrapping ErrBlockedAddress), if any address is
//     blocked (see ErrBlockedAddress), unless cfg.AllowPrivate;
//   - it then dials the address it checked, never the name again, so a DNS
//     answer that changes between check and dial (rebinding) cannot slip
//     through, and checks the socket's address once more just before
//     connecting;
//   - it never follows redirects: a 3xx comes back as the response;
//   - it uses no proxy, whatever the environment says.
//
// TLS is verified as usual, against the URL's host name.
//
// Its errors are fit to show the endpoint's owner: a refusal does not say
// which address the host resolved to, and a failed lookup does not name the
// server's DNS resolver.
func NewClient(cfg ClientConfig) *http.Client {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	g := &dialGuard{
		allowPrivate: cfg.AllowPrivate,
		resolver:     cfg.Resolver,
		dialer:       &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second},
	}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	if !cfg.AllowPrivate {
		g.dialer.Control = refuseBlocked
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DialContext:       g.dialContext,
			ForceAttemptHTTP2: true,
			MaxIdleConns:      256,
			// Deliveries run many at once (assetmint.WebhookConfig's
			// Concurrency), often to one receiver: keep a connection for
			// each, or most would be dialled, used once and closed.
			MaxIdleConnsPerHost:   128,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       timeout,
	}
}

type dialGuard struct {
	allowPrivate bool
	resolver     Resolver
	dialer       *net.Dialer
}

func (g *dialGuard) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("webhooks: dial %s: bad port", address)
	}
	addrs, err := g.resolve(ctx, network, host)
	if err != nil {
		return nil, err
	}
	if !g.allowPrivate {
		for _, a := range addrs {
			if blocked(a) {
				return nil, &BlockedAddressError{Host: host, Addr: a}
			}
		}
	}
	var errs []error
	for _, a := range addrs {
		c, err := g.dialer.DialContext(ctx, network, netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return c, nil
		}
		var b *BlockedAddressError
		if errors.As(err, &b) {
			// The socket's own check: return it bare, not inside a
			// *net.OpError whose message would show the address.
			return nil, &BlockedAddressError{Host: host, Addr: b.Addr}
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// resolve returns host's addresses that network can reach, IPv4-mapped
// addresses unmapped.
func (g *dialGuard) resolve(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	ips, err := g.resolver.LookupIPAddr(ctx, host)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.Server != "" {
			anon := *dnsErr
			anon.Server = "" // the server's own resolver is not the endpoint owner's business
			return nil, &anon
		}
		return nil, err
	}
	addrs := make([]netip.Addr, 0, len(ips))
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			continue
		}
		a = a.Unmap()
		if a.Is6() {
			a = a.WithZone(ip.Zone)
		}
		if network == "tcp4" && !a.Is4() || network == "tcp6" && !a.Is6() {
			continue
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no suitable address", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// refuseBlocked is the dialer's last check, on the socket's own address.
func refuseBlocked(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || blocked(ap.Addr()) {
		return &BlockedAddressError{Addr: ap.Addr()}
	}
	return nil
}

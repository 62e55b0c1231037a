package httpapi

import (
	"net/http"

	"github.com/assetmint/assetmint/internal/clientip"
)

// clientAddr is the address the per-address limits of r key on: the peer,
// or behind a trusted proxy the client it names (clientip.Addr, the rules
// the console shares).
func (h *handler) clientAddr(r *http.Request) string {
	return clientip.Addr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), h.cfg.TrustedProxies)
}

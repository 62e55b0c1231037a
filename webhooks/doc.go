// Package webhooks owns AssetMint's webhook deliveries on both ends: the
// payload (Event), signing (Sign), verification for receivers (Verifier,
// Handler, SignForTest), the delivery policy numbers (RetrySchedule,
// NextAttempt, RetryAfter) and the sender's HTTP client with its guard
// against server-side request forgery (NewClient, ValidateURL). It imports
// nothing else from this module, so a receiver can depend on it alone.
//
// # Two signatures on every delivery
//
// Each attempt is a POST of the canonical JSON of an Event with these headers:
//
//	Content-Type: application/json
//	X-AssetMint-Event: loan.approved
//	X-AssetMint-Signature: sha256=<hex HMAC-SHA256(key = the secret string "whsec_...", body)>
//	webhook-id: evt_...                    (the event id, the same on every retry)
//	webhook-timestamp: 1774965600          (Unix seconds of this attempt)
//	webhook-signature: v1,<base64 HMAC-SHA256(key = base64-decoded secret after "whsec_", id.timestamp.body)>
//
// X-AssetMint-Signature is the scheme of the reference Express receiver,
// which computes createHmac('sha256', secret).update(rawBody) and compares
// hex. The webhook-* headers follow Standard Webhooks
// (https://www.standardwebhooks.com), so off-the-shelf verifiers in any
// language work too. Both schemes must be checked over the raw body bytes,
// before any JSON parsing.
//
// # Replay protection
//
// X-AssetMint-Signature covers the body only: a captured request verifies
// forever. The Standard Webhooks signature also covers the id and the time
// of the attempt, and Verifier.VerifyStandard rejects timestamps more than
// Tolerance (5 minutes by default) from the receiver's clock; remember
// webhook-id for that long to refuse replays within the window, which also
// drops the duplicates that at-least-once delivery brings. New receivers
// should use VerifyStandard, or Handler, which uses it:
//
//	v := webhooks.Verifier{Secrets: []string{os.Getenv("ASSETMINT_WEBHOOK_SECRET")}}
//	mux.Handle("POST /webhooks/assetmint", webhooks.Handler(v,
//		func(w http.ResponseWriter, r *http.Request, e webhooks.Event) {
//			// e.Type, e.Data ...; answer 2xx to acknowledge
//		}))
//
// # Secret rotation
//
// Secrets are "whsec_" + standard base64 of 32 random bytes (NewSecret).
// After a rotation the sender signs with both the new and the previous
// secret for a grace period: webhook-signature carries one v1 entry per
// secret, X-AssetMint-Signature uses the new secret and
// X-AssetMint-Signature-Previous the old one. A receiver still holding the
// old secret keeps verifying; give Verifier.Secrets both while switching
// over. (The reference Express receiver reads X-AssetMint-Signature only, so
// it must switch to the new secret when the rotation happens.)
//
// # The SSRF guard
//
// Endpoint URLs are written by customers, so the sender must not be turned
// against its own network. ValidateURL refuses bad URLs and literal blocked
// addresses at registration; NewClient's client checks again at every dial,
// on the resolved addresses, and refuses loopback, private, link-local
// (including cloud metadata), CGNAT, multicast, reserved, documentation and
// benchmarking ranges, and IPv6 forms that embed such an IPv4 address
// (IPv4-mapped, NAT64, 6to4). It dials the address it checked, never follows
// redirects and ignores proxy settings. ClientConfig.AllowPrivate lifts the
// address checks for local development.
package webhooks

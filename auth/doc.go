// Package auth owns how API clients prove who they are and how much they may ask: client secrets
// (generation, storage hash, constant-time check), the HS256 bearer tokens exchanged for them at
// POST /v1/auth/token, and rate limits by [Plan].
//
// It is pure: nothing here reads the clock or the random source on its own. [Tokens] takes them in
// [TokenConfig] (defaulting to time.Now and crypto/rand), [NewSecret] takes an io.Reader, and a
// [Limiter] is told the time of each request. It imports nothing else from this module, so the engine,
// the HTTP layer and a host application can all use it.
//
// The pieces that matter:
//   - [NewSecret], [HashSecret], [SecretMatches]: store only the hash; compare in constant time.
//   - [Tokens]: [Tokens.Issue] and [Tokens.Verify], with key rotation by kid. Verify's errors wrap
//     exactly one of [ErrTokenMalformed], [ErrTokenInvalid], [ErrTokenExpired].
//   - [Limiter] and its in-process [MemoryLimiter]: a token bucket per minute (bursts allowed, never a
//     double allowance across a minute boundary) and a quota per UTC day; a [Decision] carries what
//     the 429 and the X-RateLimit-* headers need. Limiter.Peek checks a budget without spending it,
//     for budgets only some requests spend (failed authentications).
//
// A token endpoint and an authenticated request, in outline:
//
//	// At client creation: show secret once, store HashSecret(secret).
//	secret, err := auth.NewSecret(rand.Reader)
//
//	// POST /v1/auth/token
//	if !auth.SecretMatches(client.SecretHash, presented) {
//		// 401 invalid_client
//	}
//	token, _, err := tokens.Issue(client.ID) // expires_in: tokens.TTL()
//
//	// Every other request
//	claims, err := tokens.Verify(bearer)
//	d, err := limiter.Allow(ctx, claims.Subject, plan.Limits(), time.Now())
//	if !d.Allowed {
//		// 429, Retry-After: auth.RetryAfterSeconds(d.RetryAfter), error.code d.Code
//	}
package auth

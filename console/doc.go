// Package console is AssetMint's operator console: an [http.Handler] over an
// [assetmint.Engine] that serves server-rendered HTML pages for the people
// who run the platform. It never owns the listener.
//
//	h, err := console.New(engine, console.Config{AdminToken: operatorToken})
//	mux.Handle("/console/", h)
//
// # What it shows
//
//   - the dashboard (/console/): assets and loans by status, the funded
//     principal outstanding per currency with its delinquency buckets
//     (count and amount, as a bar chart), dead jobs and failing webhook
//     endpoints;
//   - assets (/console/assets?status=valued is the review queue): each
//     asset with its documents (downloadable), its latest valuation
//     (premises, range, confidence, flags) and a waterfall chart of its
//     factors from the anchor to the value, with Verify and Reject;
//   - loans (/console/loans?status=referred and the other statuses): each
//     loan's terms, position, schedule (as a chart and a table) and
//     repayments, with Approve, Reject, Fund and Record repayment;
//   - businesses: list, create (the first client's secret shown once),
//     change plan and wallet, add a client (its secret shown once);
//   - webhooks: failing endpoints, failing and dead deliveries across
//     businesses, with Retry on the dead ones.
//
// Every page and action is the operator's view of the engine
// ([assetmint.Engine.Operator]), the same use cases as the REST API's
// operator routes: the same validation, the same events, the same
// idempotency (each form carries its own idempotency key, so a double
// submit or a reload records one repayment). The console never shows a
// secret after creation, and offers nothing a business's own client does.
//
// # How it looks
//
// Pages are html/template, their style sheet and everything else is
// embedded (go:embed): no request leaves the host, and no script runs (the
// Content-Security-Policy forbids it), so the console works without
// JavaScript. Charts are inline SVG drawn on the server, each with a
// <title> for screen readers and data- attributes carrying its exact
// figures: <svg data-chart="schedule"> with one element per installment
// (data-installment="N"), <svg data-chart="valuation-factors"> with one
// element per factor (data-factor="<factor id>"), and
// <svg data-chart="delinquency">.
//
// # How it authenticates
//
// An operator signs in at /console/login with the operator token
// ([Config].AdminToken, the API's operator token). The engine starts an
// operator session, kept in the store by the hash of its token, so every
// instance knows it and signing out ends it everywhere; the token goes into
// a cookie that is HttpOnly, SameSite=Strict, scoped to the console's Path,
// expiring with the session ([Config].SessionTTL), and Secure when the
// request came over TLS or [Config].SecureCookies says TLS ends at a proxy
// in front. A wrong token is answered 401 and spends the client address's
// failure budget (30 a minute by default, shared with the API's through
// [Config].Limiter); over it, 429. Every form that changes something carries
// a CSRF token; a POST without the right one is answered 403 and changes
// nothing.
//
// See docs/console.md for screenshots and the render times of the pages.
package console

// Package httpapi is the REST API of AssetMint: an [http.Handler] over an
// [assetmint.Engine] that serves /v1 exactly as the API reference and the
// OpenAPI document (openapi.json, [OpenAPI]) describe it. A host mounts it
// in its own mux, at /v1/ or under any prefix with [http.StripPrefix]; it
// never owns the listener.
//
//	api, err := httpapi.New(engine, httpapi.Config{AdminToken: operatorToken})
//	mux.Handle("/v1/", api)
//
// What it does, and nothing more: authentication (the client-credentials
// token endpoint in RFC 6749 shape, bearer JWTs, the operator token), rate
// limits per plan and the failed-authentication budgets per client address
// ([Config], docs/security.md), strict decoding of request bodies (unknown,
// repeated or server-set members, wrong types and content types are
// refused naming the field), and encoding of answers in the {data, meta,
// error} envelope. Every rule about the data is the engine's: a handler
// decodes, calls one use case, and encodes. Creating POSTs go through post,
// which hands the Idempotency-Key to [assetmint.Engine.Idempotent] so the
// answer commits with the effect.
//
// One table maps the engine's error codes to statuses (errors.go). The
// route table is [Routes]; the OpenAPI test checks it, every request and
// every answer against the document.
package httpapi

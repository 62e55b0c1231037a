package httpapi

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// openapiJSON is the OpenAPI 3.1 description of every route, served at
// GET /v1/openapi.json and checked against real traffic in the tests.
//
//go:embed openapi.json
var openapiJSON []byte

// OpenAPI returns the OpenAPI 3.1 document of the API as it is embedded,
// byte for byte: its servers entry names the example server
// (http://127.0.0.1:8080), and its paths are written in full, from /v1.
// Tools that read the raw document use this; a handler whose
// Config.BaseURL is set serves OpenAPIFor(BaseURL) instead.
func OpenAPI() []byte { return append([]byte(nil), openapiJSON...) }

// OpenAPIFor returns the OpenAPI document as a handler with
// Config.BaseURL set to baseURL serves it: the same document, with one
// servers entry, baseURL, so that baseURL followed by a documented path
// (/v1/assets, ...) is the URL a client calls. An empty baseURL gives
// OpenAPI(). baseURL must be valid as Config.BaseURL; a trailing slash is
// dropped.
func OpenAPIFor(baseURL string) ([]byte, error) {
	base, err := checkBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if base == "" {
		return OpenAPI(), nil
	}
	return withServers(openapiJSON, []server{{
		URL:         base,
		Description: "Where this API is served (paths are written in full, from /v1).",
	}})
}

// server is an entry of the document's servers.
type server struct {
	URL         string `json:"url"`
	Description string `json:"description"`
}

// checkBaseURL validates Config.BaseURL and returns it as a URL string,
// without a trailing slash.
func checkBaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("httpapi: BaseURL is not a URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("httpapi: BaseURL %q must be an absolute http or https URL", s)
	case u.User != nil:
		return "", fmt.Errorf("httpapi: BaseURL %q must not hold a user name or password", s)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("httpapi: BaseURL %q must not have a query", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", fmt.Errorf("httpapi: BaseURL %q must not have a fragment", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// withServers returns doc, a JSON object, with its top-level "servers"
// member set to servers, its members in their order, indented with 2
// spaces as openapi.json is.
func withServers(doc []byte, servers []server) ([]byte, error) {
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	if err := e.Encode(servers); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("httpapi: the OpenAPI document is not a JSON object")
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if key == "servers" {
			val = enc.Bytes()
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(val)
	}
	out.WriteByte('}')
	var compact, tidy bytes.Buffer
	if err := json.Compact(&compact, out.Bytes()); err != nil {
		return nil, err
	}
	if err := json.Indent(&tidy, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	tidy.WriteByte('\n')
	return tidy.Bytes(), nil
}

// serveOpenAPI serves the document, rendered for Config.BaseURL by New.
func (h *handler) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(h.openapi)
}

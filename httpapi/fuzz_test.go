package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// The request-body parsers face the internet: whatever the bytes, the
// answer is a well-formed envelope with a 2xx or 4xx status (never a 500 or
// a panic), and a refused body writes nothing. The plan limits are lifted
// (the clock does not move) so every input reaches the parser.

func FuzzCreateAssetBody(f *testing.F) {
	for _, s := range []string{
		`{"name":"CNC","type":"equipment","estimated_value":85000}`,
		`{"name":"CNC","type":"equipment","estimated_value":"85000.10","currency":"EUR","metadata":{"a":[1,{"b":null}]}}`,
		`{"name":"x","type":"art","estimated_value":1e400}`,
		`{"name":"x","type":"art","estimated_value":-0.00}`,
		`{"name":"\u0000","type":"art","estimated_value":"0x10"}`,
		`{"metadata":{"":1}}`, `[]`, `null`, `{`, ``, `{"a":1}{"b":2}`,
		`{"name":"CNC","name":"Lathe","type":"equipment","estimated_value":85000}`,
		`{"name":"CNC","type":"equipment","estimated_value":85000,"metadata":{"k":1,"k":2}}`,
	} {
		f.Add([]byte(s))
	}
	b := setup(f, func(c *httpapi.Config) { c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})} })
	tok := b.token(f, b.business(f, auth.PlanEnterprise))
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		before, _ := b.count(t, tok)
		rec := serveBody(h, "POST", "/v1/assets", tok, body)
		checkEnvelope(t, rec)
		checkRefusesDuplicates(t, body, rec)
		after, _ := b.count(t, tok)
		if rec.Code == http.StatusCreated && after != before+1 || rec.Code != http.StatusCreated && after != before {
			t.Fatalf("status %d but assets went %d -> %d", rec.Code, before, after)
		}
	})
}

func FuzzPatchAssetBody(f *testing.F) {
	for _, s := range []string{
		`{"name":"new"}`, `{"metadata":{"k":null}}`, `{"estimated_value":"12.5"}`, `{"type":"art"}`, `{"name":null}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	b := setup(f, func(c *httpapi.Config) { c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})} })
	tok := b.token(f, b.business(f, auth.PlanEnterprise))
	id := b.asset(f, tok, "target")
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serveBody(h, "PATCH", "/v1/assets/"+id, tok, body)
		checkEnvelope(t, rec)
		checkRefusesDuplicates(t, body, rec)
	})
}

func FuzzTokenRequest(f *testing.F) {
	f.Add([]byte(`{"client_id":"a","client_secret":"b","grant_type":"client_credentials"}`), "application/json")
	f.Add([]byte(`grant_type=client_credentials&client_id=a&client_secret=b`), "application/x-www-form-urlencoded")
	f.Add([]byte(`grant_type=client_credentials&client_id=a&client_id=b`), "application/x-www-form-urlencoded")
	f.Add([]byte(`%zz`), "application/x-www-form-urlencoded")
	f.Add([]byte(`{}`), "text/plain; charset=\x00")
	f.Add([]byte(`{"client_id":"a","client_secret":"b","grant_type":"client_credentials","client_id":"c"}`), "application/json")
	f.Add([]byte(`{"client_id":"a","client_secret":"b","grant_type":"client_credentials","x":{"y":1,"y":1}}`), "")
	b := setup(f, func(c *httpapi.Config) { c.TokenLimits = auth.Limits{PerMinute: 1 << 30} })
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		req := httptest.NewRequest("POST", "/v1/auth/token", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 400 && rec.Code != 401 && rec.Code != 200 && rec.Code != 413 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("not JSON: %q", rec.Body)
		}
		if rec.Code != 200 && out["error"] == nil {
			t.Fatalf("an error without an RFC 6749 error code: %s", rec.Body)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatal("token answers must not be cached")
		}
		mt, _, _ := mime.ParseMediaType(ctype)
		isJSON := mt == "application/json" || strings.HasSuffix(mt, "+json") ||
			mt == "" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
		if ref, ok := reference(body); isJSON && ok && keyCount(body) != keysIn(ref) && (rec.Code != 400 || out["error"] != "invalid_request") {
			t.Fatalf("a JSON body with a repeated key answered %d: %s", rec.Code, rec.Body)
		}
	})
}

// serveBody serves a request with a JSON body and optional header pairs.
func serveBody(h http.Handler, method, path, tok string, body []byte, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkRefusesDuplicates fails unless a JSON object body that repeats a
// key (in any of its objects) was refused with a 400 naming one of its
// top-level members.
func checkRefusesDuplicates(t *testing.T, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	ref, ok := reference(body)
	if !ok || keyCount(body) == keysIn(ref) {
		return
	}
	var env struct {
		Error struct{ Param string } `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &env)
	if _, named := ref[env.Error.Param]; rec.Code != http.StatusBadRequest || !named {
		t.Fatalf("a body with a repeated key answered %d: %s", rec.Code, rec.Body)
	}
}

func checkEnvelope(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var env struct {
		Data  json.RawMessage `json:"data"`
		Meta  map[string]any  `json:"meta"`
		Error *struct {
			Type, Code, Message string
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("not JSON: %q", rec.Body)
	}
	if !strings.HasPrefix(env.Meta["request_id"].(string), "req_") {
		t.Fatal("no request id")
	}
	if (rec.Code >= 400) != (env.Error != nil) || env.Error != nil && (env.Error.Type == "" || env.Error.Message == "") {
		t.Fatalf("status %d with error %+v", rec.Code, env.Error)
	}
}

// FuzzUploadBody feeds arbitrary multipart bodies to the upload route: the
// answer is always a well-formed envelope, never a 5xx, and only a 201
// leaves a document behind.
func FuzzUploadBody(f *testing.F) {
	const boundary = "fuzzboundary"
	part := func(name, filename, body string) string {
		disp := `form-data; name="` + name + `"`
		if filename != "" {
			disp += `; filename="` + filename + `"`
		}
		return "--" + boundary + "\r\nContent-Disposition: " + disp + "\r\n\r\n" + body + "\r\n"
	}
	b := setup(f, func(c *httpapi.Config) { c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})} })
	tok := b.token(f, b.business(f, auth.PlanEnterprise))
	id := b.asset(f, tok, "target")
	p, err := b.engine.Authenticate(context.Background(), tok)
	if err != nil {
		f.Fatal(err)
	}
	docs := func() int {
		d, err := b.engine.AssetDocuments(context.Background(), p.BusinessID, id)
		if err != nil {
			f.Fatal(err)
		}
		return len(d)
	}
	f.Add([]byte(part("asset_id", "", id) + part("kind", "", "invoice") + part("file", "a.pdf", pdfBytes) + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("asset_id", "", id) + part("kind", "", "aging_report") + part("file", "a.csv", "debtor,current,1-30,31-60,61-90,90+\nA,1,2,3,4,5\n") + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("kind", "", "photo") + part("file", "x.png", "\x89PNG\r\n\x1a\n") + "--" + boundary + "--\r\n"))
	f.Add([]byte("--" + boundary + "\r\n\r\n--" + boundary + "--"))
	f.Add([]byte{})
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		before := docs()
		req := httptest.NewRequest("POST", "/v1/documents/upload", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkEnvelope(t, rec)
		after := docs()
		if rec.Code == http.StatusCreated {
			if after != before+1 {
				t.Fatalf("201 but documents went %d -> %d", before, after)
			}
		} else if after != before {
			t.Fatalf("status %d but documents went %d -> %d", rec.Code, before, after)
		}
	})
}

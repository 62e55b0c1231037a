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
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
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
		`{"name":"C\u0000C","type":"equipment","estimated_value":1000000000000.01,"description":"a\n\tb\u0007","metadata":{"k\u001f":1}}`,
		`{"name":"CNC","type":"equipment","estimated_value":"1000000000000.00","description":"a\n\tb"}`,
		"{\"name\":\"C\xffC\",\"type\":\"art\",\"estimated_value\":1}",
	} {
		f.Add([]byte(s))
	}
	b := setup(f, func(c *httpapi.Config) { c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})} })
	creds := b.business(f, auth.PlanEnterprise)
	tok := b.token(f, creds)
	h := b.srv.Config.Handler
	// Ids sort in creation order, so the newest asset and event say what a
	// request wrote however many inputs came before (a count of one page
	// stops at its limit).
	newest := func(t *testing.T) (asset, event string) {
		ctx := context.Background()
		a, err := b.engine.Assets(ctx, creds.BusinessID, assetmint.AssetFilter{}, assetmint.ListParams{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		e, err := b.engine.Events(ctx, creds.BusinessID, assetmint.ListParams{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Items) > 0 {
			asset = a.Items[0].ID
		}
		if len(e.Items) > 0 {
			event = e.Items[0].ID
		}
		return asset, event
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		beforeAsset, beforeEvent := newest(t)
		rec := serveBody(h, "POST", "/v1/assets", tok, body)
		checkEnvelope(t, rec)
		checkRefusesDuplicates(t, body, rec)
		assetRules.check(t, rec)
		afterAsset, afterEvent := newest(t)
		var created struct{ Data struct{ ID string } }
		_ = json.Unmarshal(rec.Body.Bytes(), &created)
		switch {
		case rec.Code == http.StatusCreated && (afterAsset != created.Data.ID || afterEvent == beforeEvent):
			t.Fatalf("201 for %s but the newest asset is %s (was %s)", created.Data.ID, afterAsset, beforeAsset)
		case rec.Code != http.StatusCreated && (afterAsset != beforeAsset || afterEvent != beforeEvent):
			t.Fatalf("status %d but asset %s and event %s were written", rec.Code, afterAsset, afterEvent)
		}
	})
}

func FuzzPatchAssetBody(f *testing.F) {
	for _, s := range []string{
		`{"name":"new"}`, `{"metadata":{"k":null}}`, `{"estimated_value":"12.5"}`, `{"type":"art"}`, `{"name":null}`, `{}`,
		`{"name":"a\u0000"}`, `{"description":"a\r\n"}`, `{"metadata":{"\u007f":1}}`, `{"estimated_value":1000000000000.001}`,
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
		if rec.Code == http.StatusOK {
			assetRules.check(t, rec)
		}
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

// A JSON token request of any shape: a body that repeats a key, however
// harmless the repeat, is a 400 invalid_request, and a token is issued
// only for the client's own credentials as encoding/json reads the body.
func FuzzTokenJSONBody(f *testing.F) {
	b := setup(f, func(c *httpapi.Config) { c.TokenLimits = auth.Limits{PerMinute: 1 << 30} })
	creds := b.business(f, auth.PlanDeveloper)
	cred := `"client_id":"` + creds.ClientID + `","client_secret":"` + creds.ClientSecret + `"`
	for _, s := range []string{
		`{` + cred + `,"grant_type":"client_credentials"}`,
		`{` + cred + `,"grant_type":"client_credentials","scope":"x","extra":{"a":[1,2]}}`,
		`{` + cred + `,"grant_type":"client_credentials","client_secret":"wrong"}`,
		`{"client_secret":"wrong",` + cred + `,"grant_type":"client_credentials"}`,
		`{` + cred + `,"grant_type":"client_credentials","grant_type":"client_credentials"}`,
		`{` + cred + `,"grant_type":"client_credentials","extra":{"a":1,"a":1}}`,
		`{` + cred + `,"grant_type":"password"}`, `{` + cred + `}`, `{}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/v1/auth/token", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("not JSON: %q", rec.Body)
		}
		ref, ok := reference(body)
		dups := ok && keyCount(body) != keysIn(ref)
		switch {
		case rec.Code != 200 && rec.Code != 400 && rec.Code != 401 && rec.Code != 413:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		case rec.Code != 200 && out["error"] == nil:
			t.Fatalf("an error without an RFC 6749 error code: %s", rec.Body)
		case dups && (rec.Code != 400 || out["error"] != "invalid_request"):
			t.Fatalf("a body with a repeated key answered %d: %s", rec.Code, rec.Body)
		case rec.Code == 200 && (!ok || ref["client_id"] != creds.ClientID || ref["client_secret"] != creds.ClientSecret ||
			ref["grant_type"] != "client_credentials"):
			t.Fatalf("a token for %q", body)
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

// rules names the fields of a record the input rules cover: short strings
// hold no control character (U+0000-U+001F, U+007F) and are valid UTF-8,
// free text holds none but tab and newline, keys are the short-string keys
// of an object, amounts are at most 1,000,000,000,000.00 with at most two
// decimals, dates (and the date of a time) lie within 1900-01-01 and
// 2200-12-31.
type rules struct{ short, free, keys, money, dates []string }

var (
	assetRules    = rules{short: []string{"name", "currency"}, free: []string{"description"}, keys: []string{"metadata"}, money: []string{"estimated_value"}}
	documentRules = rules{short: []string{"serial", "vin", "issuer", "filename", "currency"}, money: []string{"amount"}, dates: []string{"date"}}
)

// check applies the rules to the data of an answer that wrote a record.
func (rs rules) check(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	var env struct{ Data map[string]any }
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("not JSON: %q", rec.Body)
	}
	text := func(field, s string, free bool) {
		for _, r := range s {
			if r == utf8.RuneError || r == 0x7f || r < 0x20 && !(free && (r == '\t' || r == '\n')) {
				t.Fatalf("%s %q was stored", field, s)
			}
		}
	}
	for _, f := range rs.short {
		s, _ := env.Data[f].(string)
		text(f, s, false)
	}
	for _, f := range rs.free {
		s, _ := env.Data[f].(string)
		text(f, s, true)
	}
	for _, f := range rs.keys {
		m, _ := env.Data[f].(map[string]any)
		for k := range m {
			text(f, k, false)
		}
	}
	for _, f := range rs.money {
		n, ok := env.Data[f].(json.Number)
		if !ok {
			continue
		}
		d, err := decimal.NewFromString(string(n))
		_, frac, _ := strings.Cut(string(n), ".")
		if err != nil || d.Sign() <= 0 || d.GreaterThan(decimal.New(1, 12)) || len(frac) > 2 {
			t.Fatalf("%s %s was stored", f, n)
		}
	}
	for _, f := range rs.dates {
		s, ok := env.Data[f].(string)
		if ok && (len(s) < 10 || s[:10] < "1900-01-01" || s[:10] > "2200-12-31") {
			t.Fatalf("%s %s was stored", f, s)
		}
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
	f.Add([]byte(part("asset_id", "", id) + part("kind", "", "invoice") + part("file", "a.pdf", pdfBytes+"1") + part("date", "", "0001-01-01") + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("asset_id", "", id) + part("kind", "", "invoice") + part("file", "a.pdf", pdfBytes+"2") + part("date", "", "2200-12-31") + part("serial", "", "X\x00") + "--" + boundary + "--\r\n"))
	f.Add([]byte(part("asset_id", "", id) + part("kind", "", "invoice") + part("file", "a\x01.pdf", pdfBytes+"3") + part("amount", "", "1000000000000.00") + part("currency", "", "USD") + "--" + boundary + "--\r\n"))
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
			documentRules.check(t, rec)
		} else if after != before {
			t.Fatalf("status %d but documents went %d -> %d", rec.Code, before, after)
		}
	})
}

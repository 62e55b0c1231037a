package httpapi_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/httpapi"
)

func TestScanObject(t *testing.T) {
	nested := func(n int) string { return `{"a":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}` }
	for _, tc := range []struct {
		body  string
		ok    bool
		param string // for a refusal
	}{
		{body: `{"name":"a","type":"art"}`, ok: true},
		{body: `{}`, ok: true},
		{body: ` {"metadata":{"x":[{"k":1},{"k":2}]},"k":3} `, ok: true},
		{body: `{"a":{"b":1},"c":{"b":2}}`, ok: true},
		{body: `{"name":"a\tb\u0000"}`, ok: true}, // control characters are the engine's to refuse, by field
		{body: `{"name":"a","name":"b"}`, param: "name"},
		{body: `{"name":"a","name":"a"}`, param: "name"},
		{body: `{"name":"a","\u006eame":"b"}`, param: "name"},
		{body: `{"metadata":{"a":1,"a":2}}`, param: "metadata"},
		{body: `{"metadata":{"x":{"k":1,"k":1}}}`, param: "metadata"},
		{body: `{"metadata":{"x":[{"k":1,"k":1}]}}`, param: "metadata"},
		{body: `{"events":["a","a"]}`, ok: true}, // arrays may repeat values
		{body: "{\"name\":\"\xff\"}", param: "name"},
		{body: "{\"metadata\":{\"k\":\"ok\xc3\"}}", param: "metadata"},
		{body: "{\"\xff\":1}"},
		{body: `{"a":1} {}`},
		{body: `{"a":1}]`},
		{body: `{"a":1,}`},
		{body: `{"a" 1}`},
		{body: `{"a":[1,]}`},
		{body: `{"a":`},
		{body: `{"a":{"b":1}`},
		{body: `[]`},
		{body: `null`},
		{body: `"x"`},
		{body: ``},
		{body: ` `},
		{body: nested(httpapi.MaxDepth - 1), ok: true}, // the object is level 1
		{body: nested(httpapi.MaxDepth)},
	} {
		name := tc.body
		if len(name) > 40 {
			name = name[:40]
		}
		members, err := httpapi.ScanObject([]byte(tc.body))
		if tc.ok {
			require.NoError(t, err, name)
			require.True(t, json.Valid([]byte(tc.body)), "the reference agrees: %s", name)
			ref, _ := reference([]byte(tc.body))
			require.Equal(t, ref, members, name)
			continue
		}
		require.Error(t, err, name)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), name)
		require.Equal(t, tc.param, assetmint.ErrorParam(err), name)
		require.False(t, strings.HasSuffix(assetmint.ErrorMessage(err), "."), "messages are sentences without a final period: %s", name)
		if tc.param != "" {
			require.Contains(t, assetmint.ErrorMessage(err), tc.param, name)
		}
	}
}

// The scanner accepts exactly the bodies that are one JSON object in valid
// UTF-8 with no key repeated in any object, reads them as encoding/json
// does, and names a top-level member for a repeated key.
func FuzzScanObject(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","name":"b"}`, `{"metadata":{"a":1,"a":2}}`, `{"a":[{"k":1},{"k":1}]}`, `{"a":1,"\u0061":2}`,
		`{"a":{"b":{"c":[1,2,{"d":null,"e":true}]}},"f":-0.5e3}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `{"a":1} 2`,
		`{"a":"\"","b":"\\","c":"x\":"}`, `[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		members, err := httpapi.ScanObject(body)
		ref, refOK := reference(body)
		dups := refOK && keyCount(body) != keysIn(ref)
		if err == nil {
			if !refOK || dups {
				t.Fatalf("accepted %q (reference ok %v, duplicates %v)", body, refOK, dups)
			}
			if !reflect.DeepEqual(members, ref) {
				t.Fatalf("read %q as %#v, encoding/json as %#v", body, members, ref)
			}
			return
		}
		if assetmint.ErrorCode(err) != assetmint.EINVALID || strings.HasSuffix(assetmint.ErrorMessage(err), ".") {
			t.Fatalf("refused %q with %v", body, err)
		}
		if refOK && !dups {
			t.Fatalf("refused a good body %q: %v", body, err)
		}
		if dups {
			if _, ok := ref[assetmint.ErrorParam(err)]; !ok {
				t.Fatalf("a repeated key in %q named %q, not a top-level member", body, assetmint.ErrorParam(err))
			}
		}
	})
}

// reference reads body with encoding/json: ok when it is one JSON object
// in valid UTF-8 (duplicate keys silently collapsed, the last one kept).
func reference(body []byte) (map[string]any, bool) {
	if !json.Valid(body) || !utf8.Valid(body) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

// keyCount counts the object keys written in valid JSON text: the strings
// followed by a colon. Duplicates count each time.
func keyCount(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		for ; j < len(b) && b[j] != '"'; j++ {
			if b[j] == '\\' {
				j++
			}
		}
		k := j + 1
		for k < len(b) && strings.IndexByte(" \t\r\n", b[k]) >= 0 {
			k++
		}
		if k < len(b) && b[k] == ':' {
			n++
		}
		i = j
	}
	return n
}

// keysIn counts the keys of every object in v, as decoded: a repeated key
// counts once.
func keysIn(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		n += len(v)
		for _, e := range v {
			n += keysIn(e)
		}
	case []any:
		for _, e := range v {
			n += keysIn(e)
		}
	}
	return n
}

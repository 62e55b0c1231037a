package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// maxDepth bounds how deeply a JSON request body may nest, as
// encoding/json's own decoder does.
const maxDepth = 10000

// field is one member a request body may carry: its wire name and where to
// decode it.
type field struct {
	name string
	dst  decoder
}

// decoder decodes one JSON value, as scanObject read it (json.Number for
// numbers, map[string]any and []any for objects and arrays, nil for null);
// it returns a message naming what was expected, or "" when the value is
// good.
type decoder interface {
	decode(v any) string
}

// serverSet are fields the server owns; naming them in a body is an error
// that says so, rather than "unknown field".
var serverSet = map[string]bool{
	"id": true, "object": true, "status": true, "created_at": true, "updated_at": true,
	"business_id": true, "documents": true, "valuation": true, "client_id": true, "client_secret": true,
}

// readBody reads a JSON request body within the size limit. It is read
// whole so the idempotency layer can fingerprint it. A body that is there
// must be JSON: another Content-Type (or more than one) is 415, and none at
// all reads as JSON, since Go's http client sends none. An empty body
// passes whatever the header says, for the actions whose body is optional.
func readBody(r *http.Request) ([]byte, error) {
	body, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	cts := r.Header.Values("Content-Type")
	if len(bytes.TrimSpace(body)) == 0 || len(cts) == 0 || len(cts) == 1 && cts[0] == "" {
		return body, nil
	}
	mt, _, err := mime.ParseMediaType(cts[0])
	if err != nil || len(cts) > 1 || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, &apiError{http.StatusUnsupportedMediaType, "invalid_request_error", "unsupported_media_type",
			"Request bodies must be JSON, with Content-Type: application/json", ""}
	}
	return body, nil
}

// readLimited reads the body, answering 413 past maxJSONBody.
func readLimited(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &apiError{http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large",
			fmt.Sprintf("The request body must be at most %d bytes", maxJSONBody), ""}
	}
	if err != nil {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body could not be read")
	}
	return body, nil
}

// decodeBody decodes a JSON object body into fields. Unknown members,
// server-set members, duplicate keys, wrong types, malformed or empty JSON
// are all errors that name the member where there is one. Nothing is
// applied unless the whole body is good, since callers act only on a nil
// error.
func decodeBody(r *http.Request, fields ...field) error {
	body, err := bodyOf(r)
	if err != nil {
		return err
	}
	members, err := scanObject(body)
	if err != nil {
		return err
	}
	known := make(map[string]decoder, len(fields))
	for _, f := range fields {
		known[f.name] = f.dst
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names) // the same body always reports the same member first
	for _, name := range names {
		if _, ok := known[name]; ok {
			continue
		}
		if serverSet[name] {
			return assetmint.FieldError(name, "%s is set by the server and cannot be written", name)
		}
		return assetmint.FieldError(name, "Unknown field %q", name)
	}
	for _, f := range fields {
		v, ok := members[f.name]
		if !ok {
			continue
		}
		if msg := f.dst.decode(v); msg != "" {
			return assetmint.FieldError(f.name, "%s %s", f.name, msg)
		}
	}
	return nil
}

// scanObject reads body, which must be one JSON object, in a single pass
// over its tokens (json.Decoder.Token) and returns its members, numbers as
// json.Number. It refuses a key repeated in any object of the body, naming
// the top-level member it is in (the member itself when the repeat is at
// the top), and invalid UTF-8, which encoding/json would silently turn into
// U+FFFD. Its errors are EINVALID with a message for the API caller.
func scanObject(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	if tok == nil {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body must be a JSON object, not null")
	}
	if tok != json.Delim('{') {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body must be a JSON object")
	}
	members := map[string]any{}
	for dec.More() {
		start := dec.InputOffset()
		tok, err := nextToken(dec)
		if err != nil {
			return nil, syntaxError(err)
		}
		name, _ := tok.(string) // Token returns an object's keys as strings
		keyEnd := dec.InputOffset()
		if !utf8.Valid(body[start:keyEnd]) {
			return nil, assetmint.Errorf(assetmint.EINVALID, "The request body's member names must be valid UTF-8")
		}
		if _, dup := members[name]; dup {
			return nil, assetmint.FieldError(name, "%s appears more than once in the request body", name)
		}
		v, err := scanValue(dec, 1)
		var dk duplicateKey
		if errors.As(err, &dk) {
			return nil, assetmint.FieldError(name, "%s has the key %q more than once", name, string(dk))
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		if !utf8.Valid(body[keyEnd:dec.InputOffset()]) {
			return nil, assetmint.FieldError(name, "%s must be valid UTF-8", name)
		}
		members[name] = v
	}
	if _, err := nextToken(dec); err != nil { // the closing brace
		return nil, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body has data after the JSON object")
	}
	return members, nil
}

// duplicateKey is a key found twice in one JSON object.
type duplicateKey string

func (k duplicateKey) Error() string { return fmt.Sprintf("duplicate key %q", string(k)) }

// errTooDeep is a body nested deeper than maxDepth.
var errTooDeep = errors.New("nested too deeply")

// scanValue reads one JSON value from dec, refusing a key repeated within
// one object (duplicateKey).
func scanValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := nextToken(dec)
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // a string, json.Number, bool or nil
	}
	if depth >= maxDepth {
		return nil, errTooDeep
	}
	var v any
	switch delim {
	case '{':
		obj := map[string]any{}
		for dec.More() {
			tok, err := nextToken(dec)
			if err != nil {
				return nil, err
			}
			key, _ := tok.(string)
			if _, dup := obj[key]; dup {
				return nil, duplicateKey(key)
			}
			if obj[key], err = scanValue(dec, depth+1); err != nil {
				return nil, err
			}
		}
		v = obj
	case '[':
		arr := []any{}
		for dec.More() {
			elem, err := scanValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, elem)
		}
		v = arr
	}
	if _, err := nextToken(dec); err != nil { // the closing delimiter
		return nil, err
	}
	return v, nil
}

// nextToken is dec.Token inside a value, where the end of the input means
// the value ends too soon.
func nextToken(dec *json.Decoder) (json.Token, error) {
	tok, err := dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return tok, err
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errTooDeep):
		return assetmint.Errorf(assetmint.EINVALID, "The request body nests more than %d levels deep", maxDepth)
	case errors.As(err, &se):
		return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON (at byte %d)", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON (it ends too soon)")
	}
	return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON")
}

// str decodes a JSON string; set records that the member was present.
type str struct {
	val string
	set bool
}

func (s *str) decode(v any) string {
	var ok bool
	if s.val, ok = v.(string); !ok {
		return "must be a string"
	}
	s.set = true
	return ""
}

// choice decodes a JSON string naming one of a set of values (a plan, a
// method): present, it may not be empty. Which values are valid is the
// engine's to say.
type choice struct{ str }

func (c *choice) decode(v any) string {
	if msg := c.str.decode(v); msg != "" {
		return msg
	}
	if c.val == "" {
		return "must not be empty"
	}
	return ""
}

// ptr returns the value as a pointer when present, for partial updates.
func (s *str) ptr() *string {
	if !s.set {
		return nil
	}
	return &s.val
}

// amount decodes money: a JSON number or a numeric string.
type amount struct {
	val decimal.Decimal
	set bool
}

func (a *amount) decode(v any) string {
	const want = "must be a number or a numeric string"
	var text string
	switch v := v.(type) {
	case json.Number:
		text = string(v)
	case string:
		text = v
	default:
		return want
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return want
	}
	a.val, a.set = d, true
	return ""
}

// object decodes a JSON object whose numbers stay exact (json.Number).
type object struct {
	val map[string]any
	set bool
}

func (o *object) decode(v any) string {
	var ok bool
	if o.val, ok = v.(map[string]any); !ok {
		return "must be a JSON object"
	}
	o.set = true
	return ""
}

// takeQuery reads the query parameter name ("" when absent) and removes it
// from q, leaving the rest for queryList. Like every query parameter, it may
// appear at most once: a repeat is an error naming it, since which of two
// values a server takes is anyone's guess.
func takeQuery(q url.Values, name string) (string, error) {
	vs := q[name]
	delete(q, name)
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", repeated(name)
}

func repeated(name string) error {
	return assetmint.FieldError(name, "%s appears more than once in the query string", name)
}

// queryList reads the list parameters limit, starting_after, ending_before,
// each at most once; any other parameter is an error naming it.
func queryList(q url.Values) (assetmint.ListParams, error) {
	var p assetmint.ListParams
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names) // the same query always reports the same parameter
	for _, name := range names {
		switch name {
		case "limit", "starting_after", "ending_before":
			if len(q[name]) > 1 {
				return p, repeated(name)
			}
		default:
			return p, assetmint.FieldError(name, "Unknown query parameter %q", name)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, assetmint.FieldError("limit", "limit must be an integer between 1 and %d", assetmint.MaxListLimit)
		}
		if n < 1 || n > assetmint.MaxListLimit {
			return p, assetmint.FieldError("limit", "limit must be between 1 and %d", assetmint.MaxListLimit)
		}
		p.Limit = n
	}
	p.StartingAfter = q.Get("starting_after")
	p.EndingBefore = q.Get("ending_before")
	return p, p.Validate()
}

// nullableStr decodes a string that may be null; null reads as "".
type nullableStr struct{ str }

func (s *nullableStr) decode(v any) string {
	if v == nil {
		s.val, s.set = "", true
		return ""
	}
	return s.str.decode(v)
}

// decodeOptionalBody accepts no body at all, or a JSON object decoded like
// decodeBody's: for actions whose parameters are all optional (none, for
// most).
func decodeOptionalBody(r *http.Request, fields ...field) error {
	body, err := bodyOf(r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	return decodeBody(r, fields...)
}

// strs decodes a JSON array of strings.
type strs struct {
	val []string
	set bool
}

func (s *strs) decode(v any) string {
	arr, ok := v.([]any)
	if !ok {
		return "must be an array of strings"
	}
	s.val = make([]string, len(arr))
	for i, elem := range arr {
		if s.val[i], ok = elem.(string); !ok {
			return "must be an array of strings"
		}
	}
	s.set = true
	return ""
}

// serveList answers a list route: the list parameters from q, one page
// through fetch, each item on the wire through conv.
func serveList[T, J any](w http.ResponseWriter, r *http.Request, q url.Values, fetch func(assetmint.ListParams) (assetmint.Page[T], error), conv func(T) J) {
	p, err := queryList(q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	page, err := fetch(p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]J, len(page.Items))
	for i, it := range page.Items {
		items[i] = conv(it)
	}
	writeList(w, r, items, page.HasMore)
}

package httpapi_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// goField is one JSON member of an event data type, as encoding/json
// writes it.
type goField struct {
	jsonType string // string, number, integer, array, object, boolean
	format   string // date-time for a time
	required bool   // written always (no omitempty)
}

var (
	timeType   = reflect.TypeOf(time.Time{})
	amountType = reflect.TypeOf(assetmint.Amount{})
	numberType = reflect.TypeOf(assetmint.Number{})
)

// goFields lists the JSON members of t by the rules of encoding/json:
// embedded structs are flattened, a shallower member hides a deeper one of
// the same name, omitempty makes a member optional.
func goFields(t *testing.T, typ reflect.Type) map[string]goField {
	t.Helper()
	out := map[string]goField{}
	depth := map[string]int{}
	var walk func(typ reflect.Type, d int)
	walk = func(typ reflect.Type, d int) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Anonymous {
				walk(f.Type, d+1)
				continue
			}
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			require.NotEmpty(t, name, "%s.%s has no json name", typ, f.Name)
			if prev, ok := depth[name]; ok && prev <= d {
				continue
			}
			depth[name] = d
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			gf := goField{required: !strings.Contains(opts, "omitempty")}
			switch {
			case ft == timeType:
				gf.jsonType, gf.format = "string", "date-time"
			case ft == amountType || ft == numberType:
				gf.jsonType = "number"
			case ft.Kind() == reflect.String:
				gf.jsonType = "string"
			case ft.Kind() == reflect.Int:
				gf.jsonType = "integer"
			case ft.Kind() == reflect.Slice:
				gf.jsonType = "array"
			case ft.Kind() == reflect.Bool:
				gf.jsonType = "boolean"
			default:
				t.Fatalf("%s.%s: no JSON type for %s", typ, f.Name, ft)
			}
			out[name] = gf
		}
	}
	walk(typ, 0)
	return out
}

// docFields lists the members the document's schema describes, allOf
// included.
func docFields(s *openapi3.Schema) map[string]goField {
	out := map[string]goField{}
	for _, part := range s.AllOf {
		for k, v := range docFields(part.Value) {
			out[k] = v
		}
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for name, p := range s.Properties {
		f := goField{required: required[name], format: p.Value.Format}
		if p.Value.Type != nil && len(*p.Value.Type) > 0 {
			f.jsonType = (*p.Value.Type)[0]
		}
		if f.format != "date-time" {
			f.format = ""
		}
		out[name] = f
	}
	return out
}

// Every event's data type is described by the document's schema of the
// same name: the same members, each of the same JSON type, required exactly
// when the Go type always writes it.
func TestOpenAPIEventSchemasMatchTheGoTypes(t *testing.T) {
	doc := oaLoad(t)
	types := assetmint.EventTypes()
	data := assetmint.EventDataTypes()
	require.Len(t, data, len(types))
	for i, d := range data {
		name := reflect.TypeOf(d).Name()
		require.Equal(t, types[i], d.EventType(), name)
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, "the document has no schema %s for %s", name, d.EventType())
		hook := doc.Webhooks[d.EventType()]
		require.NotNil(t, hook, "the document has no webhook %s", d.EventType())
		dataRef := hook.Post.RequestBody.Value.Content["application/json"].Schema.Value.Properties["data"].Ref
		require.Equal(t, "#/components/schemas/"+name, dataRef, "%s's data", d.EventType())

		want, got := goFields(t, reflect.TypeOf(d)), docFields(ref.Value)
		names := func(m map[string]goField) []string {
			var out []string
			for k := range m {
				out = append(out, k)
			}
			sort.Strings(out)
			return out
		}
		require.Equal(t, names(want), names(got), "%s: members", name)
		for k := range want {
			require.Equal(t, want[k], got[k], "%s.%s", name, k)
		}
	}
}

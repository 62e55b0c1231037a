package webhooks_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

func TestHandler(t *testing.T) {
	type subject struct {
		h    http.Header
		body []byte
		v    webhooks.Verifier
	}
	tests := []struct {
		name   string
		mutate func(f fixture, s *subject)
		status int // 0: next is called
	}{
		{name: "valid", mutate: func(fixture, *subject) {}},
		{name: "valid after rotation", mutate: func(f fixture, s *subject) {
			s.h = f.sign(t, f.stranger, f.secret)
		}},
		{name: "tampered body", status: http.StatusUnauthorized, mutate: func(_ fixture, s *subject) {
			s.body = bytes.Replace(s.body, []byte("ast_"), []byte("xst_"), 1)
		}},
		{name: "wrong secret", status: http.StatusUnauthorized, mutate: func(f fixture, s *subject) {
			s.v.Secrets = []string{f.stranger}
		}},
		{name: "replayed an hour later", status: http.StatusUnauthorized, mutate: func(f fixture, s *subject) {
			s.v.Now = func() time.Time { return f.now.Add(time.Hour) }
		}},
		{name: "unsigned", status: http.StatusUnauthorized, mutate: func(_ fixture, s *subject) {
			s.h = http.Header{"Content-Type": {"application/json"}}
		}},
		{name: "legacy header only, not allowed", status: http.StatusUnauthorized, mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderStdSignature)
		}},
		{name: "legacy header only, allowed", mutate: func(_ fixture, s *subject) {
			s.h.Del(webhooks.HeaderStdSignature)
			s.v.AllowLegacy = true
		}},
		{name: "legacy allowed does not rescue a bad standard signature", status: http.StatusUnauthorized, mutate: func(_ fixture, s *subject) {
			s.h.Set(webhooks.HeaderStdSignature, "v1,bm90IGl0")
			s.v.AllowLegacy = true
		}},
		{name: "signed but not JSON", status: http.StatusBadRequest, mutate: func(f fixture, s *subject) {
			s.body = []byte("hello")
			s.h = resign(t, f, s.body)
		}},
		{name: "signed JSON without a type", status: http.StatusBadRequest, mutate: func(f fixture, s *subject) {
			s.body = []byte(`{"id":"evt_1","data":{}}`)
			s.h = resign(t, f, s.body)
		}},
		{name: "too large", status: http.StatusRequestEntityTooLarge, mutate: func(f fixture, s *subject) {
			s.body = []byte(`{"id":"evt_1","type":"x","data":{"pad":"` + strings.Repeat("a", webhooks.MaxBodyBytes) + `"}}`)
			s.h = resign(t, f, s.body)
		}},
		{name: "receiver misconfigured", status: http.StatusInternalServerError, mutate: func(_ fixture, s *subject) {
			s.v.Secrets = []string{"not-a-whsec"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			s := subject{h: f.sign(t, f.secret), body: f.body, v: f.verifier(f.secret)}
			tt.mutate(f, &s)

			var got *webhooks.Event
			var raw []byte
			h := webhooks.Handler(s.v, func(w http.ResponseWriter, r *http.Request, e webhooks.Event) {
				got = &e
				var err error
				raw, err = io.ReadAll(r.Body)
				require.NoError(t, err)
				w.WriteHeader(http.StatusNoContent)
			})
			req := httptest.NewRequest(http.MethodPost, "/webhooks/assetmint", bytes.NewReader(s.body))
			req.Header = s.h
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if tt.status != 0 {
				require.Equal(t, tt.status, rec.Code, rec.Body.String())
				require.Nil(t, got, "next must not be called")
				return
			}
			require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
			require.NotNil(t, got)
			require.Equal(t, f.event.ID, got.ID)
			require.Equal(t, "asset.valuation_complete", got.Type)
			require.Equal(t, "v1", got.APIVersion)
			require.True(t, f.event.CreatedAt.Equal(got.CreatedAt))
			require.JSONEq(t, string(f.event.Data), string(got.Data))
			require.Equal(t, s.body, raw, "next can read the raw body")
		})
	}
}

func resign(t *testing.T, f fixture, body []byte) http.Header {
	t.Helper()
	h, err := webhooks.Sign("evt_1", "x", body, []string{f.secret}, f.now)
	require.NoError(t, err)
	return h
}

func TestHandlerNilNext(t *testing.T) {
	require.Panics(t, func() { webhooks.Handler(webhooks.Verifier{}, nil) })
}

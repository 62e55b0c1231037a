package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

// The handler benchmarks run each operation through the whole handler
// (routing, request id, auth, rate limit, decoding, engine, store,
// encoding, logging) beside a baseline of the bare operation, so the
// overhead ratio is visible in one run:
//
//	go test -run '^$' -bench . ./httpapi/

// unlimited runs the real limiter with a limit no benchmark reaches.
type unlimited struct{ auth.Limiter }

func (u unlimited) Allow(ctx context.Context, key string, _ auth.Limits, now time.Time) (auth.Decision, error) {
	return u.Limiter.Allow(ctx, key, auth.Limits{PerMinute: 1 << 30}, now)
}

func (u unlimited) Peek(ctx context.Context, key string, _ auth.Limits, now time.Time) (auth.Decision, error) {
	return u.Limiter.Peek(ctx, key, auth.Limits{PerMinute: 1 << 30}, now)
}

func benchSetup(b *testing.B) (*bundle, http.Handler, string, assetmint.Principal) {
	bn := setup(b, func(c *httpapi.Config) { c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})} })
	tok := bn.token(b, bn.business(b, auth.PlanEnterprise))
	p, err := bn.engine.Authenticate(context.Background(), tok)
	if err != nil {
		b.Fatal(err)
	}
	return bn, bn.srv.Config.Handler, tok, p
}

func serve(b *testing.B, h http.Handler, req *http.Request, want int) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// BenchmarkBaselineJWTVerify is the bare operation under every
// authenticated request: one HS256 verification.
func BenchmarkBaselineJWTVerify(b *testing.B) {
	tokens, err := auth.NewTokens([]auth.Key{{ID: "k1", Secret: []byte(strings.Repeat("k", 32))}}, auth.TokenConfig{})
	if err != nil {
		b.Fatal(err)
	}
	tok, _, _ := tokens.Issue("cli_x")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tokens.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandlerAuthenticate is token verification through the whole
// handler: an authenticated GET of an asset that does not exist (404), so
// the work is auth, client lookup, rate limit and one indexed miss.
func BenchmarkHandlerAuthenticate(b *testing.B) {
	_, h, tok, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/assets/asset_missing", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		serve(b, h, req, http.StatusNotFound)
	}
}

// BenchmarkBaselineSQLiteInsert is one asset INSERT through the store,
// in its own transaction, with no engine and no HTTP.
func BenchmarkBaselineSQLiteInsert(b *testing.B) {
	bn, _, _, p := benchSetup(b)
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		a := &assetmint.Asset{ID: fmt.Sprintf("asset_bench%012d", i), BusinessID: p.BusinessID, Name: "CNC", Type: assetmint.AssetEquipment,
			EstimatedValue: decimal.NewFromInt(85000), Currency: "USD", Metadata: map[string]any{}, Status: assetmint.AssetPendingValuation,
			CreatedAt: bn.clock.Now(), UpdatedAt: bn.clock.Now()}
		if err := bn.db.CreateAsset(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandlerCreateAsset is POST /v1/assets through the whole
// handler: the asset and its asset.submitted event in one transaction.
func BenchmarkHandlerCreateAsset(b *testing.B) {
	_, h, tok, _ := benchSetup(b)
	body := `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v1/assets", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		serve(b, h, req, http.StatusCreated)
	}
}

// BenchmarkBaselineSQLiteGet is one asset read by id through the store.
func BenchmarkBaselineSQLiteGet(b *testing.B) {
	bn, _, tok, p := benchSetup(b)
	id := bn.asset(b, tok, "CNC")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bn.db.Asset(ctx, p.BusinessID, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandlerGetAsset is GET /v1/assets/{id} through the whole
// handler.
func BenchmarkHandlerGetAsset(b *testing.B) {
	bn, h, tok, _ := benchSetup(b)
	id := bn.asset(b, tok, "CNC")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/assets/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		serve(b, h, req, http.StatusOK)
	}
}

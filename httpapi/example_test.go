package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/store/sqlite"
)

// Mount the API next to a host's own routes; the handler serves /v1/...
func ExampleNew() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "httpapi-example")
	defer os.RemoveAll(dir)
	db, _ := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	defer db.Close()
	_ = db.Migrate(ctx)
	masterKey, _ := assetmint.NewMasterKey(rand.Reader) // in production: from outside the database
	engine, _ := assetmint.New(db, assetmint.Config{MasterKey: masterKey})
	api, _ := httpapi.New(engine, httpapi.Config{Logger: slog.New(slog.DiscardHandler)})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.Handle("/v1/", api)

	_, creds, _ := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	body := fmt.Sprintf(`{"client_id":%q,"client_secret":%q,"grant_type":"client_credentials"}`, creds.ClientID, creds.ClientSecret)
	req := httptest.NewRequest("POST", "/v1/auth/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Cache-Control"))

	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/assets", nil))
	fmt.Println(rec.Code, rec.Header().Get("WWW-Authenticate"))
	// Output:
	// 200 no-store
	// 401 Bearer realm="assetmint"
}

// A host that mounts the API under a prefix names it in Config.BaseURL;
// the served OpenAPI document then says where the API is.
func ExampleOpenAPIFor() {
	doc, _ := httpapi.OpenAPIFor("https://api.example.com/assetmint/")
	var d struct{ Servers []struct{ URL string } }
	_ = json.Unmarshal(doc, &d)
	fmt.Println(d.Servers[0].URL + "/v1/assets")
	// Output:
	// https://api.example.com/assetmint/v1/assets
}

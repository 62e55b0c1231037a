package console_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/console"
	"github.com/assetmint/assetmint/store/sqlite"
)

// Mount the console in a host's mux, beside the API or alone; a browser
// without a session is sent to sign in.
func ExampleNew() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "console-example")
	defer os.RemoveAll(dir)
	db, _ := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	defer db.Close()
	_ = db.Migrate(ctx)
	masterKey, _ := assetmint.NewMasterKey(rand.Reader) // in production: from outside the database
	engine, _ := assetmint.New(db, assetmint.Config{MasterKey: masterKey})
	h, _ := console.New(engine, console.Config{
		AdminToken: "operator-token-0123456789abcdefghij", // the API's operator token
		Logger:     slog.New(slog.DiscardHandler),
	})

	mux := http.NewServeMux()
	mux.Handle("/console/", h)

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/console/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/console/login", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output:
	// 303 /console/login
	// 200 text/html; charset=utf-8
}

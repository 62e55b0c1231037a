// Command mount shows the AssetMint API mounted inside a host's own
// http.ServeMux, next to the host's routes, under a prefix of its choosing:
//
//	go run ./examples/mount
//	curl http://127.0.0.1:8081/healthz
//	curl http://127.0.0.1:8081/api/v1/openapi.json
//
// The library never owns the listener: the host keeps its server, its
// middleware and its other routes.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/store/sqlite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "assetmint-mount")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	// The master key seals secrets at rest. This demo's database lives
	// only as long as the process, so a fresh key will do; a real host
	// reads its key from its secret store, never from the database.
	masterKey, err := assetmint.NewMasterKey(rand.Reader)
	if err != nil {
		return err
	}
	engine, err := assetmint.New(db, assetmint.Config{MasterKey: masterKey})
	if err != nil {
		return err
	}
	api, err := httpapi.New(engine, httpapi.Config{})
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	// The host's own routes...
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	// ...and AssetMint's, under /api (the handler serves /v1/...).
	mux.Handle("/api/", http.StripPrefix("/api", api))
	// Mounting without a prefix is just: mux.Handle("/v1/", api)

	// The background jobs get a context of their own, so that they stop
	// after the server, not with it.
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- engine.Run(jobsCtx) }()

	srv := &http.Server{Addr: "127.0.0.1:8081", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	fmt.Println("host listening on http://127.0.0.1:8081 (AssetMint under /api/v1)")

	// Shutting down, in order: stop serving (letting requests finish), then
	// stop the jobs and wait for Run to return (running jobs finish within
	// their grace), and only then let the deferred db.Close run.
	select {
	case err = <-served:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stopJobs()
	if rerr := <-runDone; err == nil || errors.Is(err, http.ErrServerClosed) {
		err = rerr
	}
	return err
}

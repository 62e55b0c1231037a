// Command webhook-receiver is a Go receiver of AssetMint webhooks: it
// verifies every delivery with the webhooks package (Standard Webhooks
// signature, timestamp tolerance against replays) and handles the events.
//
//	ASSETMINT_WEBHOOK_SECRET=whsec_... go run ./examples/webhook-receiver [-addr 127.0.0.1:4242]
//
// Register it with the API (the example server needs
// ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1 to deliver to a loopback address):
//
//	curl -X POST http://127.0.0.1:8080/v1/webhooks -H "Authorization: Bearer $TOKEN" \
//	  -H "Content-Type: application/json" -d '{"url":"http://127.0.0.1:4242/webhooks/assetmint"}'
//
// The express/ folder holds the reference's Express receiver and one built
// on the standardwebhooks npm library, which the Go tests run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/assetmint/assetmint/webhooks"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:4242", "listen address")
	flag.Parse()
	secret := os.Getenv("ASSETMINT_WEBHOOK_SECRET")
	if !webhooks.ValidSecret(secret) {
		log.Fatal("set ASSETMINT_WEBHOOK_SECRET to the endpoint's whsec_ secret")
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/assetmint", receiver(webhooks.Verifier{Secrets: []string{secret}}, os.Stdout))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("receiving AssetMint webhooks on http://%s/webhooks/assetmint", *addr)
	log.Fatal(srv.ListenAndServe())
}

// receiver verifies deliveries and reports each event on out. Handlers
// should be idempotent by event id: delivery is at least once.
func receiver(v webhooks.Verifier, out io.Writer) http.Handler {
	return webhooks.Handler(v, func(w http.ResponseWriter, r *http.Request, e webhooks.Event) {
		var data struct {
			AssetID      string `json:"asset_id"`
			LoanID       string `json:"loan_id"`
			TokenAddress string `json:"token_address"`
		}
		_ = json.Unmarshal(e.Data, &data)
		switch e.Type {
		case "asset.valuation_complete":
			fmt.Fprintln(out, "Valuation ready:", data.AssetID)
		case "loan.approved":
			fmt.Fprintln(out, "Loan approved:", data.LoanID)
		case "token.minted":
			fmt.Fprintln(out, "Token on-chain:", data.TokenAddress)
		default:
			fmt.Fprintln(out, "Event:", e.Type, e.ID)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"received":true}`)
	})
}

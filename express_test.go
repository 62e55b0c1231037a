package assetmint_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/webhooks"
)

const receiverDir = "examples/webhook-receiver/express"

// nodeReceiver runs one of the Node.js receivers on a free port and
// collects what it prints. Without node and the npm packages (npm ci
// --prefix examples/webhook-receiver/express) the test is skipped, unless
// ASSETMINT_REQUIRE_NODE=1 (CI), where it fails.
func nodeReceiver(t *testing.T, script, secret string) (url string, output func() string) {
	t.Helper()
	_, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(receiverDir, "node_modules", "express"))
	}
	if err != nil {
		msg := fmt.Sprintf("node or its packages are missing (%v): run `npm ci --prefix %s` to run the Express receiver test", err, receiverDir)
		if os.Getenv("ASSETMINT_REQUIRE_NODE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	cmd := exec.Command("node", script)
	cmd.Dir = receiverDir
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port), "ASSETMINT_WEBHOOK_SECRET="+secret)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	var mu sync.Mutex
	var out strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			out.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "%s did not start listening", script)
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr + "/webhooks/assetmint", func() string {
		mu.Lock()
		defer mu.Unlock()
		return out.String()
	}
}

// The reference's Express receiver, as written, accepts every delivery and
// prints "Valuation ready: asset_…"; the standardwebhooks npm library
// verifies the same deliveries.
func TestReferenceExpressReceiverAcceptsDeliveries(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "e2e.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(ctx))
	blobs, err := fsblob.New(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	// The wall clock: the receivers check webhook-timestamp against theirs.
	engine, err := assetmint.New(db, assetmint.Config{MasterKey: testMasterKey, Blobs: blobs, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Webhooks: assetmint.WebhookConfig{AllowPrivate: true}})
	require.NoError(t, err)
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanBusiness})
	require.NoError(t, err)

	// Endpoints are registered first (their secrets are made then), so the
	// receivers start with a placeholder URL swapped right after.
	express, err := engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "http://127.0.0.1:9/placeholder"})
	require.NoError(t, err)
	standard, err := engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "http://127.0.0.1:9/placeholder"})
	require.NoError(t, err)
	expressURL, expressOut := nodeReceiver(t, "express-receiver.mjs", express.Secret)
	standardURL, standardOut := nodeReceiver(t, "standard-receiver.mjs", standard.Secret)
	for _, ep := range []struct {
		w   *assetmint.WebhookEndpoint
		url string
	}{{express, expressURL}, {standard, standardURL}} {
		ep.w.URL = ep.url
		require.NoError(t, db.UpdateWebhookEndpoint(ctx, ep.w))
	}

	a := cnc(t, engine, biz.ID)
	_, err = engine.UploadDocument(ctx, biz.ID, invoice(a.ID, "X200-0042"))
	require.NoError(t, err)
	require.NoError(t, engine.RunPending(ctx))

	got, err := engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, got.Status)
	for _, w := range []*assetmint.WebhookEndpoint{express, standard} {
		page, err := engine.WebhookDeliveries(ctx, biz.ID, w.ID, assetmint.ListParams{Limit: 100})
		require.NoError(t, err)
		require.Len(t, page.Items, 4, "asset.submitted, document.uploaded, asset.valuation_complete, asset.verified")
		for _, d := range page.Items {
			require.Equal(t, assetmint.DeliveryDelivered, d.Status, "%s to %s: %d %s", d.EventType, w.URL, d.LastStatusCode, d.LastError)
		}
	}
	require.Eventually(t, func() bool { return strings.Contains(expressOut(), "Valuation ready: "+a.ID) }, 5*time.Second, 10*time.Millisecond,
		"express printed: %s", expressOut())
	require.Eventually(t, func() bool { return strings.Count(standardOut(), "verified evt_") == 4 }, 5*time.Second, 10*time.Millisecond,
		"standard receiver printed: %s", standardOut())
	require.NotContains(t, standardOut(), "rejected")
}

// The reference's Express receiver checks X-AssetMint-Signature as
// AssetMint signs it: during a rotation, when the new and the old secret
// both sign, it still accepts the delivery; a delivery signed with another
// secret, or with its body changed on the way, is refused with 401.
func TestReferenceExpressReceiverChecksTheSignature(t *testing.T) {
	secret, err := webhooks.NewSecret(rand.Reader)
	require.NoError(t, err)
	other, err := webhooks.NewSecret(rand.Reader)
	require.NoError(t, err)
	url, output := nodeReceiver(t, "express-receiver.mjs", secret)

	now := time.Now() // the receiver's clock is the wall clock too
	const contract = "0x5FbDB2315678afecb367f032d7c0aa3d7e1fA1c3"
	e := webhooks.Event{ID: "evt_express", Type: "token.minted", CreatedAt: now, APIVersion: "v1",
		Data: []byte(`{"token_id":"tok_1","token_address":"` + contract + `"}`)}
	body, err := e.Marshal()
	require.NoError(t, err)
	c := webhooks.NewClient(webhooks.ClientConfig{AllowPrivate: true})
	// send delivers sent, signed as AssetMint signs signed.
	send := func(signed, sent []byte, secrets ...string) (int, string) {
		t.Helper()
		h, err := webhooks.Sign(e.ID, e.Type, signed, secrets, now)
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(sent))
		require.NoError(t, err)
		req.Header = h
		res, err := c.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		got, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(got)
	}

	status, resp := send(body, body, secret)
	require.Equal(t, http.StatusOK, status, resp)
	require.JSONEq(t, `{"received":true}`, resp)
	require.Eventually(t, func() bool { return strings.Contains(output(), "Token on-chain: "+contract) }, 5*time.Second, 10*time.Millisecond,
		"express printed: %s", output())

	// During a rotation the current secret signs X-AssetMint-Signature.
	status, resp = send(body, body, secret, other)
	require.Equal(t, http.StatusOK, status, resp)

	status, resp = send(body, body, other)
	require.Equal(t, http.StatusUnauthorized, status, "a wrong secret")
	require.Equal(t, "Invalid signature", resp)
	tampered := bytes.Replace(body, []byte("tok_1"), []byte("tok_2"), 1)
	require.NotEqual(t, body, tampered)
	status, resp = send(body, tampered, secret)
	require.Equal(t, http.StatusUnauthorized, status, "a body changed after signing")
	require.Equal(t, "Invalid signature", resp)
}

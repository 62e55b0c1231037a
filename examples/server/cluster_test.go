package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/webhooks"
)

// needPostgres returns a URL of a fresh database on the server
// ASSETMINT_TEST_POSTGRES_URL names, dropped at the end of the test; it
// skips without the variable, unless ASSETMINT_REQUIRE_POSTGRES=1.
func needPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("ASSETMINT_TEST_POSTGRES_URL")
	if base == "" {
		msg := "needs PostgreSQL: set ASSETMINT_TEST_POSTGRES_URL (eval \"$(.ci/postgres start /tmp/pg)\" starts a throwaway server)"
		if os.Getenv("ASSETMINT_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	defer admin.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "cluster_" + hex.EncodeToString(b[:])
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// receiver counts the webhook deliveries it gets, by event id, after
// checking each one's signature.
type receiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	got    map[string]int       // event id -> deliveries
	types  map[string]string    // event id -> type
	first  map[string]time.Time // event id -> when its first copy arrived
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{got: map[string]int{}, types: map[string]string{}, first: map[string]time.Time{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := (webhooks.Verifier{Secrets: []string{rc.secret}}).VerifyStandard(r.Header, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		id := r.Header.Get("webhook-id")
		if rc.got[id] == 0 {
			rc.first[id] = time.Now()
		}
		rc.got[id]++
		rc.types[id] = r.Header.Get("X-AssetMint-Event")
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// count returns how many distinct events of typ arrived, and whether any
// event arrived more than once.
func (rc *receiver) count(typ string) (n int, dup string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for id, c := range rc.got {
		if typ != "" && rc.types[id] != typ {
			continue
		}
		n++
		if c > 1 {
			dup = id
		}
	}
	return n, dup
}

// dupsAfter returns the events that arrived more than once although their
// first copy arrived after cut. An instance killed while a delivery was in
// flight cannot record it, so the survivor sends it again once the job's
// lease lapses: at-least-once delivery, which receivers undo by
// deduplicating on webhook-id. Those events' first copies arrived before
// the kill; any other duplicate is a bug.
func (rc *receiver) dupsAfter(cut time.Time) (ids []string, redelivered int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for id, c := range rc.got {
		switch {
		case c > 2 || (c == 2 && rc.first[id].After(cut)):
			ids = append(ids, id)
		case c == 2:
			redelivered++
		}
	}
	return ids, redelivered
}

// sendJSON sends a JSON request and returns the status and the decoded
// answer; a connection error is status 0.
func sendJSON(base, method, path, auth, body string, header ...string) (int, map[string]any) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// evidence uploads an invoice of the asset's own (its bytes and serial
// differ from every other's, so no duplicate flag holds it back).
func evidence(t *testing.T, base, token, assetID string, i int) {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range map[string]string{"asset_id": assetID, "kind": "invoice", "amount": "150000", "currency": "USD",
		"date": "2021-07-01", "serial": fmt.Sprintf("X200-%04d", i)} {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", "invoice.pdf")
	require.NoError(t, err)
	fmt.Fprintf(fw, "%%PDF-1.4\n%% invoice %s serial X200-%04d\n%%%%EOF\n", assetID, i)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest("POST", base+"/v1/documents/upload", &form)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)
}

// eventually polls cond until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "%s: not within %s", what, within)
		time.Sleep(100 * time.Millisecond)
	}
}

// TestClusterOnPostgres runs two instances of the server on one
// PostgreSQL database and one geth --dev node, as a deployment behind a
// load balancer would: they start together (migrations and the bootstrap
// client race), a token from one works on the other, assets submitted to
// either are valued and minted once, every event reaches the receiver
// once, racing loan requests and a repayment retried on both leave one
// loan and one repayment, and when one instance is killed with SIGKILL
// under write load, nothing it acknowledged is lost and the other
// delivers the events it left pending.
func TestClusterOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two server processes; skipped in -short mode")
	}
	dbURL := needPostgres(t)
	rpc, key := needGeth(t)
	bin := buildServer(t)
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	const admin = "cluster-test-operator-token-0123456789"
	env := []string{"ASSETMINT_MASTER_KEY=" + hex.EncodeToString(master), "ASSETMINT_ADMIN_TOKEN=" + admin,
		"ASSETMINT_CHAIN_RPC=" + rpc, "ASSETMINT_CHAIN_KEY=" + key}
	args := []string{"-db", dbURL}

	// Both start at once.
	var a, b *serverProcess
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startInstance(t, bin, args, env...) }()
	go func() { defer wg.Done(); b = startInstance(t, bin, args, env...) }()
	wg.Wait()
	require.NotNil(t, a)
	require.NotNil(t, b)

	tokA := a.token(t)
	status, _ := sendJSON(b.base, "GET", "/v1/assets", tokA, "")
	require.Equal(t, http.StatusOK, status, "a token from one instance works on the other")

	rc := newReceiver(t)
	hook := a.call(t, "POST", "/v1/webhooks", tokA, `{"url":"`+rc.srv.URL+`/hook"}`)["data"].(map[string]any)
	rc.mu.Lock()
	rc.secret = hook["secret"].(string)
	rc.mu.Unlock()

	// Assets submitted to either instance, each with its own invoice:
	// valued, verified and minted once.
	const n = 8
	ids := make([]string, n)
	for i := range n {
		inst := []*serverProcess{a, b}[i%2]
		asset := inst.call(t, "POST", "/v1/assets", tokA,
			fmt.Sprintf(`{"name":"CNC Milling Machine %d","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`, i))
		ids[i] = asset["data"].(map[string]any)["id"].(string)
		evidence(t, []*serverProcess{b, a}[i%2].base, tokA, ids[i], i)
	}
	eventually(t, 90*time.Second, "every asset tokenized", func() bool {
		for _, id := range ids {
			if _, out := sendJSON(a.base, "GET", "/v1/assets/"+id, tokA, ""); out == nil ||
				out["data"].(map[string]any)["status"] != "tokenized" {
				return false
			}
		}
		return true
	})
	tokens := a.call(t, "GET", "/v1/tokens?limit=100", tokA, "")["data"].([]any)
	require.Len(t, tokens, n, "one token per asset")
	numbers := map[any]bool{}
	for _, tk := range tokens {
		numbers[tk.(map[string]any)["token_number"]] = true
	}
	require.Len(t, numbers, n)

	// Racing loan requests for one asset, split across both: one loan.
	collateral := ids[0]
	var mu sync.Mutex
	created := 0
	var loanID string
	wg = sync.WaitGroup{}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst := []*serverProcess{a, b}[i%2]
			status, out := sendJSON(inst.base, "POST", "/v1/loans", tokA,
				`{"asset_id":"`+collateral+`","amount":20000,"term_months":24}`, "Idempotency-Key", fmt.Sprintf("loan-%d", i))
			if status == http.StatusCreated {
				mu.Lock()
				created++
				loanID = out["data"].(map[string]any)["id"].(string)
				mu.Unlock()
			} else if status != http.StatusConflict {
				t.Errorf("loan: want 201 or 409, got %d %v", status, out)
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 1, created, "one loan in flight per asset")
	eventually(t, 60*time.Second, "the loan funded", func() bool {
		_, out := sendJSON(b.base, "GET", "/v1/loans/"+loanID, tokA, "")
		return out != nil && out["data"].(map[string]any)["status"] == "funded"
	})

	// One repayment retried with one key on both instances at once: one
	// repayment.
	repayIDs := map[string]bool{}
	wg = sync.WaitGroup{}
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst := []*serverProcess{a, b}[i%2]
			status, out := sendJSON(inst.base, "POST", "/v1/admin/loans/"+loanID+"/repayments", admin, `{"amount":500}`,
				"Idempotency-Key", "wire-cluster-0001")
			switch status {
			case http.StatusCreated:
				mu.Lock()
				repayIDs[out["data"].(map[string]any)["id"].(string)] = true
				mu.Unlock()
			case http.StatusConflict:
				if code := out["error"].(map[string]any)["code"]; code != "idempotency_key_in_use" {
					t.Errorf("repayment: 409 %v, want idempotency_key_in_use", out)
				}
			default:
				t.Errorf("repayment: %d %v", status, out)
			}
		}()
	}
	wg.Wait()
	require.Len(t, repayIDs, 1)
	loan := a.call(t, "GET", "/v1/loans/"+loanID, tokA, "")["data"].(map[string]any)
	require.Len(t, loan["repayments"].([]any), 1)

	// Every event so far reached the receiver once.
	eventually(t, 60*time.Second, "the minted tokens' events", func() bool {
		m, _ := rc.count("token.minted")
		return m == n
	})
	_, dup := rc.count("")
	require.Empty(t, dup, "an event delivered twice")
	for _, typ := range []string{"asset.submitted", "document.uploaded", "asset.verified", "token.minted"} {
		m, _ := rc.count(typ)
		require.Equal(t, n, m, typ)
	}
	// An asset valued before its invoice arrived is valued again after.
	m, _ := rc.count("asset.valuation_complete")
	require.GreaterOrEqual(t, m, n)

	// Write load on A, killed with SIGKILL midway: what A acknowledged is
	// there, and B delivers the events A left pending (their jobs' leases
	// lapse within 30 s).
	acked := map[string]string{} // key -> asset id
	stop := make(chan struct{})
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			key := fmt.Sprintf("load-%04d", i)
			status, out := sendJSON(a.base, "POST", "/v1/assets", tokA,
				fmt.Sprintf(`{"name":"Load %d","type":"equipment","estimated_value":1000}`, i), "Idempotency-Key", key)
			if status == http.StatusCreated {
				mu.Lock()
				acked[key] = out["data"].(map[string]any)["id"].(string)
				mu.Unlock()
			}
		}
	}()
	time.Sleep(1500 * time.Millisecond)
	require.NoError(t, a.cmd.Process.Signal(syscall.SIGKILL))
	_ = a.cmd.Wait()
	// A request A wrote before it died may still be read a moment later;
	// B cannot take over A's jobs before their 30 s leases lapse.
	killed := time.Now().Add(5 * time.Second)
	close(stop)
	<-loadDone
	mu.Lock()
	require.NotEmpty(t, acked, "A acknowledged writes before it died")
	for key, id := range acked {
		status, out := sendJSON(b.base, "GET", "/v1/assets/"+id, tokA, "")
		require.Equal(t, http.StatusOK, status, "%s acknowledged %s, which B does not have: %v", key, id, out)
	}
	total := n + len(acked)
	mu.Unlock()
	eventually(t, 90*time.Second, "B delivers every asset.submitted, A's pending ones included", func() bool {
		m, _ := rc.count("asset.submitted")
		return m >= total
	})
	dups, redelivered := rc.dupsAfter(killed)
	require.Empty(t, dups, "events delivered twice that A did not have in flight when it died")
	t.Logf("%d deliveries A had in flight when it died were sent again by B", redelivered)
}

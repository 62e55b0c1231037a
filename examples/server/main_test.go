package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startServer runs the program on a free port and returns its base URL and
// everything it printed so far; stopping it is cancelling ctx.
func startServer(t *testing.T, ctx context.Context, dir string, env map[string]string) (string, <-chan error, *strings.Builder) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "am.db"), "-data", filepath.Join(dir, "data")},
			func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if m := regexp.MustCompile(`listening on (http://\S+)/v1`).FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1], done, &out
		}
	}
	t.Fatalf("server did not start: %s %v", out.String(), <-done)
	return "", nil, nil
}

func post(t *testing.T, url, auth, body string) (int, map[string]any) {
	return request(t, url, "POST", "", auth, body)
}

// The README's walk-through against the real program: bootstrap
// credentials, the reference's token call and asset submission, the
// operator routes, and a clean shutdown.
func TestServerRunsTheReferenceWorkflow(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{
		"ASSETMINT_BOOTSTRAP_CLIENT_ID":     "your_client_id",
		"ASSETMINT_BOOTSTRAP_CLIENT_SECRET": "your_client_secret_at_least_32_chars",
		"ASSETMINT_BOOTSTRAP_PLAN":          "business",
		"ASSETMINT_ADMIN_TOKEN":             "dev-operator-token-please-change-me",
	}
	base, done, out := startServer(t, ctx, dir, env)
	require.Contains(t, out.String(), "Bootstrap client your_client_id ready")

	status, tok := post(t, base+"/v1/auth/token", "", `{
"client_id": "your_client_id",
"client_secret": "your_client_secret_at_least_32_chars",
"grant_type": "client_credentials"
}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "Bearer", tok["token_type"])
	require.Equal(t, float64(3600), tok["expires_in"])

	status, asset := post(t, base+"/v1/assets", tok["access_token"].(string), `{
"name": "CNC Milling Machine — Model X200",
"type": "equipment",
"description": "Industrial CNC machine, 2021, excellent condition",
"estimated_value": 85000
}`)
	require.Equal(t, http.StatusCreated, status)
	data := asset["data"].(map[string]any)
	require.Regexp(t, `^asset_`, data["id"])
	require.Equal(t, "pending_valuation", data["status"])
	_, err := time.Parse(time.RFC3339, data["created_at"].(string))
	require.NoError(t, err)

	// An invoice for it, as curl -F would send it; the server values the
	// asset in the background, verifies it and mints its token on the
	// simulated chain.
	access := tok["access_token"].(string)
	uploadInvoice(t, base, access, data["id"].(string))
	deadline := time.Now().Add(15 * time.Second)
	for {
		req, _ := http.NewRequest("GET", base+"/v1/assets/"+data["id"].(string), nil)
		req.Header.Set("Authorization", "Bearer "+access)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.NewDecoder(res.Body).Decode(&got))
		res.Body.Close()
		if got["data"].(map[string]any)["status"] == "tokenized" {
			require.NotNil(t, got["data"].(map[string]any)["valuation"])
			break
		}
		require.True(t, time.Now().Before(deadline), "not tokenized: %v", got["data"])
		time.Sleep(50 * time.Millisecond)
	}

	req, _ := http.NewRequest("GET", base+"/v1/tokens", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tokens map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tokens))
	res.Body.Close()
	list := tokens["data"].([]any)
	require.Len(t, list, 1)
	minted := list[0].(map[string]any)
	require.Equal(t, data["id"], minted["asset_id"])
	require.Equal(t, "1337", minted["chain_id"])
	require.Equal(t, "minted", minted["status"])
	require.Regexp(t, `^0x[0-9a-fA-F]{40}$`, minted["token_address"])

	status, biz := post(t, base+"/v1/admin/businesses", "dev-operator-token-please-change-me", `{"name":"Globex","plan":"enterprise"}`)
	require.Equal(t, http.StatusCreated, status)
	require.Regexp(t, `^sk_`, biz["data"].(map[string]any)["client_secret"])

	cancel()
	require.NoError(t, <-done, "clean shutdown")

	// A restart keeps the data and the bootstrap client, with its plan.
	ctx2, cancel2 := context.WithCancel(context.Background())
	base, done, out2 := startServer(t, ctx2, dir, env)
	status, tok = post(t, base+"/v1/auth/token", "", `{"client_id":"your_client_id","client_secret":"your_client_secret_at_least_32_chars","grant_type":"client_credentials"}`)
	require.Equal(t, http.StatusOK, status)
	req, _ = http.NewRequest("GET", base+"/v1/assets/"+data["id"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "300", res.Header.Get("X-RateLimit-Limit"), "the bootstrap plan applies")

	// The simulated chain started empty; the token was minted again on the
	// new contract, and its record says so.
	contractLine := regexp.MustCompile(`AssetToken at (0x[0-9a-fA-F]{40})`)
	newContract := contractLine.FindStringSubmatch(out2.String())
	require.NotNil(t, newContract, out2.String())
	require.Contains(t, out2.String(), "Re-minted 1 recorded tokens")
	req, _ = http.NewRequest("GET", base+"/v1/tokens", nil)
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	tokens = map[string]any{}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tokens))
	res.Body.Close()
	require.Equal(t, newContract[1], tokens["data"].([]any)[0].(map[string]any)["token_address"])
	require.NotEqual(t, minted["token_address"], newContract[1])
	cancel2()
	require.NoError(t, <-done)
}

// Without bootstrap variables, a first start creates a business and prints
// credentials that work; a second start does not create another.
func TestServerPrintsCredentialsOnFirstStart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	base, done, out := startServer(t, ctx, dir, nil)
	id := regexp.MustCompile(`client_id:\s+(\S+)`).FindStringSubmatch(out.String())
	secret := regexp.MustCompile(`client_secret:\s+(\S+)`).FindStringSubmatch(out.String())
	require.NotNil(t, id, out.String())
	require.NotNil(t, secret)
	status, _ := post(t, base+"/v1/auth/token", "", `{"client_id":"`+id[1]+`","client_secret":"`+secret[1]+`","grant_type":"client_credentials"}`)
	require.Equal(t, http.StatusOK, status)
	cancel()
	require.NoError(t, <-done)

	ctx2, cancel2 := context.WithCancel(context.Background())
	_, done, out = startServer(t, ctx2, dir, nil)
	require.NotContains(t, out.String(), "client_secret:")
	cancel2()
	require.NoError(t, <-done)
}

func TestServerRejectsBadSettings(t *testing.T) {
	dir := t.TempDir()
	runServer := run
	run := func(env map[string]string) error {
		return runServer(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "x.db"), "-data", filepath.Join(dir, "d")},
			func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_BOOTSTRAP_PLAN": "gold"}), "ASSETMINT_BOOTSTRAP_PLAN")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_BOOTSTRAP_CLIENT_ID": "x"}), "ASSETMINT_BOOTSTRAP_CLIENT_SECRET")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_ADMIN_TOKEN": "short"}), "ASSETMINT_ADMIN_TOKEN")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_ADMIN_TOKEN": strings.Repeat("x", 31)}), "ASSETMINT_ADMIN_TOKEN must be at least 32 characters")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_BOOTSTRAP_CLIENT_ID": "your_client_id", "ASSETMINT_BOOTSTRAP_CLIENT_SECRET": strings.Repeat("s", 31)}),
		"ASSETMINT_BOOTSTRAP_CLIENT_SECRET: client_secret must be at least 32 characters")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_CHAIN_KEY": "0x01"}), "ASSETMINT_CHAIN_RPC")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_CHAIN_RPC": "http://127.0.0.1:1"}), "ASSETMINT_CHAIN_KEY")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_CHAIN_RPC": "http://127.0.0.1:1", "ASSETMINT_CHAIN_KEY": "not hex"}), "ASSETMINT_CHAIN_KEY")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_CHAIN_CONFIRMATIONS": "0"}), "ASSETMINT_CHAIN_CONFIRMATIONS")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_LENDER_ADDRESS": "0x1234"}), "ASSETMINT_LENDER_ADDRESS")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_TRUSTED_PROXIES": "10.0.0.0/8,lb"}), "ASSETMINT_TRUSTED_PROXIES")
	require.ErrorContains(t, run(map[string]string{"ASSETMINT_PLAN_LIMITS": "developer=fast"}), "ASSETMINT_PLAN_LIMITS")

	// A PostgreSQL database is for several instances: they need a chain they
	// all reach, and without -data a master key they share.
	pg := func(env map[string]string) error {
		return runServer(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", "postgres://127.0.0.1:1/assetmint"},
			func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	require.ErrorContains(t, pg(nil), "ASSETMINT_CHAIN_RPC is required with a PostgreSQL database")
	require.ErrorContains(t, pg(map[string]string{"ASSETMINT_CHAIN_RPC": "http://127.0.0.1:1"}),
		"ASSETMINT_MASTER_KEY is required with a PostgreSQL database and no -data")
}

// uploadInvoice uploads the reference CNC machine's invoice (150,000 USD,
// 2021-07-01) as curl -F would.
func uploadInvoice(t *testing.T, base, token, assetID string) {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range map[string]string{"asset_id": assetID, "kind": "invoice", "amount": "150000", "currency": "USD", "date": "2021-07-01"} {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", "invoice.pdf")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
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

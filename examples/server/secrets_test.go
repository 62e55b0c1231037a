package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/seal"
	"github.com/assetmint/assetmint/store/sqlite"
)

// TestNoSecretInTheDatabaseFiles creates, through the API, a business
// with an Idempotency-Key (its answer, client secret included, is stored
// for replays), another client, a webhook endpoint and a token (which makes
// the first signing key); then reads the raw database files (the database,
// its -wal and -shm) and the data folder: none of the secrets is there, in
// any of the forms it could be written in. The files are readable by their
// owner only.
func TestNoSecretInTheDatabaseFiles(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	const admin = "secrets-test-operator-token-0123456789"
	env := map[string]string{
		"ASSETMINT_BOOTSTRAP_CLIENT_ID":     "bootstrap_client",
		"ASSETMINT_BOOTSTRAP_CLIENT_SECRET": "bootstrap-secret-0123456789abcdef-0123456789",
		"ASSETMINT_ADMIN_TOKEN":             admin,
		"ASSETMINT_WEBHOOK_ALLOW_PRIVATE":   "1",
	}
	base, done, out := startServer(t, ctx, dir, env)
	require.Contains(t, out.String(), "Created master key")

	status, created := request(t, base, "POST", "/v1/admin/businesses", admin, `{"name":"Globex","plan":"business"}`,
		"Idempotency-Key", "create-globex")
	require.Equal(t, http.StatusCreated, status)
	biz := created["data"].(map[string]any)
	status, replayed := request(t, base, "POST", "/v1/admin/businesses", admin, `{"name":"Globex","plan":"business"}`,
		"Idempotency-Key", "create-globex")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, biz, replayed["data"], "the replay carries the same credentials")
	status, client := request(t, base, "POST", "/v1/admin/businesses/"+biz["id"].(string)+"/clients", admin, "")
	require.Equal(t, http.StatusCreated, status)

	status, tok := request(t, base, "POST", "/v1/auth/token", "", `{"grant_type":"client_credentials","client_id":"`+
		biz["client_id"].(string)+`","client_secret":"`+biz["client_secret"].(string)+`"}`)
	require.Equal(t, http.StatusOK, status)
	access := tok["access_token"].(string)
	status, hook := request(t, base, "POST", "/v1/webhooks", access, `{"url":"http://127.0.0.1:9/hook"}`)
	require.Equal(t, http.StatusCreated, status)

	webhookSecret := hook["data"].(map[string]any)["secret"].(string)
	rawWebhookKey, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(webhookSecret, "whsec_"))
	require.NoError(t, err)
	secrets := map[string][]byte{
		"client secret (operator-created business)": []byte(biz["client_secret"].(string)),
		"client secret (added client)":              []byte(client["data"].(map[string]any)["client_secret"].(string)),
		"webhook secret":                            []byte(webhookSecret),
		"webhook secret's key bytes":                rawWebhookKey,
		"bootstrap client secret":                   []byte(env["ASSETMINT_BOOTSTRAP_CLIENT_SECRET"]),
	}

	// The files as they are while the server runs (the -wal holds the
	// latest writes), and after it stops.
	files := func() map[string][]byte {
		out := map[string][]byte{}
		for _, f := range []string{"am.db", "am.db-wal", "am.db-shm"} {
			if raw, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
				out[f] = raw
			}
		}
		require.NoError(t, filepath.WalkDir(filepath.Join(dir, "data"), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() != "master.key" {
				raw, rerr := os.ReadFile(path)
				out[path] = raw
				return rerr
			}
			return err
		}))
		return out
	}
	running := files()
	require.Contains(t, running, "am.db-wal")
	cancel()
	require.NoError(t, <-done)

	// The signing key, opened with the master key the server created: its
	// bytes must not be in the files in any form either.
	dataDir := filepath.Join(dir, "data")
	keyText, err := os.ReadFile(filepath.Join(dataDir, "master.key"))
	require.NoError(t, err)
	masterKey, err := assetmint.ParseMasterKey(string(keyText))
	require.NoError(t, err)
	ring, err := seal.NewKeyring(masterKey, nil, bytes.NewReader(nil))
	require.NoError(t, err)
	db, err := sqlite.Open(filepath.Join(dir, "am.db"), sqlite.Config{})
	require.NoError(t, err)
	stored, err := db.SigningKeys(context.Background())
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NotEmpty(t, stored)
	for _, k := range stored {
		key, err := ring.Open(string(k.Secret), assetmint.SealedSigningKey+":"+k.ID)
		require.NoError(t, err)
		require.Len(t, key, 32)
		secrets["signing key "+k.ID] = key
		secrets["signing key "+k.ID+" (hex)"] = []byte(hex.EncodeToString(key))
		secrets["signing key "+k.ID+" (base64)"] = []byte(base64.StdEncoding.EncodeToString(key))
	}

	for when, snapshot := range map[string]map[string][]byte{"running": running, "stopped": files()} {
		require.NotEmpty(t, snapshot["am.db"])
		for f, raw := range snapshot {
			for what, secret := range secrets {
				require.False(t, bytes.Contains(raw, secret), "%s is in %s (%s)", what, f, when)
			}
		}
	}

	for path, want := range map[string]os.FileMode{
		filepath.Join(dir, "am.db"):          0o600,
		dataDir:                              0o700 | os.ModeDir,
		filepath.Join(dataDir, "master.key"): 0o600,
	} {
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, want, st.Mode(), path)
	}
}

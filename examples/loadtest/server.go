package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// The example server's bootstrap client, and the plan table that lifts its
// rate limit out of the load's way (the limiter still runs on every
// request).
const (
	clientID     = "loadtest_client"
	clientSecret = "loadtest_client_secret_of_at_least_32_chars"
	planLimits   = "enterprise=100000000/min"
)

// buildServer builds the example server into dir.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/assetmint/assetmint/examples/server")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./examples/server: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return bin, nil
}

// server is one example-server process on its own database: SQLite in
// dir, or a fresh PostgreSQL database.
type server struct {
	cmd    *exec.Cmd
	drop   func() // drops its PostgreSQL database, after it stopped (nil on SQLite)
	URL    string // http://127.0.0.1:port
	Token  string
	logs   string // its stderr (a line per request), kept in a file
	client *http.Client
}

// startServer starts bin on a fresh database (a SQLite file in dir, or a
// new database on the PostgreSQL server pg names when pg is set), waits
// for it to listen and gets a token for the bootstrap client (enterprise
// plan).
func startServer(ctx context.Context, bin, dir, pg string) (*server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	s := &server{logs: filepath.Join(dir, "server.log"), client: newClient(2)}
	db := filepath.Join(dir, "assetmint.db")
	if pg != "" {
		var err error
		if db, s.drop, err = freshDatabase(ctx, pg); err != nil {
			return nil, err
		}
	}
	logFile, err := os.Create(s.logs)
	if err != nil {
		s.dropDatabase()
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command(bin, "-addr", "127.0.0.1:0", "-db", db, "-data", filepath.Join(dir, "data"), "-drain", "2s")
	s.cmd.Env = append(os.Environ(),
		"ASSETMINT_BOOTSTRAP_CLIENT_ID="+clientID, "ASSETMINT_BOOTSTRAP_CLIENT_SECRET="+clientSecret,
		"ASSETMINT_BOOTSTRAP_PLAN=enterprise", "ASSETMINT_PLAN_LIMITS="+planLimits, "ASSETMINT_WEBHOOK_ALLOW_PRIVATE=1")
	s.cmd.Stderr = logFile
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		s.dropDatabase()
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		s.dropDatabase()
		return nil, err
	}
	listening := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`listening on (http://\S+)/v1`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
				break
			}
		}
		close(listening)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case u, ok := <-listening:
		if !ok {
			s.stop()
			return nil, fmt.Errorf("the server exited before listening; its log: %s", s.tail())
		}
		s.URL = u
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, fmt.Errorf("the server did not listen within 30 s; its log: %s", s.tail())
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := s.call(ctx, "POST", "/v1/auth/token", "", map[string]string{"client_id": clientID, "client_secret": clientSecret,
		"grant_type": "client_credentials"}, http.StatusOK, &tok); err != nil {
		s.stop()
		return nil, err
	}
	s.Token = tok.AccessToken
	return s, nil
}

// stop sends SIGTERM and waits for the exit (SIGKILL after 10 s).
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.dropDatabase()
}

func (s *server) dropDatabase() {
	if s.drop != nil {
		s.drop()
		s.drop = nil
	}
}

// freshDatabase creates a database of its own on the PostgreSQL server
// base names and returns its URL, and a func that drops it.
func freshDatabase(ctx context.Context, base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("-postgres: want a postgres:// URL, got %q", base)
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("-postgres: %w", err)
	}
	defer admin.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "assetmint_load_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("-postgres: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = c.Close(ctx)
		}
	}, nil
}

// tail is the end of the server's log, for error messages.
func (s *server) tail() string {
	b, _ := os.ReadFile(s.logs)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// call sends a JSON request (body nil for none) with the bearer token tok
// and decodes the answer (the token endpoint's) or its "data" into out.
func (s *server) call(ctx context.Context, method, path, tok string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, raw)
	}
	if out == nil {
		return nil
	}
	if path != "/v1/auth/token" {
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			return err
		}
		raw = env.Data
	}
	return json.Unmarshal(raw, out)
}

// quiesce waits, up to limit, until the business has no asset pending
// valuation: the background work the writes started is then (mostly) done.
func (s *server) quiesce(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		var page []json.RawMessage
		if err := s.call(ctx, "GET", "/v1/assets?status=pending_valuation&limit=1", s.Token, nil, http.StatusOK, &page); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("assets still pending valuation")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

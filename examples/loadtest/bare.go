package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	_ "github.com/mattn/go-sqlite3" // the same SQLite driver the store uses
)

// bare is the baseline: what a competent developer writes for the same two
// routes without the library. Plain net/http; an HS256 bearer token
// verified with golang-jwt; SQLite through database/sql and go-sqlite3
// with the statements prepared once. GET is one verify and one point
// select on a pool of read-only connections; POST is one verify and one
// INSERT in its own transaction on the one writer connection, in WAL mode
// with synchronous=FULL, so each acknowledged asset cost its own commit and
// fsync. No rate limit, idempotency, events, jobs, request log or strict
// input checks: the full stack does all of that, which is the overhead the
// ratio shows.
type bare struct {
	key             []byte
	writer, readers *sql.DB
	get, insert     *sql.Stmt
	srv             *http.Server
	URL             string // http://127.0.0.1:port
}

// bareClaims is the token the bare handler accepts: the business in a
// claim of its own, as a real service would carry it.
type bareClaims struct {
	Business string `json:"biz"`
	jwt.RegisteredClaims
}

// startBare opens (and creates) the SQLite database in dir and serves the
// bare handler on a loopback port.
func startBare(dir string) (*bare, error) {
	path := filepath.Join(dir, "bare.db")
	dsn := func(readOnly bool) string {
		v := url.Values{}
		v.Set("_journal_mode", "WAL")
		v.Set("_synchronous", "FULL")
		v.Set("_busy_timeout", "5000")
		v.Set("_txlock", "immediate")
		if readOnly {
			v.Set("_query_only", "on")
		}
		return "file:" + path + "?" + v.Encode()
	}
	b := &bare{key: make([]byte, 32)}
	if _, err := rand.Read(b.key); err != nil {
		return nil, err
	}
	var err error
	if b.writer, err = sql.Open("sqlite3", dsn(false)); err != nil {
		return nil, err
	}
	// One writer connection: SQLite has one writer at a time, so requests
	// queue in Go instead of sleeping in SQLite's busy handler.
	b.writer.SetMaxOpenConns(1)
	if _, err := b.writer.Exec(`CREATE TABLE IF NOT EXISTS assets (
		id TEXT PRIMARY KEY, business_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
		description TEXT NOT NULL, estimated_value TEXT NOT NULL, currency TEXT NOT NULL,
		status TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		b.close()
		return nil, err
	}
	if b.readers, err = sql.Open("sqlite3", dsn(true)); err != nil {
		b.close()
		return nil, err
	}
	b.readers.SetMaxOpenConns(8)
	b.readers.SetMaxIdleConns(8)
	if b.get, err = b.readers.Prepare(`SELECT id, name, type, description, estimated_value, currency, status, created_at
		FROM assets WHERE id = ? AND business_id = ?`); err != nil {
		b.close()
		return nil, err
	}
	if b.insert, err = b.writer.Prepare(`INSERT INTO assets (id, business_id, name, type, description, estimated_value, currency, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		b.close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/assets/{id}", b.getAsset)
	mux.HandleFunc("POST /v1/assets", b.createAsset)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.close()
		return nil, err
	}
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	b.URL = "http://" + ln.Addr().String()
	go b.srv.Serve(ln)
	return b, nil
}

func (b *bare) close() {
	if b.srv != nil {
		b.srv.Close()
	}
	for _, s := range []*sql.Stmt{b.get, b.insert} {
		if s != nil {
			s.Close()
		}
	}
	for _, db := range []*sql.DB{b.readers, b.writer} {
		if db != nil {
			db.Close()
		}
	}
}

// token issues a bearer token for business biz, valid for an hour.
func (b *bare) token(biz string) (string, error) {
	now := time.Now()
	return jwt.NewWithClaims(jwt.SigningMethodHS256, bareClaims{Business: biz, RegisteredClaims: jwt.RegisteredClaims{
		Subject: "cli_bare", IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}}).SignedString(b.key)
}

// business verifies the bearer token and returns its business, or answers
// 401 and returns "".
func (b *bare) business(w http.ResponseWriter, r *http.Request) string {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	var c bareClaims
	if ok {
		_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return b.key, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
		ok = err == nil && c.Business != ""
	}
	if !ok {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return ""
	}
	return c.Business
}

type bareAsset struct {
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	Type           string      `json:"type"`
	Description    string      `json:"description"`
	EstimatedValue json.Number `json:"estimated_value"`
	Currency       string      `json:"currency"`
	Status         string      `json:"status"`
	CreatedAt      string      `json:"created_at"`
}

func (b *bare) getAsset(w http.ResponseWriter, r *http.Request) {
	biz := b.business(w, r)
	if biz == "" {
		return
	}
	var a bareAsset
	err := b.get.QueryRowContext(r.Context(), r.PathValue("id"), biz).Scan(&a.ID, &a.Name, &a.Type, &a.Description,
		&a.EstimatedValue, &a.Currency, &a.Status, &a.CreatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": a})
}

func (b *bare) createAsset(w http.ResponseWriter, r *http.Request) {
	biz := b.business(w, r)
	if biz == "" {
		return
	}
	var a bareAsset
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&a); err != nil || a.Name == "" || a.Type == "" || a.EstimatedValue == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	a.ID, a.Currency, a.Status, a.CreatedAt = newID("asset_"), "USD", "pending_valuation", time.Now().UTC().Format(time.RFC3339Nano)
	if err := b.insertAsset(r.Context(), biz, &a); err != nil {
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"data": a})
}

// insertAsset is one row in its own transaction: BEGIN IMMEDIATE, INSERT,
// COMMIT (a WAL append and, with synchronous=FULL, an fsync).
func (b *bare) insertAsset(ctx context.Context, biz string, a *bareAsset) error {
	tx, err := b.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.StmtContext(ctx, b.insert).ExecContext(ctx, a.ID, biz, a.Name, a.Type, a.Description,
		a.EstimatedValue.String(), a.Currency, a.Status, a.CreatedAt); err != nil {
		return err
	}
	return tx.Commit()
}

// newID is prefix and 16 random bytes in hex.
func newID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return prefix + hex.EncodeToString(b[:])
}

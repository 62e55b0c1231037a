package assetmint_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/assetmint/assetmint"

// deps lists what pkg links (its transitive imports, test files left out),
// with go list.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).CombinedOutput()
	require.NoError(t, err, "go list -deps %s: %s", pkg, out)
	return strings.Fields(string(out))
}

// imports lists what pkg imports directly (test files left out).
func imports(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, pkg).CombinedOutput()
	require.NoError(t, err, "go list %s: %s", pkg, out)
	return strings.Fields(string(out))
}

// forbidden matches an import path against what a rule keeps out.
type forbidden struct {
	name  string
	match func(path string) bool
}

var (
	netHTTP    = forbidden{"net/http", func(p string) bool { return p == "net/http" }}
	goEthereum = forbidden{"go-ethereum", func(p string) bool { return strings.HasPrefix(p, "github.com/ethereum/go-ethereum") }}
	sqlite3    = forbidden{"the SQLite driver", func(p string) bool { return p == "github.com/mattn/go-sqlite3" }}
	pgx        = forbidden{"pgx", func(p string) bool { return strings.HasPrefix(p, "github.com/jackc/pgx") }}
	root       = forbidden{"the root package", func(p string) bool { return p == module }}
	// The console's browser tests drive chromium; its importers never link it.
	chromedp = forbidden{"chromedp", func(p string) bool { return strings.HasPrefix(p, "github.com/chromedp/") }}
	// A program on a real node does not build a simulated one.
	fullNode = forbidden{"a node (the simulated one, or go-ethereum/eth)", func(p string) bool {
		return p == "github.com/ethereum/go-ethereum/ethclient/simulated" || strings.Contains(p, "go-ethereum/eth/")
	}}
)

// The layers: the pure cores link no I/O framework and not the engine;
// the engine and its HTTP layer link no chain client and no database
// driver, so a host that embeds them (and every test binary of theirs)
// does not build go-ethereum.
func TestImportBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped in -short mode")
	}
	rules := map[string][]forbidden{
		"valuation":         {netHTTP, goEthereum, sqlite3, pgx, root},
		"lending":           {netHTTP, goEthereum, sqlite3, pgx, root},
		"auth":              {netHTTP, goEthereum, sqlite3, pgx, root},
		"tokenize":          {goEthereum, sqlite3, pgx, root},
		"documents":         {goEthereum, sqlite3, pgx, root},
		"webhooks":          {goEthereum, sqlite3, pgx, root},
		"jobs":              {goEthereum, sqlite3, pgx, root},
		"":                  {goEthereum, sqlite3, pgx},
		"httpapi":           {goEthereum, sqlite3, pgx},
		"console":           {goEthereum, sqlite3, pgx, chromedp},
		"store/sqlite":      {goEthereum, pgx},
		"tokenize/ethchain": {fullNode, sqlite3, pgx, root},
	}
	for rel, rule := range rules {
		pkg := module
		if rel != "" {
			pkg += "/" + rel
		}
		linked := deps(t, pkg)
		for _, f := range rule {
			for _, d := range linked {
				require.False(t, f.match(d), "%s links %s (through %s)", pkg, f.name, d)
			}
		}
	}
}

// Only the adapter that owns a driver imports it: store/sqlite the SQLite
// driver, store/postgres pgx, tokenize/... go-ethereum. examples/loadtest
// is the one exception, on purpose: its bare handler, the baseline the
// library is measured against, is written without the library, and with
// -postgres it creates and drops the databases its servers run on.
func TestOnlyAdaptersImportDrivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped in -short mode")
	}
	out, err := exec.Command("go", "list", module+"/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, pkg := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for _, imp := range imports(t, pkg) {
			switch {
			case sqlite3.match(imp):
				require.Contains(t, []string{"store/sqlite", "examples/loadtest"}, rel, "%s imports the SQLite driver", pkg)
			case pgx.match(imp):
				require.Contains(t, []string{"store/postgres", "examples/loadtest"}, rel, "%s imports pgx", pkg)
			case goEthereum.match(imp):
				require.True(t, strings.HasPrefix(rel, "tokenize/"), "%s imports %s", pkg, imp)
			}
		}
	}
}

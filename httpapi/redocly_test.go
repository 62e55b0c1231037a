package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/httpapi"
)

// redoclyDir holds the pinned Redocly CLI (package.json and
// package-lock.json; node_modules from `npm ci`).
const redoclyDir = "testdata/redocly"

// The document passes Redocly CLI's default ruleset ("recommended") with no
// configuration file: no errors. Warnings are logged, not failed on.
func TestRedoclyLint(t *testing.T) {
	redoclyLint(t, httpapi.OpenAPI())
}

// redoclyLint runs `redocly lint` on doc, in an empty folder so that no
// redocly.yaml is found, and fails on any error it reports. It needs
// Node.js and `npm ci --prefix httpapi/testdata/redocly` (.ci/run does
// both); without them the test is skipped, unless ASSETMINT_REQUIRE_NODE=1
// (CI), where it fails.
func redoclyLint(t *testing.T, doc []byte) {
	t.Helper()
	cli, err := filepath.Abs(filepath.Join(redoclyDir, "node_modules", "@redocly", "cli", "bin", "cli.js"))
	require.NoError(t, err)
	_, err = exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(cli)
	}
	if err != nil {
		msg := fmt.Sprintf("node or Redocly CLI is missing (%v): run `npm ci --prefix httpapi/testdata/redocly` to lint openapi.json", err)
		if os.Getenv("ASSETMINT_REQUIRE_NODE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	raw, err := os.ReadFile(filepath.Join(redoclyDir, "package.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &pkg))

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "openapi.json"), doc, 0o600))
	cmd := exec.Command("node", cli, "lint", "--format=json", "openapi.json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) { // exit status 1 means problems, read below
		t.Fatalf("redocly lint did not run: %v\n%s", err, stderr.String())
	}

	var report struct {
		Version string `json:"version"`
		Totals  struct {
			Errors   int `json:"errors"`
			Warnings int `json:"warnings"`
		} `json:"totals"`
		Problems []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location []struct {
				Pointer string `json:"pointer"`
			} `json:"location"`
		} `json:"problems"`
	}
	require.NoError(t, json.Unmarshal(out, &report), "redocly lint printed no JSON report:\n%s\n%s", out, stderr.String())
	require.Equal(t, pkg.Dependencies["@redocly/cli"], report.Version,
		"the installed Redocly CLI is not the pinned one: run `npm ci --prefix httpapi/testdata/redocly`")

	var errs, warns []string
	for _, p := range report.Problems {
		at := ""
		if len(p.Location) > 0 {
			at = p.Location[0].Pointer
		}
		line := fmt.Sprintf("%s %s: %s", p.RuleID, at, p.Message)
		if p.Severity == "error" {
			errs = append(errs, line)
		} else {
			warns = append(warns, line)
		}
	}
	if len(warns) > 0 {
		t.Logf("Redocly CLI %s: %d warnings:\n\t%s", report.Version, len(warns), strings.Join(warns, "\n\t"))
	}
	require.Zero(t, report.Totals.Errors, "Redocly CLI %s (default ruleset) reports errors:\n\t%s", report.Version, strings.Join(errs, "\n\t"))
	require.NoError(t, err, "redocly lint failed with no error reported:\n%s", stderr.String())
}

package main

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// One short run (half a second a side) against real processes: every side of every path answered
// requests, nothing failed, and the report names each path with a ratio
// and its target. It asserts no speed: the figures come from a full run
// (go run ./examples/loadtest), not from a test.
func TestRunReportsEveryPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example server; skipped in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build ./examples/server with")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin, err := buildServer(ctx, t.TempDir())
	if err != nil {
		t.Skipf("cannot build the example server: %v", err)
	}
	rep, err := Run(ctx, Options{Conns: 4, Rounds: 1, Duration: 500 * time.Millisecond, Events: 100, Server: bin})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /v1/assets/{id}", "POST /v1/assets", "webhook delivery"}
	if len(rep.Paths) != len(want) {
		t.Fatalf("%d paths, want %d", len(rep.Paths), len(want))
	}
	for i, p := range rep.Paths {
		if p.Name != want[i] {
			t.Errorf("path %d is %q, want %q", i, p.Name, want[i])
		}
		for side, r := range map[string]result{"full": p.Full, "bare": p.Bare} {
			if r.OK == 0 || r.PerSecond() <= 0 || r.Failed != 0 {
				t.Errorf("%s, %s: %d ok, %d failed (%s)", p.Name, side, r.OK, r.Failed, r.FirstError)
			}
		}
		if p.Ratio() <= 0 {
			t.Errorf("%s: ratio %v", p.Name, p.Ratio())
		}
	}
	if rep.Backlog != 100 || rep.Paths[2].Full.OK != 100 {
		t.Errorf("delivery backlog %d, delivered %d, want 100 and 100", rep.Backlog, rep.Paths[2].Full.OK)
	}
	var out bytes.Buffer
	rep.Write(&out)
	for _, line := range []string{
		`(?m)^GET /v1/assets/\{id\} +full +\d+ +\S+ +\S+ +\d+ +0$`,
		`(?m)^GET /v1/assets/\{id\} +bare +\d+ `,
		`(?m)^POST /v1/assets +full +\d+ `,
		`(?m)^POST /v1/assets +bare +\d+ `,
		`(?m)^webhook delivery +full +\d+ +- +- +100 +0$`,
		`(?m)^webhook delivery +bare +\d+ `,
		`(?m)^GET /v1/assets/\{id\} +\d+\.\d\dx ≥ 0\.60x  (met|MISSED)$`,
		`(?m)^POST /v1/assets +\d+\.\d\dx ≥ 1\.50x  (met|MISSED)$`,
		`(?m)^webhook delivery +\d+\.\d\dx ≥ 0\.25x  (met|MISSED)$`,
	} {
		if !regexp.MustCompile(line).Match(out.Bytes()) {
			t.Errorf("the report has no line matching %s:\n%s", line, out.String())
		}
	}
}

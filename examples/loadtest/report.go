package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Report is one run's figures.
type Report struct {
	Options Options
	Date    time.Time
	Backlog int  // events in the delivery backlog
	Settled bool // the backlog's valuations were done when the drain began
	// LoadBefore and LoadAfter are the machine's 1-minute load average
	// at the start and the end ("" where /proc/loadavg is missing): a
	// figure measured while other work loaded the machine says so.
	LoadBefore, LoadAfter string
	Paths                 []Path
	// ValuationCatchUp is how long the valuations of the assets the full
	// POST side created took to finish after its rounds ended, summed over
	// the rounds: the cost of the API's priority over them (the valuation
	// worker runs ValuationConfig.Concurrency at once, beside the POSTs).
	ValuationCatchUp time.Duration
}

// Path is one path's two sides.
type Path struct {
	Name       string
	Unit       string
	Full, Bare result
	Target     float64 // the full/bare ratio to reach
}

// Ratio is full/bare throughput.
func (p Path) Ratio() float64 {
	if p.Bare.PerSecond() == 0 {
		return 0
	}
	return p.Full.PerSecond() / p.Bare.PerSecond()
}

// Met reports whether the ratio reaches the target.
func (p Path) Met() bool { return p.Ratio() >= p.Target }

// commit names the checked-out commit, "+dirty" when tracked files differ
// from it, or "unknown" outside a git work tree.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += "+dirty"
	}
	return c
}

// Write prints the report: the setting, a line per side, and the ratios
// beside the targets.
func (r *Report) Write(w io.Writer) {
	o := r.Options
	fmt.Fprintf(w, "AssetMint load harness, %s, commit %s, %s %s/%s, %d CPUs\n",
		r.Date.Format("2006-01-02 15:04 MST"), commit(), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	settled := "done"
	if !r.Settled {
		settled = "still running"
	}
	if r.LoadBefore != "" {
		fmt.Fprintf(w, "load average (1 min): %s at the start, %s at the end\n", r.LoadBefore, r.LoadAfter)
	}
	if o.Postgres != "" {
		fmt.Fprintln(w, "full side on PostgreSQL (a fresh database each server); the bare sides and the targets are SQLite's")
	}
	fmt.Fprintf(w, "GET, POST: %d keep-alive connections, %s measured per side in %d alternating rounds after %s warmup; "+
		"delivery: bare = 1 connection for %s, full = a backlog of %d events drained (its valuations %s)\n\n",
		o.Conns, o.Duration, o.Rounds, o.Warmup, o.Duration, r.Backlog, settled)
	fmt.Fprintf(w, "%-22s %-5s %12s %10s %10s %9s %7s\n", "path", "side", "per second", "p50", "p99", "ok", "failed")
	for _, p := range r.Paths {
		for _, side := range []struct {
			name string
			res  result
		}{{"full", p.Full}, {"bare", p.Bare}} {
			fmt.Fprintf(w, "%-22s %-5s %12.0f %10s %10s %9d %7d\n", p.Name, side.name, side.res.PerSecond(),
				latency(side.res.P50), latency(side.res.P99), side.res.OK, side.res.Failed)
		}
	}
	fmt.Fprintf(w, "\n%-22s %10s %8s\n", "ratio full/bare", "measured", "target")
	for _, p := range r.Paths {
		verdict := "met"
		if !p.Met() {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "%-22s %9.2fx %7s  %s\n", p.Name, p.Ratio(), fmt.Sprintf("≥ %.2fx", p.Target), verdict)
	}
	for _, p := range r.Paths {
		if p.Target == TargetPost {
			fmt.Fprintf(w, "valuations of the %d assets the full POST side created: done %.1f s after its rounds ended (summed over the rounds)\n",
				p.Full.OK, r.ValuationCatchUp.Seconds())
		}
	}
	for _, p := range r.Paths {
		for _, side := range []struct {
			name string
			res  result
		}{{"full", p.Full}, {"bare", p.Bare}} {
			if side.res.FirstError != "" {
				fmt.Fprintf(w, "%s, %s: first failure: %s\n", p.Name, side.name, side.res.FirstError)
			}
		}
	}
}

// loadAverage is the 1-minute load average, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// latency prints a latency in µs or ms; "-" when not measured.
func latency(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	default:
		return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
	}
}

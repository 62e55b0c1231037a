// Command loadtest drives the example server over HTTP beside a bare
// handler doing the same work naively, in one run on one machine, and
// prints each path's throughput, its p50 and p99 latency, and the ratio
// full/bare beside issue 14's target:
//
//	go run ./examples/loadtest [-c 32] [-d 10s] [-rounds 5] [-warmup 1s] [-events 2500] [-server path] [-postgres url]
//
// The paths:
//
//   - GET /v1/assets/{id}: the example server (routing, request id, token
//     and principal, rate limit, the asset with its documents and latest
//     valuation, encoding, a log line) against the bare handler's JWT verify
//     and one point select. Target ≥ 0.6x.
//   - POST /v1/assets, each a new asset, durable: the server (the asset, its
//     event, its valuation job, in a transaction whose commit is fsynced,
//     shared with concurrent ones by group commit) against the bare
//     handler's JWT verify and one INSERT in its own transaction, one fsync
//     each. Target ≥ 1.5x: the full stack must beat the naive write.
//   - Webhook delivery: events per second the server delivers to a local
//     receiver (fan-out, delivery record, signed POST, outcome recorded),
//     from a backlog, against a bare POST loop of a delivery-sized body to the
//     same receiver over one connection, like BenchmarkBareHTTPPost. Target
//     ≥ 0.25x.
//
// Why the bare handler is the fair baseline: it is the same contract at
// the same durability, on the same machine, driver, SQLite driver and
// settings (WAL, synchronous=FULL, statements prepared once, one writer
// connection, a pool of readers), with nothing the library adds: no rate
// limit, idempotency, events, jobs, request log or strict input checks. Its
// throughput is what the hardware gives for the operation, so the ratio is
// the cost (or, for POST, the gain) of the library alone, and it does not
// move with the machine. It runs in this process; the server runs as its
// own process, built from ./examples/server, on a temporary SQLite database
// with the bootstrap client on the enterprise plan and the rate limit lifted
// (ASSETMINT_PLAN_LIMITS). The sides run one at a time, never at once,
// each with a client of the same settings (keep-alive, -c connections);
// for GET and POST they alternate in -rounds rounds, so that whatever else
// loads the machine meanwhile falls on both alike. Only loopback is used.
//
// With -postgres postgres://..., each full-side server runs on a fresh
// database on that PostgreSQL server (as one instance of the cluster
// store: docs/scaling.md), which the harness creates and drops; the bare
// side is unchanged, so the ratios are then against the SQLite baselines.
//
// The full POST side leaves valuation jobs behind that run during its own
// window, as they would in production, and after it, unmeasured, until
// none is pending, before the next round; the server is stopped before the
// delivery measurement, which runs on a fresh server: the receiver holds
// the server's deliveries while up to -events assets are submitted and
// valued, then answers them all, and the time from then to the last
// distinct event answered is the full side's window.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var o Options
	flag.IntVar(&o.Conns, "c", 32, "concurrent keep-alive connections for GET and POST (each side)")
	flag.DurationVar(&o.Duration, "d", 10*time.Second, "measured time of each side of GET and POST, and of the bare POST loop")
	flag.DurationVar(&o.Warmup, "warmup", time.Second, "unmeasured time before each side")
	flag.IntVar(&o.Rounds, "rounds", 5, "GET and POST: alternate the sides this many times, -d/rounds each")
	flag.IntVar(&o.Events, "events", 2500, "events in the delivery backlog (at most; those submitted within 5 s)")
	flag.StringVar(&o.Server, "server", "", "an example server binary to run instead of building ./examples/server")
	flag.StringVar(&o.Postgres, "postgres", "", "a PostgreSQL server URL: run the full side on a fresh database there (the bare side stays SQLite)")
	flag.Parse()
	o.Progress = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	rep.Write(os.Stdout)
}

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// result is what one side of one path did in its measured window.
type result struct {
	OK         int64           // answers with the wanted status
	Failed     int64           // transport errors and other statuses
	Elapsed    time.Duration   // the measured window
	P50, P99   time.Duration   // latency of the OK answers; zero when not measured
	FirstError string          // the first failure, to show why
	lat        []time.Duration // the OK answers' latencies, for add
}

// add is r and o measured as one window: counts and times summed,
// percentiles over both.
func (r result) add(o result) result {
	s := result{OK: r.OK + o.OK, Failed: r.Failed + o.Failed, Elapsed: r.Elapsed + o.Elapsed, FirstError: r.FirstError}
	if s.FirstError == "" {
		s.FirstError = o.FirstError
	}
	s.lat = append(append(make([]time.Duration, 0, len(r.lat)+len(o.lat)), r.lat...), o.lat...)
	s.P50, s.P99 = percentile(s.lat, 0.50), percentile(s.lat, 0.99)
	return s
}

// PerSecond is OK answers per second of the window.
func (r result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// newClient is the client both sides are driven with: keep-alive, at most
// conns connections to the one host, no compression, no proxy, so each
// side gets the same conns persistent loopback connections.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		Timeout: 30 * time.Second,
	}
}

// alternate measures two sides in rounds: each round runs side a, then
// side b, for d/rounds each (after one warmup of each), so that whatever
// else loads the machine meanwhile falls on both alike. between, if not
// nil, runs after each round of b (unmeasured).
func alternate(ctx context.Context, rounds int, warmup, d time.Duration, a, b func(warmup, d time.Duration) result,
	between func()) (ra, rb result) {
	slice := d / time.Duration(rounds)
	for i := range rounds {
		w := time.Duration(0)
		if i == 0 {
			w = warmup
		}
		if ctx.Err() != nil {
			break
		}
		ra = ra.add(a(w, slice))
		rb = rb.add(b(w, slice))
		if between != nil {
			between()
		}
	}
	return ra, rb
}

// drive sends requests made by newReq from conns goroutines over client,
// back to back, for warmup (not counted) and then for d, and reports the
// answers with status want in the measured window. newReq is called
// concurrently.
func drive(ctx context.Context, client *http.Client, conns int, warmup, d time.Duration, want int,
	newReq func(ctx context.Context) (*http.Request, error)) result {
	if warmup > 0 {
		run(ctx, client, conns, warmup, 0, want, newReq)
	}
	return run(ctx, client, conns, d, 0, want, newReq)
}

// run is drive without the warmup, stopping after d or after limit
// requests (0: no limit), whichever comes first.
func run(ctx context.Context, client *http.Client, conns int, d time.Duration, limit int64, want int,
	newReq func(ctx context.Context) (*http.Request, error)) result {
	type worker struct {
		ok, failed int64
		lat        []time.Duration
		firstErr   string
	}
	ws := make([]worker, conns)
	var wg sync.WaitGroup
	var sent atomic.Int64
	start := time.Now()
	stop := start.Add(d)
	for i := range ws {
		w := &ws[i]
		w.lat = make([]time.Duration, 0, 4096)
		wg.Go(func() {
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(stop) || (limit > 0 && sent.Add(1) > limit) {
					return
				}
				status, err := once(ctx, client, newReq)
				if err == nil && status != want {
					err = fmt.Errorf("status %d, want %d", status, want)
				}
				if err != nil {
					w.failed++
					if w.firstErr == "" {
						w.firstErr = err.Error()
					}
					continue
				}
				w.ok++
				w.lat = append(w.lat, time.Since(t0))
			}
		})
	}
	wg.Wait()
	r := result{Elapsed: time.Since(start)}
	var lat []time.Duration
	for _, w := range ws {
		r.OK += w.ok
		r.Failed += w.failed
		lat = append(lat, w.lat...)
		if r.FirstError == "" {
			r.FirstError = w.firstErr
		}
	}
	r.P50, r.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	r.lat = lat
	return r
}

// once sends one request and reads its whole answer, so the connection is
// reused.
func once(ctx context.Context, client *http.Client, newReq func(ctx context.Context) (*http.Request, error)) (int, error) {
	req, err := newReq(ctx)
	if err != nil {
		return 0, err
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}

// percentile is the q-quantile of lat (nearest rank); lat is sorted in
// place.
func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	i := int(q*float64(len(lat))+0.5) - 1
	return lat[max(0, min(i, len(lat)-1))]
}

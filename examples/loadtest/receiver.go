package main

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// receiver is the local webhook endpoint both delivery sides POST to. It
// reads the body and answers 200, like BenchmarkBareHTTPPost's receiver.
// Under /hook it counts the distinct events (webhook-id) the server
// delivers, and, while held, keeps those requests waiting: the server then
// builds a backlog, and the delivery rate is measured from release.
type receiver struct {
	URL string

	mu       sync.Mutex
	gate     chan struct{} // closed when open
	seen     map[string]bool
	want     int
	reached  chan struct{} // closed when len(seen) reaches want
	distinct atomic.Int64
	srv      *http.Server
}

func startReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rc := &receiver{URL: "http://" + ln.Addr().String(), gate: make(chan struct{}), seen: map[string]bool{}, reached: make(chan struct{})}
	close(rc.gate)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /bare", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("POST /hook", rc.hook)
	rc.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go rc.srv.Serve(ln)
	return rc, nil
}

func (rc *receiver) close() { rc.srv.Close() }

// hold makes /hook requests wait until release.
func (rc *receiver) hold() {
	rc.mu.Lock()
	rc.gate = make(chan struct{})
	rc.mu.Unlock()
}

// release answers the held requests and the ones after at once.
func (rc *receiver) release() {
	rc.mu.Lock()
	select {
	case <-rc.gate:
	default:
		close(rc.gate)
	}
	rc.mu.Unlock()
}

// expect sets how many distinct events make reached close.
func (rc *receiver) expect(n int) <-chan struct{} {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.want = n
	if len(rc.seen) >= n {
		closeOnce(rc.reached)
	}
	return rc.reached
}

func (rc *receiver) hook(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	rc.mu.Lock()
	gate := rc.gate
	rc.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
		return
	}
	w.WriteHeader(http.StatusOK)
	id := r.Header.Get("webhook-id")
	rc.mu.Lock()
	if id != "" && !rc.seen[id] {
		rc.seen[id] = true
		rc.distinct.Add(1)
		if rc.want > 0 && len(rc.seen) >= rc.want {
			closeOnce(rc.reached)
		}
	}
	rc.mu.Unlock()
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

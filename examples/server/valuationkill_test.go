package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A server killed with SIGKILL while assets are being submitted and valued
// loses no acknowledged asset and values every asset it holds exactly
// once after the restart: the valuation is queued in the submission's
// transaction (the store's valuation queue), the valuations the killed
// process had leased are claimed again once their leases expire, and the
// one that records a report takes its valuation off the queue in the same
// transaction.
func TestValuationsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server process; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := buildServer(t)
	limits := "ASSETMINT_PLAN_LIMITS=enterprise=100000000/min" // the rate limiter refuses none
	first := startProcess(t, bin, dir, limits)
	tok := first.token(t)

	// Submitters run until the kill; an asset is acknowledged when its 201
	// arrived.
	var mu sync.Mutex
	acked := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for g := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"name":"Press %d-%d","type":"equipment","estimated_value":1000,"metadata":{"year":2020}}`, g, i)
				req, _ := http.NewRequest("POST", first.base+"/v1/assets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var out struct {
					Data struct {
						ID string `json:"id"`
					} `json:"data"`
				}
				err = json.NewDecoder(res.Body).Decode(&out)
				res.Body.Close()
				if err == nil && res.StatusCode == http.StatusCreated {
					mu.Lock()
					acked[out.Data.ID] = true
					mu.Unlock()
				}
			}
		})
	}
	// Kill while submissions are in flight and valuations lag behind them.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 1500 {
			break
		}
		require.True(t, time.Now().Before(deadline), "only %d assets acknowledged", n)
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()
	close(stop)
	wg.Wait()

	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "am.db")+"?mode=ro&_busy_timeout=5000")
	require.NoError(t, err)
	defer db.Close()
	count := func(query string, args ...any) int {
		var n int
		require.NoError(t, db.QueryRow(query, args...).Scan(&n))
		return n
	}
	waiting := count(`SELECT count(*) FROM valuation_queue`)
	t.Logf("%d assets acknowledged; at the kill %d valuations were queued, %d of them leased", len(acked), waiting,
		count(`SELECT count(*) FROM valuation_queue WHERE leased_by <> ''`))

	second := startProcess(t, bin, dir, limits)
	defer func() { _ = second.cmd.Process.Kill() }()
	// The killed process's leases (the jobs lease, 30 s) expire, then the
	// queue drains.
	deadline = time.Now().Add(90 * time.Second)
	for count(`SELECT count(*) FROM valuation_queue`) > 0 || count(`SELECT count(*) FROM assets WHERE status = 'pending_valuation'`) > 0 {
		require.True(t, time.Now().Before(deadline), "valuations still queued: %d", count(`SELECT count(*) FROM valuation_queue`))
		time.Sleep(200 * time.Millisecond)
	}

	for id := range acked {
		require.Equal(t, 1, count(`SELECT count(*) FROM assets WHERE id = ?`, id), "acknowledged asset %s is kept", id)
	}
	assets := count(`SELECT count(*) FROM assets`)
	require.GreaterOrEqual(t, assets, len(acked))
	require.Zero(t, count(`SELECT count(*) FROM (SELECT asset_id FROM valuations GROUP BY asset_id HAVING count(*) > 1)`),
		"no asset valued twice")
	require.Equal(t, assets, count(`SELECT count(DISTINCT asset_id) FROM valuations`), "every asset valued")
	require.Equal(t, assets, count(`SELECT count(*) FROM events WHERE type = 'asset.valuation_complete'`), "one event per valuation")
	require.Zero(t, count(`SELECT count(*) FROM jobs WHERE kind = 'asset.value'`), "none handed over to the job queue")
}

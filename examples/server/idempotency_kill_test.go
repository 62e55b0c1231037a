package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// idemRequest is one idempotent POST of the kill test, with its own key.
type idemRequest struct {
	key, path, body, name string
	operator              bool
}

// idemOutcome is what a request's key came to: the id of what it made.
type idemOutcome struct {
	id     string
	failed bool // a wrong answer, reported already
}

// TestIdempotentPostsSurviveKill9 sends idempotent POSTs (assets, webhook
// endpoints, and operator-created businesses, whose answer carries a client
// secret), each with its own Idempotency-Key, while the server is killed
// with SIGKILL again and again, and retries every request whose outcome was
// unknown until it has one. Each key must end up with exactly one object,
// and every answer a client was given must name an object that exists.
func TestIdempotentPostsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server process; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := buildServer(t)
	const admin = "kill-test-operator-token-0123456789abcdef"
	// The last instance resends every key a killed process still holds,
	// each second, until its lock lapses (a minute): with many keys held,
	// more than the enterprise plan's 1,000 requests a minute. The plan's
	// limit is not what this test is about.
	env := []string{"ASSETMINT_ADMIN_TOKEN=" + admin, "ASSETMINT_PLAN_LIMITS=enterprise=1000000/min"}

	var reqs []idemRequest
	for i := range 240 {
		name := fmt.Sprintf("kill-asset-%03d", i)
		reqs = append(reqs, idemRequest{key: "asset-" + name, path: "/v1/assets", name: name,
			body: fmt.Sprintf(`{"name":%q,"type":"equipment","estimated_value":%d.25}`, name, 1000+i)})
	}
	for i := range 60 {
		name := fmt.Sprintf("kill-biz-%03d", i)
		reqs = append(reqs, idemRequest{key: "biz-" + name, path: "/v1/admin/businesses", name: name, operator: true,
			body: fmt.Sprintf(`{"name":%q,"plan":"business"}`, name)})
	}
	for i := range 15 {
		name := fmt.Sprintf("http://127.0.0.1:9/kill-hook-%03d", i)
		reqs = append(reqs, idemRequest{key: "hook-" + name, path: "/v1/webhooks", name: name,
			body: fmt.Sprintf(`{"url":%q,"events":["asset.submitted"]}`, name)})
	}
	rand.Shuffle(len(reqs), func(i, j int) { reqs[i], reqs[j] = reqs[j], reqs[i] })

	var mu sync.Mutex
	done := map[string]idemOutcome{}
	unknown := 0 // attempts cut off by a kill, or answered "in use"
	limited := 0 // attempts answered 429
	client := &http.Client{Timeout: 10 * time.Second}
	// send makes one attempt; it reports whether the request's outcome is
	// now known. It runs on the drivers' goroutines, so a wrong answer is
	// reported with t.Errorf (FailNow would end the goroutine and leave
	// drive waiting for it) and counts as an outcome, so it is not retried.
	send := func(base, token string, r idemRequest) bool {
		auth := token
		if r.operator {
			auth = admin
		}
		req, _ := http.NewRequest("POST", base+r.path, bytes.NewReader([]byte(r.body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+auth)
		req.Header.Set("Idempotency-Key", r.key)
		unsure := func() bool {
			mu.Lock()
			unknown++
			mu.Unlock()
			return false
		}
		res, err := client.Do(req)
		if err != nil {
			return unsure() // the server died: the outcome is unknown
		}
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return unsure()
		}
		var out struct {
			Data  map[string]any `json:"data"`
			Error map[string]any `json:"error"`
		}
		wrong := func(format string, args ...any) bool {
			t.Errorf("%s %s: "+format, append([]any{r.path, r.key}, args...)...)
			mu.Lock()
			done[r.key] = idemOutcome{failed: true}
			mu.Unlock()
			return true
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			return wrong("%d %q is not JSON: %v", res.StatusCode, raw, err)
		}
		if res.StatusCode == http.StatusConflict && out.Error["code"] == "idempotency_key_in_use" {
			return unsure() // a killed process still holds the key; its lock lapses within a minute
		}
		if res.StatusCode == http.StatusTooManyRequests {
			mu.Lock()
			limited++
			mu.Unlock()
			return unsure() // a client retries once its limit allows
		}
		id, _ := out.Data["id"].(string)
		if res.StatusCode != http.StatusCreated || id == "" {
			return wrong("want 201 with an id, got %d: %s", res.StatusCode, raw)
		}
		if secret, _ := out.Data["client_secret"].(string); r.operator && !strings.HasPrefix(secret, "sk_") {
			return wrong("a replayed business answer still carries its secret: %s", raw)
		}
		mu.Lock()
		prev, seen := done[r.key]
		mu.Unlock()
		if seen && prev.id != id {
			return wrong("answered %s, then %s", prev.id, id)
		}
		mu.Lock()
		done[r.key] = idemOutcome{id: id}
		mu.Unlock()
		return true
	}
	// drive sends the pending requests with 8 clients until they all have
	// an outcome or stop says to stop.
	drive := func(base, token string, stop <-chan struct{}) {
		queue := make(chan idemRequest)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range queue {
					send(base, token, r)
				}
			}()
		}
		defer func() { close(queue); wg.Wait() }()
		for _, r := range reqs {
			mu.Lock()
			_, ok := done[r.key]
			mu.Unlock()
			if ok {
				continue
			}
			select {
			case queue <- r:
			case <-stop:
				return
			}
		}
	}

	kills := 0
	for round := range 8 {
		srv := startProcess(t, bin, dir, env...)
		token := srv.token(t)
		stop := make(chan struct{})
		finished := make(chan struct{})
		go func() { drive(srv.base, token, stop); close(finished) }()
		time.Sleep(time.Duration(40+rand.IntN(250)) * time.Millisecond)
		require.NoError(t, srv.cmd.Process.Signal(syscall.SIGKILL), "round %d", round)
		_ = srv.cmd.Wait()
		kills++
		close(stop)
		<-finished
	}

	// The last instance runs until every request has an outcome; keys held
	// by a killed process are free again within the lock (a minute).
	srv := startProcess(t, bin, dir, env...)
	token := srv.token(t)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		drive(srv.base, token, nil)
		mu.Lock()
		n := len(done)
		mu.Unlock()
		if n == len(reqs) {
			break
		}
		require.True(t, time.Now().Before(deadline), "%d of %d requests still without an outcome", len(reqs)-n, len(reqs))
		time.Sleep(time.Second)
	}

	if t.Failed() {
		return // the wrong answers are reported above
	}

	// Every key made exactly one object, and it is the one its answer names.
	byName := map[string][]string{}
	collect := func(path, auth, nameField string) {
		after := ""
		for {
			url := path + "?limit=100"
			if after != "" {
				url += "&starting_after=" + after
			}
			page := srv.call(t, "GET", url, auth, "")
			items := page["data"].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				byName[m[nameField].(string)] = append(byName[m[nameField].(string)], m["id"].(string))
				after = m["id"].(string)
			}
			if !page["meta"].(map[string]any)["has_more"].(bool) {
				return
			}
		}
	}
	collect("/v1/assets", token, "name")
	collect("/v1/admin/businesses", admin, "name")
	collect("/v1/webhooks", token, "url")
	for _, r := range reqs {
		ids := byName[r.name]
		require.Len(t, ids, 1, "%s made %d objects", r.key, len(ids))
		require.Equal(t, done[r.key].id, ids[0], "%s's answer names what it made", r.key)
	}
	require.Positive(t, unknown, "the kills cut requests off")
	t.Logf("%d requests, %d kills, %d attempts with an unknown outcome retried (%d of them rate limited): each key made one object",
		len(reqs), kills, unknown, limited)
}
